/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the ARMv7 hypervisor can map, as data for the configuration validator (struct
 * cfg_limits, config_check.h). The hypervisor, the driver and the host library
 * (build/host/libhvcfg.so, configgen) all fill their limits from here, so all of them refuse
 * the same blobs. Constants only: usable from any of them.
 */
#ifndef HV_ARM32_CFG_LIMITS_H
#define HV_ARM32_CFG_LIMITS_H

/* LPAE long descriptors, stage 2 and HYP alike: 4 KiB pages, 2 MiB level-2 blocks. */
#define ARM32_PAGE_SIZE		(1ULL << 12)
#define ARM32_BLOCK_SIZE	(1ULL << 21)
/* Stage 2: 40-bit IPA (VTCR.T0SZ = -8, start level 1, two concatenated level-1 tables). */
#define ARM32_IPA_BITS		40
/* HYP stage 1 translates a 32-bit VA only (HTCR.T0SZ = 0, four level-1 entries) ... */
#define ARM32_HYP_VA_BITS	32
/*
 * ... whose last GiB is the hypervisor's window onto other memory (cell RAM it loads or
 * scrubs, comm pages): what it maps 1:1 (its memory, the GIC, the debug console) ends below.
 */
#define ARM32_HYP_WINDOW_VA	((1ULL << ARM32_HYP_VA_BITS) - (1ULL << 30))
/* The bootstrap maps the hypervisor memory with 2 MiB blocks from one level-2 table. */
#define ARM32_HV_MEM_ALIGN	ARM32_BLOCK_SIZE
#define ARM32_HV_MEM_SPAN	(1ULL << 30)
/*
 * The hypervisor drives a PL011 only; arm has no port I/O. No PCI functions and no
 * inter-cell links for cells yet (the virtual ECAM window is arm64's), no direct interrupt
 * delivery (a GICv2 has no way to hand a cell its interrupts without an exit).
 */
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
