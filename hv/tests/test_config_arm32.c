// SPDX-License-Identifier: GPL-2.0
/*
 * The arm validator with the ARMv7 limits: a GICv2 system (GICD, GICC, GICH, GICV, MPIDR
 * Aff2..Aff0) passes, a GICv3 is unsupported, each GICv2 damage is refused, root regions keep
 * off the GIC interfaces, cells stay inside the 40-bit IPA space.
 */
#include <stdlib.h>
#include <string.h>
#include "config_check.h"
#include "test.h"
#include "../core/config_check.c"
#include "../core/config_cross.c"
#include "../core/sha256.c"
#include "../arch/arm-common/config_check_arm.c"

#include "blobs.h"
/* blobs.h brings arm64's limits; these are ARMv7's */
#undef ARCH_CFG_LIMITS
#include "../arch/arm/include/asm/cfg_limits.h"

#define GICC_BASE	0x8010000ULL
#define GICH_BASE	0x8030000ULL
#define GICV_BASE	0x8040000ULL

static struct cfg_limits lim = ARCH_CFG_LIMITS(8);

static enum cfg_result run(struct blob *b)
{
	struct cfg_status st;
	int err = cfg_check_system(b, sizeof(*b), &lim, &st);

	CHECK((err == 0) == (st.code == CFG_OK));
	return st.code;
}

/* blobs.h's arm64 system made ARMv7: the GICv2 of QEMU virt, no redistributors. */
static void make_armv7(struct blob *b)
{
	struct hvcfg_arm_platform *p;

	make_valid(b);
	p = arm(b);
	b->sys.header.arch = HVCFG_ARCH_ARM32;
	p->gic_version = HVCFG_GIC_V2;
	p->gicr_base = p->gicr_size = p->gicr_stride = 0;
	p->gicc_base = GICC_BASE;
	p->gicc_size = 0x10000;
	p->gich_base = GICH_BASE;
	p->gich_size = 0x10000;
	p->gicv_base = GICV_BASE;
	p->gicv_size = 0x10000;
	seal(b);
}

static enum cfg_result with(struct blob *b, hvcfg_u64 *field, hvcfg_u64 value)
{
	*field = value;
	seal(b);
	return run(b);
}

static void check_gicv2(struct blob *b)
{
	make_armv7(b); arm(b)->gic_version = HVCFG_GIC_V3; seal(b);
	CHECK(run(b) == CFG_E_UNSUPPORTED);
	make_armv7(b); arm(b)->gic_version = 4; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_armv7(b); arm(b)->gich_size = 0;
	CHECK(with(b, &arm(b)->gich_base, 0) == CFG_E_PLATFORM);
	make_armv7(b);
	CHECK(with(b, &arm(b)->gicc_size, 0x1000) == CFG_E_PLATFORM);	/* GICC_DIR's page missing */
	make_armv7(b);
	CHECK(with(b, &arm(b)->gicv_size, 0x1000) == CFG_E_PLATFORM);
	make_armv7(b);
	CHECK(with(b, &arm(b)->gicv_base, GICC_BASE) == CFG_E_PLATFORM);	/* the real interface */
	make_armv7(b);
	CHECK(with(b, &arm(b)->gich_base, GICD_BASE + 0x1000) == CFG_E_PLATFORM);
	make_armv7(b);
	CHECK(with(b, &arm(b)->gicc_base, GICC_BASE + 0x800) == CFG_E_PLATFORM);
	make_armv7(b);
	CHECK(with(b, &arm(b)->gicr_base, 0x80a0000) == CFG_E_PLATFORM);
	make_armv7(b);
	CHECK(with(b, &arm(b)->its_size, 0x20000) == CFG_E_PLATFORM);
	make_armv7(b); arm(b)->gicr_stride = 0x20000; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_armv7(b); arm(b)->maintenance_irq = 40; seal(b);
	CHECK(run(b) == CFG_E_PLATFORM);
	make_armv7(b);	/* 1:1 in the hypervisor's 32-bit space, below its window */
	CHECK(with(b, &arm(b)->gicv_base, 0x100000000ULL) == CFG_E_HV_VA);
	make_armv7(b);
	CHECK(with(b, &arm(b)->gicd_base, 0xffe00000ULL) == CFG_E_HV_VA);
	make_armv7(b);
	CHECK(with(b, &arm(b)->gich_base, 0x7f800000ULL) == CFG_E_HV_MEM);
}

static void check_cpus_and_regions(struct blob *b)
{
	make_armv7(b); b->cpus[3].hw_id = 0x1000000; seal(b);	/* no Aff3 in a 32-bit MPIDR */
	CHECK(run(b) == CFG_E_CPU);
	make_armv7(b); b->cpus[3].hw_id = 0x100000003ULL; seal(b);
	CHECK(run(b) == CFG_E_CPU);
	make_armv7(b); b->cpus[3].hw_id = 0x10203; seal(b);	/* Aff2..Aff0 are fine */
	CHECK(run(b) == CFG_OK);
	/* the root's I/O region moved onto each GIC interface */
	make_armv7(b);
	CHECK(with(b, &b->mem[0].phys_start, GICC_BASE) == CFG_E_REGION);
	make_armv7(b);
	CHECK(with(b, &b->mem[0].phys_start, GICH_BASE) == CFG_E_REGION);
	make_armv7(b);
	CHECK(with(b, &b->mem[0].phys_start, GICV_BASE) == CFG_E_REGION);
}

static void check_cell(struct blob *b)
{
	struct cell_blob c;
	struct cfg_status st;

	make_armv7(b);
	make_cell(&c, b);
	c.cell.header.arch = HVCFG_ARCH_ARM32;
	seal_cell(&c);
	CHECK(cfg_check_cell_in_system(b, sizeof(*b), &c, sizeof(c), &lim, &st) == 0);
	c.mem[0].guest_start = (1ULL << ARM32_IPA_BITS) - 0x1000;	/* past the 40-bit IPA space */
	seal_cell(&c);
	cfg_check_cell(&c, sizeof(c), &lim, 4, &st);
	CHECK(st.code == CFG_E_IPA);
	make_cell(&c, b);	/* an arm64 cell for an ARMv7 hypervisor */
	cfg_check_cell(&c, sizeof(c), &lim, 4, &st);
	CHECK(st.code == CFG_E_ARCH);
}

int main(void)
{
	struct blob b;

	make_armv7(&b);
	CHECK(run(&b) == CFG_OK);
	make_valid(&b);	/* arm64's blob: another architecture */
	CHECK(run(&b) == CFG_E_ARCH);
	check_gicv2(&b);
	check_cpus_and_regions(&b);
	check_cell(&b);
	return test_report("test_config_arm32");
}
