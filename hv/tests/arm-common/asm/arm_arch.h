/* SPDX-License-Identifier: GPL-2.0 */
/* Stand-in for an ARM arch's asm/arm_arch.h (see arch/arm64/include/asm/arm_arch.h). */
#ifndef HV_TEST_ARM_ARCH_H
#define HV_TEST_ARM_ARCH_H

#include <hv.h>

#define MPIDR_AFF_MASK		0xffffffULL
#define ARM_HV_WINDOW_VA	0xffe00000ULL
#define dsb(opt)		asm volatile("dsb " #opt : : : "memory")
#define isb()			asm volatile("isb" : : : "memory")

/* the ARMv7 shape: 32-bit registers, r15 is no transfer register of an abort */
struct regs {
	unsigned long r[15];
};

static inline u64 arm_guest_reg(const struct regs *regs, unsigned int n)
{
	return n < 15 ? regs->r[n] : 0;
}

static inline void arm_guest_reg_set(struct regs *regs, unsigned int n, u64 val)
{
	if (n < 15)
		regs->r[n] = val;
}

u64 arm_guest_pc(void);
void arm_skip_instruction(void);
u64 arm_fault_ipa(void);
long arm_firmware_smc(u32 fid, u64 arg1, u64 arg2);
void arm_tlb_flush_guests(void);
void arm_wait_for_interrupt(void);
void arm_tlb_flush_hv(void);
void hv_halt_loop(void) __attribute__((noreturn));
void gic_hand_over_spi(unsigned int irq, u64 mpidr, bool to_root);

#endif
