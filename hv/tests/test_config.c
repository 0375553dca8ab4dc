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
#include "../arch/arm64/include/asm/cfg_limits.h"

#include "blobs.h"

static struct cfg_limits lim = ARCH_CFG_LIMITS(8);

static enum cfg_result run_cell(const struct blob *b, const struct cell_blob *c)
{
	struct cfg_status st;
	int err = cfg_check_cell_in_system(b, sizeof(*b), c, sizeof(*c), &lim, &st);

	CHECK((err == 0) == (st.code == CFG_OK));
	CHECK(err == cfg_result_errno(st.code));
	return st.code;
}

static enum cfg_result run(struct blob *b, size_t len)
{
	struct cfg_status st;
	int err = cfg_check_system(b, len, &lim, &st);

	CHECK((err == 0) == (st.code == CFG_OK));
	CHECK(err == cfg_result_errno(st.code));
	return st.code;
}

int main(void)
{
	struct blob b;
	unsigned int n, m;

	make_valid(&b);
	CHECK(run(&b, sizeof(b)) == CFG_OK);
	/* zlib's check value for "123456789" */
	CHECK(cfg_crc32("123456789", 9, ~(size_t)0 - 8) == 0xcbf43926);

	CHECK(run(&b, 8) == CFG_E_TRUNCATED);
	CHECK(run(&b, sizeof(b) - 8) == CFG_E_TRUNCATED);
	make_valid(&b); b.sys.header.magic ^= 1;
	CHECK(run(&b, sizeof(b)) == CFG_E_MAGIC);
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
	make_valid(&b); b.cpus[1].mpidr = 0; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_CPU);
	make_valid(&b); b.cpu_set[0] = 0x1f; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_CPU);
	make_valid(&b); b.sys.platform.gic_version = 2; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_PLATFORM);
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
	make_valid(&b); b.sys.platform.padding0[2] = 1; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);
	make_valid(&b); b.sys.debug_console.flags = 1; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);
	make_valid(&b); b.sys.root_cell.console.flags = 0xd000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);	/* the root's console like any cell's */
	make_valid(&b); b.sys.root_cell.console.type = 7; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_CONSOLE);
	make_valid(&b); b.sys.root_cell.flags = 0x10; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_RESERVED);	/* unknown cell flag */
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
	CHECK(run(&b, sizeof(b)) == CFG_E_EL2_VA);	/* the EL2 mapping window */
	make_valid(&b); b.sys.hypervisor_mem_base = 512ULL << 30; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_EL2_VA);	/* beyond the 39-bit EL2 VA */
	make_valid(&b); b.sys.platform.gicd_base = 1ULL << 39; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_EL2_VA);
	make_valid(&b); b.sys.platform.gicr_base = (511ULL << 30) + 0x100000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_EL2_VA);
	make_valid(&b); b.sys.platform.its_base = 1ULL << 40; b.sys.platform.its_size = 0x20000;
	seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_EL2_VA);
	make_valid(&b); b.sys.debug_console.base = 1ULL << 39; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_EL2_VA);
	make_valid(&b); b.sys.debug_console.type = HVCFG_CONSOLE_NONE;
	b.sys.debug_console.base = 1ULL << 39; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_OK);		/* no console: not mapped */
	make_valid(&b); b.sys.debug_console.base = 0x7fa00000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_MEM);	/* a device over the hypervisor */
	make_valid(&b); b.sys.platform.gicd_base = 0x7f800000; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_MEM);
	make_valid(&b); b.mem[1].phys_start = b.mem[1].guest_start = 1ULL << 40; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_IPA);		/* root RAM beyond the 40-bit IPA */
	make_valid(&b); b.mem[1].phys_start = b.mem[1].guest_start = (1ULL << 40) - 0x38000000;
	seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_OK);		/* ... up to its very end is fine */
	make_valid(&b); b.sys.root_cell.irq_bitmap[0] |= 1ULL << 27; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_PLATFORM);	/* a PPI for the root */
	make_valid(&b); b.sys.root_cell.irq_bitmap[4] |= 1ULL << 44; seal(&b);
	CHECK(run(&b, sizeof(b)) == CFG_E_PLATFORM);	/* INTID 300, beyond gic_lines 288 */
	/* the limits are data: a zero limit refuses, it does not disable the check */
	make_valid(&b); lim.ipa_limit = 0;
	CHECK(run(&b, sizeof(b)) == CFG_E_IPA);
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8); lim.hv_mem_align = 0;
	CHECK(run(&b, sizeof(b)) == CFG_E_HV_MEM);
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8); lim.el2_va_limit = 0x7f800000;
	CHECK(run(&b, sizeof(b)) == CFG_E_EL2_VA);
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
		make_cell(&c, &b); c.cell.cell.irq_bitmap[4] = 1ULL << 32; seal_cell(&c);
		CHECK(run_cell(&b, &c) == CFG_E_ROOT_IRQ);	/* INTID 288: not the root's */
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
