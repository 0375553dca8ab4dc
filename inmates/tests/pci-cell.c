// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pci-cell: a cell's view of its PCI host (tests/system/pci-cell.sh). The cell owns the
 * pci-serial function 00:02.0 (BAR0: 8 I/O ports, CPU address io + port, where the
 * configuration put them) and sees bus 0 through its virtual ECAM window: it scans the bus, reads
 * and sizes its BAR, tries to move it, reads the ROM BAR, asks for bus mastering, reads a
 * function it does not own and the extended space, each result one "pci-cell: ..." line on
 * the console; then drives the 16550 behind the BAR: one byte in loopback mode (it must come
 * back), one line out. Command line: ecam=0x4010000000 io=0x3eff0000; beyond=1: only a read
 * of bus 1, outside the cell's window (the cell must fail).
 */
#include <inmate.h>

#define OWN		0x0010		/* 00:02.0 */
#define ECAM_BUS	(1UL << 20)

#define UART_RBR	0
#define UART_THR	0
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define  LSR_DR		0x01
#define  LSR_THRE	0x20
#define  MCR_LOOP	0x10

static u64 ecam, uart;

static u32 cfg_read(u16 bdf, unsigned int reg, unsigned int size)
{
	uintptr_t a = ecam + ((u64)bdf << 12) + reg;
	u32 v;

	if (size == 1)
		return mmio_read8(a);
	if (size == 2) {
		__asm__ volatile("ldrh %w0, [%1]" : "=r" (v) : "r" (a) : "memory");
		return v;
	}
	return mmio_read32(a);
}

static void cfg_write(u16 bdf, unsigned int reg, unsigned int size, u32 val)
{
	uintptr_t a = ecam + ((u64)bdf << 12) + reg;

	if (size == 2)
		__asm__ volatile("strh %w0, [%1]" : : "r" (val), "r" (a) : "memory");
	else
		mmio_write32(a, val);
}

static void scan(void)
{
	unsigned int bdf, found = 0;
	u32 id;

	for (bdf = 0; bdf < 256; bdf++) {
		id = cfg_read(bdf, 0, 4);
		if (id == 0xffffffff)
			continue;
		found++;
		printk("pci-cell: found %02x:%02x.%x %08x\n", bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7,
		       id);
	}
	printk("pci-cell: functions %u\n", found);
}

static void registers(void)
{
	u32 bar = cfg_read(OWN, 0x10, 4);

	printk("pci-cell: id %08x vendor8 %02x device16 %04x\n", cfg_read(OWN, 0, 4),
	       cfg_read(OWN, 0, 1), cfg_read(OWN, 2, 2));
	printk("pci-cell: bar0 %08x\n", bar);
	uart += bar & ~3u;	/* the port the configuration gave the cell */
	cfg_write(OWN, 0x10, 4, 0xffffffff);
	printk("pci-cell: bar0 size %08x\n", cfg_read(OWN, 0x10, 4));
	cfg_write(OWN, 0x10, 4, bar);
	cfg_write(OWN, 0x10, 4, 0x2001);
	printk("pci-cell: bar0 moved %08x\n", cfg_read(OWN, 0x10, 4));
	cfg_write(OWN, 0x30, 4, 0xfffff800);
	printk("pci-cell: rom %08x\n", cfg_read(OWN, 0x30, 4));
	cfg_write(OWN, 0x04, 2, 0x0005);		/* I/O decoding and bus mastering */
	printk("pci-cell: command %04x\n", cfg_read(OWN, 0x04, 2));
	printk("pci-cell: ext %08x\n", cfg_read(OWN, 0x100, 4));
	printk("pci-cell: host bridge %08x\n", cfg_read(0x0000, 0, 4));
	printk("pci-cell: last %08x\n", mmio_read32(ecam + ECAM_BUS - 4));	/* 00:1f.7 */
}

static bool uart_wait(unsigned int bit)
{
	unsigned int n;

	for (n = 0; n < 1000000; n++)
		if (mmio_read8(uart + UART_LSR) & bit)
			return true;
	return false;
}

static void serial(void)
{
	const char *line = "pci-cell: hello through pci-serial\r\n";
	u8 got;

	mmio_write8(uart + UART_LCR, 0x03);			/* 8N1 */
	mmio_write8(uart + UART_MCR, MCR_LOOP);
	mmio_write8(uart + UART_THR, 'P');
	got = uart_wait(LSR_DR) ? mmio_read8(uart + UART_RBR) : 0;
	printk("pci-cell: loopback %s\n", got == 'P' ? "ok" : "FAILED");
	mmio_write8(uart + UART_MCR, 0x03);
	for (; *line; line++) {
		uart_wait(LSR_THRE);
		mmio_write8(uart + UART_THR, *line);
	}
	printk("pci-cell: line sent, lsr %02x\n", mmio_read8(uart + UART_LSR));
}

void inmate_main(void)
{
	ecam = cmdline_get_u64("ecam", 0x4010000000UL);
	uart = cmdline_get_u64("io", 0x3eff0000UL);
	/* beyond: bus 1 too, so that the hypervisor, not our own stage 1, sees the access */
	if (map_range(ecam, 2 * ECAM_BUS, MAP_DEVICE)) {
		printk("pci-cell: cannot map the ECAM window\n");
		return;
	}
	if (cmdline_get_u64("beyond", 0)) {
		printk("pci-cell: reading bus 1\n");
		printk("pci-cell: bus 1 read %08x\n", mmio_read32(ecam + ECAM_BUS));
		return;
	}
	scan();
	registers();
	serial();
	printk("pci-cell: done\n");
	while (!comm_region_poll())
		cpu_relax();
	cpu_halt();
}
