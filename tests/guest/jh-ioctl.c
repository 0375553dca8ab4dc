// SPDX-License-Identifier: GPL-2.0
/*
 * jh-ioctl CASE: hand /dev/jailhouse one malformed request and print how it was refused,
 * "errno=NAME". Exit 0 when the request failed with an errno, 1 when it was accepted, 2 on a
 * usage error. Built static for the guest; system tests assert the errno and that the kernel
 * log stays clean.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "jailhouse_ioctl.h"

struct abuse {
	const char *name;
	unsigned long cmd;
	void *(*arg)(void);
};

static char small_blob[16] = "HVSY";

static void *null_arg(void)
{
	return NULL;
}

static void *enable_null_config(void)
{
	static struct jailhouse_enable req = { .config = 0, .size = 4096 };

	return &req;
}

static void *enable_huge(void)
{
	static struct jailhouse_enable req;

	req = (struct jailhouse_enable){ .config = (uintptr_t)small_blob, .size = 0xffffffffu };
	return &req;
}

static void *enable_truncated(void)
{
	static struct jailhouse_enable req;

	req = (struct jailhouse_enable){ .config = (uintptr_t)small_blob, .size = 8 };
	return &req;
}

static void *enable_flags(void)
{
	static struct jailhouse_enable req;

	req = (struct jailhouse_enable){ .config = (uintptr_t)small_blob,
					 .size = sizeof(small_blob), .flags = 0x80 };
	return &req;
}

/*
 * A readable blob's address with bit 39 set: unmapped on 64-bit, above every pointer on 32-bit
 * ARM, where a driver that truncated it would read the blob itself.
 */
static char page_blob[4096] = "HVSY";
#define HIGH_ADDR(p)	((uintptr_t)(p) | 1ULL << 39)

static void *enable_high_config(void)
{
	static struct jailhouse_enable req;

	req = (struct jailhouse_enable){ .config = HIGH_ADDR(page_blob), .size = sizeof(page_blob) };
	return &req;
}

static void *create_high_config(void)
{
	static struct jailhouse_cell_create req;

	req = (struct jailhouse_cell_create){ .config = HIGH_ADDR(page_blob),
					      .size = sizeof(page_blob) };
	return &req;
}

static void *create_null_config(void)
{
	static struct jailhouse_cell_create req = { .config = 0, .size = 4096 };

	return &req;
}

static void *create_huge(void)
{
	static struct jailhouse_cell_create req;

	req = (struct jailhouse_cell_create){ .config = (uintptr_t)small_blob, .size = 0xffffffffu };
	return &req;
}

static void *create_truncated(void)
{
	static struct jailhouse_cell_create req;

	req = (struct jailhouse_cell_create){ .config = (uintptr_t)small_blob, .size = 8 };
	return &req;
}

static void *cell_id_unknown(void)
{
	static struct jailhouse_cell_id cid = { .id = 77 };

	return &cid;
}

static void *cell_name_unknown(void)
{
	static struct jailhouse_cell_id cid = { .id = -1, .name = "no-such-cell" };

	return &cid;
}

static void *cell_name_unterminated(void)
{
	static struct jailhouse_cell_id cid = { .id = -1 };

	memset(cid.name, 'x', sizeof(cid.name));
	return &cid;
}

static void *cell_root(void)
{
	static struct jailhouse_cell_id cid = { .id = 0 };

	return &cid;
}

static void *load_too_many_images(void)
{
	static struct jailhouse_cell_load req = { .cell_id = { .id = 1 }, .num_images = 0x7fffffff };

	return &req;
}

static void *load_bad_image_pointer(void)
{
	static struct {
		struct jailhouse_cell_load req;
		struct jailhouse_preload_image img;
	} load = { .req = { .cell_id = { .id = -1, .name = "gic-demo" }, .num_images = 1 },
		   .img = { .source = 16, .size = 4096, .target = 0 } };

	return &load;
}

static const struct abuse cases[] = {
	{ "enable-null", JAILHOUSE_ENABLE, null_arg },
	{ "enable-null-config", JAILHOUSE_ENABLE, enable_null_config },
	{ "enable-huge", JAILHOUSE_ENABLE, enable_huge },
	{ "enable-truncated", JAILHOUSE_ENABLE, enable_truncated },
	{ "enable-flags", JAILHOUSE_ENABLE, enable_flags },
	{ "enable-high-config", JAILHOUSE_ENABLE, enable_high_config },
	{ "create-null", JAILHOUSE_CELL_CREATE, null_arg },
	{ "create-null-config", JAILHOUSE_CELL_CREATE, create_null_config },
	{ "create-huge", JAILHOUSE_CELL_CREATE, create_huge },
	{ "create-truncated", JAILHOUSE_CELL_CREATE, create_truncated },
	{ "create-high-config", JAILHOUSE_CELL_CREATE, create_high_config },
	{ "load-null", JAILHOUSE_CELL_LOAD, null_arg },
	{ "load-too-many-images", JAILHOUSE_CELL_LOAD, load_too_many_images },
	{ "load-bad-image-pointer", JAILHOUSE_CELL_LOAD, load_bad_image_pointer },
	{ "start-null", JAILHOUSE_CELL_START, null_arg },
	{ "start-unknown-id", JAILHOUSE_CELL_START, cell_id_unknown },
	{ "start-unknown-name", JAILHOUSE_CELL_START, cell_name_unknown },
	{ "start-unterminated-name", JAILHOUSE_CELL_START, cell_name_unterminated },
	{ "start-root", JAILHOUSE_CELL_START, cell_root },
	{ "destroy-null", JAILHOUSE_CELL_DESTROY, null_arg },
	{ "destroy-unknown-id", JAILHOUSE_CELL_DESTROY, cell_id_unknown },
	{ "destroy-root", JAILHOUSE_CELL_DESTROY, cell_root },
	{ "unknown-command", _IO(0, 0x7f), null_arg },
	{ "wrong-type", _IO('x', 0), null_arg },
};

int main(int argc, char *argv[])
{
	unsigned int n;
	int fd, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: jh-ioctl CASE\ncases:");
		for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++)
			fprintf(stderr, " %s", cases[n].name);
		fprintf(stderr, "\n");
		return 2;
	}
	for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++)
		if (!strcmp(argv[1], cases[n].name))
			break;
	if (n == sizeof(cases) / sizeof(cases[0])) {
		fprintf(stderr, "jh-ioctl: unknown case %s\n", argv[1]);
		return 2;
	}
	fd = open("/dev/jailhouse", O_RDWR);
	if (fd < 0) {
		perror("jh-ioctl: /dev/jailhouse");
		return 2;
	}
	ret = ioctl(fd, cases[n].cmd, cases[n].arg());
	if (ret >= 0) {
		printf("accepted (%d)\n", ret);
		return 1;
	}
	printf("errno=%s (%d)\n", strerrorname_np(errno) ? strerrorname_np(errno) : "?", errno);
	return 0;
}
