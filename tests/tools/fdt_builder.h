/* SPDX-License-Identifier: GPL-2.0 */
/* DTBs built by hand for the host tests of tools/fdt_*.c: any structure, well formed or not. */
#ifndef JAILHOUSE_TEST_FDT_BUILDER_H
#define JAILHOUSE_TEST_FDT_BUILDER_H

#include <stdint.h>
#include <string.h>

/* A DTB under construction: structure and strings apart, joined by finish(). */
struct builder {
	uint8_t st[65536], str[4096], out[80000];
	size_t st_len, str_len;
};

static inline void be32_at(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static inline void tok(struct builder *b, uint32_t v)
{
	be32_at(b->st + b->st_len, v);
	b->st_len += 4;
}

static inline void begin(struct builder *b, const char *name)
{
	size_t n = strlen(name) + 1;

	tok(b, 1);
	memcpy(b->st + b->st_len, name, n);
	b->st_len += (n + 3) & ~3u;
}

static inline void prop(struct builder *b, const char *name, const void *val, uint32_t len)
{
	size_t n = strlen(name) + 1;

	tok(b, 3);
	tok(b, len);
	tok(b, (uint32_t)b->str_len);
	memcpy(b->str + b->str_len, name, n);
	b->str_len += n;
	memcpy(b->st + b->st_len, val, len);
	b->st_len += (len + 3) & ~3u;
}

static inline void prop_str(struct builder *b, const char *name, const char *val)
{
	prop(b, name, val, (uint32_t)strlen(val) + 1);
}

/* Header, one reservation entry and its terminator, structure, strings: the blob's size. */
static inline size_t finish(struct builder *b)
{
	const size_t rsv = 40, st = rsv + 32, str = st + b->st_len, total = str + b->str_len;
	uint8_t *o = b->out;

	memset(o, 0, sizeof(b->out));
	be32_at(o, 0xd00dfeed);
	be32_at(o + 4, (uint32_t)total);
	be32_at(o + 8, (uint32_t)st);
	be32_at(o + 12, (uint32_t)str);
	be32_at(o + 16, (uint32_t)rsv);
	be32_at(o + 20, 17);
	be32_at(o + 24, 16);
	be32_at(o + 32, (uint32_t)b->str_len);
	be32_at(o + 36, (uint32_t)b->st_len);
	be32_at(o + rsv + 4, 0x40000000);
	be32_at(o + rsv + 12, 0x1000);
	memcpy(o + st, b->st, b->st_len);
	memcpy(o + str, b->str, b->str_len);
	return total;
}

#endif
