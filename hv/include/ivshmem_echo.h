/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The echo protocol (IVSHMEM_PROTO_ECHO) spoken over a link by the bare-metal ivshmem-demo and
 * the root's ivshmem-echo tool: one peer asks, another answers with the same bytes. Plain
 * definitions only (freestanding, kernel and user space include it).
 *
 * Every peer's output section is cut into num_peers equal slots (the section size divided by
 * the number of peers, rounded down to 8 bytes); slot k of peer p's section holds p's latest
 * message to peer k: a struct ivshmem_echo_msg, its data right behind the header.
 *
 * Asking (peer p to peer k): write data, len and sum into slot k of p's section, then seq
 * (incremented, never 0) with release order, then ring k's doorbell (IVSHMEM_DOORBELL(k, 0)).
 * Answering (peer k, on its interrupt or polling): for every peer p whose state-table entry is
 * IVSHMEM_ECHO_READY and whose slot k holds a seq k has not answered yet: verify sum (a
 * mismatch is reported, not answered), copy len and the data into slot p of k's own section,
 * then write the same seq (release), ring p's doorbell.
 * Questions and answers share a slot: a peer that asks and answers (two pingers at once) takes a
 * message in p's slot k whose seq equals the seq of k's own latest message in its slot p for
 * p's answer to k, never for a new question (echoing it would overwrite k's next question).
 * A peer writes IVSHMEM_ECHO_READY into its state register once it answers; 0 (reset) or any
 * other value: not ready.
 */
#ifndef HV_IVSHMEM_ECHO_H
#define HV_IVSHMEM_ECHO_H

#define IVSHMEM_ECHO_READY		1	/* state register value of an answering peer */

struct ivshmem_echo_msg {
	unsigned int seq;	/* the message's number, written last; 0: none yet */
	unsigned int len;	/* data bytes */
	unsigned int sum;	/* ivshmem_echo_sum() of the data */
	unsigned int from;	/* the writer's peer id */
	/* unsigned char data[len] follows */
};

#define IVSHMEM_ECHO_HDR_SIZE		16

/* FNV-1a 32-bit over the data: cheap, and order matters */
#define IVSHMEM_ECHO_SUM_INIT		2166136261u
#define IVSHMEM_ECHO_SUM_STEP(h, b)	(((h) ^ (unsigned char)(b)) * 16777619u)

#endif
