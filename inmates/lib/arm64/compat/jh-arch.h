/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * arm64 part of the Jailhouse compat API (included by the compat <inmate.h>): 64-bit MMIO,
 * interrupt masking and the hypercall instruction; what ARMv7 has alike is in jh-arm.h.
 */
#ifndef JH_COMPAT_ARCH_H
#define JH_COMPAT_ARCH_H

#include "jh-arm.h"

#define JAILHOUSE_INMATE_MEM_PAGE_DIR_LEN	512

static inline u64 mmio_read64(void *address)
{
	return *(volatile u64 *)address;
}

static inline void mmio_write64(void *address, u64 value)
{
	*(volatile u64 *)address = value;
}

static inline void enable_irqs(void)
{
	__asm__ volatile("msr daifclr, #3" : : : "memory");
}

static inline void disable_irqs(void)
{
	__asm__ volatile("msr daifset, #3" : : : "memory");
}

typedef u64 __jh_arg;

#define JAILHOUSE_CALL_INS	"hvc #" __stringify(HV_HVC_IMM)

static inline __jh_arg jailhouse_call(__jh_arg num)
{
	register __jh_arg x0 __asm__("x0") = num;

	__asm__ volatile(JAILHOUSE_CALL_INS : "+r" (x0) : : "memory", "x1", "x2", "x3");
	return x0;
}

static inline __jh_arg jailhouse_call_arg1(__jh_arg num, __jh_arg arg1)
{
	register __jh_arg x0 __asm__("x0") = num;
	register __jh_arg x1 __asm__("x1") = arg1;

	__asm__ volatile(JAILHOUSE_CALL_INS : "+r" (x0), "+r" (x1) : : "memory", "x2", "x3");
	return x0;
}

static inline __jh_arg jailhouse_call_arg2(__jh_arg num, __jh_arg arg1, __jh_arg arg2)
{
	register __jh_arg x0 __asm__("x0") = num;
	register __jh_arg x1 __asm__("x1") = arg1;
	register __jh_arg x2 __asm__("x2") = arg2;

	__asm__ volatile(JAILHOUSE_CALL_INS : "+r" (x0), "+r" (x1), "+r" (x2) : : "memory", "x3");
	return x0;
}

#endif
