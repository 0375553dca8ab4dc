/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7 part of the Jailhouse compat API (included by the compat <inmate.h>): 64-bit MMIO,
 * interrupt masking and the hypercall instruction; what arm64 has alike is in jh-arm.h.
 */
#ifndef JH_COMPAT_ARCH_H
#define JH_COMPAT_ARCH_H

#include "jh-arm.h"

/* Jailhouse's ARMv7 page directory: 4 first-level entries of 1 GiB (LPAE). */
#define JAILHOUSE_INMATE_MEM_PAGE_DIR_LEN	4

/* Two word accesses, low word first: ARMv7 has no single-copy atomic 64-bit MMIO access. */
static inline u64 mmio_read64(void *address)
{
	u64 lo = mmio_read32(address);

	return lo | (u64)mmio_read32((u8 *)address + 4) << 32;
}

static inline void mmio_write64(void *address, u64 value)
{
	mmio_write32(address, (u32)value);
	mmio_write32((u8 *)address + 4, (u32)(value >> 32));
}

static inline void enable_irqs(void)
{
	__asm__ volatile("cpsie if" : : : "memory");
}

static inline void disable_irqs(void)
{
	__asm__ volatile("cpsid if" : : : "memory");
}

typedef u32 __jh_arg;

#define JAILHOUSE_CALL_INS	".arch_extension virt\n\thvc #" __stringify(HV_HVC_IMM)

static inline __jh_arg jailhouse_call(__jh_arg num)
{
	register __jh_arg r0 __asm__("r0") = num;

	__asm__ volatile(JAILHOUSE_CALL_INS : "+r" (r0) : : "memory", "r1", "r2", "r3");
	return r0;
}

static inline __jh_arg jailhouse_call_arg1(__jh_arg num, __jh_arg arg1)
{
	register __jh_arg r0 __asm__("r0") = num;
	register __jh_arg r1 __asm__("r1") = arg1;

	__asm__ volatile(JAILHOUSE_CALL_INS : "+r" (r0), "+r" (r1) : : "memory", "r2", "r3");
	return r0;
}

static inline __jh_arg jailhouse_call_arg2(__jh_arg num, __jh_arg arg1, __jh_arg arg2)
{
	register __jh_arg r0 __asm__("r0") = num;
	register __jh_arg r1 __asm__("r1") = arg1;
	register __jh_arg r2 __asm__("r2") = arg2;

	__asm__ volatile(JAILHOUSE_CALL_INS : "+r" (r0), "+r" (r1), "+r" (r2) : : "memory", "r3");
	return r0;
}

#endif
