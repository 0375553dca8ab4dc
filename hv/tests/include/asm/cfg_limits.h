/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in: the config format is arm64's for now, so are the limits the core checks. */
#include "../../../arch/arm64/include/asm/cfg_limits.h"
