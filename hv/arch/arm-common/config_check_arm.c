// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The arm part of the config validator (cfg_arch_*(), config_check.h), arm64 and ARMv7 alike:
 * the GIC of the platform section (v3 on arm64, v2 on ARMv7, told apart by the limits' arch),
 * MPIDR CPU ids and interrupt pins as GIC INTIDs. Pure like config_check.c and
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

/* GICv3: a distributor, redistributors (one frame per CPU) and maybe an ITS, no GICv2 interfaces. */
static int check_gic_v3(const struct hvcfg_system *sys, const struct hvcfg_arm_platform *p,
			struct cfg_status *st)
{
	if (p->gicc_base || p->gicc_size || p->gich_base || p->gich_size || p->gicv_base ||
	    p->gicv_size)
		return cfg_fail(st, CFG_E_PLATFORM, p->gicc_base | p->gich_base | p->gicv_base);
	if (!cfg_range_sane(p->gicr_base, p->gicr_size) || !p->gicr_stride ||
	    p->gicr_stride % CFG_PAGE_SIZE || cfg_div64(p->gicr_size, p->gicr_stride) < sys->num_cpus)
		return cfg_fail(st, CFG_E_PLATFORM, p->gicr_base);
	if (p->its_size && !cfg_range_sane(p->its_base, p->its_size))
		return cfg_fail(st, CFG_E_PLATFORM, p->its_base);
	return 0;
}

/*
 * GICv2: the CPU interface (GICC, 8 KiB: GICC_DIR is in its second page), the virtual
 * interface control (GICH) and the virtual CPU interface (GICV, mapped into each cell at the
 * GICC address), no redistributors or ITS. The four windows must be apart: a GICV over GICC
 * or GICH would hand cells the physical interface instead of the virtual one.
 */
static int check_gic_v2(const struct hvcfg_arm_platform *p, struct cfg_status *st)
{
	const struct {
		hvcfg_u64 base, size, min;
	} win[] = {
		{ p->gicd_base, p->gicd_size, CFG_PAGE_SIZE },
		{ p->gicc_base, p->gicc_size, 2 * CFG_PAGE_SIZE },
		{ p->gich_base, p->gich_size, CFG_PAGE_SIZE },
		{ p->gicv_base, p->gicv_size, 2 * CFG_PAGE_SIZE },
	};
	unsigned int i, j;

	if (p->gicr_base || p->gicr_size || p->gicr_stride || p->its_base || p->its_size)
		return cfg_fail(st, CFG_E_PLATFORM, p->gicr_base | p->its_base);
	for (i = 0; i < sizeof(win) / sizeof(win[0]); i++) {
		if (!cfg_range_sane(win[i].base, win[i].size) || win[i].size < win[i].min)
			return cfg_fail(st, CFG_E_PLATFORM, win[i].base);
		for (j = 0; j < i; j++)
			if (cfg_overlaps(win[i].base, win[i].size, win[j].base, win[j].size))
				return cfg_fail(st, CFG_E_PLATFORM, win[i].base);
	}
	return 0;
}

/*
 * The GIC as this build drives it: arm64 a GICv3, ARMv7 a GICv2 (by the limits' arch, as the
 * host library checks both with this code). The other version is valid but unsupported.
 */
static int check_gic(const struct hvcfg_system *sys, const struct hvcfg_arm_platform *p,
		     const struct cfg_limits *lim, struct cfg_status *st)
{
	hvcfg_u8 want = lim->arch == HVCFG_ARCH_ARM32 ? HVCFG_GIC_V2 : HVCFG_GIC_V3;
	int err;

	if (p->gic_version != HVCFG_GIC_V2 && p->gic_version != HVCFG_GIC_V3)
		return cfg_fail(st, CFG_E_PLATFORM, p->gic_version);
	if (p->gic_version != want)
		return cfg_fail(st, CFG_E_UNSUPPORTED, p->gic_version);
	if (!cfg_range_sane(p->gicd_base, p->gicd_size))
		return cfg_fail(st, CFG_E_PLATFORM, p->gicd_base);
	err = want == HVCFG_GIC_V2 ? check_gic_v2(p, st) : check_gic_v3(sys, p, st);
	if (err)
		return err;
	if (p->gic_lines < 32 || p->gic_lines > HVCFG_GIC_NUM_INTIDS || p->gic_lines % 32)
		return cfg_fail(st, CFG_E_PLATFORM, p->gic_lines);
	/* a PPI: it interrupts the CPU whose virtual interface needs attention */
	if (p->maintenance_irq < 16 || p->maintenance_irq > 31)
		return cfg_fail(st, CFG_E_PLATFORM, p->maintenance_irq);
	if (p->padding0[0] || p->padding0[1] || p->padding0[2])
		return cfg_fail(st, CFG_E_RESERVED, 0);
	return 0;
}

/* A 32-bit MPIDR has no Aff3: ARMv7 CPU ids are Aff2..Aff0 (the generic check allowed Aff3). */
static int check_cpu_ids(const struct hvcfg_system *sys, const struct cfg_limits *lim,
			 struct cfg_status *st)
{
	const struct hvcfg_cpu *cpus = cfg_cpus(sys);
	hvcfg_u32 i;

	if (lim->arch != HVCFG_ARCH_ARM32)
		return 0;
	for (i = 0; i < sys->num_cpus; i++)
		if (cpus[i].hw_id & ~HVCFG_ARM32_MPIDR_MASK)
			return cfg_fail(st, CFG_E_CPU, cpus[i].hw_id);
	return 0;
}

/*
 * What the hypervisor maps of the GIC and the PCI ECAM window for itself: inside its
 * address space (GICV only for cells' stage 2, but a GIC of one piece is what boards have) and, as one page table holds them all, not over the hypervisor memory.
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
		{ p->gicc_base, p->gicc_size },
		{ p->gich_base, p->gich_size },
		{ p->gicv_base, p->gicv_size },
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

	err = check_gic(sys, p, lim, st);
	if (!err)
		err = check_cpu_ids(sys, lim, st);
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

/*
 * The interrupt controller must stay trapped, or interrupt ownership means nothing: GICv2's
 * GICC address is where the hypervisor maps GICV for the cell, GICH and GICV are its own.
 */
int cfg_arch_check_root_region(const struct hvcfg_system *sys,
			       const struct hvcfg_memory_region *r, struct cfg_status *st)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(sys);

	if (cfg_overlaps(r->phys_start, r->size, p->gicd_base, p->gicd_size) ||
	    cfg_overlaps(r->phys_start, r->size, p->gicr_base, p->gicr_size) ||
	    cfg_overlaps(r->phys_start, r->size, p->its_base, p->its_size) ||
	    cfg_overlaps(r->phys_start, r->size, p->gicc_base, p->gicc_size) ||
	    cfg_overlaps(r->phys_start, r->size, p->gich_base, p->gich_size) ||
	    cfg_overlaps(r->phys_start, r->size, p->gicv_base, p->gicv_size))
		return cfg_fail(st, CFG_E_REGION, r->phys_start);
	return 0;
}
