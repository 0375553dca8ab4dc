/* SPDX-License-Identifier: GPL-2.0 */
/* The stand-in ARM arch counts what arm64 counts. */
#include "../../../arch/arm64/include/asm/exit_reasons.h"
