/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's inter-cell links (hv/core/ivshmem.c: link state, life cycle of the ends, the
 * register page; hv/core/ivshmem_cfg.c: the configuration space of an end). Every end of a
 * link is a virtual ivshmem v2 function (ivshmem.h) of the cell holding it; the link's memory
 * is mapped into that cell with the permissions of its layout (config_format.h).
 */
#ifndef HV_IVSHMEM_CORE_H
#define HV_IVSHMEM_CORE_H

#include <hv.h>

/*
 * One peer of a link: the end of the cell holding it (connected), or nobody. Everything but
 * link and peer_id changes under ivshmem.c's lock only.
 */
struct ivs_end {
	struct cell *cell;			/* connected cell, NULL: nobody */
	const struct hvcfg_ivshmem_end *cfg;	/* in cell->blob */
	const struct hvcfg_ivshmem_link *link;	/* in the system blob */
	struct mmio_region *mmio;		/* the cell's trap of BAR0 (size 0: none) */
	u64 trapped;				/* root: the page out of its stage 2, 0: none */
	u32 state;				/* IVSHMEM_REG_STATE */
	u32 int_ctrl;				/* IVSHMEM_REG_INT_CTRL */
	u32 bar0;				/* BAR0 as the cell wrote it (address bits) */
	u16 command;				/* PCI_COMMAND: MEM, BME, INTX_DISABLE */
	u8 priv_ctrl;				/* IVSHMEM_VCAP_PRIV_CTRL */
	u8 int_line;				/* PCI_INT_LINE scratch */
	u8 peer_id;
	bool sizing;				/* BAR0 written all ones: the next read sizes */
};

/* setup.c: the links of the system and the root's ends, once, before any CPU runs a guest */
int ivshmem_init(const struct hvcfg_system *sys);

/* cell.c and cell_stop.c, under cell.c's cell_lock (except ivshmem_cell_stopped) */
long ivshmem_check_live(const struct hvcfg_cell *cfg);
int ivshmem_cell_init(struct cell *cell);
void ivshmem_cell_connect(struct cell *cell);
void ivshmem_cell_reset(struct cell *cell);
void ivshmem_cell_stopped(struct cell *cell);
void ivshmem_cell_exit(struct cell *cell);
void ivshmem_root_retrap(void);

/*
 * pci.c: a configuration access of the cell to bdf, if that is one of its ends (returns
 * true; *value holds what a read returns), else false.
 */
bool ivshmem_pci_cfg(struct cell *cell, u16 bdf, unsigned int reg, unsigned int size,
		     bool write, u32 *value);

/* ivshmem_cfg.c, for ivshmem.c: an end's configuration space, under ivshmem.c's lock */
u32 ivs_cfg_read(const struct ivs_end *end, unsigned int reg, unsigned int size);
/* returns whether decoding (Command.MEM or BAR0) changed */
bool ivs_cfg_write(struct ivs_end *end, unsigned int reg, unsigned int size, u32 value);

#endif
