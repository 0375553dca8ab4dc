/* SPDX-License-Identifier: GPL-2.0 */
/* cp15 access (32-bit MRC/MCR, 64-bit MRRC/MCRR) and the Hyp-mode bits the hypervisor uses. */
#ifndef HV_ARM_SYSREGS_H
#define HV_ARM_SYSREGS_H

#include <asm/decode.h>	/* PSR_*, HSR_EC, HSR_IL, EC_CP1x_* */

#define __cp_read(cp, op1, crn, crm, op2) ({ u32 __v; asm volatile(			\
	"mrc " #cp ", " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(__v)); __v; })
#define __cp_write(v, cp, op1, crn, crm, op2) asm volatile(				\
	"mcr " #cp ", " #op1 ", %0, " #crn ", " #crm ", " #op2 : : "r"((u32)(v)) : "memory")
#define __cp_read64(cp, op1, crm) ({ u64 __v; asm volatile(				\
	"mrrc " #cp ", " #op1 ", %Q0, %R0, " #crm : "=r"(__v)); __v; })
#define __cp_write64(v, cp, op1, crm) asm volatile(					\
	"mcrr " #cp ", " #op1 ", %Q0, %R0, " #crm : : "r"((u64)(v)) : "memory")
/* arm_read(HSR), arm_write(HCR, v): the register names below expand to their encoding */
#define arm_read(r)		__cp_read(r)
#define arm_write(r, v)		__cp_write(v, r)
#define arm_read64(r)		__cp_read64(r)
#define arm_write64(r, v)	__cp_write64(v, r)

#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")

/* Hyp mode */
#define HSCTLR		p15, 4, c1, c0, 0
#define HCR		p15, 4, c1, c1, 0
#define HDCR		p15, 4, c1, c1, 1
#define HCPTR		p15, 4, c1, c1, 2
#define HSTR		p15, 4, c1, c1, 3
#define VTCR		p15, 4, c2, c1, 2
#define HSR		p15, 4, c5, c2, 0
#define HDFAR		p15, 4, c6, c0, 0
#define HIFAR		p15, 4, c6, c0, 2
#define HPFAR		p15, 4, c6, c0, 4
#define HVBAR		p15, 4, c12, c0, 0
#define HTPIDR		p15, 4, c13, c0, 2
#define HTTBR		p15, 4, c2
#define VTTBR		p15, 6, c2
#define CNTVOFF		p15, 4, c14
/* maintenance */
#define TLBIALLNSNHIS	p15, 4, c8, c3, 4	/* all PL1&0 entries, every VMID */
#define TLBIALLNSNH	p15, 4, c8, c7, 4
#define TLBIALLHIS	p15, 4, c8, c3, 0	/* Hyp stage 1 */
#define TLBIALLH	p15, 4, c8, c7, 0
#define DCCIMVAC	p15, 0, c7, c14, 1
#define DCCISW		p15, 0, c7, c14, 2
#define ICIALLUIS	p15, 0, c7, c1, 0
/* identification, timers */
#define CTR		p15, 0, c0, c0, 1
#define MPIDR		p15, 0, c0, c0, 5
#define ID_DFR0		p15, 0, c0, c1, 2
#define CNTFRQ		p15, 0, c14, c0, 0
#define CNTKCTL		p15, 0, c14, c1, 0
#define CNTP_CTL	p15, 0, c14, c2, 1
#define CNTV_CTL	p15, 0, c14, c3, 1
#define CNTPCT		p15, 0, c14
#define CNTP_CVAL	p15, 2, c14
#define CNTV_CVAL	p15, 3, c14
/* PL1 state a vCPU reset wipes */
#define SCTLR		p15, 0, c1, c0, 0
#define CPACR		p15, 0, c1, c0, 2
#define TTBR0		p15, 0, c2
#define TTBR1		p15, 1, c2
#define TTBCR		p15, 0, c2, c0, 2
#define DACR		p15, 0, c3, c0, 0
#define DFSR		p15, 0, c5, c0, 0
#define IFSR		p15, 0, c5, c0, 1
#define ADFSR		p15, 0, c5, c1, 0
#define AIFSR		p15, 0, c5, c1, 1
#define DFAR		p15, 0, c6, c0, 0
#define IFAR		p15, 0, c6, c0, 2
#define PAR		p15, 0, c7
#define PRRR		p15, 0, c10, c2, 0
#define NMRR		p15, 0, c10, c2, 1
#define AMAIR0		p15, 0, c10, c3, 0
#define AMAIR1		p15, 0, c10, c3, 1
#define VBAR		p15, 0, c12, c0, 0
#define CONTEXTIDR	p15, 0, c13, c0, 1
#define TPIDRURW	p15, 0, c13, c0, 2
#define TPIDRURO	p15, 0, c13, c0, 3
#define TPIDRPRW	p15, 0, c13, c0, 4
#define CSSELR		p15, 2, c0, c0, 0
#define FCSEIDR		p15, 0, c13, c0, 0

#define HCR_VM		(1U << 0)
#define HCR_SWIO	(1U << 1)
#define HCR_FMO		(1U << 3)
#define HCR_IMO		(1U << 4)
#define HCR_TWI		(1U << 13)
#define HCR_TSC		(1U << 19)
#define HCR_TAC		(1U << 21)	/* ACTLR */
#define HCR_TSW		(1U << 22)	/* set/way cache maintenance */
#define HCPTR_TTA	(1U << 20)	/* trace registers */

/* HSR (the coprocessor classes: asm/decode.h) */
#define EC_WFX		0x01
#define EC_HVC		0x12
#define EC_SMC		0x13
#define EC_IABT_LOW	0x20
#define EC_DABT_LOW	0x24

/* SPSR: SVC mode, IRQs, FIQs and asynchronous aborts masked, ARM state */
#define PSR_SVC_MASKED	0x1d3

#endif
