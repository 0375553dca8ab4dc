// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of the DTB checker and /chosen editor (tools/fdt_parse.c, fdt_edit.c):
 * well-formed trees edited as jailhouse cell linux does, malformed ones (truncated, bad offsets,
 * nesting too deep, unterminated strings, stray tokens) refused with a sentence, and random
 * corruption of a good blob (fixed seed) that must never crash the editor or the memory query
 * (fdt_memory.c) or yield a blob the checker refuses. Built and run under ASan/UBSan by
 * tests/tools/test_cli_units.py.
 */
#include <stdlib.h>
#include <string.h>

#include "fdt_builder.h"
#include "fdt_edit.h"
#include "test.h"

static char err[256];
/* / { model; chosen { bootargs; linux,initrd-*; sub { } }; memory { } } */
static size_t good_tree(struct builder *b, int with_chosen)
{
	static const uint8_t u64[8] = { 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78 };

	memset(b, 0, sizeof(*b));
	begin(b, "");
	prop_str(b, "model", "test");
	if (with_chosen) {
		begin(b, "chosen");
		prop_str(b, "bootargs", "old args");
		prop(b, "linux,initrd-start", u64, 8);
		prop(b, "linux,initrd-end", u64, 8);
		prop_str(b, "stdout-path", "/uart");
		begin(b, "sub");
		prop_str(b, "bootargs", "not chosen's");
		tok(b, 2);
		tok(b, 4);	/* NOP */
		tok(b, 2);
	}
	begin(b, "memory@0");
	prop_str(b, "device_type", "memory");
	tok(b, 2);
	tok(b, 2);
	tok(b, 9);
	return finish(b);
}

/* Find property name of node path (depth 1 child, or "" for root) in blob; its value or NULL. */
static const uint8_t *find_prop(const uint8_t *fdt, const char *node, const char *name,
				uint32_t *len)
{
	const uint8_t *st = fdt + be32(fdt + 8), *str = fdt + be32(fdt + 12);
	uint32_t pos = 0, size = be32(fdt + 36), t;
	int depth = 0, in = !node[0];

	while (pos < size) {
		t = be32(st + pos);
		if (t == 1) {
			const char *n = (const char *)st + pos + 4;

			depth++;
			if (depth == 2)
				in = !strcmp(n, node);
			pos += 4 + ((strlen(n) + 4) & ~3u);
		} else if (t == 2) {
			depth--;
			pos += 4;
		} else if (t == 3) {
			uint32_t l = be32(st + pos + 4);
			const char *pn = (const char *)str + be32(st + pos + 8);

			if (in && depth == (node[0] ? 2 : 1) && !strcmp(pn, name)) {
				*len = l;
				return st + pos + 12;
			}
			pos += 12 + ((l + 3) & ~3u);
		} else if (t == 9) {
			break;
		} else {
			pos += 4;
		}
	}
	return NULL;
}

static uint64_t get_u64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static int edit(const void *in, size_t len, const struct fdt_chosen_edit *e, void **out,
		size_t *out_len)
{
	err[0] = 0;
	return fdt_edit_chosen(in, len, e, out, out_len, err, sizeof(err));
}

static void test_edit(void)
{
	static struct builder b;
	size_t len = good_tree(&b, 1), out_len, len2;
	struct fdt_chosen_edit e = { .bootargs = "console=ttyS0", .set_initrd = 1,
				     .initrd_start = 0x2211000, .initrd_end = 0x3000000 };
	const uint8_t *v;
	void *out, *out2;
	uint32_t l;

	CHECK(fdt_check(b.out, len, err, sizeof(err)) == 0);
	CHECK(edit(b.out, len, &e, &out, &out_len) == 0);
	CHECK(fdt_check(out, out_len, err, sizeof(err)) == 0);
	v = find_prop(out, "chosen", "bootargs", &l);
	CHECK(v && l == 14 && !strcmp((const char *)v, "console=ttyS0"));
	v = find_prop(out, "chosen", "linux,initrd-start", &l);
	CHECK(v && l == 8 && get_u64(v) == 0x2211000);
	v = find_prop(out, "chosen", "linux,initrd-end", &l);
	CHECK(v && l == 8 && get_u64(v) == 0x3000000);
	v = find_prop(out, "chosen", "stdout-path", &l);
	CHECK(v && !strcmp((const char *)v, "/uart"));
	v = find_prop(out, "", "model", &l);
	CHECK(v && !strcmp((const char *)v, "test"));
	/* the header: version 17, reservations kept, boot cpu kept */
	CHECK(be32(out) == 0xd00dfeed && be32((uint8_t *)out + 4) == out_len);
	CHECK(be32((uint8_t *)out + 20) == 17 && be32((uint8_t *)out + 24) == 16);
	CHECK(be32((uint8_t *)out + 40 + 4) == 0x40000000);
	/* the size does not depend on the values */
	e.initrd_start = 0xffffffffffff0000ull;
	CHECK(edit(b.out, len, &e, &out2, &len2) == 0 && len2 == out_len);
	free(out2);
	/* editing the edited blob changes nothing more */
	e.initrd_start = 0x2211000;
	CHECK(edit(out, out_len, &e, &out2, &len2) == 0 && len2 == out_len &&
	      !memcmp(out, out2, len2));
	free(out2);
	free(out);
	/* no -c: bootargs kept; no -i: stale initrd properties removed */
	e = (struct fdt_chosen_edit){ 0 };
	CHECK(edit(b.out, len, &e, &out, &out_len) == 0);
	v = find_prop(out, "chosen", "bootargs", &l);
	CHECK(v && !strcmp((const char *)v, "old args"));
	CHECK(!find_prop(out, "chosen", "linux,initrd-start", &l));
	CHECK(!find_prop(out, "chosen", "linux,initrd-end", &l));
	free(out);
}

static void test_edit_no_chosen(void)
{
	static struct builder b;
	size_t len = good_tree(&b, 0), out_len;
	struct fdt_chosen_edit e = { .bootargs = "quiet" };
	const uint8_t *v;
	void *out;
	uint32_t l;

	CHECK(edit(b.out, len, &e, &out, &out_len) == 0);
	CHECK(fdt_check(out, out_len, err, sizeof(err)) == 0);
	v = find_prop(out, "chosen", "bootargs", &l);
	CHECK(v && !strcmp((const char *)v, "quiet"));
	CHECK(!find_prop(out, "chosen", "linux,initrd-start", &l));
	free(out);
	/* nothing to set, no /chosen: none is made */
	e.bootargs = NULL;
	CHECK(edit(b.out, len, &e, &out, &out_len) == 0);
	CHECK(out_len < len + 16);
	free(out);
}

static int check_fails(const void *fdt, size_t len, const char *what)
{
	err[0] = 0;
	return fdt_check(fdt, len, err, sizeof(err)) == -1 && strstr(err, what) != NULL;
}

static void test_header_errors(void)
{
	static struct builder b;
	size_t len = good_tree(&b, 1), n;
	uint8_t *o = b.out;

	for (n = 0; n < len; n++)	/* truncated anywhere */
		CHECK(fdt_check(o, n, err, sizeof(err)) == -1);
	CHECK(check_fails(o, 39, "truncated"));
	CHECK(check_fails(o, len - 1, "totalsize"));
	o[0] = 0xde;
	CHECK(check_fails(o, len, "not a DTB"));
	good_tree(&b, 1);
	be32_at(o + 20, 15);	/* version */
	CHECK(check_fails(o, len, "version 15"));
	be32_at(o + 20, 17);
	be32_at(o + 24, 18);	/* needs a newer reader */
	CHECK(check_fails(o, len, "compatible with 18"));
	be32_at(o + 24, 16);
	be32_at(o + 8, 74);	/* structure misaligned */
	CHECK(check_fails(o, len, "structure block"));
	be32_at(o + 8, 0xfffffff0);	/* structure outside */
	CHECK(check_fails(o, len, "structure block"));
	good_tree(&b, 1);
	be32_at(o + 36, 0xffffffff);	/* structure size */
	CHECK(check_fails(o, len, "structure block"));
	good_tree(&b, 1);
	be32_at(o + 12, 0xfffffff0);	/* strings outside */
	CHECK(check_fails(o, len, "strings block"));
	good_tree(&b, 1);
	be32_at(o + 32, (uint32_t)len);	/* strings size */
	CHECK(check_fails(o, len, "strings block"));
	good_tree(&b, 1);
	be32_at(o + 16, 44);	/* reservations misaligned */
	CHECK(check_fails(o, len, "reservation"));
	good_tree(&b, 1);
	memset(o + 56, 0xff, 16);	/* no terminating reservation entry before the end */
	be32_at(o + 16, (uint32_t)len - 16);
	CHECK(check_fails(o, len, "reservation"));
	good_tree(&b, 1);
	be32_at(o + 20, 16);	/* version 16: no size_dt_struct, still fine */
	be32_at(o + 36, 0);
	CHECK(fdt_check(o, len, err, sizeof(err)) == 0);
}

/* A structure block of the given tokens, checked: the error text must contain what. */
static int struct_fails(struct builder *b, const char *what)
{
	size_t len = finish(b);

	return check_fails(b->out, len, what);
}

static void test_structure_errors(void)
{
	static struct builder b;
	int n;

	memset(&b, 0, sizeof(b));
	for (n = 0; n <= FDT_MAX_DEPTH; n++)
		begin(&b, n ? "n" : "");
	CHECK(struct_fails(&b, "deeper than 64"));
	/* 64 levels are fine */
	memset(&b, 0, sizeof(b));
	for (n = 0; n < FDT_MAX_DEPTH; n++)
		begin(&b, n ? "n" : "");
	for (n = 0; n < FDT_MAX_DEPTH; n++)
		tok(&b, 2);
	tok(&b, 9);
	CHECK(fdt_check(b.out, finish(&b), err, sizeof(err)) == 0);
	/* unterminated node name: the structure block ends inside it */
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	tok(&b, 1);
	memcpy(b.st + b.st_len, "abcd", 4);
	b.st_len += 4;
	CHECK(struct_fails(&b, "unterminated node name"));
	/* property name offset beyond the strings block; unterminated name */
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	prop_str(&b, "x", "y");
	be32_at(b.st + 8 + 8, 100);
	tok(&b, 2);
	tok(&b, 9);
	CHECK(struct_fails(&b, "outside the strings block"));
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	prop_str(&b, "x", "y");
	tok(&b, 2);
	tok(&b, 9);
	b.str[1] = 'z';		/* "xz", no NUL inside the block */
	CHECK(struct_fails(&b, "unterminated name"));
	/* property length past the block */
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	prop_str(&b, "x", "y");
	be32_at(b.st + 8 + 4, 0x7fffffff);
	tok(&b, 2);
	tok(&b, 9);
	CHECK(struct_fails(&b, "run past"));
	/* unknown token, two roots, stray END_NODE, property outside a node, no END, no root */
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	tok(&b, 7);
	CHECK(struct_fails(&b, "unknown token 0x7"));
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	tok(&b, 2);
	begin(&b, "");
	tok(&b, 2);
	tok(&b, 9);
	CHECK(struct_fails(&b, "second root"));
	memset(&b, 0, sizeof(b));
	tok(&b, 2);
	tok(&b, 9);
	CHECK(struct_fails(&b, "without a node"));
	memset(&b, 0, sizeof(b));
	prop_str(&b, "x", "y");
	CHECK(struct_fails(&b, "outside every node"));
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	tok(&b, 2);
	CHECK(struct_fails(&b, "without FDT_END"));
	memset(&b, 0, sizeof(b));
	tok(&b, 9);
	CHECK(struct_fails(&b, "no root node"));
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	begin(&b, "a");
	tok(&b, 2);
	tok(&b, 9);
	CHECK(struct_fails(&b, "unclosed"));
	memset(&b, 0, sizeof(b));
	begin(&b, "named");
	tok(&b, 2);
	tok(&b, 9);
	CHECK(struct_fails(&b, "root node has a name"));
}

/* Random corruption: every outcome is an error or a blob the checker accepts. */
static void test_fuzz(void)
{
	static struct builder b;
	static uint8_t m[80000];
	size_t len = good_tree(&b, 1), out_len, i;
	struct fdt_chosen_edit e = { .bootargs = "a", .set_initrd = 1, .initrd_end = 1 };
	unsigned int seed = 17, accepted = 0, bad = 0, nr;
	struct fdt_range r[FDT_MAX_RANGES];
	void *out;
	int n, k;

	for (n = 0; n < 200000; n++) {
		memcpy(m, b.out, len);
		for (k = 0; k < 1 + n % 4; k++) {
			i = rand_r(&seed) % len;
			m[i] = n % 3 ? (uint8_t)rand_r(&seed) : m[i] ^ (1u << (rand_r(&seed) % 8));
		}
		if (edit(m, len - (n % 7 == 0 ? rand_r(&seed) % len : 0), &e, &out, &out_len)) {
			bad += !err[0];
			continue;
		}
		accepted++;
		bad += fdt_check(out, out_len, err, sizeof(err)) != 0;
		free(out);
		if (fdt_memory(m, len, r, FDT_MAX_RANGES, &nr, err, sizeof(err)))
			bad += !err[0];	/* fdt_memory() walks the same way: no crash either */
	}
	printf("fuzz: %u of %d corrupted blobs still well-formed\n", accepted, n);
	CHECK(bad == 0);
	CHECK(accepted > 0 && accepted < (unsigned int)n);
}

int main(void)
{
	test_edit();
	test_edit_no_chosen();
	test_header_errors();
	test_structure_errors();
	test_fuzz();
	return test_report("fdt_edit");
}
