// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 validator inside libhvcfg.so: hv/core's generic checks and hv/arch/x86's
 * cfg_arch_*() compiled once more, every external name prefixed with x86_, so they live beside
 * the arm validator (hvcfg.c) in one library. hvcfg.c picks one by the blob header's arch.
 */
#define cfg_check_system		x86_cfg_check_system
#define cfg_check_cell			x86_cfg_check_cell
#define cfg_check_cell_in_system	x86_cfg_check_cell_in_system
#define cfg_result_text			x86_cfg_result_text
#define cfg_result_errno		x86_cfg_result_errno
#define cfg_fail			x86_cfg_fail
#define cfg_crc32			x86_cfg_crc32
#define cfg_check_ends			x86_cfg_check_ends
#define cfg_check_links			x86_cfg_check_links
#define cfg_check_ends_in_system	x86_cfg_check_ends_in_system
#define cfg_arch_platform_used		x86_cfg_arch_platform_used
#define cfg_arch_check_cpu_id		x86_cfg_arch_check_cpu_id
#define cfg_arch_check_system		x86_cfg_arch_check_system
#define cfg_arch_check_irq		x86_cfg_arch_check_irq
#define cfg_arch_check_pci		x86_cfg_arch_check_pci
#define cfg_arch_check_root_region	x86_cfg_arch_check_root_region

#include "../../hv/core/config_check.c"
#include "../../hv/core/config_cross.c"
#include "../../hv/arch/x86/config_check_x86.c"
#include "../../hv/arch/x86/include/asm/cfg_limits.h"
#include "check_x86.h"

int hvcfg_x86_check_system(const void *blob, size_t len, uint32_t max_cpus,
			   struct cfg_status *st)
{
	const struct cfg_limits lim = ARCH_CFG_LIMITS(max_cpus);

	return cfg_check_system(blob, len, &lim, st);
}

int hvcfg_x86_check_cell(const void *blob, size_t len, uint32_t max_cpus, uint32_t num_cpus,
			 struct cfg_status *st)
{
	const struct cfg_limits lim = ARCH_CFG_LIMITS(max_cpus);

	return cfg_check_cell(blob, len, &lim, num_cpus, st);
}

int hvcfg_x86_check_cell_in_system(const void *sys, size_t sys_len, const void *cell,
				   size_t cell_len, uint32_t max_cpus, struct cfg_status *st)
{
	const struct cfg_limits lim = ARCH_CFG_LIMITS(max_cpus);

	return cfg_check_cell_in_system(sys, sys_len, cell, cell_len, &lim, st);
}
