// SPDX-License-Identifier: GPL-2.0
/*
 * GICv2, the CPU side. Physical interrupts come to Hyp mode; the physical CPU interface runs
 * with EOImode 1, so the EOI here only drops the priority and a guest interrupt stays active
 * until the guest deactivates its virtual copy (list register with the HW bit). Everything is
 * signalled as IRQ (no Security Extensions, no groups): the hypervisor's own SGI (SGI_EVENT)
 * is told from the guests' by its number; guests' SGIs are purely virtual, so no guest can
 * raise it. The list registers, the queue and the maintenance interrupt are the shared engine's
 * (arm-common/vgic.c over asm/gic_backend.h).
 */
#include <asm/arm_arch.h>
#include <asm/gic_regs.h>
#include <asm/vgic.h>

/* Linux's physical CPU interface control, given back on disable (EOImode from the guest) */
static u32 saved_gicc_ctlr[CONFIG_MAX_CPUS];

static u32 gicc_read(unsigned int off)
{
	return *(volatile u32 *)(gic_gicc + off);
}

static void gicc_write(unsigned int off, u32 val)
{
	*(volatile u32 *)(gic_gicc + off) = val;
}

static u32 gicd_read(unsigned int off)
{
	return *(volatile u32 *)(gic_gicd + off);
}

static void gicd_write(unsigned int off, u32 val)
{
	*(volatile u32 *)(gic_gicd + off) = val;
}

int gic_cpu_init(struct per_cpu *cpu)
{
	/* the banked ITARGETSR0 names the reading CPU's interface; RAZ on a uniprocessor GIC */
	u8 mask = mmio_read(gic_gicd + GICD_ITARGETSR, 1);

	if (!mask && hv.num_cpus > 1) {
		pr_err("CPU %u: GICD_ITARGETSR0 names no CPU interface\n", cpu->id);
		return -ENODEV;
	}
	gic_cpu_if[cpu->id] = mask ? mask : 1;
	vgic_cpu_init(cpu);
	return 0;
}

/* Another CPU's hypervisor SGI (or one of the guest's, should it ever be physical). */
void gic_send_sgi(u64 mpidr, unsigned int sgi)
{
	struct per_cpu *target = cpu_by_hw_id(mpidr & MPIDR_AFF_MASK);

	if (!target)
		return;
	dsb(ish);
	gicd_write(GICD_SGIR, (u32)gic_cpu_if[target->id] << 16 | (sgi & 0xf));
}

/*
 * GICD_SGIR written by a guest: a virtual SGI for each addressed CPU of its own cell, whose
 * CPU is kicked with the hypervisor's SGI to load it. CPUs outside the cell never get it.
 */
void gic_handle_sgir(struct per_cpu *cpu, u32 val)
{
	u8 self = gic_cpu_if[cpu->id], cell = gic_cell_targets(cpu->cell);
	u8 targets = gic_sgir_targets(val, self, cell);
	unsigned int n, sgi = SGIR_INTID(val);
	struct per_cpu *target;

	stat_inc(cpu, EXIT_VSGI);
	if (SGIR_FILTER(val) == SGIR_FILTER_LIST && SGIR_TARGETS(val) & ~cell)
		guest_warn(cpu->cell, "SGI %u to CPU interfaces 0x%x outside the cell dropped (GICD_SGIR 0x%x)\n",
			   sgi, SGIR_TARGETS(val) & ~cell, val);
	for_each_cpu(n, cpu->cell->cpu_set) {
		if (!(gic_cpu_if[n] & targets))
			continue;
		target = per_cpu(n);
		vgic_set_pending(target, sgi);
		if (target != cpu)
			gic_send_sgi(target->hw_id, SGI_EVENT);
	}
	vgic_flush_pending(cpu);
}

/* Priority drop and deactivation of what the hypervisor itself handles. */
static void end_irq(u32 iar)
{
	gicc_write(GICC_EOIR, iar);
	gicc_write(GICC_DIR, iar);
}

void gic_handle_irq(struct per_cpu *cpu)
{
	unsigned int irq;
	u32 iar;

	for (;;) {
		iar = gicc_read(GICC_IAR);
		irq = GICC_IAR_ID(iar);
		if (irq >= SPURIOUS_FIRST)
			break;
		if (irq == gic_maintenance_irq) {
			/* the level-triggered cause must be gone before the deactivation */
			vgic_maintenance(cpu);
			end_irq(iar);
			stat_inc(cpu, EXIT_MAINTENANCE);
		} else if (irq < NUM_SGIS) {
			/*
			 * SGI_EVENT: look at your state, virtual SGIs may wait (flushed below).
			 * Another SGI was sent by a Linux CPU not yet under the hypervisor
			 * (enable): it becomes the virtual one it was meant to be.
			 */
			end_irq(iar);
			if (irq != SGI_EVENT)
				vgic_set_pending(cpu, irq);
			stat_inc(cpu, irq == SGI_EVENT ? EXIT_MANAGEMENT : EXIT_VIRQ);
		} else {
			/* priority drop only: the guest's deactivation ends it (HW bit) */
			gicc_write(GICC_EOIR, iar);
			vgic_set_pending(cpu, irq);
			stat_inc(cpu, EXIT_VIRQ);
		}
	}
	vgic_flush_pending(cpu);
}

/* A parked CPU has no guest: end whatever arrives. */
void gic_drain_irqs(struct per_cpu *cpu)
{
	u32 iar;

	for (;;) {
		iar = gicc_read(GICC_IAR);
		if (GICC_IAR_ID(iar) >= SPURIOUS_FIRST)
			break;
		end_irq(iar);
		stat_inc(cpu, GICC_IAR_ID(iar) < NUM_SGIS ? EXIT_MANAGEMENT : EXIT_VIRQ);
	}
}

/* Bits of the banked first registers that stay the hypervisor's. */
static u32 hv_private(void)
{
	return 1U << SGI_EVENT | 1U << gic_maintenance_irq;
}

/*
 * The CPU's private interrupts between owners: disabled, not pending, not active, at Linux's
 * default priority; only the hypervisor's SGI and the maintenance interrupt stay. (SGIs cannot
 * be disabled on GICv2; their pending state per source is cleared.)
 */
static void private_reset(void)
{
	u32 keep = hv_private();
	unsigned int n;

	gicd_write(GICD_ICENABLER, ~keep);
	gicd_write(GICD_ICPENDR, ~keep);
	gicd_write(GICD_ICACTIVER, ~keep);
	for (n = 0; n < NUM_SGIS; n += 4)
		gicd_write(GICD_CPENDSGIR + n, n == (SGI_EVENT & ~3U) ?
			   ~(0xffU << (SGI_EVENT % 4 * 8)) : ~0U);
	for (n = 0; n < 32; n++)
		if (!gic_reserved_private(n))
			mmio_write(gic_gicd + GICD_IPRIORITYR + n, 1, GIC_PRIO_DEFAULT);
	gicd_write(GICD_ISENABLER, 1U << gic_maintenance_irq);
	dsb(sy);
}

static void forget_guest_irqs(struct per_cpu *cpu)
{
	vgic_clear_lrs(cpu);
	vgic_clear_queue(cpu);
	gich_write(GICH_APR, 0);
	gich_write(GICH_VMCR, 0);
	gich_write(GICH_HCR, GICH_HCR_EN);
}

/*
 * The guest is gone (park): what it took is ended, its list registers, queue and active
 * priorities are forgotten, and its private interrupts are reset for whoever comes next (a
 * root Linux that onlines the CPU again configures them anew).
 */
void gic_cpu_reset(struct per_cpu *cpu)
{
	vgic_end_taken(cpu, true);
	forget_guest_irqs(cpu);
	private_reset();
}

void gic_cpu_activate(struct per_cpu *cpu)
{
	u32 ctlr = gicc_read(GICC_CTLR), pmr = gicc_read(GICC_PMR), bpr = gicc_read(GICC_BPR);
	u32 active, sgis;
	unsigned int n;

	/* not vgic_clear_queue(): CPUs that activated before may have queued SGIs for us */
	vgic_clear_lrs(cpu);
	gich_write(GICH_APR, 0);
	/* the virtual interface continues where Linux left the physical one */
	gich_write(GICH_VMCR, (ctlr & GICC_CTLR_ENABLE ? VMCR_GRP0_EN : 0) |
		   (ctlr & GICC_CTLR_EOIMODE ? VMCR_EOIMODE : 0) | (pmr >> 3) << VMCR_PMR_SHIFT |
		   (bpr & 7) << VMCR_BP_SHIFT);
	gich_write(GICH_HCR, GICH_HCR_EN);
	saved_gicc_ctlr[cpu->id] = ctlr;
	/* every priority reaches the hypervisor; masking is the guest's, by its virtual PMR */
	gicc_write(GICC_PMR, GICC_PRIO_MIN);
	gicc_write(GICC_CTLR, ctlr | GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
	/*
	 * Entered from an IPI handler: its SGI is physically active, and Linux's coming
	 * deactivation will reach the virtual interface instead. End it here.
	 */
	active = gicd_read(GICD_ISACTIVER) & 0xffff & ~(1U << SGI_EVENT);
	gicd_write(GICD_ICACTIVER, active);
	/* IPIs sent before their sender entered the hypervisor become virtual ones */
	sgis = gicd_read(GICD_ISPENDR) & 0xffff & ~(1U << SGI_EVENT);
	for (n = 0; n < NUM_SGIS; n++) {
		if (!((sgis >> n) & 1))
			continue;
		mmio_write(gic_gicd + GICD_CPENDSGIR + n, 1, 0xff);
		vgic_set_pending(cpu, n);
	}
	gicd_write(GICD_ISENABLER, 1U << gic_maintenance_irq);
	dsb(sy);
	vgic_flush_pending(cpu);
}

/*
 * Disable: Linux gets its physical CPU interface back as its virtual one is now. Interrupts
 * taken for it and not yet delivered fire again once deactivated; pending virtual SGIs are
 * sent again, physically, to itself. Those it is handling it deactivates itself, on the
 * physical interface from now on (the HW bit kept them active there).
 */
void gic_cpu_deactivate(struct per_cpu *cpu)
{
	u32 vmcr = gich_read(GICH_VMCR), ctlr = saved_gicc_ctlr[cpu->id], sgis;
	unsigned int n;

	vgic_end_taken(cpu, false);
	sgis = vgic_pending_sgis(cpu);
	forget_guest_irqs(cpu);
	gich_write(GICH_HCR, 0);
	gicd_write(GICD_ICENABLER, 1U << gic_maintenance_irq);
	gicc_write(GICC_PMR, (vmcr >> VMCR_PMR_SHIFT) << 3);
	gicc_write(GICC_BPR, (vmcr >> VMCR_BP_SHIFT) & 7);
	ctlr &= ~(GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
	gicc_write(GICC_CTLR, ctlr | (vmcr & VMCR_GRP0_EN ? GICC_CTLR_ENABLE : 0) |
		   (vmcr & VMCR_EOIMODE ? GICC_CTLR_EOIMODE : 0));
	dsb(sy);
	for (n = 0; n < NUM_SGIS; n++)
		if ((sgis >> n) & 1)
			gicd_write(GICD_SGIR, SGIR_FILTER_SELF << 24 | n);
}

/*
 * The guest's WFI, trapped: QEMU's GICv2 does not signal a level interrupt again that was
 * asserted while a hardware list register held it, once the guest deactivated it (a timer
 * reprogrammed into the past in its own handler), until another GIC event on the CPU; a root
 * with one CPU left waited forever. Any write to the CPU interface makes QEMU look again (PMR
 * rewritten as it is). A virtual interrupt the guest waits for does not wake Hyp mode: with one
 * queued or in a list register the WFI just completes.
 */
void gic_cpu_idle(struct per_cpu *cpu)
{
	gicc_write(GICC_PMR, gicc_read(GICC_PMR));
	if (!READ_ONCE(cpu->arch.vgic.pending_top) &&
	    !(cpu->arch.vgic.used_lrs & ~gic_backend_empty_lrs()))
		arm_wait_for_interrupt();
}
