// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 state that changes owner: the hypervisor's SGIs (claimed from Linux at enable, given
 * back at disable), a CPU's private interrupts between cells and interrupt modes, and SPIs
 * handed between the root and cells. Nothing the previous owner set survives a change.
 */
#include <asm/gic_regs.h>
#include <asm/cfg_arm.h>

/* What the root had configured for an SPI when a cell got it: every new owner starts there. */
struct spi_setting {
	u8 priority, config;
	bool enabled;		/* the root's, kept up to date while a cell holds the SPI */
};

static struct spi_setting root_setting[SPURIOUS_FIRST];

static void dist_update(u64 reg, u32 field, u32 value)
{
	gic_reg_update(gicd + reg, field, value);
}

/* Until a redistributor has applied SGI/PPI disables; bounded, it is hardware. */
static void redist_wait_rwp(u8 *rd)
{
	unsigned int n;

	for (n = 0; n < RWP_POLLS && mmio_read(rd + GICR_CTLR, 4) & GICR_CTLR_RWP; n++)
		cpu_relax();
}

/*
 * The root enables or disables an SPI a cell holds (Linux's disable_irq/free_irq while the
 * device is lent): the distributor is not the root's to change now, but the SPI comes back
 * in the state the root last asked for.
 */
void gic_note_root_enable(u64 off, u32 value, unsigned int first)
{
	bool enable = off < GICD_ICENABLER;
	unsigned int n, irq;

	for (; value; value &= value - 1) {
		n = __builtin_ctz(value);
		irq = first + n;
		if (irq >= HVCFG_GIC_FIRST_SPI && irq < SPURIOUS_FIRST)
			root_setting[irq].enabled = enable;
	}
}

/*
 * The hypervisor's SGIs on this CPU's redistributor: Group 0, top priority, enabled. Every CPU
 * does this before the first one activates and can send any (hv_entry waits for all), because
 * a Group 0 request for an INTID still in Group 1 is dropped (QEMU does), and a lost kick is a
 * lost Linux IPI. They arrive once the CPU enables Group 0 in gic_cpu_activate().
 */
void gic_hv_sgis_claim(struct per_cpu *cpu)
{
	u8 *rd = cpu->arch.gicr, *sgi = rd + GICR_SGI_BASE;

	cpu->arch.saved_hv_sgi_prio = mmio_read(sgi + GICR_IPRIORITYR0 + 12, 4);
	cpu->arch.saved_hv_sgi_state = (mmio_read(sgi + GICR_ISENABLER0, 4) & HV_SGIS) |
				       (mmio_read(sgi + GICR_IGROUPR0, 4) & HV_SGIS) >> 2;
	mmio_write(sgi + GICR_ICENABLER0, 4, HV_SGIS);
	redist_wait_rwp(rd);
	mmio_write(sgi + GICR_ICPENDR0, 4, HV_SGIS);
	mmio_write(sgi + GICR_ICACTIVER0, 4, HV_SGIS);
	gic_reg_update(sgi + GICR_IGROUPR0, HV_SGIS, 0);
	gic_reg_update(sgi + GICR_IGRPMODR0, HV_SGIS, 0);
	mmio_write(sgi + GICR_IPRIORITYR0 + SGI_INJECT, 1, GIC_PRIO_HV);
	mmio_write(sgi + GICR_IPRIORITYR0 + SGI_EVENT, 1, GIC_PRIO_HV);
	mmio_write(sgi + GICR_ISENABLER0, 4, HV_SGIS);
	dsb(sy);
	cpu->arch.hv_sgis = true;
}

/* Disable, or a failed enable: SGIs 14 and 15 go back to what Linux had, nothing pending. */
void gic_hv_sgis_release(struct per_cpu *cpu)
{
	u8 *rd = cpu->arch.gicr, *sgi = rd + GICR_SGI_BASE;
	u32 state = cpu->arch.saved_hv_sgi_state;

	if (!cpu->arch.hv_sgis)
		return;
	mmio_write(sgi + GICR_ICENABLER0, 4, HV_SGIS);
	redist_wait_rwp(rd);
	mmio_write(sgi + GICR_ICPENDR0, 4, HV_SGIS);
	mmio_write(sgi + GICR_ICACTIVER0, 4, HV_SGIS);
	gic_reg_update(sgi + GICR_IGROUPR0, HV_SGIS, state << 2);
	gic_reg_update(sgi + GICR_IPRIORITYR0 + 12, 0xffff0000, cpu->arch.saved_hv_sgi_prio);
	mmio_write(sgi + GICR_ISENABLER0, 4, state & HV_SGIS);
	dsb(sy);
	cpu->arch.hv_sgis = false;
}

/*
 * A CPU's private interrupts between owners: disabled, not pending, not active, at Linux's
 * default priority. Only the hypervisor's SGIs stay, and in trap mode the maintenance
 * interrupt; a direct-mode CPU has no virtual interface to raise it, and the cell would take
 * it (it is Group 1).
 */
void gic_redist_private_reset(struct per_cpu *cpu, bool direct)
{
	u8 *rd = cpu->arch.gicr, *sgi = rd + GICR_SGI_BASE;
	u32 maint = 1U << gic_maintenance_irq, keep = HV_SGIS | (direct ? 0 : maint);
	unsigned int n, i;
	u32 field;

	mmio_write(sgi + GICR_ICENABLER0, 4, ~keep);
	redist_wait_rwp(rd);
	mmio_write(sgi + GICR_ICPENDR0, 4, ~keep);
	mmio_write(sgi + GICR_ICACTIVER0, 4, ~keep);
	for (n = 0; n < 32; n += 4) {
		for (field = 0, i = 0; i < 4; i++)
			if (!gic_reserved_private(n + i))
				field |= 0xffU << (i * 8);
		gic_reg_update(sgi + GICR_IPRIORITYR0 + n, field, GIC_PRIO_DEFAULT * 0x01010101U);
	}
	if (!direct)
		mmio_write(sgi + GICR_ISENABLER0, 4, maint);
	dsb(sy);
}

static unsigned int num_spis_end(void)
{
	unsigned int end = ((mmio_read(gicd + GICD_TYPER, 4) & 0x1f) + 1) * 32;

	return end < SPURIOUS_FIRST ? end : SPURIOUS_FIRST;
}

static struct per_cpu *first_root_cpu(void)
{
	unsigned int n;

	for_each_cpu(n, hv.root.cpu_set)
		return per_cpu(n);
	return NULL;
}

/*
 * A CPU starts in a non-root cell: no SPI of someone else may be routed to it. Linux moves its
 * interrupts off a CPU it takes offline and may route only to its own CPUs afterwards
 * (gicd_access), but what it left routed here (a disabled interrupt, "any CPU" routing) goes
 * to the root's first CPU. In direct mode the cell would acknowledge it itself; in trap mode
 * it would be queued to the cell.
 */
void gic_route_foreign_spis_away(struct per_cpu *cpu)
{
	struct per_cpu *root_cpu = first_root_cpu();
	unsigned int irq, end = num_spis_end();
	u64 route;

	if (!root_cpu)
		return;
	spin_lock(&gic_dist_lock);
	for (irq = HVCFG_GIC_FIRST_SPI; irq < end; irq++) {
		if (cell_owns_irq(cpu->cell, irq))
			continue;
		route = mmio_read(gicd + GICD_IROUTER + irq * 8, 8);
		if (route & GICD_IROUTER_IRM || (route & MPIDR_AFF_MASK) == cpu->hw_id)
			mmio_write(gicd + GICD_IROUTER + irq * 8, 8, root_cpu->hw_id);
	}
	spin_unlock(&gic_dist_lock);
}

/*
 * A direct-mode CPU leaves its cell: the SPIs it acknowledged and never ended (the hypervisor
 * does not see them) are deactivated, or they would never be signalled again.
 */
void gic_cell_spis_deactivate(struct per_cpu *cpu)
{
	unsigned int irq, end = num_spis_end();
	u32 bit;

	for (irq = HVCFG_GIC_FIRST_SPI; irq < end; irq++) {
		if (!cell_owns_irq(cpu->cell, irq) ||
		    (mmio_read(gicd + GICD_IROUTER + irq * 8, 8) & MPIDR_AFF_MASK) != cpu->hw_id)
			continue;
		bit = 1U << (irq % 32);
		if (mmio_read(gicd + GICD_ISACTIVER + irq / 32 * 4, 4) & bit)
			mmio_write(gicd + GICD_ICACTIVER + irq / 32 * 4, 4, bit);
	}
}

/*
 * An SPI changes owner (cell create/destroy). Nothing the old owner did survives: it is
 * disabled, not pending, not active, Group 1, with the priority (clamped for a cell) and
 * trigger the root had given it, and routed to the new owner's CPU. Back in the root it is
 * enabled again if the root had it enabled: the root's driver never knew it was lent.
 */
void gic_hand_over_spi(unsigned int irq, u64 mpidr, bool to_root)
{
	struct spi_setting *set = &root_setting[irq];
	u64 bank = irq / 32 * 4, cfg = GICD_ICFGR + irq / 16 * 4;
	u32 bit = 1U << (irq % 32), cfg_shift = irq % 16 * 2;

	if (irq < HVCFG_GIC_FIRST_SPI || irq >= SPURIOUS_FIRST)
		return;
	spin_lock(&gic_dist_lock);
	if (!to_root) {
		set->enabled = mmio_read(gicd + GICD_ISENABLER + bank, 4) & bit;
		set->priority = mmio_read(gicd + GICD_IPRIORITYR + irq, 1);
		set->config = mmio_read(gicd + cfg, 4) >> cfg_shift & 3;
	}
	mmio_write(gicd + GICD_ICENABLER + bank, 4, bit);
	gic_dist_wait_rwp();
	mmio_write(gicd + GICD_ICPENDR + bank, 4, bit);
	mmio_write(gicd + GICD_ICACTIVER + bank, 4, bit);
	dist_update(GICD_IGROUPR + bank, bit, bit);
	dist_update(GICD_IGRPMODR + bank, bit, 0);
	/* a cell's copy of the root's priority is clamped like the priorities it writes */
	mmio_write(gicd + GICD_IPRIORITYR + irq, 1, to_root || set->priority >= GIC_PRIO_CELL_MIN ?
		   set->priority : GIC_PRIO_CELL_MIN);
	dist_update(cfg, 3U << cfg_shift, (u32)set->config << cfg_shift);
	mmio_write(gicd + GICD_IROUTER + irq * 8, 8, mpidr & MPIDR_AFF_MASK);
	gic_dist_wait_rwp();
	if (to_root && set->enabled)
		mmio_write(gicd + GICD_ISENABLER + bank, 4, bit);
	spin_unlock(&gic_dist_lock);
}

/*
 * A link end's INTx (hv/core/ivshmem.c): the SPI pending in the distributor, as if a device
 * had raised it. The owner takes it as any of its SPIs (trap mode: through the hypervisor,
 * direct mode: at EL1); a level-sensitive SPI pended this way ends with its activation.
 */
void arch_irq_raise(struct cell *cell, unsigned int irq)
{
	if (irq < HVCFG_GIC_FIRST_SPI || irq >= SPURIOUS_FIRST || !cell_owns_irq(cell, irq))
		return;
	dsb(sy);	/* the sender's writes to the link memory before the interrupt */
	mmio_write(gicd + GICD_ISPENDR + irq / 32 * 4, 4, 1u << (irq % 32));
}
