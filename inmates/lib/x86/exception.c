// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * IDT and exception dispatch: vectors from 0x20 go to the demo's IRQ handler, exceptions are
 * fatal and reported (vector, error code, RIP, CR2, registers), so that a demo that faults
 * bare-metal (no hypervisor to stop it) explains itself.
 */
#include "internal.h"

/* present, DPL 0, 64-bit interrupt gate (clears IF) */
#define IDT_INTERRUPT_GATE	0x8e

struct idt_entry {
	u16 offset0;
	u16 selector;
	u8 ist;
	u8 type;
	u16 offset1;
	u32 offset2;
	u32 reserved;
} __attribute__((packed));

static struct idt_entry idt[NUM_VECTORS] __aligned(16);
static irq_handler_t irq_handler;
volatile u64 exception_fixup_rip, exception_fixup_vector;

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available", "#DF double fault",
	"coprocessor segment overrun", "#TS invalid TSS", "#NP segment not present",
	"#SS stack fault", "#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error",
	"#VE virtualization", "#CP control protection", "reserved", "reserved", "reserved",
	"reserved", "reserved", "reserved", "#HV hypervisor injection", "#VC VMM communication",
	"#SX security", "reserved",
};

void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < NUM_VECTORS; v++) {
		u64 addr = (uintptr_t)isr_stubs + v * ISR_STUB_SIZE;

		idt[v] = (struct idt_entry) {
			.offset0 = (u16)addr,
			.selector = GDT_CODE64,
			.type = IDT_INTERRUPT_GATE,
			.offset1 = (u16)(addr >> 16),
			.offset2 = (u32)(addr >> 32),
		};
	}
}

void idt_load(void)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m" (desc));
}

void irq_init(irq_handler_t handler)
{
	irq_handler = handler;
	apic_cpu_init();
}

static void report(struct exception_frame *f)
{
	printk_unlocked("\nFATAL EXCEPTION: vector %llu (%s) on cpu %u\n", f->vector,
			exception_names[f->vector], cpu_id());
	printk_unlocked("error=0x%llx RIP=0x%016llx CS=0x%llx RFLAGS=0x%08llx CR2=0x%016llx\n",
			f->error, f->rip, f->cs, f->rflags, read_cr2());
	printk_unlocked("RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n",
			f->rax, f->rbx, f->rcx, f->rdx);
	printk_unlocked("RSI=%016llx RDI=%016llx RBP=%016llx RSP=%016llx\n",
			f->rsi, f->rdi, f->rbp, f->rsp);
	printk_unlocked("R8 =%016llx R9 =%016llx R10=%016llx R11=%016llx\n",
			f->r8, f->r9, f->r10, f->r11);
	printk_unlocked("R12=%016llx R13=%016llx R14=%016llx R15=%016llx\n",
			f->r12, f->r13, f->r14, f->r15);
}

void exception_c(struct exception_frame *frame)
{
	if (frame->vector >= FIRST_IRQ_VECTOR) {
		/* The spurious vector must not get an EOI. */
		if (frame->vector == IRQ_SPURIOUS)
			return;
		if (irq_handler)
			irq_handler(frame->vector, frame->tsc);
		else
			printk_unlocked("inmate: unexpected interrupt, vector 0x%llx on cpu %u\n",
					frame->vector, cpu_id());
		apic_write(APIC_EOI, 0);
		return;
	}
	if (exception_fixup_rip) {
		frame->rip = exception_fixup_rip;
		exception_fixup_vector = frame->vector;
		exception_fixup_rip = 0;
		return;
	}
	report(frame);
	/* Tell the root cell: a crashed inmate should not look like a running one. */
	comm_region_set_state(HV_CELL_FAILED);
	printk_unlocked("cpu %u halted\n", cpu_id());
	cpu_halt();
}
