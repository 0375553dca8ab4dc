// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's config check texts, so the CLI can name what the driver refused (with the
 * validator of the arch whose limits the CLI is built with, asm/cfg_limits.h, as the driver).
 */
#include <asm/cfg_limits.h>
#include "../hv/core/config_check.c"
#ifdef HV_X86_CFG_LIMITS_H
#include "../hv/arch/x86/config_check_x86.c"
#else
#include "../hv/arch/arm-common/config_check_arm.c"
#endif
#include "../hv/core/refusal.c"
