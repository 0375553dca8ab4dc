/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Entry points and exception vectors (ARM state). A cell's first CPU enters at the image base
 * (the cell's cpu_reset_address; QEMU: the ELF entry) in SVC mode with the MMU and caches off;
 * further CPUs enter at secondary_entry through PSCI CPU_ON with the context id in r0.
 *
 * Every exception switches to SVC mode at once (srsdb/cps) and runs on the SVC stack, so the
 * other modes need no stacks of their own; the frame is struct exception_frame.
 */
#include "internal.h"

#define SCTLR_A			(1 << 1)
#define SCTLR_V			(1 << 13)
#define SCTLR_TE		(1 << 30)

	.arm
	.arch_extension virt
	.arch_extension sec

	.section .boot, "ax"
	.global _start
	.type	_start, %function
_start:
	b	primary_entry
	.balign	8
	.ascii	"INMATE32"

primary_entry:
	cpsid	aif
	bl	cpu_early_init
	/*
	 * Whoever loaded us (the root cell, a previous run of this cell) may have left lines of
	 * our range in the data cache, dirty or stale. We run uncached: a dirty line evicted later
	 * would overwrite what we wrote. Clean and invalidate them before the first store.
	 */
	ldr	r0, =__image_start
	ldr	r1, =__image_end
	bl	dcache_clean_inval_range

	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	ldr	r0, =stacks
	ldr	r1, =__stack_size
	add	sp, r0, r1
	b	c_entry
	.ltorg

	.text
/* r0 = context id: CTX_MAGIC << CTX_SHIFT | logical CPU. */
	.global	secondary_entry
	.type	secondary_entry, %function
secondary_entry:
	cpsid	aif
	mov	r4, r0
	bl	cpu_early_init
	mov	r0, #0
	mcr	p15, 0, r0, c13, c0, 4		/* TPIDRPRW: no per-CPU data yet */
	lsr	r1, r4, #CTX_SHIFT
	ldr	r2, =CTX_MAGIC
	cmp	r1, r2
	bne	1f
	ldr	r2, =0xffff
	and	r5, r4, r2
	ldr	r2, =__stack_cpus		/* the cell's CPU count (inmate.lds) */
	cmp	r5, r2
	blo	2f
	/* A bad context id still gets a stack (the spare one) so that C can report it. */
1:	ldr	r5, =__stack_cpus
2:	ldr	r0, =stacks
	add	r1, r5, #1
	ldr	r2, =__stack_size
	mla	sp, r1, r2, r0
	mov	r0, r4
	b	secondary_c_entry

/* Vectors through VBAR, exceptions in ARM state, no alignment checks. Leaf; clobbers r0. */
cpu_early_init:
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #SCTLR_V
	bic	r0, r0, #SCTLR_A
	bic	r0, r0, #SCTLR_TE
	mcr	p15, 0, r0, c1, c0, 0
	isb
	bx	lr
	.ltorg

/* r0 = start, r1 = end (by MVA, which is the address with the MMU off). Leaf; r0..r3. */
dcache_clean_inval_range:
	mrc	p15, 0, r3, c0, c0, 1		/* CTR */
	ubfx	r3, r3, #16, #4			/* DminLine: log2(words) */
	mov	r2, #4
	lsl	r2, r2, r3
	sub	r3, r2, #1
	bic	r0, r0, r3
1:	cmp	r0, r1
	bhs	2f
	mcr	p15, 0, r0, c7, c14, 1		/* DCCIMVAC */
	add	r0, r0, r2
	b	1b
2:	dsb	sy
	mcr	p15, 0, r0, c7, c5, 0		/* ICIALLU */
	dsb	sy
	isb
	bx	lr

/*
 * Into SVC mode with the exception's return state on the SVC stack, then r0..r12 and lr_svc
 * (that of the interrupted code). The counter is read right after that, so that interrupt
 * latency measurements do not include more than the register save. The C handler gets a stack
 * aligned to 8 bytes as AAPCS wants; r4 (callee-saved) remembers the adjustment.
 */
.macro	exc_entry kind
	srsdb	sp!, #PSR_MODE_SVC
	cps	#PSR_MODE_SVC
	push	{r0-r12, lr}
	mrrc	p15, 1, r2, r3, c14		/* CNTVCT */
	mov	r0, sp
	mov	r1, #\kind
	and	r4, sp, #4
	sub	sp, sp, r4
	bl	exception_c
	add	sp, sp, r4
	pop	{r0-r12, lr}
	rfeia	sp!
.endm

	.balign	32
	.global	vectors
vectors:
	b	.			/* reset: not taken through VBAR */
	b	vector_undef
	b	vector_svc
	b	vector_pabt
	b	vector_dabt
	b	vector_hyp
	b	vector_irq
	b	vector_fiq

/* The fatal ones return nowhere useful; their lr is reported as it came. */
vector_undef:
	exc_entry EXC_UNDEF
vector_svc:
	exc_entry EXC_SVC
vector_pabt:
	exc_entry EXC_PABT
vector_dabt:
	exc_entry EXC_DABT
vector_hyp:
	exc_entry EXC_HYP
vector_fiq:
	exc_entry EXC_FIQ
/* lr_irq is the interrupted instruction + 4 in both instruction sets. */
vector_irq:
	sub	lr, lr, #4
	exc_entry EXC_IRQ

/*
 * 64-bit division for the compiler (AEABI): quotient in r0:r1, remainder in r2:r3. The work is
 * done in C (div64.c) with the remainder returned through the stack. Typed as functions, so
 * that the linker turns a Thumb caller's bl into blx.
 */
	.global	__aeabi_uldivmod
	.type	__aeabi_uldivmod, %function
__aeabi_uldivmod:
	push	{r4, lr}
	sub	sp, sp, #16
	add	r4, sp, #8
	str	r4, [sp]
	bl	udivmod64
	ldrd	r2, r3, [sp, #8]
	add	sp, sp, #16
	pop	{r4, pc}

	.global	__aeabi_ldivmod
	.type	__aeabi_ldivmod, %function
__aeabi_ldivmod:
	push	{r4, lr}
	sub	sp, sp, #16
	add	r4, sp, #8
	str	r4, [sp]
	bl	sdivmod64
	ldrd	r2, r3, [sp, #8]
	add	sp, sp, #16
	pop	{r4, pc}

/* No executable stack wanted (the linker warns about objects that do not say so). */
	.section .note.GNU-stack, "", %progbits
