/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the x86-64 hypervisor (AMD SVM with nested paging, issue #15) can map, as data for the
 * configuration validator (struct cfg_limits, config_check.h). The hypervisor, the driver and
 * the host library fill their limits from here, so all of them refuse the same blobs.
 * Constants only: usable from any of them.
 *
 * No x86 hypervisor exists yet: the geometry below is a decision the port may revise (with this
 * file, nowhere else), chosen as what a 4-level hypervisor can certainly do.
 */
#ifndef HV_X86_CFG_LIMITS_H
#define HV_X86_CFG_LIMITS_H

/* The page and the large page of 4-level paging, host tables and NPT alike. */
#define X86_PAGE_SIZE		(1ULL << 12)
#define X86_LARGE_PAGE_SIZE	(1ULL << 21)
/*
 * NPT with 4-level host tables translates 48-bit guest-physical addresses. Conservative: the
 * CPU's MAXPHYADDR may be smaller (it is checked live), never larger than what the tables reach.
 */
#define X86_GPA_BITS		48
/*
 * The hypervisor's own tables: 4-level, addresses mapped 1:1 in the lower canonical half
 * (47 bits), whose last GiB is kept as a window onto other RAM, as on arm64.
 */
#define X86_HV_VA_BITS		47
#define X86_HV_WINDOW_VA	((1ULL << X86_HV_VA_BITS) - (1ULL << 30))
/* Hypervisor memory mapped with 2 MiB pages from one page directory: aligned, inside 1 GiB. */
#define X86_HV_MEM_ALIGN	X86_LARGE_PAGE_SIZE
#define X86_HV_MEM_SPAN		(1ULL << 30)
/* A 16550 at an I/O port (COM1 on q35) or in MMIO; the whole port space; PCI functions. */
#define X86_CONSOLE_TYPES	((1u << HVCFG_CONSOLE_8250) | (1u << HVCFG_CONSOLE_8250_PIO))
#define X86_PIO_PORTS		HVCFG_PIO_PORTS
#define X86_MAX_PCI_DEVICES	HVCFG_MAX_PCI_DEVICES
/* No cell modes: a cell's interrupts reach its CPUs without the hypervisor (no IRQ_DIRECT). */
#define X86_CELL_FLAGS		0
/* Inter-cell links are not implemented on x86 yet: no link and no end passes the validator. */
#define X86_MAX_IVSHMEM_ENDS	0

#define ARCH_CFG_LIMITS(max)	{					\
	.arch = HVCFG_ARCH_X86_64,					\
	.max_cpus = (max),						\
	.console_types = X86_CONSOLE_TYPES,				\
	.pio_ports = X86_PIO_PORTS,					\
	.max_pci_devices = X86_MAX_PCI_DEVICES,				\
	.ipa_limit = 1ULL << X86_GPA_BITS,				\
	.hv_va_limit = X86_HV_WINDOW_VA,				\
	.hv_mem_align = X86_HV_MEM_ALIGN,				\
	.hv_mem_span = X86_HV_MEM_SPAN,					\
	.cell_flags = X86_CELL_FLAGS,					\
	.max_ivshmem_ends = X86_MAX_IVSHMEM_ENDS,			\
}

#endif
