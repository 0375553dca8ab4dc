// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI functions of a cell change hands in root Linux too: before the hypervisor takes
 * them, Linux stops their drivers and forgets the devices (it would otherwise read all ones
 * and write into nothing); after destroy, or a create the hypervisor refused, a rescan of
 * their buses finds them again, reset and with the BARs Linux had assigned.
 */
#include <linux/pci.h>

#include "config_check.h"
#include "cell.h"

/*
 * The blob's function list, or none where it does not lie inside the blob's size bytes (with
 * debug_skip_driver_checks the hypervisor alone judges the blob: nothing here may read past it).
 */
static unsigned int num_functions(const struct hvcfg_cell *blob, u32 size)
{
	u64 end = (u64)blob->cell.pci_devices_offset +
		  (u64)blob->cell.num_pci_devices * sizeof(struct hvcfg_pci_device);

	return end <= size ? blob->cell.num_pci_devices : 0;
}

/* Linux stops the function's driver and forgets it; for_cell: the cell taking it (named). */
static void remove_function(u16 domain, u16 bdf, const char *for_cell)
{
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(domain, bdf >> 8, bdf & 0xff);

	if (!pdev)
		return;
	if (for_cell)
		pr_info("jailhouse: PCI %s leaves Linux for cell \"%.*s\"\n", pci_name(pdev),
			HVCFG_NAME_LEN - 1, for_cell);
	pci_stop_and_remove_bus_device_locked(pdev);
	pci_dev_put(pdev);
}

/* Linux scans the bus again (new functions get their BARs); false if it has no such bus. */
static bool rescan_bus(u16 domain, u8 busnr)
{
	struct pci_bus *bus;

	pci_lock_rescan_remove();
	bus = pci_find_bus(domain, busnr);
	if (bus)
		pci_rescan_bus(bus);
	pci_unlock_rescan_remove();
	return bus;
}

void jh_pci_release(const struct hvcfg_cell *blob, u32 size)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(blob, &blob->cell);
	unsigned int n, num = num_functions(blob, size);

	for (n = 0; n < num; n++)
		remove_function(dev[n].domain, dev[n].bdf, blob->cell.name);
}

void jh_pci_rescan(const struct hvcfg_cell *blob, u32 size)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(blob, &blob->cell);
	unsigned int n, m, num = num_functions(blob, size);

	for (n = 0; n < num; n++) {
		/* each bus once */
		for (m = 0; m < n; m++)
			if (dev[m].domain == dev[n].domain && dev[m].bdf >> 8 == dev[n].bdf >> 8)
				break;
		if (m < n)
			continue;
		if (!rescan_bus(dev[n].domain, dev[n].bdf >> 8))
			pr_warn("jailhouse: PCI bus %04x:%02x is gone: functions of cell \"%.*s\" "
				"not rescanned\n", dev[n].domain, dev[n].bdf >> 8,
				HVCFG_NAME_LEN - 1, blob->cell.name);
	}
}

/*
 * The root's ends of inter-cell links are virtual functions the hypervisor shows only while it
 * runs: a rescan after enable finds them (and assigns their BAR0), and they are removed before
 * disable, when their registers and memory stop existing for Linux. Their BDFs come from the
 * system blob at enable (bus 0 of domain 0, config_format.h) and are kept until disable.
 */
static u16 root_end_bdf[HVCFG_MAX_IVSHMEM_ENDS];
static unsigned int num_root_ends;

void jh_pci_ends_save(const struct hvcfg_system *sys, u32 size)
{
	const struct hvcfg_cell_desc *root = &sys->root_cell;
	const struct hvcfg_ivshmem_end *end;
	u64 last;
	unsigned int n;

	num_root_ends = 0;
	/* read nothing outside the blob (debug_skip_driver_checks leaves it unchecked) */
	last = (u64)root->ivshmem_ends_offset +
	       (u64)root->num_ivshmem_ends * sizeof(struct hvcfg_ivshmem_end);
	if (root->num_ivshmem_ends > HVCFG_MAX_IVSHMEM_ENDS || last > size ||
	    root->ivshmem_ends_offset % 8)
		return;
	end = (const void *)sys + root->ivshmem_ends_offset;
	for (n = 0; n < root->num_ivshmem_ends; n++)
		root_end_bdf[n] = end[n].bdf;
	num_root_ends = n;
}

void jh_pci_ends_add(void)
{
	if (num_root_ends && !rescan_bus(0, 0))
		pr_warn("jailhouse: no PCI bus 0000:00: the root's %u ivshmem link ends are not "
			"visible\n", num_root_ends);
}

void jh_pci_ends_remove(void)
{
	unsigned int n;

	for (n = 0; n < num_root_ends; n++)
		remove_function(0, root_end_bdf[n], NULL);
}
