// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's config checks and texts, so the CLI can name what the driver refused and
 * check blobs as enable and create will (with the validator of the arch whose limits the CLI
 * is built with, asm/cfg_limits.h, as the driver; the cell-in-system check of config_cross.c).
 */
#include <asm/cfg_limits.h>
#include "../hv/core/config_check.c"
#ifdef HV_X86_CFG_LIMITS_H
#include "../hv/arch/x86/config_check_x86.c"
#else
#include "../hv/arch/arm-common/config_check_arm.c"
#endif
#include "../hv/core/config_cross.c"
#include "../hv/core/sha256.c"
#include "../hv/core/refusal.c"
