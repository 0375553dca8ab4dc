/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's own stage 1 on arm64 (EL2) and ARMv7 (Hyp): LPAE descriptors with the same
 * attribute indices (MAIR_EL2 / HMAIR0: 0 normal write-back, 2 device nGnRE), its memory mapped
 * 1:1 with W^X, device windows, and the mapping window through which the core reaches any RAM
 * (arch_map_temp()). The geometry and the window's place are the arch's (hv_geometry,
 * ARM_HV_WINDOW_VA in asm/arm_arch.h).
 */
#ifndef HV_ARM_COMMON_HV_STAGE1_H
#define HV_ARM_COMMON_HV_STAGE1_H

#include <asm/lpae.h>

struct hvcfg_system;

#define PT_S1_NORMAL	0
#define PT_S1_DEVICE	1
#define PT_S1_CODE	2

extern const struct paging_geometry hv_geometry;

u64 paging_s1_attr(int type);
/* The hypervisor memory, code and relocated constants read-only, the rest never executable. */
int hv_stage1_map_self(u64 *pt, const struct hvcfg_system *sys);
/* A device window, 1:1 (nothing for size 0). */
int hv_stage1_map_device(u64 *pt, u64 base, u64 size);
/* The window's last-level table, once the arch has built it (its temp_window_init()). */
void hv_stage1_set_window(u64 *l3);
/*
 * Up to 2 pages of RAM mapped in the window's private part, beside the core's arch_map_temp();
 * the arch serializes its own callers.
 */
void *arm_map_private(u64 phys, unsigned long pages);
void arm_unmap_private(unsigned long pages);

#endif
