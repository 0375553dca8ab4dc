/* SPDX-License-Identifier: GPL-2.0 */
/* GICv3 register offsets and bits, and the accessors gic.c and gic_vcpu.c share. */
#ifndef HV_ARM64_GIC_REGS_H
#define HV_ARM64_GIC_REGS_H

#include <asm/arm64.h>
#include <asm/gic_dist.h>

#define GICD_CTLR_GRP0		(1U << 0)	/* EnableGrp0: the hypervisor's SGIs */
#define GICD_CTLR_ARE_NS	(1U << 4)
#define GICD_CTLR_DS		(1U << 6)	/* one security state: Group 0 is Non-secure */
#define GICD_TYPER_LPIS		(1U << 17)
#define GICD_IGRPMODR		0x0d00
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_IROUTER		0x6000
#define GICD_IROUTER_IRM	(1UL << 31)	/* "any CPU": never for a cell's interrupt */
#define GICD_IROUTER_END	0x7fe0
#define GICD_ID_START		0xffd0
#define GICR_CTLR		0x0000
#define GICR_CTLR_RWP		(1U << 3)
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_TYPER_PLPIS	(1UL << 0)
#define GICR_TYPER_DIRECTLPI	(1UL << 3)
#define GICR_TYPER_LAST		(1UL << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_ID_START		0xffd0
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ISPENDR0		0x0200
#define GICR_ICPENDR0		0x0280
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380
#define GICR_IPRIORITYR0	0x0400
#define GICR_IGRPMODR0		0x0d00

#define LR_STATE_SHIFT		62
#define LR_HW			(1UL << 61)
#define LR_GROUP1		(1UL << 60)
#define LR_PRIO_SHIFT		48
#define LR_EOI			(1UL << 41)	/* without LR_HW; with it, part of the pINTID */
#define LR_PINTID_SHIFT		32
#define LR_PINTID_MASK		0x1fffUL
#define ICH_HCR_EN		1UL
#define ICH_HCR_UIE		(1UL << 1)
#define ICC_CTLR_EOIMODE	(1UL << 1)
#define ICC_CTLR_PRIBITS(c)	((((c) >> 8) & 7) + 1)	/* implemented priority bits */
#define ICC_SRE_SRE		1UL
#define SPURIOUS_FIRST		1020	/* 1020-1023: nothing to acknowledge */
#define SPURIOUS_END		1024
#define GIC_FIRST_LPI		8192

/* polls of a register-write-pending bit: bounded, it is hardware */
#define RWP_POLLS		1000000

/* gic.c: the distributor's maintenance interrupt, a PPI of the platform config */
extern u32 gic_maintenance_irq;

/* gic.c's distributor, shared with gic_owner.c: read-modify-writes under gic_dist_lock */
extern void *gicd;
void gic_dist_wait_rwp(void);

/* gic_owner.c */
void gic_hv_sgis_claim(struct per_cpu *cpu);

#endif
