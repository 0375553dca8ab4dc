/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * arm64's part of the image header (struct hv_header's arch_area), shared with the driver.
 * Entry: entry_offset is a vector table (2 KiB aligned) the driver installs with the Linux hyp
 * stub's HVC_SET_VECTORS; it then issues hvc #0 with x0 = HV_ENTRY_CODE and x1 = the CPU id.
 */
#ifndef HV_ARM64_HV_HEADER_ARCH_H
#define HV_ARM64_HV_HEADER_ARCH_H

#include "hv_image.h"

struct hv_header_arch {
	/* filled in by the driver: physical address of the Linux hyp stub vectors */
	hv_u64 stub_vectors;
	/* "mrs x0, vbar_el2; eret": run via HVC_SOFT_RESTART to learn the stub's vectors */
	hv_u64 vbar_probe_offset;
};

_Static_assert(sizeof(struct hv_header_arch) <= HV_HEADER_ARCH_SIZE,
	       "struct hv_header_arch does not fit the header's arch area");

static inline struct hv_header_arch *hv_header_arch(struct hv_header *h)
{
	return (struct hv_header_arch *)h->arch_area;
}

static inline const struct hv_header_arch *hv_header_arch_const(const struct hv_header *h)
{
	return (const struct hv_header_arch *)h->arch_area;
}

#endif
