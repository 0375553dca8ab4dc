// SPDX-License-Identifier: GPL-2.0
/* ivshmem-echo's command line (pure: no global state, unit-tested). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_format.h"
#include "echo.h"

const char echo_usage[] =
	"usage: ivshmem-echo DEV --ping PEER [-n COUNT] [-s SIZE] [-t SECONDS]\n"
	"       ivshmem-echo DEV --serve [-n COUNT] [-t SECONDS]\n"
	"  DEV          an end of an echo link, e.g. /dev/ivshmem0\n"
	"  --ping PEER  COUNT round trips (default 10) of SIZE bytes (default 64) to peer PEER,\n"
	"               each answer checked; -t: the longest wait for the peer (default 5)\n"
	"  --serve      answer every ready peer; -n: stop after COUNT answers, -t: after SECONDS\n"
	"               (default: until interrupted)\n";

static int fail(char *err, size_t len, const char *fmt, const char *a, const char *b)
{
	snprintf(err, len, fmt, a, b);
	return -1;
}

/* A decimal number in [min, max], the whole string */
static int number(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return -1;
	return 0;
}

static int option(char *const argv[], int *i, int argc, struct echo_opts *o, char *err,
		  size_t len)
{
	const char *name = argv[*i], *val = *i + 1 < argc ? argv[*i + 1] : NULL;
	unsigned long v;

	if (!strcmp(name, "--serve")) {
		if (o->mode != ECHO_NONE)
			return fail(err, len, "%s: only one of --ping and --serve%s", name, "");
		o->mode = ECHO_SERVE;
		return 0;
	}
	if (strcmp(name, "--ping") && strcmp(name, "-n") && strcmp(name, "-s") &&
	    strcmp(name, "-t"))
		return fail(err, len, "unknown option '%s'%s", name, "");
	if (!val)
		return fail(err, len, "%s needs a value%s", name, "");
	(*i)++;
	if (!strcmp(name, "--ping")) {
		if (o->mode != ECHO_NONE)
			return fail(err, len, "%s: only one of --ping and --serve%s", name, "");
		if (number(val, 0, HVCFG_IVSHMEM_MAX_PEERS - 1, &v))
			return fail(err, len, "--ping '%s': a peer id from 0 to 15%s", val, "");
		o->mode = ECHO_PING;
		o->peer = (unsigned int)v;
	} else if (!strcmp(name, "-n")) {
		if (number(val, 1, ECHO_MAX_COUNT, &o->count))
			return fail(err, len, "-n '%s': a count from 1 to 100000000%s", val, "");
		o->count_given = 1;
	} else if (!strcmp(name, "-s")) {
		if (number(val, 0, ECHO_MAX_SIZE, &o->size))
			return fail(err, len, "-s '%s': a size from 0 to 16777216 bytes%s", val, "");
	} else if (number(val, 1, ECHO_MAX_TIMEOUT, &o->timeout_s)) {
		return fail(err, len, "-t '%s': seconds from 1 to 86400%s", val, "");
	}
	return 0;
}

int echo_parse_args(int argc, char *const argv[], struct echo_opts *o, char *err, size_t len)
{
	int i, timeout_given = 0;

	memset(o, 0, sizeof(*o));
	o->size = ECHO_DEFAULT_SIZE;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
		if (argv[i][0] != '-') {
			if (o->dev)
				return fail(err, len, "unexpected argument '%s'%s", argv[i], "");
			o->dev = argv[i];
			continue;
		}
		timeout_given |= !strcmp(argv[i], "-t");
		if (option(argv, &i, argc, o, err, len))
			return -1;
	}
	if (!o->dev)
		return fail(err, len, "no device given (e.g. /dev/ivshmem0)%s%s", "", "");
	if (o->mode == ECHO_NONE)
		return fail(err, len, "say --ping PEER or --serve%s%s", "", "");
	if (o->mode == ECHO_PING && !o->count_given)
		o->count = ECHO_DEFAULT_COUNT;
	if (o->mode == ECHO_PING && !timeout_given)
		o->timeout_s = ECHO_DEFAULT_TIMEOUT;
	return 0;
}
