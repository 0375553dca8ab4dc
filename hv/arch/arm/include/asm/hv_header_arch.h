/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7's part of the image header (struct hv_header's arch_area), shared with the driver.
 * Entry: entry_offset is ARM-state code run in Hyp mode with the MMU off at its physical
 * address. The driver reaches it per CPU through the Linux stub's HVC_SOFT_RESTART: hvc #0 with
 * r0 = 1, r1 = physical entry, r2 = CPU id, r3 = HV_ENTRY_CODE; the result comes back in r0
 * (0 or -errno), r0-r3, r12 and lr clobbered. The hypervisor saves the stub's HVBAR itself:
 * the driver fills in nothing here.
 */
#ifndef HV_ARM_HV_HEADER_ARCH_H
#define HV_ARM_HV_HEADER_ARCH_H

#include "hv_image.h"

/* The Linux hyp stub's calls the hypervisor answers while enabled (hyp-abi.rst). */
#define HVC_SOFT_RESTART	1
#define HVC_RESET_VECTORS	2
#define HVC_STUB_ERR		0xbadca11

#ifndef __ASSEMBLER__
struct hv_header_arch {
	hv_u64 reserved;	/* 0 */
};

_Static_assert(sizeof(struct hv_header_arch) <= HV_HEADER_ARCH_SIZE,
	       "struct hv_header_arch does not fit the header's arch area");

static inline const struct hv_header_arch *hv_header_arch_const(const struct hv_header *h)
{
	return (const struct hv_header_arch *)h->arch_area;
}
#endif

#endif
