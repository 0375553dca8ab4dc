// SPDX-License-Identifier: GPL-2.0
/*
 * Which RAM a DTB gives the kernel (fdt_memory(), fdt_edit.h), read as Linux's
 * early_init_dt_scan_memory() does, so jailhouse cell linux can refuse a DTB made for other
 * memory (the root's, another cell's) before the kernel faults on it.
 */
#include <string.h>

#include "fdt_edit.h"
#include "fdt_parse.h"

/* One memory node: its reg (or linux,usable-memory) value, found while walking it. */
struct mem_node {
	const uint8_t *reg, *usable;
	uint32_t reg_len, usable_len;
	int is_memory, disabled;
};

struct mem_walk {
	uint32_t addr_cells, size_cells;	/* the root's */
	struct mem_node node;			/* the root's child being walked */
	const uint8_t *vals[FDT_MAX_RANGES];	/* values of the memory nodes found */
	uint32_t lens[FDT_MAX_RANGES];
	unsigned int nodes;
};

static int is_string(const struct token *t, const char *s)
{
	return t->len == strlen(s) + 1 && !memcmp(t->val, s, t->len);
}

static void root_prop(struct mem_walk *w, const struct token *t)
{
	if (t->len != 4)
		return;
	if (!strcmp(t->name, "#address-cells"))
		w->addr_cells = fdt_be32(t->val);
	else if (!strcmp(t->name, "#size-cells"))
		w->size_cells = fdt_be32(t->val);
}

static void node_prop(struct mem_node *m, const struct token *t)
{
	if (!strcmp(t->name, "device_type"))
		m->is_memory = is_string(t, "memory");
	else if (!strcmp(t->name, "status"))
		m->disabled = !is_string(t, "okay") && !is_string(t, "ok");
	else if (!strcmp(t->name, "reg")) {
		m->reg = t->val;
		m->reg_len = t->len;
	} else if (!strcmp(t->name, "linux,usable-memory")) {
		m->usable = t->val;
		m->usable_len = t->len;
	}
}

static int node_end(struct mem_walk *w, char *err, size_t errlen)
{
	const struct mem_node *m = &w->node;

	if (!m->is_memory || m->disabled || !(m->reg || m->usable))
		return 0;
	if (w->nodes == FDT_MAX_RANGES)
		return fdt_fail(err, errlen, "more than %d memory nodes", FDT_MAX_RANGES);
	w->vals[w->nodes] = m->usable ? m->usable : m->reg;
	w->lens[w->nodes++] = m->usable ? m->usable_len : m->reg_len;
	return 0;
}

/* Walk the checked structure: root properties and the root's children's properties. */
static int walk(const struct fdt *f, struct mem_walk *w, char *err, size_t errlen)
{
	struct token t = { 0 };
	uint32_t pos = 0;
	int depth = 0;

	while (t.tag != FDT_END) {
		if (fdt_next_token(f, pos, &t, err, errlen))
			return -1;
		pos = t.next;
		if (t.tag == FDT_BEGIN_NODE && depth++ == 1)
			memset(&w->node, 0, sizeof(w->node));
		else if (t.tag == FDT_END_NODE && depth-- == 2 && node_end(w, err, errlen))
			return -1;
		else if (t.tag == FDT_PROP && depth == 1)
			root_prop(w, &t);
		else if (t.tag == FDT_PROP && depth == 2)
			node_prop(&w->node, &t);
	}
	return 0;
}

static uint64_t cells(const uint8_t *p, uint32_t n)
{
	return n == 2 ? (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4) : fdt_be32(p);
}

static int decode(const struct mem_walk *w, struct fdt_range *r, unsigned int max,
		  unsigned int *n, char *err, size_t errlen)
{
	const uint32_t entry = 4 * (w->addr_cells + w->size_cells);
	unsigned int k;
	uint32_t off;

	if (w->addr_cells < 1 || w->addr_cells > 2 || w->size_cells < 1 || w->size_cells > 2)
		return fdt_fail(err, errlen, "#address-cells %u / #size-cells %u of the root: 1 "
				"or 2 are understood", w->addr_cells, w->size_cells);
	for (*n = 0, k = 0; k < w->nodes; k++) {
		if (w->lens[k] % entry)
			return fdt_fail(err, errlen, "a memory node's reg of %u bytes is not a "
					"multiple of %u", w->lens[k], entry);
		for (off = 0; off < w->lens[k]; off += entry) {
			uint64_t start = cells(w->vals[k] + off, w->addr_cells);
			uint64_t size = cells(w->vals[k] + off + 4 * w->addr_cells, w->size_cells);

			if (!size)
				continue;
			if (start + size < start)
				return fdt_fail(err, errlen, "memory 0x%llx + 0x%llx wraps around",
						(unsigned long long)start, (unsigned long long)size);
			if (*n == max)
				return fdt_fail(err, errlen, "more than %u memory ranges", max);
			r[(*n)++] = (struct fdt_range){ start, size };
		}
	}
	return 0;
}

int fdt_memory(const void *fdt, size_t len, struct fdt_range *r, unsigned int max,
	       unsigned int *n, char *err, size_t errlen)
{
	/* the defaults of the devicetree specification */
	struct mem_walk w = { .addr_cells = 2, .size_cells = 1 };
	struct fdt f;

	if (fdt_parse_header(&f, fdt, len, err, errlen) || fdt_check_structure(&f, err, errlen) ||
	    walk(&f, &w, err, errlen))
		return -1;
	return decode(&w, r, max, n, err, errlen);
}
