// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's structural config checks, compiled into the module for friendly errors: the
 * generic ones and the validator of the arch the module is built for.
 */
#include "../hv/core/config_check.c"
#ifdef CONFIG_X86
#include "../hv/arch/x86/config_check_x86.c"
#else
#include "../hv/arch/arm-common/config_check_arm.c"
#endif
#include "../hv/core/refusal.c"
