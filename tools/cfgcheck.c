// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's config check texts, so the CLI can name what the driver refused (with the
 * validator of the arch the CLI is built for, as the driver).
 */
#include "../hv/core/config_check.c"
#ifdef __x86_64__
#include "../hv/arch/x86/config_check_x86.c"
#else
#include "../hv/arch/arm-common/config_check_arm.c"
#endif
#include "../hv/core/refusal.c"
