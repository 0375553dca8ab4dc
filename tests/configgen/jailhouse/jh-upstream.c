/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Upstream-SHAPED Jailhouse configuration blobs for the `configgen import` tests, written from
 * the format description (docs/configgen.md "Importing Jailhouse configurations" and
 * configgen/jhformat.py), not copied from any upstream file.  They have what upstream's real
 * configs have and the first fixtures lacked:
 *   - the system's embedded root cell leaves signature, architecture and revision ZERO;
 *   - empty { 0 } memory slots (a network link's absent R/W section);
 *   - a 16-CPU root for a 4-CPU board, a permissive MMIO window, the physical PCI ECAM window;
 *   - physical PCI devices (one on the board, one not) and ivshmem devices (a 3-peer demo
 *     link with an R/W section, a 2-peer virtual Ethernet link);
 *   - the three layouts: revision 12 and 13 (6-byte signatures, no architecture byte;
 *     revision 12 keeps the IOMMU units inside the arch part of the platform info) and 14.
 * `jh-upstream DIR` writes DIR/rREV/{system,inmate-demo,linux-demo,x86-system,x86-demo}.cell
 * for REV 12, 13, 14 and prints the header sizes for the layout test.
 */
#include <stdio.h>
#include <string.h>

#include "jh-format.h"

struct arm_info {
	uint8_t maintenance_irq, gic_version;
	uint64_t gicd_base, gicc_base, gich_base, gicv_base, gicr_base;
} PACKED;

struct x86_info12 {
	uint16_t pm_timer_address;
	uint32_t vtd_interrupt_limit;
	uint8_t apic_mode, padding[3];
	uint32_t tsc_khz, apic_khz;
} PACKED;

struct x86_info13 {
	uint16_t pm_timer_address;
	uint8_t apic_mode, padding;
	uint32_t vtd_interrupt_limit, tsc_khz, apic_khz;
} PACKED;

struct pci_info {
	uint64_t mmconfig_base;
	uint8_t mmconfig_end_bus, is_virtual;
	uint16_t domain;
} PACKED;

/* revision 12: the IOMMU units at the end of each arch part */
struct system12 {
	char signature[5];
	uint8_t architecture;
	uint16_t revision;
	uint32_t flags;
	struct jh_memory hypervisor_memory;
	struct jh_console debug_console;
	struct pci_info pci;
	union {
		struct { struct x86_info12 x86; struct jh_iommu iommu_units[8]; } PACKED x86;
		struct { struct arm_info arm; struct jh_iommu iommu_units[8]; } PACKED arm;
	} PACKED;
	struct jh_cell_desc root_cell;
} PACKED;

/* revisions 13 and 14: the IOMMU units in the common part, padding after gic_version */
struct system13 {
	char signature[5];
	uint8_t architecture;
	uint16_t revision;
	uint32_t flags;
	struct jh_memory hypervisor_memory;
	struct jh_console debug_console;
	struct pci_info pci;
	struct jh_iommu iommu_units[8];
	union {
		struct x86_info13 x86;
		struct {
			uint8_t maintenance_irq, gic_version, padding[2];
			uint64_t gicd_base, gicc_base, gich_base, gicv_base, gicr_base;
		} PACKED arm;
	} PACKED;
	struct jh_cell_desc root_cell;
} PACKED;

#define X86 0
#define ARM64 2
#define R 0x1
#define W 0x2
#define X 0x4
#define DMA 0x8
#define IO 0x10
#define COMM 0x20
#define LOADABLE 0x40
#define RS 0x80
#define PL011 3
#define UART8250 2
#define CON_MMIO 1
#define PASSIVE 0x1
#define VCON_PERMITTED (1u << 30)
#define IVSHMEM 3
#define PCIDEV 1
#define VETH 1
#define ALL_PINS { ~0u, ~0u, ~0u, ~0u }

/* a 2-peer virtual Ethernet link's regions, as upstream's macro lays them out: state table,
 * an EMPTY slot for the absent R/W section, one output section per peer */
#define NET_REGIONS(start, id, extra)						\
	{ (start), (start), 0x1000, R | (extra) },				\
	{ 0 },									\
	{ (start) + 0x1000, (start) + 0x1000, 0x7f000, R | (extra) | ((id) == 0 ? W : 0) }, \
	{ (start) + 0x80000, (start) + 0x80000, 0x7f000, R | (extra) | ((id) == 1 ? W : 0) }

/* a 3-peer demo link with an R/W section: state, R/W, outputs of peers 0..2 */
#define DEMO_REGIONS(id, extra)							\
	{ 0x7faf0000, 0x7faf0000, 0x1000, R | (extra) },			\
	{ 0x7faf1000, 0x7faf1000, 0x9000, R | W | (extra) },			\
	{ 0x7fafa000, 0x7fafa000, 0x2000, R | (extra) | ((id) == 0 ? W : 0) },	\
	{ 0x7fafc000, 0x7fafc000, 0x2000, R | (extra) | ((id) == 1 ? W : 0) },	\
	{ 0x7fafe000, 0x7fafe000, 0x2000, R | (extra) | ((id) == 2 ? W : 0) }

/* ---- arm64: QEMU virt, 1 GiB at 0x40000000, hypervisor in the top 4 MiB ---- */
static const uint64_t sys_cpus[1] = { 0xffff };	/* 16 CPUs, as upstream's qemu config */
static const struct jh_memory sys_mem[] = {
	DEMO_REGIONS(0, 0),							/* 0-4 */
	NET_REGIONS(0x7fb00000, 0, 0),						/* 5-8 */
	{ 0x09000000, 0x09000000, 0x37000000, R | W | IO },			/* permissive MMIO */
	{ 0x40000000, 0x40000000, 0x3fa10000, R | W | X },			/* RAM */
	{ 0x4010000000ULL, 0x4010000000ULL, 0x10000000, R | W | IO },		/* physical ECAM */
};
static const struct jh_irqchip sys_irqchips[] = {
	{ .address = 0x08000000, .pin_base = 32, .pin_bitmap = ALL_PINS },
};
static const struct jh_pci_device sys_pci[] = {
	{ .type = IVSHMEM, .domain = 1, .bdf = 0 << 3, .shmem_regions_start = 0, .shmem_dev_id = 0,
	  .shmem_peers = 3 },
	{ .type = IVSHMEM, .domain = 1, .bdf = 1 << 3, .shmem_regions_start = 5, .shmem_dev_id = 0,
	  .shmem_peers = 2, .shmem_protocol = VETH },
	{ .type = PCIDEV, .bdf = 2 << 3 },	/* the board's pci-serial */
	{ .type = PCIDEV, .bdf = 5 << 3 },	/* no such function on the board */
};

static const uint64_t demo_cpus[1] = { 0x2 };
static const struct jh_memory demo_mem[] = {
	DEMO_REGIONS(1, RS),							/* 0-4 */
	{ 0x09000000, 0x09000000, 0x1000, R | W | IO | RS },			/* UART, shared */
	{ 0x7f800000, 0, 0x10000, R | W | X | LOADABLE },			/* RAM: 64 KiB, as upstream */
	{ 0, 0x80000000, 0x1000, R | W | COMM },				/* comm region */
};
static const struct jh_irqchip demo_irqchips[] = {
	/* pin 144: the ivshmem function's virtual INTx (vpci_irq_base 112) */
	{ .address = 0x08000000, .pin_base = 32, .pin_bitmap = { 0, 0, 0, 1u << (144 - 128) } },
};
static const struct jh_pci_device demo_pci[] = {
	{ .type = IVSHMEM, .domain = 1, .bdf = 0 << 3, .shmem_regions_start = 0, .shmem_dev_id = 1,
	  .shmem_peers = 3 },
};

static const uint64_t linux_cpus[1] = { 0xc };
static const struct jh_memory linux_mem[] = {
	DEMO_REGIONS(2, RS),							/* 0-4 */
	NET_REGIONS(0x7fb00000, 1, RS),						/* 5-8 */
	{ 0x09000000, 0x09000000, 0x1000, R | W | IO | RS },			/* UART, shared */
	{ 0x7f900000, 0, 0x10000, R | W | X | LOADABLE },			/* boot RAM */
	{ 0x70000000, 0x70000000, 0x8000000, R | W | X | DMA | LOADABLE },	/* RAM */
	{ 0, 0x80000000, 0x1000, R | W | COMM },
};
static const struct jh_irqchip linux_irqchips[] = {
	/* SPI 1 (the shared UART's: dropped) and the virtual INTx pins 140, 141 */
	{ .address = 0x08000000, .pin_base = 32,
	  .pin_bitmap = { 1u << 1, 0, 0, 3u << (140 - 128) } },
};
static const struct jh_pci_device linux_pci[] = {
	{ .type = IVSHMEM, .domain = 1, .bdf = 0 << 3, .shmem_regions_start = 0, .shmem_dev_id = 2,
	  .shmem_peers = 3 },
	{ .type = IVSHMEM, .domain = 1, .bdf = 1 << 3, .shmem_regions_start = 5, .shmem_dev_id = 1,
	  .shmem_peers = 2, .shmem_protocol = VETH },
};

/* ---- x86: QEMU q35, 1 GiB (RAM below 640 KiB and 1 MiB-0x3ffdffff), hypervisor 6 MiB ---- */
static const uint64_t x86_cpus[1] = { 0xff };	/* 8 CPUs for a 4-CPU board */
static const struct jh_memory x86_mem[] = {
	NET_REGIONS(0x3f000000, 0, 0),						/* 0-3 */
	{ 0, 0, 0x3a000000, R | W | X | DMA },		/* RAM, over the VGA hole */
	{ 0x3a600000, 0x3a600000, 0x4a00000, R | W | X | DMA },
	{ 0x3f100000, 0x3f100000, 0xedf000, R | W | X | DMA },
	{ 0xfebf1000, 0xfebf1000, 0x1000, R | W },	/* a BAR, listed as plain memory */
	{ 0xfed00000, 0xfed00000, 0x1000, R | IO },	/* HPET */
};
static const struct jh_irqchip x86_irqchips[] = {
	{ .address = 0xfec00000, .id = 0xff00, .pin_base = 0, .pin_bitmap = { 0xffffff } },
};
static const struct jh_pio x86_pio[] = {
	{ 0x40, 4 }, { 0x60, 2 }, { 0x64, 1 }, { 0x70, 2 }, { 0x2f8, 8 }, { 0x3f8, 8 },
	{ 0xd00, 0xf300 }, { 0x5658, 4 },	/* the last: no board device */
};
static const struct jh_pci_device x86_pci[] = {
	{ .type = PCIDEV, .bdf = 0x1f << 3 | 2 },	/* sata, on the board */
	{ .type = PCIDEV, .bdf = 0x1b << 3 },		/* HD audio, not on the board */
	{ .type = IVSHMEM, .bdf = 0x0e << 3, .shmem_regions_start = 0, .shmem_peers = 2,
	  .shmem_protocol = VETH },
};

static const uint64_t x86c_cpus[1] = { 0x8 };
static const struct jh_memory x86c_mem[] = {
	{ 0x3b000000, 0, 0x100000, R | W | X | LOADABLE },
	{ 0, 0x100000, 0x1000, R | W | COMM },
};
static const struct jh_irqchip x86c_irqchips[] = {
	{ .address = 0xfec00000, .id = 0xff00, .pin_base = 0, .pin_bitmap = { 1u << 3 | 1u << 4 } },
};
static const struct jh_pio x86c_pio[] = { { 0x2f8, 8 }, { 0x3f8, 8 } };	/* COM2, COM1 */
static const struct jh_pci_device x86c_pci[] = {
	{ .type = PCIDEV, .bdf = 0x1f << 3 | 3 },	/* smbus */
};

struct body {
	const void *cpus, *mem, *irq, *pio, *pci;
	uint32_t cpu_size, n_mem, n_irq, n_pio, n_pci;
};

#define BODY(p) { p##_cpus, p##_mem, p##_irqchips, NULL, p##_pci, sizeof(p##_cpus), N(p##_mem), \
		  N(p##_irqchips), 0, N(p##_pci) }
#define BODY_PIO(p) { p##_cpus, p##_mem, p##_irqchips, p##_pio, p##_pci, sizeof(p##_cpus), \
		      N(p##_mem), N(p##_irqchips), N(p##_pio), N(p##_pci) }

static void fill_cell(struct jh_cell_desc *c, const char *name, const struct body *b)
{
	strncpy(c->name, name, sizeof(c->name) - 1);
	c->cpu_set_size = b->cpu_size;
	c->num_memory_regions = b->n_mem;
	c->num_irqchips = b->n_irq;
	c->num_pio_regions = b->n_pio;
	c->num_pci_devices = b->n_pci;
}

/* revision 14 signs "JHCLL"/"JHSYS" plus the architecture byte; 12 and 13 sign "JHCELL"/
 * "JHSYST", whose 6th byte takes the architecture byte's place */
#define SIGN(s, old, new, r, a) do {						\
	memcpy((s).signature, (r) == 14 ? (new) : (old), 5);			\
	(s).architecture = (r) == 14 ? (a) : (uint8_t)(old)[5];			\
	(s).revision = (r);							\
} while (0)

static int write_body(FILE *f, const struct body *b)
{
	return fwrite(b->cpus, b->cpu_size, 1, f) != 1 ||
	       fwrite(b->mem, sizeof(struct jh_memory), b->n_mem, f) != b->n_mem ||
	       fwrite(b->irq, sizeof(struct jh_irqchip), b->n_irq, f) != b->n_irq ||
	       (b->n_pio && fwrite(b->pio, sizeof(struct jh_pio), b->n_pio, f) != b->n_pio) ||
	       fwrite(b->pci, sizeof(struct jh_pci_device), b->n_pci, f) != b->n_pci;
}

static FILE *open_out(const char *dir, int rev, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/r%d/%s.cell", dir, rev, name);
	f = fopen(path, "wb");
	if (!f)
		perror(path);
	return f;
}

static int write_cell(const char *dir, int rev, const char *file, const char *name, int arch,
		      const struct body *b, uint32_t flags, uint32_t vpci, const struct jh_console *con)
{
	struct jh_cell_desc c;
	FILE *f = open_out(dir, rev, file);
	int bad;

	if (!f)
		return 1;
	memset(&c, 0, sizeof(c));
	SIGN(c, "JHCELL", "JHCLL", rev, arch);
	fill_cell(&c, name, b);
	c.flags = flags;
	c.vpci_irq_base = vpci;
	if (con)
		c.console = *con;
	bad = fwrite(&c, sizeof(c), 1, f) != 1 || write_body(f, b);
	return fclose(f) || bad;
}

/* the root cell descriptor: name and counts only, signature/architecture/revision left 0 */
static int write_system(const char *dir, int rev, const char *file, int arch, const struct body *b)
{
	struct system12 s12;
	struct system13 s13;
	struct jh_cell_desc *root = rev == 12 ? &s12.root_cell : &s13.root_cell;
	struct jh_iommu *iommu;
	FILE *f = open_out(dir, rev, file);
	int bad;

	if (!f)
		return 1;
	memset(&s12, 0, sizeof(s12));
	memset(&s13, 0, sizeof(s13));
	if (rev == 12)
		SIGN(s12, "JHSYST", "JHSYS", rev, arch);
	else
		SIGN(s13, "JHSYST", "JHSYS", rev, arch);
	fill_cell(root, arch == ARM64 ? "qemu-arm64" : "QEMU-VM", b);
	if (arch == ARM64) {
		struct jh_memory hyp = { 0x7fc00000, 0, 0x400000, 0 };
		struct jh_console con = { 0x09000000, 0x1000, PL011, CON_MMIO, 0, 0, 0 };
		struct pci_info pci = { 0x08e00000, 0, 1, 1 };
		struct arm_info arm = { 25, 3, 0x08000000, 0, 0, 0, 0x080a0000 };

		root->vpci_irq_base = 128 - 32;
		s12.flags = s13.flags = 1;
		s12.hypervisor_memory = s13.hypervisor_memory = hyp;
		s12.debug_console = s13.debug_console = con;
		s12.pci = s13.pci = pci;
		s12.arm.arm = arm;
		s13.arm.maintenance_irq = 25;
		s13.arm.gic_version = 3;
		s13.arm.gicd_base = arm.gicd_base;
		s13.arm.gicr_base = arm.gicr_base;
	} else {
		struct jh_memory hyp = { 0x3a000000, 0, 0x600000, 0 };
		struct jh_console con = { 0x3f8, 0, UART8250, 0, 0, 0, 0 };
		struct pci_info pci = { 0xb0000000, 0xff, 0, 0 };

		s12.hypervisor_memory = s13.hypervisor_memory = hyp;
		s12.debug_console = s13.debug_console = con;
		s12.pci = s13.pci = pci;
		s12.x86.x86.pm_timer_address = s13.x86.pm_timer_address = 0x608;
		s12.x86.x86.vtd_interrupt_limit = s13.x86.vtd_interrupt_limit = 256;
		iommu = rev == 12 ? &s12.x86.iommu_units[0] : &s13.iommu_units[0];
		iommu->type = 2;	/* Intel VT-d */
		iommu->base = 0xfed90000;
		iommu->size = 0x1000;
	}
	if (rev == 12)
		bad = fwrite(&s12, sizeof(s12), 1, f) != 1;
	else
		bad = fwrite(&s13, sizeof(s13), 1, f) != 1;
	bad = bad || write_body(f, b);
	return fclose(f) || bad;
}

int main(int argc, char **argv)
{
	static const struct body sys = BODY(sys), demo = BODY(demo), lnx = BODY(linux);
	static const struct body x86s = BODY_PIO(x86), x86c = BODY_PIO(x86c);
	const struct jh_console pl011 = { 0x09000000, 0x1000, PL011, CON_MMIO, 0, 0, 0 };
	const struct jh_console com2 = { 0x2f8, 0, UART8250, 0, 0, 0, 0 };
	int rev;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR (with DIR/r12, DIR/r13, DIR/r14)\n", argv[0]);
		return 2;
	}
	for (rev = 12; rev <= 14; rev++)
		if (write_system(argv[1], rev, "system", ARM64, &sys) ||
		    write_cell(argv[1], rev, "inmate-demo", "inmate-demo", ARM64, &demo,
			       PASSIVE | VCON_PERMITTED, 144 - 32, &pl011) ||
		    write_cell(argv[1], rev, "linux-demo", "linux-demo", ARM64, &lnx,
			       PASSIVE, 140 - 32, &pl011) ||
		    write_system(argv[1], rev, "x86-system", X86, &x86s) ||
		    write_cell(argv[1], rev, "x86-demo", "x86-demo", X86, &x86c, VCON_PERMITTED, 0,
			       &com2))
			return 1;
	printf("system12 %zu\nsystem %zu\ncell_desc %zu\npci_device %zu\niommu %zu\n", sizeof(struct system12),
	       sizeof(struct system13), sizeof(struct jh_cell_desc), sizeof(struct jh_pci_device),
	       sizeof(struct jh_iommu));
	return 0;
}
