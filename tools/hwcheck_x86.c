// SPDX-License-Identifier: GPL-2.0
/*
 * hardware check on x86 (AMD SVM): the CPU flags Linux shows in /proc/cpuinfo, the paging
 * depth ("address sizes"), the local APIC mode, KVM, and (as root, with the msr driver) the
 * MSRs the module's probe reads: VM_CR.SVMDIS and EFER.SVME (kmod/arch/x86/svm.c).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hwcheck.h"

#define MSR_VM_CR	0xc0010114
#define VM_CR_SVMDIS	(1ull << 4)
#define MSR_EFER	0xc0000080
#define EFER_SVME	(1ull << 12)

static int has_flag(const char *flags, const char *flag)
{
	size_t n = strlen(flag);
	const char *p = flags;

	while ((p = strstr(p, flag))) {
		if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
			return 1;
		p += n;
	}
	return 0;
}

static int klog_has(const struct hw_ctx *c, const char *s)
{
	return c->klog && strstr(c->klog, s);
}

static void check_cpus(struct hw_ctx *c)
{
	char list[128] = "", vendor[32] = "", model[96] = "";
	int online = hw_cpu_count(c, "/sys/devices/system/cpu/online", list, sizeof(list));

	hw_cpuinfo(c, "vendor_id", vendor, sizeof(vendor));
	hw_cpuinfo(c, "model name", model, sizeof(model));
	if (online < 0)
		hw_line(c, HW_WARN, "CPUs", "/sys/devices/system/cpu/online unreadable");
	else
		hw_line(c, HW_OK, "CPUs", "%d online (%s), %s %s", online, list, vendor, model);
}

static void check_svm(struct hw_ctx *c, const char *flags, const char *vendor)
{
	if (!has_flag(flags, "svm")) {
		hw_line(c, HW_FAIL, "SVM", "the CPUs show no AMD SVM%s", !strcmp(vendor,
			"GenuineIntel") ? " (an Intel CPU: VT-x is not supported)" : "");
		hw_hint("enable SVM in the firmware setup; QEMU: -cpu qemu64,+svm,+npt");
		return;
	}
	hw_line(c, HW_OK, "SVM", "AMD SVM");
	if (has_flag(flags, "npt")) {
		hw_line(c, HW_OK, "nested paging", "NPT");
	} else {
		hw_line(c, HW_FAIL, "nested paging", "SVM without NPT");
		hw_hint("QEMU: add +npt to -cpu");
	}
	/* the hypervisor decodes the instructions itself: neither is required */
	hw_line(c, HW_INFO, "NRIPS, decode assists", "%s, %s (not needed)",
		has_flag(flags, "nrip_save") ? "yes" : "no",
		has_flag(flags, "decodeassists") ? "yes" : "no");
}

static int read_msr(unsigned long long msr, unsigned long long *val)
{
	int fd = open("/dev/cpu/0/msr", O_RDONLY);
	int ok = fd >= 0 && pread(fd, val, sizeof(*val), msr) == sizeof(*val);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* The firmware's lock (VM_CR.SVMDIS) and another hypervisor's use (EFER.SVME) of SVM. */
static void check_svm_msrs(struct hw_ctx *c)
{
	unsigned long long vm_cr, efer;

	/* kvm_amd's words for VM_CR.SVMDIS, depending on the kernel version */
	if (klog_has(c, "disabled by BIOS") || klog_has(c, "disabled by bios") ||
	    klog_has(c, "disabled (by BIOS)")) {
		hw_line(c, HW_FAIL, "SVM enabled", "the kernel log says SVM is disabled by the "
			"BIOS");
		hw_hint("enable virtualization (SVM) in the firmware setup");
		return;
	}
	if (!c->live || read_msr(MSR_VM_CR, &vm_cr) || read_msr(MSR_EFER, &efer)) {
		hw_line(c, HW_SKIP, "SVM enabled", "VM_CR and EFER unreadable (as root: modprobe "
			"msr); the module's probe reads them");
		return;
	}
	if (vm_cr & VM_CR_SVMDIS) {
		hw_line(c, HW_FAIL, "SVM enabled", "VM_CR.SVMDIS: the firmware disabled SVM");
		hw_hint("enable virtualization (SVM) in the firmware setup");
	} else if (efer & EFER_SVME) {
		hw_line(c, HW_FAIL, "SVM enabled", "EFER.SVME is set: another hypervisor (KVM) "
			"uses SVM");
		hw_hint("stop the VMs and rmmod kvm_amd");
	} else {
		hw_line(c, HW_OK, "SVM enabled", "VM_CR.SVMDIS and EFER.SVME clear (CPU 0)");
	}
}

static void check_kvm(struct hw_ctx *c)
{
	char *at_load;

	if (!hw_exists(c, "/sys/module/kvm_amd")) {
		hw_line(c, HW_OK, "KVM", "kvm_amd is not loaded");
		return;
	}
	at_load = hw_read(c, "/sys/module/kvm/parameters/enable_virt_at_load", NULL);
	if (at_load && at_load[0] == 'Y') {
		hw_line(c, HW_FAIL, "KVM", "kvm_amd is loaded and holds SVM (enable_virt_at_load)");
	} else {
		hw_line(c, HW_WARN, "KVM", "kvm_amd is loaded: while it runs a VM, SVM is KVM's");
	}
	hw_hint("rmmod kvm_amd (or blacklist it)");
	free(at_load);
}

static void check_paging(struct hw_ctx *c, const char *flags)
{
	char sizes[96] = "";

	if (!hw_cpuinfo(c, "address sizes", sizes, sizeof(sizes))) {
		hw_line(c, HW_SKIP, "paging", "no address sizes in /proc/cpuinfo");
	} else if (strstr(sizes, "57 bits virtual")) {
		hw_line(c, HW_FAIL, "paging", "Linux uses 5-level paging (%s)", sizes);
		hw_hint("boot with no5lvl: the hypervisor and NPT are 4-level");
	} else {
		hw_line(c, HW_OK, "paging", "4-level (%s)%s", sizes,
			has_flag(flags, "la57") ? "; the CPU could do 5-level" : "");
	}
}

static void check_apic(struct hw_ctx *c, const char *flags)
{
	if (!has_flag(flags, "x2apic")) {
		hw_line(c, HW_OK, "local APIC", "xAPIC (the CPU has no x2APIC)");
	} else if (hw_cmdline_has(c, "nox2apic")) {
		hw_line(c, HW_OK, "local APIC", "xAPIC (nox2apic)");
	} else if (klog_has(c, "x2apic enabled") || klog_has(c, "x2apic: enabled") ||
		   klog_has(c, "APIC routing to: physical x2apic") ||
		   klog_has(c, "APIC routing to: cluster x2apic")) {
		hw_line(c, HW_FAIL, "local APIC", "Linux runs it in x2APIC mode: the hypervisor "
			"drives the xAPIC only");
		hw_hint("boot with nox2apic");
	} else {
		hw_line(c, HW_WARN, "local APIC", "the CPU has x2APIC: if Linux switched to it, "
			"enable fails");
		hw_hint("boot with nox2apic");
	}
}

void hw_check_x86(struct hw_ctx *c)
{
	char *flags = calloc(1, 8192), vendor[32] = "";

	check_cpus(c);
	if (!flags || !hw_cpuinfo(c, "flags", flags, 8192)) {
		hw_line(c, HW_WARN, "CPU flags", "no flags in /proc/cpuinfo");
		free(flags);
		return;
	}
	hw_cpuinfo(c, "vendor_id", vendor, sizeof(vendor));
	check_svm(c, flags, vendor);
	if (has_flag(flags, "svm"))
		check_svm_msrs(c);
	check_kvm(c);
	check_paging(c, flags);
	check_apic(c, flags);
	free(flags);
}

/* Initial APIC ids (CPUID, as the driver reads them) of the online CPUs. */
int hw_cpu_ids_x86(struct hw_ctx *c, uint64_t *ids, unsigned int max)
{
	char *text = hw_read(c, "/proc/cpuinfo", NULL), *line, *save, *colon;
	unsigned int n = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		colon = strchr(line, ':');
		if (colon && !strncmp(line, "initial apicid", 14) && n < max)
			ids[n++] = strtoull(colon + 1, NULL, 10);
	}
	free(text);
	return n ? (int)n : -1;
}

/* The firmware's e820 map (/sys/firmware/memmap keeps it as booted: memmap= does not change it). */
int hw_firmware_ram_x86(struct hw_ctx *c, struct hw_range *r, unsigned int max)
{
	char path[96], *type, *start, *end;
	unsigned int k;
	int n = 0;

	for (k = 0; k < 1024 && (unsigned int)n < max; k++) {
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%u/type", k);
		type = hw_read(c, path, NULL);
		if (!type)
			break;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%u/start", k);
		start = hw_read(c, path, NULL);
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%u/end", k);
		end = hw_read(c, path, NULL);
		if (start && end && !strncmp(type, "System RAM", 10))
			r[n++] = (struct hw_range){ strtoull(start, NULL, 16),
						    strtoull(end, NULL, 16) };
		free(type);
		free(start);
		free(end);
	}
	return k ? n : -1;
}
