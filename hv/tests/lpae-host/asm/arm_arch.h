/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-in for an ARM arch's asm/arm_arch.h, for test_lpae: barriers are compiler
 * barriers, the guests' TLB flush is counted.
 */
#ifndef HV_TEST_LPAE_ARM_ARCH_H
#define HV_TEST_LPAE_ARM_ARCH_H

#include <hv.h>

#define dsb(opt)		__atomic_signal_fence(__ATOMIC_SEQ_CST)
#define isb()			__atomic_signal_fence(__ATOMIC_SEQ_CST)

extern unsigned int test_tlb_flushes;

static inline void arm_tlb_flush_guests(void)
{
	test_tlb_flushes++;
}

#endif
