// SPDX-License-Identifier: GPL-2.0
/*
 * GICv2, the distributor side. Physical interrupts are taken in Hyp mode (HCR.IMO/FMO), their
 * priority dropped, and handed to the guest through a list register with the HW bit
 * (gic_cpu.c). Guests reach their CPU interface through GICV, mapped at the GICC address in
 * every cell's stage 2, and the distributor only through traps: the per-interrupt registers
 * go through for interrupts the cell owns (arm-common/gic_dist.c, the rules of arm64's GICv3),
 * targets only name CPUs of the cell, and SGIs become virtual SGIs for CPUs of the cell. There
 * is no direct interrupt mode on ARMv7: every cell runs in trap mode.
 */
#include <asm/arm_arch.h>
#include <asm/cfg_arm.h>
#include <asm/gic_regs.h>
#include <asm/vgic.h>

u8 *gic_gicd, *gic_gicc, *gic_gich;	/* mapped 1:1 in Hyp mode */
u32 gic_maintenance_irq;
/* each hypervisor CPU's GICv2 CPU interface, as a target bit (GICD_ITARGETSR0 read on it) */
u8 gic_cpu_if[CONFIG_MAX_CPUS];

/* What the root had configured for an SPI when a cell got it: every new owner starts there. */
struct spi_setting {
	u8 priority, config, targets;
	bool enabled;		/* the root's, kept up to date while a cell holds the SPI */
};

static struct spi_setting root_setting[SPURIOUS_FIRST];

bool gic_reserved_private(unsigned int irq)
{
	return irq == SGI_EVENT || irq == gic_maintenance_irq;
}

/* The CPU interface bits of the cell's CPUs. */
u8 gic_cell_targets(const struct cell *cell)
{
	unsigned int n;
	u8 mask = 0;

	for_each_cpu(n, cell->cpu_set)
		mask |= gic_cpu_if[n];
	return mask;
}

/* See gic_dist.h: the root's wish for an SPI it lent, applied when the SPI comes back. */
void gic_note_root_enable(u64 off, u32 value, unsigned int first)
{
	bool enable = off < GICD_ICENABLER;
	unsigned int irq;

	for (; value; value &= value - 1) {
		irq = first + __builtin_ctz(value);
		if (irq >= HVCFG_GIC_FIRST_SPI && irq < SPURIOUS_FIRST)
			root_setting[irq].enabled = enable;
	}
}

/* Bytes (interrupts first..first+size-1) of a GICD_ITARGETSR access the cell owns. */
static u32 owned_target_bytes(const struct cell *cell, unsigned int first, unsigned int size)
{
	unsigned int n;
	u32 owned = 0;

	for (n = 0; n < size; n++)
		if (first + n >= HVCFG_GIC_FIRST_SPI && cell_owns_irq(cell, first + n))
			owned |= 1U << n;
	return owned;
}

static u32 byte_mask(u32 bytes)
{
	u32 mask = 0;
	unsigned int n;

	for (n = 0; n < 4; n++)
		if ((bytes >> n) & 1)
			mask |= 0xffU << (n * 8);
	return mask;
}

/*
 * GICD_ITARGETSR: SGIs' and PPIs' bytes are read-only (the accessing CPU's own interface,
 * banked). An SPI the cell owns may be routed to the interfaces of its CPUs, nowhere else.
 */
static void itargets_access(struct cell *cell, u64 off, struct mmio_access *acc)
{
	unsigned int first = off - GICD_ITARGETSR;
	u32 owned = owned_target_bytes(cell, first, acc->size), refused, old;
	void *reg = gic_gicd + off;

	if (!acc->write) {
		acc->value = mmio_read(reg, acc->size);
		if (first >= HVCFG_GIC_FIRST_SPI)
			acc->value &= byte_mask(owned);
		return;
	}
	if (first < HVCFG_GIC_FIRST_SPI)
		return;
	spin_lock(&gic_dist_lock);
	old = mmio_read(reg, acc->size);
	mmio_write(reg, acc->size, gic_itargets_filter(acc->value, old, acc->size, owned,
						       gic_cell_targets(cell), &refused));
	spin_unlock(&gic_dist_lock);
	/* Linux routes every SPI at boot, those of others too: those stay quiet */
	if (refused)
		guest_warn(cell, "GICD: ITARGETSR write 0x%llx to 0x%llx names CPUs outside the cell: %s\n",
			   acc->value, off, "refused for those interrupts");
}

/* GICv2's access widths: words everywhere, bytes for priorities, targets and SGI pending. */
static bool gicd_width_ok(u64 off, unsigned int size)
{
	if (size == 4)
		return true;
	return size == 1 && ((off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
			     (off >= GICD_CPENDSGIR && off < GICD_SGIR_END));
}

static enum mmio_result gicd_access(void *arg, struct mmio_access *acc)
{
	struct cell *cell = arg;
	u64 off = acc->addr;

	if (cell != &hv.root && !gicd_width_ok(off, acc->size)) {
		guest_warn(cell, "GICD: %u-byte %s at 0x%llx: not an access width of that register\n",
			   acc->size, acc->write ? "write" : "read", off);
		return MMIO_ERROR;
	}
	if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
		itargets_access(cell, off, acc);
		return MMIO_HANDLED;
	}
	if (off == GICD_SGIR) {
		if (acc->write)
			gic_handle_sgir(this_cpu(), acc->value);
		acc->value = 0;
		return MMIO_HANDLED;
	}
	if (off < GICD_IGROUPR || off >= GICD_ID_START) {
		/* CTLR, TYPER, IIDR, IDs: visible; enabling the distributor is the hypervisor's */
		if (acc->write && (off != GICD_CTLR || !(acc->value & GICD_CTLR_ENABLE)))
			guest_warn(cell, "GICD: write 0x%llx to global register 0x%llx ignored\n",
				   acc->value, off);
		acc->value = acc->write ? 0 : mmio_read(gic_gicd + off, acc->size);
		return MMIO_HANDLED;
	}
	if (gic_irq_reg_access(cell, gic_gicd, off, acc, "GICD", true) == MMIO_HANDLED)
		return MMIO_HANDLED;
	/*
	 * SGI pending by source (CPENDSGIR/SPENDSGIR): physical SGIs are the hypervisor's, a
	 * guest's are virtual. Reads 0, writes ignored; so is anything else.
	 */
	if (acc->write && acc->value)
		guest_warn(cell, "GICD: write 0x%llx to 0x%llx ignored\n", acc->value, off);
	acc->value = 0;
	return MMIO_HANDLED;
}

int gic_init(const struct hvcfg_system *sys)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(sys);

	if (p->gic_version != HVCFG_GIC_V2 || !p->gicc_base || !p->gich_base || !p->gicv_base) {
		pr_err("GIC: ARMv7 needs a GICv2 with virtualization extensions (GICH, GICV)\n");
		return -ENODEV;
	}
	if (p->maintenance_irq < NUM_SGIS || p->maintenance_irq >= HVCFG_GIC_FIRST_SPI) {
		pr_err("GIC: maintenance interrupt %u is no PPI\n", p->maintenance_irq);
		return -EINVAL;
	}
	gic_gicd = (u8 *)(uintptr_t)p->gicd_base;
	gic_gicc = (u8 *)(uintptr_t)p->gicc_base;
	gic_gich = (u8 *)(uintptr_t)p->gich_base;
	gic_maintenance_irq = p->maintenance_irq;
	return 0;
}

/*
 * The GICD is trapped; the cell's GICC window is the virtual CPU interface, GICV, so its
 * acknowledges and EOIs never exit. GICC_DIR sits at 0x1000: the window spans both pages.
 */
int gic_cell_init(struct cell *cell)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(hv.config);
	u64 size = p->gicc_size < p->gicv_size ? p->gicc_size : p->gicv_size;
	int err = mmio_register(cell, p->gicd_base, p->gicd_size, gicd_access, cell);

	if (err)
		return err;
	return arch_map_region(cell, p->gicc_base, p->gicv_base, size,
			       HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_IO);
}

void gic_cell_exit(struct cell *cell)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(hv.config);

	arch_unmap_region(cell, p->gicc_base, p->gicc_size < p->gicv_size ? p->gicc_size :
			  p->gicv_size);
}

static void dist_write(u64 off, unsigned int size, u32 val)
{
	mmio_write(gic_gicd + off, size, val);
}

/*
 * An SPI changes owner (cell create/destroy). Nothing the old owner did survives: it is
 * disabled, not pending, not active, with the priority (clamped for a cell) and trigger the
 * root had given it, and targets the new owner's CPU. Back in the root it gets the root's
 * targets and is enabled again if the root had it enabled.
 */
void gic_hand_over_spi(unsigned int irq, u64 mpidr, bool to_root)
{
	struct spi_setting *set = &root_setting[irq];
	struct per_cpu *target = cpu_by_hw_id(mpidr & MPIDR_AFF_MASK);
	u64 bank = irq / 32 * 4, cfg = GICD_ICFGR + irq / 16 * 4;
	u32 bit = 1U << (irq % 32), cfg_shift = irq % 16 * 2;
	u8 targets;

	if (irq < HVCFG_GIC_FIRST_SPI || irq >= SPURIOUS_FIRST || !target)
		return;
	spin_lock(&gic_dist_lock);
	if (!to_root) {
		set->enabled = mmio_read(gic_gicd + GICD_ISENABLER + bank, 4) & bit;
		set->priority = mmio_read(gic_gicd + GICD_IPRIORITYR + irq, 1);
		set->config = mmio_read(gic_gicd + cfg, 4) >> cfg_shift & 3;
		set->targets = mmio_read(gic_gicd + GICD_ITARGETSR + irq, 1);
	}
	dist_write(GICD_ICENABLER + bank, 4, bit);
	dist_write(GICD_ICPENDR + bank, 4, bit);
	dist_write(GICD_ICACTIVER + bank, 4, bit);
	dist_write(GICD_IPRIORITYR + irq, 1, to_root || set->priority >= GIC_PRIO_CELL_MIN ?
		   set->priority : GIC_PRIO_CELL_MIN);
	gic_reg_update(gic_gicd + cfg, 3U << cfg_shift, (u32)set->config << cfg_shift);
	/* the root's own routing if it still names root CPUs, else the first one */
	targets = set->targets & gic_cell_targets(target->cell);
	dist_write(GICD_ITARGETSR + irq, 1, to_root && targets ? targets :
		   gic_cpu_if[target->id]);
	if (to_root && set->enabled)
		dist_write(GICD_ISENABLER + bank, 4, bit);
	spin_unlock(&gic_dist_lock);
}

/* A link end's INTx: the SPI pending in the distributor, as if a device had raised it. */
void arch_irq_raise(struct cell *cell, unsigned int irq)
{
	if (irq < HVCFG_GIC_FIRST_SPI || irq >= SPURIOUS_FIRST || !cell_owns_irq(cell, irq))
		return;
	dsb(sy);	/* the sender's writes to the link memory before the interrupt */
	dist_write(GICD_ISPENDR + irq / 32 * 4, 4, 1U << (irq % 32));
}

/* The guest's GICC is at the physical GICC address (GICV behind it); no redistributors. */
void arch_fill_comm_region(struct cell *cell)
{
	struct hv_comm_arm *arm = hv_comm_arm(cell->comm);
	const struct hvcfg_arm_platform *p = cfg_arm_platform(hv.config);

	arm->gic_version = p->gic_version;
	arm->gicd_base = p->gicd_base;
	arm->gicc_base = p->gicc_base;
	arm->gicr_base = 0;
}
