// SPDX-License-Identifier: GPL-2.0
/*
 * A cell's comm region as the cell finds it at start: the generic part (signature, state,
 * console permission and device, laid out like Jailhouse's) filled here, the platform part by
 * the arch (arch_fill_comm_region()).
 */
#include "hv.h"
#include "arch.h"

/* The console the cell's config names, in the comm region's (Jailhouse's) terms. */
static void fill_console(struct hv_cell_console *out, const struct hvcfg_console *con)
{
	switch (con->type) {
	case HVCFG_CONSOLE_PL011:
		out->type = HV_CON_TYPE_PL011;
		out->flags = HV_CON_ACCESS_MMIO | HV_CON_REGDIST_4;
		break;
	case HVCFG_CONSOLE_8250:
		out->type = HV_CON_TYPE_8250;
		out->flags = HV_CON_ACCESS_MMIO | HV_CON_REGDIST_4;
		break;
	case HVCFG_CONSOLE_8250_PIO:
		out->type = HV_CON_TYPE_8250;
		out->flags = HV_CON_ACCESS_PIO;
		break;
	default:
		return;
	}
	out->address = con->base;
	out->size = con->size;
}

void comm_region_fill(struct cell *cell)
{
	struct hv_comm_region *comm = cell->comm;
	u32 flags = cell->desc->flags;

	memset(comm, 0, PAGE_SIZE);
	memcpy(comm->signature, HV_COMM_SIGNATURE, sizeof(comm->signature));
	comm->revision = HV_COMM_REVISION;
	comm->cell_state = HV_CELL_RUNNING;
	if (flags & (HVCFG_CELL_VCONSOLE_PERMITTED | HVCFG_CELL_VCONSOLE_ACTIVE))
		comm->flags |= HV_COMM_FLAG_CONSOLE_PERMITTED;
	if (flags & HVCFG_CELL_VCONSOLE_ACTIVE)
		comm->flags |= HV_COMM_FLAG_CONSOLE_ACTIVE;
	fill_console(&comm->console, &cell->desc->console);
	/* a cell with PCI functions or link ends has its own window there (bus 0) */
	if (cell->desc->num_pci_devices || cell->desc->num_ivshmem_ends)
		comm->pci_mmconfig_base = hv.config->platform.pci_mmconfig_base;
	arch_fill_comm_region(cell);
	arch_clean_dcache(comm, PAGE_SIZE);
}
