/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flattened device tree (DTB) checker, the one edit jailhouse cell linux makes (/chosen's
 * bootargs and initrd range) and the one question it asks (which memory the DTB gives the
 * kernel). No libfdt: the blob is parsed with every offset and length checked against its
 * bounds (fdt_parse.c), and an edit builds a new blob (fdt_edit.c).
 */
#ifndef JAILHOUSE_FDT_EDIT_H
#define JAILHOUSE_FDT_EDIT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC		0xd00dfeedu
#define FDT_HEADER_SIZE		40
/* Nesting a real tree never reaches; deeper is refused rather than recursed into. */
#define FDT_MAX_DEPTH		64

struct fdt_chosen_edit {
	const char *bootargs;	/* NULL: keep the DTB's bootargs */
	int set_initrd;		/* 1: linux,initrd-start/-end as below; 0: remove stale ones */
	uint64_t initrd_start;	/* guest-physical */
	uint64_t initrd_end;	/* exclusive */
};

/* 0 if fdt[0..len) is a well-formed DTB; -1 with a sentence in err otherwise. */
int fdt_check(const void *fdt, size_t len, char *err, size_t errlen);
/*
 * A new DTB (malloc'd, *out, *out_len bytes): fdt with /chosen edited (created if absent).
 * The size depends only on which properties are set, never on their values.
 */
int fdt_edit_chosen(const void *fdt, size_t len, const struct fdt_chosen_edit *edit, void **out,
		    size_t *out_len, char *err, size_t errlen);

/* The RAM a DTB gives the kernel: its memory nodes, as Linux reads them (fdt_memory.c). */
struct fdt_range {
	uint64_t start;
	uint64_t size;
};

#define FDT_MAX_RANGES		32

/*
 * The ranges of the root's children with device_type "memory" and status okay (or none):
 * linux,usable-memory if present, else reg, by the root's #address-cells and #size-cells.
 * Empty ranges are left out; *n is their count (at most max).
 */
int fdt_memory(const void *fdt, size_t len, struct fdt_range *r, unsigned int max,
	       unsigned int *n, char *err, size_t errlen);

#endif
