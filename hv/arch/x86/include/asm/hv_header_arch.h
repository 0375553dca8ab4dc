/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86's part of the image header (struct hv_header's arch_area), shared with the driver.
 *
 * The hypervisor runs on its own 4-level page tables with its memory mapped 1:1
 * (ARCH_HV_VIRT_OFFSET 0). Linux cannot jump there (it has no executable mapping of that RAM),
 * so the driver owns a one-page trampoline in its own text and the two address spaces meet in
 * that page: the hypervisor maps it at the same virtual address Linux does.
 *
 * Before entry the driver
 *   - builds the boot page table in the image's boot_pt_pages pages at boot_pt_offset (zeroed
 *     data of the image): the hypervisor memory 1:1 with 2 MiB pages, and the trampoline page at
 *     tramp_va -> tramp_phys with a 4 KiB page; nothing else;
 *   - fills tramp_va/tramp_phys.
 * Then, on each entering CPU with interrupts off, the trampoline pushes the callee-saved
 * registers (rbx, rbp, r12-r15) on the Linux stack, loads CR3 with the boot page table and jumps
 * to the physical address of entry_offset with
 *   rdi = hypervisor CPU id, rsi = Linux's CR3, rdx = Linux's RSP (after the pushes),
 *   rcx = virtual address of the trampoline's leave routine,
 *   r8  = virtual address of the trampoline's resume point (pops the callee-saved registers and
 *         returns RAX to the driver).
 * The hypervisor must switch to its own stack, GDT and IDT before it touches memory Linux owns
 * (the Linux stack, GDT and IDT are not mapped). On success it runs Linux as a guest from the
 * resume point (guest RSP = Linux's RSP, RAX = 0). On failure it jumps to the leave routine:
 *   leave: rdi = CR3 to load, rsi = RSP to load, rdx = RIP to jump to, rax = value to keep;
 * (RIP = the resume point, RAX = negative errno), after restoring Linux's GDTR and IDTR.
 * HC_DISABLE leaves the same way: RIP = the instruction after the driver's VMMCALL, RAX = 0,
 * all other general-purpose registers clobbered (the driver's disable stub saves what it needs).
 */
#ifndef HV_X86_HV_HEADER_ARCH_H
#define HV_X86_HV_HEADER_ARCH_H

#include "hv_image.h"

/* PML4 + PDPT + PD for the hypervisor memory, PDPT + PD + PT for the trampoline page. */
#define HV_X86_BOOT_PT_PAGES	6

struct hv_header_arch {
	hv_u64 boot_pt_offset;	/* image: page aligned, inside core_size, zeroed by the driver */
	hv_u32 boot_pt_pages;	/* image: HV_X86_BOOT_PT_PAGES */
	hv_u32 padding;
	hv_u64 tramp_va;	/* driver: Linux's virtual address of the trampoline page */
	hv_u64 tramp_phys;	/* driver: its physical address */
};

_Static_assert(sizeof(struct hv_header_arch) <= HV_HEADER_ARCH_SIZE,
	       "struct hv_header_arch does not fit the header's arch area");

static inline struct hv_header_arch *hv_header_arch(struct hv_header *h)
{
	return (struct hv_header_arch *)h->arch_area;
}

static inline const struct hv_header_arch *hv_header_arch_const(const struct hv_header *h)
{
	return (const struct hv_header_arch *)h->arch_area;
}

#endif
