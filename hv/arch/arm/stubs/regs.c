// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for the decode unit (regs.c: banked registers, conditions, IT state, cp15 traps)
 * while it is not merged: ARM-state guests in their frame registers only. Built only when
 * arch/arm/regs.c is absent (Makefile.objs).
 */
#include <asm/arm_arch.h>

u32 arm_guest_reg_read(const struct regs *regs, unsigned int n)
{
	if (n < 13)
		return regs->r[n];
	return n == 14 ? regs->lr_usr : 0;
}

void arm_guest_reg_write(struct regs *regs, unsigned int n, u32 val)
{
	if (n < 13)
		regs->r[n] = val;
}

bool arm_trap_condition_passed(u32 hsr)
{
	return true;
}

void arm_skip_trapped_instruction(u32 hsr)
{
	u32 elr;

	asm volatile("mrs %0, elr_hyp" : "=r"(elr));
	elr += hsr & HSR_IL ? 4 : 2;
	asm volatile("msr elr_hyp, %0" : : "r"(elr));
}

void arm_cp_trap(struct per_cpu *cpu, struct regs *regs, u32 hsr)
{
	stat_inc(cpu, EXIT_CP15);
	if (hsr & 1 && HSR_EC(hsr) != EC_CP14_LS)
		arm_guest_reg_write(regs, (hsr >> 5) & 0xf, 0);	/* reads as zero */
	arm_skip_trapped_instruction(hsr);
}
