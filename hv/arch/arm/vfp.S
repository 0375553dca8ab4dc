/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU reset wipes the VFP/Advanced SIMD registers: cells own them directly (no trap), so
 * nothing of the previous owner may remain. Hyp mode opens them for itself only for this.
 */
	.arch	armv7ve
	.fpu	neon-vfpv4
	.syntax	unified
	.arm

	.text
	.globl	vfp_reset
vfp_reset:
	mrc	p15, 4, r2, c1, c1, 2		/* HCPTR */
	bic	r3, r2, #(3 << 10)		/* TCP10, TCP11 */
	bic	r3, r3, #(1 << 15)		/* TASE */
	mcr	p15, 4, r3, c1, c1, 2
	isb
	mov	r0, #(1 << 30)			/* FPEXC.EN */
	vmsr	fpexc, r0
	vmov.i64 q0, #0
	vmov.i64 q1, #0
	vmov.i64 q2, #0
	vmov.i64 q3, #0
	vmov.i64 q4, #0
	vmov.i64 q5, #0
	vmov.i64 q6, #0
	vmov.i64 q7, #0
	vmrs	r0, mvfr0
	and	r0, r0, #0xf
	cmp	r0, #2				/* 32 double registers */
	bne	1f
	vmov.i64 q8, #0
	vmov.i64 q9, #0
	vmov.i64 q10, #0
	vmov.i64 q11, #0
	vmov.i64 q12, #0
	vmov.i64 q13, #0
	vmov.i64 q14, #0
	vmov.i64 q15, #0
1:	mov	r0, #0
	vmsr	fpscr, r0
	vmsr	fpexc, r0			/* off, as after reset */
	mcr	p15, 4, r2, c1, c1, 2
	isb
	bx	lr
