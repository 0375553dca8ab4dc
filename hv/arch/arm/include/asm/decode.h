/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARMv7 trap decoding as pure functions of HSR and SPSR_hyp values (decode.c): which bank holds
 * a guest register, the condition of a trapped instruction, the IT-state advance, the decode of
 * trapped coprocessor accesses and what a cell may do with them. No system register is touched
 * here, so all of it runs in the host unit tests; regs.c and cp15.c apply it.
 */
#ifndef HV_ARM_DECODE_H
#define HV_ARM_DECODE_H

#define PSR_MODE_MASK		0x1fU
#define PSR_MODE_USR		0x10U
#define PSR_MODE_FIQ		0x11U
#define PSR_MODE_IRQ		0x12U
#define PSR_MODE_SVC		0x13U
#define PSR_MODE_MON		0x16U
#define PSR_MODE_ABT		0x17U
#define PSR_MODE_HYP		0x1aU
#define PSR_MODE_UND		0x1bU
#define PSR_MODE_SYS		0x1fU
#define PSR_T			(1U << 5)
/* ITSTATE[7:2] in PSR[15:10], ITSTATE[1:0] in PSR[26:25] */
#define PSR_IT_MASK		(0x3fU << 10 | 3U << 25)

#define HSR_EC(hsr)		((hsr) >> 26)
#define HSR_IL			(1U << 25)
#define HSR_CV			(1U << 24)
#define HSR_COND(hsr)		(((hsr) >> 20) & 0xf)
#define EC_CP15_32		0x03	/* MCR/MRC p15 */
#define EC_CP15_64		0x04	/* MCRR/MRRC p15 */
#define EC_CP14_32		0x05	/* MCR/MRC p14 */
#define EC_CP14_LS		0x06	/* LDC/STC p14 */
#define EC_CP14_64		0x0c	/* MRRC p14 */

#define COND_AL			0xe

/*
 * Where guest register n (as an instruction of the trapped mode names it) lives, seen from
 * Hyp mode: in the trap frame, behind a banked-register MRS/MSR, or the PC. REG_INVALID for a
 * mode a guest trap cannot come from (Hyp, Monitor, reserved encodings): no banked access is
 * valid there, the trap is fatal for the cell.
 */
enum arm_reg_loc {
	REG_FRAME,		/* regs->r[n] (r0-r12, FIQ mode's r0-r7) */
	REG_FRAME_LR,		/* regs->lr_usr: User and System mode's r14 */
	REG_PC,
	REG_R8_FIQ, REG_R9_FIQ, REG_R10_FIQ, REG_R11_FIQ, REG_R12_FIQ,
	REG_SP_USR,
	REG_SP_FIQ, REG_LR_FIQ,
	REG_SP_IRQ, REG_LR_IRQ,
	REG_SP_SVC, REG_LR_SVC,
	REG_SP_ABT, REG_LR_ABT,
	REG_SP_UND, REG_LR_UND,
	REG_INVALID,
};

bool arm_mode_valid(u32 psr);
enum arm_reg_loc arm_reg_location(u32 psr, unsigned int n);

/* The trapped instruction's condition (COND_AL if unconditional) and whether flags pass it. */
unsigned int arm_trap_cond(u32 hsr, u32 psr);
bool arm_cond_passed(unsigned int cond, u32 psr);
/* PSR with the IT state advanced past one instruction (ITAdvance()). */
u32 arm_it_advance(u32 psr);
/* The trapped instruction's size: 2 for 16-bit Thumb (HSR.IL clear), else 4. */
static inline unsigned int arm_trap_insn_size(u32 hsr)
{
	return hsr & HSR_IL ? 4 : 2;
}

/* A trapped MCR/MRC/MCRR/MRRC, decoded from its syndrome. */
struct cp_access {
	unsigned int cp;		/* 14 or 15 */
	unsigned int opc1, crn, crm, opc2;
	unsigned int rt, rt2;		/* rt2: MCRR/MRRC only */
	bool read;			/* MRC/MRRC */
	bool wide;			/* MCRR/MRRC */
};

/* What the hypervisor does with a trapped coprocessor access. */
enum cp_action {
	CP_DENY,		/* unknown or forbidden: fatal for the cell */
	CP_ACTLR_READ,		/* HCR.TAC: the real ACTLR */
	CP_ACTLR_WRITE,		/* HCR.TAC: ignored, coherency (ACTLR.SMP) is not the cell's */
	CP_SETWAY,		/* HCR.TSW: DCISW/DCCSW/DCCISW, always done as DCCISW */
};

bool cp_decode(u32 hsr, struct cp_access *out);
enum cp_action cp_policy(const struct cp_access *acc);
/*
 * A set/way operand names a line of a data or unified cache level that exists (CLIDR) and a
 * set and way within that level's geometry (its CCSIDR), with all other bits zero.
 */
bool arm_setway_valid(u32 val, u32 clidr, u32 ccsidr);
/* Level 0-6 (L1-L7) holds a data or unified cache by CLIDR: only then may CSSELR select it. */
bool arm_dcache_level(u32 clidr, unsigned int level);

#endif
