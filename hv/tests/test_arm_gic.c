// SPDX-License-Identifier: GPL-2.0
/*
 * The pure parts of ARMv7's GICv2 on the host: the list-register encoding and the GICH backend
 * of the shared engine (over a fake GICH page), GICD_SGIR target filtering, GICD_ITARGETSR
 * translation, and the register ownership of the distributor both GIC versions share
 * (arch/arm-common/gic_dist.c) over a fake distributor.
 */
#include <hv.h>
#include <stdarg.h>
#include <string.h>
#include "test.h"
#include <asm/vgic.h>
#include "../arch/arm-common/gic_dist.c"

struct hv_system hv;
u8 *gic_gicd, *gic_gicc, *gic_gich;
static u32 fake_gich[0x200 / 4], fake_gicc[0x2000 / 4], fake_gicd[0x1000 / 4];
static char last_warning[256];
static unsigned int warnings;

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	va_end(ap);
}

bool guest_warn_ok(struct cell *cell)
{
	warnings++;
	return true;
}

bool gic_reserved_private(unsigned int irq)
{
	return irq == 15 || irq == 25;	/* SGI_EVENT, QEMU's maintenance PPI */
}

static unsigned int root_enable_calls;

void gic_note_root_enable(u64 off, u32 value, unsigned int first)
{
	root_enable_calls++;
}

static void test_lr_encoding(void)
{
	struct vgic_lr lr = { .intid = 33, .pintid = 33, .priority = 0xa0, .group = 1,
			      .state = VGIC_LR_PENDING, .hw = true }, back;
	u64 val = gic_backend_lr_encode(&lr);

	/* HW, pending, priority 0xa0 >> 3 in bits 27:23, physical ID in 19:10, Group 0 */
	CHECK(val == (0x80000000u | 1u << 28 | 0x14u << 23 | 33u << 10 | 33));
	gic_backend_lr_decode(val, &back);
	CHECK(back.intid == 33 && back.pintid == 33 && back.hw && !back.eoi);
	CHECK(back.priority == 0xa0 && back.state == VGIC_LR_PENDING && back.group == 0);
	/* a virtual SGI asking for EOI maintenance: bit 19, no physical ID */
	lr = (struct vgic_lr){ .intid = 3, .priority = 0xa7, .state = VGIC_LR_ACTIVE, .eoi = true };
	val = gic_backend_lr_encode(&lr);
	CHECK(val == (1u << 19 | 2u << 28 | 0x14u << 23 | 3));
	gic_backend_lr_decode(val, &back);
	CHECK(back.intid == 3 && !back.hw && back.eoi && back.pintid == 0);
	CHECK(back.state == VGIC_LR_ACTIVE && back.priority == 0xa0);
	/* with HW, bit 19 is the top bit of the physical ID, not an EOI request */
	lr = (struct vgic_lr){ .intid = 1019, .pintid = 1019, .hw = true, .eoi = true,
			       .state = VGIC_LR_PENDING | VGIC_LR_ACTIVE };
	gic_backend_lr_decode(gic_backend_lr_encode(&lr), &back);
	CHECK(back.pintid == 1019 && back.intid == 1019 && !back.eoi && back.state == 3);
	/* out-of-range INTIDs cannot spill into other fields */
	lr = (struct vgic_lr){ .intid = 0xffff, .state = VGIC_LR_PENDING };
	CHECK((gic_backend_lr_encode(&lr) & ~0x3ffULL) == 1u << 28);
}

static void test_backend(void)
{
	gic_gich = (u8 *)fake_gich;
	gic_gicc = (u8 *)fake_gicc;
	fake_gich[GICH_VTR / 4] = 0x90000003;	/* QEMU's: 4 list registers */
	CHECK(gic_backend_num_lrs() == 4);
	gic_backend_write_lr(2, 0x1234567890ULL);
	CHECK(fake_gich[(GICH_LR0 + 8) / 4] == 0x34567890 && gic_backend_read_lr(2) == 0x34567890);
	fake_gich[GICH_ELRSR0 / 4] = 0xb;
	fake_gich[GICH_EISR0 / 4] = 0x4;
	CHECK(gic_backend_empty_lrs() == 0xb && gic_backend_eoi_lrs() == 0x4);
	gic_backend_set_underflow(true);
	CHECK(fake_gich[GICH_HCR / 4] == (GICH_HCR_EN | GICH_HCR_UIE));
	gic_backend_set_underflow(false);
	CHECK(fake_gich[GICH_HCR / 4] == GICH_HCR_EN);
	gic_backend_deactivate(40);
	CHECK(fake_gicc[GICC_DIR / 4] == 40);
}

static void test_sgir(void)
{
	/* sender on interface 0x4, cell = interfaces 0x4 | 0x8 */
	CHECK(gic_sgir_targets(0x00080001, 0x4, 0xc) == 0x8);		/* list: its own CPU */
	CHECK(gic_sgir_targets(0x00030001, 0x4, 0xc) == 0);		/* list: root CPUs */
	CHECK(gic_sgir_targets(0x00ff0001, 0x4, 0xc) == 0xc);		/* list: everyone */
	CHECK(gic_sgir_targets(0x01000001, 0x4, 0xc) == 0x8);		/* all but self */
	CHECK(gic_sgir_targets(0x01ff0001, 0x4, 0x4) == 0);		/* ... alone in the cell */
	CHECK(gic_sgir_targets(0x02000001, 0x4, 0xc) == 0x4);		/* self */
	CHECK(gic_sgir_targets(0x03ff0001, 0x4, 0xc) == 0);		/* reserved filter */
	CHECK(SGIR_INTID(0x0008800f) == 15 && SGIR_TARGETS(0x0008800f) == 8);
}

static void test_itargets(void)
{
	u32 refused;

	/* bytes 0 and 2 owned, cell = interfaces 0xc, old routing 0x01 everywhere */
	CHECK(gic_itargets_filter(0x08080808, 0x01010101, 4, 0x5, 0xc, &refused) == 0x01080108 &&
	      !refused);
	/* byte 0 asks for a root CPU too: cut to the cell's; byte 2 only the root's: kept */
	CHECK(gic_itargets_filter(0x00010009, 0x01010101, 4, 0x5, 0xc, &refused) == 0x01010108 &&
	      refused == 0x5);
	/* byte access */
	CHECK(gic_itargets_filter(0x04, 0x08, 1, 0x1, 0xc, &refused) == 0x04 && !refused);
	CHECK(gic_itargets_filter(0x00, 0x08, 1, 0x1, 0xc, &refused) == 0x08 && refused == 1);
	CHECK(gic_itargets_filter(0xff, 0x01, 1, 0x0, 0xc, &refused) == 0x01 && !refused);
}

static struct mmio_access acc(u64 off, unsigned int size, bool write, u64 value)
{
	return (struct mmio_access){ .addr = off, .size = size, .write = write, .value = value };
}

static void test_ownership(void)
{
	struct hvcfg_cell_desc desc = { .name = "cell" };
	struct cell cell = { .id = 1, .desc = &desc };
	struct mmio_access a;
	u8 *gicd = (u8 *)fake_gicd;

	cell.irq_bitmap[0] = 1ULL << 34;		/* SPI 34 only */
	fake_gicd[GICD_ISENABLER / 4 + 1] = 0xffffffff;
	a = acc(GICD_ISENABLER + 4, 4, false, 0);
	CHECK(gic_irq_reg_access(&cell, gicd, a.addr, &a, "GICD", true) == MMIO_HANDLED);
	CHECK(a.value == 1u << 2);
	/* banked private registers: all but SGI 15 and the maintenance PPI 25 */
	fake_gicd[GICD_ISENABLER / 4] = 0xffffffff;
	a = acc(GICD_ISENABLER, 4, false, 0);
	gic_irq_reg_access(&cell, gicd, a.addr, &a, "GICD", true);
	CHECK(a.value == (0xffffffffu & ~(1u << 15) & ~(1u << 25)));
	/* not banked (GICv3's GICD): interrupts 0-31 are nobody's there */
	a = acc(GICD_ISENABLER, 4, false, 0);
	gic_irq_reg_access(&cell, gicd, a.addr, &a, "GICD", false);
	CHECK(a.value == 0);
	/* a clear-enable write reaches only the owned bit */
	fake_gicd[GICD_ICENABLER / 4 + 1] = 0;
	warnings = 0;
	a = acc(GICD_ICENABLER + 4, 4, true, 0xffffffff);
	gic_irq_reg_access(&cell, gicd, a.addr, &a, "GICD", true);
	CHECK(fake_gicd[GICD_ICENABLER / 4 + 1] == 1u << 2 && warnings == 0);
	/* setting others' pending bits is refused, with a warning */
	a = acc(GICD_ISPENDR + 4, 4, true, 0x3);
	gic_irq_reg_access(&cell, gicd, a.addr, &a, "GICD", true);
	CHECK(fake_gicd[GICD_ISPENDR / 4 + 1] == 0 && warnings == 1);
	CHECK(strstr(last_warning, "touches interrupts 32-63 it does not own") != NULL);
	/* priorities: bytes of others kept, the cell's clamped to GIC_PRIO_CELL_MIN */
	fake_gicd[(GICD_IPRIORITYR + 32) / 4] = 0xa0a0a0a0;
	a = acc(GICD_IPRIORITYR + 32, 4, true, 0x00000000);
	gic_irq_reg_access(&cell, gicd, a.addr, &a, "GICD", true);
	CHECK(fake_gicd[(GICD_IPRIORITYR + 32) / 4] == 0xa080a0a0);
	a = acc(GICD_IPRIORITYR + 34, 1, true, 0xc8);
	gic_irq_reg_access(&cell, gicd, a.addr, &a, "GICD", true);
	CHECK(((u8 *)fake_gicd)[GICD_IPRIORITYR + 34] == 0xc8);
	/* the hypervisor's SGI priority byte cannot be changed, not even by the root */
	((u8 *)fake_gicd)[GICD_IPRIORITYR + 15] = 0x00;
	a = acc(GICD_IPRIORITYR + 12, 4, true, 0xf0f0f0f0);
	gic_irq_reg_access(&hv.root, gicd, a.addr, &a, "GICD", true);
	CHECK(((u8 *)fake_gicd)[GICD_IPRIORITYR + 15] == 0x00 &&
	      ((u8 *)fake_gicd)[GICD_IPRIORITYR + 12] == 0xf0);
	/* trigger configuration: 2 bits, SPI 34 is bits 5:4 of ICFGR2 */
	fake_gicd[(GICD_ICFGR + 8) / 4] = 0;
	a = acc(GICD_ICFGR + 8, 4, true, 0xffffffff);
	gic_irq_reg_access(&cell, gicd, a.addr, &a, "GICD", true);
	CHECK(fake_gicd[(GICD_ICFGR + 8) / 4] == 0x30);
	/* outside the per-interrupt registers: not this unit's */
	a = acc(GICD_SGIR, 4, true, 0);
	CHECK(gic_irq_reg_access(&cell, gicd, a.addr, &a, "GICD", true) == MMIO_UNHANDLED);
	/* the root's enables of SPIs it lent are noted, not applied */
	root_enable_calls = 0;
	a = acc(GICD_ISENABLER + 4, 4, true, 0x4);
	gic_irq_reg_access(&hv.root, gicd, a.addr, &a, "GICD", true);
	CHECK(root_enable_calls == 1);
}

int main(void)
{
	hv.root.desc = &(struct hvcfg_cell_desc){ .name = "root" };
	test_lr_encoding();
	test_backend();
	test_sgir();
	test_itargets();
	test_ownership();
	return test_report("test_arm_gic");
}
