/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Jailhouse revision-14 configuration blobs (arm64) for the `configgen import` tests, written
 * from the format description in ../shared/research/jailhouse.md §2 (packed structs, arrays
 * after the descriptor in a fixed order).  `jh-configs DIR` writes DIR/system.cell,
 * DIR/gic-demo.cell and DIR/odd.cell, then prints the struct sizes for the layout test.
 */
#include <stdio.h>
#include <string.h>

#include "jh-format.h"

struct jh_platform_info {
	uint64_t pci_mmconfig_base;
	uint8_t pci_mmconfig_end_bus, pci_is_virtual;
	uint16_t pci_domain;
	struct jh_iommu iommu_units[8];
	struct {
		uint8_t maintenance_irq, gic_version, pad[2];
		uint64_t gicd_base, gicc_base, gich_base, gicv_base, gicr_base;
	} PACKED arm;
} PACKED;

struct jh_system {
	char signature[5];
	uint8_t architecture;
	uint16_t revision;
	uint32_t flags;
	struct jh_memory hypervisor_memory;
	struct jh_console debug_console;
	struct jh_platform_info platform_info;
	struct jh_cell_desc root_cell;
} PACKED;

#define ARM64 2
#define REV 14
#define R 0x1
#define W 0x2
#define X 0x4
#define DMA 0x8
#define IO 0x10
#define COMM 0x20
#define LOADABLE 0x40
#define ROOTSHARED 0x80
#define IO_32 0x40000
#define PL011 3
#define CON_MMIO 1
#define PASSIVE 0x1
#define VCON_PERMITTED (1u << 30)

/* QEMU virt: RAM 0x40000000-0x7fffffff, hypervisor in the top 8 MiB, as dts/qemu-arm64/system.dts */
static struct {
	struct jh_system header;
	uint64_t cpus[1];
	struct jh_memory mem[8];
	struct jh_irqchip irqchips[2];
} PACKED sys = {
	.header = {
		.signature = "JHSYS", .architecture = ARM64, .revision = REV, .flags = 1,
		.hypervisor_memory = { .phys_start = 0x7f800000, .size = 0x800000 },
		.debug_console = { .address = 0x09000000, .size = 0x1000, .type = PL011, .flags = CON_MMIO },
		.platform_info = {
			.pci_mmconfig_base = 0x4010000000ULL, .pci_mmconfig_end_bus = 255,
			.arm = { .maintenance_irq = 25, .gic_version = 3, .gicd_base = 0x08000000,
				 .gicr_base = 0x080a0000 },
		},
		.root_cell = {
			.signature = "JHCLL", .architecture = ARM64, .revision = REV, .name = "qemu-arm64",
			.cpu_set_size = sizeof(sys.cpus), .num_memory_regions = N(sys.mem),
			.num_irqchips = N(sys.irqchips),
			.console = { .address = 0x09000000, .size = 0x1000, .type = PL011, .flags = CON_MMIO },
		},
	},
	.cpus = { 0xf },
	.mem = {
		{ 0x40000000, 0x40000000, 0x38000000, R | W | X },		/* Linux RAM */
		{ 0x78000000, 0x78000000, 0x07800000, R | W | X },		/* pool for cells */
		{ 0x09000000, 0x09000000, 0x1000, R | W | IO },			/* uart */
		{ 0x09010000, 0x09010000, 0x1000, R | W | IO },			/* rtc */
		{ 0x09020000, 0x09020000, 0x1000, R | W | IO },			/* fw-cfg */
		{ 0x09030000, 0x09030000, 0x1000, R | W | IO },			/* gpio */
		{ 0x0a000000, 0x0a000000, 0x4000, R | W | IO },			/* virtio-mmio */
		{ 0x00000000, 0x00000000, 0x08000000, R | W | IO },		/* flash */
	},
	.irqchips = {
		{ .address = 0x08000000, .pin_base = 32, .pin_bitmap = { ~0u, ~0u, ~0u, ~0u } },
		{ .address = 0x08000000, .pin_base = 160, .pin_bitmap = { ~0u, ~0u, ~0u, ~0u } },
	},
};

/* like dts/qemu-arm64/smp-demo.dtso but with Jailhouse's conventions */
static struct {
	struct jh_cell_desc cell;
	uint64_t cpus[1];
	struct jh_memory mem[5];
	struct jh_irqchip irqchips[1];
} PACKED cell = {
	.cell = {
		.signature = "JHCLL", .architecture = ARM64, .revision = REV, .name = "gic-demo",
		.flags = VCON_PERMITTED, .cpu_set_size = sizeof(cell.cpus),
		.num_memory_regions = N(cell.mem), .num_irqchips = N(cell.irqchips),
		.cpu_reset_address = 0, .msg_reply_timeout = 100000,
		.console = { .address = 0x09000000, .size = 0x1000, .type = PL011, .flags = CON_MMIO },
	},
	.cpus = { 0x6 },
	.mem = {
		{ 0x09000000, 0x09000000, 0x1000, R | W | IO | ROOTSHARED },	/* uart, shared with root */
		{ 0x09010000, 0x09010000, 0x1000, R | W | IO },			/* rtc, taken */
		{ 0x78000000, 0x00000000, 0x04000000, R | W | X | LOADABLE },	/* RAM */
		{ 0x7f700000, 0x7f700000, 0x00100000, R | W | ROOTSHARED },	/* shared memory */
		{ 0, 0x80000000, 0x1000, R | W | COMM },			/* comm region */
	},
	.irqchips = {
		/* SPI 2 (rtc) and SPI 100 (no board device has it) */
		{ .address = 0x08000000, .pin_base = 32, .pin_bitmap = { 1u << 2, 0, 0, 1u << 4 } },
	},
};

/* things configgen has no equivalent for: they must survive as comments and warnings */
static struct {
	struct jh_cell_desc cell;
	uint64_t cpus[1];
	struct jh_memory mem[3];
	struct jh_irqchip irqchips[1];
	struct jh_pci_device pci[1];
} PACKED odd = {
	.cell = {
		.signature = "JHCLL", .architecture = ARM64, .revision = REV, .name = "odd-one",
		.flags = PASSIVE | 0x4 /* AARCH32 */, .cpu_set_size = sizeof(odd.cpus),
		.num_memory_regions = N(odd.mem), .num_irqchips = N(odd.irqchips), .num_pci_devices = 1,
		.console = { .address = 0x09000000, .size = 0x1000, .type = 2 /* 8250 */, .flags = CON_MMIO },
	},
	.cpus = { 0x8 },
	.mem = {
		{ 0x7f000000, 0x0, 0x100000, R | W | X | LOADABLE | DMA },
		{ 0x0a000200, 0x0a000200, 0x200, R | W | IO | IO_32 },		/* one virtio-mmio, sub-page */
		{ 0, 0x80000000, 0x1000, R | W | COMM },
	},
	.irqchips = {
		{ .address = 0x08000000, .pin_base = 32, .pin_bitmap = { 1u << 17, 0, 0, 0 } },
	},
};

/* an ivshmem device (virtual Ethernet, peer 1 of 2) and its shared memory: not imported yet */
static struct {
	struct jh_cell_desc cell;
	uint64_t cpus[1];
	struct jh_memory mem[6];
	struct jh_pci_device pci[2];
} PACKED ivshmem = {
	.cell = {
		.signature = "JHCLL", .architecture = ARM64, .revision = REV, .name = "ivshmem-cell",
		.flags = PASSIVE, .cpu_set_size = sizeof(ivshmem.cpus),
		.num_memory_regions = N(ivshmem.mem), .num_pci_devices = N(ivshmem.pci),
	},
	.cpus = { 0x8 },
	.mem = {
		{ 0x7f000000, 0x0, 0x100000, R | W | X | LOADABLE },
		{ 0x7f700000, 0x7f700000, 0x1000, R | ROOTSHARED },		/* state table */
		{ 0x7f701000, 0x7f701000, 0x0, R | W | ROOTSHARED },		/* R/W section (empty) */
		{ 0x7f701000, 0x7f701000, 0x1000, R | ROOTSHARED },		/* output of peer 0 */
		{ 0x7f702000, 0x7f702000, 0x1000, R | W | ROOTSHARED },	/* output of peer 1 */
		{ 0, 0x80000000, 0x1000, R | W | COMM },
	},
	.pci = {
		{ .type = 3, .bdf = 0x0d << 3, .shmem_regions_start = 1, .shmem_dev_id = 1, .shmem_peers = 2,
		  .shmem_protocol = 1 },
		/* hostile: regions far beyond the array */
		{ .type = 3, .bdf = 0x0e << 3, .shmem_regions_start = 0xfffffff0, .shmem_peers = 255 },
	},
};

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	if (write_file(argv[1], "system.cell", &sys, sizeof(sys)) ||
	    write_file(argv[1], "gic-demo.cell", &cell, sizeof(cell)) ||
	    write_file(argv[1], "odd.cell", &odd, sizeof(odd)) ||
	    write_file(argv[1], "ivshmem.cell", &ivshmem, sizeof(ivshmem)))
		return 1;
	printf("cell_desc %zu\nsystem %zu\nplatform_info %zu\nconsole %zu\nmemory %zu\nirqchip %zu\n"
	       "iommu %zu\npci_device %zu\npci_device %zu\n",
	       sizeof(struct jh_cell_desc), sizeof(struct jh_system), sizeof(struct jh_platform_info),
	       sizeof(struct jh_console), sizeof(struct jh_memory), sizeof(struct jh_irqchip),
	       sizeof(struct jh_iommu), sizeof(struct jh_pci_device), sizeof(struct jh_pci_device));
	return 0;
}
