/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Image header, EL2 vectors and the ways in and out of the hypervisor.
 *
 * Way in: the driver installs bootstrap_vectors with the stub's HVC_SET_VECTORS and issues
 * hvc #0 with x0 = HV_ENTRY_CODE, x1 = CPU id. We arrive at EL2 with the MMU off, save the
 * caller's registers as the guest frame, map the hypervisor memory 1:1, turn the MMU on and
 * call hv_entry(). On success the frame is restored and eret resumes Linux, now as a guest.
 * Way out (disable, failed enable): restore the frame, give VBAR_EL2 back to the stub, turn
 * the MMU off and eret, leaving EL2 as the stub had it.
 */
#include <hv.h>
#include <generated/asm-offsets.h>	/* HDR_*, FRAME_*: from the C structures */

#define PTE_BLOCK_NORMAL	((1 << 10) | (3 << 8) | (1 << 6) | 1)
#define TCR_EL2_VALUE		((1 << 31) | (1 << 23) | (2 << 16) | (3 << 12) | (1 << 10) | \
				 (1 << 8) | 25)
#define SCTLR_EL2_RES1		0x30c50830
#define SCTLR_EL2_ON		(SCTLR_EL2_RES1 | (1 << 12) | (1 << 2) | 1)

	.section .header, "a"
	.globl	hv_header
	/* struct hv_header, each field at its offset (.org cannot go back: order is checked) */
	.macro	hdr_field offset, directive, value
	.org	hv_header + \offset
	\directive	\value
	.endm
hv_header:
	.org	hv_header + HDR_SIGNATURE
	.ascii	HV_IMAGE_SIGNATURE
	hdr_field HDR_ABI_VERSION, .word, HV_IMAGE_ABI
	hdr_field HDR_HEADER_SIZE, .word, HDR_SIZE
	hdr_field HDR_IMAGE_SIZE, .quad, __image_end - hv_header
	hdr_field HDR_CORE_SIZE, .quad, __core_end - hv_header
	hdr_field HDR_ENTRY_OFFSET, .quad, bootstrap_vectors - hv_header
	hdr_field HDR_CONSOLE_OFFSET, .quad, hv_console - hv_header
	hdr_field HDR_MAX_CPUS, .word, CONFIG_MAX_CPUS
	hdr_field HDR_ARCH, .word, HDR_ARCH_ID
	hdr_field HDR_VBAR_PROBE_OFFSET, .quad, vbar_probe - hv_header
	.org	hv_header + HDR_SIZE		/* the driver fills in the rest: zeros */

	/*
	 * The frame in two halves: what a C function may clobber (x2-x18, x30; x0/x1 are stored
	 * by the vector entry) and what it keeps (x19-x29). The lean IRQ entry saves the first
	 * half only and the second only when it falls back to the general path.
	 */
	.macro	save_caller_saved
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	str	x18, [sp, #144]
	str	x30, [sp, #FRAME_X30]
	.endm

	.macro	save_callee_saved
	str	x19, [sp, #152]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	.endm

	.macro	save_frame
	save_caller_saved
	save_callee_saved
	.endm

	.macro	restore_caller_saved_but_x0_x1
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldr	x18, [sp, #144]
	ldr	x30, [sp, #FRAME_X30]
	.endm

	.macro	restore_frame_but_x0_x1
	restore_caller_saved_but_x0_x1
	ldr	x19, [sp, #152]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	.endm

	.text
	.balign	2048
bootstrap_vectors:
	.rept	8
	b	.
	.balign	0x80
	.endr
	b	bootstrap_sync
	.balign	0x80
	.rept	7
	b	.
	.balign	0x80
	.endr

bootstrap_sync:
	/* The stub ABI stays available, so the driver can always reinstall the stub. */
	cbz	x0, 1f
	movz	x16, #(HV_ENTRY_CODE & 0xffff)
	movk	x16, #(HV_ENTRY_CODE >> 16), lsl #16
	cmp	x0, x16
	b.ne	bootstrap_reject
	cmp	x1, #CONFIG_MAX_CPUS
	b.hs	bootstrap_reject

	adrp	x17, per_cpu_area
	add	x17, x17, :lo12:per_cpu_area
	mov	x16, #PERCPU_SIZE
	madd	x17, x1, x16, x17
	add	x16, x17, #PERCPU_STACK_SIZE
	mov	sp, x16
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	save_frame
	msr	tpidr_el2, x17
	mov	x19, x1

	bl	bootstrap_mmu
	cbnz	x0, 2f
	adrp	x0, hyp_vectors
	add	x0, x0, :lo12:hyp_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	bl	hv_entry
	str	x0, [sp]
	cbnz	x0, leave_to_stub
	b	return_to_guest

1:	msr	vbar_el2, x1
	isb
	eret
2:	/* unmappable hypervisor memory: the driver checks this, be safe anyway */
	mov	x0, #-EINVAL
	str	x0, [sp]
	b	leave_to_stub_mmu_off

/* Entered from the Linux stub by HVC_SOFT_RESTART; ELR/SPSR still return to the caller. */
vbar_probe:
	mrs	x0, vbar_el2
	eret

bootstrap_reject:
	adrp	x16, hv_header
	ldr	x16, [x16, #HDR_STUB_VECTORS]
	msr	vbar_el2, x16
	isb
	mov	x0, #-EINVAL
	eret

/*
 * 1:1 map of the hypervisor memory with 2 MiB blocks, MMU on. Every CPU does it; they write
 * identical descriptors, so it does not matter who comes first. Uses x0-x17 only.
 */
bootstrap_mmu:
	adrp	x0, hv_header			/* physical base, 2 MiB aligned */
	ldr	x1, [x0, #HDR_MEM_SIZE]
	mov	x2, #0x1fffff
	add	x1, x1, x2
	lsr	x1, x1, #21			/* number of blocks */
	lsr	x2, x0, #30
	cmp	x2, #512			/* beyond the 39-bit VA space */
	b.hs	9f
	ubfx	x3, x0, #21, #9
	add	x4, x3, x1
	cmp	x4, #512			/* crosses a 1 GiB boundary */
	b.hi	9f
	tst	x0, #0x1fffff
	b.ne	9f
	adrp	x5, boot_pt_l1
	adrp	x6, boot_pt_l2
	orr	x7, x6, #3
	str	x7, [x5, x2, lsl #3]
	mov	x8, #PTE_BLOCK_NORMAL
	orr	x8, x8, x0
3:	str	x8, [x6, x3, lsl #3]
	add	x8, x8, #0x200000
	add	x3, x3, #1
	subs	x1, x1, #1
	b.ne	3b
	dsb	sy
	ldr	x9, =0x400ff		/* attr0 normal WB, attr1 dev nGnRnE, attr2 dev nGnRE */
	msr	mair_el2, x9
	ldr	x9, =TCR_EL2_VALUE
	msr	tcr_el2, x9
	msr	ttbr0_el2, x5
	isb
	tlbi	alle2
	dsb	sy
	isb
	ldr	x9, =SCTLR_EL2_ON
	msr	sctlr_el2, x9
	isb
	mov	x0, #0
	ret
9:	mov	x0, #-1
	ret

	/* an entry of the vector table must fit its 0x80 bytes: .org cannot go back */
	.macro	ventry_end start
	.org	\start + 0x80
	.endm

	.macro	ventry type, target
	.balign	0x80
.Lventry\@:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\type
	b	\target
	ventry_end .Lventry\@
	.endm

	/*
	 * IRQ from the guest: the lean path, whole in its entry. Only what a C function may
	 * clobber is saved (x0-x18, x30), at the frame's offsets; gic_fast_irq() (gic_fast.c)
	 * puts one interrupt into a list register and returns 0, or returns 1 and the general
	 * path completes the frame (x19-x29 still hold the guest's values).
	 */
	.macro	virq_entry
	.balign	0x80
.Lventry\@:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	save_caller_saved
	bl	gic_fast_irq
	cbnz	x0, guest_irq_general
	restore_caller_saved_but_x0_x1
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret
	ventry_end .Lventry\@
	.endm

	.balign	2048
	.globl	hyp_vectors
hyp_vectors:
	.rept	4
	ventry	0, hyp_trap			/* EL2 with SP_EL0: never used */
	.endr
	ventry	0, hyp_trap			/* EL2 with SP_EL2: a hypervisor bug */
	ventry	1, hyp_trap
	ventry	2, hyp_trap
	ventry	3, hyp_trap
	ventry	0, guest_exit			/* lower EL, AArch64 */
	virq_entry
	ventry	2, guest_exit
	ventry	3, guest_exit
	.rept	4
	ventry	4, guest_exit			/* lower EL, AArch32: not supported */
	.endr
	.org	hyp_vectors + 0x800		/* 16 entries, no more */

guest_irq_general:
	save_callee_saved
	mov	x0, #1				/* EXIT_IRQ */
	b	guest_exit_saved

guest_exit:
	save_frame
guest_exit_saved:
	mov	x1, sp
	bl	arch_handle_exit
	cbnz	x0, leave_to_stub
return_to_guest:
	restore_frame_but_x0_x1
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret

hyp_trap:
	save_frame
	mov	x1, sp
	bl	arch_hyp_trap
	b	.

/* Frame at sp holds the values Linux gets back; C code has restored the EL2 registers. */
leave_to_stub:
	adrp	x0, hv_header
	ldr	x0, [x0, #HDR_STUB_VECTORS]
	msr	vbar_el2, x0
	restore_frame_but_x0_x1
	ldp	x0, x1, [sp]
	/* park x0/x1 where the MMU switch cannot clobber them */
	msr	tpidr_el2, x0
	mov	sp, x1
	ldr	x0, =SCTLR_EL2_RES1
	msr	sctlr_el2, x0
	isb
	tlbi	alle2
	dsb	sy
	isb
	mrs	x0, tpidr_el2
	mov	x1, sp
	eret

leave_to_stub_mmu_off:
	adrp	x0, hv_header
	ldr	x0, [x0, #HDR_STUB_VECTORS]
	msr	vbar_el2, x0
	restore_frame_but_x0_x1
	ldp	x0, x1, [sp]
	isb
	eret

	.globl	hv_halt_loop
hv_halt_loop:
	msr	daifset, #0xf
1:	wfi
	b	1b

	.section .bss.page_aligned, "aw", %nobits
	.balign	4096
boot_pt_l1:
	.space	4096
boot_pt_l2:
	.space	4096
