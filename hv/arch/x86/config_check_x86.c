// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The x86 part of the config validator (cfg_arch_*(), config_check.h): the platform section
 * (APIC mode, IOAPICs, IOMMU units, PM timer), local APIC ids as CPU ids, interrupt pins as
 * IOAPIC input pins and PCI devices' IOMMU units. Pure like config_check.c and compiled with it
 * wherever x86 blobs are checked.
 */
#include "config_check.h"
#include "include/asm/cfg_x86.h"

hvcfg_u32 cfg_arch_platform_used(void)
{
	return sizeof(struct hvcfg_x86_platform);
}

/* xAPIC ids (the only mode this build drives): 8 bits, 0xff being the broadcast. */
int cfg_arch_check_cpu_id(hvcfg_u64 hw_id, struct cfg_status *st)
{
	if (hw_id >= X86_XAPIC_BROADCAST)
		return cfg_fail(st, CFG_E_CPU, hw_id);
	return 0;
}

static int all_zero(const void *p, size_t size)
{
	const unsigned char *b = p;
	size_t n;

	for (n = 0; n < size; n++)
		if (b[n])
			return 0;
	return 1;
}

/* What the hypervisor maps for itself: inside its address space, not over its memory. */
static int check_hv_device(const struct hvcfg_system *sys, hvcfg_u64 base, hvcfg_u64 size,
			   const struct cfg_limits *lim, struct cfg_status *st)
{
	if (!cfg_below(base, size, lim->hv_va_limit))
		return cfg_fail(st, CFG_E_HV_VA, base);
	if (cfg_overlaps(sys->hypervisor_mem_base, sys->hypervisor_mem_size, base, size))
		return cfg_fail(st, CFG_E_HV_MEM, base);
	return 0;
}

/* IOAPIC n against the ones before it: its own page, id and GSIs. */
static int check_ioapic(const struct hvcfg_system *sys, const struct hvcfg_x86_platform *p,
			unsigned int n, const struct cfg_limits *lim, struct cfg_status *st)
{
	const struct hvcfg_x86_ioapic *io = &p->ioapics[n], *o;
	unsigned int m;
	int err;

	if (!all_zero(io->padding0, sizeof(io->padding0)))
		return cfg_fail(st, CFG_E_RESERVED, n);
	if (!cfg_range_sane(io->address, X86_IOAPIC_SIZE) ||
	    cfg_overlaps(io->address, X86_IOAPIC_SIZE, X86_LAPIC_BASE, CFG_PAGE_SIZE))
		return cfg_fail(st, CFG_E_PLATFORM, io->address);
	err = check_hv_device(sys, io->address, X86_IOAPIC_SIZE, lim, st);
	if (err)
		return err;
	if (!io->pins || io->pins > X86_IOAPIC_MAX_PINS)
		return cfg_fail(st, CFG_E_PLATFORM, io->pins);
	/* interrupt resources name an IOAPIC by (address, id); GSIs must be one IOAPIC's */
	for (m = 0; m < n; m++) {
		o = &p->ioapics[m];
		if (o->address == io->address || o->id == io->id ||
		    cfg_overlaps(o->gsi_base, o->pins, io->gsi_base, io->pins))
			return cfg_fail(st, CFG_E_PLATFORM, io->address);
	}
	/* a range wrapping past the last GSI would overlap nothing above */
	if ((hvcfg_u64)io->gsi_base + io->pins > 0x100000000ULL)
		return cfg_fail(st, CFG_E_PLATFORM, io->gsi_base);
	return 0;
}

static int check_iommu(const struct hvcfg_system *sys, const struct hvcfg_x86_iommu *u,
		       const struct cfg_limits *lim, struct cfg_status *st)
{
	if (u->type != HVCFG_X86_IOMMU_AMD && u->type != HVCFG_X86_IOMMU_INTEL)
		return cfg_fail(st, CFG_E_PLATFORM, u->type);
	if (!cfg_range_sane(u->base, u->size))
		return cfg_fail(st, CFG_E_PLATFORM, u->base);
	return check_hv_device(sys, u->base, u->size, lim, st);
}

/* The used entries of both arrays, and the unused ones zero (the section's rest is generic). */
static int check_units(const struct hvcfg_system *sys, const struct hvcfg_x86_platform *p,
		       const struct cfg_limits *lim, struct cfg_status *st)
{
	unsigned int n;
	int err;

	if (!p->num_ioapics || p->num_ioapics > HVCFG_X86_MAX_IOAPICS)
		return cfg_fail(st, CFG_E_PLATFORM, p->num_ioapics);
	if (p->num_iommus > HVCFG_X86_MAX_IOMMUS)
		return cfg_fail(st, CFG_E_PLATFORM, p->num_iommus);
	for (n = 0; n < HVCFG_X86_MAX_IOAPICS; n++) {
		if (n >= p->num_ioapics) {
			if (!all_zero(&p->ioapics[n], sizeof(p->ioapics[n])))
				return cfg_fail(st, CFG_E_RESERVED, n);
			continue;
		}
		err = check_ioapic(sys, p, n, lim, st);
		if (err)
			return err;
	}
	for (n = 0; n < HVCFG_X86_MAX_IOMMUS; n++) {
		if (n >= p->num_iommus) {
			if (!all_zero(&p->iommus[n], sizeof(p->iommus[n])))
				return cfg_fail(st, CFG_E_RESERVED, n);
			continue;
		}
		err = check_iommu(sys, &p->iommus[n], lim, st);
		if (err)
			return err;
	}
	return 0;
}

int cfg_arch_check_system(const struct hvcfg_system *sys, const struct cfg_limits *lim,
			  struct cfg_status *st)
{
	const struct hvcfg_x86_platform *p = cfg_x86_platform(sys);

	/* x2APIC is valid, but QEMU TCG (the port's target) has none: not driven yet */
	if (p->apic_mode == HVCFG_X86_X2APIC)
		return cfg_fail(st, CFG_E_UNSUPPORTED, p->apic_mode);
	if (p->apic_mode != HVCFG_X86_XAPIC)
		return cfg_fail(st, CFG_E_PLATFORM, p->apic_mode);
	if (!all_zero(p->padding0, sizeof(p->padding0)))
		return cfg_fail(st, CFG_E_RESERVED, 0);
	if (p->pm_timer_port &&
	    !cfg_below(p->pm_timer_port, X86_PM_TIMER_PORTS, lim->pio_ports))
		return cfg_fail(st, CFG_E_PLATFORM, p->pm_timer_port);
	return check_units(sys, p, lim, st);
}

/* The IOAPIC named by (address, id), or NULL. */
static const struct hvcfg_x86_ioapic *find_ioapic(const struct hvcfg_system *sys,
						  hvcfg_u64 address)
{
	const struct hvcfg_x86_platform *p = cfg_x86_platform(sys);
	unsigned int n;

	for (n = 0; n < p->num_ioapics && n < HVCFG_X86_MAX_IOAPICS; n++)
		if (p->ioapics[n].address == address)
			return &p->ioapics[n];
	return NULL;
}

/* Pins are input pins of an IOAPIC of the platform, below its pin count. */
int cfg_arch_check_irq(const struct hvcfg_system *sys, const struct hvcfg_irqchip *chip,
		       hvcfg_u32 pin, struct cfg_status *st)
{
	const struct hvcfg_x86_ioapic *io;

	if (pin >= X86_IOAPIC_MAX_PINS)
		return cfg_fail(st, CFG_E_IRQ, pin);
	if (!sys)
		return 0;
	io = find_ioapic(sys, chip->address);
	if (!io)
		return cfg_fail(st, CFG_E_IRQ, chip->address);
	if (chip->id != io->id)
		return cfg_fail(st, CFG_E_IRQ, chip->id);
	if (pin >= io->pins)
		return cfg_fail(st, CFG_E_IRQ, pin);
	return 0;
}

/*
 * The hypervisor emulates the IOAPICs and the local APIC, traps the PCI configuration window
 * (device ownership) and owns the IOMMU units: the root must not reach any of them directly.
 */
int cfg_arch_check_root_region(const struct hvcfg_system *sys,
			       const struct hvcfg_memory_region *r, struct cfg_status *st)
{
	const struct hvcfg_x86_platform *p = cfg_x86_platform(sys);
	unsigned int n;

	if (cfg_overlaps(r->phys_start, r->size, X86_LAPIC_BASE, CFG_PAGE_SIZE) ||
	    cfg_overlaps(r->phys_start, r->size, sys->platform.pci_mmconfig_base,
			 sys->platform.pci_mmconfig_size))
		return cfg_fail(st, CFG_E_REGION, r->phys_start);
	for (n = 0; n < p->num_ioapics && n < HVCFG_X86_MAX_IOAPICS; n++)
		if (cfg_overlaps(r->phys_start, r->size, p->ioapics[n].address, X86_IOAPIC_SIZE))
			return cfg_fail(st, CFG_E_REGION, r->phys_start);
	for (n = 0; n < p->num_iommus && n < HVCFG_X86_MAX_IOMMUS; n++)
		if (cfg_overlaps(r->phys_start, r->size, p->iommus[n].base, p->iommus[n].size))
			return cfg_fail(st, CFG_E_REGION, r->phys_start);
	return 0;
}

/* A PCI function behind an IOMMU unit of the platform (any unit the format has, on its own). */
int cfg_arch_check_pci(const struct hvcfg_system *sys, const struct hvcfg_pci_device *dev,
		       struct cfg_status *st)
{
	hvcfg_u32 units = sys ? cfg_x86_platform(sys)->num_iommus : HVCFG_X86_MAX_IOMMUS;

	if (dev->iommu != HVCFG_PCI_NO_IOMMU && dev->iommu >= units)
		return cfg_fail(st, CFG_E_PCI, dev->iommu);
	return 0;
}
