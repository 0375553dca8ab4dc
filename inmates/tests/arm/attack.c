// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * attack (ARMv7): a hostile cell. One attack per start, chosen by the command line
 * (attack=NAME); it prints what it tried and what came back, "attack: NAME: ..." lines, then
 * "attack: NAME: done" and idles, or is stopped by the hypervisor on the way (the fatal ones).
 * The names and outcomes follow arm64's (tests/attack.c) where the two apply:
 *
 *   read-*, write-*	addr=A: word load/store outside the cell: must be stopped as FAILED
 *   ldm-gicd		load multiple from the distributor (no syndrome, ISV=0): FAILED
 *   gicd		enable/disable/pend/activate/prioritise/regroup/reconfigure/retarget the
 *			interrupts irqs=A,B (not ours), distributor off: ignored
 *   sgi		GICD_SGIR to CPU interfaces outside the cell (targets=MASK, default
 *			0xff), to all others and to ourselves: only our own CPUs get them
 *   psci		CPU_ON/AFFINITY_INFO of foreign CPUs mpidrs=..., unknown PSCI, SMCCC and
 *			SMC services: error codes
 *   cpu-off		PSCI CPU_OFF: only this CPU stops
 *   system-off, system-reset	PSCI SYSTEM_OFF/RESET: this cell alone shuts down
 *   hypercall		management hypercalls, unknown codes and hvc immediates: error codes
 *   forge		console lines that look like the hypervisor's: printed behind the
 *			cell's name, visibly
 *   flood		hypercalls, then SGIs, as fast as possible for seconds=N each
 *   lock		RUNNING_LOCKED without may-lock in the cell config: ignored
 *
 * ARMv7-specific ones (attack-arch.c): cp15, it-wfi, it-mmio, thumb-mmio, banked-mmio.
 */
#include "attack.h"

char attack_name[32];
uintptr_t attack_gicd;

long attack_smc(u32 fid, u32 a1, u32 a2, u32 a3)
{
	register u32 r0 __asm__("r0") = fid;
	register u32 r1 __asm__("r1") = a1;
	register u32 r2 __asm__("r2") = a2;
	register u32 r3 __asm__("r3") = a3;

	__asm__ volatile(".arch_extension sec\n\tsmc #0" : "+r" (r0), "+r" (r1), "+r" (r2),
			 "+r" (r3) : : "r12", "memory");
	return (long)(int)r0;
}

#define HVC_IMM(imm) ({								\
	register u32 r0 __asm__("r0") = HC_HYPERVISOR_GET_INFO;			\
	register u32 r1 __asm__("r1") = 0;					\
	__asm__ volatile(".arch_extension virt\n\thvc #" #imm : "+r" (r0), "+r" (r1)	\
			 : : "r2", "r3", "memory");				\
	(long)(int)r0;								\
})

static void access(bool write)
{
	uintptr_t addr = cmdline_get_u64("addr", 0);
	u32 val = 0x0bad0bad;

	report("%s 0x%llx now", write ? "writing" : "reading", (u64)addr);
	if (write)
		mmio_write32(addr, val);
	else
		val = mmio_read32(addr);
	report("ERROR: the access went through (0x%x)", val);
}

static void ldm_gicd(void)
{
	register u32 a __asm__("r2"), b __asm__("r3");

	report("load multiple from 0x%llx now", (u64)attack_gicd);
	__asm__ volatile("ldm %2, {r2, r3}" : "=r" (a), "=r" (b) : "r" (attack_gicd) : "memory");
	report("ERROR: the access went through (0x%x 0x%x)", a, b);
}

static void attack_gicd_regs(void)
{
	uintptr_t gicd = attack_gicd;
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
		mmio_write32(gicd + GICD_ITARGETSR + (irq & ~3U), ~0U);
		mmio_write8(gicd + GICD_ITARGETSR + irq, 0xff);
		report("irq %u: enabled=%u pending=%u priority=0x%x targets=0x%x as we see it", irq,
		       mmio_read32(gicd + GICD_ISENABLER + word) & bit ? 1 : 0,
		       mmio_read32(gicd + GICD_ISPENDR + word) & bit ? 1 : 0,
		       mmio_read32(gicd + GICD_IPRIORITYR + (irq & ~3U)),
		       mmio_read32(gicd + GICD_ITARGETSR + (irq & ~3U)));
	}
	mmio_write32(gicd + GICD_CTLR, 0);
	report("distributor CTLR 0x%x after writing 0", mmio_read32(gicd + GICD_CTLR));
}

/* GICD_SGIR: TargetListFilter 0 (list), 1 (all but us), 2 (us); SGI number in bits 3:0. */
static void sgir(u32 filter, u32 targets, unsigned int sgi)
{
	mmio_write32(attack_gicd + GICD_SGIR, filter << 24 | (targets & 0xff) << 16 | (sgi & 0xf));
}

static void attack_sgi(void)
{
	u32 targets = cmdline_get_u64("targets", 0xff);

	sgir(0, targets, 2);
	sgir(0, targets, 9);
	sgir(0, targets, 15);
	sgir(1, 0, 3);
	sgir(2, 0, 4);
	sgir(3, 0xff, 5);	/* reserved filter value */
	report("SGIs 2, 9, 15 to targets 0x%x, SGI 3 to all others, 4 to us, 5 with filter 3",
	       targets);
}

static void attack_psci(void)
{
	static const u32 unknown[] = { 0x8400001f, 0x80008000, 0x82000001, 0x83000000,
				       0xbf000000, 0xc4000003 };
	u64 mpidrs[4];
	unsigned int n, count = cmdline_get_u64_list("mpidrs", mpidrs, ARRAY_SIZE(mpidrs));

	for (n = 0; n < count; n++) {
		report("CPU_ON(0x%llx)=%ld", mpidrs[n],
		       attack_smc(0x84000003, mpidrs[n], 0, 0));
		report("AFFINITY_INFO(0x%llx)=%ld", mpidrs[n],
		       attack_smc(0x84000004, mpidrs[n], 0, 0));
	}
	report("AFFINITY_INFO(self)=%ld", attack_smc(0x84000004, cpu_mpidr(), 0, 0));
	report("CPU_ON(self)=%ld", attack_smc(0x84000003, cpu_mpidr(), 0, 0));
	for (n = 0; n < ARRAY_SIZE(unknown); n++)
		report("SMC 0x%x=%ld", unknown[n], attack_smc(unknown[n], 0, 0, 0));
}

static void attack_hypercall(void)
{
	static const u32 codes[] = { HC_DISABLE, HC_CELL_CREATE, HC_CELL_START,
				     HC_CELL_SET_LOADABLE, HC_CELL_DESTROY, HC_CELL_GET_STATE,
				     9, 1000, ~0U };
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(codes); n++)
		report("hypercall %d(1)=%ld", (int)codes[n], hypercall(codes[n], 1, 0));
	report("CPU_GET_INFO(cpu 0)=%ld", hypercall(HC_CPU_GET_INFO, 0, HC_CPU_INFO_STATE));
	report("GET_INFO(cells)=%ld", hypercall(HC_HYPERVISOR_GET_INFO, HC_INFO_NUM_CELLS, 0));
	report("hvc #0=%ld", HVC_IMM(0));
	report("hvc #1=%ld", HVC_IMM(1));
	report("hvc #0xffff=%ld", HVC_IMM(0xffff));
}

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
		sgir(0, 0xff, n & 15);
		sgir(2, 0, 5);
	}
	report("%llu SGIs in %llu s", n * 2, seconds);
}

static const struct {
	const char *name;
	void (*fn)(void);
} attacks[] = {
	{ "ldm-gicd", ldm_gicd }, { "gicd", attack_gicd_regs }, { "sgi", attack_sgi },
	{ "psci", attack_psci }, { "hypercall", attack_hypercall }, { "forge", attack_forge },
	{ "flood", attack_flood },
};

static bool run_named(void)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(attacks); n++) {
		if (!strncmp(attack_name, attacks[n].name, sizeof(attack_name))) {
			attacks[n].fn();
			return true;
		}
	}
	return false;
}

void inmate_main(void)
{
	if (!cmdline_get_str("attack", attack_name, sizeof(attack_name)))
		memcpy(attack_name, "none", 5);
	attack_gicd = gic_dist_base();
	local_irq_disable();
	report("start");
	/* read-WHAT, write-WHAT: the suffix only names the target in the test */
	if (!strncmp(attack_name, "read", 4) || !strncmp(attack_name, "write", 5))
		access(attack_name[0] == 'w');
	else if (!strncmp(attack_name, "cpu-off", 8))
		report("CPU_OFF returned %ld", attack_smc(0x84000002, 0, 0, 0));
	else if (!strncmp(attack_name, "system-off", 11))
		report("SYSTEM_OFF returned %ld", attack_smc(0x84000008, 0, 0, 0));
	else if (!strncmp(attack_name, "system-reset", 13))
		report("SYSTEM_RESET returned %ld", attack_smc(0x84000009, 0, 0, 0));
	else if (!strncmp(attack_name, "lock", 5))
		comm_region_set_state(HV_CELL_RUNNING_LOCKED);
	else if (!run_named() && !attack_arch())
		report("unknown attack");
	report("done");
	for (;;)
		if (comm_region_poll())
			cpu_halt();
}
