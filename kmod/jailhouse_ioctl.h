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
typedef uint32_t __u32;
typedef uint64_t __u64;
#endif

struct jailhouse_enable {
	__u64 config;		/* user address of the system blob */
	__u32 size;		/* its length in bytes */
	__u32 flags;		/* 0 */
};

#define JAILHOUSE_ENABLE	_IOW(0, 0, struct jailhouse_enable)
#define JAILHOUSE_DISABLE	_IO(0, 1)

#define JAILHOUSE_MAX_CONFIG	(1024 * 1024)

#endif
