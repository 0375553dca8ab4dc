// SPDX-License-Identifier: GPL-2.0
/*
 * DTB checking and the /chosen edit of jailhouse cell linux (fdt_edit.h). The input is a file a
 * user gave: every field is checked before it is used, the walk is iterative (nesting bounded
 * by FDT_MAX_DEPTH) and every token moves the position forward, so any input ends in a result
 * or a sentence saying what is wrong with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt_edit.h"

#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9
#define FDT_OUT_VERSION		17
#define FDT_OUT_LAST_COMP	16

struct fdt {
	const uint8_t *b;
	uint32_t total;
	uint32_t off_rsv, rsv_len;	/* reservation entries, terminator included */
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t boot_cpuid;
};

struct token {
	uint32_t tag;
	uint32_t pos;		/* in the structure block */
	uint32_t next;
	const char *name;	/* BEGIN_NODE: node name; PROP: property name */
	uint32_t len;		/* PROP: value bytes */
};

/* A growing buffer; running out of memory sticks (oom) and is reported once at the end. */
struct buf {
	uint8_t *p;
	size_t len, cap;
	int oom;
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t align4(uint64_t v)
{
	return (v + 3) & ~3ull;
}

/* [off, off + size) inside [0, total)? In 64 bits: no overflow. */
static int inside(uint64_t off, uint64_t size, uint64_t total)
{
	return off <= total && size <= total - off;
}

static int parse_rsvmap(struct fdt *f, char *err, size_t errlen)
{
	uint64_t pos = f->off_rsv;

	if (f->off_rsv % 8 || f->off_rsv < FDT_HEADER_SIZE)
		return fail(err, errlen, "memory reservation block at %u: not 8-byte aligned after "
			    "the header", f->off_rsv);
	for (;; pos += 16) {
		if (!inside(pos, 16, f->total))
			return fail(err, errlen, "memory reservation block runs past totalsize %u "
				    "(no terminating entry)", f->total);
		if (!memcmp(f->b + pos, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16))
			break;
	}
	f->rsv_len = (uint32_t)(pos + 16 - f->off_rsv);
	return 0;
}

static int parse_header(struct fdt *f, const void *fdt, size_t len, char *err, size_t errlen)
{
	const uint8_t *b = fdt;
	uint32_t version, last_comp;

	if (len < FDT_HEADER_SIZE)
		return fail(err, errlen, "truncated: %zu bytes, shorter than the %d-byte DTB header",
			    len, FDT_HEADER_SIZE);
	if (be32(b) != FDT_MAGIC)
		return fail(err, errlen, "not a DTB: magic 0x%08x, expected 0x%08x", be32(b),
			    FDT_MAGIC);
	f->b = b;
	f->total = be32(b + 4);
	f->off_struct = be32(b + 8);
	f->off_strings = be32(b + 12);
	f->off_rsv = be32(b + 16);
	version = be32(b + 20);
	last_comp = be32(b + 24);
	f->boot_cpuid = be32(b + 28);
	f->size_strings = be32(b + 32);
	if (f->total < FDT_HEADER_SIZE || f->total > len)
		return fail(err, errlen, "totalsize %u in the header, but the file has %zu bytes%s",
			    f->total, len, f->total > len ? " (truncated?)" : "");
	if (version < 16 || last_comp > FDT_OUT_VERSION)
		return fail(err, errlen, "DTB version %u (compatible with %u): versions 16 and 17 "
			    "are understood", version, last_comp);
	/* version 16 has no size_dt_struct: the block may reach up to totalsize */
	f->size_struct = version >= 17 ? be32(b + 36) : 0;
	if (version < 17 && f->off_struct <= f->total)
		f->size_struct = f->total - f->off_struct;
	if (f->off_struct % 4 || f->off_struct < FDT_HEADER_SIZE ||
	    !inside(f->off_struct, f->size_struct, f->total))
		return fail(err, errlen, "structure block (offset %u, %u bytes) is not 4-byte aligned "
			    "inside totalsize %u", f->off_struct, f->size_struct, f->total);
	if (f->off_strings < FDT_HEADER_SIZE || !inside(f->off_strings, f->size_strings, f->total))
		return fail(err, errlen, "strings block (offset %u, %u bytes) is not inside "
			    "totalsize %u", f->off_strings, f->size_strings, f->total);
	return parse_rsvmap(f, err, errlen);
}

/* A NUL-terminated string inside [s, s + max), or NULL. */
static const char *string_in(const uint8_t *s, uint64_t max)
{
	return memchr(s, 0, max) ? (const char *)s : NULL;
}

static int next_token(const struct fdt *f, uint32_t pos, struct token *t, char *err, size_t errlen)
{
	const uint8_t *s = f->b + f->off_struct;
	uint64_t next = (uint64_t)pos + 4, nameoff;

	if (!inside(pos, 4, f->size_struct))
		return fail(err, errlen, "structure block ends without FDT_END (truncated?)");
	memset(t, 0, sizeof(*t));
	t->tag = be32(s + pos);
	t->pos = pos;
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		t->name = string_in(s + next, f->size_struct - next);
		if (!t->name)
			return fail(err, errlen, "unterminated node name at structure offset %u", pos);
		next = align4(next + strlen(t->name) + 1);
		break;
	case FDT_PROP:
		if (!inside(pos, 12, f->size_struct))
			return fail(err, errlen, "truncated property at structure offset %u", pos);
		t->len = be32(s + pos + 4);
		nameoff = be32(s + pos + 8);
		if (!inside(pos + 12, t->len, f->size_struct))
			return fail(err, errlen, "property at structure offset %u: its %u bytes run "
				    "past the structure block", pos, t->len);
		if (nameoff >= f->size_strings)
			return fail(err, errlen, "property at structure offset %u: name offset %llu "
				    "outside the strings block", pos, (unsigned long long)nameoff);
		t->name = string_in(f->b + f->off_strings + nameoff, f->size_strings - nameoff);
		if (!t->name)
			return fail(err, errlen, "property at structure offset %u: unterminated name "
				    "in the strings block", pos);
		next = align4(pos + 12ull + t->len);
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return fail(err, errlen, "unknown token 0x%x at structure offset %u", t->tag, pos);
	}
	if (next > f->size_struct && t->tag != FDT_END)
		return fail(err, errlen, "token at structure offset %u runs past the structure "
			    "block", pos);
	t->next = (uint32_t)next;
	return 0;
}

/* Nesting of one token: depth before it in *depth, after it on return. */
static int nest(const struct token *t, int *depth, int *roots, char *err, size_t errlen)
{
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		if (!*depth && (*roots)++)
			return fail(err, errlen, "a second root node at structure offset %u", t->pos);
		if (!*depth && t->name[0])
			return fail(err, errlen, "the root node has a name (\"%s\")", t->name);
		if (++*depth > FDT_MAX_DEPTH)
			return fail(err, errlen, "nodes nested deeper than %d", FDT_MAX_DEPTH);
		return 0;
	case FDT_END_NODE:
		if (!*depth)
			return fail(err, errlen, "FDT_END_NODE without a node at structure offset %u",
				    t->pos);
		--*depth;
		return 0;
	case FDT_PROP:
		if (!*depth)
			return fail(err, errlen, "a property outside every node at structure offset "
				    "%u", t->pos);
		return 0;
	case FDT_END:
		if (*depth)
			return fail(err, errlen, "structure ends with %d node(s) unclosed", *depth);
		if (!*roots)
			return fail(err, errlen, "no root node");
		return 0;
	}
	return 0;
}

static int check_structure(const struct fdt *f, char *err, size_t errlen)
{
	struct token t = { 0 };
	uint32_t pos = 0;
	int depth = 0, roots = 0;

	while (t.tag != FDT_END) {
		if (next_token(f, pos, &t, err, errlen) || nest(&t, &depth, &roots, err, errlen))
			return -1;
		pos = t.next;
	}
	return 0;
}

int fdt_check(const void *fdt, size_t len, char *err, size_t errlen)
{
	struct fdt f;

	if (parse_header(&f, fdt, len, err, errlen))
		return -1;
	return check_structure(&f, err, errlen);
}

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

	put(o, zero, align4(o->len) - o->len);
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
		       const struct token *t, const struct fdt_chosen_edit *e, struct edit_state *st)
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

	if (parse_header(&f, fdt, len, err, errlen) || check_structure(&f, err, errlen))
		return -1;
	put(&strings, f.b + f.off_strings, f.size_strings);
	while (t.tag != FDT_END) {
		if (next_token(&f, pos, &t, err, errlen))
			goto out;
		edit_token(&st, &strings, &f, &t, edit, &es);
		pos = t.next;
	}
	if (assemble(&f, &st, &strings, &res)) {
		fail(err, errlen, "out of memory or larger than 4 GiB");
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
