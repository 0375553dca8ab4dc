// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 CPU interfaces of each CPU through arm64's system registers. Trap mode: the
 * physical interface, where interrupts are taken at EL2 and queued for the guest (the virtual
 * interrupt engine's backend is inline, asm/gic_backend.h); LPIs, which have no active state,
 * are ended at EL2 and go in as plain virtual LPIs. Direct mode: the guest owns the physical
 * Group 1 interface, the hypervisor keeps Group 0 (its SGIs, FIQ) and the SGI registers.
 */
#include <asm/arm_arch.h>
#include <asm/gic_regs.h>
#include <asm/vgic.h>

#define SGI1R_IRM		(1UL << 40)

static bool is_lpi(unsigned int irq)
{
	return irq >= GIC_FIRST_LPI;
}

/* ICC_SGI0R/SGI1R_EL1 value: one SGI to one CPU, target-list form (Aff0 < 16 per range). */
static u64 sgi_value(u64 mpidr, unsigned int sgi)
{
	u64 aff0 = mpidr & 0xff;

	return ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
	       ((mpidr >> 8) & 0xff) << 16 | (aff0 >> 4) << 44 | (u64)sgi << 24 |
	       (1UL << (aff0 & 0xf));
}

/* The hypervisor's SGIs are Group 0: only ICC_SGI0R_EL1 raises them (QEMU drops SGI1R's). */
void gic_send_sgi(u64 mpidr, unsigned int sgi)
{
	dsb(ish);
	write_sysreg(ICC_SGI0R_EL1, sgi_value(mpidr, sgi));
	isb();
}

/* A Group 1 SGI, for the guest: taken at EL1 by a direct-mode CPU, at EL2 by the others. */
static void send_guest_sgi(u64 mpidr, unsigned int sgi)
{
	dsb(ish);
	write_sysreg(ICC_SGI1R_EL1, sgi_value(mpidr, sgi));
	isb();
}

/*
 * ICC_SGI1R_EL1 written by a guest: deliver to the addressed CPUs of its own cell only. Trap
 * mode queues a virtual SGI; direct mode re-issues it physically (the target takes it without
 * an exit), but never one of the hypervisor's two, which would share their Group 0 priority
 * on hardware that lets SGI1R raise them (KVM's notes on DS=1; QEMU drops those).
 */
void gic_handle_sgir(struct per_cpu *cpu, u64 val)
{
	unsigned int sgi = (val >> 24) & 0xf, n;
	u64 targets = val & 0xffff, rs = (val >> 44) & 0xf;
	u64 aff = (val >> 16 & 0xff) << 8 | (val >> 32 & 0xff) << 16 | (val >> 48 & 0xffUL) << 32;
	bool irm = val & SGI1R_IRM, direct = cpu->arch.direct;
	unsigned int addressed = 0, delivered = 0;

	stat_inc(cpu, EXIT_VSGI);
	if (direct && (1U << sgi) & HV_SGIS) {
		guest_warn(cpu->cell, "CPU %u: SGI %u is the hypervisor's: ICC_SGI1R 0x%llx refused\n",
			   cpu->id, sgi, val);
		return;
	}
	for (n = 0; n < 16; n++)
		addressed += (targets >> n) & 1;
	for_each_cpu(n, cpu->cell->cpu_set) {
		struct per_cpu *target = per_cpu(n);
		u64 aff0 = target->hw_id & 0xff;

		/* IRM: every CPU but the sender, and here "every" ends at the cell */
		if (irm ? target == cpu : ((target->hw_id & ~0xffUL) != aff ||
		    aff0 >> 4 != rs || !((targets >> (aff0 & 0xf)) & 1)))
			continue;
		delivered++;
		if (direct) {
			send_guest_sgi(target->hw_id, sgi);
			continue;
		}
		vgic_set_pending(target, sgi);
		if (target != cpu)
			gic_send_sgi(target->hw_id, SGI_INJECT);
	}
	if (!irm && delivered < addressed)
		guest_warn(cpu->cell, "SGI %u to %u CPU(s) outside the cell dropped (ICC_SGI1R 0x%llx)\n",
			   sgi, addressed - delivered, val);
	if (!direct)
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
 * Acknowledge and end the hypervisor's SGIs (the only Group 0 interrupts). Trap mode runs the
 * physical interface with EOImode 1, so the EOI only drops the priority; direct mode with 0.
 */
static void ack_group0(struct per_cpu *cpu)
{
	unsigned int irq;

	for (;;) {
		irq = read_sysreg(ICC_IAR0_EL1) & 0xffffff;
		if (is_special(irq))
			break;
		stat_inc(cpu, EXIT_MANAGEMENT);
		write_sysreg(ICC_EOIR0_EL1, irq);
		if (!cpu->arch.direct)
			write_sysreg(ICC_DIR_EL1, irq);
	}
}

/*
 * An FIQ: the hypervisor's SGIs. A kick (SGI_INJECT) means virtual SGIs wait in the queue;
 * an event (SGI_EVENT) means "look at your state", which the exit path does after any exit.
 */
void gic_handle_fiq(struct per_cpu *cpu)
{
	ack_group0(cpu);
	if (!cpu->arch.direct)
		vgic_flush_pending(cpu);
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

	ack_group0(cpu);
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

/* Active-priority registers in use: 1, 2 or 4 for 5, 6 or 7 priority (preemption) bits. */
static unsigned int num_aprs(unsigned int bits)
{
	return bits <= 5 ? 1 : bits == 6 ? 2 : 4;
}

static void ich_aprs_clear(void)
{
	unsigned int n = num_aprs(((read_sysreg(ICH_VTR_EL2) >> 26) & 7) + 1);

	switch (n) {
	case 4:
		write_sysreg(ICH_AP0R3_EL2, 0); write_sysreg(ICH_AP1R3_EL2, 0);
		write_sysreg(ICH_AP0R2_EL2, 0); write_sysreg(ICH_AP1R2_EL2, 0);
		/* fall through */
	case 2:
		write_sysreg(ICH_AP0R1_EL2, 0); write_sysreg(ICH_AP1R1_EL2, 0);
		/* fall through */
	default:
		write_sysreg(ICH_AP0R0_EL2, 0); write_sysreg(ICH_AP1R0_EL2, 0);
	}
}

/* Nothing active on the physical interface: what a guest acknowledged and left is forgotten. */
static void icc_aprs_clear(void)
{
	unsigned int n = num_aprs(ICC_CTLR_PRIBITS(read_sysreg(ICC_CTLR_EL1)));

	switch (n) {
	case 4:
		write_sysreg(ICC_AP0R3_EL1, 0); write_sysreg(ICC_AP1R3_EL1, 0);
		write_sysreg(ICC_AP0R2_EL1, 0); write_sysreg(ICC_AP1R2_EL1, 0);
		/* fall through */
	case 2:
		write_sysreg(ICC_AP0R1_EL1, 0); write_sysreg(ICC_AP1R1_EL1, 0);
		/* fall through */
	default:
		write_sysreg(ICC_AP0R0_EL1, 0); write_sysreg(ICC_AP1R0_EL1, 0);
	}
	isb();
}

/*
 * Group 1 active priorities above GIC_PRIO_CELL_MIN (bit i of the registers = priority i <<
 * (8 - bits)) cannot belong to a cell interrupt, its priorities being clamped: such a bit is a
 * direct-mode cell's write to ICC_AP1R<n>_EL1, which would hold off the hypervisor's SGIs (the
 * running priority is shared by both groups). The lower half of the bits goes.
 */
static void icc_ap1r_sanitise(void)
{
	unsigned int bits = ICC_CTLR_PRIBITS(read_sysreg(ICC_CTLR_EL1));

	if (bits <= 5) {
		write_sysreg(ICC_AP1R0_EL1, read_sysreg(ICC_AP1R0_EL1) & ~0xffffUL);
	} else {
		write_sysreg(ICC_AP1R0_EL1, 0);
		if (bits == 7)
			write_sysreg(ICC_AP1R1_EL1, 0);
	}
	isb();
}

static void gic_lrs_reset(struct per_cpu *cpu)
{
	vgic_clear_lrs(cpu);
	ich_aprs_clear();
	write_sysreg(ICH_VMCR_EL2, 0);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
}

static void forget_guest_irqs(struct per_cpu *cpu)
{
	gic_lrs_reset(cpu);
	vgic_clear_queue(cpu);
}

/*
 * Direct mode on this CPU (its new cell has HVCFG_CELL_IRQ_DIRECT), entered from park with the
 * interface in trap mode: virtual interface off (the guest's accesses to the common and Group
 * 0 registers, ICV_*, still land in ICH_VMCR_EL2 and ICH_AP0R<n>_EL2: FMO is set), physical
 * EOImode 0 as a Linux at EL1 expects (its DIR would be virtual), every priority unmasked
 * (the guest's PMR is virtual), Group 1 off until the guest enables it.
 */
void gic_cpu_direct_enter(struct per_cpu *cpu)
{
	gic_redist_private_reset(cpu, true);
	gic_lrs_reset(cpu);
	write_sysreg(ICH_HCR_EL2, 0);
	write_sysreg(ICC_IGRPEN1_EL1, 0);
	icc_aprs_clear();
	write_sysreg(ICC_CTLR_EL1, read_sysreg(ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE);
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR1_EL1, 0);
	cpu->arch.direct = true;
	write_sysreg(hcr_el2, hcr_value(true));
	isb();
}

/*
 * Back to trap mode (park): nothing of the cell stays on the physical interface (active
 * priorities, what it acknowledged, EOImode, masks) nor in its redistributor.
 */
void gic_cpu_direct_leave(struct per_cpu *cpu)
{
	write_sysreg(ICC_IGRPEN1_EL1, 0);
	write_sysreg(hcr_el2, hcr_value(false));
	isb();
	cpu->arch.direct = false;
	gic_redist_private_reset(cpu, false);
	gic_cell_spis_deactivate(cpu);
	icc_aprs_clear();
	write_sysreg(ICC_CTLR_EL1, read_sysreg(ICC_CTLR_EL1) | ICC_CTLR_EOIMODE);
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR1_EL1, 0);
	gic_lrs_reset(cpu);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
}

/*
 * A direct-mode guest's WFI, trapped (HCR_EL2.TWI): wait here for what would wake it. Its
 * interrupts target EL1, and an interrupt for a lower EL is no wake-up event at EL2 (Arm ARM
 * D1.7.2; QEMU wakes anyway), so they target EL2 while we wait: with IMO set a pending Group
 * 1 interrupt is one, and stays pending for the guest. A management FIQ wakes us as well;
 * it is acknowledged here, and the exit path then parks or halts as asked.
 */
void gic_direct_wait(struct per_cpu *cpu)
{
	u64 hcr = read_sysreg(hcr_el2);

	icc_ap1r_sanitise();
	write_sysreg(hcr_el2, hcr | HCR_IMO);
	isb();
	if (!READ_ONCE(cpu->park_request) && !hv.panicked)
		arm_wait_for_interrupt();
	write_sysreg(hcr_el2, hcr);
	isb();
	ack_group0(cpu);
}

/*
 * The guest is gone (park): what it took is ended, and the interface is back to the state
 * Linux expects of a freshly started one, in trap mode.
 */
void gic_cpu_reset(struct per_cpu *cpu)
{
	if (cpu->arch.direct)
		gic_cpu_direct_leave(cpu);
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
	active = mmio_read(sgi_base + GICR_ISACTIVER0, 4) & 0xffff & ~HV_SGIS;
	mmio_write(sgi_base + GICR_ICACTIVER0, 4, active);
	/*
	 * IPIs Linux sent before their sender entered the hypervisor are still pending physically;
	 * from now on they would be taken at EL2 and ended. They become virtual. Kicks of CPUs
	 * that activated before us cannot be among them: those are Group 0 SGIs the hypervisor
	 * claimed before any CPU activated (gic_cpu_init), and arrive as FIQ after the eret.
	 */
	sgis = mmio_read(sgi_base + GICR_ISPENDR0, 4) & 0xffff & ~HV_SGIS;
	mmio_write(sgi_base + GICR_ICPENDR0, 4, sgis);
	for (; sgis; sgis &= sgis - 1)
		vgic_set_pending(cpu, __builtin_ctzll(sgis));
	mmio_write(sgi_base + GICR_ISENABLER0, 4, 1U << gic_maintenance_irq);
	/* Group 0 on, at EL2 only: with FMO set the guest sees ICV_IGRPEN0/BPR0 */
	cpu->arch.saved_igrpen0 = read_sysreg(ICC_IGRPEN0_EL1);
	cpu->arch.saved_bpr0 = read_sysreg(ICC_BPR0_EL1);
	write_sysreg(ICC_BPR0_EL1, 0);
	write_sysreg(ICC_IGRPEN0_EL1, 1);
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
	/* Group 0 back to Linux's setting; the SGIs themselves in gic_hv_sgis_release() */
	write_sysreg(ICC_IGRPEN0_EL1, cpu->arch.saved_igrpen0);
	write_sysreg(ICC_BPR0_EL1, cpu->arch.saved_bpr0);
	isb();
	for (n = 0; n < 16; n++)
		if ((sgis >> n) & 1)
			send_guest_sgi(cpu->hw_id, n);
}
