// SPDX-License-Identifier: GPL-2.0
/*
 * Offsets and sizes entry.S needs, computed by the compiler from the C structures (see
 * arch/arm64/asm-offsets.c): compiled to assembly only, never linked.
 */
#include <asm/arm_arch.h>
#include <asm/hv_header_arch.h>

#define DEFINE(sym, val)	asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"((long)(val)))
#define HDR(sym, field)		DEFINE(sym, __builtin_offsetof(struct hv_header, field))
#define CPU(sym, field)		DEFINE(sym, __builtin_offsetof(struct per_cpu, field))

/* entry.S pushes r0-r12 and LR_usr in one stm: the frame is exactly those, packed */
_Static_assert(sizeof(struct regs) == 14 * 4, "struct regs is r0-r12, lr_usr");

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
	HDR(HDR_MEM_SIZE, mem_size);
	DEFINE(HDR_SIZE, sizeof(struct hv_header));
	DEFINE(HDR_ARCH_ID, HVCFG_ARCH_ARM32);
	DEFINE(FRAME_SIZE, sizeof(struct regs));
	CPU(CPU_STUB_HVBAR, arch.stub_hvbar);
	CPU(CPU_STUB_HSCTLR, arch.stub_hsctlr);
	DEFINE(ASM_EXIT_TRAP, EXIT_TRAP);
	DEFINE(ASM_EXIT_IRQ, EXIT_IRQ_VEC);
	DEFINE(ASM_LEAVE_SOFT_RESTART, LEAVE_SOFT_RESTART);
}
