// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a DTB a user gave (fdt_parse.h): every field is checked before it is used, the walk
 * is iterative (nesting bounded by FDT_MAX_DEPTH) and every token moves the position forward,
 * so any input ends in a result or a sentence saying what is wrong with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fdt_edit.h"
#include "fdt_parse.h"

#define FDT_MAX_VERSION		17

int fdt_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t fdt_align4(uint64_t v)
{
	return (v + 3) & ~3ull;
}

/* In 64 bits: no overflow. */
int fdt_inside(uint64_t off, uint64_t size, uint64_t total)
{
	return off <= total && size <= total - off;
}

static int parse_rsvmap(struct fdt *f, char *err, size_t errlen)
{
	uint64_t pos = f->off_rsv;

	if (f->off_rsv % 8 || f->off_rsv < FDT_HEADER_SIZE)
		return fdt_fail(err, errlen, "memory reservation block at %u: not 8-byte "
				"aligned after the header", f->off_rsv);
	for (;; pos += 16) {
		if (!fdt_inside(pos, 16, f->total))
			return fdt_fail(err, errlen, "memory reservation block runs past "
					"totalsize %u (no terminating entry)", f->total);
		if (!memcmp(f->b + pos, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16))
			break;
	}
	f->rsv_len = (uint32_t)(pos + 16 - f->off_rsv);
	return 0;
}

static int parse_blocks(struct fdt *f, uint32_t version, char *err, size_t errlen)
{
	/* version 16 has no size_dt_struct: the block may reach up to totalsize */
	f->size_struct = version >= 17 ? fdt_be32(f->b + 36) : 0;
	if (version < 17 && f->off_struct <= f->total)
		f->size_struct = f->total - f->off_struct;
	if (f->off_struct % 4 || f->off_struct < FDT_HEADER_SIZE ||
	    !fdt_inside(f->off_struct, f->size_struct, f->total))
		return fdt_fail(err, errlen, "structure block (offset %u, %u bytes) is not "
				"4-byte aligned inside totalsize %u", f->off_struct,
				f->size_struct, f->total);
	if (f->off_strings < FDT_HEADER_SIZE ||
	    !fdt_inside(f->off_strings, f->size_strings, f->total))
		return fdt_fail(err, errlen, "strings block (offset %u, %u bytes) is not inside "
				"totalsize %u", f->off_strings, f->size_strings, f->total);
	return parse_rsvmap(f, err, errlen);
}

int fdt_parse_header(struct fdt *f, const void *fdt, size_t len, char *err, size_t errlen)
{
	const uint8_t *b = fdt;
	uint32_t version, last_comp;

	if (len < FDT_HEADER_SIZE)
		return fdt_fail(err, errlen, "truncated: %zu bytes, shorter than the %d-byte DTB "
				"header", len, FDT_HEADER_SIZE);
	if (fdt_be32(b) != FDT_MAGIC)
		return fdt_fail(err, errlen, "not a DTB: magic 0x%08x, expected 0x%08x",
				fdt_be32(b), FDT_MAGIC);
	f->b = b;
	f->total = fdt_be32(b + 4);
	f->off_struct = fdt_be32(b + 8);
	f->off_strings = fdt_be32(b + 12);
	f->off_rsv = fdt_be32(b + 16);
	version = fdt_be32(b + 20);
	last_comp = fdt_be32(b + 24);
	f->boot_cpuid = fdt_be32(b + 28);
	f->size_strings = fdt_be32(b + 32);
	if (f->total < FDT_HEADER_SIZE || f->total > len)
		return fdt_fail(err, errlen, "totalsize %u in the header, but the file has %zu "
				"bytes%s", f->total, len, f->total > len ? " (truncated?)" : "");
	if (version < 16 || last_comp > FDT_MAX_VERSION)
		return fdt_fail(err, errlen, "DTB version %u (compatible with %u): versions 16 "
				"and 17 are understood", version, last_comp);
	return parse_blocks(f, version, err, errlen);
}

/* A NUL-terminated string inside [s, s + max), or NULL. */
static const char *string_in(const uint8_t *s, uint64_t max)
{
	return memchr(s, 0, max) ? (const char *)s : NULL;
}

static int prop_token(const struct fdt *f, struct token *t, uint64_t *next, char *err,
		      size_t errlen)
{
	const uint8_t *s = f->b + f->off_struct;
	const uint32_t pos = t->pos;
	uint32_t nameoff;

	if (!fdt_inside(pos, 12, f->size_struct))
		return fdt_fail(err, errlen, "truncated property at structure offset %u", pos);
	t->len = fdt_be32(s + pos + 4);
	nameoff = fdt_be32(s + pos + 8);
	if (!fdt_inside(pos + 12, t->len, f->size_struct))
		return fdt_fail(err, errlen, "property at structure offset %u: its %u bytes run "
				"past the structure block", pos, t->len);
	if (nameoff >= f->size_strings)
		return fdt_fail(err, errlen, "property at structure offset %u: name offset %u "
				"outside the strings block", pos, nameoff);
	t->name = string_in(f->b + f->off_strings + nameoff, f->size_strings - nameoff);
	if (!t->name)
		return fdt_fail(err, errlen, "property at structure offset %u: unterminated "
				"name in the strings block", pos);
	t->val = s + pos + 12;
	*next = fdt_align4(pos + 12ull + t->len);
	return 0;
}

int fdt_next_token(const struct fdt *f, uint32_t pos, struct token *t, char *err,
		   size_t errlen)
{
	const uint8_t *s = f->b + f->off_struct;
	uint64_t next = (uint64_t)pos + 4;

	if (!fdt_inside(pos, 4, f->size_struct))
		return fdt_fail(err, errlen, "structure block ends without FDT_END (truncated?)");
	memset(t, 0, sizeof(*t));
	t->tag = fdt_be32(s + pos);
	t->pos = pos;
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		t->name = string_in(s + next, f->size_struct - next);
		if (!t->name)
			return fdt_fail(err, errlen, "unterminated node name at structure "
					"offset %u", pos);
		next = fdt_align4(next + strlen(t->name) + 1);
		break;
	case FDT_PROP:
		if (prop_token(f, t, &next, err, errlen))
			return -1;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return fdt_fail(err, errlen, "unknown token 0x%x at structure offset %u", t->tag,
				pos);
	}
	if (next > f->size_struct)
		return fdt_fail(err, errlen, "token at structure offset %u runs past the "
				"structure block", pos);
	t->next = (uint32_t)next;
	return 0;
}

/* Nesting of one token: depth before it in *depth, after it on return. */
static int nest(const struct token *t, int *depth, int *roots, char *err, size_t errlen)
{
	switch (t->tag) {
	case FDT_BEGIN_NODE:
		if (!*depth && (*roots)++)
			return fdt_fail(err, errlen, "a second root node at structure offset %u",
					t->pos);
		if (!*depth && t->name[0])
			return fdt_fail(err, errlen, "the root node has a name (\"%s\")", t->name);
		if (++*depth > FDT_MAX_DEPTH)
			return fdt_fail(err, errlen, "nodes nested deeper than %d", FDT_MAX_DEPTH);
		return 0;
	case FDT_END_NODE:
		if (!*depth)
			return fdt_fail(err, errlen, "FDT_END_NODE without a node at structure "
					"offset %u", t->pos);
		--*depth;
		return 0;
	case FDT_PROP:
		if (!*depth)
			return fdt_fail(err, errlen, "a property outside every node at structure "
					"offset %u", t->pos);
		return 0;
	case FDT_END:
		if (*depth)
			return fdt_fail(err, errlen, "structure ends with %d node(s) unclosed",
					*depth);
		if (!*roots)
			return fdt_fail(err, errlen, "no root node");
		return 0;
	}
	return 0;
}

int fdt_check_structure(const struct fdt *f, char *err, size_t errlen)
{
	struct token t = { 0 };
	uint32_t pos = 0;
	int depth = 0, roots = 0;

	while (t.tag != FDT_END) {
		if (fdt_next_token(f, pos, &t, err, errlen) ||
		    nest(&t, &depth, &roots, err, errlen))
			return -1;
		pos = t.next;
	}
	return 0;
}

int fdt_check(const void *fdt, size_t len, char *err, size_t errlen)
{
	struct fdt f;

	if (fdt_parse_header(&f, fdt, len, err, errlen))
		return -1;
	return fdt_check_structure(&f, err, errlen);
}
