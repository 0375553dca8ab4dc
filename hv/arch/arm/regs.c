// SPDX-License-Identifier: GPL-2.0
/*
 * The trapped guest's registers as its instruction names them (asm/regs.h), the condition of a
 * trapped instruction and stepping past it. Which bank holds what is decided in decode.c; this
 * file only performs the access, with the virtualization extensions' banked MRS/MSR, and only
 * for the locations decode.c returns - never for a mode where such an access is UNPREDICTABLE.
 */
#include <hv.h>
#include <asm/decode.h>
#include <asm/regs.h>

/* The banked registers a guest register can be in, by enum arm_reg_loc and assembler name. */
#define BANKED_REGS(X)								\
	X(REG_R8_FIQ, r8_fiq) X(REG_R9_FIQ, r9_fiq) X(REG_R10_FIQ, r10_fiq)			\
	X(REG_R11_FIQ, r11_fiq) X(REG_R12_FIQ, r12_fiq) X(REG_SP_USR, sp_usr)			\
	X(REG_SP_FIQ, sp_fiq) X(REG_LR_FIQ, lr_fiq) X(REG_SP_IRQ, sp_irq) X(REG_LR_IRQ, lr_irq)	\
	X(REG_SP_SVC, sp_svc) X(REG_LR_SVC, lr_svc) X(REG_SP_ABT, sp_abt) X(REG_LR_ABT, lr_abt)	\
	X(REG_SP_UND, sp_und) X(REG_LR_UND, lr_und)

#define BANKED_READ(loc, name)							\
	case loc:								\
		asm volatile(".arch_extension virt\n\tmrs %0, " #name : "=r"(val));	\
		break;
#define BANKED_WRITE(loc, name)							\
	case loc:								\
		asm volatile(".arch_extension virt\n\tmsr " #name ", %0" : : "r"(val));	\
		break;

static u32 spsr_read(void)
{
	u32 val;

	asm volatile("mrs %0, spsr" : "=r"(val));
	return val;
}

static u32 elr_read(void)
{
	u32 val;

	asm volatile(".arch_extension virt\n\tmrs %0, ELR_hyp" : "=r"(val));
	return val;
}

bool arm_guest_mode_valid(void)
{
	return arm_mode_valid(spsr_read());
}

u32 arm_guest_reg_read(const struct regs *regs, unsigned int n)
{
	u32 psr = spsr_read(), val = 0;

	switch (arm_reg_location(psr, n)) {
	case REG_FRAME:
		return regs->r[n];
	case REG_FRAME_LR:
		return regs->lr_usr;
	case REG_PC:
		/* the PC as the instruction reads it: its address + 8 (ARM) or + 4 (Thumb) */
		return elr_read() + (psr & PSR_T ? 4 : 8);
	BANKED_REGS(BANKED_READ)
	case REG_INVALID:
		break;
	}
	return val;
}

/* r15 and invalid modes are not written: the trap handlers refuse those before (regs.h). */
void arm_guest_reg_write(struct regs *regs, unsigned int n, u32 val)
{
	switch (arm_reg_location(spsr_read(), n)) {
	case REG_FRAME:
		regs->r[n] = val;
		break;
	case REG_FRAME_LR:
		regs->lr_usr = val;
		break;
	BANKED_REGS(BANKED_WRITE)
	case REG_PC:
	case REG_INVALID:
		break;
	}
}

bool arm_trap_condition_passed(u32 hsr)
{
	u32 psr = spsr_read();

	return arm_cond_passed(arm_trap_cond(hsr, psr), psr);
}

/* The hardware does not advance ELR_hyp nor the IT state of a trapped instruction: do both. */
void arm_skip_trapped_instruction(u32 hsr)
{
	u32 elr = elr_read() + arm_trap_insn_size(hsr), psr = arm_it_advance(spsr_read());

	asm volatile(".arch_extension virt\n\tmsr ELR_hyp, %0\n\tmsr spsr_fsxc, %1"
		     : : "r"(elr), "r"(psr) : "memory");
}
