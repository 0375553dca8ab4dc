/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Image header, Hyp vectors and the ways in and out of the hypervisor on ARMv7.
 *
 * Way in (asm/hv_header_arch.h): the Linux stub's HVC_SOFT_RESTART branches to hv_arm_entry in
 * Hyp mode, MMU off, at its physical address, with r2 = CPU id, r3 = HV_ENTRY_CODE, and
 * ELR_hyp/SPSR_hyp still returning into the driver. We save the caller's registers as the
 * guest frame on this CPU's stack, keep the stub's HVBAR and HSCTLR, map the hypervisor memory
 * 1:1, turn the MMU on and call hv_entry(). Way out (disable, failed enable, the root's
 * HVC_SOFT_RESTART): the stub's HVBAR and HSCTLR come back, the frame is restored and we eret
 * (or "bx r1", as the stub would).
 *
 * In Hyp mode only SP, SPSR and ELR are banked: the vectors see the guest's r0-r12 and LR_usr,
 * which is also the LR of every bl here. The frame (struct regs) holds exactly those.
 */
#include <hv.h>
#include <generated/asm-offsets.h>	/* HDR_*, CPU_*, FRAME_SIZE: from the C structures */

#define HTCR_VALUE	0x80803500	/* T0SZ 0: 32-bit VA; walks WBWA, inner shareable */
#define HMAIR0_VALUE	0x000400ff	/* attr0 normal WB, attr1 Device-nGnRnE, attr2 Device-nGnRE */
#define HSCTLR_RES1	0x30c50830
#define HSCTLR_ON	(HSCTLR_RES1 | (1 << 12) | (1 << 2) | 1)	/* I, C, M */
#define PTE_BLOCK_NORMAL 0x741		/* AF, inner shareable, AP[1] (RES1 at Hyp), attr0 */

	.arch	armv7ve
	.arch_extension virt
	.syntax	unified
	.arm

	/* PC-relative address of sym (position independent, any distance) */
	.macro	adr_far reg, sym
	ldr	\reg, 8f
9:	add	\reg, pc, \reg
	b	7f
8:	.word	\sym - (9b + 8)
7:
	.endm

	.section .header, "a"
	.globl	hv_header
	.macro	hdr_field offset, directive, value
	.org	hv_header + \offset
	\directive	\value
	.endm
	.macro	hdr_field64 offset, value
	.org	hv_header + \offset
	.word	\value, 0
	.endm
hv_header:
	.org	hv_header + HDR_SIGNATURE
	.ascii	HV_IMAGE_SIGNATURE
	hdr_field HDR_ABI_VERSION, .word, HV_IMAGE_ABI
	hdr_field HDR_HEADER_SIZE, .word, HDR_SIZE
	hdr_field64 HDR_IMAGE_SIZE, __image_end - hv_header
	hdr_field64 HDR_CORE_SIZE, __core_end - hv_header
	hdr_field64 HDR_ENTRY_OFFSET, hv_arm_entry - hv_header
	hdr_field64 HDR_CONSOLE_OFFSET, hv_console - hv_header
	hdr_field HDR_MAX_CPUS, .word, CONFIG_MAX_CPUS
	hdr_field HDR_ARCH, .word, HDR_ARCH_ID
	.org	hv_header + HDR_SIZE		/* the driver fills in the rest: zeros */

	.text
	.globl	hv_arm_entry
hv_arm_entry:
	movw	r12, #:lower16:HV_ENTRY_CODE
	movt	r12, #:upper16:HV_ENTRY_CODE
	cmp	r3, r12
	bne	entry_reject
	cmp	r2, #CONFIG_MAX_CPUS
	bhs	entry_reject
	adr_far	r12, per_cpu_area
	mov	r3, #PERCPU_SIZE
	mla	r12, r2, r3, r12		/* this CPU's struct per_cpu (physical = virtual) */
	add	sp, r12, #PERCPU_STACK_SIZE
	sub	sp, sp, #FRAME_SIZE
	stm	sp, {r0-r12, lr}
	add	r3, r12, #CPU_STUB_HVBAR
	mrc	p15, 4, r4, c12, c0, 0		/* HVBAR: the stub's vectors */
	str	r4, [r3]
	mrc	p15, 4, r4, c1, c0, 0		/* HSCTLR */
	str	r4, [r3, #(CPU_STUB_HSCTLR - CPU_STUB_HVBAR)]
	mcr	p15, 4, r12, c13, c0, 2		/* HTPIDR: this_cpu() */
	mov	r4, r2
	bl	bootstrap_mmu
	cmp	r0, #0
	bne	1f
	adr_far	r0, hyp_vectors
	mcr	p15, 4, r0, c12, c0, 0		/* HVBAR */
	isb
	mov	r0, r4
	bl	hv_entry
	str	r0, [sp]
	cmp	r0, #0
	bne	leave_to_stub
	pop	{r0-r12, lr}
	eret

1:	/* unmappable hypervisor memory (the validator refuses it too): MMU still off */
	mov	r0, #-EINVAL
	str	r0, [sp]
	ldm	sp, {r0-r12, lr}
	eret

entry_reject:
	mov	r0, #-EINVAL
	eret

/* the data cache lines of [\start, \end) to memory and out of the cache (DCCIMVAC) */
	.macro	dcache_clean_inval start, end, tmp
	mov	\tmp, \start
1:	mcr	p15, 0, \tmp, c7, c14, 1
	add	\tmp, \tmp, #16
	cmp	\tmp, \end
	blo	1b
	dsb	sy
	.endm

/*
 * 1:1 map of the hypervisor memory with 2 MiB blocks from one level-2 table, MMU and caches
 * on. Every CPU does it; they write identical descriptors. Written with the MMU off, so the
 * tables and the frame are pushed out of the cache before the walks and loads go through it.
 * Uses r0-r3, r5-r11.
 */
bootstrap_mmu:
	adr_far	r0, hv_header			/* physical base */
	ldr	r1, [r0, #HDR_MEM_SIZE]
	movw	r2, #0xffff
	movt	r2, #0x1f
	tst	r0, r2				/* 2 MiB aligned */
	bne	.Lmap_fail
	add	r1, r1, r2
	lsr	r1, r1, #21			/* blocks */
	lsr	r2, r0, #30			/* level-1 index */
	ubfx	r3, r0, #21, #9			/* first level-2 index */
	add	r5, r3, r1
	cmp	r5, #512			/* inside one GiB */
	bhi	.Lmap_fail
	adr_far	r5, boot_pt_l1
	adr_far	r6, boot_pt_l2
	orr	r8, r6, #3
	mov	r9, #0
	add	r10, r5, r2, lsl #3
	strd	r8, r9, [r10]
	movw	r8, #PTE_BLOCK_NORMAL
	orr	r8, r8, r0
	add	r10, r6, r3, lsl #3
2:	strd	r8, r9, [r10], #8
	add	r8, r8, #0x200000
	subs	r1, r1, #1
	bne	2b
	dsb	sy
	add	r7, r5, #8192			/* both table pages */
	dcache_clean_inval r5, r7, r10
	add	r7, sp, #FRAME_SIZE
	dcache_clean_inval sp, r7, r10
	movw	r7, #:lower16:HMAIR0_VALUE
	movt	r7, #:upper16:HMAIR0_VALUE
	mcr	p15, 4, r7, c10, c2, 0		/* HMAIR0 */
	mov	r7, #0
	mcr	p15, 4, r7, c10, c2, 1		/* HMAIR1 */
	movw	r8, #:lower16:HTCR_VALUE
	movt	r8, #:upper16:HTCR_VALUE
	mcr	p15, 4, r8, c2, c0, 2		/* HTCR */
	mcrr	p15, 4, r5, r7, c2		/* HTTBR */
	isb
	mcr	p15, 4, r7, c8, c7, 0		/* TLBIALLH */
	mcr	p15, 0, r7, c7, c5, 0		/* ICIALLU: a previous image may be cached */
	dsb	sy
	isb
	movw	r8, #:lower16:HSCTLR_ON
	movt	r8, #:upper16:HSCTLR_ON
	mcr	p15, 4, r8, c1, c0, 0		/* HSCTLR */
	isb
	mov	r0, #0
	bx	lr
.Lmap_fail:
	mvn	r0, #0
	bx	lr

	.macro	hyp_fatal_entry type
	push	{r0-r12, lr}
	mov	r0, #\type
	b	hyp_fatal
	.endm

	.balign	32
	.globl	hyp_vectors
hyp_vectors:
	b	hyp_fatal_0			/* reset: not used in Hyp mode */
	b	hyp_fatal_1			/* undefined instruction in Hyp mode */
	b	hyp_fatal_2			/* HVC or SVC in Hyp mode */
	b	hyp_fatal_3			/* prefetch abort in Hyp mode */
	b	hyp_fatal_4			/* data abort in Hyp mode */
	b	hyp_trap			/* Hyp trap: everything from the guest */
	b	hyp_irq
	b	hyp_irq				/* FIQ (HCR.FMO): the GIC unit acknowledges it */

hyp_fatal_0:	hyp_fatal_entry 0
hyp_fatal_1:	hyp_fatal_entry 1
hyp_fatal_2:	hyp_fatal_entry 2
hyp_fatal_3:	hyp_fatal_entry 3
hyp_fatal_4:	hyp_fatal_entry 4

hyp_fatal:
	mov	r1, sp
	bl	arch_hyp_trap
	b	.

hyp_irq:
	push	{r0-r12, lr}
	mov	r0, #ASM_EXIT_IRQ
	b	guest_exit

hyp_trap:
	push	{r0-r12, lr}
	mov	r0, #ASM_EXIT_TRAP
guest_exit:
	mov	r1, sp
	bl	arch_handle_exit
	cmp	r0, #0
	bne	1f
	pop	{r0-r12, lr}
	eret
1:	cmp	r0, #ASM_LEAVE_SOFT_RESTART
	beq	leave_soft_restart
leave_to_stub:
	bl	mmu_off_to_stub
	pop	{r0-r12, lr}
	eret
/* The root's HVC_SOFT_RESTART: as the stub does it, "bx r1" in Hyp mode, MMU off. */
leave_soft_restart:
	bl	mmu_off_to_stub
	pop	{r0-r12, lr}
	bx	r1

/* The stub's HVBAR and HSCTLR back; the frame at sp is read with the MMU off afterwards. */
mmu_off_to_stub:
	mrc	p15, 4, r0, c13, c0, 2		/* HTPIDR */
	add	r0, r0, #CPU_STUB_HVBAR
	ldr	r1, [r0]
	mcr	p15, 4, r1, c12, c0, 0
	ldr	r1, [r0, #(CPU_STUB_HSCTLR - CPU_STUB_HVBAR)]
	add	r3, sp, #FRAME_SIZE
	dcache_clean_inval sp, r3, r2
	mcr	p15, 4, r1, c1, c0, 0		/* HSCTLR: MMU off */
	isb
	mcr	p15, 4, r0, c8, c7, 0		/* TLBIALLH */
	dsb	sy
	isb
	bx	lr

/* A vCPU reset: the banked registers of every PL1 mode and of User mode to zero. */
	.globl	vcpu_wipe_banked
vcpu_wipe_banked:
	mov	r0, #0
	msr	sp_usr, r0
	msr	sp_svc, r0
	msr	lr_svc, r0
	msr	spsr_svc, r0
	msr	sp_abt, r0
	msr	lr_abt, r0
	msr	spsr_abt, r0
	msr	sp_und, r0
	msr	lr_und, r0
	msr	spsr_und, r0
	msr	sp_irq, r0
	msr	lr_irq, r0
	msr	spsr_irq, r0
	msr	r8_fiq, r0
	msr	r9_fiq, r0
	msr	r10_fiq, r0
	msr	r11_fiq, r0
	msr	r12_fiq, r0
	msr	sp_fiq, r0
	msr	lr_fiq, r0
	msr	spsr_fiq, r0
	bx	lr

	.globl	hv_halt_loop
hv_halt_loop:
	cpsid	aif
1:	wfi
	b	1b

	.section .bss.page_aligned, "aw", %nobits
	.balign	4096
boot_pt_l1:
	.space	4096
boot_pt_l2:
	.space	4096
