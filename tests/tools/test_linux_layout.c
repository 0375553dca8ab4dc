// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of jailhouse cell linux's pure part (tools/linux_layout.c): the arm64 Image
 * header, the cell RAM the kernel goes to, the layout and its errors, the DTB's memory against
 * both, the loader stub's words.
 * Built and run under ASan/UBSan by tests/tools/test_cli_units.py.
 */
#include <stdlib.h>
#include <string.h>

#include "config_format.h"
#include "linux_layout.h"
#include "test.h"

#define MiB	(1ull << 20)

static char err[LINUX_ERR_LEN];

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
	while (bytes--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

/* An Image header (file of len bytes) as the kernel's head.S writes it. */
static uint8_t *image(size_t len, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	uint8_t *b = calloc(1, len);

	put_le(b + 0x08, text_offset, 8);
	put_le(b + 0x10, image_size, 8);
	put_le(b + 0x18, flags, 8);
	memcpy(b + 0x38, "ARM\x64", 4);
	return b;
}

static int parse(const void *b, size_t len, struct arm64_image *img)
{
	err[0] = 0;
	return arm64_image_parse(b, len, img, err, sizeof(err));
}

static void test_image_header(void)
{
	struct arm64_image img;
	uint8_t *b = image(4096, 0, 33619968, 0xa);
	uint8_t junk[128] = { 0 };

	CHECK(parse(b, 4096, &img) == 0);
	CHECK(img.text_offset == 0 && img.image_size == 33619968 && img.flags == 0xa);
	CHECK(img.file_size == 4096);
	/* big endian */
	put_le(b + 0x18, 0xb, 8);
	CHECK(parse(b, 4096, &img) && strstr(err, "big-endian"));
	/* image_size 0: pre-3.17, size unknown */
	put_le(b + 0x18, 0xa, 8);
	put_le(b + 0x10, 0, 8);
	CHECK(parse(b, 4096, &img) && strstr(err, "image_size 0"));
	/* image_size smaller than the file */
	put_le(b + 0x10, 1024, 8);
	CHECK(parse(b, 4096, &img) && strstr(err, "corrupt header"));
	/* text_offset not a page multiple, or 2 MiB and more */
	put_le(b + 0x10, 8192, 8);
	put_le(b + 0x08, 0x80001, 8);
	CHECK(parse(b, 4096, &img) && strstr(err, "text_offset"));
	put_le(b + 0x08, LINUX_SZ_2M, 8);
	CHECK(parse(b, 4096, &img) && strstr(err, "text_offset"));
	put_le(b + 0x08, 0x80000, 8);
	CHECK(parse(b, 4096, &img) == 0 && img.text_offset == 0x80000);
	/* shorter than the header, magic or not */
	CHECK(parse(b, 63, &img) && strstr(err, "shorter"));
	CHECK(parse(b, 0, &img) && strstr(err, "shorter"));
	free(b);
	/* compressed or other files: named, with a hint */
	memcpy(junk, "\x1f\x8b\x08", 3);
	CHECK(parse(junk, sizeof(junk), &img) && strstr(err, "gzip") && strstr(err, "zcat"));
	CHECK(parse(junk, 2, &img) && strstr(err, "gzip"));
	memcpy(junk, "\xfd" "7zXZ", 5);
	CHECK(parse(junk, sizeof(junk), &img) && strstr(err, "xzcat"));
	memcpy(junk, "\x28\xb5\x2f\xfd", 4);
	CHECK(parse(junk, sizeof(junk), &img) && strstr(err, "zstd"));
	memcpy(junk, "MZ\0\0zimg", 8);
	CHECK(parse(junk, sizeof(junk), &img) && strstr(err, "zboot"));
	memcpy(junk, "\x7f" "ELF", 4);
	CHECK(parse(junk, sizeof(junk), &img) && strstr(err, "ELF"));
	memcpy(junk, "hello world", 11);
	CHECK(parse(junk, sizeof(junk), &img) && strstr(err, "no \"ARM\\x64\" magic"));
}

struct cell_blob {
	struct hvcfg_cell cell;
	struct hvcfg_memory_region mem[3];
};

static struct cell_blob *cell_blob(uint64_t reset)
{
	struct cell_blob *c = calloc(1, sizeof(*c));
	const uint64_t rwx = HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_EXECUTE;

	c->cell.header.signature = HVCFG_SIGNATURE_CELL;
	c->cell.header.arch = HVCFG_ARCH_ARM64;
	c->cell.cell.num_mem_regions = 3;
	c->cell.cell.mem_regions_offset = sizeof(c->cell);
	c->cell.cell.cpu_reset_address = reset;
	/* the comm page, a device, the RAM */
	c->mem[0] = (struct hvcfg_memory_region){ 0, 0x80000000, 0x1000,
		HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_COMM_REGION };
	c->mem[1] = (struct hvcfg_memory_region){ 0x9000000, 0x9000000, 0x1000,
		HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_IO };
	c->mem[2] = (struct hvcfg_memory_region){ 0x68000000, 0, 128 * MiB,
		rwx | HVCFG_MEM_LOADABLE };
	return c;
}

static int ram_of(struct cell_blob *c, size_t len, struct linux_ram *ram, uint64_t *reset)
{
	err[0] = 0;
	return linux_cell_ram(c, len, ram, reset, err, sizeof(err));
}

static void test_cell_ram(void)
{
	struct cell_blob *c = cell_blob(0);
	struct linux_ram ram;
	uint64_t reset;

	CHECK(ram_of(c, sizeof(*c), &ram, &reset) == 0);
	CHECK(ram.start == 0 && ram.size == 128 * MiB && reset == 0);
	c->cell.cell.cpu_reset_address = 128 * MiB - 8;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) == 0 && reset == 128 * MiB - 8);
	/* outside every loadable region: past the RAM, in the device, in the comm page */
	c->cell.cell.cpu_reset_address = 128 * MiB;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) && strstr(err, "no loadable RAM"));
	c->cell.cell.cpu_reset_address = 0x9000000;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) && strstr(err, "no loadable RAM"));
	c->cell.cell.cpu_reset_address = 0x80000000;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) && strstr(err, "no loadable RAM"));
	/* RAM that is not loadable, or not executable */
	c->cell.cell.cpu_reset_address = 0;
	c->mem[2].flags &= ~HVCFG_MEM_LOADABLE;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) && strstr(err, "no loadable RAM"));
	c->mem[2].flags |= HVCFG_MEM_LOADABLE;
	c->mem[2].flags &= ~HVCFG_MEM_EXECUTE;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) && strstr(err, "executable"));
	c->mem[2].flags |= HVCFG_MEM_EXECUTE;
	/* regions beyond the blob, another arch, another signature, too short */
	CHECK(ram_of(c, sizeof(*c) - 1, &ram, &reset) && strstr(err, "outside"));
	c->cell.cell.mem_regions_offset = 0xffffffff;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) && strstr(err, "outside"));
	c->cell.cell.mem_regions_offset = sizeof(c->cell);
	c->cell.cell.num_mem_regions = 0xffffffff;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) && strstr(err, "outside"));
	c->cell.cell.num_mem_regions = 3;
	c->cell.header.arch = HVCFG_ARCH_X86_64;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) && strstr(err, "arm64"));
	c->cell.header.arch = HVCFG_ARCH_ARM64;
	c->cell.header.signature = HVCFG_SIGNATURE_SYSTEM;
	CHECK(ram_of(c, sizeof(*c), &ram, &reset) && strstr(err, "not a cell"));
	CHECK(ram_of(c, 10, &ram, &reset) && strstr(err, "not a cell"));
	free(c);
}

static struct linux_layout_req debian_req(void)
{
	struct linux_layout_req r = {
		.ram = { 0, 128 * MiB },
		.reset = 0,
		.stub_size = LINUX_STUB_SIZE,
		.kernel = { .text_offset = 0, .image_size = 33619968, .flags = 0xa,
			    .file_size = 32954880 },
		.dtb_size = 2066,
	};
	return r;
}

static int lay(const struct linux_layout_req *r, struct linux_layout *at)
{
	err[0] = 0;
	return linux_layout(r, at, err, sizeof(err));
}

static void test_layout(void)
{
	struct linux_layout_req r = debian_req();
	struct linux_layout at;

	CHECK(lay(&r, &at) == 0);
	CHECK(at.stub == 0 && at.kernel == 2 * MiB && at.kernel_end == 2 * MiB + 33619968);
	CHECK(at.dtb == at.kernel_end && at.dtb % 8 == 0 && at.initrd == 0);
	CHECK(at.end == at.dtb + r.dtb_size);
	/* an initrd: page aligned after the DTB */
	r.initrd_size = 10 * MiB + 5;
	CHECK(lay(&r, &at) == 0);
	CHECK(at.initrd % 4096 == 0 && at.initrd >= at.dtb + r.dtb_size &&
	      at.initrd - (at.dtb + r.dtb_size) < 4096);
	CHECK(at.initrd_end == at.initrd + r.initrd_size && at.end == at.initrd_end);
	/* text_offset: a 2 MiB aligned base plus it */
	r.kernel.text_offset = 0x80000;
	CHECK(lay(&r, &at) == 0 && at.kernel == 2 * MiB + 0x80000);
	r.kernel.text_offset = 0;
	/* RAM elsewhere, the reset address not at its start: the next 2 MiB boundary after */
	r.ram.start = 0x40000000;
	r.reset = 0x40000000 + 3 * MiB;
	CHECK(lay(&r, &at) == 0 && at.stub == r.reset && at.kernel == 0x40000000 + 4 * MiB);
	/* a stub ending exactly on a 2 MiB boundary */
	r.reset = 0x40000000 + 2 * MiB - LINUX_STUB_SIZE;
	CHECK(lay(&r, &at) == 0 && at.kernel == 0x40000000 + 2 * MiB);
	r = debian_req();
	/* a DTB that would cross a 2 MiB boundary moves to the next block */
	r.kernel.image_size = 2 * MiB - 1024;
	r.kernel.file_size = 1000;
	r.dtb_size = 4096;
	CHECK(lay(&r, &at) == 0 && at.dtb == 4 * MiB);
	r.dtb_size = 1024;
	CHECK(lay(&r, &at) == 0 && at.dtb == 4 * MiB - 1024);
	r.dtb_size = LINUX_DTB_MAX;
	CHECK(lay(&r, &at) == 0 && at.dtb == 4 * MiB);
	r.dtb_size = LINUX_DTB_MAX + 1;
	CHECK(lay(&r, &at) && strstr(err, "2 MiB"));
	r = debian_req();
	/* a reset address that is not 8-byte aligned, or outside the RAM */
	r.reset = 4;
	CHECK(lay(&r, &at) && strstr(err, "8-byte"));
	r.reset = 128 * MiB;
	CHECK(lay(&r, &at) && strstr(err, "outside"));
	r = debian_req();
}

static void test_layout_too_big(void)
{
	struct linux_layout_req r = debian_req();
	struct linux_layout at;

	/* the kernel: image_size counts, not the file size */
	r.ram.size = 32 * MiB;
	CHECK(lay(&r, &at) && strstr(err, "the kernel") && strstr(err, "33619968") == NULL);
	CHECK(strstr(err, "short") && strstr(err, "0x0-0x1ffffff"));
	/* 2 MiB + 33619968 - 32 MiB = 2162688 bytes short */
	CHECK(strstr(err, "2162688 bytes"));
	r.ram.size = 34 * MiB;
	CHECK(lay(&r, &at) && strstr(err, "the kernel") && strstr(err, "65536 bytes"));
	/* the DTB just does not fit */
	r.ram.size = 2 * MiB + 33619968 + 1024;
	r.dtb_size = 2048;
	CHECK(lay(&r, &at) && strstr(err, "the DTB") && strstr(err, "1024 bytes"));
	r.dtb_size = 1024;
	CHECK(lay(&r, &at) == 0);
	/* the initrd: named, by how much */
	r.ram.size = 64 * MiB;
	r.dtb_size = 2066;
	r.initrd_size = 40 * MiB;
	CHECK(lay(&r, &at) && strstr(err, "the initrd") && strstr(err, "short"));
	/* sizes near 2^64 do not wrap into a fit */
	r.initrd_size = ~0ull;
	CHECK(lay(&r, &at) && strstr(err, "the initrd"));
	r.initrd_size = 0;
	r.kernel.image_size = ~0ull - 4096;
	CHECK(lay(&r, &at) && strstr(err, "the kernel"));
	r = debian_req();
	r.ram.start = ~0ull - 4095;
	r.reset = r.ram.start;
	CHECK(lay(&r, &at) && strstr(err, "page-aligned range"));
}

static int mem_check(struct cell_blob *c, const struct fdt_range *r, unsigned int n,
		     const struct linux_layout *at)
{
	err[0] = 0;
	return linux_check_memory(c, sizeof(*c), r, n, at, err, sizeof(err));
}

static void test_check_memory(void)
{
	struct linux_layout_req req = debian_req();
	struct cell_blob *c = cell_blob(0);
	struct fdt_range r[2] = { { 0, 128 * MiB } };
	struct linux_layout at;

	req.initrd_size = 10 * MiB;
	CHECK(lay(&req, &at) == 0);
	CHECK(mem_check(c, r, 1, &at) == 0);
	/* the DTB of another cell or of the root */
	r[0] = (struct fdt_range){ 0x40000000, 0x40000000 };
	CHECK(mem_check(c, r, 1, &at) && strstr(err, "0x40000000-0x7fffffff, which is not RAM"));
	r[0] = (struct fdt_range){ 0, 256 * MiB };
	CHECK(mem_check(c, r, 1, &at) && strstr(err, "not RAM of the cell"));
	/* the comm page and a device are not RAM */
	r[0] = (struct fdt_range){ 0x80000000, 0x1000 };
	CHECK(mem_check(c, r, 1, &at) && strstr(err, "not RAM of the cell"));
	r[0] = (struct fdt_range){ 0x9000000, 0x1000 };
	CHECK(mem_check(c, r, 1, &at) && strstr(err, "not RAM of the cell"));
	CHECK(mem_check(c, r, 0, &at) && strstr(err, "no memory"));
	/* less memory than the cell has: fine while everything loaded lies in it */
	r[0] = (struct fdt_range){ 0, at.end };
	CHECK(mem_check(c, r, 1, &at) == 0);
	r[0] = (struct fdt_range){ 0, at.end - 1 };
	CHECK(mem_check(c, r, 1, &at) && strstr(err, "the initrd"));
	r[0] = (struct fdt_range){ 0, at.dtb + 1 };
	CHECK(mem_check(c, r, 1, &at) && strstr(err, "the DTB at"));
	r[0] = (struct fdt_range){ 0, 2 * MiB };
	CHECK(mem_check(c, r, 1, &at) && strstr(err, "the kernel at 0x200000-"));
	/* two ranges: the kernel in one, DTB and initrd in the other */
	r[0] = (struct fdt_range){ 0, at.kernel_end };
	r[1] = (struct fdt_range){ at.kernel_end, 128 * MiB - at.kernel_end };
	CHECK(mem_check(c, r, 2, &at) == 0);
	/* RAM in two adjoining regions of the cell covers one range across both */
	c->mem[1] = c->mem[2];
	c->mem[1].size = 64 * MiB;
	c->mem[2].guest_start = 64 * MiB;
	c->mem[2].size = 64 * MiB;
	r[0] = (struct fdt_range){ 0, 128 * MiB };
	CHECK(mem_check(c, r, 1, &at) == 0);
	c->mem[2].guest_start = 64 * MiB + 4096;	/* a hole */
	CHECK(mem_check(c, r, 1, &at) && strstr(err, "not RAM of the cell"));
	free(c);
}

static uint32_t word(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_stub(void)
{
	uint8_t s[LINUX_STUB_SIZE];
	/* as aarch64 gas assembles them (see linux_stub()) */
	const uint32_t expect[] = { 0x580000c0, 0xaa1f03e1, 0xaa1f03e2, 0xaa1f03e3, 0x58000084,
				    0xd61f0080 };
	unsigned int n;

	linux_stub(s, 0x2210000, 0x200000);
	for (n = 0; n < 6; n++)
		CHECK(word(s + 4 * n) == expect[n]);
	CHECK(word(s + 24) == 0x2210000 && word(s + 28) == 0);
	CHECK(word(s + 32) == 0x200000 && word(s + 36) == 0);
	linux_stub(s, 0x123456789abcdef0ull, 0xfedcba9876543210ull);
	CHECK(word(s + 24) == 0x9abcdef0 && word(s + 28) == 0x12345678);
	CHECK(word(s + 32) == 0x76543210 && word(s + 36) == 0xfedcba98);
}

/* --stub FILE: the stub for DTB 0x2210000, kernel 0x200000, for a disassembler to read */
static int write_stub(const char *file)
{
	uint8_t s[LINUX_STUB_SIZE];
	FILE *f = fopen(file, "wb");

	linux_stub(s, 0x2210000, 0x200000);
	if (!f || fwrite(s, 1, sizeof(s), f) != sizeof(s))
		return 1;
	return fclose(f) ? 1 : 0;
}

int main(int argc, char *argv[])
{
	if (argc == 3 && !strcmp(argv[1], "--stub"))
		return write_stub(argv[2]);
	test_image_header();
	test_cell_ram();
	test_layout();
	test_layout_too_big();
	test_check_memory();
	test_stub();
	return test_report("linux_layout");
}
