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

void jh_pci_release(const struct hvcfg_cell *blob, u32 size)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(blob, &blob->cell);
	unsigned int n, num = num_functions(blob, size);
	struct pci_dev *pdev;

	for (n = 0; n < num; n++) {
		pdev = pci_get_domain_bus_and_slot(dev[n].domain, dev[n].bdf >> 8,
						   dev[n].bdf & 0xff);
		if (!pdev)
			continue;
		pr_info("jailhouse: PCI %s leaves Linux for cell \"%.*s\"\n", pci_name(pdev),
			HVCFG_NAME_LEN - 1, blob->cell.name);
		pci_stop_and_remove_bus_device_locked(pdev);
		pci_dev_put(pdev);
	}
}

void jh_pci_rescan(const struct hvcfg_cell *blob, u32 size)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(blob, &blob->cell);
	unsigned int n, m, num = num_functions(blob, size);
	struct pci_bus *bus;

	for (n = 0; n < num; n++) {
		/* each bus once */
		for (m = 0; m < n; m++)
			if (dev[m].domain == dev[n].domain && dev[m].bdf >> 8 == dev[n].bdf >> 8)
				break;
		if (m < n)
			continue;
		pci_lock_rescan_remove();
		bus = pci_find_bus(dev[n].domain, dev[n].bdf >> 8);
		if (bus)
			pci_rescan_bus(bus);
		pci_unlock_rescan_remove();
		if (!bus)
			pr_warn("jailhouse: PCI bus %04x:%02x is gone: functions of cell \"%.*s\" "
				"not rescanned\n", dev[n].domain, dev[n].bdf >> 8,
				HVCFG_NAME_LEN - 1, blob->cell.name);
	}
}
