/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trapped guest context of ARMv7 (the contract between entry.S, the trap handlers, the
 * instruction-decode unit and arm-common). In Hyp mode only SP, SPSR and ELR are banked: r0-r12
 * the vector sees are the interrupted mode's (except r8-r12 of FIQ mode, which are banked) and
 * r14 is LR_usr. The frame saves exactly those; the PC is ELR_hyp and the CPSR SPSR_hyp, read
 * and written through the system registers, never copied.
 */
#ifndef HV_ARM_REGS_H
#define HV_ARM_REGS_H

struct regs {
	u32 r[13];		/* r0-r12 as Hyp mode sees them (FIQ mode's r8-r12 are banked) */
	u32 lr_usr;		/* r14 as Hyp mode sees it: LR_usr, shared with System mode */
};

/*
 * Guest register n (0-15) as the instruction the guest ran names it, in the guest's mode at the
 * trap (SPSR_hyp.M): r8-r12 of FIQ mode, SP and LR of each mode through the banked-register
 * MRS/MSR of the virtualization extensions; r15 reads as the instruction's PC + 8 (ARM) or
 * + 4 (Thumb). Writes to r15 are ignored (no MMIO load targets the PC: the decoder refuses it).
 */
u32 arm_guest_reg_read(const struct regs *regs, unsigned int n);
void arm_guest_reg_write(struct regs *regs, unsigned int n, u32 val);
/*
 * False when SPSR_hyp.M is no mode a guest trap comes from (Hyp, Monitor, reserved): then no
 * guest register can be named and the trap is fatal for the cell; the register accessors read
 * 0 and write nothing there, they never issue an UNPREDICTABLE banked access.
 */
bool arm_guest_mode_valid(void);

/*
 * A trapped instruction whose condition failed (HSR.CV/COND against SPSR_hyp's flags, or the
 * IT state's condition for Thumb) must be skipped, not emulated.
 */
bool arm_trap_condition_passed(u32 hsr);
/*
 * Step ELR_hyp past the trapped instruction: 2 or 4 bytes by HSR.IL, and in Thumb state the
 * IT block's state in SPSR_hyp advances as the hardware would have advanced it.
 */
void arm_skip_trapped_instruction(u32 hsr);

/*
 * A trapped MCR/MRC/MCRR/MRRC/LDC/STC (EC 0x03-0x06, 0x0c): a condition-failed one is skipped,
 * the few accesses a cell may make are done (cp15.c's table), anything else is fatal for the
 * cell through arm_fatal_trap().
 */
struct per_cpu;
void arm_handle_cp15(struct per_cpu *cpu, struct regs *regs, u32 hsr);

#endif
