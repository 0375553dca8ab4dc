/* SPDX-License-Identifier: GPL-2.0 */
/* GICv3 register offsets and bits, and the accessors gic.c and gic_vcpu.c share. */
#ifndef HV_ARM64_GIC_REGS_H
#define HV_ARM64_GIC_REGS_H

#include <asm/arm64.h>

#define GICD_CTLR		0x0000
#define GICD_CTLR_ARE_NS	(1U << 4)
#define GICD_IROUTER		0x6000
#define GICD_IROUTER_END	0x7fe0
#define GICD_ID_START		0xffd0
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1UL << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_ID_START		0xffd0
#define GICR_SGI_BASE		0x10000
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ISPENDR0		0x0200
#define GICR_ICPENDR0		0x0280
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380

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
#define ICC_SRE_SRE		1UL
#define SPURIOUS_FIRST		1020	/* 1020-1023: nothing to acknowledge */
#define SPURIOUS_END		1024
#define GIC_FIRST_LPI		8192

static inline u64 mmio_read(void *addr, unsigned int size)
{
	switch (size) {
	case 1: return *(volatile u8 *)addr;
	case 2: return *(volatile u16 *)addr;
	case 4: return *(volatile u32 *)addr;
	default: return *(volatile u64 *)addr;
	}
}

static inline void mmio_write(void *addr, unsigned int size, u64 val)
{
	switch (size) {
	case 1: *(volatile u8 *)addr = (u8)val; break;
	case 2: *(volatile u16 *)addr = (u16)val; break;
	case 4: *(volatile u32 *)addr = (u32)val; break;
	default: *(volatile u64 *)addr = val; break;
	}
}

/* gic.c: the distributor's maintenance interrupt, a PPI of the platform config */
extern u32 gic_maintenance_irq;

#endif
