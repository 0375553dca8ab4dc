// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3. In trap mode (the root, cells without HVCFG_CELL_IRQ_DIRECT) physical interrupts are
 * taken at EL2, their priority dropped, and handed to the guest through a list register with
 * the HW bit, so the guest's deactivation reaches the physical interrupt without another exit;
 * guest SGIs are purely virtual. In direct mode a cell's CPUs take their Group 1 interrupts
 * themselves (gic_vcpu.c). Either way the hypervisor's own SGIs are Group 0 (FIQ at EL2), and
 * the distributor and the redistributors are trapped: accesses go through only for interrupts
 * and CPUs the cell owns, and never give a cell a priority that could hold off those SGIs.
 */

#include <asm/gic_regs.h>
#include <asm/cfg_arm.h>
#include <asm/vgic.h>

#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IGRPMODR		0x0d00
#define GICD_IROUTER_IRM	(1UL << 31)	/* "any CPU": never for a cell's interrupt */
#define GICD_CTLR_RWP		(1U << 31)
#define GICR_CTLR		0x0000
#define GICR_CTLR_RWP		(1U << 3)
#define RWP_POLLS		1000000

struct irq_reg {
	u16 start, end;		/* GICD offsets */
	u8 bits;		/* per interrupt */
	bool set_clear;		/* write-1 semantics: no read-modify-write needed */
	bool read_only;		/* the hypervisor's: every interrupt stays Non-secure Group 1 */
};

/*
 * The group is the hypervisor's, not the owner's: everything is Group 1 but its own two SGIs,
 * the only Group 0 interrupts (FIQ). A guest's Group 0 interrupt would arrive at EL2 as an FIQ
 * the hypervisor does not expect, and would share their priority.
 */
static const struct irq_reg irq_regs[] = {
	{ 0x0080, 0x0100, 1, false, true },	/* IGROUPR */
	{ 0x0100, 0x0400, 1, true, false },	/* IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER */
	{ 0x0400, 0x0800, 8, false, false },	/* IPRIORITYR */
	{ 0x0c00, 0x0d00, 2, false, false },	/* ICFGR */
	{ 0x0d00, 0x0d80, 1, false, true },	/* IGRPMODR */
	{ 0x0e00, 0x0f00, 2, false, false },	/* NSACR */
};

/* What the root had configured for an SPI when a cell got it: every new owner starts there. */
struct spi_setting {
	u8 priority, config;
	bool enabled;		/* the root's, kept up to date while a cell holds the SPI */
};

static void *gicd;
static u8 *gicr;
static u32 gicr_stride, gicr_frames;
u32 gic_maintenance_irq;
static spinlock_t dist_lock;
static struct spi_setting root_setting[SPURIOUS_FIRST];

static void reg_update(void *reg, u32 field, u32 value)
{
	u32 old = mmio_read(reg, 4);

	mmio_write(reg, 4, (old & ~field) | (value & field));
}

static void dist_update(u64 reg, u32 field, u32 value)
{
	reg_update(gicd + reg, field, value);
}

/* Until the distributor has applied disables and group changes; bounded, it is hardware. */
static void dist_wait_rwp(void)
{
	unsigned int n;

	for (n = 0; n < RWP_POLLS && mmio_read(gicd + GICD_CTLR, 4) & GICD_CTLR_RWP; n++)
		cpu_relax();
}

/* The same for a redistributor's SGI/PPI disables. */
static void redist_wait_rwp(u8 *rd)
{
	unsigned int n;

	for (n = 0; n < RWP_POLLS && mmio_read(rd + GICR_CTLR, 4) & GICR_CTLR_RWP; n++)
		cpu_relax();
}


static bool reserved_private(unsigned int irq)
{
	return irq == SGI_INJECT || irq == SGI_EVENT || irq == gic_maintenance_irq;
}

/* Bits of a per-interrupt register access the cell may see and change. */
static u64 owned_mask(const struct cell *cell, unsigned int first, unsigned int count,
		      unsigned int bits, bool private)
{
	u64 mask = 0, field = (1UL << bits) - 1;
	unsigned int n, irq;

	for (n = 0; n < count; n++) {
		irq = first + n;
		if (private ? (irq < 32 && !reserved_private(irq)) : (irq >= 32 &&
		    cell_owns_irq(cell, irq)))
			mask |= field << (n * bits);
	}
	return mask;
}

/*
 * The root enables or disables an SPI a cell holds (Linux's disable_irq/free_irq while the
 * device is lent): the distributor is not the root's to change now, but the SPI comes back
 * in the state the root last asked for.
 */
static void note_root_enable(u64 off, u32 value, unsigned int first)
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
 * A non-root cell's priorities are at least GIC_PRIO_CELL_MIN: in direct mode an interrupt it
 * acknowledged and never ended blocks every interrupt of equal or lower priority, the
 * hypervisor's SGIs included, if it could sit above them (docs/security.md). Relative order
 * within 0x80-0xff is kept, so a cell that uses that range sees no difference.
 */
static u64 clamp_priorities(u64 value, unsigned int size)
{
	unsigned int n;
	u64 byte;

	for (n = 0; n < size; n++) {
		byte = (value >> (n * 8)) & 0xff;
		if (byte < GIC_PRIO_CELL_MIN)
			value = (value & ~(0xffUL << (n * 8))) | (u64)GIC_PRIO_CELL_MIN << (n * 8);
	}
	return value;
}

/* Shared by GICD (SPIs) and the GICR SGI frame (SGIs/PPIs): same offsets, same layout. */
static enum mmio_result irq_reg_access(struct cell *cell, void *base, u64 off,
				       struct mmio_access *acc, bool private)
{
	const struct irq_reg *r = NULL;
	unsigned int n, first;
	u64 mask, old;

	for (n = 0; n < ARRAY_SIZE(irq_regs); n++)
		if (off >= irq_regs[n].start && off < irq_regs[n].end)
			r = &irq_regs[n];
	if (!r)
		return MMIO_UNHANDLED;
	/* the 1-bit range 0x100-0x400 holds six register banks of 0x80 bytes each */
	first = (r->bits == 1 ? (off - r->start) % 0x80 : off - r->start) * 8 / r->bits;
	mask = owned_mask(cell, first, acc->size * 8 / r->bits, r->bits, private);
	if (!acc->write) {
		acc->value = mmio_read(base + off, acc->size) & mask;
		return MMIO_HANDLED;
	}
	if (cell == &hv.root && !private && off >= GICD_ISENABLER && off < GICD_ISPENDR)
		note_root_enable(off, acc->value & ~mask, first);
	/*
	 * A read-modify-write writes back zeros where it read them. Linux in the root writes
	 * whole private registers at CPU start-up, reserved bits included: not worth a line.
	 */
	if (acc->value & ~mask && cell != &hv.root)
		guest_warn(cell, "%s write 0x%llx to 0x%llx touches interrupts %u-%u it does not own: %s\n",
			   private ? "GICR" : "GICD", acc->value, off, first,
			   first + acc->size * 8 / r->bits - 1, "ignored for those");
	if (r->bits == 8 && cell != &hv.root)
		acc->value = clamp_priorities(acc->value, acc->size);
	if (r->read_only) {
		old = mmio_read(base + off, acc->size);
		if ((acc->value ^ old) & mask && cell != &hv.root)
			guest_warn(cell, "%s write 0x%llx to 0x%llx would change interrupt groups: %s\n",
				   private ? "GICR" : "GICD", acc->value, off,
				   "ignored, all stay Group 1");
	} else if (r->set_clear) {
		mmio_write(base + off, acc->size, acc->value & mask);
	} else {
		spin_lock(&dist_lock);
		old = mmio_read(base + off, acc->size);
		mmio_write(base + off, acc->size, (old & ~mask) | (acc->value & mask));
		spin_unlock(&dist_lock);
	}
	return MMIO_HANDLED;
}

/* The bits of a 32-bit register at reg, as they appear in an access of size at off. */
static u64 reg_bits(u64 off, unsigned int size, u64 reg, u64 bits)
{
	if (reg >= off && reg < off + size)
		return bits << ((reg - off) * 8);
	return 0;
}

static bool cell_has_mpidr(const struct cell *cell, u64 mpidr)
{
	struct per_cpu *cpu = cpu_by_hw_id(mpidr & MPIDR_AFF_MASK);

	return cpu && cpu->cell == cell;
}

static enum mmio_result gicd_access(void *arg, struct mmio_access *acc)
{
	struct cell *cell = arg;
	u64 off = acc->addr;
	unsigned int irq;

	if (off >= GICD_IROUTER && off < GICD_IROUTER_END) {
		irq = (off - GICD_IROUTER) / 8;
		if (!cell_owns_irq(cell, irq) || irq < 32) {
			if (acc->write)
				guest_warn(cell, "GICD: IROUTER%u of an interrupt it does not own: ignored\n",
					   irq);
			acc->value = 0;
			return MMIO_HANDLED;
		}
		if (!acc->write) {
			acc->value = mmio_read(gicd + off, acc->size);
			return MMIO_HANDLED;
		}
		/* routing only to the cell's own CPUs, never "any CPU" (IRM) */
		if (acc->size == 8 && !(acc->value & GICD_IROUTER_IRM) &&
		    cell_has_mpidr(cell, acc->value & MPIDR_AFF_MASK))
			mmio_write(gicd + off, 8, acc->value);
		else
			guest_warn(cell, "GICD: IROUTER%u <- 0x%llx refused\n", irq, acc->value);
		return MMIO_HANDLED;
	}
	if (off < 0x80 || off >= GICD_ID_START) {
		/* global registers: visible, but the distributor setup belongs to the hypervisor */
		if (acc->write && off >= 0x10)
			guest_warn(cell, "GICD: write to global register 0x%llx ignored\n", off);
		acc->value = acc->write ? 0 : mmio_read(gicd + off, acc->size);
		/* LPIs need the root's ITS and tables: no other cell has any */
		if (!acc->write && cell != &hv.root)
			acc->value &= ~reg_bits(off, acc->size, GICD_TYPER, GICD_TYPER_LPIS);
		return MMIO_HANDLED;
	}
	if (irq_reg_access(cell, gicd, off, acc, false) == MMIO_HANDLED)
		return MMIO_HANDLED;
	if (acc->write)
		guest_warn(cell, "GICD: write to 0x%llx ignored\n", off);
	acc->value = 0;
	return MMIO_HANDLED;
}

static struct per_cpu *frame_owner(unsigned int frame)
{
	u64 typer = mmio_read(gicr + frame * gicr_stride + GICR_TYPER, 8) >> 32;
	u64 mpidr = (typer & 0xffffff) | ((typer & 0xff000000UL) << 8);

	return cpu_by_hw_id(mpidr);
}

static bool gicr_ident(u64 off)
{
	return off == GICR_IIDR || (off >= GICR_TYPER && off < GICR_TYPER + 8) ||
	       (off >= GICR_ID_START && off < GICR_SGI_BASE);
}

/* GICR_TYPER's LPI bits, hidden from non-root cells like GICD_TYPER.LPIS */
static u64 gicr_lpi_bits(u64 off, unsigned int size)
{
	return reg_bits(off, size, GICR_TYPER, GICR_TYPER_PLPIS | GICR_TYPER_DIRECTLPI);
}

static enum mmio_result gicr_access(void *arg, struct mmio_access *acc)
{
	unsigned int frame = acc->addr / gicr_stride;
	u64 off = acc->addr % gicr_stride;
	struct per_cpu *owner = frame < gicr_frames ? frame_owner(frame) : NULL;
	u8 *base = gicr + frame * gicr_stride;
	struct cell *cell = arg;

	if (!owner || owner->cell != cell) {
		if (acc->write)
			guest_warn(cell, "GICR: write to 0x%llx in the redistributor of CPU %d ignored\n",
				   off, owner ? (int)owner->id : -1);
		/*
		 * Only the identification of existing frames stays readable, so guests can walk
		 * them; the rest (the root's LPI table addresses, say) is not theirs to see.
		 */
		acc->value = !acc->write && frame < gicr_frames && gicr_ident(off) ?
			     mmio_read(base + off, acc->size) : 0;
		if (cell != &hv.root)
			acc->value &= ~gicr_lpi_bits(off, acc->size);
		return MMIO_HANDLED;
	}
	/* the LPI tables of its own frame are the root's, left by Linux: not shown either */
	if (!acc->write && cell != &hv.root && off >= GICR_PROPBASER && off < GICR_PENDBASER + 8) {
		acc->value = 0;
		return MMIO_HANDLED;
	}
	if (off >= GICR_SGI_BASE &&
	    irq_reg_access(cell, base + GICR_SGI_BASE, off - GICR_SGI_BASE, acc, true) ==
	    MMIO_HANDLED)
		return MMIO_HANDLED;
	/*
	 * A cell's own frame outside the interrupt registers: reads only. LPI tables
	 * (PROPBASER, PENDBASER, EnableLPIs) would let the GIC write wherever the cell points
	 * it, and a sleeping redistributor would keep the hypervisor's own SGIs from arriving.
	 * Waking it (what inmates do at start) is harmless.
	 */
	if (acc->write && cell != &hv.root) {
		if (off != GICR_WAKER || acc->value & GICR_WAKER_SLEEP)
			guest_warn(cell, "GICR: write 0x%llx to 0x%llx of its redistributor ignored\n",
				   acc->value, off);
		return MMIO_HANDLED;
	}
	if (acc->write)
		mmio_write(base + off, acc->size, acc->value);
	else
		acc->value = mmio_read(base + off, acc->size);
	if (!acc->write && cell != &hv.root)
		acc->value &= ~gicr_lpi_bits(off, acc->size);
	return MMIO_HANDLED;
}

int gic_init(const struct hvcfg_system *sys)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(sys);
	u32 ctlr;

	gicd = (void *)(uintptr_t)p->gicd_base;
	gicr = (u8 *)(uintptr_t)p->gicr_base;
	gicr_stride = p->gicr_stride;
	/* only frames up to the one marked Last exist; reading past them would abort at EL2 */
	for (gicr_frames = 0; gicr_frames < p->gicr_size / p->gicr_stride; gicr_frames++)
		if (mmio_read(gicr + gicr_frames * gicr_stride + GICR_TYPER, 8) & GICR_TYPER_LAST) {
			gicr_frames++;
			break;
		}
	gic_maintenance_irq = p->maintenance_irq;
	ctlr = mmio_read(gicd + GICD_CTLR, 4);
	if (!(ctlr & GICD_CTLR_ARE_NS)) {
		pr_err("GICv3: affinity routing is off, not supported\n");
		return -ENODEV;
	}
	/*
	 * With two security states Group 0 is Secure and out of our reach: the management SGIs
	 * would have no group that a cell cannot mask. Without EL3 firmware (QEMU's virt) DS=1.
	 */
	if (!(ctlr & GICD_CTLR_DS)) {
		pr_err("GICv3: GICD_CTLR.DS=0 (Group 0 is Secure), not supported\n");
		return -ENODEV;
	}
	/* Linux enables both groups (Group 0 is its "G1" bit with DS=1); make sure. Stays on. */
	if (!(ctlr & GICD_CTLR_GRP0)) {
		mmio_write(gicd + GICD_CTLR, 4, ctlr | GICD_CTLR_GRP0);
		dist_wait_rwp();
	}
	return 0;
}

/*
 * The ITS is not emulated. The root, which owns every LPI while it is the only cell, may use
 * it through this window (Linux touches it on CPU hotplug); other cells never see it.
 */
static enum mmio_result its_access(void *arg, struct mmio_access *acc)
{
	void *addr = (u8 *)(uintptr_t)cfg_arm_platform(hv.config)->its_base + acc->addr;

	if (arg != &hv.root)
		return MMIO_UNHANDLED;
	if (acc->write)
		mmio_write(addr, acc->size, acc->value);
	else
		acc->value = mmio_read(addr, acc->size);
	return MMIO_HANDLED;
}

int gic_cell_init(struct cell *cell)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(hv.config);
	int err = mmio_register(cell, p->gicd_base, p->gicd_size, gicd_access, cell);

	if (!err)
		err = mmio_register(cell, p->gicr_base, p->gicr_size, gicr_access, cell);
	if (!err && p->its_size && cell == &hv.root)
		err = mmio_register(cell, p->its_base, p->its_size, its_access, cell);
	return err;
}


static void *my_redist(struct per_cpu *cpu)
{
	unsigned int n;

	for (n = 0; n < gicr_frames; n++)
		if (frame_owner(n) == cpu)
			return gicr + n * gicr_stride;
	return NULL;
}

/*
 * The hypervisor's SGIs on this CPU's redistributor: Group 0, top priority, enabled. Every CPU
 * does this before the first one activates and can send any (hv_entry waits for all), because
 * a Group 0 request for an INTID still in Group 1 is dropped (QEMU does), and a lost kick is a
 * lost Linux IPI. They arrive once the CPU enables Group 0 in gic_cpu_activate().
 */
static void hv_sgis_claim(struct per_cpu *cpu)
{
	u8 *rd = cpu->arch.gicr, *sgi = rd + GICR_SGI_BASE;

	cpu->arch.saved_hv_sgi_prio = mmio_read(sgi + GICR_IPRIORITYR0 + 12, 4);
	cpu->arch.saved_hv_sgi_state = (mmio_read(sgi + GICR_ISENABLER0, 4) & HV_SGIS) |
				       (mmio_read(sgi + GICR_IGROUPR0, 4) & HV_SGIS) >> 2;
	mmio_write(sgi + GICR_ICENABLER0, 4, HV_SGIS);
	redist_wait_rwp(rd);
	mmio_write(sgi + GICR_ICPENDR0, 4, HV_SGIS);
	mmio_write(sgi + GICR_ICACTIVER0, 4, HV_SGIS);
	reg_update(sgi + GICR_IGROUPR0, HV_SGIS, 0);
	reg_update(sgi + GICR_IGRPMODR0, HV_SGIS, 0);
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
	reg_update(sgi + GICR_IGROUPR0, HV_SGIS, state << 2);
	reg_update(sgi + GICR_IPRIORITYR0 + 12, 0xffff0000, cpu->arch.saved_hv_sgi_prio);
	mmio_write(sgi + GICR_ISENABLER0, 4, state & HV_SGIS);
	dsb(sy);
	cpu->arch.hv_sgis = false;
}

int gic_cpu_init(struct per_cpu *cpu)
{
	if (!(read_sysreg(ICC_SRE_EL2) & ICC_SRE_SRE)) {
		pr_err("CPU %u: GICv3 system register interface is off\n", cpu->id);
		return -ENODEV;
	}
	vgic_cpu_init(cpu);
	cpu->arch.gicr = my_redist(cpu);
	if (!cpu->arch.gicr) {
		pr_err("CPU %u: no redistributor for MPIDR 0x%llx\n", cpu->id, cpu->hw_id);
		return -ENODEV;
	}
	hv_sgis_claim(cpu);
	return 0;
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
			if (!reserved_private(n + i))
				field |= 0xffU << (i * 8);
		reg_update(sgi + GICR_IPRIORITYR0 + n, field, GIC_PRIO_DEFAULT * 0x01010101U);
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
	spin_lock(&dist_lock);
	for (irq = HVCFG_GIC_FIRST_SPI; irq < end; irq++) {
		if (cell_owns_irq(cpu->cell, irq))
			continue;
		route = mmio_read(gicd + GICD_IROUTER + irq * 8, 8);
		if (route & GICD_IROUTER_IRM || (route & MPIDR_AFF_MASK) == cpu->hw_id)
			mmio_write(gicd + GICD_IROUTER + irq * 8, 8, root_cpu->hw_id);
	}
	spin_unlock(&dist_lock);
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
	spin_lock(&dist_lock);
	if (!to_root) {
		set->enabled = mmio_read(gicd + GICD_ISENABLER + bank, 4) & bit;
		set->priority = mmio_read(gicd + GICD_IPRIORITYR + irq, 1);
		set->config = mmio_read(gicd + cfg, 4) >> cfg_shift & 3;
	}
	mmio_write(gicd + GICD_ICENABLER + bank, 4, bit);
	dist_wait_rwp();
	mmio_write(gicd + GICD_ICPENDR + bank, 4, bit);
	mmio_write(gicd + GICD_ICACTIVER + bank, 4, bit);
	dist_update(GICD_IGROUPR + bank, bit, bit);
	dist_update(GICD_IGRPMODR + bank, bit, 0);
	/* a cell's copy of the root's priority is clamped like the priorities it writes */
	mmio_write(gicd + GICD_IPRIORITYR + irq, 1, to_root || set->priority >= GIC_PRIO_CELL_MIN ?
		   set->priority : GIC_PRIO_CELL_MIN);
	dist_update(cfg, 3U << cfg_shift, (u32)set->config << cfg_shift);
	mmio_write(gicd + GICD_IROUTER + irq * 8, 8, mpidr & MPIDR_AFF_MASK);
	dist_wait_rwp();
	if (to_root && set->enabled)
		mmio_write(gicd + GICD_ISENABLER + bank, 4, bit);
	spin_unlock(&dist_lock);
}
