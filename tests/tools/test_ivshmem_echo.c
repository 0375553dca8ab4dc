// SPDX-License-Identifier: GPL-2.0
/* Unit tests of ivshmem-echo's pure parts: its command line, slots, checksum, test pattern. */
#include <stdio.h>
#include <string.h>

#include "echo.h"
#include "ivshmem_echo.h"
#include "ivshmem/ivshmem_ioctl.h"
#include "test.h"

static int parse(struct echo_opts *o, char *err, const char *line)
{
	char buf[256], *argv[16];
	int argc = 0;
	char *tok;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "ivshmem-echo";
	for (tok = strtok(buf, " "); tok && argc < 15; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	err[0] = 0;
	return echo_parse_args(argc, argv, o, err, 160);
}

static void test_args_good(void)
{
	struct echo_opts o;
	char err[160];

	CHECK(parse(&o, err, "/dev/ivshmem0 --ping 1") == 0);
	CHECK(o.mode == ECHO_PING && o.peer == 1 && !strcmp(o.dev, "/dev/ivshmem0"));
	CHECK(o.count == ECHO_DEFAULT_COUNT && o.size == ECHO_DEFAULT_SIZE);
	CHECK(o.timeout_s == ECHO_DEFAULT_TIMEOUT);
	CHECK(parse(&o, err, "--ping 15 -n 100 -s 0 -t 2 /dev/x") == 0);
	CHECK(o.peer == 15 && o.count == 100 && o.size == 0 && o.timeout_s == 2);
	CHECK(parse(&o, err, "/dev/x --serve") == 0);
	CHECK(o.mode == ECHO_SERVE && o.count == 0 && o.timeout_s == 0);
	CHECK(parse(&o, err, "/dev/x --serve -n 5 -t 30") == 0);
	CHECK(o.count == 5 && o.count_given && o.timeout_s == 30);
	CHECK(parse(&o, err, "/dev/x --ping 1 -s 16777216") == 0);
	CHECK(parse(&o, err, "--help") == 1);
	CHECK(parse(&o, err, "/dev/x -h") == 1);
}

static void test_args_bad(void)
{
	static const char *const bad[] = {
		"", "/dev/x", "--ping 1", "/dev/x --ping", "/dev/x --ping 16",
		"/dev/x --ping -1", "/dev/x --ping 1x", "/dev/x --ping 1 --serve",
		"/dev/x --serve --serve", "/dev/x --ping 1 -n 0", "/dev/x --ping 1 -n 100000001",
		"/dev/x --ping 1 -n", "/dev/x --ping 1 -s 16777217", "/dev/x --ping 1 -s -5",
		"/dev/x --ping 1 -t 0", "/dev/x --ping 1 -t 86401", "/dev/x --ping 1 -t 1.5",
		"/dev/x --ping 1 -x 3", "/dev/x /dev/y --serve", "/dev/x --ping 99999999999999999999",
		"/dev/x --ping ''", "/dev/x --serve -n +3", "/dev/x --serve -t ' 3'",
	};
	struct echo_opts o;
	char err[160];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = parse(&o, err, bad[i]);

		CHECK(ret == -1 && err[0]);
		if (ret != -1)
			printf("  accepted: '%s'\n", bad[i]);
	}
}

static void test_slots(void)
{
	CHECK(echo_slot_size(65536, 3) == 21840);
	CHECK(echo_slot_size(65536, 2) == 32768);
	CHECK(echo_slot_size(4096, 16) == 256);
	CHECK(echo_slot_size(0, 2) == 0);
	CHECK(echo_slot_size(20, 2) == 0);	/* 10 -> 8: no header fits */
	CHECK(echo_slot_size(32, 2) == 16);
	CHECK(echo_slot_size(4096, 0) == 0);
}

static void test_sum_and_pattern(void)
{
	unsigned char a[300], b[300];

	/* FNV-1a 32-bit reference values */
	CHECK(echo_sum((const unsigned char *)"", 0) == 0x811c9dc5u);
	CHECK(echo_sum((const unsigned char *)"a", 1) == 0xe40c292cu);
	CHECK(echo_sum((const unsigned char *)"foobar", 6) == 0xbf9cf968u);
	echo_fill(a, sizeof(a), 7);
	echo_fill(b, sizeof(b), 8);
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	CHECK(echo_mismatch(a, sizeof(a), 7) == -1);
	CHECK(echo_mismatch(a, sizeof(a), 8) >= 0);
	a[299] ^= 1;
	CHECK(echo_mismatch(a, sizeof(a), 7) == 299);
	CHECK(echo_sum(a, sizeof(a)) != echo_sum(b, sizeof(b)));
	CHECK(sizeof(struct ivshmem_echo_msg) == IVSHMEM_ECHO_HDR_SIZE);
	CHECK(sizeof(struct ivshmem_info) == 40);
}

int main(void)
{
	test_args_good();
	test_args_bad();
	test_slots();
	test_sum_and_pattern();
	return test_report("ivshmem_echo");
}
