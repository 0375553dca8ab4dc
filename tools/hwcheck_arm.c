// SPDX-License-Identifier: GPL-2.0
/*
 * hardware check on ARMv7: LPAE from /proc/cpuinfo (the CPU's ID registers are not readable
 * from user space; every CPU with the Virtualization Extensions has LPAE), a GICv2 with its
 * virtualization interfaces (GICH, GICV) and maintenance interrupt from the device tree, and
 * HYP mode from the kernel log ("started in HYP mode"), the way kmod/arch/arm/hyp.c will judge
 * it on enable.
 */
#include <stdio.h>
#include <string.h>

#include "hwcheck.h"

enum { GICD, GICC, GICH, GICV };

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = strstr(list, word); p; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ' || p[n] == '\n'))
			return 1;
	return 0;
}

static void check_lpae(struct hw_ctx *c)
{
	char arch[16] = "", features[512] = "";

	hw_cpuinfo(c, "CPU architecture", arch, sizeof(arch));
	if (!hw_cpuinfo(c, "Features", features, sizeof(features))) {
		hw_line(c, HW_WARN, "LPAE", "/proc/cpuinfo has no Features line");
		return;
	}
	if (!has_word(features, "lpae")) {
		hw_line(c, HW_FAIL, "LPAE", "the CPU has no Large Physical Address Extension, so no "
			"Virtualization Extensions either (CPU architecture %s)", arch);
		hw_hint("HYP mode needs a Cortex-A7, A15 or A17 class CPU; QEMU: -cpu cortex-a15");
		return;
	}
	hw_line(c, HW_OK, "LPAE", "ARMv7 CPU with LPAE (CPU architecture %s)", arch);
}

static void check_gic(struct hw_ctx *c, const struct hw_dt_facts *d)
{
	const uint64_t (*r)[2] = d->gic_reg;

	if (!d->gic_version) {
		hw_line(c, HW_FAIL, "interrupt controller", "no GIC in the device tree");
		return;
	}
	if (d->gic_version != 2) {
		hw_line(c, HW_FAIL, "interrupt controller", "GICv%d (%s): the ARMv7 hypervisor "
			"drives GICv2 only", d->gic_version, d->gic_compat);
		hw_hint("QEMU: -M virt,gic-version=2");
		return;
	}
	if (d->gic_regs < 4 || !d->gic_maint_intid) {
		hw_line(c, HW_FAIL, "interrupt controller", "GICv2 (%s) without its virtualization "
			"interfaces (GICH, GICV) or maintenance interrupt in the device tree",
			d->gic_compat);
		hw_hint("QEMU: -M virt,virtualization=on");
		return;
	}
	hw_line(c, HW_OK, "interrupt controller", "GICv2 (%s): GICD 0x%llx, GICC 0x%llx, "
		"GICH 0x%llx, GICV 0x%llx, maintenance interrupt INTID %u", d->gic_compat,
		(unsigned long long)r[GICD][0], (unsigned long long)r[GICC][0],
		(unsigned long long)r[GICH][0], (unsigned long long)r[GICV][0], d->gic_maint_intid);
}

/* The configuration's GIC is the machine's: enable programs the one the config names. */
static void check_gic_config(struct hw_ctx *c, const struct hw_dt_facts *d)
{
	const struct hvcfg_system *sys = c->blob;
	const struct hvcfg_arm_platform *p;

	if (!sys || !c->blob_valid || d->gic_version != 2 || d->gic_regs < 4)
		return;
	p = (const void *)sys->platform.arch;
	if (p->gic_version != 2 || p->gicd_base != d->gic_reg[GICD][0] ||
	    p->gicc_base != d->gic_reg[GICC][0] || p->gich_base != d->gic_reg[GICH][0] ||
	    p->gicv_base != d->gic_reg[GICV][0]) {
		hw_line(c, HW_FAIL, "GIC of the configuration", "GICv%u, GICD 0x%llx, GICC 0x%llx, "
			"GICH 0x%llx, GICV 0x%llx: not the device tree's", p->gic_version,
			(unsigned long long)p->gicd_base, (unsigned long long)p->gicc_base,
			(unsigned long long)p->gich_base, (unsigned long long)p->gicv_base);
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

/* HYP mode as Linux reports it (arch/arm/kernel/setup.c, hyp_mode_check()). */
static void check_hyp(struct hw_ctx *c)
{
	if (klog_has(c, "All CPU(s) started in HYP mode")) {
		hw_line(c, HW_OK, "HYP mode", "all CPUs started in HYP mode, the kernel left its hyp "
			"stub there%s", hw_exists(c, "/dev/kvm") ? "" : " (no KVM)");
	} else if (klog_has(c, "All CPU(s) started in SVC mode")) {
		hw_line(c, HW_FAIL, "HYP mode", "the kernel was started in SVC mode: no hyp stub, "
			"no HYP mode to take over");
		hw_hint("QEMU: -M virt,virtualization=on; on boards, the boot loader must enter "
			"Linux in HYP mode (non-secure)");
	} else if (klog_has(c, "wrong/inconsistent modes")) {
		hw_line(c, HW_FAIL, "HYP mode", "the CPUs started in different modes");
		hw_hint("fix the boot loader or firmware so that every CPU starts in HYP mode");
	} else {
		hw_line(c, c->live ? HW_WARN : HW_SKIP, "HYP mode", "unknown: the kernel log (%s) "
			"does not say how the CPUs started", c->live ? "dmesg" : "dmesg of the snapshot");
		hw_hint("run as root, or load the module: its probe decides");
	}
}

void hw_check_arm32(struct hw_ctx *c)
{
	struct hw_dt_facts d;

	hw_check_cpus(c);
	check_lpae(c);
	if (!hw_read_dt_checked(c, &d)) {
		check_gic(c, &d);
		check_gic_config(c, &d);
	}
	check_hyp(c);
}
