// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse cell stats CELL [-n COUNT | --once]: the exit counters of a cell's CPUs (sysfs
 * cells/<id>/statistics), totals and rates per second. On a terminal the table is redrawn
 * every second until q or Ctrl-C (like upstream's jailhouse-cell-stats); otherwise, or with
 * -n, it is printed COUNT times (default once), one second apart.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "cli.h"
#include "jailhouse_ioctl.h"
#include <asm/exit_reasons.h>	/* hv/arch/$(ARCH)/include: the arch's counters */
#include "hypercall.h"

static const char *const names[NUM_EXIT_REASONS] = HV_EXIT_STAT_NAMES;
static int read_stats(int id, unsigned long long *vals)
{
	char attr[64], buf[32];
	unsigned int n;

	for (n = 0; n < NUM_EXIT_REASONS; n++) {
		snprintf(attr, sizeof(attr), "statistics/vmexits_%s", names[n]);
		if (cli_read_attr(id, attr, buf, sizeof(buf)))
			return -1;
		vals[n] = strtoull(buf, NULL, 10);
	}
	return 0;
}

static void print_table(int id, const unsigned long long *a, const unsigned long long *b)
{
	char name[64] = "";
	unsigned int n;

	cli_read_attr(id, "name", name, sizeof(name));
	printf("Statistics of cell \"%s\" (id %d), rates over 1 s\n", name, id);
	printf("%-24s %12s %10s\n", "exit reason", "total", "per second");
	for (n = 0; n < NUM_EXIT_REASONS; n++)
		printf("vmexits_%-16s %12llu %10llu\n", names[n], b[n], b[n] - a[n]);
}

/* One second, or less when q arrives on the terminal (1) or a signal ends it (-1). */
static int wait_second(int keys)
{
	struct timeval tv = { 1, 0 };
	fd_set in;
	char ch;

	FD_ZERO(&in);
	if (keys)
		FD_SET(STDIN_FILENO, &in);
	if (select(keys ? STDIN_FILENO + 1 : 0, &in, NULL, NULL, &tv) < 0)
		return errno == EINTR ? -1 : 0;
	if (keys && FD_ISSET(STDIN_FILENO, &in) && read(STDIN_FILENO, &ch, 1) == 1)
		return ch == 'q' || ch == 'Q' ? 1 : 0;
	return cli_term_stopped() ? -1 : 0;
}

/* Redraw every second until q, Ctrl-C or the cell's end. */
static int live(int id, const char *cell, unsigned long long *a, unsigned long long *b)
{
	int keys, ret = 0, w;

	cli_term_catch_stop();
	keys = cli_term_keys_on();
	while (!cli_term_stopped()) {
		w = wait_second(keys);
		if (w)
			break;
		if (read_stats(id, b)) {
			printf("\njailhouse: cell stats %s: the cell is gone\n", cell);
			ret = 1;
			break;
		}
		printf("\033[H\033[2J");
		print_table(id, a, b);
		printf("\n%s\n", keys ? "q: quit" : "Ctrl-C: quit");
		fflush(stdout);
		memcpy(a, b, sizeof(*b) * NUM_EXIT_REASONS);
	}
	cli_term_keys_off();
	return ret;
}

static int parse_count(int argc, char *argv[], int i, long *count)
{
	char *end;

	*count = 0;
	if (i == argc)
		return 0;
	if (i + 1 == argc && !strcmp(argv[i], "--once")) {
		*count = 1;
		return 0;
	}
	if (i + 2 == argc && (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--count"))) {
		*count = strtol(argv[i + 1], &end, 10);
		if (*argv[i + 1] && !*end && *count > 0)
			return 0;
	}
	return -1;
}

int cli_cell_stats(int argc, char *argv[])
{
	unsigned long long a[NUM_EXIT_REASONS], b[NUM_EXIT_REASONS];
	struct jailhouse_cell_id cid;
	int i = 3, id;
	long count, k;

	/* an option where the cell belongs (cell stats -n 2) is a usage error, not a cell name */
	if ((argc > 3 && argv[3][0] == '-' && strcmp(argv[3], "--name")) ||
	    cli_parse_cell(argc, argv, &i, &cid) || parse_count(argc, argv, i, &count)) {
		fprintf(stderr, "Usage: jailhouse cell stats CELL [-n COUNT | --once]\n");
		return 2;
	}
	id = cli_resolve_id(&cid);
	if (id < 0) {
		fprintf(stderr, "jailhouse: cell stats %s: no such cell\n", argv[3]);
		return 1;
	}
	if (read_stats(id, a)) {
		fprintf(stderr, "jailhouse: cell stats %s: %s\n", argv[3], errno == EOPNOTSUPP ?
			"exit statistics are not compiled into the hypervisor (CONFIG_EXIT_STATS)" :
			strerror(errno));
		return 1;
	}
	if (!count && isatty(STDOUT_FILENO))
		return live(id, argv[3], a, b);
	for (k = 0; k < (count ? count : 1); k++) {
		sleep(1);
		if (read_stats(id, b))
			return 1;
		if (k)
			putchar('\n');
		print_table(id, a, b);
		fflush(stdout);
		memcpy(a, b, sizeof(a));
	}
	return 0;
}
