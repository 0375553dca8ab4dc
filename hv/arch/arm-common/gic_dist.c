// SPDX-License-Identifier: GPL-2.0
/*
 * Ownership of the per-interrupt distributor registers, for GICv3 (arm64) and GICv2 (ARMv7)
 * alike: same offsets, same layouts. An access goes through only for the bits of interrupts
 * the cell owns (SPIs by its config, private interrupts of the accessing CPU but the
 * hypervisor's); the others read as 0 and keep their value.
 */
#include <asm/arm_arch.h>
#include <asm/gic_dist.h>

struct irq_reg {
	u16 start, end;		/* offsets */
	u8 bits;		/* per interrupt */
	bool set_clear;		/* write-1 semantics: no read-modify-write needed */
	bool read_only;		/* the hypervisor's: every interrupt stays in one group */
};

/*
 * The group is the hypervisor's, not the owner's. On GICv3 everything is Group 1 but its own
 * SGIs (Group 0, FIQ): a guest's Group 0 interrupt would arrive at EL2 as an FIQ the hypervisor
 * does not expect. GICv2 without Security Extensions has no groups (IGROUPR reads 0).
 */
static const struct irq_reg irq_regs[] = {
	{ 0x0080, 0x0100, 1, false, true },	/* IGROUPR */
	{ 0x0100, 0x0400, 1, true, false },	/* IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER */
	{ 0x0400, 0x0800, 8, false, false },	/* IPRIORITYR */
	{ 0x0c00, 0x0d00, 2, false, false },	/* ICFGR */
	{ 0x0d00, 0x0d80, 1, false, true },	/* IGRPMODR (GICv3) */
	{ 0x0e00, 0x0f00, 2, false, false },	/* NSACR */
};

spinlock_t gic_dist_lock;

void gic_reg_update(void *reg, u32 field, u32 value)
{
	u32 old = mmio_read(reg, 4);

	mmio_write(reg, 4, (old & ~field) | (value & field));
}

u64 gic_reg_bits(u64 off, unsigned int size, u64 reg, u64 bits)
{
	if (reg >= off && reg < off + size)
		return bits << ((reg - off) * 8);
	return 0;
}

/* Bits of a per-interrupt register access the cell may see and change. */
static u64 owned_mask(const struct cell *cell, unsigned int first, unsigned int count,
		      unsigned int bits, bool banked)
{
	u64 mask = 0, field = (1ULL << bits) - 1;
	unsigned int n, irq;

	for (n = 0; n < count; n++) {
		irq = first + n;
		if (irq < 32 ? banked && !gic_reserved_private(irq) : cell_owns_irq(cell, irq))
			mask |= field << (n * bits);
	}
	return mask;
}

/*
 * A non-root cell's priorities are at least GIC_PRIO_CELL_MIN: in arm64's direct mode an
 * interrupt it acknowledged and never ended blocks every interrupt of equal or lower priority,
 * the hypervisor's SGIs included, if it could sit above them (docs/security.md). Relative
 * order within 0x80-0xff is kept, so a cell that uses that range sees no difference.
 */
static u64 clamp_priorities(u64 value, unsigned int size)
{
	unsigned int n;
	u64 byte;

	for (n = 0; n < size; n++) {
		byte = (value >> (n * 8)) & 0xff;
		if (byte < GIC_PRIO_CELL_MIN)
			value = (value & ~(0xffULL << (n * 8))) |
				(u64)GIC_PRIO_CELL_MIN << (n * 8);
	}
	return value;
}

/*
 * A booting Linux sets up the whole distributor (gic_dist_config(): every SPI disabled,
 * deactivated, priority 0xa0, level). For interrupts of others such writes are ignored like
 * any other, but without a line each, which would use up the cell's warnings before anything
 * worth reporting: clearing (disable, unpend, deactivate), writing the value a field already
 * has, and anything about the hypervisor's private interrupts (Linux sets up all 32).
 */
static bool harmless_foreign_write(void *reg, const struct irq_reg *r, u64 off, u64 value,
				   unsigned int size, u64 mask, bool private)
{
	/* the only private ones it does not own are the hypervisor's, invisible to it */
	if (private)
		return true;
	if (r->set_clear)
		return (off - r->start) / 0x80 % 2 == 1;
	return !((value ^ mmio_read(reg, size)) & ~mask);
}

static void write_owned(struct cell *cell, void *reg, const struct irq_reg *r,
			struct mmio_access *acc, u64 mask, const char *what, u64 off)
{
	u64 old;

	if (r->read_only) {
		old = mmio_read(reg, acc->size);
		if ((acc->value ^ old) & mask && cell != &hv.root)
			guest_warn(cell, "%s write 0x%llx to 0x%llx would change interrupt groups: %s\n",
				   what, acc->value, off, "ignored, all stay Group 1");
	} else if (r->set_clear) {
		mmio_write(reg, acc->size, acc->value & mask);
	} else {
		spin_lock(&gic_dist_lock);
		old = mmio_read(reg, acc->size);
		mmio_write(reg, acc->size, (old & ~mask) | (acc->value & mask));
		spin_unlock(&gic_dist_lock);
	}
}

enum mmio_result gic_irq_reg_access(struct cell *cell, void *base, u64 off,
				    struct mmio_access *acc, const char *what, bool banked)
{
	const struct irq_reg *r = NULL;
	unsigned int n, first;
	bool private;
	u64 mask;

	for (n = 0; n < ARRAY_SIZE(irq_regs); n++)
		if (off >= irq_regs[n].start && off < irq_regs[n].end)
			r = &irq_regs[n];
	if (!r)
		return MMIO_UNHANDLED;
	/* the 1-bit range 0x100-0x400 holds six register banks of 0x80 bytes each */
	first = (r->bits == 1 ? (off - r->start) % 0x80 : off - r->start) * 8 / r->bits;
	/* an access of any width stays within one register: all private or none */
	private = banked && first < 32;
	mask = owned_mask(cell, first, acc->size * 8 / r->bits, r->bits, banked);
	if (!acc->write) {
		acc->value = mmio_read(base + off, acc->size) & mask;
		return MMIO_HANDLED;
	}
	if (cell == &hv.root && !private && off >= GICD_ISENABLER && off < GICD_ISPENDR)
		gic_note_root_enable(off, acc->value & ~mask, first);
	/*
	 * A read-modify-write writes back zeros where it read them. Linux in the root writes
	 * whole private registers at CPU start-up, reserved bits included: not worth a line.
	 */
	if (acc->value & ~mask && cell != &hv.root &&
	    !harmless_foreign_write(base + off, r, off, acc->value, acc->size, mask, private))
		guest_warn(cell, "%s write 0x%llx to 0x%llx touches interrupts %u-%u it does not own: %s\n",
			   what, acc->value, off, first, first + acc->size * 8 / r->bits - 1,
			   "ignored for those");
	if (r->bits == 8 && cell != &hv.root)
		acc->value = clamp_priorities(acc->value, acc->size);
	write_owned(cell, base + off, r, acc, mask, what, off);
	return MMIO_HANDLED;
}
