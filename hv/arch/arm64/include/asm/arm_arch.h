/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the code arm64 shares with ARMv7 (hv/arch/arm-common) needs of the arch: the trapped
 * guest context and the few instructions whose syntax differs between A64 and A32. An ARMv7
 * port provides the same names in its own asm/arm_arch.h, plus struct regs, dsb(), isb() and
 * MPIDR_AFF_MASK (the affinity bits of a CPU's hw_id); the functions the arm-common headers
 * list as provided by the arch come on top.
 */
#ifndef HV_ARM64_ARM_ARCH_H
#define HV_ARM64_ARM_ARCH_H

#include <asm/arm64.h>
#include <asm/hv_stage1.h>
#include <asm/cfg_limits.h>

/* the hypervisor's mapping window (arm-common/hv_stage1.c): the last GiB of the EL2 VA */
#define ARM_HV_WINDOW_VA	ARM64_EL2_WINDOW_VA

void hv_halt_loop(void) __noreturn;

/* Guest general register n as a trapped instruction names it (ISS SRT/Rt): 31 is xzr. */
static inline u64 arm_guest_reg(const struct regs *regs, unsigned int n)
{
	return n < 31 ? regs->x[n] : 0;
}

static inline void arm_guest_reg_set(struct regs *regs, unsigned int n, u64 val)
{
	if (n < 31)
		regs->x[n] = val;
}

/* The trapped instruction; traps of HVC, SMC, MMIO and system registers come before it ran. */
static inline u64 arm_guest_pc(void)
{
	return read_sysreg(elr_el2);
}

static inline void arm_skip_instruction(void)
{
	write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
}

/* The guest-physical address of a stage-2 data abort: HPFAR_EL2's page, FAR_EL2's offset. */
static inline u64 arm_fault_ipa(void)
{
	return (read_sysreg(hpfar_el2) >> 4) << 12 | (read_sysreg(far_el2) & 0xfff);
}

/* An SMC to the firmware (SMC64 convention: two arguments are all PSCI needs here); its result. */
static inline long arm_firmware_smc(u32 fid, u64 arg1, u64 arg2)
{
	register u64 x0 asm("x0") = fid;
	register u64 x1 asm("x1") = arg1;
	register u64 x2 asm("x2") = arg2;

	asm volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2) : : "x3", "memory");
	return x0;
}

/* Before a table's page is reused: no walk of the guests' translations may still hold it. */
static inline void arm_tlb_flush_guests(void)
{
	dsb(ishst);
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
}

/* The hypervisor's own translations (its mapping window changed), on every CPU. */
static inline void arm_tlb_flush_hv(void)
{
	asm volatile("tlbi alle2is" : : : "memory");
}

static inline void arm_wait_for_interrupt(void)
{
	asm volatile("dsb sy; wfi" : : : "memory");
}

#endif
