/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* /dev/jailhouse interface shared by the module and the CLI. Numbering follows Jailhouse. */
#ifndef JAILHOUSE_IOCTL_H
#define JAILHOUSE_IOCTL_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/ioctl.h>
#else
#include <stdint.h>
#include <sys/ioctl.h>
typedef int32_t __s32;
typedef uint32_t __u32;
typedef uint64_t __u64;
#endif

struct jailhouse_enable {
	__u64 config;		/* user address of the system blob */
	__u32 size;		/* its length in bytes */
	__u32 flags;		/* 0 */
};

#define JAILHOUSE_CELL_NAME_LEN	32

/* A cell by id, or by name when id is -1. */
struct jailhouse_cell_id {
	__s32 id;
	__u32 padding;
	char name[JAILHOUSE_CELL_NAME_LEN];
};

struct jailhouse_cell_create {
	__u64 config;		/* user address of the cell blob */
	__u32 size;
	__u32 padding;
};

struct jailhouse_preload_image {
	__u64 source;		/* user address */
	__u64 size;
	__u64 target;		/* guest-physical address inside a loadable region */
	__u64 padding;
};

/* Stops the cell and maps its loadable regions into the root; then copies the images. */
struct jailhouse_cell_load {
	struct jailhouse_cell_id cell_id;
	__u32 num_images;	/* 0: just stop it (cell shutdown) */
	__u32 padding;
	struct jailhouse_preload_image image[];
};

#define JAILHOUSE_ENABLE	_IOW(0, 0, struct jailhouse_enable)
#define JAILHOUSE_DISABLE	_IO(0, 1)
#define JAILHOUSE_CELL_CREATE	_IOW(0, 2, struct jailhouse_cell_create)
#define JAILHOUSE_CELL_LOAD	_IOW(0, 3, struct jailhouse_cell_load)
#define JAILHOUSE_CELL_START	_IOW(0, 4, struct jailhouse_cell_id)
#define JAILHOUSE_CELL_DESTROY	_IOW(0, 5, struct jailhouse_cell_id)
/* Why the last request on this fd was refused: a reason of refusal.h, 0 if none was given. */
#define JAILHOUSE_LAST_REFUSAL	_IOR(0, 6, __u32)

#define JAILHOUSE_MAX_IMAGES	16

#define JAILHOUSE_MAX_CONFIG	(1024 * 1024)

#endif
