/* SPDX-License-Identifier: GPL-2.0 */
/* The ARMv7 limits of libhvcfg.so (limits_arm32.c): hvcfg.c checks HVCFG_ARCH_ARM32 blobs with them. */
#ifndef HVCFG_LIMITS_ARM32_H
#define HVCFG_LIMITS_ARM32_H

#include "config_check.h"

void hvcfg_arm32_limits(struct cfg_limits *lim, uint32_t max_cpus);

#endif
