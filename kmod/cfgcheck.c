// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's structural config checks, compiled into the module for friendly errors: the
 * generic ones and the arm validator they call.
 */
#include "../hv/core/config_check.c"
#include "../hv/arch/arm-common/config_check_arm.c"
#include "../hv/core/refusal.c"
