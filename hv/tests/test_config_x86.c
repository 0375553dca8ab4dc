// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 part of the blob validator (hv/arch/x86/config_check_x86.c) with the generic one: a
 * valid q35-like system and cell pass, each x86 check refuses what it must, with its own answer.
 */
#include <stdlib.h>
#include <string.h>
#include "config_check.h"
#include "test.h"
#include "../core/config_check.c"
#include "../core/config_cross.c"
#include "../core/sha256.c"
#include "../arch/x86/config_check_x86.c"

#include "blobs_x86.h"

static struct cfg_limits lim = ARCH_CFG_LIMITS(8);

static enum cfg_result run(struct blob *b)
{
	struct cfg_status st;
	int err = cfg_check_system(b, sizeof(*b), &lim, &st);

	CHECK((err == 0) == (st.code == CFG_OK));
	CHECK(err == cfg_result_errno(st.code));
	return st.code;
}

/* The cell on its own (as the driver checks it), its system's CPU count known. */
static enum cfg_result run_alone(const struct cell_blob *c)
{
	struct cfg_status st;
	int err = cfg_check_cell(c, sizeof(*c), &lim, 4, &st);

	CHECK(err == cfg_result_errno(st.code));
	return st.code;
}

#include "cfg_runs.h"

/* What ARCH_CFG_LIMITS() says for x86: hypervisor memory, address spaces, consoles, ports. */
static void check_limits(struct blob *b)
{
	make_valid(b); b->sys.header.arch = HVCFG_ARCH_ARM64; seal(b);
	CHECK(run(b) == CFG_E_ARCH);
	make_valid(b); b->sys.hypervisor_mem_base = HV_BASE + 0x100000; seal(b);
	CHECK(run(b) == CFG_E_HV_MEM);			/* not 2 MiB aligned */
	make_valid(b); b->sys.hypervisor_mem_base = 0x3fe00000; seal(b);
	CHECK(run(b) == CFG_E_HV_MEM);			/* across a GiB boundary */
	make_valid(b); b->sys.hypervisor_mem_base = X86_HV_WINDOW_VA; seal(b);
	CHECK(run(b) == CFG_E_HV_VA);			/* the window onto other RAM */
	make_valid(b); b->sys.hypervisor_mem_base = X86_HV_WINDOW_VA - (1ULL << 30); seal(b);
	CHECK(run(b) == CFG_OK);			/* ... the GiB below it */
	make_valid(b); b->mem[0].phys_start = b->mem[0].guest_start = 1ULL << 48; seal(b);
	CHECK(run(b) == CFG_E_IPA);			/* beyond NPT's 48 bits */
	make_valid(b); b->mem[0].phys_start = b->mem[0].guest_start = (1ULL << 48) - 0x3b000000;
	seal(b);
	CHECK(run(b) == CFG_OK);			/* ... up to their very end */
	make_valid(b); b->sys.debug_console = (struct hvcfg_console){ 0xfe000000, 0x1000,
		HVCFG_CONSOLE_8250, 0 }; seal(b);
	CHECK(run(b) == CFG_OK);			/* an MMIO 16550 */
	b->sys.debug_console.type = HVCFG_CONSOLE_PL011; seal(b);
	CHECK(run(b) == CFG_E_CONSOLE);			/* not driven on x86 */
	make_valid(b); b->pio[1].length = 0xfc01; seal(b);
	CHECK(run(b) == CFG_E_PIO);			/* past port 0xffff */
	make_valid(b); b->sys.debug_console.base = 0xfff8; b->pio[1].length = 0xfbf8; seal(b);
	CHECK(run(b) == CFG_OK);			/* the last 8 ports */
	CHECK(lim.max_pci_devices == HVCFG_MAX_PCI_DEVICES && lim.pio_ports == 65536);
}

/* The APIC mode, the PM timer and the section's padding. */
static void check_platform_fields(struct blob *b)
{
	make_valid(b); x86(b)->apic_mode = HVCFG_X86_X2APIC; seal(b);
	CHECK(run(b) == CFG_E_UNSUPPORTED);		/* valid, but TCG has none: not driven */
	make_valid(b); x86(b)->apic_mode = 0; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_valid(b); x86(b)->apic_mode = 3; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_valid(b); x86(b)->padding0[2] = 1; seal(b);
	CHECK(run(b) == CFG_E_RESERVED);
	make_valid(b); x86(b)->pm_timer_port = 0xfffd; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);		/* its 4 ports past 0xffff */
	make_valid(b); x86(b)->pm_timer_port = 0xfffc; seal(b);
	CHECK(run(b) == CFG_OK);
	make_valid(b); x86(b)->pm_timer_port = 0; seal(b);
	CHECK(run(b) == CFG_OK);			/* none */
	make_valid(b); x86(b)->tsc_khz = 2000000; x86(b)->apic_khz = 1000000; seal(b);
	CHECK(run(b) == CFG_OK);
	CHECK(cfg_arch_platform_used() == sizeof(struct hvcfg_x86_platform));
	make_valid(b); b->sys.platform.arch[sizeof(struct hvcfg_x86_platform)] = 1; seal(b);
	CHECK(run(b) == CFG_E_RESERVED);		/* the first byte x86 does not use */
}

/* One IOAPIC: its page, where the hypervisor maps it, its pins, its padding. */
static void check_ioapic_fields(struct blob *b)
{
	unsigned int n;

	make_valid(b); x86(b)->num_ioapics = 0; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_valid(b);
	for (n = 1; n < HVCFG_X86_MAX_IOAPICS; n++)
		x86(b)->ioapics[n] = (struct hvcfg_x86_ioapic){ .address = IOAPIC_BASE + n * 0x1000,
								.id = n, .gsi_base = n * 24,
								.pins = 24 };
	x86(b)->num_ioapics = HVCFG_X86_MAX_IOAPICS; seal(b);
	CHECK(run(b) == CFG_OK);			/* as many as the format has */
	x86(b)->num_ioapics = HVCFG_X86_MAX_IOAPICS + 1; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);		/* ... one more */
	make_valid(b); x86(b)->ioapics[0].address += 0x800; b->irqchips[0].address += 0x800;
	seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);		/* not page aligned */
	make_valid(b); x86(b)->ioapics[0].address = X86_LAPIC_BASE;
	b->irqchips[0].address = X86_LAPIC_BASE; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);		/* the local APIC's page */
	make_valid(b); x86(b)->ioapics[0].address = X86_HV_WINDOW_VA;
	b->irqchips[0].address = X86_HV_WINDOW_VA; seal(b);
	CHECK(run(b) == CFG_E_HV_VA);
	make_valid(b); x86(b)->ioapics[0].address = HV_BASE + 0x3fff000;
	b->irqchips[0].address = HV_BASE + 0x3fff000; seal(b);
	CHECK(run(b) == CFG_E_HV_MEM);			/* the hypervisor's last page */
	make_valid(b); x86(b)->ioapics[0].pins = 0; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_valid(b); x86(b)->ioapics[0].pins = X86_IOAPIC_MAX_PINS + 1; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_valid(b); x86(b)->ioapics[0].pins = X86_IOAPIC_MAX_PINS; seal(b);
	CHECK(run(b) == CFG_OK);
	make_valid(b); x86(b)->ioapics[0].padding0[4] = 1; seal(b);
	CHECK(run(b) == CFG_E_RESERVED);
	make_valid(b); x86(b)->ioapics[1].pins = 1; seal(b);
	CHECK(run(b) == CFG_E_RESERVED);		/* an unused entry */
	make_valid(b); x86(b)->ioapics[HVCFG_X86_MAX_IOAPICS - 1].address = 0x1000; seal(b);
	CHECK(run(b) == CFG_E_RESERVED);		/* ... the last one */
}

/* A second IOAPIC: a page, an id and GSIs of its own. */
static void check_two_ioapics(struct blob *b)
{
	struct hvcfg_x86_ioapic *io = &x86(b)->ioapics[1];

	make_valid(b); x86(b)->num_ioapics = 2;
	*io = (struct hvcfg_x86_ioapic){ .address = IOAPIC_BASE + 0x1000, .id = 1, .gsi_base = 24,
					 .pins = 24 };
	seal(b);
	CHECK(run(b) == CFG_OK);
	io->address = IOAPIC_BASE; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);		/* the same page */
	io->address = IOAPIC_BASE + 0x1000; io->id = 0; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);		/* the same id */
	io->id = 1; io->gsi_base = 23; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);		/* GSI 23 twice */
	io->gsi_base = 0xfffffff0; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);		/* GSIs past 2^32 */
	io->gsi_base = 0xffffffe8; seal(b);
	CHECK(run(b) == CFG_OK);			/* ... up to the last */
	/* the root may own the second one's pins; the cell sees them by (address, id) */
	b->sys.root_cell.num_irqchips = 1; b->irqchips[0].address = io->address;
	b->irqchips[0].id = 1; seal(b);
	CHECK(run(b) == CFG_OK);
	b->irqchips[0].id = 0; seal(b);
	CHECK(run(b) == CFG_E_IRQ);			/* the other IOAPIC's id */
}

/* IOMMU units: count, type, range, where the hypervisor maps them, unused entries. */
static void check_iommus(struct blob *b)
{
	struct hvcfg_x86_iommu *u = &x86(b)->iommus[0];
	unsigned int n;

	make_valid(b);
	for (n = 1; n < HVCFG_X86_MAX_IOMMUS; n++) {
		x86(b)->iommus[n] = *u;
		x86(b)->iommus[n].base = IOMMU_BASE + n * 0x80000;
	}
	b->mem[2].size = 0x400000;	/* (the root maps none of them) */
	x86(b)->num_iommus = HVCFG_X86_MAX_IOMMUS; seal(b);
	CHECK(run(b) == CFG_OK);			/* as many as the format has */
	x86(b)->num_iommus = HVCFG_X86_MAX_IOMMUS + 1; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);		/* ... one more */
	make_valid(b); x86(b)->iommus[1].type = HVCFG_X86_IOMMU_AMD; seal(b);
	CHECK(run(b) == CFG_E_RESERVED);		/* an unused entry */
	make_valid(b); u->type = 0; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_valid(b); u->type = HVCFG_X86_IOMMU_INTEL; u->size = 0x1000; seal(b);
	CHECK(run(b) == CFG_OK);
	make_valid(b); u->base += 0x800; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_valid(b); u->size = 0; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_valid(b); u->base = X86_HV_WINDOW_VA - 0x40000; seal(b);
	CHECK(run(b) == CFG_E_HV_VA);			/* its second half in the window */
	make_valid(b); u->base = HV_BASE; seal(b);
	CHECK(run(b) == CFG_E_HV_MEM);
	make_valid(b); x86(b)->num_iommus = 0; memset(u, 0, sizeof(*u)); b->pci[1].iommu = 0xff;
	seal(b);
	CHECK(run(b) == CFG_OK);			/* no IOMMU at all */
}

/* CPU ids are xAPIC ids; the root can map neither an APIC nor the PCI configuration window. */
static void check_cpus_and_root(struct blob *b)
{
	make_valid(b); b->cpus[3].hw_id = X86_XAPIC_BROADCAST; seal(b);
	CHECK(run(b) == CFG_E_CPU);			/* the broadcast id */
	make_valid(b); b->cpus[3].hw_id = 0x100; seal(b);
	CHECK(run(b) == CFG_E_CPU);			/* an x2APIC id */
	make_valid(b); b->cpus[3].hw_id = 0xfe; seal(b);
	CHECK(run(b) == CFG_OK);
	make_valid(b); b->mem[2].size = 0xb00000; seal(b);
	CHECK(run(b) == CFG_OK);			/* BARs up to the IOMMU */
	make_valid(b); b->mem[2].size = 0xb01000; seal(b);
	CHECK(run(b) == CFG_E_REGION);			/* ... and its first page */
	make_valid(b); b->mem[2].phys_start = b->mem[2].guest_start = 0xfeb80000;
	b->mem[2].size = 0x81000; seal(b);
	CHECK(run(b) == CFG_E_REGION);			/* up to the IOAPIC's first page */
	make_valid(b); b->mem[2].phys_start = b->mem[2].guest_start = 0xfee00000; seal(b);
	CHECK(run(b) == CFG_E_REGION);			/* the local APIC */
	make_valid(b); b->mem[2].phys_start = b->mem[2].guest_start = 0xbf800000; seal(b);
	CHECK(run(b) == CFG_E_REGION);			/* the end of MMCONFIG */
	make_valid(b); b->mem[2].phys_start = b->mem[2].guest_start = 0xc0000000; seal(b);
	CHECK(run(b) == CFG_OK);			/* ... just above it */
}

/* The root's interrupt resources against the IOAPIC, and its PCI devices' IOMMU units. */
static void check_root_irqs_pci(struct blob *b)
{
	make_valid(b); irqchip_set(&b->irqchips[0], 24); seal(b);
	CHECK(run(b) == CFG_E_IRQ);			/* pin 24 of a 24-pin IOAPIC */
	make_valid(b); b->irqchips[0].address = IOAPIC_BASE + 0x1000; seal(b);
	CHECK(run(b) == CFG_E_IRQ);			/* no IOAPIC there */
	make_valid(b); b->irqchips[0].id = 1; seal(b);
	CHECK(run(b) == CFG_E_IRQ);			/* its id is 0 */
	make_valid(b); x86(b)->ioapics[0].pins = 240; b->irqchips[0].pin_base = 128;
	irqchip_set(&b->irqchips[0], 240); seal(b);
	CHECK(run(b) == CFG_E_IRQ);			/* beyond any IOAPIC */
	make_valid(b); b->pci[1].iommu = 1; seal(b);
	CHECK(run(b) == CFG_E_PCI);			/* one IOMMU unit only */
	make_valid(b); b->pci[1].iommu = HVCFG_PCI_NO_IOMMU; seal(b);
	CHECK(run(b) == CFG_OK);
}

/* The cell: on its own (what holds on any system), then against its system. */
static void check_cell(struct blob *b, struct cell_blob *c)
{
	make_valid(b); make_cell(c, b);
	CHECK(run_alone(c) == CFG_OK);
	CHECK(run_cell(b, c) == CFG_OK);		/* pin 3: the root's */
	c->cell.cell.flags = HVCFG_CELL_IRQ_DIRECT; seal_cell(c);
	CHECK(run_alone(c) == CFG_E_IRQ_DIRECT);	/* x86 has no direct mode (no need) */
	b->sys.root_cell.flags = HVCFG_CELL_IRQ_DIRECT; seal(b);
	CHECK(run(b) == CFG_E_IRQ_DIRECT);
	make_valid(b); make_cell(c, b);
	b->irqchips[0].pin_bitmap[0] &= ~(1ULL << 3); seal(b); make_cell(c, b);
	CHECK(run_alone(c) == CFG_OK);
	CHECK(run_cell(b, c) == CFG_E_ROOT_IRQ);	/* pin 3: not the root's */
	make_valid(b); make_cell(c, b); c->irqchips[0].pin_base = 224;
	memset(c->irqchips[0].pin_bitmap, 0, sizeof(c->irqchips[0].pin_bitmap));
	irqchip_set(&c->irqchips[0], 239); seal_cell(c);
	CHECK(run_alone(c) == CFG_OK);			/* some IOAPIC may have it */
	CHECK(run_cell(b, c) == CFG_E_ROOT_IRQ);	/* this system's has not */
	irqchip_set(&c->irqchips[0], 240); seal_cell(c);
	CHECK(run_alone(c) == CFG_E_IRQ);		/* no IOAPIC has it */
	CHECK(run_cell(b, c) == CFG_E_IRQ);
	make_cell(c, b); c->irqchips[0].id = 1; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_ROOT_IRQ);	/* (address, id) names the IOAPIC */
	make_cell(c, b); c->pio[0] = (struct hvcfg_pio_region){ 0x3f0, 8 }; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_OK);		/* ends where the root's gap begins */
	c->pio[0].length = 9; seal_cell(c);
	CHECK(run_alone(c) == CFG_OK);
	CHECK(run_cell(b, c) == CFG_E_ROOT_PIO);	/* 0x3f8: not the root's */
	b->pio[0].length = 0x200; b->pio[1] = (struct hvcfg_pio_region){ 0x200, 0xfe00 }; seal(b);
	make_cell(c, b); c->pio[0] = (struct hvcfg_pio_region){ 0x1f8, 0x10 }; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_OK);		/* two touching root regions cover it */
	make_valid(b); make_cell(c, b); c->pio[0] = (struct hvcfg_pio_region){ 0xfff8, 8 };
	seal_cell(c);
	CHECK(run_cell(b, c) == CFG_OK);		/* the last ports */
	make_cell(c, b); c->pci[0].bdf = 0x20; seal_cell(c);
	CHECK(run_alone(c) == CFG_OK);
	CHECK(run_cell(b, c) == CFG_E_ROOT_PCI);	/* 00:04.0: not the root's */
	make_cell(c, b); c->pci[0].domain = 1; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_ROOT_PCI);	/* same BDF, another segment */
	make_cell(c, b); c->pci[0].iommu = HVCFG_X86_MAX_IOMMUS - 1; seal_cell(c);
	CHECK(run_alone(c) == CFG_OK);			/* a unit some system may have */
	CHECK(run_cell(b, c) == CFG_E_PCI);		/* this one has one unit */
	c->pci[0].iommu = HVCFG_X86_MAX_IOMMUS; seal_cell(c);
	CHECK(run_alone(c) == CFG_E_PCI);		/* a unit no system has */
	c->pci[0].iommu = HVCFG_PCI_NO_IOMMU; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_OK);
	make_cell(c, b); c->mem[0].phys_start = 0xfee00000; c->mem[0].flags = HVCFG_MEM_READ |
		HVCFG_MEM_WRITE | HVCFG_MEM_IO; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_ROOT_MEM);	/* the local APIC: never the root's */
	make_cell(c, b); c->cell.cell.console.type = HVCFG_CONSOLE_PL011; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_CONSOLE);
	make_cell(c, b); c->cell.header.arch = HVCFG_ARCH_ARM64; seal_cell(c);
	CHECK(run_alone(c) == CFG_E_ARCH);
}

int main(void)
{
	struct blob b;
	struct cell_blob c;
	unsigned int n;

	make_valid(&b);
	CHECK(run(&b) == CFG_OK);
	check_limits(&b);
	check_platform_fields(&b);
	check_ioapic_fields(&b);
	check_two_ioapics(&b);
	check_iommus(&b);
	check_cpus_and_root(&b);
	check_root_irqs_pci(&b);
	check_cell(&b, &c);

	/* no inter-cell links on x86 yet: a link or a cell's end is refused as such */
	make_valid(&b); b.sys.num_ivshmem_links = 1; seal(&b);
	CHECK(run(&b) == CFG_E_LINK_ARCH);
	make_valid(&b); b.sys.root_cell.num_ivshmem_ends = 1; seal(&b);
	CHECK(run(&b) == CFG_E_LINK_ARCH);
	make_valid(&b); make_cell(&c, &b); c.cell.cell.num_ivshmem_ends = 1; seal_cell(&c);
	CHECK(run_alone(&c) == CFG_E_LINK_ARCH);

	/* no single flipped bit of the system blob may pass */
	for (n = 0; n < sizeof(b) * 8; n += 7) {
		make_valid(&b);
		((unsigned char *)&b)[n / 8] ^= 1 << (n % 8);
		CHECK(run(&b) != CFG_OK);
	}
	return test_report("test_config_x86");
}
