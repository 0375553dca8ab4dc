/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Limits shared by C and assembly: a cell never has more CPUs than the system may, and more
 * than 16 are not supported (arm64: the image has a stack for each CPU of its cell only,
 * inmate.lds; x86: a 16 KiB stack for each of MAX_CPUS).
 */
#ifndef INMATE_LIMITS_H
#define INMATE_LIMITS_H

/* The x86 inmates may be built before an x86 configuration exists: then the default below. */
#if __has_include(<generated/config.h>)
#include <generated/config.h>
#endif

#if defined(CONFIG_MAX_CPUS) && CONFIG_MAX_CPUS < 16
#define MAX_CPUS		CONFIG_MAX_CPUS
#elif defined(CONFIG_MAX_CPUS)
#define MAX_CPUS		16
#else
#define MAX_CPUS		8
#endif

#endif
