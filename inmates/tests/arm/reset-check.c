// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * reset-check on ARMv7: does a CPU start clean? Reads the state the library's start-up leaves
 * alone (cp15 registers of PL1 and PL0 but TPIDRPRW and VBAR, its own; the banked registers of
 * the modes the library does not run in, the virtual timer, VFP/Advanced SIMD registers),
 * prints "reset-check: clean (N registers)" or one "reset-check: DIRTY name=value" line each, then writes non-zero values
 * into all of them ("reset-check: dirtied") and waits for a shutdown request. Run it, restart
 * the cell: the second run must report clean again (tests/system/cells-arm.sh). Whatever Linux
 * or an earlier cell left in one of these would leak into the next cell.
 */
#include <inmate.h>

static unsigned int checked, dirty;

static void expect(const char *name, u64 value, u64 want)
{
	checked++;
	if (value == want)
		return;
	dirty++;
	printk("reset-check: DIRTY %s=0x%llx\n", name, value);
}

/*
 * Generated accessors: a table of asm strings cannot be used with "asm volatile" operands at
 * run time, so each register gets a read and a write function through these macros.
 */
#define RD32(fn, insn) static u32 fn(void) { u32 v; __asm__ volatile(insn : "=r"(v)); return v; }
#define WR32(fn, insn) static void fn(u32 v) { __asm__ volatile(insn : : "r"(v)); }
#define RD64(fn, insn) static u64 fn(void)						\
	{ u32 lo, hi; __asm__ volatile(insn : "=r"(lo), "=r"(hi)); return (u64)hi << 32 | lo; }
#define WR64(fn, insn) static void fn(u64 v)						\
	{ __asm__ volatile(insn : : "r"((u32)v), "r"((u32)(v >> 32))); }
#define CP32(name, op1, crn, crm, op2)							\
	RD32(rd_##name, "mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2)		\
	WR32(wr_##name, "mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2)
#define CP64(name, op1, crm)								\
	RD64(rd_##name, "mrrc p15, " #op1 ", %0, %1, " #crm)				\
	WR64(wr_##name, "mcrr p15, " #op1 ", %0, %1, " #crm)
#define BANKED(name)									\
	RD32(rd_##name, ".arch_extension virt\n\tmrs %0, " #name)			\
	WR32(wr_##name, ".arch_extension virt\n\tmsr " #name ", %0")

CP32(dfsr, 0, c5, c0, 0)
CP32(ifsr, 0, c5, c0, 1)
CP32(adfsr, 0, c5, c1, 0)
CP32(aifsr, 0, c5, c1, 1)
CP32(dfar, 0, c6, c0, 0)
CP32(ifar, 0, c6, c0, 2)
CP32(contextidr, 0, c13, c0, 1)
CP32(tpidrurw, 0, c13, c0, 2)
CP32(tpidruro, 0, c13, c0, 3)
CP32(cntkctl, 0, c14, c1, 0)
CP32(cntv_ctl, 0, c14, c3, 1)
CP64(par, 0, c7)
CP64(cntv_cval, 3, c14)
BANKED(r8_fiq)
BANKED(r9_fiq)
BANKED(r10_fiq)
BANKED(r11_fiq)
BANKED(r12_fiq)
BANKED(sp_fiq)
BANKED(lr_fiq)
BANKED(spsr_fiq)
BANKED(sp_usr)
BANKED(lr_usr)
BANKED(lr_abt)
BANKED(spsr_abt)
BANKED(lr_und)
BANKED(spsr_und)
BANKED(spsr_irq)

struct reg32 {
	const char *name;
	u32 (*rd)(void);
	void (*wr)(u32 v);
};

struct reg64 {
	const char *name;
	u64 (*rd)(void);
	void (*wr)(u64 v);
};

#define R(name) { #name, rd_##name, wr_##name }

static const struct reg32 regs32[] = {
	R(dfsr), R(ifsr), R(adfsr), R(aifsr), R(dfar), R(ifar), R(contextidr), R(tpidrurw),
	R(tpidruro), R(cntkctl), R(cntv_ctl),
	R(r8_fiq), R(r9_fiq), R(r10_fiq), R(r11_fiq), R(r12_fiq), R(sp_fiq), R(lr_fiq),
	R(spsr_fiq), R(sp_usr), R(lr_usr), R(lr_abt), R(spsr_abt), R(lr_und), R(spsr_und),
	R(spsr_irq),
};

static const struct reg64 regs64[] = { R(par), R(cntv_cval) };

/* VFP: enabled here (CPACR cp10/cp11, FPEXC.EN); both are checked before, as they come. */
RD32(rd_cpacr, "mrc p15, 0, %0, c1, c0, 2")
WR32(wr_cpacr, "mcr p15, 0, %0, c1, c0, 2")
RD32(rd_fpexc, ".fpu vfpv3\n\tvmrs %0, fpexc")
WR32(wr_fpexc, ".fpu vfpv3\n\tvmsr fpexc, %0")
RD32(rd_fpscr, ".fpu vfpv3\n\tvmrs %0, fpscr")
WR32(wr_fpscr, ".fpu vfpv3\n\tvmsr fpscr, %0")

#define VFP_D(n)									\
	static u64 rd_d##n(void)							\
	{ u32 lo, hi; __asm__ volatile(".fpu neon-vfpv4\n\tvmov %0, %1, d" #n		\
				       : "=r"(lo), "=r"(hi)); return (u64)hi << 32 | lo; }	\
	static void wr_d##n(u64 v)							\
	{ __asm__ volatile(".fpu neon-vfpv4\n\tvmov d" #n ", %0, %1"			\
			   : : "r"((u32)v), "r"((u32)(v >> 32))); }
VFP_D(0) VFP_D(1) VFP_D(2) VFP_D(3) VFP_D(4) VFP_D(5) VFP_D(6) VFP_D(7)
VFP_D(8) VFP_D(9) VFP_D(10) VFP_D(11) VFP_D(12) VFP_D(13) VFP_D(14) VFP_D(15)
VFP_D(16) VFP_D(17) VFP_D(18) VFP_D(19) VFP_D(20) VFP_D(21) VFP_D(22) VFP_D(23)
VFP_D(24) VFP_D(25) VFP_D(26) VFP_D(27) VFP_D(28) VFP_D(29) VFP_D(30) VFP_D(31)

#define D(n) { "d" #n, rd_d##n, wr_d##n }
static const struct reg64 vfp[] = {
	D(0), D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8), D(9), D(10), D(11), D(12), D(13),
	D(14), D(15), D(16), D(17), D(18), D(19), D(20), D(21), D(22), D(23), D(24), D(25),
	D(26), D(27), D(28), D(29), D(30), D(31),
};

void inmate_main(void)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(regs32); n++)
		expect(regs32[n].name, regs32[n].rd(), 0);
	for (n = 0; n < ARRAY_SIZE(regs64); n++)
		expect(regs64[n].name, regs64[n].rd(), 0);
	expect("cpacr", rd_cpacr(), 0);
	wr_cpacr(0xfU << 20);
	__asm__ volatile("isb");
	expect("fpexc", rd_fpexc(), 0);
	wr_fpexc(1U << 30);
	expect("fpscr", rd_fpscr(), 0);
	for (n = 0; n < ARRAY_SIZE(vfp); n++)
		expect(vfp[n].name, vfp[n].rd(), 0);
	if (dirty)
		printk("reset-check: %u of %u registers dirty\n", dirty, checked);
	else
		printk("reset-check: clean (%u registers)\n", checked);

	for (n = 0; n < ARRAY_SIZE(regs32); n++)
		regs32[n].wr(0x5a5a0000 + n);
	for (n = 0; n < ARRAY_SIZE(vfp); n++)
		vfp[n].wr(0x5a5a5a5a00000000ULL + n);
	wr_fpscr(0x03000000);
	wr_par(0x5a5a5a5aULL << 32 | 0x800);
	wr_cntv_cval(0x5a5a5a5a5aULL);
	/* the timer left masked: dirty, but no interrupt storm meanwhile */
	wr_cntv_ctl(2);
	printk("reset-check: dirtied\n");
	for (;;)
		if (comm_region_poll())
			cpu_halt();
}
