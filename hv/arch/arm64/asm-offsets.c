// SPDX-License-Identifier: GPL-2.0
/*
 * Offsets and sizes entry.S needs, computed by the compiler from the C structures: compiled to
 * assembly only, each DEFINE() leaves a "->NAME value" marker that the Makefile turns into
 * generated/asm-offsets.h. Nothing here is ever linked.
 */
#include <hv.h>
#include <asm/arm64.h>
#include <asm/hv_header_arch.h>

#define DEFINE(sym, val)	asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"((long)(val)))
#define HDR(sym, field)		DEFINE(sym, __builtin_offsetof(struct hv_header, field))
#define HDR_A(sym, field)	DEFINE(sym, __builtin_offsetof(struct hv_header, arch_area) + \
				       __builtin_offsetof(struct hv_header_arch, field))

_Static_assert(sizeof(struct regs) % 16 == 0, "the frame keeps sp 16-byte aligned");
/* entry.S stores register pairs with stp at 16-byte steps: x[n] at 8 * n, no padding */
_Static_assert(__builtin_offsetof(struct regs, x[1]) == 8 &&
	       __builtin_offsetof(struct regs, x[19]) == 19 * 8, "struct regs is x[0..30] packed");

void asm_offsets(void);

void asm_offsets(void)
{
	HDR(HDR_SIGNATURE, signature);
	HDR(HDR_ABI_VERSION, abi_version);
	HDR(HDR_HEADER_SIZE, header_size);
	HDR(HDR_IMAGE_SIZE, image_size);
	HDR(HDR_CORE_SIZE, core_size);
	HDR(HDR_ENTRY_OFFSET, entry_offset);
	HDR(HDR_CONSOLE_OFFSET, console_offset);
	HDR(HDR_MAX_CPUS, max_cpus);
	HDR(HDR_ARCH, arch);
	HDR_A(HDR_STUB_VECTORS, stub_vectors);
	HDR(HDR_MEM_SIZE, mem_size);
	HDR_A(HDR_VBAR_PROBE_OFFSET, vbar_probe_offset);
	DEFINE(HDR_SIZE, sizeof(struct hv_header));
	DEFINE(HDR_ARCH_ID, HVCFG_ARCH_ARM64);
	DEFINE(FRAME_SIZE, sizeof(struct regs));
	DEFINE(FRAME_X30, __builtin_offsetof(struct regs, x[30]));
}
