/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOAPIC MMIO filter. The IOAPIC (0xfec00000) is shared by all cells and never mapped
 * into one: each access faults (NPF), the caller decodes it (asm/decode.h) and hands it here.
 * Its index register IOREGSEL is kept per cell (two cells selecting at once would otherwise
 * race on the real one); an IOWIN access becomes one indexed read or write of the real IOAPIC,
 * which the caller does atomically (lock, IOREGSEL, IOWIN, unlock). A cell writes only the
 * redirection entries of the pins it owns, and only so that they deliver fixed or
 * lowest-priority interrupts to its own CPUs; it never changes ID, version or arbitration.
 *
 * Pure, freestanding C: hardware and hypervisor through struct ioapic_hooks; the per-cell state
 * is a struct ioapic_cell the caller keeps for each (cell, IOAPIC).
 *
 * Integration sketch (core MMIO handler per IOAPIC of the config, arg = that IOAPIC):
 *
 *	struct ioapic_hooks h = { &ctx, locked_read, locked_write, write_eoi_reg,
 *				  cell_owns_pin, dest_in_cell, warn_guest };
 *	hv_u32 v = acc->value;
 *
 *	if (ioapic_access(&cell->arch.ioapic[n], &h, acc->addr, acc->size, acc->write, &v))
 *		return MMIO_ERROR;
 *	if (!acc->write)
 *		acc->value = v;
 *	return MMIO_HANDLED;
 *
 * where ctx names the IOAPIC and the cell, cell_owns_pin(pin) tests the cell's irq_bitmap at
 * arch_irq_index(IOAPIC n, pin), and dest_in_cell() is xapic_irq_dest_in_cell() with the cell's
 * xapic hooks. When a cell is destroyed its pins should be masked (write IOAPIC_MASKED into the
 * low halves) before they return to the root.
 */
#ifndef HV_X86_IOAPIC_H
#define HV_X86_IOAPIC_H

#include <stdbool.h>
#include "abi_types.h"

/* MMIO offsets in the IOAPIC page. */
#define IOAPIC_REGSEL		0x00
#define IOAPIC_IOWIN		0x10
#define IOAPIC_EOI		0x40	/* version 0x20: a vector written ends a level IRQ */

/* Indirect registers (IOREGSEL values). */
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01	/* bits 23:16: the last redirection entry's pin */
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_REDIR	0x10	/* pin n: 0x10 + 2n (low half), 0x11 + 2n (high half) */
#define IOAPIC_REDIR_LOW(pin)	(IOAPIC_REG_REDIR + 2 * (pin))
#define IOAPIC_REDIR_HIGH(pin)	(IOAPIC_REG_REDIR + 2 * (pin) + 1)
#define IOAPIC_MAX_PINS		240

/* Redirection entry, low half (the high half holds the destination in bits 31:24). */
/* Delivery mode: 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT, 7 ExtINT. */
#define IOAPIC_DM_MASK		(7U << 8)
#define IOAPIC_DEST_LOGICAL	(1U << 11)
#define IOAPIC_MASKED		(1U << 16)

/* What one cell sees of one IOAPIC. */
struct ioapic_cell {
	hv_u32 regsel;		/* the cell's IOREGSEL */
};

struct ioapic_hooks {
	void *ctx;
	/* Indexed access to the real IOAPIC (select, then IOWIN), atomic against other CPUs. */
	hv_u32 (*read)(void *ctx, unsigned int index);
	void (*write)(void *ctx, unsigned int index, hv_u32 value);
	/* Writes vector to the real EOI register. */
	void (*eoi)(void *ctx, hv_u8 vector);
	/* Whether the accessing cell owns input pin pin (0..IOAPIC_MAX_PINS-1). */
	bool (*pin_owned)(void *ctx, unsigned int pin);
	/* Whether a destination (physical APIC id or logical mask) reaches only the cell's CPUs:
	 * xapic_irq_dest_in_cell() of asm/apic.h with the cell's hooks. */
	bool (*dest_ok)(void *ctx, bool logical, hv_u8 dest);
	/* Something refused: what (a constant string), the register index and the value. */
	void (*warn)(void *ctx, const char *what, hv_u32 index, hv_u32 value);
};

enum ioapic_result {
	IOAPIC_OK = 0,		/* done; a read's value is in *value */
	IOAPIC_REFUSED,		/* not 32 bits at IOREGSEL, IOWIN or EOI: fault the cell */
};

/* Resets a cell's view (IOREGSEL 0). */
void ioapic_cell_init(struct ioapic_cell *c);

/* One guest access to the IOAPIC page: offset 0..0xfff, size in bytes, *value in or out. */
enum ioapic_result ioapic_access(struct ioapic_cell *c, const struct ioapic_hooks *h,
				 unsigned int offset, unsigned int size, bool write,
				 hv_u32 *value);

/*
 * Whether a whole redirection entry (low, high) may be unmasked by the cell: fixed or
 * lowest-priority delivery to its own CPUs only. A masked entry is always acceptable.
 */
bool ioapic_entry_ok(const struct ioapic_hooks *h, hv_u32 low, hv_u32 high);

#endif
