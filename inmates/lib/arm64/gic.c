// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * GICv3: affinity routing, group 1 interrupts through the ICC system registers. The
 * distributor is set up once; each CPU finds its own redistributor by affinity. In a cell the
 * hypervisor filters distributor and redistributor accesses, so only touch what we use.
 * Base addresses: comm region (gicd_base/gicr_base), else gicd=/gicr= or the build defaults.
 */
#include "internal.h"

#define GICD_CTLR_GRP1		(3 << 0)	/* EnableGrp1NS (and Grp1A) or, with DS=1, Grp0+1 */
#define GICD_CTLR_ARE		(1 << 4)
#define GICD_CTLR_RWP		(1U << 31)

#define GICR_TYPER_VLPIS	(1 << 1)
#define GICR_TYPER_LAST		(1 << 4)
#define GICR_WAKER_SLEEP	(1 << 1)
#define GICR_WAKER_CHILDREN	(1 << 2)
#define GICR_MAX_FRAMES		128

#define ICC_SRE_SRE		(1 << 0)
#define ICC_SRE_DFB		(1 << 1)
#define ICC_SRE_DIB		(1 << 2)

#define IRQ_PRIORITY		0xa0
#define POLL_LIMIT		1000000

static uintptr_t gicd;
static uintptr_t gicr_first;
static irq_handler_t irq_handler;
static spinlock_t dist_lock;
static bool dist_ready;

static void wait_clear(uintptr_t reg, u32 mask)
{
	unsigned int n;

	for (n = 0; n < POLL_LIMIT && (mmio_read32(reg) & mask); n++)
		cpu_relax();
}

void gic_find_bases(void)
{
	struct hv_comm_region *comm = comm_region();
	const struct hv_comm_arm *arm = comm ? hv_comm_arm(comm) : NULL;

	gicd = inmate_defaults.gicd_base;
	gicr_first = inmate_defaults.gicr_base;
	if (arm && arm->gicd_base && arm->gicr_base) {
		gicd = arm->gicd_base;
		gicr_first = arm->gicr_base;
	}
	gicd = cmdline_get_u64("gicd", gicd);
	gicr_first = cmdline_get_u64("gicr", gicr_first);
}

static void dist_init(void)
{
	u32 ctlr = mmio_read32(gicd + GICD_CTLR);

	/* ARE must be set before the groups are enabled. */
	if (!(ctlr & GICD_CTLR_ARE)) {
		mmio_write32(gicd + GICD_CTLR, ctlr | GICD_CTLR_ARE);
		wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
	}
	mmio_write32(gicd + GICD_CTLR, ctlr | GICD_CTLR_ARE | GICD_CTLR_GRP1);
	wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
}

/* Walk the redistributor frames for the one whose affinity is ours. */
static uintptr_t redist_find(void)
{
	u32 aff = mpidr_to_aff32(cpu_mpidr());
	uintptr_t rd = gicr_first;
	unsigned int n;

	for (n = 0; n < GICR_MAX_FRAMES; n++) {
		u32 typer_lo = mmio_read32(rd + GICR_TYPER);

		if (mmio_read32(rd + GICR_TYPER + 4) == aff)
			return rd;
		if (typer_lo & GICR_TYPER_LAST)
			break;
		rd += (typer_lo & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
	return 0;
}

static void cpu_if_init(void)
{
	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | ICC_SRE_SRE | ICC_SRE_DFB |
		     ICC_SRE_DIB);
	isb();
	write_sysreg(ICC_PMR_EL1, 0xf0);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_CTLR_EL1, 0);		/* EOImode 0: EOI also deactivates */
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
}

void irq_init(irq_handler_t handler)
{
	struct per_cpu *pc = this_cpu();

	irq_handler = handler;
	spin_lock(&dist_lock);
	if (!dist_ready) {
		dist_init();
		dist_ready = true;
	}
	spin_unlock(&dist_lock);
	pc->gicr = redist_find();
	if (!pc->gicr) {
		printk("gic: no redistributor for cpu %u (mpidr 0x%llx) from 0x%llx\n",
		       cpu_id(), cpu_mpidr(), (u64)gicr_first);
		return;
	}
	mmio_write32(pc->gicr + GICR_WAKER,
		     mmio_read32(pc->gicr + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	wait_clear(pc->gicr + GICR_WAKER, GICR_WAKER_CHILDREN);
	cpu_if_init();
}

static void set_bit32(uintptr_t base, unsigned int irq)
{
	uintptr_t reg = base + (irq / 32) * 4;

	mmio_write32(reg, mmio_read32(reg) | (1U << (irq % 32)));
}

/* Word-sized read-modify-write: byte access to IPRIORITYR is harder for a trapping hypervisor. */
static void set_priority(uintptr_t base, unsigned int irq)
{
	uintptr_t reg = base + GICD_IPRIORITYR + (irq & ~3U);
	unsigned int shift = (irq % 4) * 8;

	mmio_write32(reg, (mmio_read32(reg) & ~(0xffU << shift)) | (IRQ_PRIORITY << shift));
}

void irq_enable(unsigned int irq)
{
	uintptr_t sgi = this_cpu()->gicr + GICR_SGI_BASE;

	if (irq < 32) {
		if (!this_cpu()->gicr)
			return;
		set_bit32(sgi + GICD_IGROUPR, irq);
		set_priority(sgi, irq);
		mmio_write32(sgi + GICD_ISENABLER, 1U << irq);
		return;
	}
	set_bit32(gicd + GICD_IGROUPR, irq);
	set_priority(gicd, irq);
	mmio_write64(gicd + GICD_IROUTER + 8 * irq, cpu_mpidr());
	mmio_write32(gicd + GICD_ISENABLER + (irq / 32) * 4, 1U << (irq % 32));
}

void irq_disable(unsigned int irq)
{
	if (irq < 32) {
		if (this_cpu()->gicr)
			mmio_write32(this_cpu()->gicr + GICR_SGI_BASE + GICD_ICENABLER, 1U << irq);
		return;
	}
	mmio_write32(gicd + GICD_ICENABLER + (irq / 32) * 4, 1U << (irq % 32));
}

void irq_send_sgi(unsigned int irq, u64 mpidr)
{
	u64 val = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
		  ((mpidr >> 8) & 0xff) << 16 | (u64)(irq & 0xf) << 24 |
		  (1U << (mpidr & 0xf));

	/* Aff0 must be below 16 for the target list form. */
	dsb(ish);
	write_sysreg(ICC_SGI1R_EL1, val);
	isb();
}

void gic_handle_irq(u64 entry_ticks)
{
	for (;;) {
		u64 iar = read_sysreg(ICC_IAR1_EL1);
		unsigned int irq = iar & 0xffffff;

		if (irq >= 1020)
			break;
		if (irq_handler)
			irq_handler(irq, entry_ticks);
		write_sysreg(ICC_EOIR1_EL1, iar);
	}
}
