/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The user-space interface of /dev/ivshmem<N> (jailhouse_ivshmem.ko, docs/ivshmem.md): one
 * character device per link end whose protocol is not IVSHMEM_PROTO_NET.
 *
 * mmap(): the file offset selects a region, in pages (offset = index * page size); the length
 * may be shorter than the region, never longer:
 *   IVSHMEM_MMAP_REGS        the register page (hv/include/ivshmem.h; aligned 32-bit accesses)
 *   IVSHMEM_MMAP_STATE       the state table, read-only (PROT_WRITE is refused)
 *   IVSHMEM_MMAP_RW          the read/write section
 *   IVSHMEM_MMAP_OUTPUT(p)   peer p's output section, writable only for p == own id
 * read():  of at least 4 bytes: blocks until an interrupt arrived since this file's last read,
 *          returns a __u32, the number of interrupts since then (O_NONBLOCK: -EAGAIN).
 * poll():  POLLIN when read() would not block; POLLHUP|POLLERR once the device is gone.
 * write(): of exactly 4 bytes: a __u32 for the doorbell register, IVSHMEM_DOORBELL(peer, 0);
 *          another peer, vector 0, else -EINVAL.
 * Once the device is removed (module unloaded, hypervisor disabled), every call fails with
 * -ENODEV and mappings raise SIGBUS: nothing waits for a peer or a device forever.
 * Closing the last file descriptor of an end writes 0 into its state register.
 */
#ifndef JAILHOUSE_IVSHMEM_IOCTL_H
#define JAILHOUSE_IVSHMEM_IOCTL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define IVSHMEM_MMAP_REGS		0
#define IVSHMEM_MMAP_STATE		1
#define IVSHMEM_MMAP_RW			2
#define IVSHMEM_MMAP_OUTPUT(peer)	(3 + (peer))

struct ivshmem_info {
	__u64 address;		/* guest-physical address of the state table (link memory) */
	__u64 rw_size;		/* bytes of the read/write section */
	__u64 out_size;		/* bytes of each output section */
	__u32 state_size;	/* bytes of the state table */
	__u32 id;		/* this end's peer id */
	__u32 max_peers;	/* the link's number of peers */
	__u16 protocol;		/* IVSHMEM_PROTO_* */
	__u16 reserved;		/* 0 */
};

#define IVSHMEM_IOCTL_MAGIC		0xb7
/* what the end is: struct ivshmem_info */
#define IVSHMEM_IOCTL_INFO		_IOR(IVSHMEM_IOCTL_MAGIC, 0, struct ivshmem_info)
/* write a __u32 into the own state register (the peers see it and get an interrupt) */
#define IVSHMEM_IOCTL_SET_STATE		_IOW(IVSHMEM_IOCTL_MAGIC, 1, __u32)

#endif
