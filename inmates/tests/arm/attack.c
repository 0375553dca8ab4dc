// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * attack on ARMv7: a hostile cell (GICv2, HYP mode hypervisor). One attack per start, chosen by
 * the command line (attack=NAME); it prints "attack: NAME: ..." lines, then "attack: NAME: done"
 * and idles, or is stopped by the hypervisor on the way (the fatal ones).
 * tests/system/hostile-cells-arm.sh runs them all; the arm64 suite (inmates/tests/attack.c) has
 * the same names where the attack is the same.
 *
 *   read-*, write-*	addr=A: 32-bit load/store outside the cell (root RAM, another cell's
 *			RAM, the hypervisor, the GICH/physical GICC, foreign MMIO): FAILED
 *   ldrd-gicd		LDRD from the distributor (no syndrome): FAILED
 *   gicd		enable/disable/pend/activate/prioritise/regroup/reconfigure/retarget
 *			(word and byte ITARGETSR) the interrupts irqs=A,B (not ours), SGI
 *			pending bits, distributor off: ignored
 *   sgi		GICD_SGIR: SGIs to CPUs outside the cell (targets=MASK of CPU
 *			interface numbers), to all but us (filter 1) and to ourselves (filter 2)
 *   psci		CPU_ON/AFFINITY_INFO of foreign CPUs (mpidrs=...) in SMC32 and SMC64
 *			form, unknown PSCI/SMCCC/SMC services: error codes
 *   cpu-off		PSCI CPU_OFF: only this CPU stops
 *   system-off, system-reset	PSCI SYSTEM_OFF/RESET: this cell alone shuts down
 *   hypercall		management hypercalls, unknown codes and hvc immediates: error codes;
 *			the Linux hyp stub's calls (HVC_SOFT_RESTART would branch in HYP mode):
 *			refused
 *   forge		console lines that look like the hypervisor's: printed behind the
 *			cell's name
 *   flood		hypercalls, then GICD_SGIR writes, as fast as possible for seconds=N each
 *   lock		RUNNING_LOCKED without may-lock in the cell config: ignored
 * Names it does not know go to attack_arm32() (attack-cp15.c: cp15, banked registers, Thumb).
 */
#include "../attack.h"

#define GICD_DEFAULT		0x08000000UL
#define D_CTLR			0x000
#define D_IGROUPR		0x080
#define D_ISENABLER		0x100
#define D_ICENABLER		0x180
#define D_ISPENDR		0x200
#define D_ICPENDR		0x280
#define D_ISACTIVER		0x300
#define D_ICACTIVER		0x380
#define D_IPRIORITYR		0x400
#define D_ITARGETSR		0x800
#define D_ICFGR			0xc00
#define D_SGIR			0xf00
#define D_SPENDSGIR		0xf20

#define PSCI32_CPU_OFF		0x84000002
#define PSCI32_CPU_ON		0x84000003
#define PSCI32_AFFINITY_INFO	0x84000004
#define PSCI32_SYSTEM_OFF	0x84000008
#define PSCI32_SYSTEM_RESET	0x84000009
#define PSCI64_CPU_ON		0xc4000003
#define PSCI64_AFFINITY_INFO	0xc4000004

char attack_name[32];
static unsigned long gicd;

bool attack_arm32(const char *name) __attribute__((weak));

static int smc(u32 fid, u32 a1, u32 a2, u32 a3)
{
	register u32 r0 __asm__("r0") = fid;
	register u32 r1 __asm__("r1") = a1;
	register u32 r2 __asm__("r2") = a2;
	register u32 r3 __asm__("r3") = a3;

	__asm__ volatile(".arch_extension sec\n\tsmc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
	return (int)r0;
}

#define HVC_IMM(imm) ({							\
	register u32 r0 __asm__("r0") = HC_HYPERVISOR_GET_INFO;		\
	register u32 r1 __asm__("r1") = 0;				\
	__asm__ volatile(".arch_extension virt\n\thvc #" #imm			\
			 : "+r"(r0), "+r"(r1) : : "r2", "r3", "memory");	\
	(int)r0;							\
})

static u32 stub_call(u32 code, u32 arg)
{
	register u32 r0 __asm__("r0") = code;
	register u32 r1 __asm__("r1") = arg;

	__asm__ volatile(".arch_extension virt\n\thvc #0"
			 : "+r"(r0), "+r"(r1) : : "r2", "r3", "ip", "memory");
	return r0;
}

static u32 rd32(unsigned long addr)
{
	return *(volatile u32 *)addr;
}

static void wr32(unsigned long addr, u32 val)
{
	*(volatile u32 *)addr = val;
}

static void wr8(unsigned long addr, u8 val)
{
	*(volatile u8 *)addr = val;
}

static void access(bool write)
{
	unsigned long addr = cmdline_get_u64("addr", 0);
	u32 val = 0x0bad0bad;

	report("%s 0x%x now", write ? "writing" : "reading", (u32)addr);
	if (write)
		wr32(addr, val);
	else
		val = rd32(addr);
	report("ERROR: the access went through (0x%x)", val);
}

static void ldrd_gicd(void)
{
	register u32 lo __asm__("r4"), hi __asm__("r5");

	report("LDRD from 0x%x now", (u32)gicd);
	__asm__ volatile("ldrd %0, %1, [%2]" : "=r"(lo), "=r"(hi) : "r"(gicd) : "memory");
	report("ERROR: the access went through (0x%x 0x%x)", lo, hi);
}

static void attack_gicd(void)
{
	u64 irqs[4];
	unsigned int n, count = cmdline_get_u64_list("irqs", irqs, ARRAY_SIZE(irqs));

	for (n = 0; n < count; n++) {
		unsigned int irq = irqs[n], word = irq / 32 * 4;
		u32 bit = 1U << (irq % 32);

		wr32(gicd + D_ICENABLER + word, bit);
		wr32(gicd + D_ISENABLER + word, bit);
		wr32(gicd + D_ISPENDR + word, bit);
		wr32(gicd + D_ISACTIVER + word, bit);
		wr32(gicd + D_ICACTIVER + word, bit);
		wr32(gicd + D_ICPENDR + word, bit);
		wr32(gicd + D_IPRIORITYR + (irq & ~3U), 0);
		wr8(gicd + D_IPRIORITYR + irq, 0);
		wr32(gicd + D_IGROUPR + word, ~0U);
		wr32(gicd + D_ICFGR + irq / 16 * 4, ~0U);
		wr32(gicd + D_ITARGETSR + (irq & ~3U), 0x0f0f0f0f);
		wr8(gicd + D_ITARGETSR + irq, 0x08);
		report("irq %u: enabled=%u pending=%u priority=0x%x targets=0x%x as we see it", irq,
		       rd32(gicd + D_ISENABLER + word) & bit ? 1 : 0,
		       rd32(gicd + D_ISPENDR + word) & bit ? 1 : 0,
		       rd32(gicd + D_IPRIORITYR + (irq & ~3U)),
		       rd32(gicd + D_ITARGETSR + (irq & ~3U)));
	}
	/* the SGI pending bits are banked per CPU: at most our own */
	wr32(gicd + D_SPENDSGIR, ~0U);
	wr32(gicd + D_CTLR, 0);
	report("distributor CTLR 0x%x after writing 0", rd32(gicd + D_CTLR));
}

static void sgir(unsigned int filter, unsigned int targets, unsigned int sgi)
{
	wr32(gicd + D_SGIR, filter << 24 | (targets & 0xff) << 16 | (sgi & 0xf));
}

static void attack_sgi(void)
{
	unsigned int targets = cmdline_get_u64("targets", 0x7), n;
	static const unsigned int sgis[] = { 2, 9, 15 };

	for (n = 0; n < ARRAY_SIZE(sgis); n++)
		sgir(0, targets, sgis[n]);
	sgir(0, 0xff, 3);	/* every CPU interface, ours among them */
	sgir(1, 0, 4);		/* all but us */
	sgir(2, 0, 5);		/* us */
	sgir(3, 0xff, 6);	/* reserved filter */
	report("SGIs 2/9/15 to targets 0x%x, to 0xff, to all others, to us, reserved filter",
	       targets);
}

static void attack_psci(void)
{
	static const u32 unknown[] = { 0x8400001f, 0x80008000, 0xc2000001, 0x83000000,
				       0xbf000000 };
	u64 mpidrs[4];
	unsigned int n, count = cmdline_get_u64_list("mpidrs", mpidrs, ARRAY_SIZE(mpidrs));
	u32 self = cpu_mpidr() & 0xffffff;

	for (n = 0; n < count; n++) {
		u32 m = mpidrs[n];

		report("CPU_ON(0x%x)=%d", m, smc(PSCI32_CPU_ON, m, 0x100, 0));
		report("CPU_ON64(0x%x)=%d", m, smc(PSCI64_CPU_ON, m, 0x100, 0));
		report("AFFINITY_INFO(0x%x)=%d", m, smc(PSCI32_AFFINITY_INFO, m, 0, 0));
		report("AFFINITY_INFO64(0x%x)=%d", m, smc(PSCI64_AFFINITY_INFO, m, 0, 0));
	}
	report("AFFINITY_INFO(self)=%d", smc(PSCI32_AFFINITY_INFO, self, 0, 0));
	report("CPU_ON(self)=%d", smc(PSCI32_CPU_ON, self, 0x100, 0));
	for (n = 0; n < ARRAY_SIZE(unknown); n++)
		report("SMC 0x%x=%d", unknown[n], smc(unknown[n], 0, 0, 0));
}

static void attack_hypercall(void)
{
	static const u32 codes[] = { HC_DISABLE, HC_CELL_CREATE, HC_CELL_START,
				     HC_CELL_SET_LOADABLE, HC_CELL_DESTROY, HC_CELL_GET_STATE,
				     9, 1000, ~0U };
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(codes); n++)
		report("hypercall %d(1)=%d", (int)codes[n], (int)hypercall(codes[n], 1, 0));
	report("CPU_GET_INFO(cpu 0)=%d", (int)hypercall(HC_CPU_GET_INFO, 0, HC_CPU_INFO_STATE));
	report("GET_INFO(cells)=%d", (int)hypercall(HC_HYPERVISOR_GET_INFO, HC_INFO_NUM_CELLS, 0));
	report("hvc #0=%d", HVC_IMM(0));
	report("hvc #1=%d", HVC_IMM(1));
	report("hvc #2=%d", HVC_IMM(2));
	report("hvc #0xffff=%d", HVC_IMM(0xffff));
	/* the Linux stub's ABI (hvc #0): the root's alone; HVC_SOFT_RESTART would hand out HYP */
	report("stub HVC_SOFT_RESTART=0x%x", stub_call(1, (unsigned long)attack_hypercall));
	report("stub HVC_RESET_VECTORS=0x%x", stub_call(2, 0));
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

	end = timer_ticks() + seconds * timer_frequency();
	for (n = 0; timer_ticks() < end; n++) {
		hypercall(HC_HYPERVISOR_GET_INFO, HC_INFO_MEM_POOL_USED, 0);
		hypercall(n & 1 ? HC_CELL_DESTROY : 77, 1, 0);
	}
	report("%llu hypercalls in %llu s", n * 2, seconds);
	end = timer_ticks() + seconds * timer_frequency();
	for (n = 0; timer_ticks() < end; n++) {
		sgir(0, n & 2 ? 0x1 : 0x2, n & 15);
		sgir(2, 0, 5);
	}
	report("%llu SGIs in %llu s", n * 2, seconds);
}

void inmate_main(void)
{
	struct hv_comm_region *comm = comm_region();
	const struct hv_comm_arm *arm = comm ? hv_comm_arm(comm) : NULL;

	if (!cmdline_get_str("attack", attack_name, sizeof(attack_name)))
		memcpy(attack_name, "none", 5);
	gicd = arm && arm->gicd_base ? arm->gicd_base : GICD_DEFAULT;
	local_irq_disable();
	report("start");
	/* read-WHAT, write-WHAT: the suffix only names the target in the test */
	if (!strncmp(attack_name, "read", 4) || !strncmp(attack_name, "write", 5))
		access(attack_name[0] == 'w');
	else if (!strncmp(attack_name, "ldrd-gicd", 10))
		ldrd_gicd();
	else if (!strncmp(attack_name, "gicd", 5))
		attack_gicd();
	else if (!strncmp(attack_name, "sgi", 4))
		attack_sgi();
	else if (!strncmp(attack_name, "psci", 5))
		attack_psci();
	else if (!strncmp(attack_name, "cpu-off", 8))
		report("CPU_OFF returned %d", smc(PSCI32_CPU_OFF, 0, 0, 0));
	else if (!strncmp(attack_name, "system-off", 11))
		report("SYSTEM_OFF returned %d", smc(PSCI32_SYSTEM_OFF, 0, 0, 0));
	else if (!strncmp(attack_name, "system-reset", 13))
		report("SYSTEM_RESET returned %d", smc(PSCI32_SYSTEM_RESET, 0, 0, 0));
	else if (!strncmp(attack_name, "hypercall", 10))
		attack_hypercall();
	else if (!strncmp(attack_name, "forge", 6))
		attack_forge();
	else if (!strncmp(attack_name, "flood", 6))
		attack_flood();
	else if (!strncmp(attack_name, "lock", 5))
		comm_region_set_state(HV_CELL_RUNNING_LOCKED);
	else if (attack_arm32 && attack_arm32(attack_name))
		;
	else
		report("unknown attack");
	report("done");
	for (;;)
		if (comm_region_poll())
			cpu_halt();
}
