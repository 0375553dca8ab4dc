/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hv/arch/arm-common needs of an arm arch (see arch/arm64/include/asm/arm_arch.h), for
 * ARMv7 in Hyp mode, and the interfaces between the files of hv/arch/arm.
 */
#ifndef HV_ARM_ARM_ARCH_H
#define HV_ARM_ARM_ARCH_H

#include <hv.h>
#include <asm/sysregs.h>
#include <asm/regs.h>
#include <asm/lpae.h>
#include <asm/hv_stage1.h>
#include <asm/cfg_limits.h>
#include <asm/psci.h>
#include <asm/gic.h>

#define MPIDR_AFF_MASK		0xffffffULL
/* the hypervisor's mapping window (arm-common/hv_stage1.c): the last 2 MiB of the 32-bit VA */
#define ARM_HV_WINDOW_VA	ARM32_HYP_WINDOW_VA

void hv_halt_loop(void) __noreturn;

/* Guest register n as a trapped instruction names it, in the guest's mode (asm/regs.h). */
static inline u64 arm_guest_reg(const struct regs *regs, unsigned int n)
{
	return arm_guest_reg_read(regs, n);
}

static inline void arm_guest_reg_set(struct regs *regs, unsigned int n, u64 val)
{
	arm_guest_reg_write(regs, n, val);
}

static inline u64 arm_guest_pc(void)
{
	u32 elr;

	asm volatile("mrs %0, elr_hyp" : "=r"(elr));
	return elr;
}

/* Past the trapped instruction: 2 or 4 bytes, the IT state advanced (asm/regs.h). */
static inline void arm_skip_instruction(void)
{
	arm_skip_trapped_instruction(arm_read(HSR));
}

/* HPFAR holds IPA[39:12] in bits [31:4]; HDFAR the page offset. */
static inline u64 arm_fault_ipa(void)
{
	return (u64)(arm_read(HPFAR) >> 4) << 12 | (arm_read(HDFAR) & 0xfff);
}

/* An SMC to the firmware (SMC32 convention: two arguments are all PSCI needs here); its result. */
static inline long arm_firmware_smc(u32 fid, u64 arg1, u64 arg2)
{
	register u32 r0 asm("r0") = fid;
	register u32 r1 asm("r1") = arg1;
	register u32 r2 asm("r2") = arg2;

	asm volatile(".arch_extension sec\n\tsmc #0" : "+r"(r0), "+r"(r1), "+r"(r2) : : "r3",
		     "memory");
	return (int)r0;
}

/* Every PL1&0 translation of every VMID; ARMv7 has no invalidate by IPA. */
static inline void arm_tlb_flush_guests(void)
{
	dsb(ishst);
	arm_write(TLBIALLNSNHIS, 0);
	dsb(ish);
	isb();
}

/* The hypervisor's own translations (its mapping window changed), on every CPU. */
static inline void arm_tlb_flush_hv(void)
{
	arm_write(TLBIALLHIS, 0);
}

static inline void arm_wait_for_interrupt(void)
{
	asm volatile("dsb sy; wfi" : : : "memory");
}

/* exits (entry.S passes the vector) */
#define EXIT_TRAP		0
#define EXIT_IRQ_VEC		1
/* arch_handle_exit(): stay, leave to the stub (disable), leave through HVC_SOFT_RESTART */
#define LEAVE_NONE		0
#define LEAVE_STUB		1
#define LEAVE_SOFT_RESTART	2

/* paging.c */
extern const struct paging_geometry s2_geometry;
int paging_hv_init(const struct hvcfg_system *sys, u64 **root);
int temp_window_init(u64 *hv_pt);
/* setup.c / vcpu.c / entry.S */
u32 hcr_value(void);
void vcpu_wipe_banked(void);
void vcpu_root_mode_fixup(struct per_cpu *cpu, bool final);
void vfp_reset(void);

#endif
