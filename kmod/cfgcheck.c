// SPDX-License-Identifier: GPL-2.0
/* The hypervisor's structural config checks, compiled into the module for friendly errors. */
#include "../hv/core/config_check.c"
#include "../hv/core/refusal.c"
