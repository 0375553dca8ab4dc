/* SPDX-License-Identifier: GPL-2.0 */
/* A non-root cell as the driver tracks it; shared by cell.c (operations) and cell_sysfs.c. */
#ifndef JAILHOUSE_CELL_H
#define JAILHOUSE_CELL_H

#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include "config_format.h"

struct jh_cell {
	struct kobject kobj;
	struct kobject stats;
	struct list_head list;
	int id;
	char name[HVCFG_NAME_LEN];
	struct hvcfg_cell *blob;	/* kmalloc copy: physically contiguous for the hypervisor */
	u32 size;
	u64 hv_cpus;			/* hypervisor CPU ids */
	struct cpumask cpus;		/* the same as Linux CPU numbers */
	bool loaded;			/* an image went in since create or shutdown */
};

/* sysfs: /sys/devices/jailhouse/cells/<id>/ and its statistics/ */
int jh_cell_sysfs_init(struct kobject *parent);
void jh_cell_sysfs_exit(void);
void jh_cell_sysfs_add(struct jh_cell *cell);	/* takes over the cell: freed on the last put */
void jh_cell_sysfs_put(struct jh_cell *cell);

/* pci.c: root Linux lets go of a cell's PCI functions and finds them again */
void jh_pci_release(const struct hvcfg_cell *blob, u32 size);
void jh_pci_rescan(const struct hvcfg_cell *blob, u32 size);
/* pci.c: the root's ivshmem link ends, from enable to disable */
void jh_pci_ends_save(const struct hvcfg_system *sys, u32 size);
void jh_pci_ends_add(void);
void jh_pci_ends_remove(void);

#endif
