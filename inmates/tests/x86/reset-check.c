// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * reset-check (x86): does a CPU start clean? Compares the state the first CPU started with
 * (registers saved by the real-mode entry, the local APIC before the library set it up: struct
 * x86_entry_state) with the cell-start contract (common.md) and the INIT state, then reads
 * what the library leaves alone (debug registers, CR2, the MSRs SVM keeps per guest, x87/SSE
 * state through FXSAVE). Prints "reset-check: clean (N registers)" or one
 * "reset-check: DIRTY name=value (want ...)" line each, then writes non-reset values into all
 * of them ("reset-check: dirtied") and waits for a shutdown request. Run it, restart the
 * cell: the second run must report clean again.
 *
 * Bare-metal the local APIC is as SeaBIOS left it (enabled, LINT0 ExtINT, LINT1 NMI): expect
 * those APIC lines there.
 */
#include <inmate.h>

#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_PAT			0x277
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_KERNEL_GS_BASE	0xc0000102

#define PAT_RESET		0x0007040600070406UL
#define EFER_SVME		(1UL << 12)
#define EFER_NXE		(1UL << 11)
#define CR4_PGE			(1UL << 7)
#define CR4_OSFXSR		(1UL << 9)
#define CR4_OSXMMEXCPT		(1UL << 10)
#define CR0_RESET		0x60000010
#define FCW_RESET		0x0040	/* after RESET/INIT; FNINIT gives 0x037f */
#define FCW_FNINIT		0x037f
#define MXCSR_RESET		0x1f80
#define APIC_LVT_RESET		APIC_LVT_MASKED
#define APIC_SVR_RESET		0xff

static unsigned int checked, dirty;

static void expect(const char *name, u64 value, u64 want)
{
	checked++;
	if (value == want)
		return;
	dirty++;
	printk("reset-check: DIRTY %s=0x%llx (want 0x%llx)\n", name, value, want);
}

#define READ_DR(n) ({ u64 __v; __asm__ volatile("mov %%db" #n ", %0" : "=r" (__v)); __v; })
#define WRITE_DR(n, v) __asm__ volatile("mov %0, %%db" #n : : "r" ((u64)(v)))

static u64 read_cr4(void)
{
	u64 v;

	__asm__ volatile("mov %%cr4, %0" : "=r" (v));
	return v;
}

static void write_cr4(u64 v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r" (v) : "memory");
}

/* The FXSAVE image: x87 control/status, MXCSR, ST0-7 (16 bytes each), XMM0-15. */
struct fxsave {
	u16 fcw, fsw;
	u8 ftw, pad0;
	u16 fop;
	u64 fip, fdp;
	u32 mxcsr, mxcsr_mask;
	u64 st[8][2];
	u64 xmm[16][2];
	u8 reserved[96];
};

_Static_assert(sizeof(struct fxsave) == 512, "fxsave layout");

static struct fxsave fx __aligned(16);

static void check_entry(void)
{
	const struct x86_entry_state *e = &entry_state;

	expect("eax", e->eax, 0);
	expect("ebx", e->ebx, 0);
	expect("ecx", e->ecx, 0);
	expect("edx", e->edx, 0);
	expect("esi", e->esi, 0);
	expect("edi", e->edi, 0);
	expect("ebp", e->ebp, 0);
	expect("esp", e->esp, 0);
	expect("eflags", e->eflags, 2);
	expect("ds", e->ds, 0);
	expect("es", e->es, 0);
	expect("fs", e->fs, 0);
	expect("gs", e->gs, 0);
	expect("ss", e->ss, 0);
	expect("cr0", e->cr0, CR0_RESET);
	expect("cr3", e->cr3, 0);
	expect("cr4", e->cr4, 0);
	/* A guest may see SVME, which SVM requires set in its VMCB. */
	expect("efer", e->efer & ~EFER_SVME, 0);
	expect("gs.base", e->gs_base, 0);
	expect("apic svr", e->apic_svr, APIC_SVR_RESET);
	expect("apic tpr", e->apic_tpr, 0);
	expect("apic lvt timer", e->apic_lvt_timer, APIC_LVT_RESET);
	expect("apic lvt lint0", e->apic_lint0, APIC_LVT_RESET);
	expect("apic lvt lint1", e->apic_lint1, APIC_LVT_RESET);
	expect("apic lvt error", e->apic_lvt_error, APIC_LVT_RESET);
	expect("apic tmict", e->apic_tmict, 0);
	expect("apic tdcr", e->apic_tdcr, 0);
}

static void check_now(void)
{
	unsigned int i;

	expect("dr0", READ_DR(0), 0);
	expect("dr1", READ_DR(1), 0);
	expect("dr2", READ_DR(2), 0);
	expect("dr3", READ_DR(3), 0);
	expect("dr6", READ_DR(6), 0xffff0ff0);
	expect("dr7", READ_DR(7), 0x400);
	expect("cr2", read_cr2(), 0);
	expect("fs.base", rdmsr(MSR_FS_BASE), 0);
	expect("kernel_gs.base", rdmsr(MSR_KERNEL_GS_BASE), 0);
	expect("star", rdmsr(MSR_STAR), 0);
	expect("lstar", rdmsr(MSR_LSTAR), 0);
	expect("cstar", rdmsr(MSR_CSTAR), 0);
	expect("sfmask", rdmsr(MSR_SFMASK), 0);
	expect("sysenter_cs", rdmsr(MSR_SYSENTER_CS), 0);
	expect("sysenter_esp", rdmsr(MSR_SYSENTER_ESP), 0);
	expect("sysenter_eip", rdmsr(MSR_SYSENTER_EIP), 0);
	expect("pat", rdmsr(MSR_PAT), PAT_RESET);

	/* FXSAVE saves MXCSR and the XMM registers only with CR4.OSFXSR (set by the dirtying). */
	write_cr4(read_cr4() | CR4_OSFXSR);
	__asm__ volatile("fxsave64 %0" : "=m" (fx));
	expect("x87 fcw", fx.fcw == FCW_FNINIT ? FCW_RESET : fx.fcw, FCW_RESET);
	expect("x87 fsw", fx.fsw, 0);
	expect("x87 ftw", fx.ftw, 0);
	expect("x87 fop", fx.fop, 0);
	expect("x87 fip", fx.fip, 0);
	expect("x87 fdp", fx.fdp, 0);
	expect("mxcsr", fx.mxcsr, MXCSR_RESET);
	for (i = 0; i < 8; i++) {
		char name[8];

		snprintk(name, sizeof(name), "st%u", i);
		expect(name, fx.st[i][0] | (fx.st[i][1] & 0xffff), 0);
	}
	for (i = 0; i < 16; i++) {
		char name[8];

		snprintk(name, sizeof(name), "xmm%u", i);
		expect(name, fx.xmm[i][0] | fx.xmm[i][1], 0);
	}
}

static bool have_nx(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000001)
		return false;
	cpuid(0x80000001, &a, &b, &c, &d);
	return d & (1U << 20);
}

/* Non-reset values everywhere; nothing of it can fire (breakpoints on unused addresses). */
static void dirty_all(void)
{
	u16 fcw = 0x027f;
	u32 mxcsr = 0x1fa0;

	WRITE_DR(0, 0x5a5a0000);
	WRITE_DR(1, 0x5a5a1000);
	WRITE_DR(2, 0x5a5a2000);
	WRITE_DR(3, 0x5a5a3000);
	WRITE_DR(7, 0x401);
	__asm__ volatile("mov %0, %%cr2" : : "r" (0x5a5a5a5aUL));
	wrmsr(MSR_FS_BASE, 0x5a5a0100);
	wrmsr(MSR_KERNEL_GS_BASE, 0x5a5a0200);
	wrmsr(MSR_STAR, 0x0023001000000000UL);
	wrmsr(MSR_LSTAR, 0x5a5a0300);
	wrmsr(MSR_CSTAR, 0x5a5a0400);
	wrmsr(MSR_SFMASK, 0x4700);
	wrmsr(MSR_SYSENTER_CS, 0x10);
	wrmsr(MSR_SYSENTER_ESP, 0x5a5a0500);
	wrmsr(MSR_SYSENTER_EIP, 0x5a5a0600);
	wrmsr(MSR_PAT, 0x0007010600070106UL);
	if (have_nx())
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr4(read_cr4() | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fldcw %0; fld1; fldpi; ldmxcsr %1" : : "m" (fcw), "m" (mxcsr));
	__asm__ volatile("movq %0, %%xmm0; movq %0, %%xmm7; movq %0, %%xmm8; movq %0, %%xmm15"
			 : : "r" (0x5a5a5a5a5a5a5a5aUL));
	apic_write(APIC_TPR, 0x20);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED | 0x42);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED | 0x43);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED | 0x44);
	apic_write(APIC_TDCR, 0x3);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_LVT_PERIODIC | 0x45);
	apic_write(APIC_TMICT, 0xffffffff);
}

void inmate_main(void)
{
	check_entry();
	check_now();
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
