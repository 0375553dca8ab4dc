// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The arm part of the config validator (cfg_arch_*(), config_check.h): the GIC of the platform
 * section, MPIDR CPU ids and interrupt pins as GIC INTIDs. Pure like config_check.c and
 * compiled with it wherever it is: the hypervisor, the driver, the CLI, the host library and
 * the host tests.
 */
#include "config_check.h"
#include "include/asm/cfg_arm.h"

hvcfg_u32 cfg_arch_platform_used(void)
{
	return sizeof(struct hvcfg_arm_platform);
}

int cfg_arch_check_cpu_id(hvcfg_u64 hw_id, struct cfg_status *st)
{
	if (hw_id & ~HVCFG_ARM_MPIDR_MASK)
		return cfg_fail(st, CFG_E_CPU, hw_id);
	return 0;
}

/* The GIC as this build drives it: a GICv3 distributor, redistributors and maybe an ITS. */
static int check_gic(const struct hvcfg_system *sys, const struct hvcfg_arm_platform *p,
		     struct cfg_status *st)
{
	if (p->gic_version == HVCFG_GIC_V2)
		return cfg_fail(st, CFG_E_UNSUPPORTED, p->gic_version);
	if (p->gic_version != HVCFG_GIC_V3)
		return cfg_fail(st, CFG_E_PLATFORM, p->gic_version);
	/* the GICv2 interfaces: a GICv3 has none */
	if (p->gicc_base || p->gicc_size || p->gich_base || p->gich_size || p->gicv_base ||
	    p->gicv_size)
		return cfg_fail(st, CFG_E_PLATFORM, p->gicc_base | p->gich_base | p->gicv_base);
	if (!cfg_range_sane(p->gicd_base, p->gicd_size))
		return cfg_fail(st, CFG_E_PLATFORM, p->gicd_base);
	if (!cfg_range_sane(p->gicr_base, p->gicr_size) || !p->gicr_stride ||
	    p->gicr_stride % CFG_PAGE_SIZE || cfg_div64(p->gicr_size, p->gicr_stride) < sys->num_cpus)
		return cfg_fail(st, CFG_E_PLATFORM, p->gicr_base);
	if (p->its_size && !cfg_range_sane(p->its_base, p->its_size))
		return cfg_fail(st, CFG_E_PLATFORM, p->its_base);
	if (p->gic_lines < 32 || p->gic_lines > HVCFG_GIC_NUM_INTIDS || p->gic_lines % 32)
		return cfg_fail(st, CFG_E_PLATFORM, p->gic_lines);
	/* a PPI: it interrupts the CPU whose virtual interface needs attention */
	if (p->maintenance_irq < 16 || p->maintenance_irq > 31)
		return cfg_fail(st, CFG_E_PLATFORM, p->maintenance_irq);
	if (p->padding0[0] || p->padding0[1] || p->padding0[2])
		return cfg_fail(st, CFG_E_RESERVED, 0);
	return 0;
}

/*
 * What the hypervisor maps of the GIC and the PCI ECAM window for itself: inside its EL2
 * address space and, as one page table holds them all, not over the hypervisor memory.
 */
static int check_gic_mappings(const struct hvcfg_system *sys, const struct hvcfg_arm_platform *p,
			      const struct cfg_limits *lim, struct cfg_status *st)
{
	const struct {
		hvcfg_u64 base, size;
	} dev[] = {
		{ p->gicd_base, p->gicd_size },
		{ p->gicr_base, p->gicr_size },
		{ p->its_base, p->its_size },
		{ sys->platform.pci_mmconfig_base, sys->platform.pci_mmconfig_size },
	};
	unsigned int n;

	for (n = 0; n < sizeof(dev) / sizeof(dev[0]); n++) {
		if (!dev[n].size)
			continue;
		if (!cfg_below(dev[n].base, dev[n].size, lim->hv_va_limit))
			return cfg_fail(st, CFG_E_HV_VA, dev[n].base);
		if (cfg_overlaps(sys->hypervisor_mem_base, sys->hypervisor_mem_size, dev[n].base,
				 dev[n].size))
			return cfg_fail(st, CFG_E_HV_MEM, dev[n].base);
	}
	return 0;
}

int cfg_arch_check_system(const struct hvcfg_system *sys, const struct cfg_limits *lim,
			  struct cfg_status *st)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(sys);
	int err;

	err = check_gic(sys, p, st);
	if (!err)
		err = check_gic_mappings(sys, p, lim, st);
	return err;
}

/*
 * Pins are INTIDs of the distributor: SPIs only (SGIs and PPIs are per CPU, never handed
 * out; 1020-1023 are special), below what the GIC implements.
 */
int cfg_arch_check_irq(const struct hvcfg_system *sys, const struct hvcfg_irqchip *chip,
		       hvcfg_u32 pin, struct cfg_status *st)
{
	if (chip->id)
		return cfg_fail(st, CFG_E_IRQ, chip->id);
	if (pin < HVCFG_GIC_FIRST_SPI || pin > HVCFG_GIC_MAX_SPI)
		return cfg_fail(st, CFG_E_IRQ, pin);
	if (!sys)
		return 0;
	if (chip->address != cfg_arm_platform(sys)->gicd_base)
		return cfg_fail(st, CFG_E_IRQ, chip->address);
	if (pin >= cfg_arm_platform(sys)->gic_lines)
		return cfg_fail(st, CFG_E_IRQ, pin);
	return 0;
}

/* PCI functions have no IOMMU unit on arm (yet): nothing of theirs is the arch's. */
int cfg_arch_check_pci(const struct hvcfg_system *sys, const struct hvcfg_pci_device *dev,
		       struct cfg_status *st)
{
	(void)sys;
	(void)dev;
	(void)st;
	return 0;
}

/* The interrupt controller must stay trapped, or interrupt ownership means nothing. */
int cfg_arch_check_root_region(const struct hvcfg_system *sys,
			       const struct hvcfg_memory_region *r, struct cfg_status *st)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(sys);

	if (cfg_overlaps(r->phys_start, r->size, p->gicd_base, p->gicd_size) ||
	    cfg_overlaps(r->phys_start, r->size, p->gicr_base, p->gicr_size) ||
	    cfg_overlaps(r->phys_start, r->size, p->its_base, p->its_size))
		return cfg_fail(st, CFG_E_REGION, r->phys_start);
	return 0;
}
