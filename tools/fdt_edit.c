// SPDX-License-Identifier: GPL-2.0
/*
 * The /chosen edit of jailhouse cell linux (fdt_edit.h): a new blob from a checked one (header,
 * the reservations as they are, the structure with /chosen's bootargs and initrd properties
 * replaced, added or removed, the strings block with new names appended).
 */
#include <stdlib.h>
#include <string.h>

#include "fdt_edit.h"
#include "fdt_parse.h"

#define FDT_OUT_VERSION		17
#define FDT_OUT_LAST_COMP	16

/* A growing buffer; running out of memory sticks (oom) and is reported once at the end. */
struct buf {
	uint8_t *p;
	size_t len, cap;
	int oom;
};

static void put(struct buf *o, const void *d, size_t n)
{
	size_t cap = o->cap ? o->cap : 4096;
	uint8_t *p;

	if (o->oom)
		return;
	while (cap - o->len < n)
		cap *= 2;
	if (cap != o->cap) {
		p = realloc(o->p, cap);
		if (!p) {
			o->oom = 1;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, d, n);
	o->len += n;
}

static void put32(struct buf *o, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	put(o, b, 4);
}

static void pad4(struct buf *o)
{
	static const uint8_t zero[4];

	put(o, zero, fdt_align4(o->len) - o->len);
}

/* The offset of name in the strings block (an existing one, else appended). */
static uint32_t string_offset(struct buf *strings, const char *name)
{
	size_t n = strlen(name) + 1, i;

	for (i = 0; !strings->oom && i + n <= strings->len; i++)
		if (!memcmp(strings->p + i, name, n))
			return (uint32_t)i;
	i = strings->len;
	put(strings, name, n);
	return (uint32_t)i;
}

static void put_prop(struct buf *o, struct buf *strings, const char *name, const void *val,
		     uint32_t len)
{
	put32(o, FDT_PROP);
	put32(o, len);
	put32(o, string_offset(strings, name));
	put(o, val, len);
	pad4(o);
}

static void put_u64_prop(struct buf *o, struct buf *strings, const char *name, uint64_t v)
{
	uint8_t b[8];
	int n;

	for (n = 0; n < 8; n++)
		b[n] = (uint8_t)(v >> (56 - 8 * n));
	put_prop(o, strings, name, b, 8);
}

static void put_chosen_props(struct buf *o, struct buf *strings, const struct fdt_chosen_edit *e)
{
	if (e->bootargs)
		put_prop(o, strings, "bootargs", e->bootargs, (uint32_t)strlen(e->bootargs) + 1);
	if (e->set_initrd) {
		put_u64_prop(o, strings, "linux,initrd-start", e->initrd_start);
		put_u64_prop(o, strings, "linux,initrd-end", e->initrd_end);
	}
}

/* A property of /chosen this edit replaces (or removes). */
static int replaced(const char *name, const struct fdt_chosen_edit *e)
{
	return (e->bootargs && !strcmp(name, "bootargs")) ||
	       !strcmp(name, "linux,initrd-start") || !strcmp(name, "linux,initrd-end");
}

struct edit_state {
	int depth;		/* before the current token; the root's children are at 1 */
	int in_chosen;		/* inside /chosen (or its subnodes) */
	int props_done;		/* /chosen got its new properties */
	int chosen_seen;
};

/* Copies one token to o, edited; structure already checked. */
static void edit_token(struct buf *o, struct buf *strings, const struct fdt *f,
		       const struct token *t, const struct fdt_chosen_edit *e,
		       struct edit_state *st)
{
	const int wanted = e->bootargs || e->set_initrd;
	const int chosen_level = st->in_chosen && st->depth == 2;

	switch (t->tag) {
	case FDT_BEGIN_NODE:
		/* properties go before subnodes */
		if (chosen_level && !st->props_done) {
			put_chosen_props(o, strings, e);
			st->props_done = 1;
		}
		if (st->depth == 1 && !strcmp(t->name, "chosen")) {
			st->in_chosen = 1;
			st->props_done = 0;
			st->chosen_seen = 1;
		}
		st->depth++;
		break;
	case FDT_END_NODE:
		if (chosen_level) {
			if (!st->props_done)
				put_chosen_props(o, strings, e);
			st->in_chosen = 0;
		}
		if (st->depth == 1 && !st->chosen_seen && wanted) {
			put32(o, FDT_BEGIN_NODE);
			put(o, "chosen", 7);
			pad4(o);
			put_chosen_props(o, strings, e);
			put32(o, FDT_END_NODE);
		}
		st->depth--;
		break;
	case FDT_PROP:
		/* kept ones as they are: the strings block is copied with its offsets */
		if (chosen_level && replaced(t->name, e))
			return;
		break;
	case FDT_NOP:
		return;
	}
	put(o, f->b + f->off_struct + t->pos, t->next - t->pos);
}

static int assemble(const struct fdt *f, struct buf *st, struct buf *strings, struct buf *out)
{
	const uint32_t off_struct = FDT_HEADER_SIZE + f->rsv_len;
	const uint32_t off_strings = off_struct + (uint32_t)st->len;
	const uint32_t hdr[10] = {
		FDT_MAGIC, off_strings + (uint32_t)strings->len, off_struct, off_strings,
		FDT_HEADER_SIZE, FDT_OUT_VERSION, FDT_OUT_LAST_COMP, f->boot_cpuid,
		(uint32_t)strings->len, (uint32_t)st->len,
	};
	unsigned int n;

	if (st->oom || strings->oom || st->len + strings->len > UINT32_MAX - off_struct)
		return -1;
	for (n = 0; n < 10; n++)
		put32(out, hdr[n]);
	put(out, f->b + f->off_rsv, f->rsv_len);
	put(out, st->p, st->len);
	put(out, strings->p, strings->len);
	return out->oom ? -1 : 0;
}

int fdt_edit_chosen(const void *fdt, size_t len, const struct fdt_chosen_edit *edit, void **out,
		    size_t *out_len, char *err, size_t errlen)
{
	struct buf st = { 0 }, strings = { 0 }, res = { 0 };
	struct edit_state es = { 0 };
	struct token t = { 0 };
	struct fdt f;
	uint32_t pos = 0;
	int ret = -1;

	if (fdt_parse_header(&f, fdt, len, err, errlen) ||
	    fdt_check_structure(&f, err, errlen))
		return -1;
	put(&strings, f.b + f.off_strings, f.size_strings);
	while (t.tag != FDT_END) {
		if (fdt_next_token(&f, pos, &t, err, errlen))
			goto out;
		edit_token(&st, &strings, &f, &t, edit, &es);
		pos = t.next;
	}
	if (assemble(&f, &st, &strings, &res)) {
		fdt_fail(err, errlen, "out of memory or larger than 4 GiB");
		free(res.p);
		goto out;
	}
	*out = res.p;
	*out_len = res.len;
	ret = 0;
out:
	free(st.p);
	free(strings.p);
	return ret;
}
