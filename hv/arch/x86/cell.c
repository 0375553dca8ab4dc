// SPDX-License-Identifier: GPL-2.0
/*
 * x86 part of the cells: the nested page tables, the I/O and MSR permission bitmaps (deny by
 * default), interrupt ownership by IOAPIC pin and the comm region's platform part.
 */
#include <asm/x86.h>

/* ports no cell but the root ever gets: the keyboard controller's and 0xcf9's reset */
#define KBD_CTRL_PORT		0x64
#define RESET_CTRL_PORT		0xcf9
/* PCI configuration mechanism 1 (address 0xcf8, data 0xcfc-0xcff) */
#define PCI_CONF1_PORT		0xcf8
#define PCI_CONF1_PORTS		8

static void port_allow(u8 *iopm, u32 base, u32 length, bool allow)
{
	u32 port;

	for (port = base; port < base + length && port < HVCFG_PIO_PORTS; port++)
		if (allow)
			iopm[port / 8] &= ~(1u << (port % 8));
		else
			iopm[port / 8] |= 1u << (port % 8);
}

static void build_iopm(struct cell *cell)
{
	const struct hvcfg_pio_region *pio = cfg_pio_regions(cell->blob, cell->desc);
	const struct hvcfg_x86_platform *p = cfg_x86_platform(hv.config);
	unsigned int n;

	memset(cell->arch.iopm, 0xff, IOPM_SIZE);
	for (n = 0; n < cell->desc->num_pio_regions; n++)
		port_allow(cell->arch.iopm, pio[n].base, pio[n].length, true);
	/* the PM timer is a read-only clock every cell may read */
	if (p->pm_timer_port)
		port_allow(cell->arch.iopm, p->pm_timer_port, X86_PM_TIMER_PORTS, true);
	/* configuration mechanism #1 is emulated for every cell (pci.c) */
	port_allow(cell->arch.iopm, PCI_CONF1_PORT, PCI_CONF1_PORTS, false);
	if (cell != &hv.root)
		port_allow(cell->arch.iopm, KBD_CTRL_PORT, 1, false);
	/* reset control, a byte port inside the range: the root's alone */
	port_allow(cell->arch.iopm, RESET_CTRL_PORT, 1, cell == &hv.root);
}

/* The root's ports: its configuration's, less those the cells (but except) hold now. */
static void root_ports(const struct cell *except)
{
	const struct hvcfg_pio_region *pio;
	unsigned int id, n;

	build_iopm(&hv.root);
	for (id = 1; id < CONFIG_MAX_CELLS; id++) {
		const struct cell *cell = hv.cells[id];

		if (!cell || cell == except)
			continue;
		pio = cfg_pio_regions(cell->blob, cell->desc);
		for (n = 0; n < cell->desc->num_pio_regions; n++)
			port_allow(hv.root.arch.iopm, pio[n].base, pio[n].length, false);
	}
}

/* 2 bits per MSR (read, write) in three ranges of 8192 MSRs. */
static void msr_intercept(u8 *msrpm, u32 msr, bool read, bool write)
{
	u32 bit;

	if (msr < 0x2000)
		bit = msr * 2;
	else if (msr - 0xc0000000 < 0x2000)
		bit = 0x800 * 8 + (msr - 0xc0000000) * 2;
	else if (msr - 0xc0010000 < 0x2000)
		bit = 0x1000 * 8 + (msr - 0xc0010000) * 2;
	else
		return;
	msrpm[bit / 8] = (msrpm[bit / 8] & ~(3u << (bit % 8))) | read << (bit % 8) |
			 write << (bit % 8 + 1);
}

/*
 * The guest's own context, which VMLOAD/VMSAVE switch with the vCPU. PAT is not among them:
 * QEMU keeps one PAT for host and guest, so every cell's PAT (the root's too, which disable
 * hands back to Linux) lives in the VMCB's G_PAT (exits.c).
 */
static const u32 cell_msrs[] = {
	0x174, 0x175, 0x176,			/* SYSENTER_CS/ESP/EIP */
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,	/* STAR, LSTAR, CSTAR, SFMASK */
	0xc0000100, 0xc0000101, 0xc0000102,	/* FS_BASE, GS_BASE, KERNEL_GS_BASE */
};

static void build_msrpm(struct cell *cell)
{
	u8 *msrpm = cell->arch.msrpm;
	unsigned int n;

	if (cell == &hv.root) {
		/* Linux's MSRs are its own, but for SVM's and the xAPIC's place */
		memset(msrpm, 0, MSRPM_SIZE);
		msr_intercept(msrpm, MSR_APIC_BASE, false, true);
	} else {
		memset(msrpm, 0xff, MSRPM_SIZE);
		for (n = 0; n < ARRAY_SIZE(cell_msrs); n++)
			msr_intercept(msrpm, cell_msrs[n], false, false);
		msr_intercept(msrpm, 0x10, false, true);	/* TSC: read only */
		msr_intercept(msrpm, 0xc0000103, false, true);	/* TSC_AUX: read only */
	}
	msr_intercept(msrpm, MSR_EFER, true, true);
	msr_intercept(msrpm, MSR_PAT, true, true);
	msr_intercept(msrpm, MSR_VM_CR, true, true);
	msr_intercept(msrpm, MSR_VM_HSAVE_PA, true, true);
	msr_intercept(msrpm, 0xc0010118, true, true);		/* SVM_LOCK_KEY */
}

int arch_cell_init(struct cell *cell)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(cell->blob, cell->desc);
	extern struct hv_console hv_console;
	unsigned int n;
	int err;

	cell->arch.npt = pt_alloc_root();
	cell->arch.iopm = page_alloc(&mem_pool, IOPM_SIZE / PAGE_SIZE);
	cell->arch.msrpm = page_alloc(&mem_pool, MSRPM_SIZE / PAGE_SIZE);
	if (!cell->arch.npt || !cell->arch.iopm || !cell->arch.msrpm)
		return -ENOMEM;
	build_iopm(cell);
	build_msrpm(cell);
	if (cell != &hv.root) {
		/* its ports leave the root now (the IOPM is read at each access: no flush) */
		const struct hvcfg_pio_region *pio = cfg_pio_regions(cell->blob, cell->desc);

		for (n = 0; n < cell->desc->num_pio_regions; n++)
			port_allow(hv.root.arch.iopm, pio[n].base, pio[n].length, false);
	}
	for (n = 0; n < cell->desc->num_mem_regions; n++) {
		/* the comm region is a hypervisor page */
		u64 phys = mem[n].flags & HVCFG_MEM_COMM_REGION ? hv_virt_to_phys(cell->comm) :
			   mem[n].phys_start;

		if ((mem[n].flags & HVCFG_MEM_COMM_REGION && !cell->comm) ||
		    !(mem[n].flags & HVCFG_MEM_READ))
			continue;
		err = pt_map(cell->arch.npt, mem[n].guest_start, phys, mem[n].size,
			     npt_attr(mem[n].flags), true);
		if (err)
			return err;
	}
	err = x86_apic_cell_init(cell);
	if (err || cell != &hv.root)
		return err;
	/* the root may read the console ring in place, nothing else of the hypervisor */
	if (hv.config->flags & HVCFG_SYS_VIRTUAL_DEBUG_CONSOLE) {
		u64 con = hv_virt_to_phys(&hv_console);

		err = pt_map(cell->arch.npt, con, con, ALIGN_UP(sizeof(hv_console), PAGE_SIZE),
			     npt_attr(HVCFG_MEM_READ), false);
		if (err)
			return err;
	}
	/* MMCONFIG is trapped, never mapped: the PCI filter checks each access */
	return x86_pci_root_init(cell);
}

int arch_map_region(struct cell *cell, u64 guest, u64 phys, u64 size, u64 flags)
{
	if (!(flags & HVCFG_MEM_READ))
		return pt_unmap(cell->arch.npt, guest, size);
	return pt_map(cell->arch.npt, guest, phys, size, npt_attr(flags), true);
}

int arch_unmap_region(struct cell *cell, u64 guest, u64 size)
{
	return pt_unmap(cell->arch.npt, guest, size);
}

/*
 * Nothing to revoke: the management event is an NMI, which a guest cannot block (it exits,
 * intercepted, whatever the guest's interrupt state), so a late CPU only needs more time.
 */
bool arch_cell_revoke(struct cell *cell)
{
	return false;
}

void arch_cell_unrevoke(struct cell *cell)
{
}

void arch_cell_free(struct cell *cell)
{
	root_ports(cell);
	pt_free(cell->arch.npt);
	cell->arch.npt = NULL;
	if (cell->arch.iopm)
		page_free(&mem_pool, cell->arch.iopm, IOPM_SIZE / PAGE_SIZE);
	if (cell->arch.msrpm)
		page_free(&mem_pool, cell->arch.msrpm, MSRPM_SIZE / PAGE_SIZE);
	cell->arch.iopm = NULL;
	cell->arch.msrpm = NULL;
}

/* Interrupt resources name an IOAPIC by its base: index n * 256 + pin. */
int arch_irq_index(const struct hvcfg_irqchip *chip, u32 pin)
{
	const struct hvcfg_x86_platform *p = cfg_x86_platform(hv.config);
	unsigned int n;

	for (n = 0; n < p->num_ioapics && n < HVCFG_X86_MAX_IOAPICS; n++)
		if (p->ioapics[n].address == chip->address && pin < ARCH_IRQS_PER_IOAPIC)
			return n * ARCH_IRQS_PER_IOAPIC + pin;
	return -1;
}

/* The pin's redirection entry is the owner's to program: ioapic.c filters the others' writes. */
/* Inter-cell links are not supported on x86 yet: the validator refuses every link and end. */
void arch_irq_raise(struct cell *cell, unsigned int irq)
{
}

void arch_set_irq_owner(unsigned int irq, struct cell *cell)
{
	const struct hvcfg_x86_platform *p = cfg_x86_platform(hv.config);
	unsigned int index = irq / ARCH_IRQS_PER_IOAPIC, pin = irq % ARCH_IRQS_PER_IOAPIC;

	if (index < p->num_ioapics && pin < p->ioapics[index].pins)
		x86_ioapic_mask_pin(index, pin);
}

void arch_fill_comm_region(struct cell *cell)
{
	struct hv_comm_x86 *x86 = hv_comm_x86(cell->comm);
	const struct hvcfg_x86_platform *p = cfg_x86_platform(hv.config);
	unsigned int n;

	x86->pm_timer_address = p->pm_timer_port;
	x86->num_cpus = 0;
	for_each_cpu(n, cell->cpu_set)
		x86->num_cpus++;
	x86->tsc_khz = x86_tsc_khz();
	x86->apic_khz = p->apic_khz;
}
