/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI functions and their configuration space (hv/core/pci.c: who owns a function, the life
 * cycle of a non-root cell's functions; hv/core/pci_cfg.c: the filter a non-root cell's own
 * functions are seen through). The arch only moves bytes (arch_pci_read/arch_pci_write in
 * arch.h: x86 mechanism #1, arm64 ECAM) and traps its guests' accesses (pci_cfg_access()).
 */
#ifndef HV_PCI_H
#define HV_PCI_H

#include <hv.h>

#define PCI_CFG_SIZE		0x1000	/* a function's configuration space (ECAM, MMCONFIG) */
#define PCI_CFG_LEGACY		0x100	/* beyond: the PCIe extended capabilities */
/* ECAM / MMCONFIG layout: bus << 20 | device << 15 | function << 12 | register */
#define PCI_ECAM_FN_SHIFT	12
#define PCI_ECAM_BUS_SIZE	(1ULL << 20)
#define PCI_ECAM_MAX_SIZE	(256 * PCI_ECAM_BUS_SIZE)	/* one domain: buses 0-255 */

#define PCI_VENDOR_ID		0x00
#define PCI_COMMAND		0x04
#define  PCI_CMD_IO		(1u << 0)
#define  PCI_CMD_MEM		(1u << 1)
#define  PCI_CMD_BME		(1u << 2)
#define  PCI_CMD_PARITY		(1u << 6)
#define  PCI_CMD_SERR		(1u << 8)
#define  PCI_CMD_INTX_DISABLE	(1u << 10)
#define PCI_STATUS		0x06
#define  PCI_STATUS_CAP_LIST	(1u << 4)
#define PCI_CACHE_LINE		0x0c
#define PCI_HEADER_TYPE		0x0e
#define  PCI_HEADER_LAYOUT	0x7f	/* 0: endpoint, 1: bridge, 2: CardBus bridge */
#define PCI_BAR0		0x10
#define  PCI_BAR_IO		(1u << 0)
#define  PCI_BAR_MEM64		(2u << 1)
#define  PCI_BAR_MEM_TYPE	(3u << 1)
#define  PCI_BAR_IO_FLAGS	0x3u
#define  PCI_BAR_MEM_FLAGS	0xfu
#define PCI_ROM			0x30
#define PCI_CAP_PTR		0x34
#define PCI_INT_LINE		0x3c
#define PCI_CAP_MSI		0x05
#define PCI_CAP_PCIE		0x10
#define PCI_CAP_MSIX		0x11
#define  PCI_EXP_DEVCAP		4
#define  PCI_EXP_DEVCAP_FLR	(1u << 28)
#define  PCI_EXP_DEVCTL		8
#define  PCI_EXP_DEVCTL_FLR	(1u << 15)

#define PCI_BDF_FMT		"%02x:%02x.%x"
#define PCI_BDF_ARGS(bdf)	(bdf) >> 8, ((bdf) >> 3) & 0x1f, (bdf) & 7

/* What the hypervisor keeps of a function a non-root cell owns (one per config entry). */
struct pci_func {
	u16 bdf;
	u8 sizing;				/* BARs written all ones: the next read sizes */
	u8 upper;				/* BARs that are a 64-bit BAR's upper half */
	u16 decode;				/* PCI_CMD_IO/MEM: the cell has such a BAR */
	u32 bar[HVCFG_PCI_NUM_BARS];		/* the cell's values (config; 0: hidden) */
	u32 mask[HVCFG_PCI_NUM_BARS];		/* address bits the hardware decodes (probed) */
	u32 root_bar[HVCFG_PCI_NUM_BARS];	/* the hardware's values when the cell took it */
};

static inline u32 pci_ones(unsigned int size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/*
 * A guest's configuration access of size 1, 2 or 4 at reg (< PCI_CFG_SIZE, aligned to size)
 * of function bdf (domain 0). Reads return the value; a function the cell does not own reads
 * all ones, writes to it are dropped (with a warning, named by how; reads of functions nobody
 * owns, or with quiet_reads of any foreign function, are a bus scan: no warning).
 */
u32 pci_cfg_access(struct per_cpu *cpu, const char *how, bool quiet_reads, u16 bdf,
		   unsigned int reg, unsigned int size, bool write, u32 value);
/* A trapped access to an ECAM-layout window (acc->addr from its base): pci_cfg_access(). */
enum mmio_result pci_ecam_mmio(const char *how, bool quiet_reads, struct mmio_access *acc);
/* pci_cfg.c: the filter for a function of a non-root cell (f), under pci.c's lock */
u32 pci_cfg_read(const struct pci_func *f, unsigned int reg, unsigned int size);
void pci_cfg_write(struct pci_func *f, bool dma_trusted, unsigned int reg, unsigned int size,
		   u32 value);
/* the capability containing reg (its offset), and the next visible one after a pointer */
unsigned int pci_cap_at(u16 bdf, unsigned int reg, u8 *id);
unsigned int pci_cap_find(u16 bdf, u8 id);
u8 pci_cap_visible(u16 bdf, u8 ptr);

/* pci.c: is [addr, addr + size) inside one region of the cell mapped guest = physical? */
bool pci_mem_in_cell(const struct hvcfg_cell_desc *desc, const void *blob, u64 addr, u64 size);
/* pci.c, for cell.c (under its cell_lock) */
long pci_check_live(const struct hvcfg_cell *cfg);
long pci_cell_take(struct cell *cell);
void pci_cell_give_back(struct cell *cell);
void pci_cell_free(struct cell *cell);

#endif
