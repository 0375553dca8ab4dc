/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Entry points and exception vectors. A cell's first CPU enters at the image base (the cell's
 * cpu_reset_address; QEMU: the ELF entry) at EL1 with the MMU off; further CPUs enter at
 * secondary_entry through PSCI CPU_ON with the context id in x0.
 */
#include "internal.h"

	.section .boot, "ax"
	.global _start
_start:
	b	primary_entry
	.balign	8
	.ascii	"INMATE64"

primary_entry:
	msr	daifset, #0xf
	/*
	 * Whoever loaded us (the root cell, a previous run of this cell) may have left lines of
	 * our range in the data cache, dirty or stale. Clean and invalidate them before we write
	 * anything with the MMU off (non-cacheable), so that nothing older resurfaces once the
	 * caches are on.
	 */
	ldr	x0, =__image_start
	ldr	x1, =__image_end
	bl	dcache_clean_inval_range
	ic	iallu
	dsb	nsh
	isb

	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:
	ldr	x0, =stacks
	ldr	x1, =__stack_size
	add	x0, x0, x1
	mov	sp, x0
	bl	cpu_early_init
	b	c_entry

	.text
/* x0 = context id: CTX_MAGIC << 32 | logical CPU. */
	.global	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	msr	tpidr_el1, xzr
	mov	x19, x0
	lsr	x1, x0, #32
	ldr	x2, =CTX_MAGIC
	and	x20, x0, #0xffffffff
	cmp	x1, x2
	b.ne	1f
	ldr	x2, =__stack_cpus		/* the cell's CPU count (inmate.lds) */
	cmp	x20, x2
	b.lo	2f
	/* A bad context id still gets a stack (the spare one) so that C can report it. */
1:	ldr	x20, =__stack_cpus
2:	bl	cpu_early_init
	/* MMU on before the first store, so the stack is never written around the cache. */
	ldr	x0, =mmu_regs
	ldr	x1, [x0, #24]
	cbz	x1, 3f
	bl	mmu_enable
3:	ldr	x0, =stacks
	add	x1, x20, #1
	ldr	x2, =__stack_size
	madd	x0, x1, x2, x0
	mov	sp, x0
	mov	x0, x19
	b	secondary_c_entry

/* Vectors, FP/SIMD enabled with a defined FPCR/FPSR. Leaf; clobbers x0. */
cpu_early_init:
	ldr	x0, =vectors
	msr	vbar_el1, x0
	mov	x0, #(3 << 20)		/* CPACR_EL1.FPEN: no FP/SIMD traps at EL1/EL0 */
	msr	cpacr_el1, x0
	isb
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret

/* x0 = start, x1 = end. Leaf; clobbers x0..x3. */
dcache_clean_inval_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	civac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret

/* x0 = struct mmu_regs *. Leaf, no stack; clobbers x1..x4. */
	.global	mmu_enable
mmu_enable:
	ldp	x1, x2, [x0]
	ldp	x3, x4, [x0, #16]
	msr	mair_el1, x1
	msr	tcr_el1, x2
	msr	ttbr0_el1, x3
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x4
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * The counter is read by the second instruction of every vector, so that interrupt latency
 * measurements do not include the register save.
 */
.macro	ventry kind
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mrs	x0, cntvct_el0
	mov	x1, #\kind
	b	exception_entry
.endm

	.balign	2048
	.global	vectors
vectors:
	.irp	group, 0, 1, 2, 3
	.irp	type, EXC_SYNC, EXC_IRQ, EXC_FIQ, EXC_SERROR
	ventry	(\group << EXC_GROUP_SHIFT) | \type
	.endr
	.endr

exception_entry:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x30, x2, [sp, #16 * 15]
	stp	x3, x0, [sp, #FRAME_SPSR]
	mov	x0, sp
	bl	exception_c

	ldp	x30, x2, [sp, #16 * 15]
	ldr	x3, [sp, #FRAME_SPSR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret
