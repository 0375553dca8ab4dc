// SPDX-License-Identifier: GPL-2.0
/*
 * Exit handlers. Without NRIPS (QEMU TCG has none) the instruction lengths are known here:
 * VMMCALL 3, CPUID 2, RDMSR/WRMSR 2, INVD 2, HLT 1; IN/OUT continue at EXITINFO2.
 */
#include <asm/x86.h>

#define R_RAX	0
#define R_RCX	1
#define R_RDX	2
#define R_RSI	6
#define R_RDI	7

#define MSR_VM_CR_VALUE		VM_CR_SVMDIS	/* guests see SVM disabled */
/* EFER bits a guest may write: SCE, LME, LMA, NXE, SVME (kept set), LMSLE, FFXSR, TCE */
#define EFER_WRITABLE		0xfd01ULL
#define CPUID1_ECX_MONITOR	(1u << 3)
#define CPUID1_ECX_VMX		(1u << 5)
#define CPUID1_ECX_HYPERVISOR	(1u << 31)
#define CPUIDX1_ECX_SVM		(1u << 2)

static bool is_root(const struct per_cpu *cpu)
{
	return cpu->cell == &hv.root;
}

static void set_result32(uint64_t *reg, u32 value)
{
	*reg = value;		/* a 32-bit result zero-extends, as the CPU does */
}

static void handle_cpuid(struct per_cpu *cpu)
{
	uint64_t *regs = cpu->arch.regs;
	u32 leaf = regs[R_RAX], a = leaf, b = 0, c = regs[R_RCX], d = 0;
	static const char sig[12] = HV_X86_CPUID_SIGNATURE;

	stat_inc(cpu, EXIT_CPUID);
	if ((leaf & 0xffffff00) == HV_X86_CPUID_SIGNATURE_LEAF) {
		a = c = 0;
		if (leaf == HV_X86_CPUID_SIGNATURE_LEAF) {
			a = HV_X86_CPUID_SIGNATURE_LEAF;
			memcpy(&b, sig, 4);
			memcpy(&c, sig + 4, 4);
			memcpy(&d, sig + 8, 4);
		}
	} else {
		cpuid(&a, &b, &c, &d);
		if (leaf == 1) {
			/* no MONITOR: Linux's offline CPUs then halt, which parks them */
			c &= ~(CPUID1_ECX_MONITOR | CPUID1_ECX_VMX);
			c |= CPUID1_ECX_HYPERVISOR;
		} else if (leaf == 0x80000001) {
			c &= ~CPUIDX1_ECX_SVM;
		} else if (leaf == 0x8000000a) {
			a = b = c = d = 0;
		}
	}
	set_result32(&regs[R_RAX], a);
	set_result32(&regs[3], b);
	set_result32(&regs[R_RCX], c);
	set_result32(&regs[R_RDX], d);
	cpu_vmcb(cpu)->rip += 2;
}

/* The intercepted MSRs (cell.c's bitmaps): what a guest may see of them. */
static bool msr_read(struct per_cpu *cpu, u32 msr, u64 *val)
{
	switch (msr) {
	case MSR_EFER:
		*val = cpu_vmcb(cpu)->efer & ~EFER_SVME;
		return true;
	case MSR_VM_CR:
		*val = MSR_VM_CR_VALUE;
		return true;
	case MSR_VM_HSAVE_PA:
		*val = 0;
		return true;
	case MSR_APIC_BASE:
		*val = rdmsr(MSR_APIC_BASE);
		return true;
	case 0x10:			/* TSC: the cells' bitmap lets reads through */
		*val = rdtsc();
		return true;
	case MSR_PAT:
		*val = cpu_vmcb(cpu)->g_pat;
		return true;
	}
	return false;
}

/* Each of the 8 entries a memory type: UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7. */
static bool pat_valid(u64 val)
{
	unsigned int n, type;

	for (n = 0; n < 8; n++) {
		type = (val >> (8 * n)) & 0xff;
		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

static bool msr_write(struct per_cpu *cpu, u32 msr, u64 val)
{
	switch (msr) {
	case MSR_EFER:
		/* SVME stays set under the guest: VMRUN needs it */
		cpu_vmcb(cpu)->efer = val | EFER_SVME;
		cpu_vmcb(cpu)->tlb_control = TLB_CONTROL_FLUSH_ALL;
		return true;
	case MSR_VM_CR:
	case MSR_VM_HSAVE_PA:
		return true;		/* ignored */
	case MSR_APIC_BASE:
		/* the xAPIC stays where and as it is: only the same value is accepted */
		return val == rdmsr(MSR_APIC_BASE);
	case MSR_PAT:
		if (!pat_valid(val))
			return false;
		cpu_vmcb(cpu)->g_pat = val;
		return true;
	}
	return false;
}

static void handle_msr(struct per_cpu *cpu)
{
	struct vmcb *v = cpu_vmcb(cpu);
	uint64_t *regs = cpu->arch.regs;
	u64 val = regs[R_RDX] << 32 | (u32)regs[R_RAX];
	u32 msr = regs[R_RCX];
	bool write = v->exit_info1 & 1;

	stat_inc(cpu, EXIT_MSR);
	if (write && msr == MSR_EFER && val & ~EFER_WRITABLE) {
		x86_inject_exception(cpu, 13, true, 0);	/* reserved bits: #GP, as the CPU */
		return;
	}
	if (write ? msr_write(cpu, msr, val) : msr_read(cpu, msr, &val)) {
		if (!write) {
			set_result32(&regs[R_RAX], val);
			set_result32(&regs[R_RDX], val >> 32);
		}
		v->rip += 2;
		return;
	}
	/*
	 * Refused (not the guest's, unknown, or the absent x2APIC): the #GP real hardware gives
	 * for an MSR it lacks, for the root and cells alike. The hardware is never touched.
	 */
	guest_warn(cpu->cell, "CPU %u: %s of MSR 0x%x refused (#GP)\n", cpu->id,
		   write ? "write" : "read", msr);
	x86_inject_exception(cpu, 13, true, 0);
}

/* An intercepted port is not the guest's: the cell fails, the root reads ones. */
static void handle_pio(struct per_cpu *cpu)
{
	struct vmcb *v = cpu_vmcb(cpu);
	u64 info = v->exit_info1;
	unsigned int size = (info >> IOIO_SIZE_SHIFT) & 7;

	stat_inc(cpu, EXIT_PIO);
	if (!(info & (IOIO_STR | IOIO_REP)) &&
	    x86_pci_pio(cpu, info >> 16, size, info & IOIO_IN, &cpu->arch.regs[R_RAX])) {
		v->rip = v->exit_info2;
		return;
	}
	if (!is_root(cpu)) {
		x86_fatal(cpu, "port I/O");
		return;
	}
	guest_warn(cpu->cell, "CPU %u: %s port 0x%llx refused\n", cpu->id,
		   info & IOIO_IN ? "read of" : "write to", info >> 16);
	if (info & IOIO_IN && !(info & IOIO_STR))
		cpu->arch.regs[R_RAX] |= size == 4 ? 0xffffffffULL : size == 2 ? 0xffff : 0xff;
	v->rip = v->exit_info2;
}

static void handle_hlt(struct per_cpu *cpu)
{
	struct vmcb *v = cpu_vmcb(cpu);

	if (!(v->rflags & X86_RFLAGS_IF)) {
		/* interrupts off for good: Linux took the CPU offline */
		v->rip += 1;
		x86_park(cpu);
		return;
	}
	/* idle: halt in the guest, exit when an interrupt comes (before it is taken) */
	v->intercepts1 = (v->intercepts1 & ~INTERCEPT1_HLT) | INTERCEPT1_INTR;
	cpu->arch.halt_wait = true;
}

static void handle_vmmcall(struct per_cpu *cpu)
{
	uint64_t *regs = cpu->arch.regs;

	cpu_vmcb(cpu)->rip += 3;
	regs[R_RAX] = hypercall(cpu, regs[R_RAX], regs[R_RDI], regs[R_RSI]);
}

static void handle_npf(struct per_cpu *cpu)
{
	stat_inc(cpu, EXIT_MMIO);
	if (!x86_mmio_access(cpu, cpu_vmcb(cpu)->exit_info2))
		x86_fatal(cpu, "nested page fault");
}

static void handle_running(struct per_cpu *cpu, u64 code)
{
	switch (code) {
	case EXIT_CODE_VMMCALL:
		handle_vmmcall(cpu);
		break;
	case EXIT_CODE_CPUID:
		handle_cpuid(cpu);
		break;
	case EXIT_CODE_MSR:
		handle_msr(cpu);
		break;
	case EXIT_CODE_IOIO:
		handle_pio(cpu);
		break;
	case EXIT_CODE_HLT:
		handle_hlt(cpu);
		break;
	case EXIT_CODE_INTR:
		break;			/* the end of a halt: the guest takes the interrupt */
	case EXIT_CODE_NPF:
		handle_npf(cpu);
		break;
	case EXIT_CODE_INIT:
		/* an INIT for a running CPU: it waits for a SIPI */
		stat_inc(cpu, EXIT_INIT_SIPI);
		x86_park(cpu);
		break;
	case EXIT_CODE_INVD:
		asm volatile("wbinvd" : : : "memory");	/* never discard other cells' data */
		cpu_vmcb(cpu)->rip += 2;
		break;
	case EXIT_CODE_VMRUN:
	case EXIT_CODE_VMLOAD:
	case EXIT_CODE_VMSAVE:
	case EXIT_CODE_STGI:
	case EXIT_CODE_CLGI:
	case EXIT_CODE_SKINIT:
	case EXIT_CODE_INVLPGA:
		stat_inc(cpu, EXIT_EXCEPTION);
		x86_inject_exception(cpu, 6, false, 0);	/* #UD: no SVM for guests */
		break;
	case EXIT_CODE_SHUTDOWN:
		if (is_root(cpu)) {
			fatal_trap_report(cpu, "triple fault", code, cpu_vmcb(cpu)->rip, 0, NO_GPA);
			hv_panic_stop();
		}
		x86_fatal(cpu, "triple fault");
		break;
	default:
		x86_fatal(cpu, "unexpected exit");
		break;
	}
}

void x86_exit_dispatch(struct per_cpu *cpu)
{
	struct vmcb *v = cpu_vmcb(cpu);
	u64 code = v->exit_code;

	if (cpu->arch.halt_wait && code != EXIT_CODE_HLT) {
		v->intercepts1 = (v->intercepts1 & ~INTERCEPT1_INTR) | INTERCEPT1_HLT;
		cpu->arch.halt_wait = false;
	}
	if (code == EXIT_CODE_NMI) {
		x86_handle_nmi(cpu);
		return;
	}
	if (cpu->arch.parking) {
		/* the parking guest only halts: INIT and anything else leave it parked */
		if (code == EXIT_CODE_INIT)
			stat_inc(cpu, EXIT_INIT_SIPI);
		return;
	}
	handle_running(cpu, code);
}
