// SPDX-License-Identifier: GPL-2.0
/*
 * hardware check against a system configuration: the blob passes the validator the driver
 * runs, its CPUs are the machine's online CPUs, its hypervisor memory is RAM (per the
 * firmware) that Linux does not use (not System RAM, however it was reserved: reserved-memory,
 * mem=, memmap=), every System RAM range is root cell memory (else Linux faults after enable),
 * and its cell pool is kept from Linux too.
 */
#include <stdio.h>
#include <string.h>

#include <asm/cfg_limits.h>	/* hv/arch/$(ARCH)/include: the limits the driver checks with */
#include "config_check.h"
#include "hwcheck.h"
#include "refusal.h"

#define MIB(x)	((unsigned long long)(x) >> 20)

static const char *arch_name(unsigned int arch)
{
	return arch == HVCFG_ARCH_ARM64 ? "arm64" : arch == HVCFG_ARCH_X86_64 ? "x86" :
	       arch == HVCFG_ARCH_ARM32 ? "arm" : "unknown";
}

static int validate(struct hw_ctx *c)
{
	const struct cfg_limits lim = ARCH_CFG_LIMITS(HVCFG_MAX_CPUS);
	const struct hvcfg_system *sys = c->blob;
	struct cfg_status st = { 0 };

	if (c->blob_size < sizeof(*sys) || sys->header.signature != HVCFG_SIGNATURE_SYSTEM) {
		hw_line(c, HW_FAIL, "system configuration", "not a system configuration (no HVSY "
			"signature)");
		hw_hint("compile it with configgen compile SYSTEM.dts; upstream Jailhouse blobs: "
			"configgen import");
		return -1;
	}
	if (sys->header.arch != c->arch) {
		hw_line(c, HW_FAIL, "system configuration", "made for %s, the machine is %s",
			arch_name(sys->header.arch), arch_name(c->arch));
		return -1;
	}
	if (lim.arch != c->arch) {
		hw_line(c, HW_SKIP, "system configuration", "this jailhouse is built for %s: it "
			"cannot validate a %s configuration", arch_name(lim.arch),
			arch_name(c->arch));
		return -1;
	}
	if (cfg_check_system(c->blob, c->blob_size, &lim, &st)) {
		hw_line(c, HW_FAIL, "system configuration", "refused by the validator: %s (0x%llx)",
			cfg_result_text(st.code), (unsigned long long)st.detail);
		hw_hint("configgen check names the source line");
		return -1;
	}
	hw_line(c, HW_OK, "system configuration", "\"%s\", valid (%u CPUs, hypervisor memory "
		"%llu MiB)", sys->root_cell.name, sys->num_cpus, MIB(sys->hypervisor_mem_size));
	return 0;
}

/* Every online CPU is in the CPU table and the root cell has exactly the online ones. */
static void check_cpus(struct hw_ctx *c)
{
	const struct hvcfg_system *sys = c->blob;
	uint64_t ids[HVCFG_MAX_CPUS];
	unsigned int k, n, root = 0, found;
	char list[128];
	int got, online;

	got = c->arch == HVCFG_ARCH_X86_64 ? hw_cpu_ids_x86(c, ids, HVCFG_MAX_CPUS) :
					     hw_cpu_ids_arm64(c, ids, HVCFG_MAX_CPUS);
	online = hw_cpu_count(c, "/sys/devices/system/cpu/online", list, sizeof(list));
	for (n = 0; n < sys->num_cpus; n++)
		root += cfg_cpu_in_set(sys, &sys->root_cell, n);
	for (k = 0; got > 0 && k < (unsigned int)got; k++) {
		for (found = 0, n = 0; n < sys->num_cpus && !found; n++)
			found = cfg_cpu_hw_id(sys, n) == ids[k];
		if (!found) {
			hw_line(c, HW_FAIL, "CPUs of the configuration", "the machine's CPU "
				"%s 0x%llx is not in the CPU table",
				c->arch == HVCFG_ARCH_X86_64 ? "APIC id" : "MPIDR",
				(unsigned long long)ids[k]);
			hw_hint("%s", hv_refusal_text(HV_R_CPU_UNKNOWN));
			return;
		}
	}
	if (online >= 0 && (unsigned int)online != root) {
		hw_line(c, HW_FAIL, "CPUs of the configuration", "the root cell has %u CPUs, "
			"%d are online (%s)", root, online, list);
		hw_hint("bring all CPUs online, or boot with as many as the configuration has");
		return;
	}
	if (got < 0)
		hw_line(c, HW_SKIP, "CPUs of the configuration", "the machine's CPU ids "
			"unreadable");
	else
		hw_line(c, HW_OK, "CPUs of the configuration", "all %d CPUs are in the CPU table, "
			"the root cell has the %u online", got, root);
}

/* iomem's System RAM, or why it cannot be read; 0 if it cannot. */
static int system_ram(struct hw_ctx *c, struct hw_range *ram, int *n)
{
	*n = hw_iomem(c, "System RAM", ram, HW_MAX_RANGES);
	if (*n == -1)
		hw_line(c, HW_SKIP, "memory", "/proc/iomem unreadable");
	else if (*n == -2)
		hw_line(c, HW_SKIP, "memory", "/proc/iomem shows only zeros: run as root");
	return *n >= 0;
}

static void check_hv_memory(struct hw_ctx *c, const struct hw_range *ram, int n)
{
	const struct hvcfg_system *sys = c->blob;
	uint64_t start = sys->hypervisor_mem_base, end = start + sys->hypervisor_mem_size - 1;
	struct hw_range fw[HW_MAX_RANGES];
	int x86 = c->arch == HVCFG_ARCH_X86_64;
	/* none (a UEFI boot keeps RAM out of the device tree): not verifiable, not a failure */
	int nfw = x86 ? hw_firmware_ram_x86(c, fw, HW_MAX_RANGES) :
			hw_firmware_ram_arm64(c, fw, HW_MAX_RANGES);

	if (hw_ranges_touch(ram, n, start, end)) {
		hw_line(c, HW_FAIL, "hypervisor memory", "0x%llx-0x%llx is System RAM: Linux "
			"uses it", (unsigned long long)start, (unsigned long long)end);
		hw_hint("%s", hv_refusal_text(x86 ? HV_R_HV_MEM_LINUX_CMDLINE : HV_R_HV_MEM_LINUX));
	} else if (nfw > 0 && !hw_ranges_cover(fw, nfw, start, end)) {
		hw_line(c, HW_FAIL, "hypervisor memory", "0x%llx-0x%llx is not RAM (%s)",
			(unsigned long long)start, (unsigned long long)end,
			x86 ? "not System RAM in the firmware's e820 map" :
			"outside the device tree's memory nodes");
		hw_hint("the configuration is another board's, or names a hole or device "
			"registers");
	} else {
		hw_line(c, HW_OK, "hypervisor memory", "0x%llx-0x%llx (%llu MiB): %s, not used by "
			"Linux", (unsigned long long)start, (unsigned long long)end,
			MIB(sys->hypervisor_mem_size), nfw > 0 ? "RAM" :
			"RAM not verifiable (no firmware memory map: UEFI?)");
	}
}

/* What a gap in the root's memory is: an inter-cell link's memory, or nobody's. */
static const char *link_at(const struct hvcfg_system *sys, const struct hw_range *gap)
{
	static char text[96];
	const struct hvcfg_ivshmem_link *l = cfg_links(sys);
	unsigned int k;

	for (k = 0; k < sys->num_ivshmem_links; k++)
		if (l[k].phys_start <= gap->end &&
		    gap->start < l[k].phys_start + cfg_link_size(&l[k])) {
			snprintf(text, sizeof(text), "the memory of inter-cell link '%.32s'",
				 l[k].name);
			return text;
		}
	return "not root cell memory";
}

/* Linux keeps running on its System RAM after enable: the root cell must map all of it. */
static void check_root_ram(struct hw_ctx *c, const struct hw_range *ram, int n)
{
	const struct hvcfg_system *sys = c->blob;
	const struct hvcfg_memory_region *m = cfg_mem_regions(sys, &sys->root_cell);
	struct hw_range root[HW_MAX_RANGES], gap;
	unsigned int k, nroot = 0;
	int r;

	for (k = 0; k < sys->root_cell.num_mem_regions && nroot < HW_MAX_RANGES; k++)
		if (m[k].size && !(m[k].flags & HVCFG_MEM_COMM_REGION))
			root[nroot++] = (struct hw_range){ m[k].phys_start,
							   m[k].phys_start + m[k].size - 1 };
	for (r = 0; r < n; r++) {
		if (!hw_ranges_gap(root, nroot, ram[r].start, ram[r].end, &gap))
			continue;
		hw_line(c, HW_FAIL, "root cell memory", "0x%llx-0x%llx is System RAM but %s: Linux "
			"would fault there once enabled", (unsigned long long)gap.start,
			(unsigned long long)gap.end, link_at(sys, &gap));
		hw_hint("boot with the memory the configuration was made for (configgen's root DTB "
			"or root.cmdline), or add the range to the root cell");
		return;
	}
	hw_line(c, HW_OK, "root cell memory", "covers all %d System RAM range%s", n,
		n == 1 ? "" : "s");
}

static void check_pool(struct hw_ctx *c, const struct hw_range *ram, int n)
{
	const struct hvcfg_system *sys = c->blob;
	const struct hvcfg_memory_region *m = cfg_mem_regions(sys, &sys->root_cell);
	unsigned long long total = 0;
	unsigned int k, pools = 0;

	for (k = 0; k < sys->root_cell.num_mem_regions; k++) {
		if (!(m[k].flags & HVCFG_MEM_CELL_POOL))
			continue;
		pools++;
		total += m[k].size;
		if (hw_ranges_touch(ram, n, m[k].phys_start, m[k].phys_start + m[k].size - 1)) {
			hw_line(c, HW_WARN, "cell pool", "0x%llx-0x%llx is System RAM: cells "
				"placed there are refused", (unsigned long long)m[k].phys_start,
				(unsigned long long)(m[k].phys_start + m[k].size - 1));
			hw_hint("%s", hv_refusal_text(c->arch == HVCFG_ARCH_X86_64 ?
				HV_R_LINUX_RAM_CMDLINE : HV_R_LINUX_RAM));
			return;
		}
	}
	if (pools)
		hw_line(c, HW_OK, "cell pool", "%u region%s, %llu MiB, not used by Linux", pools,
			pools == 1 ? "" : "s", MIB(total));
	else
		hw_line(c, HW_INFO, "cell pool", "none in the configuration: cells use memory the "
			"root cell does not have");
}

void hw_config_validate(struct hw_ctx *c)
{
	c->blob_valid = c->blob && !validate(c);
}

void hw_check_config(struct hw_ctx *c)
{
	struct hw_range ram[HW_MAX_RANGES];
	int n;

	if (!c->blob_valid)
		return;
	check_cpus(c);
	if (!system_ram(c, ram, &n))
		return;
	check_hv_memory(c, ram, n);
	check_root_ram(c, ram, n);
	check_pool(c, ram, n);
}
