// SPDX-License-Identifier: GPL-2.0
/*
 * Offsets entry.S needs, computed by the compiler from the C structures: compiled to assembly
 * only, each DEFINE() leaves a "->NAME value" marker that the Makefile turns into
 * generated/asm-offsets.h. Nothing here is ever linked.
 */
#include <hv.h>
#include <asm/hv_header_arch.h>

#define DEFINE(sym, val)	asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"((long)(val)))
#define HDR(sym, field)		DEFINE(sym, __builtin_offsetof(struct hv_header, field))
#define HDR_A(sym, field)	DEFINE(sym, __builtin_offsetof(struct hv_header, arch_area) + \
				       __builtin_offsetof(struct hv_header_arch, field))
#define PC(sym, field)		DEFINE(sym, __builtin_offsetof(struct per_cpu, arch.field))

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
	HDR_A(HDR_BOOT_PT_OFFSET, boot_pt_offset);
	HDR_A(HDR_BOOT_PT_PAGES, boot_pt_pages);
	DEFINE(HDR_SIZE, sizeof(struct hv_header));
	DEFINE(HDR_ARCH_ID, HVCFG_ARCH_X86_64);
	DEFINE(BOOT_PT_PAGES, HV_X86_BOOT_PT_PAGES);
	PC(PC_LINUX_CR3, linux_cr3);
	PC(PC_LINUX_RSP, linux_rsp);
	PC(PC_LINUX_LEAVE, linux_leave);
	PC(PC_LINUX_RESUME, linux_resume);
	PC(PC_LINUX_RFLAGS, linux_rflags);
	PC(PC_LINUX_GDTR, linux_gdtr);
	PC(PC_LINUX_IDTR, linux_idtr);
	PC(PC_LINUX_CS, linux_cs);
	PC(PC_LINUX_SS, linux_ss);
	PC(PC_LINUX_DS, linux_ds);
	PC(PC_LINUX_ES, linux_es);
	PC(PC_NMI_COUNT, nmi_count);
}
