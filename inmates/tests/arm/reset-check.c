// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * reset-check (ARMv7): does a CPU start clean? Reads the state the library's start-up leaves
 * alone (PL1 cp15 registers, timers, the banked registers of the other modes, and with fp=1,
 * the default, the VFP/NEON registers), prints "reset-check: clean (N registers)" or one
 * "reset-check: DIRTY name=value" line each, then writes non-zero values into all of them
 * ("reset-check: dirtied") and waits for a shutdown request. Run it, restart the cell: the
 * second run must report clean again; with recheck, the check runs again after the dirtying
 * (a test of the checker). (arm64: tests/reset-check.c.)
 */
#include <inmate.h>

#define TPIDRURW		0, c13, c0, 2
#define TPIDRURO		0, c13, c0, 3
#define CONTEXTIDR		0, c13, c0, 1
#define TTBR0			0, c2, c0, 0
#define TTBR1			0, c2, c0, 1
#define TTBCR			0, c2, c0, 2
#define DACR			0, c3, c0, 0
#define ADFSR			0, c5, c1, 0
#define AIFSR			0, c5, c1, 1
#define PAR			0, c7, c4, 0
#define CPACR			0, c1, c0, 2
#define CNTKCTL			0, c14, c1, 0
#define CNTP_CTL		0, c14, c2, 1
#define CNTP_CVAL		2, c14

#define CPACR_CP10_CP11		(0xfU << 20)

static unsigned int checked, dirty;

static void expect_zero(const char *name, u64 value)
{
	checked++;
	if (!value)
		return;
	dirty++;
	printk("reset-check: DIRTY %s=0x%llx\n", name, value);
}

#define CHECK_CP32(reg)		expect_zero(#reg, arm_read_cp32(reg))
#define CHECK_CP64(reg)		expect_zero(#reg, arm_read_cp64(reg))

/*
 * The registers of the other modes, read and written in those modes (cps there and back, IRQs
 * masked): the banked MRS/MSR forms are UNDEFINED without the Virtualization Extensions'
 * HYP mode, i.e. bare-metal under QEMU. The value goes through r0, which no mode banks. User
 * mode's sp and lr are System mode's.
 */
#define MODE_USR		0x1f	/* System: the User registers, but privileged */
#define MODE_FIQ		0x11
#define MODE_IRQ		0x12
#define MODE_ABT		0x17
#define MODE_UND		0x1b

#define BANKED_READ(mode, insn) ({						\
	register u32 __v __asm__("r0");						\
	__asm__ volatile("cps #%c1\n\t" insn "\n\tcps #0x13"			\
			 : "=r" (__v) : "i" (mode) : "memory");			\
	__v;									\
})
#define BANKED_WRITE(mode, insn, val) do {					\
	register u32 __v __asm__("r0") = (val);					\
	__asm__ volatile("cps #%c1\n\t" insn "\n\tcps #0x13"			\
			 : : "r" (__v), "i" (mode) : "memory");			\
} while (0)

struct banked {
	const char *name;
	unsigned int mode;
	unsigned int reg;	/* 8..12: r8..r12, 13: sp, 14: lr, 15: spsr */
};

static const struct banked banked_regs[] = {
	{ "sp_usr", MODE_USR, 13 }, { "lr_usr", MODE_USR, 14 },
	{ "sp_irq", MODE_IRQ, 13 }, { "lr_irq", MODE_IRQ, 14 }, { "spsr_irq", MODE_IRQ, 15 },
	{ "sp_abt", MODE_ABT, 13 }, { "lr_abt", MODE_ABT, 14 }, { "spsr_abt", MODE_ABT, 15 },
	{ "sp_und", MODE_UND, 13 }, { "lr_und", MODE_UND, 14 }, { "spsr_und", MODE_UND, 15 },
	{ "r8_fiq", MODE_FIQ, 8 }, { "r9_fiq", MODE_FIQ, 9 }, { "r10_fiq", MODE_FIQ, 10 },
	{ "r11_fiq", MODE_FIQ, 11 }, { "r12_fiq", MODE_FIQ, 12 }, { "sp_fiq", MODE_FIQ, 13 },
	{ "lr_fiq", MODE_FIQ, 14 }, { "spsr_fiq", MODE_FIQ, 15 },
};

#define BANKED_CASES(op, m)							\
	case 8: op(m, "mov r0, r8"); case 9: op(m, "mov r0, r9");		\
	case 10: op(m, "mov r0, r10"); case 11: op(m, "mov r0, r11");		\
	case 12: op(m, "mov r0, r12"); case 13: op(m, "mov r0, sp");		\
	case 14: op(m, "mov r0, lr"); default: op(m, "mrs r0, spsr")

#define RETURN_READ(m, insn)	return BANKED_READ(m, insn)

/* The mode must be a constant for cps: one switch per mode. */
static u32 banked_read_in(unsigned int reg, unsigned int mode)
{
	switch (mode) {
	case MODE_USR:
		switch (reg) { BANKED_CASES(RETURN_READ, MODE_USR); }
	case MODE_FIQ:
		switch (reg) { BANKED_CASES(RETURN_READ, MODE_FIQ); }
	case MODE_IRQ:
		switch (reg) { BANKED_CASES(RETURN_READ, MODE_IRQ); }
	case MODE_ABT:
		switch (reg) { BANKED_CASES(RETURN_READ, MODE_ABT); }
	default:
		switch (reg) { BANKED_CASES(RETURN_READ, MODE_UND); }
	}
}

#define WRITE_CASES(m, val)							\
	switch (reg) {								\
	case 8: BANKED_WRITE(m, "mov r8, r0", val); break;			\
	case 9: BANKED_WRITE(m, "mov r9, r0", val); break;			\
	case 10: BANKED_WRITE(m, "mov r10, r0", val); break;			\
	case 11: BANKED_WRITE(m, "mov r11, r0", val); break;			\
	case 12: BANKED_WRITE(m, "mov r12, r0", val); break;			\
	case 13: BANKED_WRITE(m, "mov sp, r0", val); break;			\
	case 14: BANKED_WRITE(m, "mov lr, r0", val); break;			\
	default: BANKED_WRITE(m, "msr spsr_fsxc, r0", val); break;		\
	}

static void banked_write_in(unsigned int reg, unsigned int mode, u32 val)
{
	switch (mode) {
	case MODE_USR: WRITE_CASES(MODE_USR, val); break;
	case MODE_FIQ: WRITE_CASES(MODE_FIQ, val); break;
	case MODE_IRQ: WRITE_CASES(MODE_IRQ, val); break;
	case MODE_ABT: WRITE_CASES(MODE_ABT, val); break;
	default: WRITE_CASES(MODE_UND, val); break;
	}
}

static void fp_on(void)
{
	arm_write_cp32(CPACR, arm_read_cp32(CPACR) | CPACR_CP10_CP11);
	isb();
	__asm__ volatile(".fpu neon-vfpv4\n\tvmsr fpexc, %0" : : "r" (1U << 30));	/* EN */
	isb();
}

/* d<n> through general registers (the library is built without FP code). */
#define CHECK_D(n) ({								\
	u32 __lo, __hi;								\
	__asm__ volatile(".fpu neon-vfpv4\n\tvmov %0, %1, d" #n : "=r" (__lo), "=r" (__hi)); \
	expect_zero("d" #n, (u64)__hi << 32 | __lo);				\
})
#define DIRTY_D(n) \
	__asm__ volatile(".fpu neon-vfpv4\n\tvmov d" #n ", %0, %0" : : "r" (0x5a5a0000U + n))

static void check_fp(void)
{
	u32 fpscr;

	fp_on();
	__asm__ volatile(".fpu neon-vfpv4\n\tvmrs %0, fpscr" : "=r" (fpscr));
	expect_zero("fpscr", fpscr);
	CHECK_D(0); CHECK_D(1); CHECK_D(2); CHECK_D(3); CHECK_D(4); CHECK_D(5); CHECK_D(6);
	CHECK_D(7); CHECK_D(8); CHECK_D(9); CHECK_D(10); CHECK_D(11); CHECK_D(12); CHECK_D(13);
	CHECK_D(14); CHECK_D(15); CHECK_D(16); CHECK_D(17); CHECK_D(18); CHECK_D(19);
	CHECK_D(20); CHECK_D(21); CHECK_D(22); CHECK_D(23); CHECK_D(24); CHECK_D(25);
	CHECK_D(26); CHECK_D(27); CHECK_D(28); CHECK_D(29); CHECK_D(30); CHECK_D(31);
}

static void dirty_fp(void)
{
	__asm__ volatile(".fpu neon-vfpv4\n\tvmsr fpscr, %0" : : "r" (0x03000000U));
	DIRTY_D(0); DIRTY_D(1); DIRTY_D(2); DIRTY_D(3); DIRTY_D(4); DIRTY_D(5); DIRTY_D(6);
	DIRTY_D(7); DIRTY_D(8); DIRTY_D(9); DIRTY_D(10); DIRTY_D(11); DIRTY_D(12); DIRTY_D(13);
	DIRTY_D(14); DIRTY_D(15); DIRTY_D(16); DIRTY_D(17); DIRTY_D(18); DIRTY_D(19);
	DIRTY_D(20); DIRTY_D(21); DIRTY_D(22); DIRTY_D(23); DIRTY_D(24); DIRTY_D(25);
	DIRTY_D(26); DIRTY_D(27); DIRTY_D(28); DIRTY_D(29); DIRTY_D(30); DIRTY_D(31);
}

static void check_all(bool fp)
{
	u64 skew;

	expect_zero("sctlr.m", arm_read_cp32(SCTLR) & 1);
	CHECK_CP32(TPIDRURW);
	CHECK_CP32(TPIDRURO);
	CHECK_CP32(CONTEXTIDR);
	CHECK_CP32(TTBR0);
	CHECK_CP32(TTBR1);
	CHECK_CP32(TTBCR);
	CHECK_CP32(DACR);
	CHECK_CP32(ADFSR);
	CHECK_CP32(AIFSR);
	CHECK_CP32(PAR);
	CHECK_CP32(DFSR);
	CHECK_CP32(IFSR);
	CHECK_CP32(DFAR);
	CHECK_CP32(IFAR);
	CHECK_CP32(CNTKCTL);
	CHECK_CP64(CNTV_CVAL);
	expect_zero("cntv_ctl.enable", arm_read_cp32(CNTV_CTL) & 1);
	CHECK_CP64(CNTP_CVAL);
	expect_zero("cntp_ctl.enable", arm_read_cp32(CNTP_CTL) & 1);
	/* CNTVOFF is invisible here, but virtual and physical counters must agree */
	skew = arm_read_cp64(CNTPCT) - arm_read_cp64(CNTVCT);
	if ((long long)skew < 0)
		skew = -skew;
	expect_zero("cntvoff (physical and virtual counter 1 ms apart)",
		    skew > timer_frequency() / 1000 ? skew : 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(banked_regs); i++)
		expect_zero(banked_regs[i].name,
			    banked_read_in(banked_regs[i].reg, banked_regs[i].mode));
	if (fp)
		check_fp();
}

static void dirty_all(bool fp)
{
	arm_write_cp32(TPIDRURW, 0x1111);
	arm_write_cp32(TPIDRURO, 0x2222);
	arm_write_cp32(CONTEXTIDR, 0x33);
	arm_write_cp32(TTBR0, 0x44000);
	arm_write_cp32(TTBR1, 0x45000);
	arm_write_cp32(TTBCR, 1);
	arm_write_cp32(DACR, 0x55555555);
	arm_write_cp32(ADFSR, 0x6);
	arm_write_cp32(AIFSR, 0x7);
	arm_write_cp32(PAR, 0x88000);
	arm_write_cp32(DFSR, 0x9);
	arm_write_cp32(IFSR, 0xa);
	arm_write_cp32(DFAR, 0xbbbb);
	arm_write_cp32(IFAR, 0xcccc);
	arm_write_cp32(CNTKCTL, 0x3);
	arm_write_cp64(CNTP_CVAL, ~0ULL);
	arm_write_cp32(CNTP_CTL, 3);		/* enabled, masked: never fires */
	arm_write_cp64(CNTV_CVAL, ~0ULL);
	arm_write_cp32(CNTV_CTL, 3);
	/* not the SVC ones we run on; spsr values with a valid mode (SVC, masked) */
	for (unsigned int i = 0; i < ARRAY_SIZE(banked_regs); i++)
		banked_write_in(banked_regs[i].reg, banked_regs[i].mode,
				banked_regs[i].reg == 15 ? 0x1d3 : 0x1000 + i);
	if (fp)
		dirty_fp();
	isb();
}

void inmate_main(void)
{
	bool fp = cmdline_get_bool("fp", true);

	check_all(fp);
	if (dirty)
		printk("reset-check: %u of %u registers DIRTY at start\n", dirty, checked);
	else
		printk("reset-check: clean (%u registers)\n", checked);
	dirty_all(fp);
	printk("reset-check: dirtied\n");
	/* recheck: the checker itself, which must now see (nearly) everything as dirty */
	if (cmdline_get_bool("recheck", false)) {
		checked = dirty = 0;
		check_all(fp);
		printk("reset-check: recheck: %u of %u registers DIRTY\n", dirty, checked);
	}
	while (!comm_region_poll())
		cpu_relax();
	cpu_halt();
}
