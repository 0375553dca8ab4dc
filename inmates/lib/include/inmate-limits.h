/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Limits shared by C and assembly: a cell never has more CPUs than the system may. */
#ifndef INMATE_LIMITS_H
#define INMATE_LIMITS_H

#include <generated/config.h>

#ifdef CONFIG_MAX_CPUS
#define MAX_CPUS		CONFIG_MAX_CPUS
#else
#define MAX_CPUS		8
#endif

#endif
