/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the ARMv7 hypervisor can map, as data for the configuration validator (struct
 * cfg_limits, config_check.h): the hypervisor, the driver and the host library all fill their
 * limits from here, so all of them refuse the same blobs. Constants only.
 */
#ifndef HV_ARM_CFG_LIMITS_H
#define HV_ARM_CFG_LIMITS_H

/* The LPAE granule and the smallest block above it (level 2), stage 2 and Hyp stage 1 alike. */
#define ARM32_PAGE_SIZE		(1ULL << 12)
#define ARM32_BLOCK_SIZE	(1ULL << 21)
/* Stage 2: start level 1, two concatenated tables (VTCR.T0SZ = -8): the LPAE maximum. */
#define ARM32_IPA_BITS		40
/*
 * Hyp stage 1 has a 32-bit VA and maps the hypervisor memory and the devices it drives 1:1
 * (ARCH_HV_VIRT_OFFSET 0), so they must lie below 4 GiB, under its window onto other RAM, the
 * last 2 MiB of the address space (arch/arm/cell.c).
 */
#define ARM32_HYP_VA_BITS	32
#define ARM32_HYP_WINDOW_VA	0xffe00000ULL
/* The bootstrap maps the hypervisor memory with 2 MiB blocks from one level-2 table. */
#define ARM32_HV_MEM_ALIGN	ARM32_BLOCK_SIZE
#define ARM32_HV_MEM_SPAN	(1ULL << 30)
/* A PL011 only; no port I/O; no PCI functions, links or direct interrupt mode yet. */
#define ARM32_CONSOLE_TYPES	(1u << HVCFG_CONSOLE_PL011)
#define ARM32_PIO_PORTS		0
#define ARM32_MAX_PCI_DEVICES	0
#define ARM32_CELL_FLAGS	0
#define ARM32_MAX_IVSHMEM_ENDS	0

#define ARCH_CFG_LIMITS(max)	{					\
	.arch = HVCFG_ARCH_ARM32,					\
	.max_cpus = (max),						\
	.console_types = ARM32_CONSOLE_TYPES,				\
	.pio_ports = ARM32_PIO_PORTS,					\
	.max_pci_devices = ARM32_MAX_PCI_DEVICES,			\
	.ipa_limit = 1ULL << ARM32_IPA_BITS,				\
	.hv_va_limit = ARM32_HYP_WINDOW_VA,				\
	.hv_mem_align = ARM32_HV_MEM_ALIGN,				\
	.hv_mem_span = ARM32_HV_MEM_SPAN,				\
	.cell_flags = ARM32_CELL_FLAGS,					\
	.max_ivshmem_ends = ARM32_MAX_IVSHMEM_ENDS,			\
}

#endif
