// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of the DTB memory query (tools/fdt_memory.c): memory nodes read as Linux's
 * early_init_dt_scan_memory() reads them (device_type, status, linux,usable-memory before reg,
 * the root's #address-cells and #size-cells, their defaults), and its refusals. Built and run
 * under ASan/UBSan by tests/tools/test_cli_units.py.
 */
#include <stdlib.h>
#include <string.h>

#include "fdt_builder.h"
#include "fdt_edit.h"
#include "test.h"

static char err[256];

static const uint8_t *be_cells(uint8_t *buf, const uint32_t *v, int n)
{
	int k;

	for (k = 0; k < n; k++)
		be32_at(buf + 4 * k, v[k]);
	return buf;
}

static int memory_of(struct builder *b, struct fdt_range *r, unsigned int *n)
{
	size_t len;

	tok(b, 2);
	tok(b, 9);
	len = finish(b);
	err[0] = 0;
	return fdt_memory(b->out, len, r, FDT_MAX_RANGES, n, err, sizeof(err));
}

static void test_memory(void)
{
	static struct builder b;
	static const uint32_t two[] = { 2 }, one[] = { 1 }, three[] = { 3 };
	static const uint32_t reg22[] = { 0, 0x40000000, 0, 0x10000000, 0, 0x80000000, 0, 0 };
	static const uint32_t reg21[] = { 0x1, 0x0, 0x4000000 };
	static const uint32_t usable[] = { 0, 0x48000000, 0, 0x1000000 };
	struct fdt_range r[FDT_MAX_RANGES];
	uint8_t v[64];
	unsigned int n;

	/* #address-cells 2, #size-cells 2; an empty range left out; a grandchild ignored */
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	prop(&b, "#address-cells", be_cells(v, two, 1), 4);
	prop(&b, "#size-cells", be_cells(v, two, 1), 4);
	begin(&b, "memory@40000000");
	prop_str(&b, "device_type", "memory");
	prop(&b, "reg", be_cells(v, reg22, 8), 32);
	begin(&b, "memory@0");
	prop_str(&b, "device_type", "memory");
	prop(&b, "reg", be_cells(v, reg22, 4), 16);
	tok(&b, 2);
	tok(&b, 2);
	CHECK(memory_of(&b, r, &n) == 0 && n == 1);
	CHECK(r[0].start == 0x40000000 && r[0].size == 0x10000000);
	/* the specification's defaults (2, 1); linux,usable-memory before reg; disabled and
	 * untyped nodes left out */
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	begin(&b, "memory@100000000");
	prop_str(&b, "device_type", "memory");
	prop(&b, "reg", be_cells(v, reg21, 3), 12);
	tok(&b, 2);
	begin(&b, "memory@40000000");
	prop(&b, "linux,usable-memory", be_cells(v, usable, 4), 16);
	prop_str(&b, "device_type", "memory");
	prop(&b, "reg", be_cells(v, reg22, 4), 16);
	tok(&b, 2);
	begin(&b, "memory@90000000");
	prop_str(&b, "device_type", "memory");
	prop_str(&b, "status", "disabled");
	prop(&b, "reg", be_cells(v, reg21, 3), 12);
	tok(&b, 2);
	begin(&b, "memory@a0000000");
	prop(&b, "reg", be_cells(v, reg21, 3), 12);
	tok(&b, 2);
	CHECK(memory_of(&b, r, &n));	/* usable-memory's 16 bytes do not fit 2 + 1 cells */
	CHECK(strstr(err, "not a multiple of 12"));
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	begin(&b, "memory@100000000");
	prop_str(&b, "device_type", "memory");
	prop(&b, "reg", be_cells(v, reg21, 3), 12);
	tok(&b, 2);
	CHECK(memory_of(&b, r, &n) == 0 && n == 1);
	CHECK(r[0].start == 0x100000000ull && r[0].size == 0x4000000);
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	prop(&b, "#size-cells", be_cells(v, two, 1), 4);
	begin(&b, "memory@40000000");
	prop(&b, "linux,usable-memory", be_cells(v, usable, 4), 16);
	prop_str(&b, "device_type", "memory");
	prop(&b, "reg", be_cells(v, reg22, 4), 16);
	tok(&b, 2);
	begin(&b, "memory@90000000");
	prop_str(&b, "device_type", "memory");
	prop_str(&b, "status", "disabled");
	prop(&b, "reg", be_cells(v, reg22, 4), 16);
	tok(&b, 2);
	begin(&b, "memory@a0000000");
	prop(&b, "reg", be_cells(v, reg22, 4), 16);
	tok(&b, 2);
	CHECK(memory_of(&b, r, &n) == 0 && n == 1);
	CHECK(r[0].start == 0x48000000 && r[0].size == 0x1000000);
	/* 1 + 1 cells */
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	prop(&b, "#address-cells", be_cells(v, one, 1), 4);
	prop(&b, "#size-cells", be_cells(v, one, 1), 4);
	begin(&b, "memory");
	prop_str(&b, "device_type", "memory");
	prop(&b, "reg", be_cells(v, reg21 + 1, 2), 8);
	tok(&b, 2);
	CHECK(memory_of(&b, r, &n) == 0 && n == 1 && r[0].start == 0 && r[0].size == 0x4000000);
	/* no memory at all; 3 address cells; a wrapping range */
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	CHECK(memory_of(&b, r, &n) == 0 && n == 0);
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	prop(&b, "#address-cells", be_cells(v, three, 1), 4);
	CHECK(memory_of(&b, r, &n) && strstr(err, "#address-cells 3"));
	memset(&b, 0, sizeof(b));
	begin(&b, "");
	begin(&b, "memory@0");
	prop_str(&b, "device_type", "memory");
	prop(&b, "reg", be_cells(v, (const uint32_t[]){ 0xffffffff, 0xffff0000, 0x10000 }, 3), 12);
	tok(&b, 2);
	CHECK(memory_of(&b, r, &n) && strstr(err, "wraps around"));
}

int main(void)
{
	test_memory();
	return test_report("fdt_memory");
}
