/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Fixed-width types of every structure the hypervisor shares with the driver, the tools and
 * cells (config blobs, image header, comm region). 64-bit fields are unsigned long long on
 * every architecture and in every user, as the kernel's __u64, so one printk format (%llx)
 * fits them on 32- and 64-bit targets alike.
 */
#ifndef HV_ABI_TYPES_H
#define HV_ABI_TYPES_H

#if defined(__KERNEL__)
#include <linux/types.h>
typedef __u8 hv_u8;
typedef __u16 hv_u16;
typedef __u32 hv_u32;
typedef __u64 hv_u64;
#elif !defined(__ASSEMBLER__)
#include <stdint.h>
typedef uint8_t hv_u8;
typedef uint16_t hv_u16;
typedef uint32_t hv_u32;
typedef unsigned long long hv_u64;
#endif

#endif
