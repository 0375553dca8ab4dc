/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Layout of the hypervisor image (jailhouse.bin) as the driver sees it: a header at offset 0
 * that tells the driver how much to copy, where the entry vectors are and where the console
 * ring lives, plus the few fields the driver fills in before the first CPU enters.
 */
#ifndef HV_IMAGE_H
#define HV_IMAGE_H

#include "abi_types.h"

#define HV_IMAGE_SIGNATURE	"JHVIMAGE"
#define HV_IMAGE_ABI		2
#define HV_CONSOLE_SIZE		(16 * 1024)

/* Code the driver passes with the call that enters the image, so a stray call cannot enter. */
#define HV_ENTRY_CODE		0x4a48454e	/* "JHEN" */

/* Bytes at the end of the header that belong to the architecture (arch_area). */
#define HV_HEADER_ARCH_SIZE	32

#ifndef __ASSEMBLER__
struct hv_header {
	char signature[8];
	hv_u32 abi_version;
	hv_u32 header_size;
	hv_u64 image_size;		/* bytes of jailhouse.bin to copy */
	hv_u64 core_size;		/* image plus zeroed data; page aligned */
	hv_u64 entry_offset;		/* where the driver enters; what it is, the arch says */
	hv_u64 console_offset;	/* struct hv_console, page aligned */
	hv_u32 max_cpus;		/* CPUs this build supports */
	hv_u32 arch;			/* HVCFG_ARCH_* it was built for */
	/* Filled in by the driver before entry: */
	hv_u64 mem_size;		/* hypervisor memory size */
	hv_u64 config_offset;		/* system blob copy, page aligned, >= core_size */
	hv_u64 config_size;
	hv_u32 online_cpus;		/* how many CPUs will enter */
	hv_u32 padding;
	/*
	 * Owned by the architecture: its struct hv_header_arch (asm/hv_header_arch.h) lives
	 * here, fields of the image and fields the driver fills in, as that header documents.
	 */
	hv_u64 arch_area[HV_HEADER_ARCH_SIZE / 8];
};

/*
 * Console ring, page aligned so the root can be given read access to exactly these pages.
 * tail counts every byte ever written; buf[i % HV_CONSOLE_SIZE] holds byte i. busy is odd while
 * the writer is updating, so a reader retries when it changed or was odd.
 */
struct hv_console {
	volatile hv_u32 tail;
	volatile hv_u32 busy;
	char buf[HV_CONSOLE_SIZE];
};
#endif

#endif
