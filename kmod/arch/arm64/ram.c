// SPDX-License-Identifier: GPL-2.0
/*
 * What the firmware calls RAM on arm64: the /memory nodes of the device tree the kernel
 * booted with. Not memblock nor pfn_valid(): mem= drops the RAM above its limit from both, and
 * that RAM is exactly what a mem= recipe leaves to the hypervisor and the cells. The live tree
 * keeps every /memory node whatever the command line says.
 */
#include <linux/of.h>
#include <linux/of_address.h>

#include "../../arch.h"

/* The end of the /memory range holding addr, or addr if none does. */
static u64 memory_node_end(u64 addr)
{
	struct device_node *np;
	struct resource res;
	u64 end = addr;
	int i;

	for_each_node_by_type(np, "memory") {
		if (!of_device_is_available(np))
			continue;
		for (i = 0; !of_address_to_resource(np, i, &res); i++)
			if (res.start <= addr && addr <= res.end && res.end + 1 > end)
				end = res.end + 1;
	}
	return end;
}

u64 jh_arch_firmware_ram_end(u64 start, u64 size)
{
	u64 addr = start, next;

	/* adjacent nodes (one per bank) join: walk from one to the next */
	while (addr < start + size) {
		next = memory_node_end(addr);
		if (next == addr)
			break;
		addr = next;
	}
	return min(addr, start + size);
}
