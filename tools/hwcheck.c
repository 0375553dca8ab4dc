// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse hardware check [--root DIR] [--arch ARCH] [SYSTEM.cell]: the machine's CPUs,
 * interrupt controller, virtualization mode and memory against what `jailhouse enable` needs,
 * one OK/FAIL line each with a hint. Without the module it reads what Linux shows; with the
 * module loaded it also asks the module's own probe (the el2/svm/hyp attribute), which is the
 * verdict enable uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "hwcheck.h"
#include "hv_image.h"
#include "refusal.h"

#define DEFAULT_SYSTEM	"/etc/jailhouse/system.cell"
#define FIRMWARE	"/lib/firmware/jailhouse.bin"
#define SYSFS		"/sys/devices/jailhouse"
#define KLOG_READ_ALL	3
#define KLOG_SIZE	10

static const char *const verdict_name[] = { "OK", "INFO", "WARN", "SKIP", "FAIL" };

void hw_line(struct hw_ctx *c, enum hw_verdict v, const char *what, const char *fmt, ...)
{
	va_list ap;

	c->fails += v == HW_FAIL;
	c->warns += v == HW_WARN;
	c->skips += v == HW_SKIP;
	printf("  %-5s %s: ", verdict_name[v], what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void hw_hint(const char *fmt, ...)
{
	va_list ap;

	printf("        hint: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

char *hw_read(const struct hw_ctx *c, const char *path, size_t *len)
{
	char full[512];
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1), *bigger;
	ssize_t got;
	int fd;

	snprintf(full, sizeof(full), "%s%s", c->root, path);
	fd = open(full, O_RDONLY);
	if (fd < 0 || !buf)
		goto fail;
	/* proc and sysfs files report no size: read until the end */
	while ((got = read(fd, buf + n, cap - n)) > 0) {
		n += got;
		if (n < cap)
			continue;
		if (cap >= MAX_FILE_SIZE)
			goto fail;
		bigger = realloc(buf, cap * 2 + 1);
		if (!bigger)
			goto fail;
		buf = bigger;
		cap *= 2;
	}
	if (got < 0)
		goto fail;
	close(fd);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

int hw_exists(const struct hw_ctx *c, const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", c->root, path);
	return access(full, F_OK) == 0;
}

int hw_cmdline_has(const struct hw_ctx *c, const char *word)
{
	char *line = hw_read(c, "/proc/cmdline", NULL), *tok, *save;
	size_t n = strlen(word);
	int found = 0;

	for (tok = line ? strtok_r(line, " \t\n", &save) : NULL; tok && !found;
	     tok = strtok_r(NULL, " \t\n", &save))
		found = !strncmp(tok, word, n) && (tok[n] == 0 || tok[n] == '=' ||
						    word[n - 1] == '=');
	free(line);
	return found;
}

int hw_cmdline_value(const struct hw_ctx *c, const char *key, char *buf, size_t len)
{
	char *line = hw_read(c, "/proc/cmdline", NULL), *tok, *save;
	size_t n = strlen(key);
	int found = 0;

	/* the kernel takes the last one of a parameter given twice */
	for (tok = line ? strtok_r(line, " \t\n", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \t\n", &save))
		if (!strncmp(tok, key, n) && tok[n] == '=') {
			snprintf(buf, len, "%s", tok + n + 1);
			found = 1;
		}
	free(line);
	return found;
}

int hw_cpuinfo(const struct hw_ctx *c, const char *key, char *buf, size_t len)
{
	char *text = hw_read(c, "/proc/cpuinfo", NULL), *line, *save, *colon;
	size_t n = strlen(key);
	int found = 0;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		colon = strchr(line, ':');
		/* "key<blanks>:", nothing else before the colon */
		if (!colon || strncmp(line, key, n) ||
		    strspn(line + n, " \t") != (size_t)(colon - line - n))
			continue;
		colon++;
		colon += strspn(colon, " \t");
		snprintf(buf, len, "%s", colon);
		found = 1;
	}
	free(text);
	return found;
}

int hw_cpu_count(const struct hw_ctx *c, const char *path, char *list, size_t len)
{
	char *text = hw_read(c, path, NULL), *p, *end;
	long lo, hi;
	int count = 0;

	if (!text)
		return -1;
	text[strcspn(text, "\n")] = 0;
	snprintf(list, len, "%s", text);
	for (p = text; *p; p = *end ? end + 1 : end) {
		lo = strtol(p, &end, 10);
		hi = *end == '-' ? strtol(end + 1, &end, 10) : lo;
		if (end == p || hi < lo || (*end && *end != ',')) {
			count = -1;
			break;
		}
		count += hi - lo + 1;
	}
	free(text);
	return count;
}

int hw_iomem(const struct hw_ctx *c, const char *name, struct hw_range *r, unsigned int max)
{
	char *text = hw_read(c, "/proc/iomem", NULL), *line, *save, *colon;
	unsigned long long lo, hi;
	int n = 0, nonzero = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == ' ' || sscanf(line, "%llx-%llx", &lo, &hi) != 2)
			continue;
		nonzero |= lo || hi;
		colon = strstr(line, " : ");
		if (!colon || strcmp(colon + 3, name) || (unsigned int)n >= max)
			continue;
		r[n].start = lo;
		r[n++].end = hi;
	}
	free(text);
	return nonzero ? n : -2;
}

int hw_ranges_touch(const struct hw_range *r, int n, uint64_t start, uint64_t end)
{
	int k;

	for (k = 0; k < n; k++)
		if (r[k].start <= end && start <= r[k].end)
			return 1;
	return 0;
}

/* The first part of [start, end] outside the union of the ranges, in *gap; 0 if none. */
int hw_ranges_gap(const struct hw_range *r, int n, uint64_t start, uint64_t end,
		  struct hw_range *gap)
{
	uint64_t next = end;
	int k, moved = 1;

	while (moved) {
		moved = 0;
		for (k = 0; k < n; k++)
			if (r[k].start <= start && start <= r[k].end) {
				if (r[k].end >= end)
					return 0;
				start = r[k].end + 1;
				moved = 1;
			}
	}
	for (k = 0; k < n; k++)
		if (r[k].start > start && r[k].start <= next)
			next = r[k].start - 1;
	*gap = (struct hw_range){ start, next };
	return 1;
}

int hw_ranges_cover(const struct hw_range *r, int n, uint64_t start, uint64_t end)
{
	struct hw_range gap;

	return !hw_ranges_gap(r, n, start, end, &gap);
}

static void read_klog(struct hw_ctx *c)
{
	int size;
	char *buf;

	if (!c->live) {
		c->klog = hw_read(c, "/dmesg", NULL);
		return;
	}
	size = klogctl(KLOG_SIZE, NULL, 0);
	buf = size > 0 ? malloc(size + 1) : NULL;
	if (!buf)
		return;
	size = klogctl(KLOG_READ_ALL, buf, size);
	if (size < 0) {
		free(buf);
		return;
	}
	buf[size] = 0;
	c->klog = buf;
}

/* The module's own verdict (the probe enable runs), when it is loaded. */
static void check_module(struct hw_ctx *c)
{
	const char *attr = c->arch == HVCFG_ARCH_X86_64 ? SYSFS "/svm" :
			   c->arch == HVCFG_ARCH_ARM32 ? SYSFS "/hyp" : SYSFS "/el2";
	const char *what = c->arch == HVCFG_ARCH_X86_64 ? "module SVM probe" :
			   c->arch == HVCFG_ARCH_ARM32 ? "module HYP probe" : "module EL2 probe";
	char *enabled, *probe;

	if (!hw_exists(c, SYSFS)) {
		hw_line(c, HW_INFO, "module", "jailhouse.ko is not loaded: the checks above are "
			"what Linux shows; load it (modprobe jailhouse) for its own probe");
		return;
	}
	enabled = hw_read(c, SYSFS "/enabled", NULL);
	probe = hw_read(c, attr, NULL);
	if (enabled && atoi(enabled) == 1) {
		hw_line(c, HW_FAIL, "hypervisor", "already enabled");
		hw_hint("jailhouse disable first");
	} else if (!probe) {
		hw_line(c, HW_WARN, what, "%s unreadable: %s", attr, strerror(errno));
	} else {
		probe[strcspn(probe, "\n")] = 0;
		/* the probe says "... available" exactly when every CPU passed (kmod/arch/) */
		hw_line(c, strstr(probe, " available") ? HW_OK : HW_FAIL, what, "%s", probe);
	}
	free(enabled);
	free(probe);
}

static void check_firmware(struct hw_ctx *c)
{
	const struct hvcfg_system *sys = c->blob;
	struct hv_header *h;
	size_t len = 0;
	char *img = hw_read(c, FIRMWARE, &len);

	h = (struct hv_header *)img;
	if (!img) {
		hw_line(c, HW_FAIL, "hypervisor image", "%s", hv_refusal_text(HV_R_NO_FIRMWARE));
		hw_hint("install it with the module (make install) from the same build");
	} else if (len < sizeof(*h) || memcmp(h->signature, HV_IMAGE_SIGNATURE, 8) ||
		   h->abi_version != HV_IMAGE_ABI || h->arch != (hv_u32)c->arch) {
		hw_line(c, HW_FAIL, "hypervisor image", "%s",
			hv_refusal_text(HV_R_FIRMWARE_MISMATCH));
	} else if (sys && c->blob_valid && sys->num_cpus > h->max_cpus) {
		hw_line(c, HW_FAIL, "hypervisor image", "built for %u CPUs, the configuration "
			"has %u", h->max_cpus, sys->num_cpus);
		hw_hint("%s", hv_refusal_text(HV_R_BUILD_CPUS));
	} else if (sys && c->blob_valid && ((h->core_size + 4095) & ~4095ull) +
		   sys->header.total_size + 16 * 4096 > sys->hypervisor_mem_size) {
		hw_line(c, HW_FAIL, "hypervisor image", "%llu KiB with the configuration: "
			"more than the %llu KiB of hypervisor memory",
			(unsigned long long)h->core_size >> 10,
			(unsigned long long)sys->hypervisor_mem_size >> 10);
		hw_hint("%s", hv_refusal_text(HV_R_HV_MEM_SMALL));
	} else {
		hw_line(c, HW_OK, "hypervisor image", "%s, built for up to %u CPUs", FIRMWARE,
			h->max_cpus);
	}
	free(img);
}

/* The configuration, or NULL without one (the default path absent); -1 if unreadable. */
static int load_config(struct hw_ctx *c, const char *path, int given)
{
	size_t size;

	if (!given && access(path, F_OK))
		return 0;
	c->blob = cli_slurp(path, &size);
	if (!c->blob)
		return -1;
	if (cli_jailhouse_blob(path, c->blob, size)) {
		free((void *)c->blob);
		c->blob = NULL;
		return -1;
	}
	c->blob_size = size;
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: jailhouse hardware check [--root DIR] [--arch arm64|arm|x86] "
		"[SYSTEM.cell]\n"
		"  what the CPUs, interrupt controller, virtualization mode and memory offer, and\n"
		"  why jailhouse enable would fail (default configuration: " DEFAULT_SYSTEM ");\n"
		"  --root DIR checks a snapshot made by jailhouse config collect instead\n");
}

static int parse_arch(const char *name)
{
	if (!strcmp(name, "arm64"))
		return HVCFG_ARCH_ARM64;
	if (!strcmp(name, "arm"))
		return HVCFG_ARCH_ARM32;
	if (!strcmp(name, "x86"))
		return HVCFG_ARCH_X86_64;
	fprintf(stderr, "jailhouse: hardware check: unknown arch '%s' (arm64, arm or x86)\n",
		name);
	return -1;
}

/* A snapshot's arch: a device tree is arm's (ARMv7 by its cpuinfo, else arm64), a MADT x86's. */
static int guess_arch(const struct hw_ctx *c)
{
	char arch[16] = "";

	if (hw_exists(c, "/sys/firmware/fdt")) {
		hw_cpuinfo(c, "CPU architecture", arch, sizeof(arch));
		return !strcmp(arch, "7") ? HVCFG_ARCH_ARM32 : HVCFG_ARCH_ARM64;
	}
	if (hw_exists(c, "/sys/firmware/acpi/tables/APIC"))
		return HVCFG_ARCH_X86_64;
#ifdef __x86_64__
	return HVCFG_ARCH_X86_64;
#elif defined(__arm__)
	return HVCFG_ARCH_ARM32;
#else
	return HVCFG_ARCH_ARM64;
#endif
}

static const char *arch_name(int arch)
{
	return arch == HVCFG_ARCH_X86_64 ? "x86" : arch == HVCFG_ARCH_ARM32 ? "arm" : "arm64";
}

static int parse_args(struct hw_ctx *c, int argc, char *argv[], const char **config)
{
	int i;

	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 1;
		} else if (!strcmp(argv[i], "--root") && i + 1 < argc) {
			c->root = argv[++i];
			c->live = 0;
		} else if (!strcmp(argv[i], "--arch") && i + 1 < argc) {
			c->arch = parse_arch(argv[++i]);
			if (c->arch < 0)
				return -1;
		} else if (argv[i][0] == '-' || *config) {
			fprintf(stderr, "jailhouse: hardware check: unexpected argument '%s'\n",
				argv[i]);
			usage(stderr);
			return -1;
		} else {
			*config = argv[i];
		}
	}
	if (!c->live && access(c->root, R_OK | X_OK)) {
		fprintf(stderr, "jailhouse: hardware check: --root %s: %s\n", c->root,
			strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_hardware(int argc, char *argv[])
{
	struct hw_ctx c = { .root = "", .live = 1, .arch = 0 };
	const char *config = NULL;
	int ret;

	if (argc < 3 || strcmp(argv[2], "check")) {
		if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
			usage(stdout);
			return 0;
		}
		usage(stderr);
		return 2;
	}
	ret = parse_args(&c, argc, argv, &config);
	if (ret)
		return ret > 0 ? 0 : 2;
	if (!c.arch)
		c.arch = guess_arch(&c);
	if (load_config(&c, config ? config : DEFAULT_SYSTEM, config != NULL))
		return 2;
	printf("jailhouse hardware check (%s%s%s)\n", arch_name(c.arch),
	       c.live ? "" : ", snapshot ", c.root);
	if (!c.blob) {
		hw_line(&c, HW_SKIP, "system configuration", DEFAULT_SYSTEM " does not exist: "
			"CPU and memory checks need one");
		hw_hint("jailhouse hardware check SYSTEM.cell");
	}
	read_klog(&c);
	hw_config_validate(&c);
	if (c.arch == HVCFG_ARCH_X86_64)
		hw_check_x86(&c);
	else if (c.arch == HVCFG_ARCH_ARM32)
		hw_check_arm32(&c);
	else
		hw_check_arm64(&c);
	if (c.live || hw_exists(&c, SYSFS))
		check_module(&c);
	hw_check_config(&c);
	if (c.live || hw_exists(&c, FIRMWARE))
		check_firmware(&c);
	if (c.fails)
		printf("jailhouse enable would fail: %u problem%s (FAIL above)\n", c.fails,
		       c.fails == 1 ? "" : "s");
	else
		printf("nothing found that makes jailhouse enable fail%s\n",
		       c.warns ? " (see WARN above)" : "");
	if (c.skips && c.live && geteuid())
		printf("%u check%s skipped: run it as root\n", c.skips, c.skips == 1 ? "" : "s");
	free((void *)c.klog);
	free((void *)c.blob);
	return c.fails ? 1 : 0;
}
