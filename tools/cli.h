/* SPDX-License-Identifier: GPL-2.0 */
#ifndef JAILHOUSE_CLI_H
#define JAILHOUSE_CLI_H

#include <stddef.h>
#include <stdio.h>

struct jailhouse_cell_id;

/* configurations and images: a cell's kernel and initrd together stay well below this */
#define MAX_FILE_SIZE	(1 << 30)

int cmd_cell(int argc, char *argv[]);
/* jailhouse config collect (collect.c), check and create (config_check_cmd.c) */
int cmd_config(int argc, char *argv[]);
int cli_config_check(int argc, char *argv[]);
int cli_config_create(int argc, char *argv[]);
/* jailhouse cell linux (cell_linux.c) */
int cell_linux(int argc, char *argv[]);
void cell_linux_usage(FILE *out);
/* Why the last request on fd was refused with errno err, in the hypervisor's or driver's words. */
const char *refusal_text(int fd, int err);

/* cell.c, for the cell subcommands */
int cli_open_dev(void);
/* The whole file (at most MAX_FILE_SIZE), malloc'd; NULL after saying why. */
void *cli_slurp(const char *name, size_t *size);
/* The sysfs id of a cell given by id or name, or -1. */
int cli_resolve_id(const struct jailhouse_cell_id *cid);
/* A Jailhouse (upstream) blob: says so, with the conversion, and returns 1; else 0. */
int cli_jailhouse_blob(const char *path, const void *blob, size_t size);
/* A cell's sysfs attribute (cells/<id>/attr), its first line; -1 with errno if unreadable. */
int cli_read_attr(int id, const char *attr, char *buf, size_t len);
/* CELL argument(s) at argv[*i]: an id, a name or --name NAME; -1 after saying why. */
int cli_parse_cell(int argc, char *argv[], int *i, struct jailhouse_cell_id *cid);
/* jailhouse cell stats (cell_stats.c) */
int cli_cell_stats(int argc, char *argv[]);
/* term.c: single keys without echo from a terminal on stdin (1), or not a terminal (0). */
int cli_term_keys_on(void);
void cli_term_keys_off(void);
/* SIGINT and SIGTERM only set a flag (cli_term_stopped) and interrupt the current wait. */
void cli_term_catch_stop(void);
int cli_term_stopped(void);
/* ret < 0: print the refusal of the request on fd (still open) and return 1; else 0. */
int cli_report(int fd, int ret, const char *what, const char *cell);

#endif
