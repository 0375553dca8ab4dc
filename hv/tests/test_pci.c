// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration-space filter of a non-root cell's function (core/pci_cfg.c) over a fake
 * function (fake_pci.h): BARs fixed and sizeable, ROM hidden, bus mastering only when trusted,
 * MSI and MSI-X out of the capability chain, no extended space, 1-, 2- and 4-byte accesses at
 * any aligned offset.
 */
#include <pci.h>
#include "test.h"
#include "fake_pci.h"
#include "../core/pci_cfg.c"

#define BDF		0x0010		/* 00:02.0 */

static struct fake_pci_func *hw;
static struct pci_func fn;

/* The function as pci.c leaves it after create: configured BARs, probed masks. */
static void setup(void)
{
	hw = fake_pci_add(0, BDF);
	memset(&fn, 0, sizeof(fn));
	fn.bdf = BDF;
	fn.bar[0] = 0x1001;
	fn.mask[0] = 0xfffffff8;
	fn.bar[1] = 0;			/* hidden */
	fn.bar[2] = 0x10004004;
	fn.mask[2] = 0xffffc000;
	fn.bar[3] = 0;
	fn.mask[3] = 0xffffffff;
	fn.upper = 1u << 3;
	fn.decode = PCI_CMD_IO | PCI_CMD_MEM;
	fake_pci_writes = 0;
}

static u32 rd(unsigned int reg, unsigned int size)
{
	return pci_cfg_read(&fn, reg, size);
}

static void wr(unsigned int reg, unsigned int size, u32 value, bool trusted)
{
	pci_cfg_write(&fn, trusted, reg, size, value);
}

static void test_bars(void)
{
	setup();
	CHECK(rd(PCI_BAR0, 4) == 0x1001);
	CHECK(rd(PCI_BAR0 + 1, 1) == 0x10);		/* a byte of it */
	CHECK(rd(PCI_BAR0 + 2, 2) == 0);
	wr(PCI_BAR0, 4, 0xffffffff, false);
	CHECK(rd(PCI_BAR0, 4) == 0xfffffff9);		/* 8-byte I/O BAR: size mask + type */
	wr(PCI_BAR0, 4, 0x1001, false);
	CHECK(rd(PCI_BAR0, 4) == 0x1001);
	wr(PCI_BAR0, 4, 0x2001, false);			/* moving it: ignored */
	CHECK(rd(PCI_BAR0, 4) == 0x1001);
	wr(PCI_BAR0, 2, 0xffff, false);			/* not a sizing write */
	CHECK(rd(PCI_BAR0, 4) == 0x1001);
	CHECK(rd(PCI_BAR0 + 4, 4) == 0);		/* hidden */
	wr(PCI_BAR0 + 4, 4, 0xffffffff, false);
	CHECK(rd(PCI_BAR0 + 4, 4) == 0);		/* sizes as unimplemented */
	wr(PCI_BAR0 + 8, 4, 0xffffffff, false);
	wr(PCI_BAR0 + 12, 4, 0xffffffff, false);
	CHECK(rd(PCI_BAR0 + 8, 4) == 0xffffc004);	/* 64-bit memory, 16 KiB */
	CHECK(rd(PCI_BAR0 + 12, 4) == 0xffffffff);
	wr(PCI_BAR0 + 8, 4, 0x10004004, false);
	wr(PCI_BAR0 + 12, 4, 0, false);
	CHECK(rd(PCI_BAR0 + 8, 4) == 0x10004004 && rd(PCI_BAR0 + 12, 4) == 0);
	CHECK(fake_pci_writes == 0);			/* the hardware never saw any of it */
	CHECK(fake_get(hw, PCI_BAR0, 4) == 0x1001);
}

static void test_rom_and_header(void)
{
	setup();
	CHECK(rd(PCI_ROM, 4) == 0);
	wr(PCI_ROM, 4, 0xffffffff, false);
	CHECK(rd(PCI_ROM, 4) == 0 && fake_get(hw, PCI_ROM, 4) == 0xfffc0000);
	CHECK(rd(PCI_VENDOR_ID, 4) == 0x00021b36);
	CHECK(rd(PCI_VENDOR_ID + 2, 2) == 0x0002 && rd(PCI_VENDOR_ID + 3, 1) == 0x00);
	CHECK(rd(PCI_VENDOR_ID + 1, 1) == 0x1b);
	wr(PCI_VENDOR_ID, 4, 0, false);
	wr(0x08, 4, 0, false);				/* class */
	wr(PCI_HEADER_TYPE, 1, 0x81, false);
	wr(0x2c, 4, 0, false);				/* subsystem */
	wr(PCI_CAP_PTR, 1, 0x80, false);
	wr(PCI_INT_LINE + 1, 1, 4, false);		/* interrupt pin */
	CHECK(fake_pci_writes == 0);
	wr(PCI_INT_LINE, 1, 0x2a, false);		/* interrupt line: a scratch byte */
	CHECK(fake_get(hw, PCI_INT_LINE, 2) == 0x012a);
	wr(PCI_CACHE_LINE, 4, 0xffffffff, false);	/* cache line + latency, not BIST */
	CHECK(fake_get(hw, PCI_CACHE_LINE, 4) == 0x0000ffff);
}

static void test_command(void)
{
	setup();
	wr(PCI_COMMAND, 2, PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_BME, false);
	CHECK(fake_get(hw, PCI_COMMAND, 2) == (PCI_CMD_IO | PCI_CMD_MEM));
	CHECK(rd(PCI_COMMAND, 2) == (PCI_CMD_IO | PCI_CMD_MEM));	/* BME stays 0 */
	wr(PCI_COMMAND, 2, 0xffff, false);
	CHECK(fake_get(hw, PCI_COMMAND, 2) == (PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_PARITY |
					      PCI_CMD_SERR | PCI_CMD_INTX_DISABLE));
	wr(PCI_COMMAND, 1, PCI_CMD_BME | PCI_CMD_IO, false);
	CHECK(fake_get(hw, PCI_COMMAND, 1) == PCI_CMD_IO);
	wr(PCI_COMMAND + 1, 1, 0x04, false);		/* INTx Disable (bit 10) */
	CHECK(fake_get(hw, PCI_COMMAND, 2) == (PCI_CMD_IO | PCI_CMD_INTX_DISABLE));
	wr(PCI_COMMAND, 2, PCI_CMD_IO | PCI_CMD_BME, true);	/* trusted with DMA */
	CHECK(fake_get(hw, PCI_COMMAND, 2) == (PCI_CMD_IO | PCI_CMD_BME));
	wr(PCI_COMMAND, 4, 0x01000000 | PCI_CMD_MEM, false);	/* status: write one to clear */
	CHECK(fake_get(hw, PCI_COMMAND, 4) == (0x01000000 | PCI_CMD_MEM));
	CHECK(rd(PCI_STATUS, 2) == 0x0100);
	fn.decode = PCI_CMD_IO;				/* its memory BARs are hidden */
	wr(PCI_COMMAND, 2, PCI_CMD_IO | PCI_CMD_MEM, false);
	CHECK(fake_get(hw, PCI_COMMAND, 2) == PCI_CMD_IO);
}

static void test_caps(void)
{
	setup();
	CHECK(rd(PCI_CAP_PTR, 1) == 0x40);
	CHECK(rd(0x41, 1) == 0x60);			/* PM -> PCIe: MSI skipped */
	CHECK(rd(0x40, 2) == 0x6001 && rd(0x40, 4) == 0x6001);
	CHECK(rd(0x61, 1) == 0x80);			/* PCIe -> vendor: MSI-X skipped */
	CHECK(rd(0x81, 1) == 0);
	wr(0x52, 2, 0x0001, false);			/* MSI enable */
	wr(0x50, 4, 0xffffffff, false);
	wr(0x72, 2, 0x8000, false);			/* MSI-X enable */
	CHECK(fake_pci_writes == 0 && fake_get(hw, 0x50, 4) == 0x6005);
	CHECK(fake_get(hw, 0x70, 4) == 0x8011);
	wr(0x44, 2, 0x0003, false);			/* PM control: the cell's */
	CHECK(fake_get(hw, 0x44, 2) == 0x0003);
	wr(0x60 + PCI_EXP_DEVCTL, 2, PCI_EXP_DEVCTL_FLR | 0x10, false);
	CHECK(fake_get(hw, 0x60 + PCI_EXP_DEVCTL, 2) == 0x10);	/* no FLR */
	/* a chain of only hidden capabilities: the pointer reads 0 */
	fake_put(hw, PCI_CAP_PTR, 1, 0x50);
	fake_put(hw, 0x51, 1, 0x70);
	fake_put(hw, 0x71, 1, 0);
	CHECK(rd(PCI_CAP_PTR, 1) == 0 && rd(PCI_CAP_PTR, 4) == 0);
	/* no capability list: no pointer */
	setup();
	fake_put(hw, PCI_STATUS, 2, 0);
	CHECK(rd(PCI_CAP_PTR, 1) == 0);
	/* a looping chain ends */
	setup();
	fake_put(hw, 0x81, 1, 0x40);
	CHECK(rd(0x81, 1) == 0x40 && pci_cap_find(BDF, 0x12) == 0);
}

static void test_extended(void)
{
	setup();
	CHECK(rd(0x100, 4) == 0 && rd(0x102, 2) == 0 && rd(0xfff, 1) == 0);
	wr(0x100, 4, 0, false);
	wr(0xffc, 4, 0, false);
	CHECK(fake_pci_writes == 0 && fake_get(hw, 0x100, 4) == 0x00010001);
}

int main(void)
{
	test_bars();
	test_rom_and_header();
	test_command();
	test_caps();
	test_extended();
	return test_report("test_pci");
}
