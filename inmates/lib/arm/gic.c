// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * GICv2: the distributor (set up once) and each CPU's memory-mapped CPU interface; in a cell
 * the hypervisor emulates the distributor and backs the CPU interface with the GICV, so only
 * touch what we use. Interrupts stay in group 0 (IRQ, not FIQ: GICC_CTLR.FIQEn stays 0).
 * Base addresses: comm region (gicd_base/gicc_base), else gicd=/gicc= or the build defaults.
 */
#include "internal.h"

#define GICD_CTLR_ENABLE	(1 << 0)
#define GICC_CTLR_ENABLE	(1 << 0)
#define GICD_SGIR_TARGETS_SHIFT	16
#define GIC_MAX_TARGETS		8

#define IRQ_PRIORITY		0xa0

static uintptr_t gicd;
static uintptr_t gicc;
static irq_handler_t irq_handler;
static spinlock_t dist_lock;
static bool dist_ready;

void gic_find_bases(void)
{
	struct hv_comm_region *comm = comm_region();
	const struct hv_comm_arm *arm = comm ? hv_comm_arm(comm) : NULL;

	gicd = inmate_defaults.gicd_base;
	gicc = inmate_defaults.gicc_base;
	if (arm && arm->gicd_base && arm->gicc_base) {
		gicd = arm->gicd_base;
		gicc = arm->gicc_base;
	}
	gicd = cmdline_get_u64("gicd", gicd);
	gicc = cmdline_get_u64("gicc", gicc);
}

uintptr_t gic_dist_base(void)
{
	return gicd;
}

uintptr_t gic_cpu_base(void)
{
	return gicc;
}

static void cpu_if_init(void)
{
	mmio_write32(gicc + GICC_PMR, 0xf0);
	mmio_write32(gicc + GICC_BPR, 0);
	/* EOImode 0: the EOIR write also deactivates. */
	mmio_write32(gicc + GICC_CTLR, GICC_CTLR_ENABLE);
}

/* GICD_ITARGETSR0..7 read back the reading CPU's own interface bit in every byte. */
static u32 own_target(void)
{
	return mmio_read32(gicd + GICD_ITARGETSR) & 0xff;
}

void irq_init(irq_handler_t handler)
{
	struct per_cpu *pc = this_cpu();

	irq_handler = handler;
	spin_lock(&dist_lock);
	if (!dist_ready) {
		mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ENABLE);
		dist_ready = true;
	}
	spin_unlock(&dist_lock);
	pc->gic_target = own_target();
	cpu_if_init();
}

/* Word-sized read-modify-write: byte accesses are harder for a trapping hypervisor. */
static void set_byte(uintptr_t base, unsigned int irq, u32 val)
{
	uintptr_t reg = base + (irq & ~3U);
	unsigned int shift = (irq % 4) * 8;

	mmio_write32(reg, (mmio_read32(reg) & ~(0xffU << shift)) | (val << shift));
}

void irq_enable(unsigned int irq)
{
	set_byte(gicd + GICD_IPRIORITYR, irq, IRQ_PRIORITY);
	if (irq >= 32)
		set_byte(gicd + GICD_ITARGETSR, irq, this_cpu()->gic_target ?: own_target());
	mmio_write32(gicd + GICD_ISENABLER + (irq / 32) * 4, 1U << (irq % 32));
}

void irq_disable(unsigned int irq)
{
	mmio_write32(gicd + GICD_ICENABLER + (irq / 32) * 4, 1U << (irq % 32));
}

/*
 * GICv2 names CPUs by interface number, not affinity: a CPU the library started knows its own
 * (irq_init); any other is assumed to be interface Aff0, as on QEMU's virt machine.
 */
static u32 target_of(u64 mpidr)
{
	unsigned int i;

	mpidr &= MPIDR_AFF_MASK;
	for (i = 0; i < MAX_CPUS; i++)
		if (per_cpus[i].online && per_cpus[i].mpidr == mpidr && per_cpus[i].gic_target)
			return per_cpus[i].gic_target;
	return 1U << (mpidr & (GIC_MAX_TARGETS - 1));
}

void irq_send_sgi(unsigned int irq, u64 mpidr)
{
	dsb(ish);
	mmio_write32(gicd + GICD_SGIR, target_of(mpidr) << GICD_SGIR_TARGETS_SHIFT | (irq & 0xf));
}

void gic_handle_irq(u64 entry_ticks)
{
	for (;;) {
		u32 iar = mmio_read32(gicc + GICC_IAR);
		unsigned int irq = iar & 0x3ff;

		if (irq >= 1020)
			break;
		if (irq_handler)
			irq_handler(irq, entry_ticks);
		mmio_write32(gicc + GICC_EOIR, iar);
	}
}
