/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the arm64 hypervisor can map, as data for the configuration validator (struct
 * cfg_limits, config_check.h). The hypervisor, the driver and the host library
 * (build/host/libhvcfg.so, configgen) all fill their limits from here, so all of them refuse
 * the same blobs. Constants only: usable from any of them.
 */
#ifndef HV_ARM64_CFG_LIMITS_H
#define HV_ARM64_CFG_LIMITS_H

/* The translation granule and the smallest block above it (level 2), stage 2 and EL2 alike. */
#define ARM64_PAGE_SIZE		(1ULL << 12)
#define ARM64_BLOCK_SIZE	(1ULL << 21)
/* Stage 2: 4 KiB granule, start level 1, two concatenated tables (VTCR_EL2.T0SZ = 24). */
#define ARM64_IPA_BITS		40
/* EL2 stage 1: 39-bit VA, one level-1 table (TCR_EL2.T0SZ = 25) ... */
#define ARM64_EL2_VA_BITS	39
/* ... whose last GiB is the hypervisor's window onto other RAM (arch/arm64/cell.c). */
#define ARM64_EL2_WINDOW_VA	((1ULL << ARM64_EL2_VA_BITS) - (1ULL << 30))
/* The bootstrap maps the hypervisor memory with 2 MiB blocks from one level-2 table. */
#define ARM64_HV_MEM_ALIGN	ARM64_BLOCK_SIZE
#define ARM64_HV_MEM_SPAN	(1ULL << 30)
/*
 * The hypervisor drives a PL011 only (uart_pl011.c); arm has no port I/O. Cells may take a few
 * PCI functions (pci.c: their ECAM window is bus 0 only).
 */
#define ARM64_CONSOLE_TYPES	(1u << HVCFG_CONSOLE_PL011)
#define ARM64_PIO_PORTS		0
#define ARM64_MAX_PCI_DEVICES	8
/* Non-root cells may take their interrupts at EL1 with no exit (direct mode, arch/arm64/gic.c). */
#define ARM64_CELL_FLAGS	HVCFG_CELL_IRQ_DIRECT
/*
 * Link ends (virtual ivshmem functions) per cell: each costs a trapped MMIO region (its BAR0)
 * and a slot on the cell's bus 0 beside its real functions.
 */
#define ARM64_MAX_IVSHMEM_ENDS	8

#define ARCH_CFG_LIMITS(max)	{					\
	.arch = HVCFG_ARCH_ARM64,					\
	.max_cpus = (max),						\
	.console_types = ARM64_CONSOLE_TYPES,				\
	.pio_ports = ARM64_PIO_PORTS,					\
	.max_pci_devices = ARM64_MAX_PCI_DEVICES,			\
	.ipa_limit = 1ULL << ARM64_IPA_BITS,				\
	.hv_va_limit = ARM64_EL2_WINDOW_VA,				\
	.hv_mem_align = ARM64_HV_MEM_ALIGN,				\
	.hv_mem_span = ARM64_HV_MEM_SPAN,				\
	.cell_flags = ARM64_CELL_FLAGS,					\
	.max_ivshmem_ends = ARM64_MAX_IVSHMEM_ENDS,			\
}

#endif
