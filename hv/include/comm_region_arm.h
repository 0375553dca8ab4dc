/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The arm part of a cell's comm region (hv_comm_region.arch, arm64 and ARMv7): where the GIC
 * is, at the offsets Jailhouse's arm comm region uses. Filled by the arch
 * (arch_fill_comm_region()), read by guests through hv_comm_arm().
 */
#ifndef HV_COMM_REGION_ARM_H
#define HV_COMM_REGION_ARM_H

struct hv_comm_arm {
	hv_u8 gic_version;
	hv_u8 padding[7];
	hv_u64 gicd_base;
	hv_u64 gicc_base;
	hv_u64 gicr_base;
	hv_u32 vpci_irq_base;
	hv_u32 padding2;
};

_Static_assert(sizeof(struct hv_comm_arm) == HV_COMM_ARCH_SIZE, "hv_comm_arm fills the arch part");

static inline struct hv_comm_arm *hv_comm_arm(struct hv_comm_region *comm)
{
	return (struct hv_comm_arm *)comm->arch;
}

static inline const struct hv_comm_arm *hv_comm_arm_const(const struct hv_comm_region *comm)
{
	return (const struct hv_comm_arm *)comm->arch;
}

#endif
