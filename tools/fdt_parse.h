/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the DTB reader (fdt_parse.c) shared by the editor (fdt_edit.c) and the memory query
 * (fdt_memory.c): the checked header and the token walk. A blob is used only after
 * fdt_parse_header() and fdt_check_structure() accepted it.
 */
#ifndef JAILHOUSE_FDT_PARSE_H
#define JAILHOUSE_FDT_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9

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
	const uint8_t *val;	/* PROP: its value ... */
	uint32_t len;		/* ... of len bytes */
};

int fdt_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
uint32_t fdt_be32(const uint8_t *p);
uint64_t fdt_align4(uint64_t v);
/* [off, off + size) inside [0, total)? */
int fdt_inside(uint64_t off, uint64_t size, uint64_t total);
int fdt_parse_header(struct fdt *f, const void *fdt, size_t len, char *err, size_t errlen);
/* The token at pos of the structure block, bounds-checked. */
int fdt_next_token(const struct fdt *f, uint32_t pos, struct token *t, char *err, size_t errlen);
int fdt_check_structure(const struct fdt *f, char *err, size_t errlen);

#endif
