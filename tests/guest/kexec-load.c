// SPDX-License-Identifier: GPL-2.0
/*
 * kexec-load -l KERNEL INITRD CMDLINE | -e: boot another ARMv7 kernel by kexec, without
 * kexec-tools (Debian's is dynamic, the test initramfs has no libc). The kernel is a zImage or
 * a uImage (its 64-byte header is dropped, its load and entry addresses used); the DTB is the
 * running kernel's own (/sys/firmware/fdt: the same board, memory and reservations) with
 * /chosen's bootargs and initrd range replaced (tools/fdt_edit.c, the CLI's editor). Three
 * kexec_load(2) segments at fixed offsets into the first RAM range (-l), or
 * reboot(LINUX_REBOOT_CMD_KEXEC) into what is loaded (-e: returns only on failure). ARM's
 * machine_kexec passes the segment that starts with an FDT magic in r2. Exit 1 with a sentence
 * on any failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdt_edit.h"

#define UIMAGE_MAGIC	0x27051956u
#define UIMAGE_HDR	64
#define ZIMAGE_MAGIC	0x016f2818u	/* little-endian word at 0x24 */
#define TEXT_OFFSET	0x8000		/* where ARM kernels go above the RAM base */
/*
 * Far enough above the kernel for the zImage to decompress (Debian's armmp-lpae kernel is ~20
 * MiB with its bss) and below 128 MiB, which the test machine's root RAM always covers.
 */
#define DTB_OFFSET	0x03f00000
#define INITRD_OFFSET	0x04000000
#define PAGE		4096u

static void *read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf = NULL;
	ssize_t got = 0, n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	/* /sys/firmware/fdt has no size in st_size until read: read until EOF */
	if (fstat(fd, &st) == 0 && (buf = malloc(st.st_size > 0 ? st.st_size : 1 << 20))) {
		size_t cap = st.st_size > 0 ? st.st_size : 1 << 20;

		while ((size_t)got < cap && (n = read(fd, (char *)buf + got, cap - got)) > 0)
			got += n;
	}
	close(fd);
	*len = got;
	return buf;
}

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

static size_t page_up(size_t v)
{
	return (v + PAGE - 1) & ~(size_t)(PAGE - 1);
}

static int fail(const char *what, const char *detail)
{
	fprintf(stderr, "kexec-load: %s: %s\n", what, detail);
	return 1;
}

int main(int argc, char **argv)
{
	struct kexec_segment seg[3];
	struct fdt_chosen_edit edit = { .set_initrd = 1 };
	struct fdt_range mem[FDT_MAX_RANGES];
	size_t klen, ilen, flen, dlen;
	uint32_t load, entry, base;
	unsigned int nmem, i, lowest = 0;
	uint8_t *kernel, *initrd, *fdt;
	void *dtb;
	char err[200];

	if (argc == 2 && !strcmp(argv[1], "-e")) {
		sync();
		syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			LINUX_REBOOT_CMD_KEXEC, NULL);
		return fail("reboot(LINUX_REBOOT_CMD_KEXEC)", strerror(errno));
	}
	if (argc != 5 || strcmp(argv[1], "-l"))
		return fail("usage", "kexec-load -l KERNEL INITRD CMDLINE | -e");
	argv++;
	kernel = read_file(argv[1], &klen);
	initrd = read_file(argv[2], &ilen);
	fdt = read_file("/sys/firmware/fdt", &flen);
	if (!kernel || klen < UIMAGE_HDR || !initrd || !fdt)
		return fail("cannot read the kernel, the initrd or /sys/firmware/fdt",
			    strerror(errno));
	if (fdt_check(fdt, flen, err, sizeof(err)) ||
	    fdt_memory(fdt, flen, mem, FDT_MAX_RANGES, &nmem, err, sizeof(err)))
		return fail("/sys/firmware/fdt", err);
	if (!nmem)
		return fail("/sys/firmware/fdt", "no memory node");
	for (i = 1; i < nmem; i++)
		if (mem[i].start < mem[lowest].start)
			lowest = i;
	if (mem[lowest].start >> 32 || mem[lowest].size < INITRD_OFFSET + page_up(ilen))
		return fail("the first RAM range", "too small, or above 4 GiB");
	base = mem[lowest].start;
	if (be32(kernel) == UIMAGE_MAGIC) {
		load = be32(kernel + 16);
		entry = be32(kernel + 20);
		kernel += UIMAGE_HDR;
		klen -= UIMAGE_HDR;
	} else if (klen > 0x28 && (kernel[0x24] | kernel[0x25] << 8 | kernel[0x26] << 16 |
				   (uint32_t)kernel[0x27] << 24) == ZIMAGE_MAGIC) {
		load = entry = base + TEXT_OFFSET;
	} else {
		return fail(argv[1], "neither a uImage nor a zImage");
	}
	if (load % PAGE != 0 || load < base || load + page_up(klen) > base + DTB_OFFSET)
		return fail(argv[1], "load address outside the RAM below the DTB");
	edit.bootargs = argv[3];
	edit.initrd_start = base + INITRD_OFFSET;
	edit.initrd_end = edit.initrd_start + ilen;
	if (fdt_edit_chosen(fdt, flen, &edit, &dtb, &dlen, err, sizeof(err)))
		return fail("editing /chosen", err);
	if (dlen > INITRD_OFFSET - DTB_OFFSET)
		return fail("the edited DTB", "too large");
	seg[0] = (struct kexec_segment){ kernel, klen, (void *)(uintptr_t)load, page_up(klen) };
	seg[1] = (struct kexec_segment){ dtb, dlen, (void *)(uintptr_t)(base + DTB_OFFSET),
					 page_up(dlen) };
	seg[2] = (struct kexec_segment){ initrd, ilen, (void *)(uintptr_t)(base + INITRD_OFFSET),
					 page_up(ilen) };
	printf("kexec-load: kernel 0x%x+0x%zx entry 0x%x, dtb 0x%x+0x%zx, initrd 0x%x+0x%zx\n",
	       load, klen, entry, base + DTB_OFFSET, dlen, base + INITRD_OFFSET, ilen);
	fflush(stdout);
	if (syscall(SYS_kexec_load, (unsigned long)entry, 3UL, seg,
		    (unsigned long)KEXEC_ARCH_DEFAULT))
		return fail("kexec_load", strerror(errno));
	return 0;
}
