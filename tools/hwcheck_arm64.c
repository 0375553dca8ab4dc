// SPDX-License-Identifier: GPL-2.0
/*
 * hardware check on arm64: CPUs and the GIC from the flattened device tree Linux booted with
 * (/sys/firmware/fdt), EL2 from the kernel log ("started at EL2", VHE) and the kernel command
 * line (kvm-arm.mode), the way kmod/arch/arm64/el2.c will judge it on enable. The device tree
 * walk, the CPU ids and the firmware RAM serve ARMv7 too (hwcheck_arm.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt_edit.h"
#include "fdt_parse.h"
#include "hwcheck.h"

#define FDT_PATH	"/sys/firmware/fdt"

/* The node being walked: the properties the checks need. */
struct dt_node {
	int is_cpu, is_gic, disabled, depth;
	const uint8_t *reg, *irq;
	uint32_t reg_len, irq_len;
};

static int has_string(const struct token *t, const char *s)
{
	uint32_t off = 0, n;

	while (off < t->len) {
		n = strnlen((const char *)t->val + off, t->len - off);
		if (n == strlen(s) && !memcmp(t->val + off, s, n))
			return 1;
		off += n + 1;
	}
	return 0;
}

static uint64_t cells(const uint8_t *p, uint32_t n)
{
	return n == 2 ? (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4) : fdt_be32(p);
}

static void gic_compat(struct hw_dt_facts *d, struct dt_node *n, const struct token *t)
{
	static const struct { const char *compat; int version; } gics[] = {
		{ "arm,gic-v3", 3 }, { "arm,gic-v4", 3 }, { "arm,gic-400", 2 },
		{ "arm,cortex-a15-gic", 2 }, { "arm,cortex-a9-gic", 2 }, { "arm,gic-v2", 2 },
	};
	unsigned int k;

	for (k = 0; k < sizeof(gics) / sizeof(gics[0]); k++)
		if (has_string(t, gics[k].compat) && !d->gic_version) {
			n->is_gic = 1;
			d->gic_version = gics[k].version;
			snprintf(d->gic_compat, sizeof(d->gic_compat), "%s", gics[k].compat);
		}
}

static void node_prop(struct hw_dt_facts *d, struct dt_node *n, const struct token *t, int depth,
		      int in_cpus)
{
	if (depth == 1 && t->len == 4 && !strcmp(t->name, "#address-cells"))
		d->root_ac = fdt_be32(t->val);
	else if (depth == 1 && t->len == 4 && !strcmp(t->name, "#size-cells"))
		d->root_sc = fdt_be32(t->val);
	else if (in_cpus && depth == 2 && t->len == 4 && !strcmp(t->name, "#address-cells"))
		d->cpus_ac = fdt_be32(t->val);
	else if (!strcmp(t->name, "device_type") && has_string(t, "cpu"))
		n->is_cpu = in_cpus && depth == 3;
	else if (!strcmp(t->name, "compatible"))
		gic_compat(d, n, t);
	else if (!strcmp(t->name, "status"))
		n->disabled = !has_string(t, "okay") && !has_string(t, "ok");
	else if (!strcmp(t->name, "reg")) {
		n->reg = t->val;
		n->reg_len = t->len;
	} else if (!strcmp(t->name, "interrupts")) {
		n->irq = t->val;
		n->irq_len = t->len;
	} else if (!strcmp(t->name, "#redistributor-regions") && t->len == 4) {
		d->redist_regions = fdt_be32(t->val);
	}
}

/* The GIC's reg entries (GICv2: GICD, GICC, GICH, GICV) and its interrupt (maintenance). */
static void gic_regs(struct hw_dt_facts *d, const struct dt_node *n, uint32_t ac, uint32_t sc)
{
	const uint8_t *p;

	for (d->gic_regs = 0; d->gic_regs < HW_GIC_REGS &&
	     n->reg_len >= 4 * (ac + sc) * (d->gic_regs + 1); d->gic_regs++) {
		p = n->reg + 4 * (ac + sc) * d->gic_regs;
		d->gic_reg[d->gic_regs][0] = cells(p, ac);
		d->gic_reg[d->gic_regs][1] = cells(p + 4 * ac, sc);
	}
	/* <type number flags>: type 1 is a PPI (INTID 16 + number), 0 an SPI (32 + number) */
	if (n->irq && n->irq_len >= 12)
		d->gic_maint_intid = fdt_be32(n->irq + 4) + (fdt_be32(n->irq) == 1 ? 16 : 32);
}

static void node_end(struct hw_dt_facts *d, const struct dt_node *n)
{
	uint32_t ac = d->root_ac, sc = d->root_sc;

	if (n->is_cpu && !n->disabled && n->reg && d->cpus_ac >= 1 && d->cpus_ac <= 2 &&
	    n->reg_len >= 4 * d->cpus_ac && d->num_cpus < HW_MAX_CPU_NODES)
		d->mpidr[d->num_cpus++] = cells(n->reg, d->cpus_ac);
	/* below a bus node, reg holds bus addresses: only the root's children are decoded */
	if (n->is_gic && n->depth == 2 && n->reg && ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2) {
		if (n->reg_len >= 4 * (ac + sc))
			d->gicd = cells(n->reg, ac);
		if (n->reg_len >= 8 * (ac + sc)) {
			d->gicr = cells(n->reg + 4 * (ac + sc), ac);
			d->gicr_size = cells(n->reg + 4 * (ac + sc) + 4 * ac, sc);
		}
		gic_regs(d, n, ac, sc);
	}
}

/* The root's children and /cpus' children: all the checks read. */
static int walk_dt(const void *blob, size_t len, struct hw_dt_facts *d, char *err, size_t errlen)
{
	struct dt_node stack[8] = { { 0 } };
	struct token t = { 0 };
	struct fdt f;
	uint32_t pos = 0;
	int depth = 0, in_cpus = 0;

	d->root_ac = 2;
	d->root_sc = 1;
	if (fdt_parse_header(&f, blob, len, err, errlen) || fdt_check_structure(&f, err, errlen))
		return -1;
	while (t.tag != FDT_END) {
		if (fdt_next_token(&f, pos, &t, err, errlen))
			return -1;
		pos = t.next;
		if (t.tag == FDT_BEGIN_NODE) {
			depth++;
			if (depth == 2)
				in_cpus = !strcmp(t.name, "cpus");
			if (depth < 8)
				stack[depth] = (struct dt_node){ .depth = depth };
		} else if (t.tag == FDT_END_NODE) {
			if (depth < 8)
				node_end(d, &stack[depth]);
			depth--;
		} else if (t.tag == FDT_PROP && depth < 8) {
			node_prop(d, &stack[depth], &t, depth, in_cpus);
		}
	}
	return 0;
}

int hw_read_dt(struct hw_ctx *c, struct hw_dt_facts *d)
{
	char err[160];
	size_t len;
	void *blob;
	int ret = 0;

	memset(d, 0, sizeof(*d));
	blob = hw_read(c, FDT_PATH, &len);
	if (!blob)
		return -1;
	if (walk_dt(blob, len, d, err, sizeof(err))) {
		hw_line(c, HW_WARN, "device tree", "%s%s: %s", c->root, FDT_PATH, err);
		ret = -2;
	}
	free(blob);
	return ret;
}

int hw_read_dt_checked(struct hw_ctx *c, struct hw_dt_facts *d)
{
	int ret = hw_read_dt(c, d);

	if (ret == -1)
		hw_line(c, HW_WARN, "interrupt controller", "%s%s unreadable: run as root",
			c->root, FDT_PATH);
	return ret;
}

void hw_check_cpus(struct hw_ctx *c)
{
	char list[128] = "", model[64] = "", part[32] = "";
	int online = hw_cpu_count(c, "/sys/devices/system/cpu/online", list, sizeof(list));

	hw_cpuinfo(c, "CPU implementer", model, sizeof(model));
	hw_cpuinfo(c, "CPU part", part, sizeof(part));
	if (online < 0) {
		hw_line(c, HW_WARN, "CPUs", "/sys/devices/system/cpu/online unreadable");
		return;
	}
	hw_line(c, HW_OK, "CPUs", "%d online (%s)%s%s%s%s", online, list,
		model[0] ? ", implementer " : "", model, part[0] ? " part " : "", part);
}

static void check_gic(struct hw_ctx *c, const struct hw_dt_facts *d)
{
	if (!d->gic_version) {
		hw_line(c, HW_FAIL, "interrupt controller", "no GIC in the device tree");
		return;
	}
	if (d->gic_version == 2) {
		hw_line(c, HW_FAIL, "interrupt controller", "GICv2 (%s) at 0x%llx: the hypervisor "
			"drives GICv3 only", d->gic_compat, (unsigned long long)d->gicd);
		hw_hint("QEMU: -M virt,gic-version=3");
		return;
	}
	if (!d->gicd) {
		hw_line(c, HW_OK, "interrupt controller", "GICv3 (%s), below a bus node",
			d->gic_compat);
		return;
	}
	hw_line(c, HW_OK, "interrupt controller", "GICv3 (%s): distributor 0x%llx, "
		"redistributors 0x%llx+0x%llx (%u region%s, room for %llu CPUs)", d->gic_compat,
		(unsigned long long)d->gicd, (unsigned long long)d->gicr,
		(unsigned long long)d->gicr_size, d->redist_regions ? d->redist_regions : 1,
		d->redist_regions > 1 ? "s" : "", (unsigned long long)d->gicr_size / 0x20000);
}

/* The configuration's GIC is the machine's: enable programs the one the config names. */
static void check_gic_config(struct hw_ctx *c, const struct hw_dt_facts *d)
{
	const struct hvcfg_system *sys = c->blob;
	const struct hvcfg_arm_platform *p;

	if (!sys || !c->blob_valid || !d->gicd)
		return;
	p = (const void *)sys->platform.arch;
	if (p->gic_version != d->gic_version || p->gicd_base != d->gicd ||
	    (d->gic_version == 3 && p->gicr_base != d->gicr)) {
		hw_line(c, HW_FAIL, "GIC of the configuration", "GICv%u, distributor 0x%llx, "
			"redistributors 0x%llx; the machine has GICv%d at 0x%llx, 0x%llx",
			p->gic_version, (unsigned long long)p->gicd_base,
			(unsigned long long)p->gicr_base, d->gic_version,
			(unsigned long long)d->gicd, (unsigned long long)d->gicr);
		hw_hint("the configuration is another board's: configgen create / import for "
			"this one");
		return;
	}
	hw_line(c, HW_OK, "GIC of the configuration", "matches the device tree");
}

static int klog_has(const struct hw_ctx *c, const char *s)
{
	return c->klog && strstr(c->klog, s);
}

/* EL2 as Linux reports it: where the CPUs started, VHE, and whether KVM took EL2. */
static void check_el2(struct hw_ctx *c)
{
	int kvm = hw_exists(c, "/dev/kvm") || klog_has(c, "mode initialized successfully");
	char mode[32] = "";
	int none = hw_cmdline_value(c, "kvm-arm.mode", mode, sizeof(mode)) && !strcmp(mode, "none");

	if (klog_has(c, "started at EL1")) {
		hw_line(c, HW_FAIL, "EL2", "the kernel was started at EL1: the firmware gives no "
			"EL2 (or the CPU has none)");
		hw_hint("QEMU: -M virt,virtualization=on; on boards, the boot loader must enter "
			"Linux at EL2");
	} else if (klog_has(c, "Virtualization Host Extensions")) {
		hw_line(c, HW_FAIL, "EL2", "the kernel runs at EL2 itself (VHE)");
		hw_hint("boot with id_aa64mmfr1.vh=0 kvm-arm.mode=none (nVHE, EL2 left to the "
			"hyp stub)");
	} else if (kvm && !none) {
		hw_line(c, HW_FAIL, "EL2", "KVM owns EL2 (%s%s)", mode[0] ? "kvm-arm.mode=" :
			"no kvm-arm.mode=none", mode);
		hw_hint("boot with kvm-arm.mode=none");
	} else if (klog_has(c, "started at EL2")) {
		hw_line(c, HW_OK, "EL2", "the kernel was started at EL2 and runs at EL1 (nVHE); "
			"KVM is off%s", none ? " (kvm-arm.mode=none)" : "");
	} else if (klog_has(c, "inconsistent modes")) {
		hw_line(c, HW_FAIL, "EL2", "the CPUs started in different exception levels");
	} else {
		hw_line(c, c->live ? HW_WARN : HW_SKIP, "EL2", "unknown: the kernel log (%s) does "
			"not say where the CPUs started%s",
			c->live ? "dmesg" : "dmesg of the snapshot",
			none ? "; kvm-arm.mode=none is set" : "");
		hw_hint("run as root, or load the module: its probe decides");
	}
}

void hw_check_arm64(struct hw_ctx *c)
{
	struct hw_dt_facts d;

	hw_check_cpus(c);
	if (!hw_read_dt_checked(c, &d)) {
		check_gic(c, &d);
		check_gic_config(c, &d);
	}
	check_el2(c);
}

int hw_cpu_ids_arm64(struct hw_ctx *c, uint64_t *ids, unsigned int max)
{
	struct hw_dt_facts d;
	unsigned int n;

	if (hw_read_dt(c, &d))
		return -1;
	for (n = 0; n < d.num_cpus && n < max; n++)
		ids[n] = d.mpidr[n] & HVCFG_ARM_MPIDR_MASK;
	return n;
}

int hw_firmware_ram_arm64(struct hw_ctx *c, struct hw_range *r, unsigned int max)
{
	struct fdt_range fr[FDT_MAX_RANGES];
	unsigned int n, k;
	char err[160];
	size_t len;
	void *blob = hw_read(c, FDT_PATH, &len);
	int ret = -1;

	if (blob && !fdt_memory(blob, len, fr, FDT_MAX_RANGES, &n, err, sizeof(err))) {
		for (k = 0; k < n && k < max; k++)
			r[k] = (struct hw_range){ fr[k].start, fr[k].start + fr[k].size - 1 };
		ret = k;
	}
	free(blob);
	return ret;
}
