// SPDX-License-Identifier: GPL-2.0
/* The system blob validator: a valid blob passes, each kind of damage gets its own answer. */
#include <stdlib.h>
#include <string.h>
#include "config_check.h"
#include "test.h"
#include "../core/config_check.c"

#define NUM_REGIONS 3

struct blob {
	struct hvcfg_system sys;
	struct hvcfg_cpu cpus[4];
	uint64_t cpu_set[1];
	struct hvcfg_memory_region mem[NUM_REGIONS];
};

static const struct cfg_limits lim = { .arch = HVCFG_ARCH_ARM64, .max_cpus = 8 };

static void seal(struct blob *b)
{
	b->sys.header.crc32 = cfg_crc32(b, b->sys.header.total_size, 12);
}

static void make_valid(struct blob *b)
{
	struct hvcfg_system *s = &b->sys;
	unsigned int n;

	memset(b, 0, sizeof(*b));
	s->header.magic = HVCFG_MAGIC_SYSTEM;
	s->header.revision = HVCFG_REVISION;
	s->header.arch = HVCFG_ARCH_ARM64;
	s->header.total_size = sizeof(*b);
	s->num_cpus = 4;
	s->cpu_table_offset = offsetof(struct blob, cpus);
	s->hypervisor_mem_base = 0x7f800000;
	s->hypervisor_mem_size = 0x800000;
	s->debug_console = (struct hvcfg_console){ 0x9000000, 0x1000, HVCFG_CONSOLE_PL011, 0 };
	s->platform.gicd_base = 0x8000000;
	s->platform.gicd_size = 0x10000;
	s->platform.gicr_base = 0x80a0000;
	s->platform.gicr_size = 0xf60000;
	s->platform.gicr_stride = 0x20000;
	s->platform.gic_lines = 288;
	s->platform.maintenance_irq = 25;
	s->platform.gic_version = HVCFG_GIC_V3;
	strcpy(s->root_cell.name, "root-linux");
	s->root_cell.num_cpu_words = 1;
	s->root_cell.cpu_set_offset = offsetof(struct blob, cpu_set);
	s->root_cell.num_mem_regions = NUM_REGIONS;
	s->root_cell.mem_regions_offset = offsetof(struct blob, mem);
	for (n = 0; n < 4; n++)
		b->cpus[n].mpidr = n;
	b->cpu_set[0] = 0xf;
	b->mem[0] = (struct hvcfg_memory_region){ 0x9000000, 0x9000000, 0x1000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_IO };
	b->mem[1] = (struct hvcfg_memory_region){ 0x40000000, 0x40000000, 0x38000000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE };
	b->mem[2] = (struct hvcfg_memory_region){ 0x78000000, 0x78000000, 0x7800000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE };
	seal(b);
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
