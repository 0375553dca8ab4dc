/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The arm platform section of a system blob (struct hvcfg_arm_platform, config_arch_arm.h),
 * for arm code and the arm config validator. The generic format keeps it as bytes at the
 * start of hvcfg_platform.arch, which is 8-byte aligned inside struct hvcfg_system.
 */
#ifndef HV_ARM_CFG_ARM_H
#define HV_ARM_CFG_ARM_H

#include "config_format.h"

_Static_assert(__builtin_offsetof(struct hvcfg_system, platform.arch) % 8 == 0,
	       "the platform section is 8-byte aligned");

static inline const struct hvcfg_arm_platform *cfg_arm_platform(const struct hvcfg_system *sys)
{
	return (const void *)sys->platform.arch;
}

#endif
