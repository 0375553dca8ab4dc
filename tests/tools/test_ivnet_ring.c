// SPDX-License-Identifier: GPL-2.0
/*
 * The ivnet ring arithmetic (kmod/ivshmem/net.h) on the host: geometry, a writer and a reader
 * moving some 100000 frames through small rings (every wrap position, counters wrapping at 2^32),
 * and a hostile writer's impossible lengths, flags and heads, each refused by the reader.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ivshmem/net.h"
#include "test.h"

static void test_geometry(void)
{
	CHECK(ivnet_ring_size(1 << 20) == 512 * 1024);
	CHECK(ivnet_ring_size((1 << 20) + 256) == 1 << 20);
	CHECK(ivnet_ring_size(8192) == 4096);
	CHECK(ivnet_ring_size(4096) == 0);
	CHECK(ivnet_ring_size(0) == 0);
	CHECK(ivnet_ring_size(1ull << 40) == 1u << 30);
	CHECK(ivnet_max_frame(512 * 1024) == IVNET_MAX_FRAME);
	CHECK(ivnet_max_frame(4096) == 1024 - 64 - 8);
	CHECK(ivnet_entry_size(0) == 64 && ivnet_entry_size(56) == 64 && ivnet_entry_size(57) == 128);
	CHECK(ivnet_room(100, 100, 4096) == 4096);
	CHECK(ivnet_room(100, 0, 4096) == 3996);
	CHECK(ivnet_room(5000, 0, 4096) == 0);		/* the tail too far behind: impossible */
	CHECK(ivnet_room(0, 64, 4096) == 0);		/* the tail ahead of the head */
	CHECK(ivnet_room(0x20, 0xffffffe0u, 4096) == 4096 - 0x40);	/* across 2^32 */
	CHECK(ivnet_need(0, 100, 4096) == 128);
	CHECK(ivnet_need(4096 - 64, 100, 4096) == 64 + 128);
	CHECK(ivnet_need(4096 - 128, 100, 4096) == 128);
}

struct ring {
	uint32_t size, max, head, tail;
	unsigned char *mem;
};

static unsigned char byte(uint32_t n, uint32_t i)
{
	return (unsigned char)(n * 13 + i);
}

/* the driver's put_frame(), with a room check like its xmit */
static int put(struct ring *r, uint32_t len, uint32_t n)
{
	uint32_t pos = r->head & (r->size - 1), i;
	struct ivnet_frame *f;

	if (ivnet_room(r->head, r->tail, r->size) < ivnet_need(r->head, len, r->size))
		return 0;
	if (ivnet_need(r->head, len, r->size) > ivnet_entry_size(len)) {
		f = (struct ivnet_frame *)(r->mem + pos);
		f->len = 0;
		f->flags = IVNET_F_WRAP;
		r->head += r->size - pos;
		pos = 0;
	}
	f = (struct ivnet_frame *)(r->mem + pos);
	for (i = 0; i < len; i++)
		((unsigned char *)(f + 1))[i] = byte(n, i);
	f->len = len;
	f->flags = 0;
	r->head += ivnet_entry_size(len);
	return 1;
}

/* the driver's rx_ring(): -1 for a refused entry, else frames taken (checked against n) */
static int take(struct ring *r, uint32_t *n, uint32_t *bad)
{
	uint32_t avail = r->head - r->tail, size, i;
	const struct ivnet_frame *f;
	int frame, got = 0;

	if (avail > r->size)
		return -1;
	while (avail) {
		f = (const void *)(r->mem + (r->tail & (r->size - 1)));
		size = ivnet_rx_span(r->tail, avail, f->len, f->flags, r->size, r->max, &frame);
		if (!size)
			return -1;
		for (i = 0; frame && i < f->len; i++)
			*bad += ((const unsigned char *)(f + 1))[i] != byte(*n, i);
		*n += frame;
		got += frame;
		r->tail += size;
		avail -= size;
	}
	return got;
}

static void test_stream(uint32_t size, uint32_t start)
{
	struct ring r = { .size = size, .max = ivnet_max_frame(size), .head = start, .tail = start };
	uint32_t sent = 0, received = 0, bad = 0, len, refused = 0;
	unsigned long k;

	r.mem = calloc(1, size);
	srand(size ^ start);
	for (k = 0; k < 200000 / (size / 4096); k++) {
		len = IVNET_MIN_FRAME + (uint32_t)rand() % (r.max - IVNET_MIN_FRAME + 1);
		sent += put(&r, len, sent);
		if (rand() % 3 == 0 && take(&r, &received, &bad) < 0)
			refused++;
	}
	if (take(&r, &received, &bad) < 0)
		refused++;
	CHECK(sent > 300 && received == sent && !bad && !refused);
	if (received != sent || bad || refused)
		printf("  ring %u from 0x%x: sent %u received %u bad bytes %u refused %u\n", size,
		       start, sent, received, bad, refused);
	free(r.mem);
}

static void test_hostile(void)
{
	const uint32_t size = 4096, max = ivnet_max_frame(size);
	int frame;

	CHECK(ivnet_rx_span(0, 4096, 13, 0, size, max, &frame) == 0);	/* below a header */
	CHECK(ivnet_rx_span(0, 4096, max + 1, 0, size, max, &frame) == 0);
	CHECK(ivnet_rx_span(0, 4096, 0xffffffffu, 0, size, max, &frame) == 0);
	CHECK(ivnet_rx_span(0, 4096, 0xfffffff8u, 0, size, max, &frame) == 0);	/* size wraps */
	CHECK(ivnet_rx_span(0, 64, 100, 0, size, max, &frame) == 0);	/* beyond the head */
	CHECK(ivnet_rx_span(4096 - 64, 4096, 100, 0, size, max, &frame) == 0);	/* past the end */
	CHECK(ivnet_rx_span(4096 - 128, 64, 0, IVNET_F_WRAP, size, max, &frame) == 0);
	CHECK(ivnet_rx_span(4096 - 128, 128, 0, IVNET_F_WRAP, size, max, &frame) == 128 && !frame);
	CHECK(ivnet_rx_span(64, 4032, 0, IVNET_F_WRAP, size, max, &frame) == 4032);
	CHECK(ivnet_rx_span(0, 4096, 100, 0, size, max, &frame) == 128 && frame);
	CHECK(ivnet_rx_span(0, 4096, max, 0, size, max, &frame) == ivnet_entry_size(max));
}

int main(void)
{
	test_geometry();
	test_stream(4096, 0);
	test_stream(8192, 0xfffff000u);		/* the counters wrap at 2^32 on the way */
	test_stream(65536, 0x12345640u);
	test_stream(512 * 1024, 0xfff00000u);
	test_hostile();
	return test_report("ivnet_ring");
}
