// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse config collect [--root DIR] FILE.tar|DIR|-: the files of this machine that
 * `configgen create --root` reads (the same list as configgen/collect.sh, for targets without
 * a shell worth the name), as a tar archive (ustar, uncompressed: nothing to link in) or into a
 * directory. A few extras serve `jailhouse hardware check --root`: the kernel command line and
 * log, the firmware memory map, the possible/present CPUs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "hwcheck.h"

#define TAR_BLOCK	512
#define MAX_DIRS	512

static const char *const files[] = {
	"/proc/iomem", "/proc/ioports", "/proc/cpuinfo", "/proc/cmdline",
	"/sys/devices/system/cpu/online", "/sys/devices/system/cpu/possible",
	"/sys/devices/system/cpu/present", "/sys/firmware/fdt",
	"/sys/firmware/acpi/tables/APIC", "/sys/firmware/acpi/tables/MCFG",
	"/sys/firmware/acpi/tables/DMAR", "/sys/firmware/acpi/tables/IVRS",
};
static const char *const pci_attrs[] = { "class", "vendor", "device", "resource", "irq" };
static const char *const memmap_attrs[] = { "start", "end", "type" };

struct sink {
	FILE *tar;		/* NULL: into the directory dir */
	const char *dir;
	char *dirs[MAX_DIRS];	/* directories already in the archive */
	unsigned int num_dirs, num_files;
	int failed;
};

static void tar_header(struct sink *s, const char *name, size_t size, int is_dir)
{
	unsigned char h[TAR_BLOCK] = { 0 };
	unsigned int sum = 0, k;

	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", is_dir ? 0755 : 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	snprintf((char *)h + 136, 12, "%011llo", (unsigned long long)time(NULL));
	h[156] = is_dir ? '5' : '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	snprintf((char *)h + 265, 32, "root");
	snprintf((char *)h + 297, 32, "root");
	memset(h + 148, ' ', 8);
	for (k = 0; k < TAR_BLOCK; k++)
		sum += h[k];
	snprintf((char *)h + 148, 8, "%06o", sum);
	if (fwrite(h, TAR_BLOCK, 1, s->tar) != 1)
		s->failed = errno ? errno : EIO;
}

/* The archive's directory entries leading to name ("a/b/c": a/, a/b/), each once. */
static void tar_dirs(struct sink *s, const char *name)
{
	char dir[256];
	const char *p;
	unsigned int k;

	for (p = strchr(name, '/'); p; p = strchr(p + 1, '/')) {
		snprintf(dir, sizeof(dir), "%.*s/", (int)(p - name), name);
		for (k = 0; k < s->num_dirs && strcmp(s->dirs[k], dir); k++)
			;
		if (k < s->num_dirs || s->num_dirs == MAX_DIRS)
			continue;
		s->dirs[s->num_dirs++] = strdup(dir);
		tar_header(s, dir, 0, 1);
	}
}

static int mkdirs(const char *path)
{
	char buf[512];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* Store data as name (relative, "proc/iomem"). */
static void put(struct sink *s, const char *name, const char *data, size_t len)
{
	static const char zeros[TAR_BLOCK];
	char path[512];
	FILE *f;

	s->num_files++;
	if (s->tar) {
		tar_dirs(s, name);
		tar_header(s, name, len, 0);
		if (fwrite(data, 1, len, s->tar) != len ||
		    fwrite(zeros, 1, -len % TAR_BLOCK, s->tar) != -len % TAR_BLOCK)
			s->failed = errno ? errno : EIO;
		return;
	}
	if (s->failed)
		return;	/* said once: the rest would fail alike */
	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	f = mkdirs(path) ? NULL : fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len) {
		s->failed = errno ? errno : EIO;
		fprintf(stderr, "jailhouse: config collect: cannot write %s: %s\n", path,
			strerror(errno));
	}
	if (f && fclose(f) && !s->failed)
		s->failed = errno ? errno : EIO;
}

/* Copy root/path if it is readable (machines lack some: ACPI on arm64, the DT on x86). */
static void copy(struct sink *s, const struct hw_ctx *c, const char *path)
{
	size_t len;
	char *data = hw_read(c, path, &len);

	if (!data)
		return;
	put(s, path + 1, data, len);
	free(data);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Each entry of dir (sorted): the attributes given, if readable. */
static void copy_each(struct sink *s, const struct hw_ctx *c, const char *dir,
		      const char *const *attrs, unsigned int num_attrs)
{
	char full[512], path[512];
	struct dirent **list;
	unsigned int k;
	int n, i;

	snprintf(full, sizeof(full), "%s%s", c->root, dir);
	n = scandir(full, &list, NULL, by_name);
	for (i = 0; i < n; i++) {
		for (k = 0; list[i]->d_name[0] != '.' && k < num_attrs; k++) {
			snprintf(path, sizeof(path), "%s/%s/%s", dir, list[i]->d_name, attrs[k]);
			copy(s, c, path);
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

/* The kernel log: what the boot found (the exception level, VHE, the APIC mode). */
static void copy_klog(struct sink *s)
{
	int size = klogctl(10, NULL, 0);
	char *buf = size > 0 ? malloc(size) : NULL;

	if (buf && (size = klogctl(3, buf, size)) > 0)
		put(s, "dmesg", buf, size);
	free(buf);
}

static int collect(struct sink *s, const struct hw_ctx *c)
{
	unsigned int k;

	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++)
		copy(s, c, files[k]);
	copy_each(s, c, "/sys/bus/pci/devices", pci_attrs, 5);
	copy_each(s, c, "/sys/firmware/memmap", memmap_attrs, 3);
	if (c->live)
		copy_klog(s);
	else
		copy(s, c, "/dmesg");
	return s->failed ? -1 : 0;
}

static int usage(FILE *out)
{
	fprintf(out, "Usage: jailhouse config collect [--root DIR] FILE.tar|DIR|-\n"
		"       jailhouse config check SYSTEM.cell [CELL.cell...]\n"
		"       jailhouse config create [-r ROOT] [--mem-hv SIZE] [--mem-inmates SIZE] "
		"FILE.dts\n"
		"  the files configgen create --root reads, as a tar archive (- for stdout) or\n"
		"  into a directory; run as root (/proc/iomem shows zeros otherwise)\n");
	return out == stdout ? 0 : 2;
}

static int open_sink(struct sink *s, const char *out)
{
	size_t n = strlen(out);
	struct stat st;

	if (!strcmp(out, "-")) {
		s->tar = stdout;
	} else if (n > 4 && !strcmp(out + n - 4, ".tar")) {
		s->tar = fopen(out, "wb");
		if (!s->tar)
			goto fail;
	} else {
		s->dir = out;
		if (mkdir(out, 0755) && errno != EEXIST)
			goto fail;
		if (stat(out, &st) || !S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			goto fail;
		}
	}
	return 0;
fail:
	fprintf(stderr, "jailhouse: config collect: cannot create %s: %s\n", out, strerror(errno));
	return -1;
}

static int close_sink(struct sink *s, const char *out)
{
	static const char end[2 * TAR_BLOCK];
	unsigned int k;

	for (k = 0; k < s->num_dirs; k++)
		free(s->dirs[k]);
	if (s->tar && fwrite(end, 1, sizeof(end), s->tar) != sizeof(end))
		s->failed = errno ? errno : EIO;
	if (s->tar && (s->tar == stdout ? fflush(stdout) : fclose(s->tar)) && !s->failed)
		s->failed = errno ? errno : EIO;
	if (s->failed) {
		if (s->tar)	/* a directory's failing file was named already */
			fprintf(stderr, "jailhouse: config collect: writing %s: %s\n", out,
				strerror(s->failed));
		return 1;
	}
	return 0;
}

int cmd_config(int argc, char *argv[])
{
	struct hw_ctx c = { .root = "", .live = 1 };
	struct sink s = { 0 };
	const char *out = NULL;
	int i, ret;

	if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")))
		return usage(stdout);
	if (argc >= 3 && !strcmp(argv[2], "check"))
		return cli_config_check(argc, argv);
	if (argc >= 3 && !strcmp(argv[2], "create"))
		return cli_config_create(argc, argv);
	if (argc < 3 || strcmp(argv[2], "collect")) {
		fprintf(stderr, "jailhouse: config: unknown command '%s' (collect, check, "
			"create)\n", argc < 3 ? "" : argv[2]);
		return 2;
	}
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout);
		if (!strcmp(argv[i], "--root") && i + 1 < argc) {
			c.root = argv[++i];
			c.live = 0;
		} else if ((argv[i][0] == '-' && argv[i][1]) || out) {
			return usage(stderr);
		} else {
			out = argv[i];
		}
	}
	if (!out)
		return usage(stderr);
	if (!c.live && access(c.root, R_OK | X_OK)) {
		fprintf(stderr, "jailhouse: config collect: --root %s: %s\n", c.root,
			strerror(errno));
		return 2;
	}
	if (open_sink(&s, out))
		return 1;
	collect(&s, &c);
	ret = close_sink(&s, out);
	if (!ret)
		fprintf(stderr, "jailhouse: %u files collected into %s%s\n", s.num_files, out,
			geteuid() && c.live ? " (not root: /proc/iomem holds zeros, the ACPI "
			"tables are missing)" : "");
	return ret;
}
