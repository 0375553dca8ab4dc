/* SPDX-License-Identifier: GPL-2.0 */
/* Stand-in GIC backend for the portability build of arm-common: the contract of asm/vgic.h. */
#ifndef HV_TEST_ARM_GIC_BACKEND_H
#define HV_TEST_ARM_GIC_BACKEND_H

unsigned int gic_backend_num_lrs(void);
u64 gic_backend_read_lr(unsigned int n);
void gic_backend_write_lr(unsigned int n, u64 val);
u32 gic_backend_empty_lrs(void);
u32 gic_backend_eoi_lrs(void);
void gic_backend_set_underflow(bool on);
u64 gic_backend_lr_encode(const struct vgic_lr *lr);
void gic_backend_lr_decode(u64 val, struct vgic_lr *lr);
void gic_backend_deactivate(unsigned int pintid);

#endif
