// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse cell linux, the pure part: the arm64 Image header, the cell RAM it goes to, where
 * stub, kernel, DTB and initrd go (Documentation/arch/arm64/booting.rst) and the loader stub.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config_format.h"
#include "linux_layout.h"

#define ARM64_IMAGE_MAGIC	0x644d5241u	/* "ARM\x64" at offset 0x38 */
#define PAGE_4K			4096ull

static int __attribute__((format(printf, 3, 4))) fail(char *err, size_t errlen,
							 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t get_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

/* Files people pass instead of an Image, by their first bytes, and what to do about it. */
static const struct {
	const char *magic;
	size_t len;
	const char *what;
	const char *hint;
} not_images[] = {
	{ "\x1f\x8b", 2, "gzip-compressed", "decompress it: zcat vmlinuz > Image" },
	{ "\xfd" "7zXZ", 5, "xz-compressed", "decompress it: xzcat vmlinuz > Image" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd-compressed", "decompress it: zstdcat vmlinuz > Image" },
	{ "BZh", 3, "bzip2-compressed", "decompress it: bzcat vmlinuz > Image" },
	{ "\x04\x22\x4d\x18", 4, "lz4-compressed", "decompress it: lz4cat vmlinuz > Image" },
	{ "\x02\x21\x4c\x18", 4, "lz4-compressed (legacy)", "decompress it: lz4cat vmlinuz > Image" },
	{ "\x7f" "ELF", 4, "an ELF file (vmlinux?)",
	  "pass the raw Image (arch/arm64/boot/Image of a kernel build)" },
	{ "\x27\x05\x19\x56", 4, "a U-Boot uImage",
	  "strip its 64-byte header: dd if=uImage of=Image bs=64 skip=1" },
};

/* An EFI zboot image: "MZ" and "zimg" at offset 4; the payload is compressed. */
static int is_zboot(const uint8_t *b, size_t len)
{
	return len >= 8 && b[0] == 'M' && b[1] == 'Z' && !memcmp(b + 4, "zimg", 4);
}

static int not_an_image(const uint8_t *b, size_t len, char *err, size_t errlen)
{
	unsigned int n;

	if (is_zboot(b, len))
		return fail(err, errlen, "a compressed EFI zboot image, not an arm64 Image "
			    "(hint: use the kernel build's arch/arm64/boot/Image)");
	for (n = 0; n < sizeof(not_images) / sizeof(not_images[0]); n++)
		if (len >= not_images[n].len && !memcmp(b, not_images[n].magic, not_images[n].len))
			return fail(err, errlen, "%s, not an arm64 Image (hint: %s)",
				    not_images[n].what, not_images[n].hint);
	if (len < LINUX_IMAGE_HDR_SIZE)
		return fail(err, errlen, "not an arm64 Image: %zu bytes, shorter than its %d-byte "
			    "header", len, LINUX_IMAGE_HDR_SIZE);
	return fail(err, errlen, "not an arm64 Image: no \"ARM\\x64\" magic at offset 0x38 "
		    "(hint: a compressed vmlinuz? decompress it: zcat vmlinuz > Image)");
}

int arm64_image_parse(const void *buf, size_t len, struct arm64_image *img, char *err,
		      size_t errlen)
{
	const uint8_t *b = buf;

	if (len < LINUX_IMAGE_HDR_SIZE || get_le(b + 0x38, 4) != ARM64_IMAGE_MAGIC)
		return not_an_image(b, len, err, errlen);
	img->text_offset = get_le(b + 0x08, 8);
	img->image_size = get_le(b + 0x10, 8);
	img->flags = get_le(b + 0x18, 8);
	img->file_size = len;
	if (img->flags & ARM64_IMAGE_BE)
		return fail(err, errlen, "a big-endian kernel; cells boot little-endian ones");
	/* booting.rst: image_size 0 is a kernel older than 3.17 whose text_offset is 0x80000 */
	if (!img->image_size)
		return fail(err, errlen, "image_size 0 in the header (a kernel older than 3.17): "
			    "its memory needs are unknown");
	if (img->image_size < len)
		return fail(err, errlen, "header says image_size %llu bytes but the file has %zu: "
			    "corrupt header", (unsigned long long)img->image_size, len);
	if (img->text_offset % PAGE_4K || img->text_offset >= LINUX_SZ_2M)
		return fail(err, errlen, "text_offset 0x%llx in the header is not a page multiple "
			    "below 2 MiB: corrupt header", (unsigned long long)img->text_offset);
	return 0;
}

/*
 * The loadable region the CPU starts in (cpu_reset_address): Linux gets that RAM. The blob's
 * arrays are bounds-checked here too, so this stays safe on a blob nobody validated.
 */
int linux_cell_ram(const void *blob, size_t len, struct linux_ram *ram, uint64_t *reset,
		   char *err, size_t errlen)
{
	const struct hvcfg_cell *cell = blob;
	const struct hvcfg_memory_region *mem;
	const uint64_t rwx = HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_EXECUTE;
	uint64_t pc, n;

	if (len < sizeof(*cell) || cell->header.signature != HVCFG_SIGNATURE_CELL)
		return fail(err, errlen, "not a cell configuration");
	if (cell->header.arch != HVCFG_ARCH_ARM64)
		return fail(err, errlen, "not an arm64 cell: the Linux loader boots arm64 kernels");
	if (cell->cell.mem_regions_offset > len ||
	    (uint64_t)cell->cell.num_mem_regions * sizeof(*mem) > len - cell->cell.mem_regions_offset)
		return fail(err, errlen, "memory regions outside the configuration");
	mem = (const void *)((const char *)blob + cell->cell.mem_regions_offset);
	pc = cell->cell.cpu_reset_address;
	for (n = 0; n < cell->cell.num_mem_regions; n++) {
		if (!(mem[n].flags & HVCFG_MEM_LOADABLE) ||
		    mem[n].flags & (HVCFG_MEM_COMM_REGION | HVCFG_MEM_IO) ||
		    pc < mem[n].guest_start || pc - mem[n].guest_start >= mem[n].size)
			continue;
		if ((mem[n].flags & rwx) != rwx)
			return fail(err, errlen, "the RAM at the CPU reset address 0x%llx is not "
				    "readable, writable and executable", (unsigned long long)pc);
		if (mem[n].guest_start + mem[n].size < mem[n].guest_start)
			return fail(err, errlen, "a memory region wraps around");
		ram->start = mem[n].guest_start;
		ram->size = mem[n].size;
		*reset = pc;
		return 0;
	}
	return fail(err, errlen, "the CPU reset address 0x%llx is in no loadable RAM region of "
		    "the cell", (unsigned long long)pc);
}

static double mib(uint64_t bytes)
{
	return bytes / 1048576.0;
}

/* Does [start, end) fit the RAM? If not: which part, and by how much. */
static int check_fits(const struct linux_ram *ram, const char *what, uint64_t start,
		      uint64_t end, char *err, size_t errlen)
{
	uint64_t ram_end = ram->start + ram->size;

	if (end <= ram_end)
		return 0;
	return fail(err, errlen, "%s (%.1f MiB at 0x%llx) does not fit the cell's RAM "
		    "0x%llx-0x%llx (%.1f MiB): %llu bytes (%.1f MiB) short",
		    what, mib(end - start), (unsigned long long)start,
		    (unsigned long long)ram->start, (unsigned long long)ram_end - 1,
		    mib(ram->size), (unsigned long long)(end - ram_end), mib(end - ram_end));
}

/* arm64's largest physical address space: every address and size below stays far from 2^64 */
#define ADDR_LIMIT	(1ull << 52)

static int check_sizes(const struct linux_layout_req *req, char *err, size_t errlen)
{
	const struct linux_ram *ram = &req->ram;

	if (ram->start % PAGE_4K || ram->size > ADDR_LIMIT || ram->start > ADDR_LIMIT - ram->size)
		return fail(err, errlen, "the cell's RAM is not a page-aligned range below 2^52");
	if (req->reset < ram->start || req->reset - ram->start >= ram->size)
		return fail(err, errlen, "the CPU reset address is outside the cell's RAM");
	if (req->reset % 8)
		return fail(err, errlen, "the CPU reset address 0x%llx is not 8-byte aligned: "
			    "the loader stub's literals would be unaligned",
			    (unsigned long long)req->reset);
	if (req->kernel.image_size > ADDR_LIMIT)
		return check_fits(ram, "the kernel", ram->start, ram->start +
				  ADDR_LIMIT, err, errlen);
	if (req->initrd_size > ADDR_LIMIT)
		return check_fits(ram, "the initrd", ram->start, ram->start + ADDR_LIMIT, err,
				  errlen);
	if (req->dtb_size > LINUX_DTB_MAX)
		return fail(err, errlen, "the DTB has %llu bytes, more than the 2 MiB the boot "
			    "protocol allows", (unsigned long long)req->dtb_size);
	if (req->stub_size > LINUX_SZ_2M || req->kernel.text_offset >= LINUX_SZ_2M)
		return fail(err, errlen, "bad loader or kernel parameters");
	return 0;
}

/*
 * stub at the reset address; the kernel at the lowest 2 MiB aligned base above the stub plus
 * text_offset, image_size bytes reserved (its BSS and early page tables live there). Header
 * flag bit 3 clear asks for the base "as close as possible to the base of DRAM", as memory
 * below it is unusable to such a kernel: the lowest base is right for both. The DTB 8-byte
 * aligned after it, inside one 2 MiB block (the kernel maps it with one block early on), then
 * the initrd on a page boundary.
 */
int linux_layout(const struct linux_layout_req *req, struct linux_layout *out, char *err,
		 size_t errlen)
{
	const struct linux_ram *ram = &req->ram;
	uint64_t base;

	if (check_sizes(req, err, errlen))
		return -1;
	memset(out, 0, sizeof(*out));
	out->stub = req->reset;
	if (check_fits(ram, "the loader stub", out->stub, out->stub + req->stub_size, err, errlen))
		return -1;
	base = align_up(out->stub + req->stub_size, LINUX_SZ_2M);
	out->kernel = base + req->kernel.text_offset;
	out->kernel_end = out->kernel + req->kernel.image_size;
	if (check_fits(ram, "the kernel image_size", out->kernel,
		       out->kernel_end, err, errlen))
		return -1;
	out->dtb = align_up(out->kernel_end, 8);
	if (req->dtb_size && out->dtb / LINUX_SZ_2M != (out->dtb + req->dtb_size - 1) / LINUX_SZ_2M)
		out->dtb = align_up(out->dtb, LINUX_SZ_2M);
	out->dtb_end = out->dtb + req->dtb_size;
	out->end = out->dtb_end;
	if (check_fits(ram, "the DTB", out->dtb, out->end, err, errlen))
		return -1;
	if (!req->initrd_size)
		return 0;
	out->initrd = align_up(out->end, PAGE_4K);
	out->initrd_end = out->initrd + req->initrd_size;
	out->end = out->initrd_end;
	return check_fits(ram, "the initrd", out->initrd, out->initrd_end, err, errlen);
}

/* Is [start, start + size) RAM of the cell (any of its RAM regions, guest addresses)? */
static int cell_has_ram(const void *blob, size_t len, uint64_t start, uint64_t size)
{
	const struct hvcfg_cell *cell = blob;
	const struct hvcfg_memory_region *mem;
	uint64_t end = start + size, n, pos = start;
	int found = 1;

	if (len < sizeof(*cell) || cell->cell.mem_regions_offset > len ||
	    (uint64_t)cell->cell.num_mem_regions * sizeof(*mem) > len - cell->cell.mem_regions_offset)
		return 0;
	mem = (const void *)((const char *)blob + cell->cell.mem_regions_offset);
	/* each pass moves pos to the end of a region holding it; regions may adjoin */
	while (pos < end && found) {
		found = 0;
		for (n = 0; n < cell->cell.num_mem_regions; n++) {
			if (mem[n].flags & (HVCFG_MEM_IO | HVCFG_MEM_COMM_REGION) ||
			    pos < mem[n].guest_start || pos - mem[n].guest_start >= mem[n].size)
				continue;
			pos = mem[n].guest_start + mem[n].size;
			found = 1;
			break;
		}
	}
	return pos >= end;
}

static int in_dtb_memory(const struct fdt_range *mem, unsigned int n, uint64_t start,
			 uint64_t end)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		if (start >= mem[k].start && end - mem[k].start <= mem[k].size)
			return 1;
	return 0;
}

/*
 * The DTB's memory against the cell and the layout: memory the cell does not have would fault
 * the kernel (a DTB made for the root or another cell), and kernel, DTB and initrd must lie in
 * memory the kernel knows (an initrd outside its linear map is dropped).
 */
int linux_check_memory(const void *blob, size_t len, const struct fdt_range *mem,
		       unsigned int n, const struct linux_layout *at, char *err, size_t errlen)
{
	const char *hint = "(a DTB of the root or of another cell? configgen guest-dt makes the "
			   "cell's)";
	unsigned int k;

	if (!n)
		return fail(err, errlen, "the DTB describes no memory (no node with device_type "
			    "\"memory\") %s", hint);
	for (k = 0; k < n; k++)
		if (!cell_has_ram(blob, len, mem[k].start, mem[k].size))
			return fail(err, errlen, "the DTB gives the kernel memory 0x%llx-0x%llx, "
				    "which is not RAM of the cell %s",
				    (unsigned long long)mem[k].start,
				    (unsigned long long)(mem[k].start + mem[k].size - 1), hint);
	if (!in_dtb_memory(mem, n, at->kernel, at->kernel_end))
		return fail(err, errlen, "the kernel at 0x%llx-0x%llx is outside the memory the "
			    "DTB describes", (unsigned long long)at->kernel,
			    (unsigned long long)at->kernel_end - 1);
	if (!in_dtb_memory(mem, n, at->dtb, at->dtb_end))
		return fail(err, errlen, "the DTB at 0x%llx is outside the memory it describes",
			    (unsigned long long)at->dtb);
	if (at->initrd && !in_dtb_memory(mem, n, at->initrd, at->initrd_end))
		return fail(err, errlen, "the initrd at 0x%llx-0x%llx is outside the memory the "
			    "DTB describes", (unsigned long long)at->initrd,
			    (unsigned long long)at->initrd_end - 1);
	return 0;
}

static void put_le(uint8_t *p, uint64_t v, unsigned int bytes)
{
	while (bytes--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

/* LDR Xt, <label>: the 64-bit load of a PC-relative literal (imm19 words from this one). */
static uint32_t ldr_literal(unsigned int rt, unsigned int byte_offset)
{
	return 0x58000000u | (byte_offset / 4) << 5 | rt;
}

/* MOV Xd, XZR, i.e. ORR Xd, XZR, XZR (shifted register, Rm = Rn = 31). */
static uint32_t mov_zero(unsigned int rd)
{
	return 0xaa1f03e0u | rd;
}

/* BR Xn */
static uint32_t br(unsigned int rn)
{
	return 0xd61f0000u | rn << 5;
}

/*
 * The CPU enters at EL1 with the MMU and caches off and every register zero (the hypervisor's
 * vCPU reset); the kernel wants x0 = its DTB, x1..x3 = 0 (reserved), and its entry in the PC.
 * With the MMU off data accesses are Device memory, which faults on unaligned loads: the
 * literals sit at offsets 24 and 32 of an 8-byte aligned stub.
 *
 *   offset  instruction      word
 *    0:     ldr x0, 24       0x580000c0   x0 = DTB (literal 24 bytes on, imm19 = 6)
 *    4:     mov x1, xzr      0xaa1f03e1
 *    8:     mov x2, xzr      0xaa1f03e2
 *   12:     mov x3, xzr      0xaa1f03e3
 *   16:     ldr x4, 32       0x58000084   x4 = kernel entry (16 bytes on, imm19 = 4)
 *   20:     br x4            0xd61f0080
 *   24:     .quad dtb
 *   32:     .quad kernel
 */
void linux_stub(uint8_t out[LINUX_STUB_SIZE], uint64_t dtb, uint64_t kernel)
{
	const uint32_t code[] = {
		ldr_literal(0, 24), mov_zero(1), mov_zero(2), mov_zero(3),
		ldr_literal(4, 32 - 16), br(4),
	};
	unsigned int n;

	for (n = 0; n < 6; n++)
		put_le(out + 4 * n, code[n], 4);
	put_le(out + 24, dtb, 8);
	put_le(out + 32, kernel, 8);
}
