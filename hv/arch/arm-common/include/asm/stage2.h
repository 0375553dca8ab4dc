/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cell's stage 2 (arm-common/stage2.c), the same on arm64 and ARMv7: LPAE tables over the
 * arch's s2_geometry, VTTBR = root | VMID (the cell id) << 48 in both, and the revocation
 * fallback. The arch provides s2_geometry and arch_flush_cell_tlb().
 */
#ifndef HV_ARM_COMMON_STAGE2_H
#define HV_ARM_COMMON_STAGE2_H

extern const struct paging_geometry s2_geometry;

/* The cell's memory regions, its comm page and (root) the console ring; sets arch.vttbr. */
int arm_cell_s2_init(struct cell *cell);
/* The tables back to the pool (revoked entries restored first, so theirs are freed too). */
void arm_cell_s2_free(struct cell *cell);

#endif
