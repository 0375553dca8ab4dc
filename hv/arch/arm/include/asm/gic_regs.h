/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv2 registers (distributor, CPU interface, virtual interface control) and the pure rules of
 * the emulated distributor: GICD_SGIR target filtering and GICD_ITARGETSR translation. Pure
 * functions are inline here so the host unit test (hv/tests/test_arm_gic.c) runs them as the
 * hypervisor does.
 */
#ifndef HV_ARM_GIC_REGS_H
#define HV_ARM_GIC_REGS_H

#include <asm/gic_dist.h>

/* distributor (the per-interrupt registers shared with GICv3 are in asm/gic_dist.h) */
#define GICD_CTLR_ENABLE	1U
#define GICD_ITARGETSR		0x0800
#define GICD_SGIR		0x0f00
#define GICD_CPENDSGIR		0x0f10
#define GICD_SGIR_END		0x0f30
#define GICD_ID_START		0x0fd0	/* peripheral and component IDs */

/* GICD_SGIR fields */
#define SGIR_FILTER(v)		(((v) >> 24) & 3)
#define SGIR_FILTER_LIST	0	/* the CPUs of CPUTargetList */
#define SGIR_FILTER_OTHERS	1	/* every CPU but the sender */
#define SGIR_FILTER_SELF	2	/* the sender only */
#define SGIR_TARGETS(v)		(((v) >> 16) & 0xff)
#define SGIR_INTID(v)		((v) & 0xf)

/* CPU interface (physical) */
#define GICC_CTLR		0x0000
#define GICC_CTLR_ENABLE	(1U << 0)	/* Non-secure view / no Security Extensions */
#define GICC_CTLR_EOIMODE	(1U << 9)	/* EOImodeNS: EOIR drops, DIR deactivates */
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_DIR		0x1000
#define GICC_IAR_ID(v)		((v) & 0x3ff)
#define GICC_PRIO_MIN		0xff		/* PMR: let every priority through */

/* virtual interface control (GICH, banked per CPU) */
#define GICH_HCR		0x0000
#define GICH_HCR_EN		(1U << 0)
#define GICH_HCR_UIE		(1U << 1)	/* underflow: at most one LR valid */
#define GICH_VTR		0x0004
#define GICH_VTR_LRS(v)		(((v) & 0x3f) + 1)
#define GICH_VMCR		0x0008
#define GICH_EISR0		0x0020
#define GICH_ELRSR0		0x0030
#define GICH_APR		0x00f0
#define GICH_LR0		0x0100

/* GICH_VMCR fields, as the guest's GICV_CTLR/PMR/BPR/ABPR appear in it */
#define VMCR_GRP0_EN		(1U << 0)
#define VMCR_EOIMODE		(1U << 9)
#define VMCR_BP_SHIFT		21
#define VMCR_PMR_SHIFT		27	/* the top 5 bits of the priority mask */

/* GICH_LRn */
#define LR_VIRT_ID_MASK		0x3ffU
#define LR_PHYS_ID_SHIFT	10
#define LR_PHYS_ID_MASK		0x3ffU
#define LR_EOI			(1U << 19)	/* without HW: maintenance on deactivation */
#define LR_PRIO_SHIFT		23		/* the top 5 bits of the priority */
#define LR_STATE_SHIFT		28
#define LR_GROUP1		(1U << 30)
#define LR_HW			(1U << 31)

#define SPURIOUS_FIRST		1020	/* 1020-1023: nothing to acknowledge */
#define NUM_SGIS		16

/*
 * GICD_SGIR written by a guest: the physical CPU interfaces it may reach. self is the sender's
 * interface bit, cell the bits of every CPU of its cell. The target list counts only with
 * filter 0; filter 3 is reserved and reaches no one.
 */
static inline u8 gic_sgir_targets(u32 sgir, u8 self, u8 cell)
{
	switch (SGIR_FILTER(sgir)) {
	case SGIR_FILTER_LIST:
		return SGIR_TARGETS(sgir) & cell;
	case SGIR_FILTER_OTHERS:
		return cell & ~self;
	case SGIR_FILTER_SELF:
		return self;
	default:
		return 0;
	}
}

/*
 * A write of GICD_ITARGETSR bytes (size 1-4, byte n = interrupt first + n): a byte the cell
 * owns (owned_bytes, bit n) keeps only the CPU interfaces of the cell's CPUs; a byte left with
 * no target at all keeps its old value (a disabled-looking route would lose the interrupt),
 * as does every byte the cell does not own. *refused gets the bytes whose request was cut.
 */
static inline u32 gic_itargets_filter(u32 value, u32 old, unsigned int size, u32 owned_bytes,
				      u8 cell, u32 *refused)
{
	unsigned int n;
	u32 out = 0, byte, want;

	*refused = 0;
	for (n = 0; n < size; n++) {
		want = (value >> (n * 8)) & 0xff;
		byte = want & cell;
		if (((owned_bytes >> n) & 1) && (!byte || byte != want))
			*refused |= 1U << n;
		if (!((owned_bytes >> n) & 1) || !byte)
			byte = (old >> (n * 8)) & 0xff;
		out |= byte << (n * 8);
	}
	return out;
}

struct cell;
struct per_cpu;

/* gic.c, shared with gic_cpu.c and the backend */
extern u8 *gic_gicd, *gic_gicc, *gic_gich;
extern u32 gic_maintenance_irq;
extern u8 gic_cpu_if[];
u8 gic_cell_targets(const struct cell *cell);
/* gic_cpu.c: a guest's GICD_SGIR write (gic.c traps it) */
void gic_handle_sgir(struct per_cpu *cpu, u32 val);

#endif
