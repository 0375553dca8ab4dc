// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU's state: the root's taken from the running Linux at enable (its segments decoded
 * from its GDT through its own page tables), the architectural reset state a cell or a
 * re-onlined root CPU starts from (real mode), and the parking guest. A CPU that starts keeps
 * nothing of its previous owner: registers, FPU/SSE state, the local APIC's timer and
 * in-service interrupts are wiped.
 */
#include <asm/x86.h>

#define SEG_CODE16	0x009b		/* present, code, readable, accessed */
#define SEG_DATA16	0x0093		/* present, data, writable, accessed */
#define SEG_LDT		0x0082
#define SEG_TSS16	0x008b		/* busy TSS */
#define RESET_CR0	0x60000010ULL	/* CD, NW, ET */
#define RESET_PAT	0x0007040600070406ULL
#define DR6_RESET	0xffff0ff0ULL
#define DR7_RESET	0x400ULL

/* Read 8 bytes of Linux's kernel memory: a walk of its 4-level page tables (no 5-level). */
static int linux_read64(u64 cr3, u64 va, u64 *out)
{
	u64 table = cr3 & PTE_ADDR, entry = 0, size = 1ULL << 39;
	int level;

	for (level = 0; level < 4; level++, size >>= 9) {
		entry = *(u64 *)x86_map_cpu_page(table + ((va >> (39 - 9 * level)) & 511) * 8);
		if (!(entry & PTE_P))
			return -EFAULT;
		if (level == 3 || (level > 0 && entry & PTE_PS))
			break;
		table = entry & PTE_ADDR;
	}
	size = level == 3 ? PAGE_SIZE : size;
	*out = *(u64 *)x86_map_cpu_page((entry & PTE_ADDR & ~(size - 1)) + (va & (size - 1)));
	return 0;
}

/* A code or data segment from Linux's GDT, as the VMCB holds it. */
static void linux_segment(struct per_cpu *cpu, struct vmcb_seg *seg, u16 sel)
{
	u64 d = 0;

	memset(seg, 0, sizeof(*seg));
	seg->selector = sel;
	if (!(sel & ~3) || sel & 4 ||
	    linux_read64(cpu->arch.linux_cr3, cpu->arch.linux_gdtr.base + (sel & ~7), &d))
		return;
	seg->base = ((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24;
	seg->limit = (d & 0xffff) | ((d >> 32) & 0xf0000);
	if (d & (1ULL << 55))
		seg->limit = seg->limit << 12 | 0xfff;
	seg->attrib = ((d >> 40) & 0xff) | ((d >> 52) & 0xf) << 8;
}

static u64 read_dr7(void)
{
	u64 v;

	asm volatile("mov %%dr7, %0" : "=r"(v));
	return v;
}

/* The root's vCPU is Linux as it called us: it continues at the trampoline's resume point. */
void vcpu_init_root(struct per_cpu *cpu)
{
	struct vmcb *v = cpu_vmcb(cpu);
	struct arch_cpu *a = &cpu->arch;

	memset(a->regs, 0, sizeof(a->regs));
	a->regs[4] = a->linux_rsp;	/* RSP: svm_vmrun's callers keep it in regs[4] */
	linux_segment(cpu, &v->cs, a->linux_cs);
	linux_segment(cpu, &v->ss, a->linux_ss);
	linux_segment(cpu, &v->ds, a->linux_ds);
	linux_segment(cpu, &v->es, a->linux_es);
	v->gdtr.base = a->linux_gdtr.base;
	v->gdtr.limit = a->linux_gdtr.limit;
	v->idtr.base = a->linux_idtr.base;
	v->idtr.limit = a->linux_idtr.limit;
	v->cpl = v->cs.selector & 3;
	v->cr0 = read_cr(0);
	v->cr2 = read_cr(2);
	v->cr3 = a->linux_cr3;
	v->cr4 = read_cr(4);
	v->efer = rdmsr(MSR_EFER);
	v->g_pat = rdmsr(MSR_PAT);
	v->dr6 = DR6_RESET;
	v->dr7 = read_dr7();
	v->rflags = a->linux_rflags;
	v->rip = a->linux_resume;
	v->rsp = a->linux_rsp;
	v->rax = 0;
	/* FS, GS, TR, LDTR, KernelGSBase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER: untouched so far */
	asm volatile("vmsave %%rax" : : "a"(hv_virt_to_phys(v)) : "memory");
}

static void real_mode_segment(struct vmcb_seg *seg, u16 sel, u16 attrib)
{
	seg->selector = sel;
	seg->base = (u64)sel << 4;
	seg->limit = 0xffff;
	seg->attrib = attrib;
}

/* The save area as after INIT: real mode, everything else zero or its reset value. */
static void reset_save_area(struct vmcb *v)
{
	memset(&v->es, 0, sizeof(*v) - __builtin_offsetof(struct vmcb, es));
	real_mode_segment(&v->cs, 0, SEG_CODE16);
	real_mode_segment(&v->ds, 0, SEG_DATA16);
	real_mode_segment(&v->es, 0, SEG_DATA16);
	real_mode_segment(&v->ss, 0, SEG_DATA16);
	real_mode_segment(&v->fs, 0, SEG_DATA16);
	real_mode_segment(&v->gs, 0, SEG_DATA16);
	v->gdtr.limit = 0xffff;
	v->idtr.limit = 0xffff;
	v->ldtr.limit = 0xffff;
	v->ldtr.attrib = SEG_LDT;
	v->tr.limit = 0xffff;
	v->tr.attrib = SEG_TSS16;
	v->cr0 = RESET_CR0;
	v->efer = EFER_SVME;		/* VMRUN requires it; the guest's view is EFER 0 */
	v->g_pat = RESET_PAT;
	v->dr6 = DR6_RESET;
	v->dr7 = DR7_RESET;
	v->rflags = 2;
}

/*
 * FPU, SSE (and with XSAVE every component) in their initial state. The images are constant:
 * CPUs reset at the same time (a cell's start, CPUs coming back to the root) and one CPU's
 * rewriting a shared buffer must not be what another loads. FCW 0x37f and MXCSR 0x1f80 (XRSTOR
 * takes MXCSR from the legacy area even for components in their init state); XSTATE_BV 0 in the
 * header at 512 puts every component to its init state.
 */
static const u8 fxarea[512] __aligned(64) = { [0] = 0x7f, [1] = 0x03, [24] = 0x80, [25] = 0x1f };
static const u8 xarea[576] __aligned(64) = { [0] = 0x7f, [1] = 0x03, [24] = 0x80, [25] = 0x1f };

static void fpu_reset(void)
{
	u32 a = 0, c = 0;

	asm volatile("fninit; fxrstor %0" : : "m"(fxarea));
	if (read_cr(4) & X86_CR4_OSXSAVE) {
		asm volatile("xgetbv" : "=a"(a), "=d"(c) : "c"(0));
		asm volatile("xrstor %0" : : "m"(xarea), "a"(a), "d"(c));
	}
}

/* The local APIC as a new owner should find it: timer stopped, LVTs masked, nothing in service. */
static void lapic_reset(struct per_cpu *cpu)
{
	unsigned int n, bit;

	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_TMICT, 0);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERR, APIC_LVT_MASKED);
	apic_write(APIC_TDCR, 0);
	apic_write(APIC_TPR, 0);
	/*
	 * What the last owner left pending (its timer, IPIs): taken and ended by the
	 * hypervisor's stubs (entry.S) in a short window with interrupts open, so that nothing
	 * of it reaches the next owner. INIT never arrives: no guest reaches the real ICR.
	 */
	apic_write(APIC_SVR, 0x1ff);
	stgi();
	asm volatile("sti");
	for (n = 0; n < 1000; n++)
		cpu_relax();
	asm volatile("cli");
	clgi();
	for (n = 0; n < 8; n++)
		for (bit = 0; bit < 32; bit++)
			if (apic_read(APIC_ISR + n * 0x10) & (1u << bit))
				apic_write(APIC_EOI, 0);
	/* software-disabled, as after INIT: its owner enables it */
	apic_write(APIC_SVR, 0xff);
	/* an event whose NMI the window took: ring again, it exits the next VMRUN */
	if (READ_ONCE(cpu->arch.event))
		arch_send_event(cpu);
}

/* DR0-DR3 are not in the VMCB: the previous owner's breakpoints must not stay armed or seen. */
static void debug_reset(void)
{
	u64 zero = 0;

	asm volatile("mov %0, %%dr0; mov %0, %%dr1; mov %0, %%dr2; mov %0, %%dr3" : : "r"(zero));
}

void vcpu_wipe_cpu_state(struct per_cpu *cpu)
{
	memset(cpu->arch.regs, 0, sizeof(cpu->arch.regs));
	fpu_reset();
	lapic_reset(cpu);
	debug_reset();
}

/*
 * Start at a real-mode address: the cell-start form (CS base = start & 0xf0000, IP the rest)
 * or, for a SIPI, CS = start >> 4 and IP 0, as the hardware does.
 */
void vcpu_reset(struct per_cpu *cpu, u64 start, bool sipi)
{
	struct vmcb *v = cpu_vmcb(cpu);

	vcpu_wipe_cpu_state(cpu);
	reset_save_area(v);
	real_mode_segment(&v->cs, sipi ? start >> 4 : (start & 0xf0000) >> 4, SEG_CODE16);
	v->rip = sipi ? 0 : start & 0xffff;
	v->event_inj = 0;
	v->int_state = 0;
	cpu->arch.parking = false;
	cpu->arch.halt_wait = false;
	cpu->arch.pci_addr = 0;		/* the next owner's latch starts empty */
}

/* The parking guest: halted in real mode on the parking NPT, woken by NMI or INIT only. */
void vcpu_park_state(struct per_cpu *cpu)
{
	struct vmcb *v = cpu_vmcb(cpu);

	reset_save_area(v);
	v->event_inj = 0;
	v->int_state = 0;
	cpu->arch.parking = true;
	cpu->arch.halt_wait = false;
}
