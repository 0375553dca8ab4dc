/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jailhouse cell linux: where the loader stub, an arm64 kernel Image, its DTB and its initrd go
 * in a cell's RAM (Documentation/arch/arm64/booting.rst). Pure functions of their inputs, no
 * I/O, so the host unit test (tests/tools/test_linux_layout.c) runs them as they are. Errors:
 * -1 and a sentence in err (what, and by how much).
 */
#ifndef JAILHOUSE_LINUX_LAYOUT_H
#define JAILHOUSE_LINUX_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "fdt_edit.h"

#define LINUX_ERR_LEN		320
#define LINUX_SZ_2M		(2ull << 20)
/* booting.rst: "The device tree blob (dtb) must be placed on an 8-byte boundary and must not
 * exceed 2 megabytes in size." */
#define LINUX_DTB_MAX		LINUX_SZ_2M
#define LINUX_IMAGE_HDR_SIZE	64

/* The Image header's flags */
#define ARM64_IMAGE_BE		(1ull << 0)	/* kernel endianness: 1 = big endian */
#define ARM64_IMAGE_PAGE_SHIFT	1		/* bits 1-2: 0 unspecified, 1 4K, 2 16K, 3 64K */
#define ARM64_IMAGE_PAGE_MASK	(3ull << ARM64_IMAGE_PAGE_SHIFT)
#define ARM64_IMAGE_ANYWHERE	(1ull << 3)	/* 2 MiB aligned base anywhere, not lowest RAM */

struct arm64_image {
	uint64_t text_offset;	/* load address = 2 MiB aligned base + text_offset */
	uint64_t image_size;	/* bytes the kernel claims from its load address, BSS included */
	uint64_t flags;
	uint64_t file_size;	/* bytes to copy */
};

/* The cell's RAM the loader uses: the loadable region holding the CPU reset address. */
struct linux_ram {
	uint64_t start;		/* guest-physical */
	uint64_t size;
};

struct linux_layout_req {
	struct linux_ram ram;
	uint64_t reset;		/* cpu_reset_address: the loader stub goes here */
	uint64_t stub_size;
	struct arm64_image kernel;
	uint64_t dtb_size;
	uint64_t initrd_size;	/* 0: no initrd */
};

/* Guest-physical addresses; ends are exclusive. */
struct linux_layout {
	uint64_t stub;
	uint64_t kernel;	/* the kernel's entry: its first byte */
	uint64_t kernel_end;	/* kernel + image_size */
	uint64_t dtb;
	uint64_t dtb_end;
	uint64_t initrd;	/* 0 without an initrd */
	uint64_t initrd_end;
	uint64_t end;		/* end of the last thing placed */
};

/* The loader stub: 6 instructions and 2 literals, 8-byte aligned (see linux_stub()). */
#define LINUX_STUB_SIZE		40

int arm64_image_parse(const void *buf, size_t len, struct arm64_image *img, char *err,
		      size_t errlen);
int linux_cell_ram(const void *blob, size_t len, struct linux_ram *ram, uint64_t *reset,
		   char *err, size_t errlen);
int linux_layout(const struct linux_layout_req *req, struct linux_layout *out, char *err,
		 size_t errlen);
int linux_check_memory(const void *blob, size_t len, const struct fdt_range *mem,
		       unsigned int n, const struct linux_layout *at, char *err, size_t errlen);
void linux_stub(uint8_t out[LINUX_STUB_SIZE], uint64_t dtb, uint64_t kernel);

#endif
