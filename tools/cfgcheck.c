// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's config check texts, so the CLI can name what the driver refused (with the
 * arm validator the checks call: the CLI is built for arm64 only, as the driver).
 */
#include "../hv/core/config_check.c"
#include "../hv/arch/arm-common/config_check_arm.c"
#include "../hv/core/refusal.c"
