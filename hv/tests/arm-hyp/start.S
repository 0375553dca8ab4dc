/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bare-metal harness for hv/arch/arm/regs.c in real Hyp mode (QEMU starts a non-Linux image
 * in Hyp when EL2 is the highest level): a stack, vectors that turn any exception into a
 * failure (an UNPREDICTABLE banked access is UNDEFINED in QEMU), main(), PSCI SYSTEM_OFF.
 */
	.arch armv7-a
	.arch_extension virt
	.arch_extension sec
	.arm
	.section .text.start, "ax"
	.global _start
_start:
	ldr	sp, =stack_top
	ldr	r0, =vectors
	mcr	p15, 4, r0, c12, c0, 0		@ HVBAR
	isb
	bl	main
	ldr	r0, =0x84000008			@ PSCI SYSTEM_OFF
	smc	#0
1:	wfi
	b	1b

	.align	5
vectors:
	.rept	8
	b	exception
	.endr
exception:
	ldr	sp, =stack_top
	mrc	p15, 4, r0, c5, c2, 0		@ HSR
	mrs	r1, ELR_hyp
	bl	hyp_exception
	ldr	r0, =0x84000008
	smc	#0
	b	.

	.bss
	.align	4
	.space	8192
stack_top:
