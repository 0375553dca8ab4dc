/* SPDX-License-Identifier: GPL-2.0 */
/* The x86 validator of libhvcfg.so (check_x86.c), with the x86 hypervisor's limits. */
#ifndef HVCFG_CHECK_X86_H
#define HVCFG_CHECK_X86_H

#include <stddef.h>
#include <stdint.h>

struct cfg_status;

int hvcfg_x86_check_system(const void *blob, size_t len, uint32_t max_cpus,
			   struct cfg_status *st);
int hvcfg_x86_check_cell(const void *blob, size_t len, uint32_t max_cpus, uint32_t num_cpus,
			 struct cfg_status *st);
int hvcfg_x86_check_cell_in_system(const void *sys, size_t sys_len, const void *cell,
				   size_t cell_len, uint32_t max_cpus, struct cfg_status *st);

#endif
