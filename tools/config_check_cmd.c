// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse config check SYSTEM.cell [CELL.cell...]: compiled configurations checked on the
 * target, without configgen: the system with the validator enable runs, each cell against that
 * system as the hypervisor checks it on create (config_cross.c), and every pair of cells for
 * what keeps them from running together (a CPU, or memory neither shares). Cells that are
 * alternatives may overlap: that is a warning, not an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <asm/cfg_limits.h>
#include "cli.h"
#include "config_check.h"

#define MAX_CELLS	64

struct blob {
	const char *path;
	void *data;
	size_t size;
	int ok;
};

static const struct hvcfg_cell_desc *desc(const struct blob *b)
{
	return &((const struct hvcfg_cell *)b->data)->cell;
}

static int check_system(struct blob *s, const struct cfg_limits *lim)
{
	const struct hvcfg_system *sys = s->data;
	struct cfg_status st = { 0 };

	if (cfg_check_system(s->data, s->size, lim, &st)) {
		printf("%s: error: %s (0x%llx)\n", s->path, cfg_result_text(st.code),
		       (unsigned long long)st.detail);
		return -1;
	}
	printf("%s: ok: system, root cell \"%.32s\", %u CPUs\n", s->path, sys->root_cell.name,
	       sys->num_cpus);
	return 0;
}

static int check_cell(const struct blob *s, struct blob *c, const struct cfg_limits *lim)
{
	struct cfg_status st = { 0 };

	if (cfg_check_cell_in_system(s->data, s->size, c->data, c->size, lim, &st)) {
		printf("%s: error: %s (0x%llx)\n", c->path, cfg_result_text(st.code),
		       (unsigned long long)st.detail);
		return -1;
	}
	c->ok = 1;
	printf("%s: ok: cell \"%.32s\" fits the system\n", c->path, desc(c)->name);
	return 0;
}

/* The first CPU both cells have, or -1. */
static int shared_cpu(const struct blob *a, const struct blob *b, unsigned int num_cpus)
{
	unsigned int n;

	for (n = 0; n < num_cpus; n++)
		if (cfg_cpu_in_set(a->data, desc(a), n) && cfg_cpu_in_set(b->data, desc(b), n))
			return (int)n;
	return -1;
}

/* The first memory region of a that b also has and that not both share; NULL if none. */
static const struct hvcfg_memory_region *shared_mem(const struct blob *a, const struct blob *b)
{
	const struct hvcfg_memory_region *ma = cfg_mem_regions(a->data, desc(a));
	const struct hvcfg_memory_region *mb = cfg_mem_regions(b->data, desc(b));
	unsigned int i, j;

	for (i = 0; i < desc(a)->num_mem_regions; i++)
		for (j = 0; j < desc(b)->num_mem_regions; j++) {
			if ((ma[i].flags | mb[j].flags) & HVCFG_MEM_COMM_REGION)
				continue;
			if (ma[i].flags & mb[j].flags & HVCFG_MEM_SHARED)
				continue;
			if (cfg_overlaps(ma[i].phys_start, ma[i].size, mb[j].phys_start,
					 mb[j].size))
				return &ma[i];
		}
	return NULL;
}

static void check_pair(const struct blob *a, const struct blob *b, unsigned int num_cpus)
{
	const struct hvcfg_memory_region *m = shared_mem(a, b);
	int cpu = shared_cpu(a, b, num_cpus);

	if (cpu >= 0)
		printf("%s, %s: warning: cells \"%.32s\" and \"%.32s\" cannot run together: both "
		       "have CPU %d\n", a->path, b->path, desc(a)->name, desc(b)->name, cpu);
	else if (m)
		printf("%s, %s: warning: cells \"%.32s\" and \"%.32s\" cannot run together: both "
		       "have memory at 0x%llx (not shared)\n", a->path, b->path, desc(a)->name,
		       desc(b)->name, (unsigned long long)m->phys_start);
}

int cli_config_check(int argc, char *argv[])
{
	const struct cfg_limits lim = ARCH_CFG_LIMITS(HVCFG_MAX_CPUS);
	struct blob b[MAX_CELLS + 1] = { { 0 } };
	int i, j, n = argc - 3, errors = 0, io_error = 0;

	if (n < 1 || n > MAX_CELLS + 1 || argv[3][0] == '-') {
		fprintf(stderr, "Usage: jailhouse config check SYSTEM.cell [CELL.cell...] "
			"(at most %d cells)\n", MAX_CELLS);
		return 2;
	}
	for (i = 0; i < n; i++) {
		b[i].path = argv[3 + i];
		b[i].data = cli_slurp(b[i].path, &b[i].size);
		if (!b[i].data) {
			io_error = 1;
			goto out;
		}
		if (cli_jailhouse_blob(b[i].path, b[i].data, b[i].size)) {
			errors = 1;
			goto out;
		}
	}
	if (check_system(&b[0], &lim)) {
		errors = 1;
		goto out;
	}
	for (i = 1; i < n; i++)
		errors += check_cell(&b[0], &b[i], &lim) != 0;
	for (i = 1; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (b[i].ok && b[j].ok)
				check_pair(&b[i], &b[j],
					   ((struct hvcfg_system *)b[0].data)->num_cpus);
out:
	for (i = 0; i < n; i++)
		free(b[i].data);
	return io_error ? 2 : errors ? 1 : 0;
}

/*
 * jailhouse config create [-r ROOT] [--mem-hv SIZE] [--mem-inmates SIZE] FILE: upstream's
 * options, run as configgen create (which writes a .dts, not a C file).
 */
int cli_config_create(int argc, char *argv[])
{
	char *args[12] = { "configgen", "create" }, *file = NULL;
	size_t len;
	int i, n = 2;

	for (i = 3; i < argc; i++) {
		const char *a = argv[i];
		const char *to = !strcmp(a, "-r") || !strcmp(a, "--root") ? "--root" :
				 !strcmp(a, "--mem-hv") ? "--hypervisor-size" :
				 !strcmp(a, "--mem-inmates") ? "--cell-size" : NULL;

		if (to && i + 1 < argc && n < 8) {
			args[n++] = (char *)to;
			args[n++] = argv[++i];
		} else if (!strcmp(a, "-g") || !strcmp(a, "--generate-collector")) {
			fprintf(stderr, "jailhouse: config create -g: no collector script is "
				"needed: run jailhouse config collect FILE.tar on the target\n");
			return 2;
		} else if (a[0] == '-' || file) {
			fprintf(stderr, "jailhouse: config create: '%s' is not supported (-r ROOT, "
				"--mem-hv SIZE, --mem-inmates SIZE, FILE; more in configgen create "
				"--help)\n", a);
			return 2;
		} else {
			file = argv[i];
		}
	}
	len = file ? strlen(file) : 0;
	if (!file || (len > 2 && !strcmp(file + len - 2, ".c"))) {
		fprintf(stderr, "Usage: jailhouse config create [-r ROOT] [--mem-hv SIZE] "
			"[--mem-inmates SIZE] FILE.dts (a device tree source, not C)\n");
		return 2;
	}
	args[n++] = "-o";
	args[n++] = file;
	execvp("configgen", args);
	fprintf(stderr, "jailhouse: config create runs configgen create: configgen is not "
		"installed here (make install, or run it on the build host with --root "
		"SNAPSHOT.tar)\n");
	return 1;
}
