// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Exception dispatch: IRQs go to the GIC code, everything else is fatal and reported with the
 * faulting PC, the instruction and the fault status, so that a program that faults bare-metal
 * (no hypervisor to stop it) explains itself.
 */
#include "internal.h"

#define FSR_STATUS(fsr)		(((fsr) & 0xf) | ((fsr) >> 6 & 0x10))
#define FSR_WNR			(1 << 11)

static const char *const kind_names[] = {
	"reset", "undefined instruction", "SVC", "prefetch abort", "data abort", "HYP trap",
	"IRQ", "FIQ"
};

static const char *fault_name(u32 status)
{
	switch (status) {
	case 0x01: return "alignment";
	case 0x05: case 0x07: return "translation";
	case 0x03: case 0x06: return "access flag";
	case 0x09: case 0x0b: return "domain";
	case 0x0d: case 0x0f: return "permission";
	case 0x08: return "synchronous external abort";
	case 0x16: return "asynchronous external abort";
	case 0x02: return "debug event";
	default: return "other";
	}
}

/* The address of the instruction that caused the exception, from the mode's raw lr. */
static u32 faulting_pc(const struct exception_frame *frame, u32 kind)
{
	bool thumb = frame->spsr & PSR_T;

	switch (kind) {
	case EXC_UNDEF:
	case EXC_SVC:
		return frame->ret - (thumb ? 2 : 4);
	case EXC_DABT:
		return frame->ret - 8;
	default:
		return frame->ret - 4;
	}
}

static void report_insn(u32 pc, bool thumb)
{
	if (!thumb) {
		printk_unlocked("instruction 0x%08x (ARM)\n", *(volatile u32 *)pc);
		return;
	}
	/* A 32-bit Thumb-2 encoding starts with a halfword 0xe800 or above. */
	u16 hw1 = *(volatile u16 *)pc;

	if (hw1 >= 0xe800)
		printk_unlocked("instruction 0x%04x%04x (Thumb)\n", hw1,
				*(volatile u16 *)(pc + 2));
	else
		printk_unlocked("instruction 0x%04x (Thumb)\n", hw1);
}

static void report(struct exception_frame *frame, u32 kind)
{
	bool thumb = frame->spsr & PSR_T;
	u32 pc = faulting_pc(frame, kind), fsr;
	unsigned int i;

	printk_unlocked("\nFATAL EXCEPTION: %s at PC 0x%08x on cpu %u\n",
			kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "?", pc, cpu_id());
	if (kind == EXC_UNDEF || kind == EXC_SVC)
		report_insn(pc, thumb);
	if (kind == EXC_DABT) {
		fsr = arm_read_cp32(DFSR);
		printk_unlocked("DFSR=0x%08x (%s, %s) DFAR=0x%08x\n", fsr,
				fault_name(FSR_STATUS(fsr)), fsr & FSR_WNR ? "write" : "read",
				arm_read_cp32(DFAR));
	} else if (kind == EXC_PABT) {
		fsr = arm_read_cp32(IFSR);
		printk_unlocked("IFSR=0x%08x (%s) IFAR=0x%08x\n", fsr,
				fault_name(FSR_STATUS(fsr)), arm_read_cp32(IFAR));
	}
	printk_unlocked("SPSR=0x%08x (%s state) lr=0x%08x sp=0x%08x\n", frame->spsr,
			thumb ? "Thumb" : "ARM", frame->lr,
			(u32)(uintptr_t)frame + FRAME_SIZE);
	for (i = 0; i < 12; i += 4)
		printk_unlocked("r%-2u=%08x r%-2u=%08x r%-2u=%08x r%-2u=%08x\n", i, frame->r[i],
				i + 1, frame->r[i + 1], i + 2, frame->r[i + 2], i + 3,
				frame->r[i + 3]);
	printk_unlocked("r12=%08x\n", frame->r[12]);
}

void exception_c(struct exception_frame *frame, u32 kind, u64 ticks)
{
	struct hv_comm_region *comm;

	if (kind == EXC_IRQ) {
		gic_handle_irq(ticks);
		return;
	}
	report(frame, kind);
	comm = comm_region();
	/* Tell the root cell: a crashed inmate should not look like a running one. */
	if (comm)
		comm_region_set_state(HV_CELL_FAILED);
	printk_unlocked("cpu %u halted\n", cpu_id());
	cpu_halt();
}
