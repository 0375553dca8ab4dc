// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * reset-check: does a CPU start clean? Reads the state the library's start-up leaves alone
 * (EL1 system registers, FP/SIMD registers, timers, PMU, debug registers), prints
 * "reset-check: clean (N registers)" or one "reset-check: DIRTY name=value" line each, then
 * writes non-zero values into all of them ("reset-check: dirtied") and waits for a shutdown
 * request. Run it, restart the cell: the second run must report clean again.
 */
#include <inmate.h>

#define SYSREG_ENTRY(reg, val) { #reg, val }

struct reg_value {
	const char *name;
	u64 value;
};

static unsigned int checked, dirty;

static void expect_zero(const char *name, u64 value)
{
	checked++;
	if (!value)
		return;
	dirty++;
	printk("reset-check: DIRTY %s=0x%llx\n", name, value);
}

#define CHECK_SYSREG(reg) expect_zero(#reg, read_sysreg(reg))

/* v<n>: both halves, through general registers (the library is built without FP code) */
#define CHECK_V(n) do {								\
	u64 lo, hi;								\
	__asm__ volatile(".arch_extension fp\n.arch_extension simd\n"		\
			 "fmov %0, d" #n "\nmov %1, v" #n ".d[1]"		\
			 : "=r"(lo), "=r"(hi));					\
	expect_zero("v" #n, lo | hi);						\
} while (0)

#define DIRTY_V(n) __asm__ volatile(".arch_extension fp\n.arch_extension simd\n"	\
				    "dup v" #n ".2d, %0" : : "r"(0x5a5a0000UL + n))

static void check_fpsimd(void)
{
	CHECK_V(0); CHECK_V(1); CHECK_V(2); CHECK_V(3); CHECK_V(4); CHECK_V(5); CHECK_V(6);
	CHECK_V(7); CHECK_V(8); CHECK_V(9); CHECK_V(10); CHECK_V(11); CHECK_V(12); CHECK_V(13);
	CHECK_V(14); CHECK_V(15); CHECK_V(16); CHECK_V(17); CHECK_V(18); CHECK_V(19);
	CHECK_V(20); CHECK_V(21); CHECK_V(22); CHECK_V(23); CHECK_V(24); CHECK_V(25);
	CHECK_V(26); CHECK_V(27); CHECK_V(28); CHECK_V(29); CHECK_V(30); CHECK_V(31);
}

static void dirty_fpsimd(void)
{
	DIRTY_V(0); DIRTY_V(1); DIRTY_V(2); DIRTY_V(3); DIRTY_V(4); DIRTY_V(5); DIRTY_V(6);
	DIRTY_V(7); DIRTY_V(8); DIRTY_V(9); DIRTY_V(10); DIRTY_V(11); DIRTY_V(12); DIRTY_V(13);
	DIRTY_V(14); DIRTY_V(15); DIRTY_V(16); DIRTY_V(17); DIRTY_V(18); DIRTY_V(19);
	DIRTY_V(20); DIRTY_V(21); DIRTY_V(22); DIRTY_V(23); DIRTY_V(24); DIRTY_V(25);
	DIRTY_V(26); DIRTY_V(27); DIRTY_V(28); DIRTY_V(29); DIRTY_V(30); DIRTY_V(31);
}

static bool have_pmu(void)
{
	u64 ver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf;

	return ver && ver != 0xf;
}

static void check_all(void)
{
	u64 skew;

	CHECK_SYSREG(tpidr_el0);
	CHECK_SYSREG(tpidrro_el0);
	CHECK_SYSREG(contextidr_el1);
	CHECK_SYSREG(ttbr1_el1);
	CHECK_SYSREG(amair_el1);
	CHECK_SYSREG(par_el1);
	CHECK_SYSREG(afsr0_el1);
	CHECK_SYSREG(afsr1_el1);
	CHECK_SYSREG(far_el1);
	CHECK_SYSREG(esr_el1);
	CHECK_SYSREG(cntkctl_el1);
	CHECK_SYSREG(cntv_cval_el0);
	expect_zero("cntv_ctl_el0.enable", read_sysreg(cntv_ctl_el0) & 1);
	CHECK_SYSREG(cntp_cval_el0);
	expect_zero("cntp_ctl_el0.enable", read_sysreg(cntp_ctl_el0) & 1);
	/* CNTVOFF_EL2 is invisible here, but virtual and physical counters must agree */
	skew = read_sysreg(cntpct_el0) - read_sysreg(cntvct_el0);
	if ((int64_t)skew < 0)
		skew = -skew;
	expect_zero("cntvoff (physical and virtual counter 1 ms apart)",
		    skew > timer_frequency() / 1000 ? skew : 0);
	CHECK_SYSREG(mdscr_el1);
	CHECK_SYSREG(dbgbvr0_el1);
	CHECK_SYSREG(dbgbcr0_el1);
	CHECK_SYSREG(dbgbvr1_el1);
	CHECK_SYSREG(dbgbcr1_el1);
	CHECK_SYSREG(dbgwvr0_el1);
	CHECK_SYSREG(dbgwcr0_el1);
	CHECK_SYSREG(dbgwvr1_el1);
	CHECK_SYSREG(dbgwcr1_el1);
	if (have_pmu()) {
		expect_zero("pmcr_el0.enable", read_sysreg(pmcr_el0) & 1);
		CHECK_SYSREG(pmcntenset_el0);
		CHECK_SYSREG(pmintenset_el1);
		CHECK_SYSREG(pmovsset_el0);
		CHECK_SYSREG(pmuserenr_el0);
		CHECK_SYSREG(pmselr_el0);
		CHECK_SYSREG(pmccfiltr_el0);
		CHECK_SYSREG(pmccntr_el0);
	}
	check_fpsimd();
}

static void dirty_all(void)
{
	write_sysreg(tpidr_el0, 0x1111);
	write_sysreg(tpidrro_el0, 0x2222);
	write_sysreg(contextidr_el1, 0x33);
	write_sysreg(ttbr1_el1, 0x44000);
	write_sysreg(amair_el1, 0x55);
	write_sysreg(par_el1, 0x66000);
	write_sysreg(afsr0_el1, 0x7);
	write_sysreg(afsr1_el1, 0x8);
	write_sysreg(far_el1, 0x9999);
	write_sysreg(esr_el1, 0xaa);
	write_sysreg(cntkctl_el1, 0x3);
	write_sysreg(cntp_cval_el0, ~0UL);
	write_sysreg(cntp_ctl_el0, 3);		/* enabled, masked: never fires */
	write_sysreg(cntv_cval_el0, ~0UL);
	write_sysreg(cntv_ctl_el0, 3);
	write_sysreg(dbgbvr0_el1, 0x100000);
	write_sysreg(dbgbvr1_el1, 0x200000);
	write_sysreg(dbgwvr0_el1, 0x300000);
	write_sysreg(dbgwvr1_el1, 0x400000);
	/* control registers: configured, but disabled (E = 0), so nothing triggers */
	write_sysreg(dbgbcr0_el1, 0x1e6);
	write_sysreg(dbgbcr1_el1, 0x1e6);
	write_sysreg(dbgwcr0_el1, 0x1fe6);
	write_sysreg(dbgwcr1_el1, 0x1fe6);
	write_sysreg(mdscr_el1, 1UL << 12);	/* TDCC: EL0 DCC access traps */
	if (have_pmu()) {
		write_sysreg(pmselr_el0, 3);
		write_sysreg(pmccfiltr_el0, 1UL << 27);	/* NSH: count at EL2 too */
		write_sysreg(pmuserenr_el0, 1);
		write_sysreg(pmcntenset_el0, 1UL << 31);	/* cycle counter */
		write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | 1);
	}
	dirty_fpsimd();
	isb();
}

void inmate_main(void)
{
	check_all();
	if (dirty)
		printk("reset-check: %u of %u registers DIRTY at start\n", dirty, checked);
	else
		printk("reset-check: clean (%u registers)\n", checked);
	dirty_all();
	printk("reset-check: dirtied\n");
	while (!comm_region_poll())
		cpu_relax();
	cpu_halt();
}
