// SPDX-License-Identifier: GPL-2.0
/*
 * The IOAPIC MMIO filter (asm/ioapic.h): a per-cell IOREGSEL, reads of the real IOAPIC, and
 * writes of redirection entries limited to the cell's pins and CPUs. An entry that would
 * deliver elsewhere (or by NMI, INIT, SMI, ExtINT) is written masked: the device stays quiet
 * instead of interrupting a CPU of another cell.
 */
#include "include/asm/ioapic.h"

#define DM_FIXED	(0U << 8)
#define DM_LOWEST	(1U << 8)

void ioapic_cell_init(struct ioapic_cell *c)
{
	c->regsel = 0;
}

bool ioapic_entry_ok(const struct ioapic_hooks *h, hv_u32 low, hv_u32 high)
{
	hv_u32 mode = low & IOAPIC_DM_MASK;

	if (low & IOAPIC_MASKED)
		return true;
	if (mode != DM_FIXED && mode != DM_LOWEST)
		return false;
	return h->dest_ok(h->ctx, low & IOAPIC_DEST_LOGICAL, high >> 24);
}

/*
 * One half of an owned pin's entry. The check needs the whole entry, the other half from the
 * hardware. A refused entry is masked before its destination half changes, so that the
 * hardware never holds an unmasked entry pointing outside the cell, not even between halves.
 */
static void write_redir(const struct ioapic_hooks *h, unsigned int index, hv_u32 val)
{
	unsigned int low_index = index & ~1U;
	bool high = index & 1;
	hv_u32 low = high ? h->read(h->ctx, low_index) : val;
	hv_u32 dest = high ? val : h->read(h->ctx, low_index + 1);

	if (ioapic_entry_ok(h, low, dest)) {
		h->write(h->ctx, index, val);
		return;
	}
	h->warn(h->ctx, "IOAPIC entry outside the cell or with a refused delivery mode, masked",
		index, val);
	if (!high) {
		h->write(h->ctx, index, val | IOAPIC_MASKED);
		return;
	}
	h->write(h->ctx, low_index, low | IOAPIC_MASKED);
	h->write(h->ctx, index, val);
}

static void write_reg(const struct ioapic_hooks *h, unsigned int index, hv_u32 val)
{
	unsigned int pin = (index - IOAPIC_REG_REDIR) / 2;

	if (index < IOAPIC_REG_REDIR || pin >= IOAPIC_MAX_PINS) {
		h->warn(h->ctx, "IOAPIC register write ignored", index, val);
		return;
	}
	if (!h->pin_owned(h->ctx, pin)) {
		h->warn(h->ctx, "IOAPIC pin of another cell: write ignored", index, val);
		return;
	}
	write_redir(h, index, val);
}

/* EOI by vector ends every level interrupt on it: only a vector of one of the cell's pins. */
static void write_eoi(const struct ioapic_hooks *h, hv_u32 val)
{
	unsigned int pin, pins = ((h->read(h->ctx, IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;

	if (pins > IOAPIC_MAX_PINS)
		pins = IOAPIC_MAX_PINS;
	for (pin = 0; pin < pins; pin++) {
		if (h->pin_owned(h->ctx, pin) &&
		    (h->read(h->ctx, IOAPIC_REDIR_LOW(pin)) & 0xff) == (val & 0xff)) {
			h->eoi(h->ctx, val & 0xff);
			return;
		}
	}
	h->warn(h->ctx, "IOAPIC EOI for a vector of no pin of the cell ignored", IOAPIC_EOI, val);
}

enum ioapic_result ioapic_access(struct ioapic_cell *c, const struct ioapic_hooks *h,
				 unsigned int offset, unsigned int size, bool write,
				 hv_u32 *value)
{
	if (size != 4)
		return IOAPIC_REFUSED;
	switch (offset) {
	case IOAPIC_REGSEL:
		if (write)
			c->regsel = *value & 0xff;
		else
			*value = c->regsel;
		return IOAPIC_OK;
	case IOAPIC_IOWIN:
		if (write)
			write_reg(h, c->regsel, *value);
		else
			*value = h->read(h->ctx, c->regsel);
		return IOAPIC_OK;
	case IOAPIC_EOI:
		if (write)
			write_eoi(h, *value);
		else
			*value = 0;
		return IOAPIC_OK;
	default:
		return IOAPIC_REFUSED;
	}
}
