// SPDX-License-Identifier: GPL-2.0
/*
 * The guest page-table walk and instruction fetch (hv/arch/x86/decode.c) on a fake 2 MiB guest
 * RAM: every paging mode with its large pages, not-present and reserved entries, tables outside
 * RAM, and fetches across page boundaries.
 */
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "../arch/x86/decode.c"

#define RAM_SIZE	0x200000ULL

static hv_u8 ram[RAM_SIZE];
static unsigned int reads;

static bool ram_read(void *ctx, hv_u64 gpa, void *buf, unsigned int len)
{
	reads++;
	if (len < 1 || len > X86_MAX_INSN_LEN || (gpa & 0xfff) + len > 0x1000)
		CHECK(!"a read of 1..15 bytes within a page");
	if (gpa >= RAM_SIZE || gpa + len > RAM_SIZE)
		return false;
	memcpy(buf, ram + gpa, len);
	return true;
}

static const struct x86_guest_mem mem = { ram_read, NULL };

static void put32(hv_u64 gpa, hv_u32 v)
{
	memcpy(ram + gpa, &v, 4);
}

static void put64(hv_u64 gpa, hv_u64 v)
{
	memcpy(ram + gpa, &v, 8);
}

static hv_u64 walk(const struct x86_paging *pg, hv_u64 gva, enum x86_walk_result want)
{
	hv_u64 gpa = 0xbad;

	CHECK(x86_gva_to_gpa(pg, &mem, gva, &gpa) == want);
	return gpa;
}

static void check_paging_off(void)
{
	struct x86_paging pg = { 0x60000010, 0x123000, 0, 0, 0 };

	CHECK(x86_paging_mode(&pg) == X86_PAGING_OFF);
	CHECK(walk(&pg, 0xfee00300, X86_WALK_OK) == 0xfee00300);
	CHECK(walk(&pg, 0x1fee00300ULL, X86_WALK_OK) == 0xfee00300);	/* 32-bit linear */
	CHECK(reads == 0);
}

/* 32-bit paging: CR3 0x1000; PDE 0x3fb -> table 0x2000; PDE 1 a 4 MiB page. */
static void check_paging_32(void)
{
	struct x86_paging pg = { 0x80000011, 0x1000, 0x10, 0, 40 };

	memset(ram, 0, sizeof(ram));
	put32(0x1000 + 0x3fb * 4, 0x2000 | 0x7);
	put32(0x2000 + 0x200 * 4, 0x5000 | 0x3);
	put32(0x1000 + 1 * 4, 0x00c00000 | 0x83);
	put32(0x1000 + 2 * 4, 0x00c00000 | (3 << 13) | 0x83);	/* PSE-36: 0x300c00000 */
	put32(0x1000 + 3 * 4, 0x00c00000 | (1 << 21) | 0x83);		/* reserved bit 21 */
	put32(0x1000 + 4 * 4, 0x00800000 | 0x3);			/* table outside RAM */
	CHECK(x86_paging_mode(&pg) == X86_PAGING_32);
	CHECK(walk(&pg, 0xfee00300, X86_WALK_OK) == 0x5300);
	CHECK(walk(&pg, 0x00401234, X86_WALK_OK) == 0xc01234);
	CHECK(walk(&pg, 0x00b01234, X86_WALK_OK) == 0x300f01234ULL);
	CHECK(walk(&pg, 0x00c01234, X86_WALK_RESERVED) == 0xbad);
	CHECK(walk(&pg, 0x01001234, X86_WALK_NO_MEMORY) == 0xbad);
	CHECK(walk(&pg, 0x01401234, X86_WALK_NOT_PRESENT) == 0xbad);	/* PDE 5 empty */
	CHECK(walk(&pg, 0xfee01300, X86_WALK_NOT_PRESENT) == 0xbad);	/* PTE 0x201 empty */
	pg.phys_bits = 33;
	CHECK(walk(&pg, 0x00b01234, X86_WALK_RESERVED) == 0xbad);	/* bit 33 > MAXPHYADDR */
	/* Without CR4.PSE, PS means nothing: PDE 1 points to a table at 0xc00000 (no RAM). */
	pg.cr4 = 0;
	CHECK(walk(&pg, 0x00401234, X86_WALK_NO_MEMORY) == 0xbad);
	CHECK(walk(&pg, 0xfee00300, X86_WALK_OK) == 0x5300);
}

/* PAE: CR3 0x3020 (32-byte aligned); PDPTE 3 -> PD 0x4000; PDE 0x1f7 -> 2 MiB, 0x1f6 -> PT. */
static void check_paging_pae(void)
{
	struct x86_paging pg = { 0x80000011, 0x3020, 0x20, 0, 40 };

	memset(ram, 0, sizeof(ram));
	put64(0x3020 + 3 * 8, 0x4000 | 0x1);
	put64(0x3020 + 2 * 8, 0x4000 | 0x3);				/* bit 1 reserved */
	put64(0x4000 + 0x1f7 * 8, 0xfee00000ULL | 0x83);
	put64(0x4000 + 0x1f6 * 8, 0x6000 | 0x3);
	put64(0x6000 + 0x10 * 8, 0x8000000000123000ULL | 0x3);		/* NX */
	put64(0x6000 + 0x11 * 8, 0x10000000000ULL | 0x3);		/* bit 40 */
	put64(0x4000 + 0x1f5 * 8, 0x200000ULL | (1 << 13) | 0x83);	/* reserved in 2 MiB */
	CHECK(x86_paging_mode(&pg) == X86_PAGING_PAE);
	CHECK(walk(&pg, 0xfee00300, X86_WALK_OK) == 0xfee00300);
	CHECK(walk(&pg, 0xfec10abc, X86_WALK_RESERVED) == 0xbad);	/* NX without EFER.NXE */
	pg.efer = 0x800;
	CHECK(walk(&pg, 0xfec10abc, X86_WALK_OK) == 0x123abc);
	CHECK(walk(&pg, 0xfec11abc, X86_WALK_RESERVED) == 0xbad);
	CHECK(walk(&pg, 0xfea00000, X86_WALK_RESERVED) == 0xbad);
	CHECK(walk(&pg, 0xbec00000, X86_WALK_RESERVED) == 0xbad);	/* the PDPTE */
	CHECK(walk(&pg, 0x40000000, X86_WALK_NOT_PRESENT) == 0xbad);
	CHECK(walk(&pg, 0x1fee00300ULL, X86_WALK_OK) == 0xfee00300);	/* 32-bit linear */
	pg.phys_bits = 0;						/* 52 bits */
	CHECK(walk(&pg, 0xfec11abc, X86_WALK_OK) == 0x10000000abcULL);
}

/* 4-level: the direct map 0xffff888000000000 (PML4 0x111): 1 GiB, 2 MiB and 4 KiB pages. */
static void check_paging_long(void)
{
	struct x86_paging pg = { 0x80050033, 0x7000, 0x20, 0xd00, 40 };
	hv_u64 base = 0xffff888000000000ULL;

	memset(ram, 0, sizeof(ram));
	put64(0x7000 + 0x111 * 8, 0x8000 | 0x63);
	put64(0x8000 + 0 * 8, 0x00000000 | 0xe3);			/* 1 GiB at 0 */
	put64(0x8000 + 1 * 8, 0x9000 | 0x3);
	put64(0x8000 + 2 * 8, 0x40000000 | (1 << 13) | 0x83);		/* reserved in 1 GiB */
	put64(0x8000 + 3 * 8, 0x100000000000ULL | 0x83);		/* 1 GiB at bit 44 */
	put64(0x9000 + 5 * 8, 0xa000 | 0x3);
	put64(0x9000 + 6 * 8, 0xfee00000ULL | 0x1083);			/* 2 MiB, PAT bit */
	put64(0xa000 + 7 * 8, 0x8000000000345000ULL | 0x3);		/* NX with NXE */
	put64(0x7000 + 0x1ff * 8, 0xb000 | 0x83);			/* PS in a PML4E */
	CHECK(x86_paging_mode(&pg) == X86_PAGING_LONG4);
	CHECK(walk(&pg, base + 0x12345, X86_WALK_OK) == 0x12345);
	CHECK(walk(&pg, base + 0x40000000 + 0xa07123, X86_WALK_OK) == 0x345123);
	CHECK(walk(&pg, base + 0x40000000 + 0xc12345, X86_WALK_OK) == 0xfee12345);
	CHECK(walk(&pg, base + 0x80000000, X86_WALK_RESERVED) == 0xbad);
	CHECK(walk(&pg, base + 0xc0000000, X86_WALK_RESERVED) == 0xbad);	/* > 40 bits */
	pg.phys_bits = 48;
	CHECK(walk(&pg, base + 0xc0000042, X86_WALK_OK) == 0x100000000042ULL);
	CHECK(walk(&pg, 0xffffffff81000000ULL, X86_WALK_RESERVED) == 0xbad);
	CHECK(walk(&pg, 0x00007f0000000000ULL, X86_WALK_NOT_PRESENT) == 0xbad);
	CHECK(walk(&pg, base + 0x40000000 + 0xe00000, X86_WALK_NOT_PRESENT) == 0xbad);
	pg.efer = 0x500;						/* NX now reserved */
	CHECK(walk(&pg, base + 0x40000000 + 0xa07123, X86_WALK_RESERVED) == 0xbad);
	pg.cr4 |= 1 << 12;
	CHECK(x86_paging_mode(&pg) == X86_PAGING_LONG5);
	CHECK(walk(&pg, base, X86_WALK_UNSUPPORTED) == 0xbad);
	/* A table entry pointing at itself only ever costs four reads. */
	pg.cr4 &= ~(1ULL << 12);
	put64(0x7000 + 0x100 * 8, 0x7000 | 0x3);
	reads = 0;
	CHECK(walk(&pg, 0xffff804020100000ULL, X86_WALK_OK) == 0x7000);
	CHECK(reads == 4);
}

static void check_fetch(void)
{
	/* Long mode, 4 KiB pages: linear 0x400000 -> 0x10000, 0x401000 -> 0x20000. */
	struct x86_paging pg = { 0x80050033, 0x7000, 0x20, 0xd00, 40 };
	hv_u8 buf[X86_MAX_INSN_LEN];
	unsigned int len, i;

	memset(ram, 0, sizeof(ram));
	put64(0x7000, 0x8000 | 0x3);
	put64(0x8000, 0x9000 | 0x3);
	put64(0x9000 + 2 * 8, 0xa000 | 0x3);
	put64(0xa000, 0x10000 | 0x3);
	put64(0xa000 + 8, 0x20000 | 0x3);
	for (i = 0; i < 16; i++) {
		ram[0x10ff8 + i] = 0xa0 + i;		/* the end of the first page ... */
		ram[0x20000 + i] = 0xb0 + i;		/* ... and the start of the next */
	}
	CHECK(x86_fetch_insn(&pg, &mem, 0, 0x400ff8, buf, &len) == X86_WALK_OK);
	CHECK(len == 15);
	for (i = 0; i < 8; i++)
		CHECK(buf[i] == 0xa0 + i);
	for (i = 8; i < 15; i++)
		CHECK(buf[i] == 0xb0 + i - 8);
	CHECK(x86_fetch_insn(&pg, &mem, 0, 0x400100, buf, &len) == X86_WALK_OK && len == 15);
	/* The next page not present: the first page's bytes alone. */
	put64(0xa000 + 8, 0);
	CHECK(x86_fetch_insn(&pg, &mem, 0, 0x400ffa, buf, &len) == X86_WALK_OK);
	CHECK(len == 6 && buf[0] == 0xa2 && buf[5] == 0xa7);
	CHECK(x86_fetch_insn(&pg, &mem, 0, 0x401000, buf, &len) == X86_WALK_NOT_PRESENT);
	CHECK(len == 0);

	/* Real mode: CS.base 0x10000, IP 0xfffc: linear 0x1fffc, across into 0x20000. */
	pg = (struct x86_paging){ 0x60000010, 0, 0, 0, 0 };
	ram[0x1fffc] = 0x66;
	ram[0x1fffd] = 0xa3;
	CHECK(x86_fetch_insn(&pg, &mem, 0x10000, 0xfffc, buf, &len) == X86_WALK_OK);
	CHECK(len == 15 && buf[0] == 0x66 && buf[1] == 0xa3 && buf[4] == 0xb0);
	/* The end of RAM. */
	CHECK(x86_fetch_insn(&pg, &mem, 0, RAM_SIZE - 3, buf, &len) == X86_WALK_OK && len == 3);
	CHECK(x86_fetch_insn(&pg, &mem, 0, RAM_SIZE, buf, &len) == X86_WALK_NO_MEMORY);
	CHECK(x86_walk_strerror(X86_WALK_RESERVED)[0] != 0);
}

/* Random page tables in every mode: each walk ends in a result, and a translation is in range. */
static void check_random(void)
{
	static const struct x86_paging modes[] = {
		{ 0x80000011, 0x1000, 0x10, 0, 36 },
		{ 0x80000011, 0x1020, 0x20, 0x800, 40 },
		{ 0x80050033, 0x1000, 0x20, 0xd00, 40 },
		{ 0x80050033, 0x1000, 0x20, 0x500, 0 },
	};
	unsigned int i, bad = 0, seen[5] = { 0 };
	enum x86_walk_result res;
	hv_u64 gpa, gva, lim;

	srand(2);
	for (i = 0; i < RAM_SIZE; i++)
		ram[i] = rand();
	/* Mostly present entries pointing into RAM, so that walks go deep. */
	for (i = 0; i < RAM_SIZE; i += 8)
		if (rand() % 4) {
			ram[i] |= 1;
			ram[i + 2] &= 0x1f;
			ram[i + 3] = ram[i + 4] = ram[i + 5] = ram[i + 6] = 0;
			ram[i + 7] &= 0x7f;
		}
	for (i = 0; i < 100000; i++) {
		const struct x86_paging *pg = &modes[i % 4];

		gva = (hv_u64)rand() << 33 ^ (hv_u64)rand() << 14 ^ rand();
		res = x86_gva_to_gpa(pg, &mem, gva, &gpa);
		lim = 1ULL << (pg->phys_bits ? pg->phys_bits : 52);
		if (res > X86_WALK_NO_MEMORY || (res == X86_WALK_OK && gpa >= lim))
			bad++;
		seen[res]++;
	}
	/* Some of each: translations, missing entries, tables outside RAM, reserved bits. */
	CHECK(seen[0] > 1000 && seen[1] > 1000 && seen[2] > 1000 && seen[3] > 1000);
	CHECK(bad == 0);
}

int main(void)
{
	check_paging_off();
	check_paging_32();
	check_paging_pae();
	check_paging_long();
	check_fetch();
	check_random();
	return test_report("test_x86_walk");
}
