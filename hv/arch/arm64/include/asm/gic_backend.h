/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64's GIC backend for the virtual interrupt engine (arm-common/vgic.c, contract in
 * asm/vgic.h): GICv3 list registers and masks by ICH_* system registers. Inline, because the
 * engine calls these on every interrupt exit: as out-of-line calls across files they cost 36
 * EL2 instructions per interrupt (bench/irq-latency).
 */
#ifndef HV_ARM64_GIC_BACKEND_H
#define HV_ARM64_GIC_BACKEND_H

#include <asm/gic_regs.h>

static inline u64 gic_backend_read_lr(unsigned int n)
{
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	case 8: return read_sysreg(S3_4_C12_C13_0);
	case 9: return read_sysreg(S3_4_C12_C13_1);
	case 10: return read_sysreg(S3_4_C12_C13_2);
	case 11: return read_sysreg(S3_4_C12_C13_3);
	case 12: return read_sysreg(S3_4_C12_C13_4);
	case 13: return read_sysreg(S3_4_C12_C13_5);
	case 14: return read_sysreg(S3_4_C12_C13_6);
	default: return read_sysreg(S3_4_C12_C13_7);
	}
}

static inline void gic_backend_write_lr(unsigned int n, u64 v)
{
	switch (n) {
	case 0: write_sysreg(S3_4_C12_C12_0, v); break;
	case 1: write_sysreg(S3_4_C12_C12_1, v); break;
	case 2: write_sysreg(S3_4_C12_C12_2, v); break;
	case 3: write_sysreg(S3_4_C12_C12_3, v); break;
	case 4: write_sysreg(S3_4_C12_C12_4, v); break;
	case 5: write_sysreg(S3_4_C12_C12_5, v); break;
	case 6: write_sysreg(S3_4_C12_C12_6, v); break;
	case 7: write_sysreg(S3_4_C12_C12_7, v); break;
	case 8: write_sysreg(S3_4_C12_C13_0, v); break;
	case 9: write_sysreg(S3_4_C12_C13_1, v); break;
	case 10: write_sysreg(S3_4_C12_C13_2, v); break;
	case 11: write_sysreg(S3_4_C12_C13_3, v); break;
	case 12: write_sysreg(S3_4_C12_C13_4, v); break;
	case 13: write_sysreg(S3_4_C12_C13_5, v); break;
	case 14: write_sysreg(S3_4_C12_C13_6, v); break;
	default: write_sysreg(S3_4_C12_C13_7, v); break;
	}
}

static inline unsigned int gic_backend_num_lrs(void)
{
	return (read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
}

static inline u32 gic_backend_empty_lrs(void)
{
	return read_sysreg(ICH_ELRSR_EL2);
}

static inline u32 gic_backend_eoi_lrs(void)
{
	return read_sysreg(ICH_EISR_EL2);
}

static inline void gic_backend_set_underflow(bool on)
{
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | (on ? ICH_HCR_UIE : 0));
}

static inline u64 gic_backend_lr_encode(const struct vgic_lr *lr)
{
	u64 val = lr->intid | (u64)lr->priority << LR_PRIO_SHIFT |
		  (u64)lr->state << LR_STATE_SHIFT | (lr->group ? LR_GROUP1 : 0);

	if (lr->hw)
		return val | LR_HW | ((u64)lr->pintid & LR_PINTID_MASK) << LR_PINTID_SHIFT;
	return val | (lr->eoi ? LR_EOI : 0);
}

/* What gic_backend_lr_encode() makes of a new pending HW interrupt, for the lean IRQ path. */
static inline u64 gic_backend_lr_hw(unsigned int intid, u8 priority)
{
	return intid | ((u64)intid & LR_PINTID_MASK) << LR_PINTID_SHIFT | LR_HW | LR_GROUP1 |
	       (u64)priority << LR_PRIO_SHIFT | (u64)VGIC_LR_PENDING << LR_STATE_SHIFT;
}

static inline void gic_backend_lr_decode(u64 val, struct vgic_lr *lr)
{
	lr->intid = (u32)val;
	lr->priority = val >> LR_PRIO_SHIFT;
	lr->state = val >> LR_STATE_SHIFT;
	lr->group = !!(val & LR_GROUP1);
	lr->hw = val & LR_HW;
	/* with HW set, the EOI bit is part of the physical INTID */
	lr->pintid = lr->hw ? (val >> LR_PINTID_SHIFT) & LR_PINTID_MASK : 0;
	lr->eoi = !lr->hw && val & LR_EOI;
}

static inline void gic_backend_deactivate(unsigned int pintid)
{
	write_sysreg(ICC_DIR_EL1, pintid);
}

#endif
