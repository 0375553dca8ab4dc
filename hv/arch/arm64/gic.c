// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3. Physical interrupts are taken at EL2, their priority dropped, and handed to the guest
 * through a list register with the HW bit, so the guest's deactivation reaches the physical
 * interrupt without another exit. Guest SGIs are purely virtual. The distributor and the
 * redistributors are trapped; accesses go through only for interrupts and CPUs the cell owns.
 */
#include <asm/arm64.h>

#define GICD_CTLR		0x0000
#define GICD_CTLR_ARE_NS	(1U << 4)
#define GICD_IROUTER		0x6000
#define GICD_IROUTER_END	0x7fe0
#define GICD_ID_START		0xffd0
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1UL << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_ID_START		0xffd0
#define GICR_SGI_BASE		0x10000
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ISPENDR0		0x0200
#define GICR_ICPENDR0		0x0280
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380

#define LR_STATE_PENDING	(1UL << 62)
#define LR_STATE_MASK		(3UL << 62)
#define LR_HW			(1UL << 61)
#define LR_GROUP1		(1UL << 60)
#define LR_EOI			(1UL << 41)
#define LR_PRIO_DEFAULT		(0xa0UL << 48)
#define LR_PINTID_SHIFT		32
#define ICH_HCR_EN		1UL
#define ICH_HCR_UIE		(1UL << 1)
#define ICC_CTLR_EOIMODE	(1UL << 1)
#define ICC_SRE_SRE		1UL
#define SPURIOUS_FIRST		1020

#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IGRPMODR		0x0d00
#define GICD_CTLR_RWP		(1U << 31)
#define RWP_POLLS		1000000

struct irq_reg {
	u16 start, end;		/* GICD offsets */
	u8 bits;		/* per interrupt */
	bool set_clear;		/* write-1 semantics: no read-modify-write needed */
	bool read_only;		/* the hypervisor's: every interrupt stays Non-secure Group 1 */
};

/*
 * The group is the hypervisor's, not the owner's: it takes interrupts through ICC_IAR1 only,
 * and a Group 0 interrupt would arrive as an FIQ it cannot acknowledge, again and again.
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
static u32 gicr_stride, gicr_frames, maintenance_irq;
static spinlock_t dist_lock;
static struct spi_setting root_setting[SPURIOUS_FIRST];

static u64 mmio_read(void *addr, unsigned int size)
{
	switch (size) {
	case 1: return *(volatile u8 *)addr;
	case 2: return *(volatile u16 *)addr;
	case 4: return *(volatile u32 *)addr;
	default: return *(volatile u64 *)addr;
	}
}

static void mmio_write(void *addr, unsigned int size, u64 val)
{
	switch (size) {
	case 1: *(volatile u8 *)addr = (u8)val; break;
	case 2: *(volatile u16 *)addr = (u16)val; break;
	case 4: *(volatile u32 *)addr = (u32)val; break;
	default: *(volatile u64 *)addr = val; break;
	}
}

static bool reserved_private(unsigned int irq)
{
	return irq == SGI_INJECT || irq == SGI_EVENT || irq == maintenance_irq;
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
		if (irq >= HVCFG_FIRST_SPI && irq < SPURIOUS_FIRST)
			root_setting[irq].enabled = enable;
	}
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
		guest_warn(cell, "%s write 0x%lx to 0x%lx touches interrupts %u-%u it does not own: %s\n",
			   private ? "GICR" : "GICD", acc->value, off, first,
			   first + acc->size * 8 / r->bits - 1, "ignored for those");
	if (r->read_only) {
		old = mmio_read(base + off, acc->size);
		if ((acc->value ^ old) & mask && cell != &hv.root)
			guest_warn(cell, "%s write 0x%lx to 0x%lx would change interrupt groups: %s\n",
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

static bool cell_has_mpidr(const struct cell *cell, u64 mpidr)
{
	struct per_cpu *cpu = cpu_by_mpidr(mpidr & MPIDR_AFF_MASK);

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
		if (acc->size == 8 && !(acc->value & (1UL << 31)) &&
		    cell_has_mpidr(cell, acc->value & MPIDR_AFF_MASK))
			mmio_write(gicd + off, 8, acc->value);
		else
			guest_warn(cell, "GICD: IROUTER%u <- 0x%lx refused\n", irq, acc->value);
		return MMIO_HANDLED;
	}
	if (off < 0x80 || off >= GICD_ID_START) {
		/* global registers: visible, but the distributor setup belongs to the hypervisor */
		if (acc->write && off >= 0x10)
			guest_warn(cell, "GICD: write to global register 0x%lx ignored\n", off);
		acc->value = acc->write ? 0 : mmio_read(gicd + off, acc->size);
		return MMIO_HANDLED;
	}
	if (irq_reg_access(cell, gicd, off, acc, false) == MMIO_HANDLED)
		return MMIO_HANDLED;
	if (acc->write)
		guest_warn(cell, "GICD: write to 0x%lx ignored\n", off);
	acc->value = 0;
	return MMIO_HANDLED;
}

static struct per_cpu *frame_owner(unsigned int frame)
{
	u64 typer = mmio_read(gicr + frame * gicr_stride + GICR_TYPER, 8) >> 32;
	u64 mpidr = (typer & 0xffffff) | ((typer & 0xff000000UL) << 8);

	return cpu_by_mpidr(mpidr);
}

static bool gicr_ident(u64 off)
{
	return off == GICR_IIDR || (off >= GICR_TYPER && off < GICR_TYPER + 8) ||
	       (off >= GICR_ID_START && off < GICR_SGI_BASE);
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
			guest_warn(cell, "GICR: write to 0x%lx in the redistributor of CPU %d ignored\n",
				   off, owner ? (int)owner->id : -1);
		/*
		 * Only the identification of existing frames stays readable, so guests can walk
		 * them; the rest (the root's LPI table addresses, say) is not theirs to see.
		 */
		acc->value = !acc->write && frame < gicr_frames && gicr_ident(off) ?
			     mmio_read(base + off, acc->size) : 0;
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
			guest_warn(cell, "GICR: write 0x%lx to 0x%lx of its redistributor ignored\n",
				   acc->value, off);
		return MMIO_HANDLED;
	}
	if (acc->write)
		mmio_write(base + off, acc->size, acc->value);
	else
		acc->value = mmio_read(base + off, acc->size);
	return MMIO_HANDLED;
}

int gic_init(const struct hvcfg_system *sys)
{
	const struct hvcfg_platform *p = &sys->platform;

	gicd = (void *)(uintptr_t)p->gicd_base;
	gicr = (u8 *)(uintptr_t)p->gicr_base;
	gicr_stride = p->gicr_stride;
	/* only frames up to the one marked Last exist; reading past them would abort at EL2 */
	for (gicr_frames = 0; gicr_frames < p->gicr_size / p->gicr_stride; gicr_frames++)
		if (mmio_read(gicr + gicr_frames * gicr_stride + GICR_TYPER, 8) & GICR_TYPER_LAST) {
			gicr_frames++;
			break;
		}
	maintenance_irq = p->maintenance_irq;
	if (!(mmio_read(gicd + GICD_CTLR, 4) & GICD_CTLR_ARE_NS)) {
		pr_err("GICv3: affinity routing is off, not supported\n");
		return -ENODEV;
	}
	return 0;
}

/*
 * The ITS is not emulated. The root, which owns every LPI while it is the only cell, may use
 * it through this window (Linux touches it on CPU hotplug); other cells never see it.
 */
static enum mmio_result its_access(void *arg, struct mmio_access *acc)
{
	void *addr = (u8 *)(uintptr_t)hv.config->platform.its_base + acc->addr;

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
	const struct hvcfg_platform *p = &hv.config->platform;
	int err = mmio_register(cell, p->gicd_base, p->gicd_size, gicd_access, cell);

	if (!err)
		err = mmio_register(cell, p->gicr_base, p->gicr_size, gicr_access, cell);
	if (!err && p->its_size && cell == &hv.root)
		err = mmio_register(cell, p->its_base, p->its_size, its_access, cell);
	return err;
}

static u64 read_lr(unsigned int n)
{
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	case 8: return read_sysreg(S3_4_C12_C13_0);
	case 9: return read_sysreg(S3_4_C12_C13_1);
	case 10: return read_sysreg(S3_4_C12_C13_2);
	case 11: return read_sysreg(S3_4_C12_C13_3);
	case 12: return read_sysreg(S3_4_C12_C13_4);
	case 13: return read_sysreg(S3_4_C12_C13_5);
	case 14: return read_sysreg(S3_4_C12_C13_6);
	default: return read_sysreg(S3_4_C12_C13_7);
	}
}

static void write_lr(unsigned int n, u64 v)
{
	switch (n) {
	case 0: write_sysreg(S3_4_C12_C12_0, v); break;
	case 1: write_sysreg(S3_4_C12_C12_1, v); break;
	case 2: write_sysreg(S3_4_C12_C12_2, v); break;
	case 3: write_sysreg(S3_4_C12_C12_3, v); break;
	case 4: write_sysreg(S3_4_C12_C12_4, v); break;
	case 5: write_sysreg(S3_4_C12_C12_5, v); break;
	case 6: write_sysreg(S3_4_C12_C12_6, v); break;
	case 7: write_sysreg(S3_4_C12_C12_7, v); break;
	case 8: write_sysreg(S3_4_C12_C13_0, v); break;
	case 9: write_sysreg(S3_4_C12_C13_1, v); break;
	case 10: write_sysreg(S3_4_C12_C13_2, v); break;
	case 11: write_sysreg(S3_4_C12_C13_3, v); break;
	case 12: write_sysreg(S3_4_C12_C13_4, v); break;
	case 13: write_sysreg(S3_4_C12_C13_5, v); break;
	case 14: write_sysreg(S3_4_C12_C13_6, v); break;
	default: write_sysreg(S3_4_C12_C13_7, v); break;
	}
}

static void set_pending(struct per_cpu *cpu, unsigned int irq)
{
	__atomic_fetch_or(&cpu->arch.pending[irq / 64], 1UL << (irq % 64), __ATOMIC_RELEASE);
}

static void clear_pending(struct per_cpu *cpu, unsigned int irq)
{
	__atomic_fetch_and(&cpu->arch.pending[irq / 64], ~(1UL << (irq % 64)), __ATOMIC_RELEASE);
}

/*
 * Move queued interrupts into free list registers. An INTID must never sit in two list
 * registers: while it is still in one, it waits (a virtual SGI then asks for an EOI
 * maintenance interrupt, a HW interrupt cannot fire again before its deactivation anyway).
 */
void gic_flush_pending(struct per_cpu *cpu)
{
	unsigned int n, irq, word;
	u64 lrs[16], no_lr = 0;

	for (n = 0; n < cpu->arch.num_lrs; n++) {
		lrs[n] = read_lr(n);
		if (!(lrs[n] & LR_STATE_MASK) && lrs[n]) {
			write_lr(n, 0);		/* done; also clears its EOI maintenance */
			lrs[n] = 0;
		}
	}
	for (word = 0; word < ARRAY_SIZE(cpu->arch.pending); word++) {
		u64 bits = READ_ONCE(cpu->arch.pending[word]);

		for (; bits; bits &= bits - 1) {
			unsigned int free = ~0U;

			irq = word * 64 + __builtin_ctzll(bits);
			for (n = 0; n < cpu->arch.num_lrs; n++) {
				if (lrs[n] && (u32)lrs[n] == irq)
					break;
				if (!lrs[n] && free == ~0U)
					free = n;
			}
			if (n < cpu->arch.num_lrs) {
				/* still pending there: the two merge, as in a real GIC */
				if ((lrs[n] & LR_STATE_MASK) == LR_STATE_PENDING)
					clear_pending(cpu, irq);
				/* active: its EOI maintenance interrupt brings us back */
				else if (!(lrs[n] & LR_HW) && !(lrs[n] & LR_EOI))
					write_lr(n, lrs[n] | LR_EOI);
				continue;
			}
			if (free == ~0U) {
				no_lr++;
				continue;
			}
			lrs[free] = irq | LR_PRIO_DEFAULT | LR_GROUP1 | LR_STATE_PENDING;
			if (irq >= 16)
				lrs[free] |= LR_HW | ((u64)irq << LR_PINTID_SHIFT);
			write_lr(free, lrs[free]);
			clear_pending(cpu, irq);
		}
	}
	/*
	 * Underflow maintenance only while all list registers are taken: it fires once at most
	 * one is left, so it cannot keep firing while we wait for the guest.
	 */
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | (no_lr ? ICH_HCR_UIE : 0));
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
		u64 aff0 = target->mpidr & 0xff;

		/* IRM: every CPU but the sender, and here "every" ends at the cell */
		if (irm ? target == cpu : ((target->mpidr & ~0xffUL) != aff ||
		    aff0 >> 4 != rs || !((targets >> (aff0 & 0xf)) & 1)))
			continue;
		set_pending(target, sgi);
		delivered++;
		if (target != cpu)
			gic_send_sgi(target->mpidr, SGI_INJECT);
	}
	if (!irm && delivered < addressed)
		guest_warn(cpu->cell, "SGI %u to %u CPU(s) outside the cell dropped (ICC_SGI1R 0x%lx)\n",
			   sgi, addressed - delivered, val);
	gic_flush_pending(cpu);
}

static void handle_own_irq(struct per_cpu *cpu, unsigned int irq)
{
	if (irq == maintenance_irq) {
		/* the level-triggered cause must be gone before the deactivation */
		gic_flush_pending(cpu);
		stat_inc(cpu, EXIT_MAINTENANCE);
	} else {
		stat_inc(cpu, EXIT_MANAGEMENT);
	}
	write_sysreg(ICC_EOIR1_EL1, irq);
	write_sysreg(ICC_DIR_EL1, irq);
}

void gic_handle_irq(struct per_cpu *cpu)
{
	unsigned int irq;

	for (;;) {
		irq = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (irq >= SPURIOUS_FIRST)
			break;
		if (irq < 16 || irq == maintenance_irq) {
			handle_own_irq(cpu, irq);
			continue;
		}
		/* priority drop now; the guest's deactivation ends it (HW bit) */
		write_sysreg(ICC_EOIR1_EL1, irq);
		stat_inc(cpu, EXIT_VIRQ);
		set_pending(cpu, irq);
	}
	gic_flush_pending(cpu);
}

/* A parked CPU has no guest: end whatever arrives, remember nothing but the events. */
void gic_drain_irqs(struct per_cpu *cpu)
{
	unsigned int irq;

	for (;;) {
		irq = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (irq >= SPURIOUS_FIRST)
			break;
		write_sysreg(ICC_EOIR1_EL1, irq);
		write_sysreg(ICC_DIR_EL1, irq);
		stat_inc(cpu, irq < 16 ? EXIT_MANAGEMENT : EXIT_VIRQ);
	}
}

static void *my_redist(struct per_cpu *cpu)
{
	unsigned int n;

	for (n = 0; n < gicr_frames; n++)
		if (frame_owner(n) == cpu)
			return gicr + n * gicr_stride;
	return NULL;
}

int gic_cpu_init(struct per_cpu *cpu)
{
	if (!(read_sysreg(ICC_SRE_EL2) & ICC_SRE_SRE)) {
		pr_err("CPU %u: GICv3 system register interface is off\n", cpu->id);
		return -ENODEV;
	}
	cpu->arch.num_lrs = (read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
	cpu->arch.gicr = my_redist(cpu);
	if (!cpu->arch.gicr) {
		pr_err("CPU %u: no redistributor for MPIDR 0x%lx\n", cpu->id, cpu->mpidr);
		return -ENODEV;
	}
	return 0;
}

static void gic_lrs_reset(struct per_cpu *cpu)
{
	unsigned int n;

	for (n = 0; n < cpu->arch.num_lrs; n++)
		write_lr(n, 0);
	write_sysreg(ICH_AP0R0_EL2, 0);
	write_sysreg(ICH_AP1R0_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, 0);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
}

/*
 * Physical interrupts this CPU took for its guest and did not see deactivated: those in list
 * registers (HW bit) and those still queued. With also_active, the ones the guest is handling
 * as well: it never will now, and an active SPI would reach no later owner.
 */
static void end_taken_irqs(struct per_cpu *cpu, bool also_active)
{
	unsigned int n;
	u64 lr;

	for (n = 0; n < cpu->arch.num_lrs; n++) {
		lr = read_lr(n);
		if (!(lr & LR_HW) || !(lr & LR_STATE_MASK))
			continue;
		if (also_active || lr & LR_STATE_PENDING)
			write_sysreg(ICC_DIR_EL1, (lr >> LR_PINTID_SHIFT) & 0x1fff);
	}
	for (n = 16; n < 64 * ARRAY_SIZE(cpu->arch.pending); n++)
		if ((cpu->arch.pending[n / 64] >> (n % 64)) & 1)
			write_sysreg(ICC_DIR_EL1, n);
	isb();
}

static void forget_guest_irqs(struct per_cpu *cpu)
{
	unsigned int n;

	gic_lrs_reset(cpu);
	for (n = 0; n < ARRAY_SIZE(cpu->arch.pending); n++)
		cpu->arch.pending[n] = 0;
}

/*
 * The guest is gone (park): what it took is ended, and the interface is back to the state
 * Linux expects of a freshly started one.
 */
void gic_cpu_reset(struct per_cpu *cpu)
{
	end_taken_irqs(cpu, true);
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
	__atomic_fetch_or(&cpu->arch.pending[0], sgis, __ATOMIC_RELEASE);
	mmio_write(sgi_base + GICR_ISENABLER0, 4,
		   1U << SGI_INJECT | 1U << SGI_EVENT | 1U << maintenance_irq);
	isb();
	gic_flush_pending(cpu);
}

void gic_cpu_deactivate(struct per_cpu *cpu)
{
	u8 *sgi_base = (u8 *)cpu->arch.gicr + GICR_SGI_BASE;
	u64 vmcr = read_sysreg(ICH_VMCR_EL2), lr, ctlr;
	unsigned int n, sgis = 0;

	/*
	 * Undelivered ones: a HW interrupt fires again once deactivated, SGIs are re-sent. Those
	 * Linux is handling it deactivates itself, on the physical interface from now on.
	 */
	end_taken_irqs(cpu, false);
	for (n = 0; n < cpu->arch.num_lrs; n++) {
		lr = read_lr(n);
		if (lr & LR_STATE_PENDING && !(lr & LR_HW) && (u32)lr < 16)
			sgis |= 1U << (u32)lr;
	}
	sgis |= cpu->arch.pending[0] & 0xffff;
	forget_guest_irqs(cpu);
	write_sysreg(ICH_HCR_EL2, 0);
	mmio_write(sgi_base + GICR_ICENABLER0, 4, 1U << maintenance_irq);
	write_sysreg(ICC_PMR_EL1, vmcr >> 24 & 0xff);
	write_sysreg(ICC_BPR1_EL1, vmcr >> 18 & 7);
	write_sysreg(ICC_IGRPEN1_EL1, vmcr >> 1 & 1);
	ctlr = cpu->arch.saved_icc_ctlr & ~ICC_CTLR_EOIMODE;
	write_sysreg(ICC_CTLR_EL1, ctlr | (vmcr & (1UL << 9) ? ICC_CTLR_EOIMODE : 0));
	isb();
	for (n = 0; n < 16; n++)
		if ((sgis >> n) & 1)
			gic_send_sgi(cpu->mpidr, n);
}

static void dist_update(u64 reg, u32 field, u32 value)
{
	u32 old = mmio_read(gicd + reg, 4);

	mmio_write(gicd + reg, 4, (old & ~field) | (value & field));
}

/* Until the distributor has applied disables and group changes; bounded, it is hardware. */
static void dist_wait_rwp(void)
{
	unsigned int n;

	for (n = 0; n < RWP_POLLS && mmio_read(gicd + GICD_CTLR, 4) & GICD_CTLR_RWP; n++)
		cpu_relax();
}

/*
 * An SPI changes owner (cell create/destroy). Nothing the old owner did survives: it is
 * disabled, not pending, not active, Group 1, with the priority and trigger the root had
 * given it, and routed to the new owner's CPU. Back in the root it is enabled again if the
 * root had it enabled: the root's driver never knew it was lent.
 */
void gic_hand_over_spi(unsigned int irq, u64 mpidr, bool to_root)
{
	struct spi_setting *set = &root_setting[irq];
	u64 bank = irq / 32 * 4, cfg = GICD_ICFGR + irq / 16 * 4;
	u32 bit = 1U << (irq % 32), cfg_shift = irq % 16 * 2;

	if (irq < HVCFG_FIRST_SPI || irq >= SPURIOUS_FIRST)
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
	mmio_write(gicd + GICD_IPRIORITYR + irq, 1, set->priority);
	dist_update(cfg, 3U << cfg_shift, (u32)set->config << cfg_shift);
	mmio_write(gicd + GICD_IROUTER + irq * 8, 8, mpidr & MPIDR_AFF_MASK);
	dist_wait_rwp();
	if (to_root && set->enabled)
		mmio_write(gicd + GICD_ISENABLER + bank, 4, bit);
	spin_unlock(&dist_lock);
}
