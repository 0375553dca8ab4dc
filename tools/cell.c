// SPDX-License-Identifier: GPL-2.0
/* jailhouse cell ...: create, load, start, shutdown, destroy, list and stats of non-root cells. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config_check.h"
#include "hypercall.h"
#include "jailhouse_ioctl.h"

#define CELLS_DIR "/sys/devices/jailhouse/cells"


static void cell_usage(FILE *out)
{
	fprintf(out,
		"Usage: jailhouse cell COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  create CELL.cell     create a cell: its CPUs leave Linux, its memory the root\n"
		"  load CELL IMAGE [-a ADDR] [-s STRING -a ADDR]...\n"
		"                       stop the cell and load images (and strings) at guest ADDR\n"
		"                       (default 0)\n"
		"  start CELL           start the cell at its reset address\n"
		"  shutdown CELL        stop the cell (asking it first, unless passive)\n"
		"  destroy CELL         destroy the cell: CPUs and memory back to Linux\n"
		"  list                 id, name, state, CPUs, failed CPUs and interrupt delivery\n"
		"                       (direct or trap) of every cell\n"
		"  stats CELL [-n COUNT]\n"
		"                       exit counters of the cell's CPUs: totals and rates per\n"
		"                       second, refreshed every second on a terminal (q quits);\n"
		"                       otherwise (or with -n COUNT) printed once (COUNT times)\n"
		"  linux CELL.cell IMAGE [-d DTB] [-i INITRD] [-c CMDLINE]\n"
		"                       boot an arm64 Linux kernel in the cell, creating it if\n"
		"                       needed (jailhouse cell linux --help)\n"
		"\n"
		"CELL is a cell id, a name, or --name NAME.\n");
}

int cli_open_dev(void)
{
	int fd = open("/dev/jailhouse", O_RDWR);

	if (fd < 0)
		fprintf(stderr, "jailhouse: cannot open /dev/jailhouse: %s%s\n", strerror(errno),
			errno == ENOENT ? " (load the module: modprobe jailhouse)" : "");
	return fd;
}

void *cli_slurp(const char *name, size_t *size)
{
	struct stat st;
	void *buf = NULL;
	int fd = open(name, O_RDONLY);

	if (fd >= 0 && !fstat(fd, &st)) {
		if (st.st_size > MAX_FILE_SIZE) {
			fprintf(stderr, "jailhouse: %s: %lld bytes, more than the %d MiB a file may "
				"have\n", name, (long long)st.st_size, MAX_FILE_SIZE >> 20);
			close(fd);
			return NULL;
		}
		buf = malloc(st.st_size ? st.st_size : 1);
		if (buf && read(fd, buf, st.st_size) != st.st_size) {
			free(buf);
			buf = NULL;
		}
		*size = st.st_size;
	}
	if (!buf)
		fprintf(stderr, "jailhouse: cannot read %s: %s\n", name, strerror(errno));
	if (fd >= 0)
		close(fd);
	return buf;
}

int cli_read_attr(int id, const char *attr, char *buf, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), CELLS_DIR "/%d/%s", id, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		int err = ferror(f) ? errno : 0;

		fclose(f);
		buf[0] = 0;
		errno = err;
		return err ? -1 : 0;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* Cell ids in ascending order, from sysfs; returns the count. */
static int cell_ids(int *ids, int max)
{
	DIR *d = opendir(CELLS_DIR);
	struct dirent *e;
	int n = 0, i, j, t;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max)
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			ids[n++] = atoi(e->d_name);
	closedir(d);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (ids[j] < ids[i]) {
				t = ids[i];
				ids[i] = ids[j];
				ids[j] = t;
			}
	return n;
}

/* CELL argument(s) at argv[*i]: an id, a name or --name NAME. */
int cli_parse_cell(int argc, char *argv[], int *i, struct jailhouse_cell_id *cid)
{
	const char *arg;
	char *end;
	long id;

	memset(cid, 0, sizeof(*cid));
	cid->id = -1;
	if (*i < argc && !strcmp(argv[*i], "--name"))
		(*i)++;
	else if (*i < argc) {
		id = strtol(argv[*i], &end, 0);
		if (*argv[*i] && !*end && id >= 0) {
			cid->id = (int)id;
			(*i)++;
			return 0;
		}
	}
	if (*i >= argc) {
		fprintf(stderr, "jailhouse: which cell? (id or name)\n");
		return -1;
	}
	arg = argv[(*i)++];
	if (strlen(arg) >= sizeof(cid->name)) {
		fprintf(stderr, "jailhouse: cell name '%s' is too long\n", arg);
		return -1;
	}
	strcpy(cid->name, arg);
	return 0;
}

/* The sysfs id of a cell given by id or name, or -1. */
int cli_resolve_id(const struct jailhouse_cell_id *cid)
{
	int ids[256], n = cell_ids(ids, 256), k;
	char name[64];

	for (k = 0; k < n; k++) {
		if (cid->id >= 0 ? ids[k] == cid->id :
		    !cli_read_attr(ids[k], "name", name, sizeof(name)) && !strcmp(name, cid->name))
			return ids[k];
	}
	return -1;
}

/* Called with the request's fd still open: the driver keeps the reason per fd. */
int cli_report(int fd, int ret, const char *what, const char *cell)
{
	int err = errno;

	if (ret >= 0)
		return 0;
	fprintf(stderr, "jailhouse: cell %s %s: %s (%s)\n", what, cell, refusal_text(fd, err),
		strerror(err));
	return 1;
}

static int cell_create(int argc, char *argv[])
{
	struct jailhouse_cell_create req = { 0 };
	char name[HVCFG_NAME_LEN] = "";
	size_t size;
	void *blob;
	int fd, ret;

	if (argc != 4) {
		fprintf(stderr, "Usage: jailhouse cell create CELL.cell\n");
		return 2;
	}
	blob = cli_slurp(argv[3], &size);
	if (!blob)
		return 1;
	if (cli_jailhouse_blob(argv[3], blob, size)) {
		free(blob);
		return 1;
	}
	if (size >= sizeof(struct hvcfg_cell))
		memcpy(name, ((struct hvcfg_cell *)blob)->cell.name, sizeof(name) - 1);
	fd = cli_open_dev();
	if (fd < 0) {
		free(blob);
		return 1;
	}
	req.config = (uintptr_t)blob;
	req.size = size;
	ret = ioctl(fd, JAILHOUSE_CELL_CREATE, &req);
	free(blob);
	if (ret >= 0)
		printf("Cell \"%s\" created, id %d\n", name, ret);
	ret = cli_report(fd, ret, "create", argv[3]);
	close(fd);
	return ret;
}

static int cell_load(int argc, char *argv[])
{
	struct jailhouse_cell_load *req;
	struct jailhouse_preload_image *img;
	void *bufs[JAILHOUSE_MAX_IMAGES];
	unsigned int n = 0, k;
	int i = 3, fd, ret = -1, is_string;
	size_t size;

	req = calloc(1, sizeof(*req) + JAILHOUSE_MAX_IMAGES * sizeof(*img));
	if (!req || cli_parse_cell(argc, argv, &i, &req->cell_id))
		return 2;
	while (i < argc) {
		if (n >= JAILHOUSE_MAX_IMAGES) {
			fprintf(stderr, "jailhouse: at most %d images\n", JAILHOUSE_MAX_IMAGES);
			return 2;
		}
		img = &req->image[n];
		is_string = !strcmp(argv[i], "-s") || !strcmp(argv[i], "--string");
		if (is_string) {
			if (++i >= argc)
				goto usage;
			size = strlen(argv[i]) + 1;
			bufs[n] = strdup(argv[i]);
		} else if (argv[i][0] == '-') {
			goto usage;
		} else {
			bufs[n] = cli_slurp(argv[i], &size);
			if (!bufs[n])
				return 1;
		}
		img->source = (uintptr_t)bufs[n];
		img->size = size;
		i++;
		if (i + 1 < argc && (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--address"))) {
			img->target = strtoull(argv[i + 1], NULL, 0);
			i += 2;
		} else if (is_string) {
			fprintf(stderr, "jailhouse: a string needs its address (-a ADDR)\n");
			return 2;
		}
		n++;
	}
	req->num_images = n;
	fd = cli_open_dev();
	if (fd >= 0) {
		ret = cli_report(fd, ioctl(fd, JAILHOUSE_CELL_LOAD, req), "load", argv[3]);
		close(fd);
	}
	for (k = 0; k < n; k++)
		free(bufs[k]);
	free(req);
	return fd < 0 ? 1 : ret;
usage:
	fprintf(stderr, "Usage: jailhouse cell load CELL IMAGE [-a ADDR] [-s STRING -a ADDR]...\n");
	return 2;
}

static int cell_simple(int argc, char *argv[])
{
	struct jailhouse_cell_load load = { 0 };
	struct jailhouse_cell_id cid;
	const char *cmd = argv[2];
	int i = 3, fd, ret;

	if (cli_parse_cell(argc, argv, &i, &cid))
		return 2;
	if (i != argc) {
		fprintf(stderr, "Usage: jailhouse cell %s CELL\n", cmd);
		return 2;
	}
	fd = cli_open_dev();
	if (fd < 0)
		return 1;
	if (!strcmp(cmd, "start")) {
		ret = ioctl(fd, JAILHOUSE_CELL_START, &cid);
	} else if (!strcmp(cmd, "destroy")) {
		ret = ioctl(fd, JAILHOUSE_CELL_DESTROY, &cid);
	} else {
		/* shutdown: a load without images stops the cell (Jailhouse does the same) */
		load.cell_id = cid;
		ret = ioctl(fd, JAILHOUSE_CELL_LOAD, &load);
	}
	ret = cli_report(fd, ret, cmd, argv[3]);
	close(fd);
	return ret;
}

static int cell_list(void)
{
	int ids[256], n = cell_ids(ids, 256), k;
	char name[64], state[32], cpus[64], failed[64], irqs[16];

	if (access(CELLS_DIR, F_OK)) {
		fprintf(stderr, "jailhouse: the module is not loaded\n");
		return 1;
	}
	printf("%-4s %-24s %-16s %-16s %-16s %s\n", "ID", "Name", "State", "Assigned CPUs",
	       "Failed CPUs", "Interrupts");
	for (k = 0; k < n; k++) {
		if (cli_read_attr(ids[k], "name", name, sizeof(name)) ||
		    cli_read_attr(ids[k], "state", state, sizeof(state)) ||
		    cli_read_attr(ids[k], "cpus_assigned", cpus, sizeof(cpus)) ||
		    cli_read_attr(ids[k], "cpus_failed", failed, sizeof(failed)))
			continue;
		if (cli_read_attr(ids[k], "interrupt_delivery", irqs, sizeof(irqs)))
			strcpy(irqs, "?");	/* an older module */
		printf("%-4d %-24s %-16s %-16s %-16s %s\n", ids[k], name, state, cpus,
		       failed[0] ? failed : "-", irqs);
	}
	return 0;
}

int cmd_cell(int argc, char *argv[])
{
	const char *sub = argc > 2 ? argv[2] : "";

	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		cell_usage(stdout);
		return 0;
	}
	if (!strcmp(sub, "create"))
		return cell_create(argc, argv);
	if (!strcmp(sub, "load"))
		return cell_load(argc, argv);
	if (!strcmp(sub, "start") || !strcmp(sub, "shutdown") || !strcmp(sub, "destroy"))
		return cell_simple(argc, argv);
	if (!strcmp(sub, "list") && argc == 3)
		return cell_list();
	if (!strcmp(sub, "stats"))
		return cli_cell_stats(argc, argv);
	if (!strcmp(sub, "linux"))
		return cell_linux(argc, argv);
	cell_usage(stderr);
	return 2;
}
