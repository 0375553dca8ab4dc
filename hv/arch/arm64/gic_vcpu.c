// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 CPU interfaces of each CPU through arm64's system registers: the physical
 * interface (the virtual interrupt engine's backend is inline, asm/gic_backend.h), where interrupts are taken at EL2 and queued for the guest. LPIs,
 * which have no active state, are ended at EL2 and go in as plain virtual LPIs.
 */
#include <asm/gic_regs.h>
#include <asm/vgic.h>

static bool is_lpi(unsigned int irq)
{
	return irq >= GIC_FIRST_LPI;
}

void gic_send_sgi(u64 mpidr, unsigned int sgi)
{
	u64 aff0 = mpidr & 0xff;
	u64 val = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
		  ((mpidr >> 8) & 0xff) << 16 | (aff0 >> 4) << 44 | (u64)sgi << 24 |
		  (1UL << (aff0 & 0xf));

	dsb(ish);
	write_sysreg(ICC_SGI1R_EL1, val);
	isb();
}

/* ICC_SGI1R_EL1 written by a guest: deliver to the addressed CPUs of its own cell only. */
void gic_handle_sgir(struct per_cpu *cpu, u64 val)
{
	unsigned int sgi = (val >> 24) & 0xf, n;
	u64 targets = val & 0xffff, rs = (val >> 44) & 0xf;
	u64 aff = (val >> 16 & 0xff) << 8 | (val >> 32 & 0xff) << 16 | (val >> 48 & 0xffUL) << 32;
	bool irm = val & (1UL << 40);
	unsigned int addressed = 0, delivered = 0;

	stat_inc(cpu, EXIT_VSGI);
	for (n = 0; n < 16; n++)
		addressed += (targets >> n) & 1;
	for_each_cpu(n, cpu->cell->cpu_set) {
		struct per_cpu *target = per_cpu(n);
		u64 aff0 = target->hw_id & 0xff;

		/* IRM: every CPU but the sender, and here "every" ends at the cell */
		if (irm ? target == cpu : ((target->hw_id & ~0xffUL) != aff ||
		    aff0 >> 4 != rs || !((targets >> (aff0 & 0xf)) & 1)))
			continue;
		vgic_set_pending(target, sgi);
		delivered++;
		if (target != cpu)
			gic_send_sgi(target->hw_id, SGI_INJECT);
	}
	if (!irm && delivered < addressed)
		guest_warn(cpu->cell, "SGI %u to %u CPU(s) outside the cell dropped (ICC_SGI1R 0x%llx)\n",
			   sgi, addressed - delivered, val);
	vgic_flush_pending(cpu);
}

static void handle_own_irq(struct per_cpu *cpu, unsigned int irq)
{
	if (irq == gic_maintenance_irq) {
		/* the level-triggered cause must be gone before the deactivation */
		vgic_maintenance(cpu);
		stat_inc(cpu, EXIT_MAINTENANCE);
	} else {
		stat_inc(cpu, EXIT_MANAGEMENT);
	}
	write_sysreg(ICC_EOIR1_EL1, irq);
	write_sysreg(ICC_DIR_EL1, irq);
}

/* INTIDs 1020-1023 say "nothing (more) to acknowledge"; every other one must be ended. */
static bool is_special(unsigned int irq)
{
	return irq >= SPURIOUS_FIRST && irq < SPURIOUS_END;
}

/*
 * Physical LPIs belong to the root, which keeps the ITS; it routes them to its own CPUs. One
 * that arrives elsewhere (the root pointed a collection at a CPU a cell holds) is ended and
 * dropped, as is any INTID beyond what the queue and the virtual interface carry, or one of
 * the extended ranges, which the hypervisor never enables.
 */
static bool lpi_for_guest(struct per_cpu *cpu, unsigned int irq)
{
	if (irq < VGIC_QUEUE_INTIDS && cpu->cell == &hv.root)
		return true;
	guest_warn(&hv.root, "LPI %u on CPU %u (cell \"%s\") dropped: %s\n", irq, cpu->id,
		   cpu->cell->desc->name, cpu->cell == &hv.root ? "INTID beyond 16 bits" :
		   "the root's ITS routes it to a CPU it does not hold");
	return false;
}

/*
 * One INTID acknowledged from ICC_IAR1_EL1 (not a special one), the general way: the
 * hypervisor's own are ended, a guest's is queued (vgic_flush_pending() delivers it). The lean
 * IRQ path (gic_fast.c) hands over here what it does not take itself.
 */
void gic_handle_acked(struct per_cpu *cpu, unsigned int irq)
{
	if (irq < 16 || irq == gic_maintenance_irq) {
		handle_own_irq(cpu, irq);
		return;
	}
	/*
	 * Priority drop now. An SPI or PPI stays active until the guest's deactivation ends it
	 * (HW bit); an LPI has no active state, so this ends it.
	 */
	write_sysreg(ICC_EOIR1_EL1, irq);
	stat_inc(cpu, EXIT_VIRQ);
	if (is_lpi(irq) ? !lpi_for_guest(cpu, irq) : irq >= SPURIOUS_FIRST) {
		if (!is_lpi(irq))
			write_sysreg(ICC_DIR_EL1, irq);
		return;
	}
	vgic_set_pending(cpu, irq);
}

void gic_handle_irq(struct per_cpu *cpu)
{
	unsigned int irq;

	for (;;) {
		irq = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (is_special(irq))
			break;
		gic_handle_acked(cpu, irq);
	}
	vgic_flush_pending(cpu);
}

/* A parked CPU has no guest: end whatever arrives, remember nothing but the events. */
void gic_drain_irqs(struct per_cpu *cpu)
{
	unsigned int irq;

	for (;;) {
		irq = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (is_special(irq))
			break;
		write_sysreg(ICC_EOIR1_EL1, irq);
		if (!is_lpi(irq))
			write_sysreg(ICC_DIR_EL1, irq);
		stat_inc(cpu, irq < 16 ? EXIT_MANAGEMENT : EXIT_VIRQ);
	}
}

static void gic_lrs_reset(struct per_cpu *cpu)
{
	vgic_clear_lrs(cpu);
	write_sysreg(ICH_AP0R0_EL2, 0);
	write_sysreg(ICH_AP1R0_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, 0);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
}

static void forget_guest_irqs(struct per_cpu *cpu)
{
	gic_lrs_reset(cpu);
	vgic_clear_queue(cpu);
}

/*
 * The guest is gone (park): what it took is ended, and the interface is back to the state
 * Linux expects of a freshly started one.
 */
void gic_cpu_reset(struct per_cpu *cpu)
{
	vgic_end_taken(cpu, true);
	forget_guest_irqs(cpu);
}

void gic_cpu_activate(struct per_cpu *cpu)
{
	u8 *sgi_base = (u8 *)cpu->arch.gicr + GICR_SGI_BASE;
	u64 ctlr = read_sysreg(ICC_CTLR_EL1);
	u64 vmcr, active, sgis;

	/*
	 * Not gic_cpu_reset(): CPUs that activated before us may already have queued virtual
	 * SGIs for us (their kick is still pending). Wiping them loses Linux IPIs, and a lost
	 * function-call IPI leaves its queue non-empty, so Linux never sends another one.
	 */
	gic_lrs_reset(cpu);
	/* the virtual interface continues where Linux left the physical one */
	vmcr = (read_sysreg(ICC_PMR_EL1) & 0xff) << 24 | (read_sysreg(ICC_BPR1_EL1) & 7) << 18 |
	       (ctlr & ICC_CTLR_EOIMODE ? 1UL << 9 : 0) | (ctlr & 1 ? 1UL << 4 : 0) |
	       (read_sysreg(ICC_IGRPEN1_EL1) & 1) << 1;
	write_sysreg(ICH_VMCR_EL2, vmcr);
	/*
	 * Every priority reaches the hypervisor, which queues it: masking is the guest's, by its
	 * virtual PMR. Linux's 0xf0 here would keep an SPI a cell set to 0xf8 from ever arriving.
	 * Deactivation puts Linux's value back from the virtual one.
	 */
	write_sysreg(ICC_PMR_EL1, 0xff);
	cpu->arch.saved_icc_ctlr = ctlr;
	write_sysreg(ICC_CTLR_EL1, ctlr | ICC_CTLR_EOIMODE);
	/*
	 * We are entered from an IPI handler: its SGI is physically active, and Linux's coming
	 * deactivation will hit the virtual interface instead. End it here.
	 */
	active = mmio_read(sgi_base + GICR_ISACTIVER0, 4) & 0xffff;
	mmio_write(sgi_base + GICR_ICACTIVER0, 4, active);
	/*
	 * IPIs Linux sent before their sender entered the hypervisor are still pending physically;
	 * from now on they would be taken as our own SGIs and ended. They become virtual. SGI 0
	 * and 1 may instead be kicks of CPUs that activated before us: a spurious reschedule or
	 * function-call IPI is harmless, and those two stay pending so the kick is served too.
	 */
	sgis = mmio_read(sgi_base + GICR_ISPENDR0, 4) & 0xffff;
	mmio_write(sgi_base + GICR_ICPENDR0, 4, sgis & ~(1U << SGI_INJECT | 1U << SGI_EVENT));
	for (; sgis; sgis &= sgis - 1)
		vgic_set_pending(cpu, __builtin_ctzll(sgis));
	mmio_write(sgi_base + GICR_ISENABLER0, 4,
		   1U << SGI_INJECT | 1U << SGI_EVENT | 1U << gic_maintenance_irq);
	isb();
	vgic_flush_pending(cpu);
}

void gic_cpu_deactivate(struct per_cpu *cpu)
{
	u8 *sgi_base = (u8 *)cpu->arch.gicr + GICR_SGI_BASE;
	u64 vmcr = read_sysreg(ICH_VMCR_EL2), ctlr;
	unsigned int n, sgis;

	/*
	 * Undelivered ones: a HW interrupt fires again once deactivated, SGIs are re-sent. Those
	 * Linux is handling it deactivates itself, on the physical interface from now on.
	 */
	vgic_end_taken(cpu, false);
	sgis = vgic_pending_sgis(cpu);
	forget_guest_irqs(cpu);
	write_sysreg(ICH_HCR_EL2, 0);
	mmio_write(sgi_base + GICR_ICENABLER0, 4, 1U << gic_maintenance_irq);
	write_sysreg(ICC_PMR_EL1, vmcr >> 24 & 0xff);
	write_sysreg(ICC_BPR1_EL1, vmcr >> 18 & 7);
	write_sysreg(ICC_IGRPEN1_EL1, vmcr >> 1 & 1);
	ctlr = cpu->arch.saved_icc_ctlr & ~ICC_CTLR_EOIMODE;
	write_sysreg(ICC_CTLR_EL1, ctlr | (vmcr & (1UL << 9) ? ICC_CTLR_EOIMODE : 0));
	isb();
	for (n = 0; n < 16; n++)
		if ((sgis >> n) & 1)
			gic_send_sgi(cpu->hw_id, n);
}
