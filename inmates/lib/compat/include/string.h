/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Jailhouse compat <string.h>: Jailhouse's inmates include it for __stringify; the string
 * functions themselves are declared by <inmate.h>.
 */
#ifndef JH_COMPAT_STRING_H
#define JH_COMPAT_STRING_H

#include <inmate.h>

#ifndef __stringify
#define __stringify_1(x...)	#x
#define __stringify(x...)	__stringify_1(x)
#endif

#endif
