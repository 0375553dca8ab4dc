// SPDX-License-Identifier: GPL-2.0
/*
 * The ARMv7 hypervisor's limits inside libhvcfg.so: the arm validator (config_check_arm.c) is
 * the same code for arm64 and ARMv7 blobs, only the limits differ, and the two cfg_limits.h
 * cannot share one translation unit (both define ARCH_CFG_LIMITS).
 */
#include "config_check.h"
#include "../../hv/arch/arm/include/asm/cfg_limits.h"
#include "limits_arm32.h"

void hvcfg_arm32_limits(struct cfg_limits *lim, uint32_t max_cpus)
{
	const struct cfg_limits arm32 = ARCH_CFG_LIMITS(max_cpus);

	*lim = arm32;
}
