// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse cell linux CELL.cell Image [-d DTB] [-i initrd] [-c cmdline]: boot an arm64 Linux
 * kernel in a cell. Everything is read and checked first (cell blob, Image header, DTB, layout),
 * so bad input changes nothing; then the cell is created if no cell of its name exists, loaded
 * with one request (stub, kernel, DTB, initrd) and started. A cell this command created and
 * could not load or start is destroyed again.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "config_check.h"
#include <asm/cfg_limits.h>
#include "fdt_edit.h"
#include "jailhouse_ioctl.h"
#include "linux_layout.h"

/* arm64's COMMAND_LINE_SIZE: the kernel truncates longer bootargs */
#define LINUX_CMDLINE_MAX	2048

enum { IMG_STUB, IMG_KERNEL, IMG_DTB, IMG_INITRD, NUM_IMGS };

struct linux_boot {
	const char *cell_file, *image_file, *dtb_file, *initrd_file, *cmdline;
	const char *write_dtb;	/* -w: write the DTB there, load nothing */
	int dry_run;
	char dtb_default[4096];
	void *cell, *kernel, *dtb_in, *initrd, *dtb;
	size_t cell_size, kernel_size, dtb_in_size, initrd_size, dtb_size;
	char name[HVCFG_NAME_LEN];
	struct arm64_image image;
	struct linux_layout_req req;
	struct linux_layout at;
	uint8_t stub[LINUX_STUB_SIZE];
};

void cell_linux_usage(FILE *out)
{
	fprintf(out,
		"Usage: jailhouse cell linux CELL.cell Image [-d DTB] [-i INITRD] [-c CMDLINE]\n"
		"                            [-n | -w DTB_OUT]\n"
		"\n"
		"Boot an arm64 Linux kernel Image (uncompressed) in the cell: create the cell unless\n"
		"a cell of its name exists, load a loader stub at its CPU reset address, the kernel\n"
		"(2 MiB aligned + text_offset), the DTB and the initrd into its RAM, and start it.\n"
		"\n"
		"  -d, --dtb DTB          the cell's device tree (default: CELL.dtb next to\n"
		"                         CELL.cell, as configgen guest-dt makes it)\n"
		"  -i, --initrd INITRD    initrd or initramfs (linux,initrd-start/-end in /chosen)\n"
		"  -c, --cmdline CMDLINE  kernel command line (/chosen bootargs; default: the DTB's)\n"
		"  -n, --dry-run          check everything and print the layout; load nothing\n"
		"  -w, --write-params DTB_OUT\n"
		"                         as -n, and write the DTB as it would be loaded\n"
		"  -a, --arch arm64       accepted for compatibility; arm64 is the only one\n");
}

static void say(const char *fmt, va_list ap)
{
	fputs("jailhouse: cell linux: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* An error of the input or the request: exit status 1. */
static int __attribute__((format(printf, 1, 2))) err_out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return 1;
}

/* A usage error: exit status 2. */
static int __attribute__((format(printf, 1, 2))) usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return 2;
}

/* -x VALUE, --long VALUE or --long=VALUE at argv[*i]: the value, or NULL if arg is not it. */
static const char *opt_value(int argc, char *argv[], int *i, const char *s, const char *l,
			     int *missing)
{
	const char *arg = argv[*i];
	size_t n = strlen(l);

	if (!strncmp(arg, l, n) && arg[n] == '=')
		return arg + n + 1;
	if (strcmp(arg, s) && strcmp(arg, l))
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

static int parse_args(int argc, char *argv[], struct linux_boot *lb)
{
	const char *pos[2] = { NULL, NULL }, *v, *arch = NULL;
	int i, npos = 0, missing = 0;

	for (i = 3; i < argc; i++) {
		const char *arg = argv[i];

		if ((v = opt_value(argc, argv, &i, "-d", "--dtb", &missing)))
			lb->dtb_file = v;
		else if ((v = opt_value(argc, argv, &i, "-i", "--initrd", &missing)))
			lb->initrd_file = v;
		else if ((v = opt_value(argc, argv, &i, "-c", "--cmdline", &missing)))
			lb->cmdline = v;
		else if ((v = opt_value(argc, argv, &i, "-a", "--arch", &missing)))
			arch = v;
		else if ((v = opt_value(argc, argv, &i, "-w", "--write-params", &missing)))
			lb->write_dtb = v;
		else if (missing)
			return usage_err("option %s needs a value (see jailhouse cell linux --help)",
					 arg);
		else if (!strcmp(arg, "-n") || !strcmp(arg, "--dry-run"))
			lb->dry_run = 1;
		else if (!strcmp(arg, "-k") || !strncmp(arg, "--kernel-decomp-factor", 22) ||
			 !strcmp(arg, "-s") || !strncmp(arg, "--set-params", 12))
			return usage_err("option %s of upstream Jailhouse is not supported: the "
					 "kernel is an uncompressed Image, its parameters are in the DTB",
					 arg);
		else if (arg[0] == '-' && arg[1])
			return usage_err("unknown option '%s' (see jailhouse cell linux --help)",
					 arg);
		else if (npos < 2)
			pos[npos++] = arg;
		else
			return usage_err("unexpected argument '%s' (see jailhouse cell linux --help)",
					 arg);
	}
	if (npos < 2) {
		cell_linux_usage(stderr);
		return 2;
	}
	if (arch && strcmp(arch, "arm64") && strcmp(arch, "aarch64"))
		return usage_err("architecture '%s': only arm64 kernels are booted", arch);
	lb->cell_file = pos[0];
	lb->image_file = pos[1];
	return 0;
}

/* The cell blob: valid (the same validator as the driver's), with RAM at its reset address. */
static int read_cell(struct linux_boot *lb)
{
	const struct cfg_limits lim = ARCH_CFG_LIMITS(HVCFG_MAX_CPUS);
	struct cfg_status st;
	char err[LINUX_ERR_LEN];

	lb->cell = cli_slurp(lb->cell_file, &lb->cell_size);
	if (!lb->cell)
		return 1;
	if (lb->cell_size < sizeof(struct hvcfg_header) ||
	    ((struct hvcfg_header *)lb->cell)->signature != HVCFG_SIGNATURE_CELL)
		return err_out("%s: not a cell configuration (configgen compile makes them)",
			       lb->cell_file);
	if (cfg_check_cell(lb->cell, lb->cell_size, &lim, 0, &st))
		return err_out("%s: invalid cell configuration: %s (0x%llx)", lb->cell_file,
			       cfg_result_text(st.code), (unsigned long long)st.detail);
	if (linux_cell_ram(lb->cell, lb->cell_size, &lb->req.ram, &lb->req.reset, err, sizeof(err)))
		return err_out("%s: %s", lb->cell_file, err);
	memcpy(lb->name, ((struct hvcfg_cell *)lb->cell)->cell.name, sizeof(lb->name) - 1);
	return 0;
}

static int read_kernel(struct linux_boot *lb)
{
	char err[LINUX_ERR_LEN];

	lb->kernel = cli_slurp(lb->image_file, &lb->kernel_size);
	if (!lb->kernel)
		return 1;
	if (arm64_image_parse(lb->kernel, lb->kernel_size, &lb->image, err, sizeof(err)))
		return err_out("%s: %s", lb->image_file, err);
	lb->req.kernel = lb->image;
	return 0;
}

/* -d, or CELL.dtb next to CELL.cell (configgen guest-dt's output, installed there). */
static const char *dtb_path(struct linux_boot *lb)
{
	size_t n = strlen(lb->cell_file);

	if (lb->dtb_file)
		return lb->dtb_file;
	if (n > 5 && !strcmp(lb->cell_file + n - 5, ".cell"))
		n -= 5;
	snprintf(lb->dtb_default, sizeof(lb->dtb_default), "%.*s.dtb", (int)n, lb->cell_file);
	return lb->dtb_default;
}

static int read_dtb(struct linux_boot *lb)
{
	const char *file = dtb_path(lb);
	char err[LINUX_ERR_LEN];

	if (!lb->dtb_file && access(file, F_OK))
		return err_out("no device tree: %s: %s (give one with -d DTB, or make it with "
			       "configgen guest-dt SYSTEM.dts CELL.dtso -o %s)", file,
			       strerror(errno), file);
	lb->dtb_in = cli_slurp(file, &lb->dtb_in_size);
	if (!lb->dtb_in)
		return 1;
	if (lb->dtb_in_size > LINUX_DTB_MAX)
		return err_out("%s: %zu bytes, more than the 2 MiB a DTB may have", file,
			       lb->dtb_in_size);
	if (fdt_check(lb->dtb_in, lb->dtb_in_size, err, sizeof(err)))
		return err_out("%s: broken device tree: %s (hint: regenerate it with configgen "
			       "guest-dt)", file, err);
	lb->dtb_file = file;
	return 0;
}

static int read_initrd(struct linux_boot *lb)
{
	if (!lb->initrd_file)
		return 0;
	lb->initrd = cli_slurp(lb->initrd_file, &lb->initrd_size);
	if (!lb->initrd)
		return 1;
	if (!lb->initrd_size)
		return err_out("%s: the initrd is empty", lb->initrd_file);
	lb->req.initrd_size = lb->initrd_size;
	return 0;
}

/* The memory the DTB gives the kernel: the cell's, holding what is loaded. */
static int check_memory(const struct linux_boot *lb)
{
	struct fdt_range mem[FDT_MAX_RANGES];
	char err[LINUX_ERR_LEN];
	unsigned int n;

	if (fdt_memory(lb->dtb, lb->dtb_size, mem, FDT_MAX_RANGES, &n, err, sizeof(err)) ||
	    linux_check_memory(lb->cell, lb->cell_size, mem, n, &lb->at, err, sizeof(err)))
		return err_out("%s: %s", lb->dtb_file, err);
	return 0;
}

/*
 * The DTB's size does not depend on the initrd addresses (fixed-size properties), so a first
 * edit sizes it for the layout and the second writes the real addresses.
 */
static int edit_dtb(struct linux_boot *lb, const struct fdt_chosen_edit *e)
{
	char err[LINUX_ERR_LEN];

	free(lb->dtb);
	lb->dtb = NULL;
	if (fdt_edit_chosen(lb->dtb_in, lb->dtb_in_size, e, &lb->dtb, &lb->dtb_size, err,
			    sizeof(err)))
		return err_out("%s: %s", lb->dtb_file, err);
	return 0;
}

static int plan(struct linux_boot *lb)
{
	struct fdt_chosen_edit e = { .bootargs = lb->cmdline, .set_initrd = !!lb->initrd };
	char err[LINUX_ERR_LEN];
	size_t sized;

	if (lb->cmdline && strlen(lb->cmdline) >= LINUX_CMDLINE_MAX)
		return err_out("the command line has %zu characters; the kernel takes at most %d",
			       strlen(lb->cmdline), LINUX_CMDLINE_MAX - 1);
	if (edit_dtb(lb, &e))
		return 1;
	sized = lb->dtb_size;
	lb->req.stub_size = LINUX_STUB_SIZE;
	lb->req.dtb_size = lb->dtb_size;
	if (linux_layout(&lb->req, &lb->at, err, sizeof(err)))
		return err_out("%s: %s", lb->cell_file, err);
	e.initrd_start = lb->at.initrd;
	e.initrd_end = lb->at.initrd_end;
	if (edit_dtb(lb, &e))
		return 1;
	if (lb->dtb_size != sized)
		return err_out("internal error: the DTB changed size (%zu, then %zu)", sized,
			       lb->dtb_size);
	if (check_memory(lb))
		return 1;
	linux_stub(lb->stub, lb->at.dtb, lb->at.kernel);
	return 0;
}

static void print_layout(const struct linux_boot *lb, const char *verb)
{
	const struct linux_layout *at = &lb->at;

	printf("Cell \"%s\": Linux %s: loader 0x%llx, kernel 0x%llx-0x%llx, DTB 0x%llx "
	       "(%zu bytes)", lb->name, verb, (unsigned long long)at->stub,
	       (unsigned long long)at->kernel, (unsigned long long)at->kernel_end - 1,
	       (unsigned long long)at->dtb, lb->dtb_size);
	if (lb->initrd)
		printf(", initrd 0x%llx-0x%llx", (unsigned long long)at->initrd,
		       (unsigned long long)at->initrd_end - 1);
	printf("\n");
}

static void set_image(struct jailhouse_preload_image *img, const void *src, size_t size,
		      uint64_t target)
{
	img->source = (uintptr_t)src;
	img->size = size;
	img->target = target;
}

/* One request: the driver checks every image before it stops the cell. */
static int load(struct linux_boot *lb, int fd, const struct jailhouse_cell_id *cid)
{
	struct jailhouse_cell_load *req;
	int ret;

	req = calloc(1, sizeof(*req) + NUM_IMGS * sizeof(req->image[0]));
	if (!req)
		return err_out("out of memory");
	req->cell_id = *cid;
	set_image(&req->image[IMG_STUB], lb->stub, sizeof(lb->stub), lb->at.stub);
	set_image(&req->image[IMG_KERNEL], lb->kernel, lb->kernel_size, lb->at.kernel);
	set_image(&req->image[IMG_DTB], lb->dtb, lb->dtb_size, lb->at.dtb);
	set_image(&req->image[IMG_INITRD], lb->initrd, lb->initrd_size, lb->at.initrd);
	req->num_images = lb->initrd ? NUM_IMGS : NUM_IMGS - 1;
	ret = cli_report(fd, ioctl(fd, JAILHOUSE_CELL_LOAD, req), "linux: load", lb->name);
	free(req);
	return ret;
}

static int create(struct linux_boot *lb, int fd)
{
	struct jailhouse_cell_create req = {
		.config = (uintptr_t)lb->cell,
		.size = (uint32_t)lb->cell_size,
	};
	int ret = ioctl(fd, JAILHOUSE_CELL_CREATE, &req);

	if (ret >= 0)
		printf("Cell \"%s\" created, id %d\n", lb->name, ret);
	return cli_report(fd, ret, "linux: create", lb->cell_file);
}

/* A cell this command created and could not boot goes again: nothing half-done stays. */
static void undo_create(int fd, const struct jailhouse_cell_id *cid, const char *name)
{
	if (ioctl(fd, JAILHOUSE_CELL_DESTROY, cid))
		err_out("could not destroy cell \"%s\" again: %s", name,
			refusal_text(fd, errno));
	else
		fprintf(stderr, "jailhouse: cell linux: cell \"%s\" destroyed again\n", name);
}

static int boot(struct linux_boot *lb)
{
	struct jailhouse_cell_id cid = { .id = -1 };
	int fd, created = 0, ret;

	memcpy(cid.name, lb->name, sizeof(cid.name) - 1);
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (cli_resolve_id(&cid) < 0) {
		ret = create(lb, fd);
		if (ret)
			goto out;
		created = 1;
	}
	ret = load(lb, fd, &cid);
	if (!ret)
		ret = cli_report(fd, ioctl(fd, JAILHOUSE_CELL_START, &cid), "linux: start",
				 lb->name);
	if (ret && created)
		undo_create(fd, &cid, lb->name);
	if (!ret)
		print_layout(lb, "started");
out:
	close(fd);
	return ret;
}

static int write_dtb(const struct linux_boot *lb)
{
	FILE *f = fopen(lb->write_dtb, "wb");

	if (!f || fwrite(lb->dtb, 1, lb->dtb_size, f) != lb->dtb_size) {
		err_out("cannot write %s: %s", lb->write_dtb, strerror(errno));
		if (f)
			fclose(f);
		return 1;
	}
	if (fclose(f))
		return err_out("cannot write %s: %s", lb->write_dtb, strerror(errno));
	return 0;
}

static void free_all(struct linux_boot *lb)
{
	free(lb->cell);
	free(lb->kernel);
	free(lb->dtb_in);
	free(lb->initrd);
	free(lb->dtb);
}

int cell_linux(int argc, char *argv[])
{
	struct linux_boot *lb = calloc(1, sizeof(*lb));
	int ret;

	if (!lb)
		return err_out("out of memory");
	if (argc == 4 && (!strcmp(argv[3], "--help") || !strcmp(argv[3], "-h"))) {
		cell_linux_usage(stdout);
		free(lb);
		return 0;
	}
	ret = parse_args(argc, argv, lb);
	if (!ret)
		ret = read_cell(lb) || read_kernel(lb) || read_dtb(lb) || read_initrd(lb) ||
		      plan(lb);
	if (!ret && lb->write_dtb)
		ret = write_dtb(lb);
	if (!ret && (lb->dry_run || lb->write_dtb))
		print_layout(lb, "laid out (dry run, nothing loaded)");
	else if (!ret)
		ret = boot(lb);
	free_all(lb);
	free(lb);
	return ret;
}
