// SPDX-License-Identifier: GPL-2.0
/* The hypervisor's config check texts, so the CLI can name what the driver refused. */
#include "../hv/core/config_check.c"
#include "../hv/core/refusal.c"
