// SPDX-License-Identifier: GPL-2.0
/*
 * What the firmware calls RAM on arm64 and ARMv7 (both build this file). Booted through UEFI:
 * the EFI memory map (the EFI stub deletes the device tree's /memory nodes, the kernel takes
 * its RAM from the map) and the device tree's /reserved-memory no-map carve-outs of RAM
 * (U-Boot's EFI lists those as reserved, not as RAM). Otherwise: the /memory nodes of the
 * device tree the kernel booted with. Not memblock nor pfn_valid(): mem= drops the RAM above
 * its limit from both, and that RAM is exactly what a mem= recipe leaves to the hypervisor and
 * the cells. Neither the EFI map nor the live tree changes with mem=.
 */
#include <linux/efi.h>
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

/* The end of the /reserved-memory no-map node holding addr, or addr if none does. */
static u64 no_map_end(u64 addr)
{
	struct device_node *res, *np;
	struct resource r;
	u64 end = addr;

	res = of_find_node_by_path("/reserved-memory");
	if (!res)
		return addr;
	for_each_available_child_of_node(res, np) {
		if (!of_property_read_bool(np, "no-map") || of_address_to_resource(np, 0, &r))
			continue;
		if (r.start <= addr && addr <= r.end && r.end + 1 > end)
			end = r.end + 1;
	}
	of_node_put(res);
	return end;
}

/* RAM as the kernel itself counts it from the EFI map: usable types, cacheable */
static bool efi_ram(const efi_memory_desc_t *md)
{
	if (!(md->attribute & EFI_MEMORY_WB))
		return false;
	switch (md->type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return true;
	default:
		return false;
	}
}

/* The end of the EFI RAM descriptor holding addr, or addr if none does. */
static u64 efi_ram_end(u64 addr)
{
	efi_memory_desc_t *md;
	u64 end = addr;

	for_each_efi_memory_desc(md) {
		u64 start = md->phys_addr, size = md->num_pages << EFI_PAGE_SHIFT;

		if (efi_ram(md) && start <= addr && addr - start < size && start + size > end)
			end = start + size;
	}
	return end;
}

static bool use_efi_map(void)
{
	return efi_enabled(EFI_MEMMAP) && efi.memmap.map;
}

const char *jh_arch_firmware_ram_map(void)
{
	return use_efi_map() ? "the EFI memory map" : "the device tree's /memory nodes";
}

u64 jh_arch_firmware_ram_end(u64 start, u64 size)
{
	bool efi_map = use_efi_map();
	u64 addr = start, next;

	if (start + size < start)
		return start;	/* wraps: nothing of it counts */
	/* adjacent ranges (one per bank or descriptor) join: walk from one to the next */
	while (addr < start + size) {
		next = efi_map ? max(efi_ram_end(addr), no_map_end(addr)) : memory_node_end(addr);
		if (next == addr)
			break;
		addr = next;
	}
	return min(addr, start + size);
}
