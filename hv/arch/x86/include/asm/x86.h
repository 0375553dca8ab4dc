/* SPDX-License-Identifier: GPL-2.0 */
/* x86 internals shared by the files of hv/arch/x86: registers, MSRs, paging, the vCPU. */
#ifndef HV_X86_X86_H
#define HV_X86_X86_H

#include <hv.h>
#include <asm/svm.h>
#include <asm/cfg_x86.h>

#define X86_CR0_PE		(1UL << 0)
#define X86_CR0_PG		(1UL << 31)
#define X86_CR4_PGE		(1UL << 7)
#define X86_CR4_OSXSAVE		(1UL << 18)
#define X86_CR4_LA57		(1UL << 12)
#define X86_RFLAGS_IF		(1UL << 9)

#define MSR_APIC_BASE		0x0000001b
#define MSR_PAT			0x00000277
#define MSR_EFER		0xc0000080
#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define EFER_NXE		(1ULL << 11)
#define EFER_SVME		(1ULL << 12)
#define VM_CR_SVMDIS		(1ULL << 4)
#define APIC_BASE_X2APIC	(1ULL << 10)
#define APIC_BASE_ENABLE	(1ULL << 11)

/* xAPIC registers (offsets in its page) */
#define APIC_ID			0x020
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ISR		0x100
#define APIC_ICR		0x300
#define APIC_ICR_HI		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERR		0x370
#define APIC_TMICT		0x380
#define APIC_TDCR		0x3e0
#define APIC_ICR_BUSY		(1u << 12)
#define APIC_ICR_NMI		(4u << 8)
#define APIC_ICR_ASSERT		(1u << 14)
#define APIC_LVT_MASKED		(1u << 16)

/* page-table entry bits, host and NPT alike */
#define PTE_P			(1ULL << 0)
#define PTE_RW			(1ULL << 1)
#define PTE_US			(1ULL << 2)
#define PTE_PWT			(1ULL << 3)
#define PTE_PCD			(1ULL << 4)
#define PTE_PS			(1ULL << 7)
#define PTE_NX			(1ULL << 63)
#define PTE_ADDR		0x000ffffffffff000ULL

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

#define read_cr(n) ({ u64 __v; asm volatile("mov %%cr" #n ", %0" : "=r"(__v)); __v; })
#define write_cr(n, v) asm volatile("mov %0, %%cr" #n : : "r"((u64)(v)) : "memory")

static inline void cpuid(u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "+a"(*a), "=b"(*b), "+c"(*c), "=d"(*d));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

static inline void clgi(void)
{
	asm volatile("clgi" : : : "memory");
}

static inline void stgi(void)
{
	asm volatile("stgi" : : : "memory");
}

static inline u32 apic_read(unsigned int reg)
{
	return *(volatile u32 *)(uintptr_t)(X86_LAPIC_BASE + reg);
}

static inline void apic_write(unsigned int reg, u32 v)
{
	*(volatile u32 *)(uintptr_t)(X86_LAPIC_BASE + reg) = v;
}

static inline struct vmcb *cpu_vmcb(struct per_cpu *cpu)
{
	return cpu->arch.vmcb;
}

/* paging.c: 4-level tables, host and nested alike (1:1 hypervisor memory) */
u64 *pt_alloc_root(void);
int pt_map(u64 *root, u64 virt, u64 phys, u64 size, u64 attr, bool large);
int pt_unmap(u64 *root, u64 virt, u64 size);
void pt_free(u64 *root);
void pt_free_level(u64 *table, unsigned int level);
u64 *pt_leaf(u64 *root, u64 virt);
u64 pt_translate(u64 *root, u64 virt, u64 *phys);
u64 npt_attr(u64 flags);

/* setup.c */
extern u64 *hv_pt;
void *x86_map_cpu_page(u64 phys);
u64 x86_tsc_khz(void);

/* vcpu.c */
void vcpu_init_root(struct per_cpu *cpu);
void vcpu_reset(struct per_cpu *cpu, u64 start, bool sipi);
void vcpu_park_state(struct per_cpu *cpu);
void vcpu_wipe_cpu_state(struct per_cpu *cpu);
extern u64 *parking_npt;

/* svm.c */
void x86_run(struct per_cpu *cpu) __noreturn;
void x86_inject_exception(struct per_cpu *cpu, unsigned int vector, bool err, u32 code);
/* a fatal exit: report, then fail the cell (or reflect #GP into the root) */
void x86_fatal(struct per_cpu *cpu, const char *what);
void x86_start_cpu(struct per_cpu *target, u64 start, bool sipi);
void x86_park(struct per_cpu *cpu);
void x86_handle_nmi(struct per_cpu *cpu);
void x86_leave_guest(struct per_cpu *cpu) __noreturn;
/* apic_glue.c: the xAPIC/IOAPIC filters wired in */
int x86_apic_cell_init(struct cell *cell);
void x86_apic_vcpu_init(struct per_cpu *cpu);
void x86_ioapic_mask_pin(unsigned int index, unsigned int pin);
/* pci.c: the PCI configuration-space filter */
bool x86_pci_pio(struct per_cpu *cpu, unsigned int port, unsigned int size, bool in,
		 uint64_t *rax);
int x86_pci_root_init(struct cell *root);
/* exits.c */
void x86_exit_dispatch(struct per_cpu *cpu);
/* the MMIO path of a nested page fault: whether it was an emulated access (mmio.c) */
bool x86_mmio_access(struct per_cpu *cpu, u64 gpa);

/* entry.S */
void svm_vmrun(uint64_t *regs, u64 vmcb_pa);
void x86_leave(u64 cr3, u64 rsp, u64 rip, u64 rax, u64 leave) __noreturn;
void x86_halt_loop(void) __noreturn;
extern u8 x86_idt_stubs[];
extern u8 x86_nmi_stub[];
extern u8 x86_irq_stubs[];
extern u8 hv_gdt[];

#endif
