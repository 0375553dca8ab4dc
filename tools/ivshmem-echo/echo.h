/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivshmem-echo: the root's end of the echo protocol (hv/include/ivshmem_echo.h) over
 * /dev/ivshmem<N> (kmod/ivshmem/ivshmem_ioctl.h). The pure parts (argument parsing, slot
 * geometry, the checksum, the test pattern) are in args.c and msg.c for the unit tests
 * (tests/tools/test_ivshmem_echo.c).
 */
#ifndef IVSHMEM_ECHO_TOOL_H
#define IVSHMEM_ECHO_TOOL_H

#include <stddef.h>
#include <stdint.h>

enum echo_mode { ECHO_NONE, ECHO_PING, ECHO_SERVE };

struct echo_opts {
	const char *dev;
	enum echo_mode mode;
	unsigned int peer;		/* --ping's target */
	unsigned long count;		/* -n: round trips / answers; 0: serve without limit */
	unsigned long size;		/* -s: data bytes per message */
	unsigned long timeout_s;	/* -t: ping: each wait; serve: the whole run (0: none) */
	int count_given;
};

#define ECHO_DEFAULT_COUNT	10
#define ECHO_DEFAULT_SIZE	64
#define ECHO_DEFAULT_TIMEOUT	5
#define ECHO_MAX_COUNT		100000000ul
#define ECHO_MAX_SIZE		(16ul << 20)
#define ECHO_MAX_TIMEOUT	86400ul

/* 0: run; 1: help asked; -1: bad arguments, the reason in err */
int echo_parse_args(int argc, char *const argv[], struct echo_opts *o, char *err, size_t len);
extern const char echo_usage[];

/* Bytes of one slot of an output section (0: none fits a header) */
uint64_t echo_slot_size(uint64_t out_size, unsigned int peers);
uint32_t echo_sum(const unsigned char *data, size_t len);
/* The data of message seq: differs from round to round and from byte to byte */
void echo_fill(unsigned char *data, size_t len, uint32_t seq);
/* -1 if data is echo_fill()'s for seq, else the first differing byte */
long echo_mismatch(const unsigned char *data, size_t len, uint32_t seq);

#endif
