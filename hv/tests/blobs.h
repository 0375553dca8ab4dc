/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Valid blobs for host tests: a QEMU-virt-like system of 4 CPUs and a one-CPU cell made for
 * it. Tests damage or move them and reseal.
 */
#ifndef HV_TEST_BLOBS_H
#define HV_TEST_BLOBS_H

#include <stddef.h>
#include <string.h>
#include "config_check.h"
#include "sha256.h"
#include "blob_common.h"
#include "../arch/arm64/include/asm/cfg_limits.h"
#include "../arch/arm-common/include/asm/cfg_arm.h"

#define NUM_REGIONS 3
#define GICD_BASE 0x8000000ULL

struct blob {
	struct hvcfg_system sys;
	struct hvcfg_cpu cpus[4];
	uint64_t cpu_set[1];
	struct hvcfg_memory_region mem[NUM_REGIONS];
	struct hvcfg_irqchip irqchips[2];
	struct hvcfg_pio_region pio[1];		/* none by default: arm64 grants none */
	struct hvcfg_pci_device pci[2];		/* likewise */
	struct hvcfg_ivshmem_link links[2];	/* none by default (make_linked()) */
	struct hvcfg_ivshmem_end ends[2];	/* the root's, likewise */
};

struct cell_blob {
	struct hvcfg_cell cell;
	uint64_t cpu_set[1];
	struct hvcfg_memory_region mem[2];
	struct hvcfg_irqchip irqchips[1];
	struct hvcfg_ivshmem_end ends[2];	/* none by default */
};

/* The platform section of a test blob, writable. */
static inline struct hvcfg_arm_platform *arm(struct blob *b)
{
	return (struct hvcfg_arm_platform *)b->sys.platform.arch;
}


static void seal(struct blob *b)
{
	seal_crc(b, b->sys.header.total_size);
}

static void make_valid(struct blob *b)
{
	struct hvcfg_system *s = &b->sys;
	unsigned int n;

	memset(b, 0, sizeof(*b));
	s->header.signature = HVCFG_SIGNATURE_SYSTEM;
	s->header.revision = HVCFG_REVISION;
	s->header.arch = HVCFG_ARCH_ARM64;
	s->header.total_size = sizeof(*b);
	s->num_cpus = 4;
	s->cpu_table_offset = offsetof(struct blob, cpus);
	s->hypervisor_mem_base = 0x7f800000;
	s->hypervisor_mem_size = 0x800000;
	s->debug_console = (struct hvcfg_console){ 0x9000000, 0x1000, HVCFG_CONSOLE_PL011, 0 };
	arm(b)->gicd_base = GICD_BASE;
	arm(b)->gicd_size = 0x10000;
	arm(b)->gicr_base = 0x80a0000;
	arm(b)->gicr_size = 0xf60000;
	arm(b)->gicr_stride = 0x20000;
	arm(b)->gic_lines = 288;
	arm(b)->maintenance_irq = 25;
	arm(b)->gic_version = HVCFG_GIC_V3;
	strcpy(s->root_cell.name, "root-linux");
	s->root_cell.num_cpu_words = 1;
	s->root_cell.cpu_set_offset = offsetof(struct blob, cpu_set);
	s->root_cell.num_mem_regions = NUM_REGIONS;
	s->root_cell.mem_regions_offset = offsetof(struct blob, mem);
	s->root_cell.num_irqchips = 2;
	s->root_cell.irqchips_offset = offsetof(struct blob, irqchips);
	s->root_cell.pio_regions_offset = offsetof(struct blob, pio);
	s->root_cell.pci_devices_offset = offsetof(struct blob, pci);
	s->root_cell.ivshmem_ends_offset = offsetof(struct blob, ends);
	s->ivshmem_links_offset = offsetof(struct blob, links);
	for (n = 0; n < 4; n++)
		b->cpus[n].hw_id = n;
	/* every SPI of the GIC (32-287): two entries, pins 32-159 and 160-287 */
	for (n = 0; n < 2; n++) {
		b->irqchips[n].address = GICD_BASE;
		b->irqchips[n].pin_base = HVCFG_GIC_FIRST_SPI + n * HVCFG_IRQCHIP_PINS;
	}
	for (n = HVCFG_GIC_FIRST_SPI; n < 288; n++)
		irqchip_set(&b->irqchips[(n - HVCFG_GIC_FIRST_SPI) / HVCFG_IRQCHIP_PINS], n);
	b->cpu_set[0] = 0xf;
	b->mem[0] = (struct hvcfg_memory_region){ 0x9000000, 0x9000000, 0x1000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_IO };
	b->mem[1] = (struct hvcfg_memory_region){ 0x40000000, 0x40000000, 0x38000000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE };
	b->mem[2] = (struct hvcfg_memory_region){ 0x78000000, 0x78000000, 0x7800000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE };
	seal(b);
}

/* A cell with CPU 1, 1 MiB of the root's RAM at guest 0, a comm page and SPI 34, made for sys. */
static void make_cell(struct cell_blob *c, const struct blob *sys)
{
	struct hvcfg_cell_desc *d = &c->cell.cell;

	memset(c, 0, sizeof(*c));
	c->cell.header = (struct hvcfg_header){ HVCFG_SIGNATURE_CELL, HVCFG_REVISION, HVCFG_ARCH_ARM64,
						sizeof(*c), 0 };
	sha256(sys, sys->sys.header.total_size, c->cell.system_digest);
	strcpy(d->name, "gic-demo");
	d->num_cpu_words = 1;
	d->cpu_set_offset = offsetof(struct cell_blob, cpu_set);
	d->num_mem_regions = 2;
	d->mem_regions_offset = offsetof(struct cell_blob, mem);
	d->num_irqchips = 1;
	d->irqchips_offset = offsetof(struct cell_blob, irqchips);
	d->ivshmem_ends_offset = offsetof(struct cell_blob, ends);
	c->irqchips[0] = (struct hvcfg_irqchip){ .address = GICD_BASE, .pin_base = 32 };
	irqchip_set(&c->irqchips[0], 34);
	c->cpu_set[0] = 0x2;
	c->mem[0] = (struct hvcfg_memory_region){ 0x78000000, 0, 0x100000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_LOADABLE };
	c->mem[1] = (struct hvcfg_memory_region){ 0, 0x80000000, 0x1000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_COMM_REGION };
	seal_crc(c, sizeof(*c));
}

static void seal_cell(struct cell_blob *c)
{
	seal_crc(c, sizeof(*c));
}

#endif
