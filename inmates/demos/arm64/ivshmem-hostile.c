// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ivshmem-demo's hostile modes: what a cell may do to its own end and must not hurt anyone
 * else with (tests/system/hostile-ivshmem.sh judges the system afterwards).
 *   bar0  addr=X: BAR0 moved to X (over our RAM, the GIC, the ECAM window, another end...),
 *         memory decoding on, STATE written through the new place and read back:
 *         "bar0 0x.. state=.. id=.."
 *   regs  reads and writes of width 1, 2, 4 and 8 at every aligned offset of 0x00-0x27 and
 *         at the page's last 8 bytes, doorbells to ourselves, to peer ids >= the number of
 *         peers, with vector 1, all ones; then INT_CTRL and STATE restored: "regs done id=.."
 */
#include <ivshmem.h>
#include <ivshmem_echo.h>

#include "ivshmem-demo.h"

#define LAST_OFFSETS		0x28

static u64 access(uintptr_t a, unsigned int width, bool write, u64 val)
{
	u32 v32;

	switch (width) {
	case 1:
		if (write)
			mmio_write8(a, val);
		return write ? 0 : mmio_read8(a);
	case 2:
		if (write)
			__asm__ volatile("strh %w0, [%1]" : : "r" ((u32)val), "r" (a) : "memory");
		else
			__asm__ volatile("ldrh %w0, [%1]" : "=r" (v32) : "r" (a) : "memory");
		return write ? 0 : v32;
	case 4:
		if (write)
			mmio_write32(a, val);
		return write ? 0 : mmio_read32(a);
	default:
		if (write)
			mmio_write64(a, val);
		return write ? 0 : mmio_read64(a);
	}
}

void hostile_bar0(int bdf, u64 addr)
{
	u32 state;

	addr &= ~(PAGE_SIZE - 1);
	/* a page beyond the Device window needs a mapping; our own image keeps its own */
	remap_range(addr, PAGE_SIZE, MAP_DEVICE);
	pci_write_config(bdf, PCI_CFG_COMMAND, 0, 2);
	pci_write_config(bdf, PCI_CFG_BAR0, (u32)addr, 4);
	pci_write_config(bdf, PCI_CFG_COMMAND, PCI_CMD_MEM, 2);
	printk("bar0: moved to 0x%llx (reads back 0x%x)\n", addr,
	       pci_read_config(bdf, PCI_CFG_BAR0, 4));
	mmio_write32(addr + IVSHMEM_REG_STATE, IVSHMEM_ECHO_READY);
	state = mmio_read32(addr + IVSHMEM_REG_STATE);
	printk("bar0 0x%llx state=%u id=%u\n", addr, state, mmio_read32(addr + IVSHMEM_REG_ID));
}

void hostile_regs(uintptr_t regs, u32 id, u32 peers)
{
	/* peer 1 vector 0 is legal when we are not 1; the rest are not */
	static const u32 bells[] = { 0xffff0000, 1, 0xffffffff, 0x0000ffff };
	unsigned int width, off, i;
	u64 sum = 0;

	for (width = 1; width <= 8; width *= 2) {
		for (off = 0; off < LAST_OFFSETS; off += width)
			sum += access(regs + off, width, false, 0);
		for (off = IVSHMEM_REG_SIZE - 8; off < IVSHMEM_REG_SIZE; off += width)
			sum += access(regs + off, width, false, 0);
		for (off = 0; off < LAST_OFFSETS; off += width)
			if (width != 4)	/* the aligned 32-bit ones are the real registers */
				access(regs + off, width, true, ~0UL);
		for (off = IVSHMEM_REG_SIZE - 8; off < IVSHMEM_REG_SIZE; off += width)
			access(regs + off, width, true, ~0UL);
	}
	printk("regs: odd accesses done (reads summed 0x%llx)\n", sum);
	mmio_write32(regs + IVSHMEM_REG_ID, 0x77);
	mmio_write32(regs + IVSHMEM_REG_MAX_PEERS, 0x77);
	mmio_write32(regs + IVSHMEM_REG_DOORBELL, IVSHMEM_DOORBELL(id, 0));
	mmio_write32(regs + IVSHMEM_REG_DOORBELL, IVSHMEM_DOORBELL(peers, 0));
	for (i = 0; i < ARRAY_SIZE(bells); i++)
		mmio_write32(regs + IVSHMEM_REG_DOORBELL, bells[i]);
	mmio_write32(regs + IVSHMEM_REG_DOORBELL, IVSHMEM_DOORBELL((id + 1) % peers, 1));
	mmio_write32(regs + IVSHMEM_REG_INT_CTRL, IVSHMEM_INT_ENABLE);
	mmio_write32(regs + IVSHMEM_REG_STATE, IVSHMEM_ECHO_READY);
	printk("regs done id=%u peers=%u int_ctrl=%u state=%u\n",
	       mmio_read32(regs + IVSHMEM_REG_ID), mmio_read32(regs + IVSHMEM_REG_MAX_PEERS),
	       mmio_read32(regs + IVSHMEM_REG_INT_CTRL), mmio_read32(regs + IVSHMEM_REG_STATE));
}
