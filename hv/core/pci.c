// SPDX-License-Identifier: GPL-2.0
/*
 * Who owns a PCI function, and the life cycle of the functions a non-root cell takes. A
 * function of domain 0 belongs to the non-root cell whose configuration lists it, else to the
 * root if the root's lists it (or always, where the arch says so: ARCH_PCI_ROOT_LISTED_ONLY),
 * else to nobody. Every guest configuration access comes through
 * pci_cfg_access() (the arch traps x86's mechanism #1 and MMCONFIG, arm64's ECAM): the owner
 * reaches the hardware (a non-root cell through pci_cfg.c's filter), anybody else reads all
 * ones and its writes are dropped. Ownership is live: a cell's functions leave the root while
 * the cell exists and come back, reset as far as software can, when it is destroyed.
 * Configuration space is touched at boot and rarely after: one lock serialises every access.
 */
#include <pci.h>
#include <cell_internal.h>

static spinlock_t pci_lock;

static int func_index(const struct cell *cell, u16 bdf)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(cell->blob, cell->desc);
	unsigned int n;

	for (n = 0; n < cell->desc->num_pci_devices; n++)
		if (dev[n].domain == 0 && dev[n].bdf == bdf)
			return n;
	return -1;
}

/*
 * The cell a function belongs to now, and its index in that cell's list. Called under
 * pci_lock, without the cell lock: pci_cell_free() keeps a destroyed cell's blob until no
 * access can still be looking at it. A cell is listed in hv.cells only with its functions
 * taken (pci_cell_take() runs before).
 */
static struct cell *pci_owner(u16 bdf, int *index)
{
	struct cell *cell;
	unsigned int id;

	for (id = 1; id < CONFIG_MAX_CELLS; id++) {
		cell = READ_ONCE(hv.cells[id]);
		if (cell && (*index = func_index(cell, bdf)) >= 0)
			return cell;
	}
	*index = func_index(&hv.root, bdf);
	return *index >= 0 || !ARCH_PCI_ROOT_LISTED_ONLY ? &hv.root : NULL;
}

static void refused(struct per_cpu *cpu, const char *how, u16 bdf, unsigned int reg, bool write)
{
	guest_warn(cpu->cell, "CPU %u: PCI %s %s of " PCI_BDF_FMT " register 0x%x refused\n",
		   cpu->id, how, write ? "write" : "read", PCI_BDF_ARGS(bdf), reg);
}

u32 pci_cfg_access(struct per_cpu *cpu, const char *how, bool quiet_reads, u16 bdf,
		   unsigned int reg, unsigned int size, bool write, u32 value)
{
	struct cell *cell = cpu->cell, *owner;
	u32 v = value;
	int n;

	/* a link end is the cell's virtual function: no hardware behind it, its own lock */
	if (ivshmem_pci_cfg(cell, bdf, reg, size, write, &v))
		return v;
	v = pci_ones(size);
	spin_lock(&pci_lock);
	owner = pci_owner(bdf, &n);
	if (owner != cell) {
		/* a bus scan reads every slot: nobody's functions are no news */
		if (write || (owner && !quiet_reads))
			refused(cpu, how, bdf, reg, write);
	} else if (cell == &hv.root) {
		if (write)
			arch_pci_write(bdf, reg, size, value);
		else
			v = arch_pci_read(bdf, reg, size);
	} else if (write) {
		pci_cfg_write(&cell->pci[n], cell->desc->flags & HVCFG_CELL_DMA_TRUSTED, reg, size,
			      value);
	} else {
		v = pci_cfg_read(&cell->pci[n], reg, size);
	}
	spin_unlock(&pci_lock);
	return v;
}

enum mmio_result pci_ecam_mmio(const char *how, bool quiet_reads, struct mmio_access *acc)
{
	u32 v;

	if (acc->size > 4)
		return MMIO_ERROR;	/* configuration space has no 8-byte registers */
	v = pci_cfg_access(this_cpu(), how, quiet_reads, acc->addr >> PCI_ECAM_FN_SHIFT,
			   acc->addr & (PCI_CFG_SIZE - 1), acc->size, acc->write, acc->value);
	if (!acc->write)
		acc->value = v;
	return MMIO_HANDLED;
}

/* A function is one cell's alone (the root's aside, which loses it meanwhile), of domain 0. */
long pci_check_live(const struct hvcfg_cell *cfg)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(cfg, &cfg->cell);
	unsigned int n, id;
	int m;

	for (n = 0; n < cfg->cell.num_pci_devices; n++) {
		if (dev[n].type == HVCFG_PCI_BRIDGE)
			return refuse(HV_R_PCI_BRIDGE, "PCI %04x:" PCI_BDF_FMT ": a bridge\n",
				      dev[n].domain, PCI_BDF_ARGS(dev[n].bdf));
		if (dev[n].domain)
			return refuse(HV_R_PCI_ABSENT, "PCI %04x:" PCI_BDF_FMT
				      ": only domain 0 is handed out\n", dev[n].domain,
				      PCI_BDF_ARGS(dev[n].bdf));
		for (id = 1; id < CONFIG_MAX_CELLS; id++)
			if (hv.cells[id] && (m = func_index(hv.cells[id], dev[n].bdf)) >= 0)
				return refuse(HV_R_PCI_HELD, "PCI 0000:" PCI_BDF_FMT
					      ": held by cell %u\n", PCI_BDF_ARGS(dev[n].bdf), id);
	}
	return 0;
}

/* Is [addr, addr + size) inside one region of the cell mapped guest = physical? */
bool pci_mem_in_cell(const struct hvcfg_cell_desc *desc, const void *blob, u64 addr, u64 size)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(blob, desc);
	unsigned int n;

	for (n = 0; n < desc->num_mem_regions; n++)
		if (!(mem[n].flags & HVCFG_MEM_COMM_REGION) &&
		    mem[n].guest_start == mem[n].phys_start && addr >= mem[n].phys_start &&
		    size <= mem[n].size && addr - mem[n].phys_start <= mem[n].size - size)
			return true;
	return false;
}

/* The hardware's BARs: saved for the root, each one's decoded address bits probed. */
static void probe_bars(struct pci_func *f)
{
	unsigned int n, reg;
	u32 orig, sz;

	for (n = 0; n < HVCFG_PCI_NUM_BARS; n++) {
		reg = PCI_BAR0 + 4 * n;
		orig = arch_pci_read(f->bdf, reg, 4);
		f->root_bar[n] = orig;
		arch_pci_write(f->bdf, reg, 4, 0xffffffffu);
		sz = arch_pci_read(f->bdf, reg, 4);
		arch_pci_write(f->bdf, reg, 4, orig);
		if (f->upper & (1u << n))
			f->mask[n] = sz;
		else if (orig & PCI_BAR_IO)
			f->mask[n] = sz & ~PCI_BAR_IO_FLAGS;
		else
			f->mask[n] = sz & ~PCI_BAR_MEM_FLAGS;
		if (!(f->upper & (1u << n)) && !(orig & PCI_BAR_IO) &&
		    (orig & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM64 && n + 1 < HVCFG_PCI_NUM_BARS)
			f->upper |= 1u << (n + 1);
	}
}

/* The window BAR n (a lower half, assigned) decodes: in the cell, aligned, of the right type. */
static bool bar_fits(const struct cell *cell, const struct pci_func *f, unsigned int n)
{
	u32 hw = f->root_bar[n], want = f->bar[n], mask = f->mask[n];
	u64 addr, size;

	if (!mask || (hw & PCI_BAR_IO) != (want & PCI_BAR_IO))
		return false;
	if (hw & PCI_BAR_IO) {
		/* a 16-bit decoder reads 0 above: only its 64 KiB count */
		size = (u32)(~(mask | (mask >> 16 ? 0 : 0xffff0000u)) + 1);
		addr = want & ~PCI_BAR_IO_FLAGS;
		return !(addr & (size - 1)) &&
		       arch_pci_io_in_cell(cell->desc, cell->blob, addr, size);
	}
	if ((hw & PCI_BAR_MEM_TYPE) != (want & PCI_BAR_MEM_TYPE))
		return false;
	addr = want & ~PCI_BAR_MEM_FLAGS;
	size = (u32)(~mask + 1);
	if ((hw & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM64) {
		addr |= (u64)f->bar[n + 1] << 32;
		size = ~((u64)f->mask[n + 1] << 32 | mask) + 1;
	}
	return size && !(addr & (size - 1)) && pci_mem_in_cell(cell->desc, cell->blob, addr, size);
}

static long check_bars(const struct cell *cell, struct pci_func *f)
{
	unsigned int n;

	for (n = 0; n < HVCFG_PCI_NUM_BARS; n++) {
		if (f->upper & (1u << n)) {
			/* goes with its lower half: hidden with it */
			if (!f->bar[n - 1])
				f->bar[n] = f->mask[n] = 0;
			continue;
		}
		if (!f->bar[n]) {
			f->mask[n] = 0;		/* hidden: reads 0, sizes as unimplemented */
			continue;
		}
		f->decode |= f->bar[n] & PCI_BAR_IO ? PCI_CMD_IO : PCI_CMD_MEM;
		if (!bar_fits(cell, f, n))
			return refuse(HV_R_PCI_BAR, "PCI " PCI_BDF_FMT ": BAR%u 0x%x (hardware 0x%x,"
				      " mask 0x%x) is not a window of the cell's regions\n",
				      PCI_BDF_ARGS(f->bdf), n, f->bar[n], f->root_bar[n],
				      f->mask[n]);
	}
	return 0;
}

/* all: every BAR; else the cell's visible ones (a hidden BAR keeps the root's value) */
static void program_bars(const struct pci_func *f, const u32 *bar, bool all)
{
	unsigned int n;

	for (n = 0; n < HVCFG_PCI_NUM_BARS; n++)
		if (all || f->bar[n] || (f->upper & (1u << n) && f->bar[n - 1]))
			arch_pci_write(f->bdf, PCI_BAR0 + 4 * n, 4, bar[n]);
}

/*
 * One function leaves the root (whose Linux let go of it before the request): decoding off,
 * BARs probed and checked, then programmed to the configuration's values (hidden ones keep
 * the root's: with the cell's regions guest = physical nothing else of the cell decodes
 * there), Command 0: the cell enables what it needs.
 */
static long func_take(const struct cell *cell, const struct hvcfg_pci_device *dev,
		      struct pci_func *f)
{
	unsigned int n;
	u16 cmd;
	long err;

	f->bdf = dev->bdf;
	if (arch_pci_read(f->bdf, PCI_VENDOR_ID, 2) == 0xffff)
		return refuse(HV_R_PCI_ABSENT, "PCI " PCI_BDF_FMT ": no function answers\n",
			      PCI_BDF_ARGS(f->bdf));
	if (arch_pci_read(f->bdf, PCI_HEADER_TYPE, 1) & PCI_HEADER_LAYOUT)
		return refuse(HV_R_PCI_BRIDGE, "PCI " PCI_BDF_FMT ": not a type-0 function\n",
			      PCI_BDF_ARGS(f->bdf));
	cmd = arch_pci_read(f->bdf, PCI_COMMAND, 2);
	arch_pci_write(f->bdf, PCI_COMMAND, 2, cmd & ~(PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_BME));
	probe_bars(f);
	for (n = 0; n < HVCFG_PCI_NUM_BARS; n++)
		f->bar[n] = dev->bar[n];
	err = check_bars(cell, f);
	if (err) {
		arch_pci_write(f->bdf, PCI_COMMAND, 2, cmd);
		return err;
	}
	program_bars(f, f->bar, false);
	arch_pci_write(f->bdf, PCI_COMMAND, 2, 0);
	return 0;
}

/*
 * Reset as far as software can: nothing decodes, no DMA, a Function Level Reset when the
 * function has one (PCIe: 100 ms until it answers again), the BARs the root had.
 */
static void func_give_back(const struct pci_func *f)
{
	unsigned int cap = pci_cap_find(f->bdf, PCI_CAP_PCIE);

	arch_pci_write(f->bdf, PCI_COMMAND, 2, 0);
	if (cap && arch_pci_read(f->bdf, cap + PCI_EXP_DEVCAP, 4) & PCI_EXP_DEVCAP_FLR) {
		arch_pci_write(f->bdf, cap + PCI_EXP_DEVCTL, 2,
			       arch_pci_read(f->bdf, cap + PCI_EXP_DEVCTL, 2) | PCI_EXP_DEVCTL_FLR);
		arch_udelay(100000);
	}
	program_bars(f, f->root_bar, true);
}

long pci_cell_take(struct cell *cell)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(cell->blob, cell->desc);
	unsigned int num = cell->desc->num_pci_devices, n;
	long err = 0;

	if (!num)
		return 0;
	cell->pci_pages = ALIGN_UP(num * sizeof(struct pci_func), PAGE_SIZE) / PAGE_SIZE;
	cell->pci = page_alloc(&mem_pool, cell->pci_pages);
	if (!cell->pci)
		return refuse(HV_R_NO_MEMORY, "out of hypervisor memory for PCI functions\n");
	spin_lock(&pci_lock);
	for (n = 0; n < num && !err; n++)
		err = func_take(cell, &dev[n], &cell->pci[n]);
	/* function n - 1 was refused and is as it was; those taken before it are reset */
	if (err)
		while (--n > 0)
			func_give_back(&cell->pci[n - 1]);
	spin_unlock(&pci_lock);
	return err;
}

void pci_cell_give_back(struct cell *cell)
{
	unsigned int n;

	if (!cell->pci)
		return;
	spin_lock(&pci_lock);
	for (n = 0; n < cell->desc->num_pci_devices; n++)
		func_give_back(&cell->pci[n]);
	spin_unlock(&pci_lock);
}

/* The cell left hv.cells: wait for the accesses that may have seen it, then free its state. */
void pci_cell_free(struct cell *cell)
{
	spin_lock(&pci_lock);
	spin_unlock(&pci_lock);
	if (cell->pci)
		page_free(&mem_pool, cell->pci, cell->pci_pages);
	cell->pci = NULL;
}
