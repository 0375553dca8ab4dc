// SPDX-License-Identifier: GPL-2.0
/*
 * The IOAPIC filter (hv/arch/x86/ioapic.c) on a fake 24-pin IOAPIC shared by the root (CPUs 0
 * and 2, pin 4) and a cell (CPU 1, pin 3), with destinations checked by the xAPIC filter's
 * xapic_irq_dest_in_cell(): per-cell IOREGSEL, reads, owned and foreign pins, entries aimed
 * outside the cell or with refused delivery modes written masked, ID/ARB never written, EOI.
 */
#include <string.h>
#include "test.h"
#include "../arch/x86/apic.c"
#include "../arch/x86/ioapic.c"

struct fake_cell {
	unsigned int cpu_mask;
	unsigned int pin_mask;
	struct ioapic_cell view;
};

static hv_u32 regs[0x10 + 2 * 24];
static struct xapic_vcpu cpus[4];
static struct fake_cell root = { .cpu_mask = 0x5, .pin_mask = 1U << 4 };
static struct fake_cell cell = { .cpu_mask = 0x2, .pin_mask = 1U << 3 };
static unsigned int writes, warns, eois;
static hv_u32 last_write_index[8], last_eoi;

static hv_u32 io_read(void *ctx, unsigned int index)
{
	return index < sizeof(regs) / 4 ? regs[index] : 0;
}

static void io_write(void *ctx, unsigned int index, hv_u32 value)
{
	if (index < sizeof(regs) / 4)
		regs[index] = value;
	if (writes < 8)
		last_write_index[writes] = index;
	writes++;
}

static void io_eoi(void *ctx, hv_u8 vector)
{
	eois++;
	last_eoi = vector;
}

static bool pin_owned(void *ctx, unsigned int pin)
{
	const struct fake_cell *c = ctx;

	return pin < 32 && (c->pin_mask & (1U << pin));
}

static const struct xapic_vcpu *cell_cpu(void *ctx, unsigned int n)
{
	const struct fake_cell *c = ctx;
	unsigned int cpu;

	for (cpu = 0; cpu < 4; cpu++)
		if ((c->cpu_mask & (1U << cpu)) && n-- == 0)
			return &cpus[cpu];
	return NULL;
}

static void warn(void *ctx, const char *what, hv_u32 index, hv_u32 value)
{
	warns++;
}

static bool dest_ok(void *ctx, bool logical, hv_u8 dest)
{
	struct xapic_hooks ah = { ctx, NULL, NULL, cell_cpu, NULL, NULL, warn };

	return xapic_irq_dest_in_cell(&ah, logical, dest);
}

static struct ioapic_hooks hooks(struct fake_cell *c)
{
	return (struct ioapic_hooks){ c, io_read, io_write, io_eoi, pin_owned, dest_ok, warn };
}

static void reset(void)
{
	unsigned int cpu, pin;

	for (cpu = 0; cpu < 4; cpu++)
		xapic_vcpu_init(&cpus[cpu], cpu, cpu, 1U << (24 + cpu), XAPIC_DFR_FLAT, false);
	memset(regs, 0, sizeof(regs));
	regs[IOAPIC_REG_ID] = 0x00000000;
	regs[IOAPIC_REG_VERSION] = 0x00170020;		/* 24 pins, version 0x20 */
	for (pin = 0; pin < 24; pin++)
		regs[IOAPIC_REDIR_LOW(pin)] = IOAPIC_MASKED;
	ioapic_cell_init(&root.view);
	ioapic_cell_init(&cell.view);
	writes = warns = eois = 0;
}

static enum ioapic_result acc(struct fake_cell *c, unsigned int offset, bool write,
			      hv_u32 *value)
{
	struct ioapic_hooks h = hooks(c);

	return ioapic_access(&c->view, &h, offset, 4, write, value);
}

static void sel_write(struct fake_cell *c, unsigned int index, hv_u32 value)
{
	CHECK(acc(c, IOAPIC_REGSEL, true, &index) == IOAPIC_OK);
	CHECK(acc(c, IOAPIC_IOWIN, true, &value) == IOAPIC_OK);
}

static hv_u32 sel_read(struct fake_cell *c, unsigned int index)
{
	hv_u32 value = 0xdeadbeef;

	CHECK(acc(c, IOAPIC_REGSEL, true, &index) == IOAPIC_OK);
	CHECK(acc(c, IOAPIC_IOWIN, false, &value) == IOAPIC_OK);
	return value;
}

static void check_access(void)
{
	struct ioapic_hooks h = hooks(&root);
	hv_u32 v = 1;

	reset();
	CHECK(sel_read(&cell, IOAPIC_REG_VERSION) == 0x00170020);
	CHECK(sel_read(&cell, IOAPIC_REDIR_LOW(4)) == IOAPIC_MASKED);	/* reads pass */
	/* Each cell its own IOREGSEL. */
	v = IOAPIC_REG_VERSION;
	acc(&root, IOAPIC_REGSEL, true, &v);
	v = IOAPIC_REDIR_HIGH(3);
	acc(&cell, IOAPIC_REGSEL, true, &v);
	acc(&root, IOAPIC_IOWIN, false, &v);
	CHECK(v == 0x00170020);
	acc(&root, IOAPIC_REGSEL, false, &v);
	CHECK(v == IOAPIC_REG_VERSION);
	acc(&cell, IOAPIC_REGSEL, false, &v);
	CHECK(v == (hv_u32)IOAPIC_REDIR_HIGH(3));
	v = 0x1ff;
	acc(&cell, IOAPIC_REGSEL, true, &v);
	CHECK(cell.view.regsel == 0xff);
	/* Refused: sizes, offsets. */
	CHECK(ioapic_access(&root.view, &h, IOAPIC_IOWIN, 1, false, &v) == IOAPIC_REFUSED);
	CHECK(ioapic_access(&root.view, &h, IOAPIC_REGSEL, 8, true, &v) == IOAPIC_REFUSED);
	CHECK(ioapic_access(&root.view, &h, 0x20, 4, false, &v) == IOAPIC_REFUSED);
	CHECK(ioapic_access(&root.view, &h, 0x14, 4, false, &v) == IOAPIC_REFUSED);
	CHECK(ioapic_access(&root.view, &h, IOAPIC_EOI, 4, false, &v) == IOAPIC_OK && v == 0);
	CHECK(writes == 0 && warns == 0);
}

static void check_pins(void)
{
	reset();
	/* Linux's order: high half, then low. The cell's pin 3 to its CPU 1, physical. */
	sel_write(&cell, IOAPIC_REDIR_HIGH(3), 1U << 24);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x0000a023);		/* level, vector 0x23 */
	CHECK(regs[IOAPIC_REDIR_HIGH(3)] == 1U << 24 && regs[IOAPIC_REDIR_LOW(3)] == 0xa023);
	CHECK(writes == 2 && warns == 0);
	/* Logical flat to CPU 1, lowest priority: with the high half first, the live entry would
	 * briefly say physical 2 (a root CPU), so it is masked (warned) until the low half. */
	sel_write(&cell, IOAPIC_REDIR_HIGH(3), 0x02U << 24);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == (0xa023 | IOAPIC_MASKED) && warns == 1);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x00000923);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == 0x923 && warns == 1);
	/* Retargeting within the cell's CPUs: no detour. */
	sel_write(&cell, IOAPIC_REDIR_HIGH(3), 0x02U << 24);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == 0x923 && warns == 1);
	/* A foreign pin: never written. */
	writes = warns = 0;
	sel_write(&cell, IOAPIC_REDIR_LOW(4), 0x31);
	sel_write(&cell, IOAPIC_REDIR_HIGH(4), 0);
	sel_write(&cell, IOAPIC_REDIR_LOW(23), 0x31);
	CHECK(writes == 0 && warns == 3 && regs[IOAPIC_REDIR_LOW(4)] == IOAPIC_MASKED);
	/* ID, version, arbitration and registers past the pins: never written. */
	warns = 0;
	sel_write(&root, IOAPIC_REG_ID, 0x05000000);
	sel_write(&root, IOAPIC_REG_ARB, 0x05000000);
	sel_write(&root, IOAPIC_REG_VERSION, 0);
	sel_write(&root, 0x03, 0);
	sel_write(&root, 0xff, 0);
	CHECK(writes == 0 && warns == 5 && regs[IOAPIC_REG_ID] == 0);
	/* The root's pin 4 to its CPUs (logical 0x05). */
	sel_write(&root, IOAPIC_REDIR_HIGH(4), 0x05U << 24);
	sel_write(&root, IOAPIC_REDIR_LOW(4), 0x00000834);
	CHECK(regs[IOAPIC_REDIR_LOW(4)] == 0x834 && warns == 5);
}

static void check_refused_entries(void)
{
	reset();
	/* The low half unmasked to a root CPU (physical 0): written masked. */
	sel_write(&cell, IOAPIC_REDIR_HIGH(3), 0);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x00000023);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == (0x23 | IOAPIC_MASKED) && warns == 1);
	/* Masked, any destination is fine; unmasking then needs a good one. */
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x00010023);
	CHECK(warns == 1);
	sel_write(&cell, IOAPIC_REDIR_HIGH(3), 1U << 24);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x00000023);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == 0x23 && warns == 1);
	/* Retargeting the live entry to a root CPU: masked first, then the destination. */
	writes = 0;
	sel_write(&cell, IOAPIC_REDIR_HIGH(3), 2U << 24);
	CHECK(warns == 2 && writes == 2 && last_write_index[0] == IOAPIC_REDIR_LOW(3));
	CHECK(last_write_index[1] == IOAPIC_REDIR_HIGH(3));
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == (0x23 | IOAPIC_MASKED));
	/* Logical masks with a foreign bit, broadcasts. */
	sel_write(&cell, IOAPIC_REDIR_HIGH(3), 0x03U << 24);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x823);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] & IOAPIC_MASKED);
	sel_write(&cell, IOAPIC_REDIR_HIGH(3), 0xffU << 24);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x23);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] & IOAPIC_MASKED);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x823);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] & IOAPIC_MASKED);
	/* Own destination, refused delivery modes: SMI, NMI, INIT, ExtINT. */
	sel_write(&cell, IOAPIC_REDIR_HIGH(3), 1U << 24);
	warns = 0;
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x200);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == 0x10200);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x400);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == 0x10400);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x500);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == 0x10500);
	sel_write(&cell, IOAPIC_REDIR_LOW(3), 0x700);
	CHECK(regs[IOAPIC_REDIR_LOW(3)] == 0x10700 && warns == 4);
	/* ioapic_entry_ok on its own. */
	{
		struct ioapic_hooks h = hooks(&cell);

		CHECK(ioapic_entry_ok(&h, 0x10700, 0xff000000));
		CHECK(ioapic_entry_ok(&h, 0x123, 1U << 24));
		CHECK(!ioapic_entry_ok(&h, 0x123, 3U << 24));
	}
}

static void check_eoi(void)
{
	hv_u32 v;

	reset();
	regs[IOAPIC_REDIR_LOW(3)] = 0xa023;
	regs[IOAPIC_REDIR_LOW(4)] = 0xa034;
	v = 0x23;
	CHECK(acc(&cell, IOAPIC_EOI, true, &v) == IOAPIC_OK && eois == 1 && last_eoi == 0x23);
	v = 0x34;					/* the root's vector */
	CHECK(acc(&cell, IOAPIC_EOI, true, &v) == IOAPIC_OK && eois == 1 && warns == 1);
	CHECK(acc(&root, IOAPIC_EOI, true, &v) == IOAPIC_OK && eois == 2 && last_eoi == 0x34);
}

int main(void)
{
	check_access();
	check_pins();
	check_refused_entries();
	check_eoi();
	return test_report("test_x86_ioapic");
}
