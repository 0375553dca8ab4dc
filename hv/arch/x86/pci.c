// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI configuration-space filter. Configuration mechanism #1 (address latch 0xcf8, data
 * 0xcfc-0xcff) is emulated for every cell, the root included, and the root's MMCONFIG window
 * is trapped (never in its NPT): an access reaches the hardware only for a function of the
 * accessing cell's configuration (domain 0) that no other cell holds now; any other reads all
 * ones and its writes are dropped. Ownership is live: a cell's functions leave the root while
 * the cell exists and come back when it is destroyed, with nothing to rebuild.
 * Configuration space is touched at boot and rarely after: one lock serialises every access.
 */
#include <asm/x86.h>

#define PCI_CONF1_ADDR		0xcf8
#define PCI_CONF1_DATA		0xcfc
#define PCI_CONF1_ENABLE	(1u << 31)
#define MMCFG_BUS_SHIFT		20
#define MMCFG_FN_SHIFT		12

static spinlock_t pci_lock;
static u64 mmcfg_base;		/* the hardware window, mapped for the hypervisor */

static bool cell_lists(const struct cell *cell, u16 bdf)
{
	const struct hvcfg_pci_device *dev = cfg_pci_devices(cell->blob, cell->desc);
	unsigned int n;

	for (n = 0; n < cell->desc->num_pci_devices; n++)
		if (dev[n].domain == 0 && dev[n].bdf == bdf)
			return true;
	return false;
}

/*
 * The cell a function belongs to now: a cell listing it, else the root if it lists it. Called
 * under pci_lock, without the cell lock: x86_pci_cell_gone() keeps a destroyed cell's blob
 * until no check can still be reading it.
 */
static const struct cell *pci_owner(u16 bdf)
{
	const struct cell *cell;
	unsigned int id;

	for (id = 1; id < CONFIG_MAX_CELLS; id++) {
		cell = READ_ONCE(hv.cells[id]);
		if (cell && cell_lists(cell, bdf))
			return cell;
	}
	return cell_lists(&hv.root, bdf) ? &hv.root : NULL;
}

/* A cell left hv.cells: wait for the checks that may have seen it (before its blob is freed). */
void x86_pci_cell_gone(void)
{
	spin_lock(&pci_lock);
	spin_unlock(&pci_lock);
}

static u32 ones(unsigned int size)
{
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void refused(struct per_cpu *cpu, const char *how, u16 bdf, unsigned int reg, bool write)
{
	guest_warn(cpu->cell, "CPU %u: PCI %s %s of %02x:%02x.%x register 0x%x refused\n",
		   cpu->id, how, write ? "write" : "read", bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7,
		   reg);
}

/* --- configuration mechanism #1 ------------------------------------------------------------- */

static u32 conf1_hw(u32 addr, unsigned int port, unsigned int size, bool write, u32 value)
{
	u32 v = 0;

	asm volatile("outl %0, %w1" : : "a"(addr), "Nd"(PCI_CONF1_ADDR));
	if (write) {
		if (size == 1)
			asm volatile("outb %b0, %w1" : : "a"(value), "d"(port));
		else if (size == 2)
			asm volatile("outw %w0, %w1" : : "a"(value), "d"(port));
		else
			asm volatile("outl %0, %w1" : : "a"(value), "d"(port));
		return 0;
	}
	if (size == 1)
		asm volatile("inb %w1, %b0" : "=a"(v) : "d"(port));
	else if (size == 2)
		asm volatile("inw %w1, %w0" : "=a"(v) : "d"(port));
	else
		asm volatile("inl %w1, %0" : "=a"(v) : "d"(port));
	return v & ones(size);
}

/*
 * A data access at CFC-CFF of size bytes through this vCPU's latch. Only the enabled latch
 * with register bits 7:2 is passed on (AMD's extended-register bits are never set).
 */
static u32 conf1_data(struct per_cpu *cpu, unsigned int port, unsigned int size, bool write,
		      u32 value)
{
	u32 latch = cpu->arch.pci_addr, v = ones(size);
	u16 bdf = (latch >> 8) & 0xffff;
	unsigned int reg = (latch & 0xfc) | (port & 3);

	if (!(latch & PCI_CONF1_ENABLE))
		return v;		/* no configuration cycle: nothing answers */
	spin_lock(&pci_lock);
	if (pci_owner(bdf) == cpu->cell)
		v = conf1_hw(PCI_CONF1_ENABLE | (u32)bdf << 8 | (reg & 0xfc), port, size, write,
			     value);
	else
		refused(cpu, "config", bdf, reg, write);
	spin_unlock(&pci_lock);
	return v;
}

/*
 * An intercepted port access of 1, 2 or 4 bytes (no string, no REP) in 0xcf8-0xcff; false if
 * it is not an access of the mechanism (the caller treats it as any refused port).
 */
bool x86_pci_pio(struct per_cpu *cpu, unsigned int port, unsigned int size, bool in,
		 uint64_t *rax)
{
	u32 v;

	if (port == PCI_CONF1_ADDR && size == 4) {
		if (in)
			*rax = cpu->arch.pci_addr;	/* a 32-bit IN zero-extends */
		else
			cpu->arch.pci_addr = *rax;
		return true;
	}
	if (port < PCI_CONF1_DATA || port > PCI_CONF1_DATA + 3 || (port & 3) + size > 4)
		return false;
	v = conf1_data(cpu, port, size, !in, *rax);
	if (in)
		*rax = size == 4 ? v : (*rax & ~(u64)ones(size)) | v;
	return true;
}

/* --- the root's MMCONFIG window -------------------------------------------------------------- */

static enum mmio_result mmcfg_mmio(void *arg, struct mmio_access *acc)
{
	struct per_cpu *cpu = this_cpu();
	u16 bdf = acc->addr >> MMCFG_FN_SHIFT;
	unsigned int reg = acc->addr & 0xfff;
	volatile void *hw = (volatile void *)(uintptr_t)(mmcfg_base + acc->addr);

	if (acc->size > 4)
		return MMIO_ERROR;	/* configuration space has no 8-byte registers */
	spin_lock(&pci_lock);
	if (pci_owner(bdf) != cpu->cell) {
		refused(cpu, "MMCONFIG", bdf, reg, acc->write);
		if (!acc->write)
			acc->value = ones(acc->size);
	} else if (acc->write) {
		if (acc->size == 1)
			*(volatile u8 *)hw = acc->value;
		else if (acc->size == 2)
			*(volatile u16 *)hw = acc->value;
		else
			*(volatile u32 *)hw = acc->value;
	} else {
		acc->value = acc->size == 1 ? *(volatile u8 *)hw :
			     acc->size == 2 ? *(volatile u16 *)hw : *(volatile u32 *)hw;
	}
	spin_unlock(&pci_lock);
	return MMIO_HANDLED;
}

/*
 * The root's window is trapped: the hypervisor maps it for itself (uncached, never
 * executable) and emulates it; no other cell has one.
 */
int x86_pci_root_init(struct cell *root)
{
	u64 base = hv.config->platform.pci_mmconfig_base;
	u64 size = hv.config->platform.pci_mmconfig_size;
	int err;

	if (!size)
		return 0;
	if (size > (256ULL << MMCFG_BUS_SHIFT))
		size = 256ULL << MMCFG_BUS_SHIFT;	/* domain 0: buses 0-255 */
	err = pt_map(hv_pt, base, base, size, PTE_RW | PTE_PCD | PTE_PWT | PTE_NX, true);
	if (err)
		return err;
	mmcfg_base = base;
	return mmio_register(root, base, size, mmcfg_mmio, NULL);
}
