// SPDX-License-Identifier: GPL-2.0
/*
 * pci-conf1 (x86 guest test tool): PCI configuration mechanism #1 from user space, as early
 * boot code and firmware use it: "pci-conf1 BB:DD.F REG SIZE" writes the 32-bit address to
 * 0xcf8, reads it back and reads SIZE (1, 2, 4) bytes at 0xcfc + (REG & 3); prints
 * "latch 0x%08x value 0x%x". "pci-conf1 cf9" reads the reset control register (a byte).
 * Needs iopl(3) (root).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>

int main(int argc, char **argv)
{
	unsigned int bus, dev, fn, reg, size, addr, latch, value;

	if (iopl(3)) {
		perror("iopl");
		return 1;
	}
	if (argc == 2) {
		printf("cf9 0x%02x\n", inb(0xcf9));
		return 0;
	}
	if (argc != 4 || sscanf(argv[1], "%x:%x.%x", &bus, &dev, &fn) != 3) {
		fprintf(stderr, "usage: pci-conf1 BB:DD.F REG SIZE | pci-conf1 cf9\n");
		return 2;
	}
	reg = strtoul(argv[2], NULL, 0);
	size = strtoul(argv[3], NULL, 0);
	addr = 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xfc);
	outl(addr, 0xcf8);
	latch = inl(0xcf8);
	if (size == 1)
		value = inb(0xcfc + (reg & 3));
	else if (size == 2)
		value = inw(0xcfc + (reg & 2));
	else
		value = inl(0xcfc);
	printf("latch 0x%08x value 0x%x\n", latch, value);
	return 0;
}
