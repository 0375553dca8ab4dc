/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jailhouse hardware check: what the machine offers the hypervisor and why `jailhouse enable`
 * would fail, one line per fact. Everything is read from files (proc, sysfs, the flattened
 * device tree, the kernel log) below a root directory, so the same code checks the running
 * machine (root "") or a snapshot `jailhouse config collect` made (--root DIR).
 */
#ifndef JAILHOUSE_HWCHECK_H
#define JAILHOUSE_HWCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "config_format.h"

enum hw_verdict { HW_OK, HW_INFO, HW_WARN, HW_SKIP, HW_FAIL };

struct hw_range {
	uint64_t start, end;	/* [start, end] inclusive, as /proc/iomem */
};

#define HW_MAX_RANGES	64

struct hw_ctx {
	const char *root;		/* "" for the running machine */
	int arch;			/* HVCFG_ARCH_* checked */
	int live;			/* the running machine: the kernel log, MSRs, the module */
	const char *klog;		/* the kernel log, or NULL when unreadable */
	const void *blob;		/* the system configuration, NULL without one */
	size_t blob_size;
	int blob_valid;			/* passed the hypervisor's own validator */
	unsigned int fails, warns, skips;
};

/* One line: "  OK    what: text", printf-style; a FAIL or WARN is counted. */
void hw_line(struct hw_ctx *c, enum hw_verdict v, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The indented remedy under the previous line. */
void hw_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The whole file root/path, NUL-terminated and malloc'd (NULL if unreadable); *len its size. */
char *hw_read(const struct hw_ctx *c, const char *path, size_t *len);
/* root/path exists. */
int hw_exists(const struct hw_ctx *c, const char *path);
/* The kernel command line has the word (or word=...) given. */
int hw_cmdline_has(const struct hw_ctx *c, const char *word);
/* The value of the last key=value on the kernel command line, into buf; 0 if absent. */
int hw_cmdline_value(const struct hw_ctx *c, const char *key, char *buf, size_t len);
/* The value of "key : value" in /proc/cpuinfo's first block that has it, into buf. */
int hw_cpuinfo(const struct hw_ctx *c, const char *key, char *buf, size_t len);
/* How many CPUs a sysfs list ("0-3,5") names; -1 if unreadable. */
int hw_cpu_count(const struct hw_ctx *c, const char *path, char *list, size_t len);

/* Top-level /proc/iomem entries named name: count, or -1 if unreadable; -2 if all zero. */
int hw_iomem(const struct hw_ctx *c, const char *name, struct hw_range *r, unsigned int max);
/* [start, end] intersects / lies inside one of the ranges. */
int hw_ranges_touch(const struct hw_range *r, int n, uint64_t start, uint64_t end);
int hw_ranges_cover(const struct hw_range *r, int n, uint64_t start, uint64_t end);
/* The first part of [start, end] the ranges leave out, in *gap; 0 if they cover it all. */
int hw_ranges_gap(const struct hw_range *r, int n, uint64_t start, uint64_t end,
		  struct hw_range *gap);

/* What the walk of the device tree Linux booted with found (hwcheck_arm64.c). */
#define HW_MAX_CPU_NODES	256
#define HW_GIC_REGS		4	/* GICv2: GICD, GICC, GICH, GICV */
struct hw_dt_facts {
	uint32_t root_ac, root_sc, cpus_ac;
	int gic_version;		/* 0: none found */
	char gic_compat[64];
	uint64_t gicd, gicr, gicr_size;
	uint32_t redist_regions;
	uint64_t gic_reg[HW_GIC_REGS][2];	/* the GIC node's reg: address, size */
	unsigned int gic_regs;
	unsigned int gic_maint_intid;	/* its interrupts property; 0: none */
	uint64_t mpidr[HW_MAX_CPU_NODES];
	unsigned int num_cpus;
};

/* The device tree's facts: 0; -1 unreadable; -2 malformed (a WARN line says why). */
int hw_read_dt(struct hw_ctx *c, struct hw_dt_facts *d);
/* The same, with a WARN line for the interrupt controller when unreadable. */
int hw_read_dt_checked(struct hw_ctx *c, struct hw_dt_facts *d);
/* The CPUs online, their implementer and part (arm). */
void hw_check_cpus(struct hw_ctx *c);

/* The arch's checks: CPU, interrupt controller, virtualization mode. */
void hw_check_arm64(struct hw_ctx *c);
void hw_check_arm32(struct hw_ctx *c);
void hw_check_x86(struct hw_ctx *c);
/* Hardware ids of the machine's CPUs (arm64: MPIDR from the device tree; x86: APIC ids). */
int hw_cpu_ids_arm64(struct hw_ctx *c, uint64_t *ids, unsigned int max);
int hw_cpu_ids_x86(struct hw_ctx *c, uint64_t *ids, unsigned int max);
/* Firmware RAM (arm64: device tree memory nodes; x86: the e820 map): count or -1. */
int hw_firmware_ram_arm64(struct hw_ctx *c, struct hw_range *r, unsigned int max);
int hw_firmware_ram_x86(struct hw_ctx *c, struct hw_range *r, unsigned int max);

/* The configuration: valid (sets blob_valid), then its CPUs and memory against the machine. */
void hw_config_validate(struct hw_ctx *c);
void hw_check_config(struct hw_ctx *c);

int cmd_hardware(int argc, char *argv[]);

#endif
