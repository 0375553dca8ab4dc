/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86 library-private declarations, shared between the C files and head.S (included by
 * internal.h).
 */
#ifndef INMATE_ARCH_INTERNAL_H
#define INMATE_ARCH_INTERNAL_H

#define STACK_SIZE		0x4000
/* Offset of the AP trampoline (SIPI target) from the image base: 4 KiB aligned, < 1 MiB. */
#define TRAMPOLINE_OFFSET	0x2000

/* GDT selectors (head.S) */
#define GDT_CODE32		0x08
#define GDT_DATA		0x10
#define GDT_CODE64		0x18
#define GDT_CODE16		0x20
#define GDT_DATA16		0x28

/* struct x86_entry_state (inmate-arch.h), written by head.S at these offsets */
#define ENTRY_STATE_SIZE	112

/* Bytes per vector entry stub (head.S); vector N's stub is at isr_stubs + N * ISR_STUB_SIZE. */
#define ISR_STUB_SIZE		32
#define NUM_VECTORS		256
#define FIRST_IRQ_VECTOR	0x20

#ifndef __ASSEMBLER__

/* What isr_common pushes, lowest address first, then what the CPU pushed. */
struct exception_frame {
	u64 vector, tsc, pad;
	u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rcx, rbx, rdx, rax;
	u64 error, rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct exception_frame) == 24 * 8, "frame layout");
_Static_assert(sizeof(struct x86_entry_state) == ENTRY_STATE_SIZE, "entry state layout");
_Static_assert(__builtin_offsetof(struct x86_entry_state, eflags) == 32, "entry state layout");
_Static_assert(__builtin_offsetof(struct x86_entry_state, ds) == 36, "entry state layout");
_Static_assert(__builtin_offsetof(struct x86_entry_state, cr0) == 48, "entry state layout");
_Static_assert(__builtin_offsetof(struct x86_entry_state, efer) == 64, "entry state layout");
_Static_assert(__builtin_offsetof(struct x86_entry_state, gs_base) == 72, "entry state layout");

struct per_cpu {
	struct per_cpu *self;	/* at %gs:0 */
	unsigned int id;
	unsigned int apic_id;
	bool apic_ready;
	volatile bool online;
};

/* Build-time defaults of one image (cell or bare-metal), from defaults.c. */
struct inmate_defaults {
	u64 comm_region;	/* 0: no comm region */
	u16 uart_port;		/* 8250 at this I/O port */
	bool uart_owned;	/* a cell image may use it without a console in the comm region */
	bool baremetal;		/* may power QEMU off through the ACPI PM1 control port */
	u16 pm_timer_port;	/* without a comm region */
	const char *variant;
};

extern const struct inmate_defaults inmate_defaults;
extern struct per_cpu per_cpus[MAX_CPUS];
extern u8 stacks[MAX_CPUS][STACK_SIZE];
extern volatile u32 stack_busy, stray_cpus;
extern char isr_stubs[], ap_trampoline[];

static inline struct per_cpu *this_cpu(void)
{
	struct per_cpu *pc;

	__asm__ volatile("mov %%gs:0, %0" : "=r" (pc));
	return pc;
}

void c_entry(void);
void secondary_c_entry(unsigned int cpu);
void exception_c(struct exception_frame *frame);

void cpu_init(struct per_cpu *pc);
void idt_init(void);
void idt_load(void);
void apic_cpu_init(void);
void timer_init(void);
const char *timer_source(void);

#endif /* __ASSEMBLER__ */
#endif
