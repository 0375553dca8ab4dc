/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARMv7's GIC backend for the virtual interrupt engine (arm-common/vgic.c, contract in
 * asm/vgic.h): GICv2's memory-mapped virtual interface control (GICH), banked per CPU at one
 * address. Inline, because the engine calls these on every interrupt exit.
 */
#ifndef HV_ARM_GIC_BACKEND_H
#define HV_ARM_GIC_BACKEND_H

#include <asm/gic_regs.h>

static inline u32 gich_read(unsigned int off)
{
	return *(volatile u32 *)(gic_gich + off);
}

static inline void gich_write(unsigned int off, u32 val)
{
	*(volatile u32 *)(gic_gich + off) = val;
}

static inline unsigned int gic_backend_num_lrs(void)
{
	return GICH_VTR_LRS(gich_read(GICH_VTR));
}

static inline u64 gic_backend_read_lr(unsigned int n)
{
	return gich_read(GICH_LR0 + n * 4);
}

static inline void gic_backend_write_lr(unsigned int n, u64 val)
{
	gich_write(GICH_LR0 + n * 4, (u32)val);
}

/* the engine uses at most VGIC_MAX_LRS (16) list registers: the first mask word is enough */
static inline u32 gic_backend_empty_lrs(void)
{
	return gich_read(GICH_ELRSR0);
}

static inline u32 gic_backend_eoi_lrs(void)
{
	return gich_read(GICH_EISR0);
}

static inline void gic_backend_set_underflow(bool on)
{
	gich_write(GICH_HCR, GICH_HCR_EN | (on ? GICH_HCR_UIE : 0));
}

/*
 * GICv2 keeps 5 priority bits in a list register (bits 27:23 = priority 7:3). Every virtual
 * interrupt is Group 0, whatever the engine asks: a GICv2 guest (Linux, Jailhouse inmates)
 * enables its CPU interface with GICC_CTLR bit 0, which on the virtual interface is
 * EnableGrp0; with FIQEn clear, Group 0 is signalled as IRQ.
 */
static inline u64 gic_backend_lr_encode(const struct vgic_lr *lr)
{
	u32 val = (lr->intid & LR_VIRT_ID_MASK) | (u32)(lr->priority >> 3) << LR_PRIO_SHIFT |
		  (u32)(lr->state & 3) << LR_STATE_SHIFT;

	if (lr->hw)
		return val | LR_HW | (lr->pintid & LR_PHYS_ID_MASK) << LR_PHYS_ID_SHIFT;
	/* a virtual SGI names source CPU 0: Linux only echoes it back in its EOI */
	return val | (lr->eoi ? LR_EOI : 0);
}

static inline void gic_backend_lr_decode(u64 v, struct vgic_lr *lr)
{
	u32 val = (u32)v;

	lr->intid = val & LR_VIRT_ID_MASK;
	lr->priority = ((val >> LR_PRIO_SHIFT) & 0x1f) << 3;
	lr->state = (val >> LR_STATE_SHIFT) & 3;
	lr->group = !!(val & LR_GROUP1);
	lr->hw = !!(val & LR_HW);
	/* with HW set, bits 19:10 are the physical ID (the EOI bit is its top bit) */
	lr->pintid = lr->hw ? (val >> LR_PHYS_ID_SHIFT) & LR_PHYS_ID_MASK : 0;
	lr->eoi = !lr->hw && val & LR_EOI;
}

/* End a physical interrupt whose priority the hypervisor dropped (EOImode 1). */
static inline void gic_backend_deactivate(unsigned int pintid)
{
	*(volatile u32 *)(gic_gicc + GICC_DIR) = pintid;
}

#endif
