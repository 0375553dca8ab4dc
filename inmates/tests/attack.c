// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * attack: a hostile cell. One attack per start, chosen by the command line (attack=NAME); it
 * prints what it tried and what came back, "attack: NAME: ..." lines, then "attack: NAME: done"
 * and idles, or is stopped by the hypervisor on the way (the fatal ones). See docs/security.md
 * for the outcome each one must have; tests/system/hostile-cells.sh runs them all.
 *
 *   read-*, write-*	addr=A: load/store outside the cell (root RAM, another cell's RAM, the
 *			hypervisor, unassigned or foreign MMIO): must be stopped as FAILED
 *   ldp-gicd		load pair from the distributor (no syndrome): FAILED
 *   gicd		enable/disable/pend/activate/prioritise/regroup/reconfigure/route the
 *			interrupts irqs=A,B (not ours), SETSPI, distributor off: ignored
 *   gicr		another CPU's redistributor (mpidrs=...), and our own LPI tables and
 *			sleep bit: ignored
 *   sgi		SGIs to CPUs outside the cell (mpidrs=...), SGI0R and ASGI1R: dropped
 *   psci		CPU_ON/AFFINITY_INFO of foreign CPUs, unknown PSCI, SMCCC and SMC
 *			services: error codes
 *   cpu-off		PSCI CPU_OFF: only this CPU stops
 *   system-off, system-reset	PSCI SYSTEM_OFF/RESET: this cell alone shuts down
 *   hypercall		management hypercalls, unknown codes and hvc immediates: error codes
 *   sysreg		data cache invalidate by set/way: trapped, done as clean+invalidate;
 *			ACTLR_EL1 write and read: trapped, ignored
 *   forge		console lines that look like the hypervisor's, with \r and escape
 *			sequences to hide the prefix: printed behind the cell's name, visibly
 *   flood		hypercalls, then SGIs, as fast as possible for seconds=N each
 *   lock		RUNNING_LOCKED without may-lock in the cell config: ignored
 *   spi-state		our own SPI irq=N: Group 0, priority 0xf0, edge, enabled and pended
 *			with interrupts masked, never acknowledged; the next owner must not
 *			inherit any of it
 *   masked-alarm	our own SPI irq=N from the PL031 at rtc=A: the alarm fires while we
 *			mask interrupts, then we never answer the hypervisor again
 *   sgi-broadcast	SGI 5 with IRM=1 (all but the sender), count=N times, to a second CPU
 *			cpu1=MPIDR: it must arrive there, not here
 *
 * Against direct interrupt delivery (attack-direct.c; the cell's interrupts at EL1, the
 * hypervisor's management interrupt a Group-0 FIQ): each one must leave shutdown and destroy
 * bounded, the other cells untouched.
 *   ap1r		ICC_AP1R0_EL1 = 1 (active priority 0x00 claimed: blocks every FIQ),
 *			then spin forever, or wfi forever with the option wfi
 *   ack-no-eoi		own SGI sgi=9 at priority 0 (clamped to 0x80), pended, acknowledged,
 *			never EOId; spin (or wfi) forever
 *   mask-all		ICC_IGRPEN1_EL1 = 0, ICC_IGRPEN0_EL1 = 0, ICC_PMR_EL1 = 0, DAIF all
 *			set, then wfi in a loop
 *   sgi-flood		SGIs 0-15 to ourselves, broadcasts and SGIs to foreign CPUs
 *			(mpidrs=...) as fast as possible for seconds=N, taking our own
 *   eoir-foreign	per INTID from=32 to=100 (not ours): acknowledge our own SGI, write
 *			ICC_EOIR1_EL1 with the foreign INTID, clear our SGI's active bit
 */
#include "attack.h"

#define RTC_DR			0x00
#define RTC_MR			0x04
#define RTC_IMSC		0x10
#define RTC_RIS			0x14
#define RTC_ICR			0x1c
#define SGI_PROBE		5

char attack_name[32];
static uintptr_t gicd, gicr;

static long smc(u64 fid, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fid;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (long)x0;
}

#define HVC_IMM(imm) ({							\
	register u64 x0 __asm__("x0") = HC_HYPERVISOR_GET_INFO;		\
	register u64 x1 __asm__("x1") = 0;				\
	__asm__ volatile("hvc #" #imm : "+r"(x0), "+r"(x1) : : "x2", "x3", "memory");	\
	(long)x0;							\
})

static void access(bool write)
{
	uintptr_t addr = cmdline_get_u64("addr", 0);
	u64 val = 0x0bad0bad0bad0badUL;

	report("%s 0x%llx now", write ? "writing" : "reading", (u64)addr);
	if (write)
		mmio_write64(addr, val);
	else
		val = mmio_read64(addr);
	report("ERROR: the access went through (0x%llx)", val);
}

static void ldp_gicd(void)
{
	u64 a, b;

	report("load pair from 0x%llx now", (u64)gicd);
	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(gicd) : "memory");
	report("ERROR: the access went through (0x%llx 0x%llx)", a, b);
}

static void attack_gicd(void)
{
	u64 irqs[4];
	unsigned int n, count = cmdline_get_u64_list("irqs", irqs, ARRAY_SIZE(irqs));

	for (n = 0; n < count; n++) {
		unsigned int irq = irqs[n], word = irq / 32 * 4;
		u32 bit = 1U << (irq % 32);

		mmio_write32(gicd + GICD_ICENABLER + word, bit);
		mmio_write32(gicd + GICD_ISENABLER + word, bit);
		mmio_write32(gicd + GICD_ISPENDR + word, bit);
		mmio_write32(gicd + GICD_ISACTIVER + word, bit);
		mmio_write32(gicd + GICD_ICACTIVER + word, bit);
		mmio_write32(gicd + GICD_ICPENDR + word, bit);
		mmio_write32(gicd + GICD_IPRIORITYR + (irq & ~3U), 0);
		mmio_write32(gicd + GICD_IGROUPR + word, 0);
		mmio_write32(gicd + GICD_ICFGR + irq / 16 * 4, ~0U);
		mmio_write64(gicd + GICD_IROUTER + irq * 8, cpu_mpidr());
		mmio_write64(gicd + GICD_IROUTER + irq * 8, 1UL << 31);
		mmio_write32(gicd + GICD_SETSPI_NSR, irq);
		report("irq %u: enabled=%u pending=%u priority=0x%x route=0x%llx as we see it", irq,
		       mmio_read32(gicd + GICD_ISENABLER + word) & bit ? 1 : 0,
		       mmio_read32(gicd + GICD_ISPENDR + word) & bit ? 1 : 0,
		       mmio_read32(gicd + GICD_IPRIORITYR + (irq & ~3U)),
		       mmio_read64(gicd + GICD_IROUTER + irq * 8));
	}
	mmio_write32(gicd + GICD_CTLR, 0);
	report("distributor CTLR 0x%x after writing 0", mmio_read32(gicd + GICD_CTLR));
}

uintptr_t attack_frame_of(uintptr_t rd, u64 mpidr)
{
	unsigned int n;

	for (n = 0; n < 64; n++, rd += 0x20000) {
		if (mmio_read32(rd + GICR_TYPER + 4) == mpidr_to_aff32(mpidr))
			return rd;
		if (mmio_read32(rd + GICR_TYPER) & (1U << 4))
			break;
	}
	return 0;
}

static void attack_gicr(void)
{
	uintptr_t own = attack_frame_of(gicr, cpu_mpidr()), rd;
	u64 mpidrs[4], prop, pend;
	unsigned int n, count = cmdline_get_u64_list("mpidrs", mpidrs, ARRAY_SIZE(mpidrs));

	for (n = 0; n < count; n++) {
		rd = attack_frame_of(gicr, mpidrs[n]);
		if (!rd) {
			report("no redistributor for 0x%llx", mpidrs[n]);
			continue;
		}
		report("redistributor of 0x%llx reads: TYPER 0x%llx PROPBASER 0x%llx PENDBASER 0x%llx",
		       mpidrs[n], mmio_read64(rd + GICR_TYPER), mmio_read64(rd + GICR_PROPBASER),
		       mmio_read64(rd + GICR_PENDBASER));
		mmio_write32(rd + GICR_SGI_BASE + GICD_ICENABLER, ~0U);
		mmio_write32(rd + GICR_SGI_BASE + GICD_ICACTIVER, ~0U);
		mmio_write32(rd + GICR_SGI_BASE + GICD_ISPENDR, 0xfffc);
		mmio_write32(rd + GICR_SGI_BASE + GICD_IPRIORITYR, 0);
		mmio_write32(rd + GICR_SGI_BASE + GICD_IGROUPR, 0);
		mmio_write64(rd + GICR_PROPBASER, 0x7f800000);
		mmio_write64(rd + GICR_PENDBASER, 0x7f800000);
		mmio_write32(rd + GICR_WAKER, 2);
		report("redistributor of 0x%llx at 0x%llx: attacked", mpidrs[n], (u64)rd);
	}
	prop = mmio_read64(own + GICR_PROPBASER);
	pend = mmio_read64(own + GICR_PENDBASER);
	mmio_write64(own + GICR_PROPBASER, 0x7f800000);
	mmio_write64(own + GICR_PENDBASER, 0x7f810000);
	mmio_write32(own + GICR_CTLR, 1);
	mmio_write32(own + GICR_WAKER, 2);
	report("own LPI tables %s, waker 0x%x",
	       mmio_read64(own + GICR_PROPBASER) == prop &&
	       mmio_read64(own + GICR_PENDBASER) == pend ? "unchanged" : "CHANGED",
	       mmio_read32(own + GICR_WAKER));
}

void attack_sgi_send(unsigned int irq, u64 mpidr, bool broadcast)
{
	u64 val = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
		  ((mpidr >> 8) & 0xff) << 16 | (u64)(irq & 0xf) << 24 |
		  (broadcast ? 1UL << 40 : 1U << (mpidr & 0xf));

	write_sysreg(ICC_SGI1R_EL1, val);
	isb();
}

static void attack_sgi(void)
{
	static const unsigned int sgis[] = { 2, 9, 15 };
	u64 mpidrs[4];
	unsigned int n, i, count = cmdline_get_u64_list("mpidrs", mpidrs, ARRAY_SIZE(mpidrs));

	for (n = 0; n < count; n++)
		for (i = 0; i < ARRAY_SIZE(sgis); i++)
			attack_sgi_send(sgis[i], mpidrs[n], false);
	attack_sgi_send(3, 0, true);
	if (count) {
		write_sysreg(ICC_SGI0R_EL1, 1UL << (mpidrs[0] & 0xf) | 4UL << 24);
		write_sysreg(ICC_ASGI1R_EL1, 1UL << (mpidrs[0] & 0xf) | 4UL << 24);
	}
	report("%u SGIs sent to %u foreign CPUs, one broadcast, SGI0R and ASGI1R", count * 3,
	       count);
}

static void attack_psci(void)
{
	static const u32 unknown[] = { 0x8400001f, 0x80008000, 0xc2000001, 0x83000000,
				       0xbf000000 };
	u64 mpidrs[4];
	unsigned int n, count = cmdline_get_u64_list("mpidrs", mpidrs, ARRAY_SIZE(mpidrs));

	for (n = 0; n < count; n++) {
		report("CPU_ON(0x%llx)=%ld", mpidrs[n], smc(0xc4000003, mpidrs[n], 0, 0));
		report("AFFINITY_INFO(0x%llx)=%ld", mpidrs[n], smc(0xc4000004, mpidrs[n], 0, 0));
	}
	report("AFFINITY_INFO(self)=%ld", smc(0xc4000004, cpu_mpidr(), 0, 0));
	report("CPU_ON(self)=%ld", smc(0xc4000003, cpu_mpidr(), 0, 0));
	for (n = 0; n < ARRAY_SIZE(unknown); n++)
		report("SMC 0x%x=%ld", unknown[n], smc(unknown[n], 0, 0, 0));
}

static void attack_hypercall(void)
{
	static const u64 codes[] = { HC_DISABLE, HC_CELL_CREATE, HC_CELL_START,
				     HC_CELL_SET_LOADABLE, HC_CELL_DESTROY, HC_CELL_GET_STATE,
				     9, 1000, ~0UL };
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(codes); n++)
		report("hypercall %ld(1)=%ld", (long)codes[n], hypercall(codes[n], 1, 0));
	report("CPU_GET_INFO(cpu 0)=%ld", hypercall(HC_CPU_GET_INFO, 0, HC_CPU_INFO_STATE));
	report("GET_INFO(cells)=%ld", hypercall(HC_HYPERVISOR_GET_INFO, HC_INFO_NUM_CELLS, 0));
	report("hvc #0=%ld", HVC_IMM(0));
	report("hvc #1=%ld", HVC_IMM(1));
	report("hvc #0xffff=%ld", HVC_IMM(0xffff));
}

static void attack_sysreg(void)
{
	u64 sets = 0, ways = 0;

	/* level 1, set 0, way 0 and a few more: whatever dirty lines they hold survive */
	for (ways = 0; ways < 2; ways++)
		for (sets = 0; sets < 2; sets++)
			__asm__ volatile("dc isw, %0" : : "r"(ways << 30 | sets << 6) : "memory");
	__asm__ volatile("dc csw, %0" : : "r"(0UL) : "memory");
	report("4 x DC ISW, 1 x DC CSW executed");
	/* ACTLR_EL1 tunes the physical core (HCR_EL2.TACR): ignored, reads 0 */
	__asm__ volatile("msr actlr_el1, %0" : : "r"(~0UL));
	__asm__ volatile("mrs %0, actlr_el1" : "=r"(sets));
	report("ACTLR_EL1 written all ones, reads 0x%llx", sets);
}

/* Lines that look like the hypervisor's, with the cursor moved back over any prefix. */
static void attack_forge(void)
{
	printk("\rCell \"smp-demo\" FAILED: CPU 1 stopped; forged\n");
	printk("\033[2K\033[1GHypervisor: disabled, CPUs returned to Linux (forged)\n");
	report("forged 2 lines");
}

static void attack_flood(void)
{
	u64 seconds = cmdline_get_u64("seconds", 4), end, n;

	end = timer_ticks() + timer_ns_to_ticks(seconds * NS_PER_SEC);
	for (n = 0; timer_ticks() < end; n++) {
		hypercall(HC_HYPERVISOR_GET_INFO, HC_INFO_MEM_POOL_USED, 0);
		hypercall(n & 1 ? HC_CELL_DESTROY : 77, 1, 0);
	}
	report("%llu hypercalls in %llu s", n * 2, seconds);
	end = timer_ticks() + timer_ns_to_ticks(seconds * NS_PER_SEC);
	for (n = 0; timer_ticks() < end; n++) {
		attack_sgi_send(n & 15, n & 2 ? 0 : 1, false);
		attack_sgi_send(5, cpu_mpidr(), false);
	}
	report("%llu SGIs in %llu s", n * 2, seconds);
}

static u32 spi_bit(unsigned int irq, u32 reg)
{
	return mmio_read32(gicd + reg + irq / 32 * 4) >> (irq % 32) & 1;
}

static void report_spi(unsigned int irq, const char *when)
{
	report("irq %u %s: enabled=%u pending=%u active=%u group=%u priority=0x%x config=%u", irq,
	       when, spi_bit(irq, GICD_ISENABLER), spi_bit(irq, GICD_ISPENDR),
	       spi_bit(irq, GICD_ISACTIVER), spi_bit(irq, GICD_IGROUPR),
	       mmio_read32(gicd + GICD_IPRIORITYR + (irq & ~3U)) >> (irq % 4 * 8) & 0xff,
	       mmio_read32(gicd + GICD_ICFGR + irq / 16 * 4) >> (irq % 16 * 2) & 3);
}

/* Wait up to seconds s for the hypervisor to have taken irq (physically active). */
static bool wait_active(unsigned int irq, unsigned int s)
{
	u64 end = timer_ticks() + s * timer_frequency();

	while (!spi_bit(irq, GICD_ISACTIVER) && timer_ticks() < end)
		;
	return spi_bit(irq, GICD_ISACTIVER);
}

static void attack_spi_state(void)
{
	unsigned int irq = cmdline_get_u64("irq", 34), word = irq / 32 * 4;
	uintptr_t prio = gicd + GICD_IPRIORITYR + (irq & ~3U), cfg = gicd + GICD_ICFGR + irq / 16 * 4;
	u32 bit = 1U << (irq % 32);

	report_spi(irq, "as we got it");
	mmio_write32(gicd + GICD_IGROUPR + word, mmio_read32(gicd + GICD_IGROUPR + word) & ~bit);
	mmio_write32(prio, (mmio_read32(prio) & ~(0xffU << (irq % 4 * 8))) | 0xf0U << (irq % 4 * 8));
	mmio_write32(cfg, mmio_read32(cfg) | 2U << (irq % 16 * 2));
	mmio_write64(gicd + GICD_IROUTER + irq * 8, cpu_mpidr());
	mmio_write32(gicd + GICD_ISENABLER + word, bit);
	mmio_write32(gicd + GICD_ISPENDR + word, bit);
	report("irq %u taken by the hypervisor while we mask interrupts: %s", irq,
	       wait_active(irq, 2) ? "yes" : "no");
	report_spi(irq, "as we left it");
}

static void attack_masked_alarm(void)
{
	unsigned int irq = cmdline_get_u64("irq", 34);
	uintptr_t rtc = cmdline_get_u64("rtc", 0x09010000);
	bool taken;

	report_spi(irq, "as we got it");
	mmio_write64(gicd + GICD_IROUTER + irq * 8, cpu_mpidr());
	mmio_write32(gicd + GICD_ISENABLER + irq / 32 * 4, 1U << (irq % 32));
	mmio_write32(rtc + RTC_ICR, 1);
	mmio_write32(rtc + RTC_MR, mmio_read32(rtc + RTC_DR) + 1);
	mmio_write32(rtc + RTC_IMSC, 1);
	taken = wait_active(irq, 3);
	report("alarm fired (raw status %u), irq %u taken while we mask interrupts: %s",
	       mmio_read32(rtc + RTC_RIS), irq, taken ? "yes" : "no");
	report("silent from now on");
	__asm__ volatile("msr daifset, #0xf\n1: b 1b");
}

static volatile unsigned int probes[2];
static volatile bool receiver_ready;

static void count_probe(unsigned int irq, u64 ticks)
{
	(void)ticks;
	if (irq == SGI_PROBE)
		probes[cpu_id() ? 1 : 0]++;
}

static void probe_listen(void)
{
	irq_init(count_probe);
	irq_enable(SGI_PROBE);
	local_irq_enable();
}

static void probe_receiver(unsigned int cpu, u64 context_id)
{
	(void)cpu;
	(void)context_id;
	probe_listen();
	receiver_ready = true;
	for (;;)
		wfi();
}

static void attack_sgi_broadcast(void)
{
	unsigned int n, count = cmdline_get_u64("count", 10);
	long ret = smp_start_cpu(1, cmdline_get_u64("cpu1", 0), probe_receiver);
	u64 end;

	probe_listen();
	end = timer_ticks() + timer_frequency();
	while (ret == PSCI_SUCCESS && !receiver_ready && timer_ticks() < end)
		;
	/* one at a time: an SGI sent while the last one is still pending merges with it */
	for (n = 0; n < count; n++) {
		attack_sgi_send(SGI_PROBE, 0, true);
		end = timer_ticks() + timer_frequency() / 5;
		while (probes[1] <= n && timer_ticks() < end)
			;
	}
	delay_us(100000);
	local_irq_disable();
	report("second CPU %s; %u broadcasts: sender got %u, other CPU got %u",
	       ret == PSCI_SUCCESS ? "up" : "not started", count, probes[0], probes[1]);
}

void inmate_main(void)
{
	struct hv_comm_region *comm = comm_region();
	const struct hv_comm_arm *arm;

	if (!cmdline_get_str("attack", attack_name, sizeof(attack_name)))
		memcpy(attack_name, "none", 5);
	arm = comm ? hv_comm_arm(comm) : NULL;
	gicd = arm && arm->gicd_base ? arm->gicd_base : 0x08000000;
	gicr = arm && arm->gicr_base ? arm->gicr_base : 0x080a0000;
	local_irq_disable();
	report("start");
	/* read-WHAT, write-WHAT: the suffix only names the target in the test */
	if (!strncmp(attack_name, "read", 4) || !strncmp(attack_name, "write", 5))
		access(attack_name[0] == 'w');
	else if (!strncmp(attack_name, "ldp-gicd", 9))
		ldp_gicd();
	else if (!strncmp(attack_name, "gicd", 5))
		attack_gicd();
	else if (!strncmp(attack_name, "gicr", 5))
		attack_gicr();
	else if (!strncmp(attack_name, "sgi", 4))
		attack_sgi();
	else if (!strncmp(attack_name, "psci", 5))
		attack_psci();
	else if (!strncmp(attack_name, "cpu-off", 8))
		report("CPU_OFF returned %ld", smc(0x84000002, 0, 0, 0));
	else if (!strncmp(attack_name, "system-off", 11))
		report("SYSTEM_OFF returned %ld", smc(0x84000008, 0, 0, 0));
	else if (!strncmp(attack_name, "system-reset", 13))
		report("SYSTEM_RESET returned %ld", smc(0x84000009, 0, 0, 0));
	else if (!strncmp(attack_name, "hypercall", 10))
		attack_hypercall();
	else if (!strncmp(attack_name, "sysreg", 7))
		attack_sysreg();
	else if (!strncmp(attack_name, "forge", 6))
		attack_forge();
	else if (!strncmp(attack_name, "flood", 6))
		attack_flood();
	else if (!strncmp(attack_name, "spi-state", 10))
		attack_spi_state();
	else if (!strncmp(attack_name, "masked-alarm", 13))
		attack_masked_alarm();
	else if (!strncmp(attack_name, "sgi-broadcast", 14))
		attack_sgi_broadcast();
	else if (!strncmp(attack_name, "lock", 5))
		comm_region_set_state(HV_CELL_RUNNING_LOCKED);
	else if (attack_direct(gicr))
		;
	else
		report("unknown attack");
	report("done");
	for (;;)
		if (comm_region_poll())
			cpu_halt();
}
