// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Exception dispatch: IRQs go to the GIC code, everything else is fatal and reported with the
 * syndrome, so that a demo that faults bare-metal (no hypervisor to stop it) explains itself.
 */
#include "internal.h"

#define ESR_EC_SHIFT		26
#define ESR_EC_MASK		0x3f
#define ESR_ISS_MASK		0x1ffffff

static const char *const kind_names[] = { "synchronous", "IRQ", "FIQ", "SError" };
static const char *const group_names[] = {
	"EL1t", "EL1h", "lower EL (AArch64)", "lower EL (AArch32)"
};

static const char *ec_name(u32 ec)
{
	switch (ec) {
	case 0x00: return "unknown";
	case 0x01: return "WFI/WFE";
	case 0x07: return "FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "system register";
	case 0x20: return "instruction abort (lower EL)";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment";
	case 0x24: return "data abort (lower EL)";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	default: return "other";
	}
}

static void report(struct exception_frame *frame, u64 kind)
{
	u64 esr = read_sysreg(esr_el1);
	u32 ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	unsigned int i;

	printk_unlocked("\nFATAL EXCEPTION: %s from %s on cpu %u\n",
			kind_names[kind & 3], group_names[(kind >> EXC_GROUP_SHIFT) & 3],
			cpu_id());
	printk_unlocked("ESR_EL1=0x%08llx EC=0x%02x (%s) ISS=0x%07llx\n",
			esr, ec, ec_name(ec), esr & ESR_ISS_MASK);
	printk_unlocked("FAR_EL1=0x%016llx ELR_EL1=0x%016llx SPSR_EL1=0x%08llx\n",
			read_sysreg(far_el1), frame->elr, frame->spsr);
	for (i = 0; i < 31; i += 2) {
		if (i == 30)
			printk_unlocked("x30=%016llx\n", frame->x[30]);
		else
			printk_unlocked("x%-2u=%016llx x%-2u=%016llx\n",
					i, frame->x[i], i + 1, frame->x[i + 1]);
	}
}

void exception_c(struct exception_frame *frame, u64 kind)
{
	struct hv_comm_region *comm;

	/* IRQs taken from EL1 with SP_EL1 (the only mode we run in) */
	if (kind == ((1 << EXC_GROUP_SHIFT) | EXC_IRQ)) {
		gic_handle_irq(frame->ticks);
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
