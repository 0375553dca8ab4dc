/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The x86 part of a cell's comm region (hv_comm_region.arch), at the offsets of Jailhouse's x86
 * comm region: the ACPI PM timer port, the cell's CPU count and the TSC and local APIC timer
 * frequencies, so that an inmate needs no calibration. Filled by the arch
 * (arch_fill_comm_region()), read by guests through hv_comm_x86().
 */
#ifndef HV_COMM_REGION_X86_H
#define HV_COMM_REGION_X86_H

struct hv_comm_x86 {
	hv_u16 pm_timer_address;	/* I/O port, 0: none */
	hv_u16 padding;
	hv_u32 num_cpus;
	hv_u64 tsc_khz;
	hv_u64 apic_khz;
	hv_u8 reserved[16];
};

_Static_assert(sizeof(struct hv_comm_x86) == HV_COMM_ARCH_SIZE, "hv_comm_x86 fills the arch part");

static inline struct hv_comm_x86 *hv_comm_x86(struct hv_comm_region *comm)
{
	return (struct hv_comm_x86 *)comm->arch;
}

static inline const struct hv_comm_x86 *hv_comm_x86_const(const struct hv_comm_region *comm)
{
	return (const struct hv_comm_x86 *)comm->arch;
}

#endif
