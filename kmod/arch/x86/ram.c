// SPDX-License-Identifier: GPL-2.0
/*
 * What the firmware calls RAM on x86: the e820 table as the BIOS handed it over. The kernel's
 * own table is no answer: memmap=SIZE$ADDRESS turns RAM into "reserved" there and mem= cuts it
 * off, and both are how the hypervisor's and the cells' memory is kept from Linux. The
 * firmware's table (what /sys/firmware/memmap shows) keeps it as RAM.
 */
#include <linux/sched.h>
#include <linux/sizes.h>
#include <asm/e820/api.h>

#include "../../arch.h"

const char *jh_arch_firmware_ram_map(void)
{
	return "the BIOS e820 map (/sys/firmware/memmap)";
}

u64 jh_arch_firmware_ram_end(u64 start, u64 size)
{
	u64 addr;

	if (start + size < start)
		return start;	/* wraps: nothing of it counts */
	/* page by page: the table answers "any part of", and a hole may be one page */
	for (addr = start; addr < start + size; addr += PAGE_SIZE) {
		if (!e820__mapped_raw_any(addr, addr + PAGE_SIZE, E820_TYPE_RAM))
			break;
		if (!(addr & (SZ_1G - 1)))
			cond_resched();
	}
	return min(addr, start + size);
}
