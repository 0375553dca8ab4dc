/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ring protocol of ivnet (IVSHMEM_PROTO_NET), a link of exactly two peers; both ends run it
 * (docs/ivshmem.md explains it at length). Each peer's output section holds a struct ivnet_hdr
 * then, at IVNET_RING_OFFSET, its transmit ring of ring_size bytes (the largest power of two
 * that fits; both ends derive it from out_size). Everything little-endian, written only by the
 * section's owner.
 *
 * A frame in a ring: struct ivnet_frame, then len bytes of Ethernet frame; the next frame
 * starts IVNET_ALIGN-aligned. A frame never wraps: where the rest of the ring is too short,
 * a frame with IVNET_F_WRAP (len 0) sends the reader to the ring's start.
 *
 * Session handshake: a peer starting (interface up) picks a random session id (sid, never 0),
 * empties its ring, clears peer_sid and writes IVNET_STATE_READY into its state register.
 * Seeing the other peer READY or RUN with a session id other than its peer_sid, a peer empties
 * its ring (tx_head = rx_tail = 0), stores that id in peer_sid and writes IVNET_STATE_RUN. The
 * link is up for a peer while both are RUN and each one's peer_sid is the other's sid; anything
 * else (the peer's state 0: destroyed, stopped, interface down; a new sid: restarted) takes it
 * down. A peer that sees nonsense in the other's ring starts a new session of its own.
 */
#ifndef JH_KMOD_IVSHMEM_NET_H
#define JH_KMOD_IVSHMEM_NET_H

#include <linux/types.h>

#define IVNET_MAGIC		0x54454e56	/* "VNET" */
#define IVNET_VERSION		1
#define IVNET_STATE_READY	1
#define IVNET_STATE_RUN		2

#define IVNET_RING_OFFSET	256
#define IVNET_ALIGN		64
#define IVNET_F_WRAP		1
#define IVNET_MIN_FRAME		14	/* an Ethernet header */
#define IVNET_MAX_FRAME		(65535 + IVNET_MIN_FRAME)

struct ivnet_hdr {
	__u32 magic;		/* IVNET_MAGIC */
	__u32 version;		/* IVNET_VERSION */
	__u32 sid;		/* this peer's session id, 0: none */
	__u32 peer_sid;		/* the other peer's session this one runs with, 0: none */
	__u8 pad0[48];
	__u32 tx_head;		/* bytes put into this peer's ring so far (wraps at 2^32) */
	__u32 tx_waiting;	/* 1: this peer waits for room: ring its doorbell on progress */
	__u8 pad1[56];
	__u32 rx_tail;		/* bytes of the other peer's ring consumed so far */
	__u8 pad2[60];
};

struct ivnet_frame {
	__u32 len;		/* bytes of Ethernet frame following */
	__u32 flags;		/* IVNET_F_* */
};


/*
 * The ring's arithmetic, pure (the driver and tests/tools/test_ivnet_ring.c use it). Positions
 * are free-running byte counts; ring_size is a power of two.
 */
static inline __u32 ivnet_entry_size(__u32 len)
{
	return (__u32)(sizeof(struct ivnet_frame) + len + IVNET_ALIGN - 1) & ~(IVNET_ALIGN - 1u);
}

/* The ring of an output section of out_size bytes; 0: too small for one (8 KiB at least) */
static inline __u32 ivnet_ring_size(__u64 out_size)
{
	__u64 room = out_size > IVNET_RING_OFFSET ? out_size - IVNET_RING_OFFSET : 0;
	__u32 size = 1u << 30;

	if (room < 4096)
		return 0;
	while (size > room)
		size >>= 1;
	return size;
}

/* The largest frame a ring carries: four of them fit */
static inline __u32 ivnet_max_frame(__u32 ring_size)
{
	__u32 max = ring_size / 4 - IVNET_ALIGN - sizeof(struct ivnet_frame);

	return max < IVNET_MAX_FRAME ? max : IVNET_MAX_FRAME;
}

/* Free bytes for the writer at head; 0 also when the reader's tail is impossible */
static inline __u32 ivnet_room(__u32 head, __u32 peer_tail, __u32 ring_size)
{
	__u32 used = head - peer_tail;

	return used > ring_size ? 0 : ring_size - used;
}

/* Ring bytes a frame of len needs at head: itself, and the wrap before it if it does not fit */
static inline __u32 ivnet_need(__u32 head, __u32 len, __u32 ring_size)
{
	__u32 to_end = ring_size - (head & (ring_size - 1));
	__u32 size = ivnet_entry_size(len);

	return size > to_end ? to_end + size : size;
}

/*
 * What the reader finds at tail with avail bytes published: the bytes the entry (frame or wrap)
 * takes, *frame set for a frame; 0 when the writer's fields are impossible. len and flags must
 * be read once by the caller: the writer may change them meanwhile.
 */
static inline __u32 ivnet_rx_span(__u32 tail, __u32 avail, __u32 len, __u32 flags,
				  __u32 ring_size, __u32 max_frame, int *frame)
{
	__u32 to_end = ring_size - (tail & (ring_size - 1));
	__u32 size;

	*frame = !(flags & IVNET_F_WRAP);
	if (!*frame)
		return to_end <= avail ? to_end : 0;
	if (len < IVNET_MIN_FRAME || len > max_frame)
		return 0;
	size = ivnet_entry_size(len);
	return size <= avail && size <= to_end ? size : 0;
}

#endif
