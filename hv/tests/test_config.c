// SPDX-License-Identifier: GPL-2.0
/*
 * The blob validator: a valid blob passes, each kind of damage gets its own answer; a cell
 * against its system (config_cross.c) likewise.
 */
#include <stdlib.h>
#include <string.h>
#include "config_check.h"
#include "test.h"
#include "../core/config_check.c"
#include "../core/config_cross.c"
#include "../core/sha256.c"
#include "../arch/arm-common/config_check_arm.c"
#include "../arch/arm64/include/asm/cfg_limits.h"

#include "blobs.h"

static struct cfg_limits lim = ARCH_CFG_LIMITS(8);

#include "cfg_runs.h"

static enum cfg_result run(struct blob *b, size_t len)
{
	struct cfg_status st;
	int err = cfg_check_system(b, len, &lim, &st);

	CHECK((err == 0) == (st.code == CFG_OK));
	CHECK(err == cfg_result_errno(st.code));
	return st.code;
}

/* Interrupt resources of the root: the generic shape, then the GIC's meaning of a pin. */
static void check_root_irqs(struct blob *b)
{
	make_valid(b); b->sys.root_cell.num_irqchips = HVCFG_MAX_IRQCHIPS + 1; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_COUNT);
	make_valid(b); b->sys.root_cell.num_irqchips = 16; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_OFFSET);	/* past the end of the blob */
	make_valid(b); b->sys.root_cell.irqchips_offset += 4; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_OFFSET);	/* misaligned */
	make_valid(b); b->irqchips[1].pin_base += 16; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_IRQ);		/* not a multiple of 32 */
	make_valid(b); b->irqchips[1].pin_base = 0xffffffe0; memset(b->irqchips[1].pin_bitmap, 0,
		sizeof(b->irqchips[1].pin_bitmap)); seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_IRQ);		/* its pins would wrap around */
	make_valid(b); b->irqchips[1].pin_base = 128; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_IRQ);		/* overlaps entry 0 (pins 32-159) */
	make_valid(b); b->irqchips[0] = b->irqchips[1]; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_IRQ);		/* the same range twice */
	make_valid(b); memset(b->irqchips[0].pin_bitmap, 0, sizeof(b->irqchips[0].pin_bitmap));
	b->irqchips[0].pin_base = 0; irqchip_set(&b->irqchips[0], 27); seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_IRQ);		/* a PPI for the root */
	make_valid(b); memset(b->irqchips[0].pin_bitmap, 0, sizeof(b->irqchips[0].pin_bitmap));
	b->irqchips[0].pin_base = 0; irqchip_set(&b->irqchips[0], 32); seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_OK);		/* ... the first SPI from an entry at 0 */
	make_valid(b); arm(b)->gic_lines = 256; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_IRQ);		/* INTIDs 256-287 beyond gic_lines */
	make_valid(b); b->irqchips[1].address = GICD_BASE + 0x10000; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_IRQ);		/* a controller that is not the GICD */
	make_valid(b); b->irqchips[1].id = 1; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_IRQ);		/* arm: id 0 */
	make_valid(b); memset(b->irqchips[1].pin_bitmap, 0, sizeof(b->irqchips[1].pin_bitmap));
	b->irqchips[1].address = 0; b->irqchips[1].id = 7; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_OK);		/* an empty entry names no pin */
}

/* Port I/O and PCI devices: generic checks, arm64's limits grant neither. */
static void check_pio_pci(struct blob *b)
{
	make_valid(b); b->sys.root_cell.num_pio_regions = 1;
	b->pio[0] = (struct hvcfg_pio_region){ 0x3f8, 8 }; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_PIO);		/* arm64: no port I/O */
	lim.pio_ports = HVCFG_PIO_PORTS;
	CHECK(run(b, sizeof(*b)) == CFG_OK);		/* an arch with port I/O */
	b->pio[0].length = 0; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_PIO);		/* empty */
	lim.pio_ports = 2 * HVCFG_PIO_PORTS; b->pio[0] = (struct hvcfg_pio_region){ 0xfff8, 16 };
	seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_PIO);		/* beyond the port space */
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8);
	make_valid(b); b->sys.root_cell.num_pio_regions = HVCFG_MAX_PIO_REGIONS + 1; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_COUNT);

	make_valid(b); b->sys.root_cell.num_pci_devices = 1;
	b->pci[0] = (struct hvcfg_pci_device){ .bdf = 0x08, .type = HVCFG_PCI_DEVICE,
					      .iommu = HVCFG_PCI_NO_IOMMU };
	seal(b);
	lim.max_pci_devices = 0;
	CHECK(run(b, sizeof(*b)) == CFG_E_PCI);		/* an arch that assigns none */
	lim.max_pci_devices = 2;
	CHECK(run(b, sizeof(*b)) == CFG_OK);		/* arm64: a few */
	b->pci[0].type = 3; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_PCI);		/* unknown type */
	b->pci[0].type = HVCFG_PCI_BRIDGE; b->pci[0].padding0 = 1; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_RESERVED);
	b->pci[0].padding0 = 0; b->pci[1] = b->pci[0]; b->sys.root_cell.num_pci_devices = 2;
	seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_PCI);		/* the same function twice */
	b->pci[1].bdf = 0x10; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_OK);
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8);
	make_valid(b); b->sys.root_cell.num_pci_devices = HVCFG_MAX_PCI_DEVICES + 1; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_COUNT);
}

/* Consoles by type, as the limits say which ones the hypervisor drives. */
static void check_console_types(struct blob *b)
{
	make_valid(b); b->sys.debug_console.type = HVCFG_CONSOLE_8250; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_CONSOLE);	/* arm64 drives a PL011 only */
	lim.console_types |= 1u << HVCFG_CONSOLE_8250;
	CHECK(run(b, sizeof(*b)) == CFG_OK);
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8);
	make_valid(b); b->sys.root_cell.console = b->sys.debug_console;
	b->sys.root_cell.console.type = HVCFG_CONSOLE_8250; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_CONSOLE);	/* the root's console likewise */
	make_valid(b); b->sys.debug_console = (struct hvcfg_console){ 0x3f8, 8,
		HVCFG_CONSOLE_8250_PIO, 0 }; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_CONSOLE);
	lim.console_types |= 1u << HVCFG_CONSOLE_8250_PIO;
	CHECK(run(b, sizeof(*b)) == CFG_E_CONSOLE);	/* driven, but no port I/O */
	lim.pio_ports = HVCFG_PIO_PORTS;
	CHECK(run(b, sizeof(*b)) == CFG_OK);		/* ports are not mapped: any address */
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8);
	make_valid(b); b->sys.debug_console.type = HVCFG_CONSOLE_8250_PIO + 1; seal(b);
	lim.console_types = ~0u;
	CHECK(run(b, sizeof(*b)) == CFG_E_CONSOLE);	/* unknown, whatever the limits */
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8);
}

/* The platform: the generic PCI window, the arch's section and its unused tail. */
static void check_platform_section(struct blob *b)
{
	make_valid(b); b->sys.platform.arch[sizeof(struct hvcfg_arm_platform)] = 1; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_RESERVED);	/* the first byte arm does not use */
	make_valid(b); b->sys.platform.arch[HVCFG_ARCH_PLATFORM_SIZE - 1] = 0x80; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_RESERVED);	/* ... and the last */
	CHECK(cfg_arch_platform_used() == sizeof(struct hvcfg_arm_platform));
	make_valid(b); b->sys.platform.pci_mmconfig_base = 0x4010000000ULL;
	b->sys.platform.pci_mmconfig_size = 0x10000000; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_OK);
	b->sys.platform.pci_mmconfig_base += 0x800; seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_PLATFORM);
	b->sys.platform.pci_mmconfig_base -= 0x800; b->sys.platform.pci_mmconfig_size = 0;
	seal(b);
	CHECK(run(b, sizeof(*b)) == CFG_E_PLATFORM);	/* a window without a size */
}

static void check_revision2(struct blob *b)
{
	check_root_irqs(b);
	check_pio_pci(b);
	check_console_types(b);
	check_platform_section(b);
}

/* A cell's interrupt resources: on their own, then as the root's. */
static void check_cell_irqs(struct blob *b, struct cell_blob *c)
{
	make_valid(b); make_cell(c, b);
	c->irqchips[0].pin_base = 256; memset(c->irqchips[0].pin_bitmap, 0,
					      sizeof(c->irqchips[0].pin_bitmap));
	irqchip_set(&c->irqchips[0], 288); seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_ROOT_IRQ);	/* INTID 288: not the root's */
	make_cell(c, b); b->irqchips[0].pin_bitmap[0] &= ~(1ULL << 2); seal(b); make_cell(c, b);
	CHECK(run_cell(b, c) == CFG_E_ROOT_IRQ);	/* SPI 34: the root lacks it */
	make_valid(b); make_cell(c, b); c->irqchips[0].address += 0x1000; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_ROOT_IRQ);	/* another controller's pin 34 */
	make_cell(c, b); c->irqchips[0].pin_base = 0; memset(c->irqchips[0].pin_bitmap, 0,
		sizeof(c->irqchips[0].pin_bitmap)); irqchip_set(&c->irqchips[0], 20); seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_IRQ);		/* an SGI/PPI, on its own */
	make_cell(c, b); c->irqchips[0].pin_base = 992; memset(c->irqchips[0].pin_bitmap, 0,
		sizeof(c->irqchips[0].pin_bitmap));
	irqchip_set(&c->irqchips[0], 1020); seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_IRQ);		/* a special INTID */
	make_cell(c, b); c->irqchips[0].pin_base = 33; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_IRQ);
	make_cell(c, b); c->cell.cell.num_irqchips = 4; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_OFFSET);
	make_cell(c, b); c->cell.cell.console = b->sys.debug_console;
	c->cell.cell.console.type = HVCFG_CONSOLE_8250; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_CONSOLE);
	make_cell(c, b); c->cell.cell.num_pio_regions = 1;
	/* the id and pin_base of the interrupt entry read as ports 0-31 */
	c->cell.cell.pio_regions_offset = offsetof(struct cell_blob, irqchips) + 8; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_PIO);
	make_cell(c, b); c->cell.cell.num_pci_devices = 1;
	c->cell.cell.pci_devices_offset = offsetof(struct cell_blob, irqchips); seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_PCI);
	make_cell(c, b);
	CHECK(run_cell(b, c) == CFG_OK);
}

/* cfg_div64 (the 32-bit builds' 64-bit division) agrees with the compiler's, at the edges too. */
static void test_div64(void)
{
	static const hvcfg_u64 vals[] = { 0, 1, 2, 3, 7, 4096, 0xffffffffULL, 0x100000000ULL,
					  0x123456789abcdefULL, 1ULL << 63, (1ULL << 63) + 1,
					  ~0ULL - 1, ~0ULL };
	unsigned int i, j;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		for (j = 0; j < sizeof(vals) / sizeof(vals[0]); j++)
			if (vals[j])
				CHECK(cfg_div64(vals[i], vals[j]) == vals[i] / vals[j]);
}

int main(void)
{
	struct blob b;
	unsigned int n, m;

	test_div64();
	make_valid(&b);
	CHECK(run(&b, sizeof(b)) == CFG_OK);
	/* zlib's check value for "123456789" */
	CHECK(cfg_crc32("123456789", 9, ~(size_t)0 - 8) == 0xcbf43926);

	CHECK(run(&b, 8) == CFG_E_TRUNCATED);
	CHECK(run(&b, sizeof(b) - 8) == CFG_E_TRUNCATED);
	make_valid(&b); b.sys.header.signature ^= 1;
	CHECK(run(&b, sizeof(b)) == CFG_E_SIGNATURE);
	make_valid(&b); b.sys.header.revision = 99;
	CHECK(run(&b, sizeof(b)) == CFG_E_REVISION);
	make_valid(&b); b.sys.header.arch = 2;
	CHECK(run(&b, sizeof(b)) == CFG_E_ARCH);
	make_valid(&b); b.mem[1].size += 0x1000;	/* content changed, CRC not */
	CHECK(run(&b, sizeof(b)) == CFG_E_CRC);
	make_valid(&b); b.sys.num_cpus = 0x7fffffff; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_COUNT);
	make_valid(&b); b.sys.root_cell.num_mem_regions = 0x1000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_OFFSET);
	make_valid(&b); b.sys.root_cell.num_mem_regions = 0xfffffff; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_COUNT);
	make_valid(&b); b.sys.cpu_table_offset = 0xfffffff8; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_OFFSET);
	make_valid(&b); b.mem[2].size = 0x8000000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_OVERLAP);
	make_valid(&b); b.mem[0].phys_start = 0x8000000; b.mem[0].guest_start = 0x8000000;
	seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_REGION);	/* maps the GIC distributor */
	make_valid(&b); b.mem[1].guest_start += 0x1000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_REGION);	/* root must be identity mapped */
	make_valid(&b); b.mem[1].size = 0xffffffffc0000000ULL; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_REGION);	/* wraps around */
	make_valid(&b); b.cpus[1].hw_id = 0; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_CPU);
	make_valid(&b); b.cpu_set[0] = 0x1f; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_CPU);
	make_valid(&b); b.cpus[3].hw_id = 1ULL << 24; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_CPU);		/* not an MPIDR affinity value */
	make_valid(&b); arm(&b)->gic_version = HVCFG_GIC_V2; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_UNSUPPORTED);	/* a GICv2: valid, not driven */
	make_valid(&b); arm(&b)->gic_version = 4; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_PLATFORM);
	make_valid(&b); arm(&b)->gich_base = 0x8030000; arm(&b)->gich_size = 0x10000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_PLATFORM);	/* GICv2 interfaces on a GICv3 */
	make_valid(&b); b.sys.debug_console.type = 7; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_CONSOLE);
	make_valid(&b); memset(b.sys.root_cell.name, 'x', HVCFG_NAME_LEN); seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_NAME);
	make_valid(&b); b.sys.hypervisor_mem_base = 0x7f800001; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_MEM);

	/* moved here from the hypervisor's enable path (arm64 setup) and made explicit */
	make_valid(&b); b.sys.flags |= 0x80; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);	/* unknown system flag */
	make_valid(&b); b.sys.padding0 = 1; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);
	make_valid(&b); arm(&b)->padding0[2] = 1; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);
	make_valid(&b); b.sys.debug_console.flags = 1; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);
	make_valid(&b); b.sys.root_cell.console.flags = 0xd000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);	/* the root's console like any cell's */
	make_valid(&b); b.sys.root_cell.console.type = 7; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_CONSOLE);
	make_valid(&b); b.sys.root_cell.flags = 0x40; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);	/* unknown cell flag */
	make_valid(&b); b.sys.root_cell.flags = HVCFG_CELL_IRQ_DIRECT; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_IRQ_DIRECT);	/* the root stays in trap mode */
	make_valid(&b); b.sys.root_cell.padding0 = 1; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);
	make_valid(&b); b.mem[1].flags |= 1ULL << 12; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);	/* unknown region flag */
	make_valid(&b); b.sys.root_cell.name[2] = 0x1b; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_NAME);	/* an escape sequence for the console */
	make_valid(&b); b.sys.root_cell.name[20] = 'x'; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_NAME);	/* bytes after the NUL */
	make_valid(&b); b.sys.root_cell.name[0] = 0; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_NAME);	/* empty */
	make_valid(&b); b.sys.hypervisor_mem_base = 0x7f900000; b.sys.hypervisor_mem_size = 0x700000;
	seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_MEM);	/* not 2 MiB aligned */
	make_valid(&b); b.sys.hypervisor_mem_base = 0xbfe00000; b.sys.hypervisor_mem_size = 0x400000;
	seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_MEM);	/* across a GiB boundary */
	make_valid(&b); b.sys.hypervisor_mem_base = 511ULL << 30; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_VA);	/* the EL2 mapping window */
	make_valid(&b); b.sys.hypervisor_mem_base = 512ULL << 30; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_VA);	/* beyond the 39-bit EL2 VA */
	make_valid(&b); arm(&b)->gicd_base = 1ULL << 39; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_VA);
	make_valid(&b); arm(&b)->gicr_base = (511ULL << 30) + 0x100000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_VA);
	make_valid(&b); arm(&b)->its_base = 1ULL << 40; arm(&b)->its_size = 0x20000;
	seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_VA);
	make_valid(&b); b.sys.debug_console.base = 1ULL << 39; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_VA);
	make_valid(&b); b.sys.debug_console.type = HVCFG_CONSOLE_NONE;
	b.sys.debug_console.base = 1ULL << 39; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_OK);		/* no console: not mapped */
	make_valid(&b); b.sys.debug_console.base = 0x7fa00000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_MEM);	/* a device over the hypervisor */
	make_valid(&b); arm(&b)->gicd_base = 0x7f800000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_MEM);
	make_valid(&b); b.mem[1].phys_start = b.mem[1].guest_start = 1ULL << 40; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_IPA);		/* root RAM beyond the 40-bit IPA */
	make_valid(&b); b.mem[1].phys_start = b.mem[1].guest_start = (1ULL << 40) - 0x38000000;
	seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_OK);		/* ... up to its very end is fine */
	check_revision2(&b);
	/* the limits are data: a zero limit refuses, it does not disable the check */
	make_valid(&b); lim.ipa_limit = 0;
	CHECK(run(&b, sizeof(b)) == CFG_E_IPA);
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8); lim.hv_mem_align = 0;
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_MEM);
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8); lim.hv_va_limit = 0x7f800000;
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_VA);
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8);
	CHECK(run(&b, sizeof(b)) == CFG_OK);

	/* SHA-256 of "abc" (FIPS 180-4 example) */
	{
		static const uint8_t abc[32] = {
			0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde,
			0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
			0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
		uint8_t out[32];

		sha256("abc", 3, out);
		CHECK(!memcmp(out, abc, sizeof(out)));
	}

	/* a cell against its system, as cell create checks it */
	{
		struct cell_blob c;

		make_valid(&b); make_cell(&c, &b);
		CHECK(run_cell(&b, &c) == CFG_OK);
		c.cell.system_digest[31] ^= 1; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_DIGEST);
		make_cell(&c, &b); c.cell.header.crc32 ^= 1;
		CHECK(run_cell(&b, &c) == CFG_E_CRC);		/* the cell's own checks first */
		make_valid(&b); b.sys.header.crc32 ^= 1; make_cell(&c, &b);
		CHECK(run_cell(&b, &c) == CFG_E_CRC);		/* ... and the system's */
		make_valid(&b); b.cpu_set[0] = 0xd; seal(&b); make_cell(&c, &b);
		CHECK(run_cell(&b, &c) == CFG_E_ROOT_CPU);	/* CPU 1 is not the root's */
		make_valid(&b); make_cell(&c, &b); c.cpu_set[0] = 0x10; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_CPU);		/* not in the CPU table */
		make_cell(&c, &b); c.mem[0].phys_start = 0x7f800000; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_ROOT_MEM);	/* the hypervisor's memory */
		make_cell(&c, &b); c.mem[0].phys_start = 0x77f00000; c.mem[0].size = 0x200000;
		seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_ROOT_MEM);	/* across two root regions */
		make_cell(&c, &b); c.mem[0].flags |= HVCFG_MEM_IO; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_ROOT_MEM);	/* I/O in root RAM */
		make_cell(&c, &b); c.mem[0].phys_start = 0x7f700000; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_OK);		/* the last MiB of root RAM */
		b.mem[2].flags |= HVCFG_MEM_CELL_POOL; seal(&b); make_cell(&c, &b);
		CHECK(run_cell(&b, &c) == CFG_OK);		/* RAM from the pool */
		c.mem[0].phys_start = 0x77f00000; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_POOL);		/* root RAM outside the pool */
		c.mem[0].flags |= HVCFG_MEM_IO; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_ROOT_MEM);	/* (I/O is checked against I/O) */
		make_valid(&b); make_cell(&c, &b);
		check_cell_irqs(&b, &c);
		make_cell(&c, &b); c.mem[1].guest_start = 1ULL << 40; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_IPA);		/* comm page beyond the IPA */
		make_cell(&c, &b); c.mem[0].flags |= 1ULL << 9; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_RESERVED);	/* root-only flag */
		make_cell(&c, &b); c.cell.cell.console.type = 9; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_CONSOLE);
		make_cell(&c, &b); c.cell.cell.console.flags = 1; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_RESERVED);
		make_cell(&c, &b); c.cell.cell.flags = 0x100; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_RESERVED);
		make_cell(&c, &b); c.cell.cell.flags = HVCFG_CELL_IRQ_DIRECT; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_OK);		/* direct mode: arm64 cells */
		lim.cell_flags = 0;
		CHECK(run_cell(&b, &c) == CFG_E_IRQ_DIRECT);	/* an arch without it */
		lim = (struct cfg_limits)ARCH_CFG_LIMITS(8);
	}

	/* every result has its own errno, so the CLI can name it */
	for (n = 1; n < CFG_NUM_RESULTS; n++)
		for (m = n + 1; m < CFG_NUM_RESULTS; m++)
			CHECK(cfg_result_errno(n) != cfg_result_errno(m));

	/* no single flipped bit may pass */
	for (n = 0; n < sizeof(b) * 8; n += 7) {
		make_valid(&b);
		((unsigned char *)&b)[n / 8] ^= 1 << (n % 8);
		CHECK(run(&b, sizeof(b)) != CFG_OK);
	}
	return test_report("test_config");
}
