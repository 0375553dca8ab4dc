/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Valid x86 blobs for host tests: a QEMU-q35-like system of 4 CPUs (xAPIC ids 0-3, one IOAPIC
 * of 24 pins, an AMD IOMMU, COM1 as the hypervisor's console) and a one-CPU cell made for it.
 * Tests damage or move them and reseal. The x86 counterpart of blobs.h.
 */
#ifndef HV_TEST_BLOBS_X86_H
#define HV_TEST_BLOBS_X86_H

#include <stddef.h>
#include <string.h>
#include "config_check.h"
#include "sha256.h"
#include "blob_common.h"
#include "../arch/x86/include/asm/cfg_limits.h"
#include "../arch/x86/include/asm/cfg_x86.h"

#define IOAPIC_BASE	0xfec00000ULL
#define IOMMU_BASE	0xfeb00000ULL
#define MMCONFIG_BASE	0xb0000000ULL
#define HV_BASE		0x3c000000ULL

struct blob {
	struct hvcfg_system sys;
	struct hvcfg_cpu cpus[4];
	uint64_t cpu_set[1];
	struct hvcfg_memory_region mem[3];
	struct hvcfg_irqchip irqchips[1];
	struct hvcfg_pio_region pio[2];
	struct hvcfg_pci_device pci[2];
};

struct cell_blob {
	struct hvcfg_cell cell;
	uint64_t cpu_set[1];
	struct hvcfg_memory_region mem[2];
	struct hvcfg_irqchip irqchips[1];
	struct hvcfg_pio_region pio[1];
	struct hvcfg_pci_device pci[1];
};

/* The platform section of a test blob, writable. */
static inline struct hvcfg_x86_platform *x86(struct blob *b)
{
	return (struct hvcfg_x86_platform *)b->sys.platform.arch;
}

static void seal(struct blob *b)
{
	seal_crc(b, b->sys.header.total_size);
}

static void seal_cell(struct cell_blob *c)
{
	seal_crc(c, sizeof(*c));
}

static void make_platform(struct blob *b)
{
	struct hvcfg_x86_platform *p = x86(b);

	b->sys.platform.pci_mmconfig_base = MMCONFIG_BASE;
	b->sys.platform.pci_mmconfig_size = 0x10000000;
	p->apic_mode = HVCFG_X86_XAPIC;
	p->pm_timer_port = 0x608;	/* ICH9: PM base 0x600 + 8 */
	p->num_ioapics = 1;
	p->ioapics[0] = (struct hvcfg_x86_ioapic){ .address = IOAPIC_BASE, .id = 0, .gsi_base = 0,
						   .source_id = 0xf8, .pins = 24 };
	p->num_iommus = 1;
	p->iommus[0] = (struct hvcfg_x86_iommu){ .base = IOMMU_BASE, .size = 0x80000, .bdf = 0x10,
						 .type = HVCFG_X86_IOMMU_AMD, .cap_offset = 0x40 };
}

/* The root: all CPUs, RAM below the hypervisor, a PCI BAR window, all 24 pins, ports, 2 devices. */
static void make_root(struct blob *b)
{
	struct hvcfg_cell_desc *r = &b->sys.root_cell;
	unsigned int n;

	strcpy(r->name, "root-linux");
	r->num_cpu_words = 1;
	r->cpu_set_offset = offsetof(struct blob, cpu_set);
	r->num_mem_regions = 3;
	r->mem_regions_offset = offsetof(struct blob, mem);
	r->num_irqchips = 1;
	r->irqchips_offset = offsetof(struct blob, irqchips);
	r->num_pio_regions = 2;
	r->pio_regions_offset = offsetof(struct blob, pio);
	r->num_pci_devices = 2;
	r->pci_devices_offset = offsetof(struct blob, pci);
	r->console = (struct hvcfg_console){ 0x3f8, 8, HVCFG_CONSOLE_8250_PIO, 0 };
	b->cpu_set[0] = 0xf;
	b->mem[0] = (struct hvcfg_memory_region){ 0, 0, 0x3b000000, HVCFG_MEM_READ |
						  HVCFG_MEM_WRITE | HVCFG_MEM_EXECUTE };
	b->mem[1] = (struct hvcfg_memory_region){ 0x3b000000, 0x3b000000, 0x1000000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE };
	b->mem[2] = (struct hvcfg_memory_region){ 0xfe000000, 0xfe000000, 0x800000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_IO };
	b->irqchips[0] = (struct hvcfg_irqchip){ .address = IOAPIC_BASE, .id = 0, .pin_base = 0 };
	for (n = 0; n < 24; n++)
		irqchip_set(&b->irqchips[0], n);
	/* every port but COM1, the hypervisor's console */
	b->pio[0] = (struct hvcfg_pio_region){ 0, 0x3f8 };
	b->pio[1] = (struct hvcfg_pio_region){ 0x400, 0xfc00 };
	b->pci[0] = (struct hvcfg_pci_device){ .bdf = 0xf8, .type = HVCFG_PCI_DEVICE,
					       .iommu = HVCFG_PCI_NO_IOMMU };
	b->pci[1] = (struct hvcfg_pci_device){ .bdf = 0x18, .type = HVCFG_PCI_DEVICE, .iommu = 0 };
}

static void make_valid(struct blob *b)
{
	struct hvcfg_system *s = &b->sys;
	unsigned int n;

	memset(b, 0, sizeof(*b));
	s->header = (struct hvcfg_header){ HVCFG_SIGNATURE_SYSTEM, HVCFG_REVISION,
					   HVCFG_ARCH_X86_64, sizeof(*b), 0 };
	s->num_cpus = 4;
	s->cpu_table_offset = offsetof(struct blob, cpus);
	s->hypervisor_mem_base = HV_BASE;
	s->hypervisor_mem_size = 0x4000000;
	s->debug_console = (struct hvcfg_console){ 0x3f8, 8, HVCFG_CONSOLE_8250_PIO, 0 };
	for (n = 0; n < 4; n++)
		b->cpus[n].hw_id = n;
	make_platform(b);
	make_root(b);
	seal(b);
}

/* A cell with CPU 1, 1 MiB of root RAM at guest 0, a comm page, COM2 and its pin 3, 00:03.0. */
static void make_cell(struct cell_blob *c, const struct blob *sys)
{
	struct hvcfg_cell_desc *d = &c->cell.cell;

	memset(c, 0, sizeof(*c));
	c->cell.header = (struct hvcfg_header){ HVCFG_SIGNATURE_CELL, HVCFG_REVISION,
						HVCFG_ARCH_X86_64, sizeof(*c), 0 };
	sha256(sys, sys->sys.header.total_size, c->cell.system_digest);
	strcpy(d->name, "x86-demo");
	d->num_cpu_words = 1;
	d->cpu_set_offset = offsetof(struct cell_blob, cpu_set);
	d->num_mem_regions = 2;
	d->mem_regions_offset = offsetof(struct cell_blob, mem);
	d->num_irqchips = 1;
	d->irqchips_offset = offsetof(struct cell_blob, irqchips);
	d->num_pio_regions = 1;
	d->pio_regions_offset = offsetof(struct cell_blob, pio);
	d->num_pci_devices = 1;
	d->pci_devices_offset = offsetof(struct cell_blob, pci);
	d->console = (struct hvcfg_console){ 0x2f8, 8, HVCFG_CONSOLE_8250_PIO, 0 };
	c->cpu_set[0] = 0x2;
	c->mem[0] = (struct hvcfg_memory_region){ 0x3b000000, 0, 0x100000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE |
						  HVCFG_MEM_EXECUTE | HVCFG_MEM_LOADABLE };
	c->mem[1] = (struct hvcfg_memory_region){ 0, 0x100000, 0x1000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE |
						  HVCFG_MEM_COMM_REGION };
	c->irqchips[0] = (struct hvcfg_irqchip){ .address = IOAPIC_BASE, .id = 0, .pin_base = 0 };
	irqchip_set(&c->irqchips[0], 3);
	c->pio[0] = (struct hvcfg_pio_region){ 0x2f8, 8 };
	c->pci[0] = (struct hvcfg_pci_device){ .bdf = 0x18, .type = HVCFG_PCI_DEVICE, .iommu = 0 };
	seal_cell(c);
}

#endif
