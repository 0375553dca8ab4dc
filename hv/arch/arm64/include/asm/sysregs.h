/* SPDX-License-Identifier: GPL-2.0 */
/* System register access and the EL2 bit definitions the hypervisor uses. */
#ifndef HV_ARM64_SYSREGS_H
#define HV_ARM64_SYSREGS_H

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " __stringify(r) : "=r"(__v)); __v; })
#define write_sysreg(r, v) \
	asm volatile("msr " __stringify(r) ", %0" : : "r"((u64)(v)) : "memory")

#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")

/* GICv3 registers by encoding, so no assembler GIC support is needed */
#define ICC_IAR0_EL1		S3_0_C12_C8_0
#define ICC_EOIR0_EL1		S3_0_C12_C8_1
#define ICC_BPR0_EL1		S3_0_C12_C8_3
#define ICC_AP0R0_EL1		S3_0_C12_C8_4
#define ICC_AP0R1_EL1		S3_0_C12_C8_5
#define ICC_AP0R2_EL1		S3_0_C12_C8_6
#define ICC_AP0R3_EL1		S3_0_C12_C8_7
#define ICC_AP1R0_EL1		S3_0_C12_C9_0
#define ICC_AP1R1_EL1		S3_0_C12_C9_1
#define ICC_AP1R2_EL1		S3_0_C12_C9_2
#define ICC_AP1R3_EL1		S3_0_C12_C9_3
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_DIR_EL1		S3_0_C12_C11_1
#define ICC_SGI1R_EL1		S3_0_C12_C11_5
#define ICC_SGI0R_EL1		S3_0_C12_C11_7
#define ICC_IGRPEN0_EL1		S3_0_C12_C12_6
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_BPR1_EL1		S3_0_C12_C12_3
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_SRE_EL2		S3_4_C12_C9_5
#define ICH_AP0R0_EL2		S3_4_C12_C8_0
#define ICH_AP0R1_EL2		S3_4_C12_C8_1
#define ICH_AP0R2_EL2		S3_4_C12_C8_2
#define ICH_AP0R3_EL2		S3_4_C12_C8_3
#define ICH_AP1R0_EL2		S3_4_C12_C9_0
#define ICH_AP1R1_EL2		S3_4_C12_C9_1
#define ICH_AP1R2_EL2		S3_4_C12_C9_2
#define ICH_AP1R3_EL2		S3_4_C12_C9_3
#define ICH_HCR_EL2		S3_4_C12_C11_0
#define ICH_VTR_EL2		S3_4_C12_C11_1
#define ICH_MISR_EL2		S3_4_C12_C11_2
#define ICH_EISR_EL2		S3_4_C12_C11_3
#define ICH_ELRSR_EL2		S3_4_C12_C11_5
#define ICH_VMCR_EL2		S3_4_C12_C11_7

#define HCR_VM			(1UL << 0)
#define HCR_SWIO		(1UL << 1)
#define HCR_FMO			(1UL << 3)
#define HCR_IMO			(1UL << 4)
#define HCR_TWI			(1UL << 13)	/* trap WFI */
#define HCR_TWE			(1UL << 14)	/* trap WFE */
#define HCR_TSC			(1UL << 19)
#define HCR_TIDCP		(1UL << 20)	/* trap implementation-defined registers */
#define HCR_TACR		(1UL << 21)	/* trap the auxiliary control register */
#define HCR_TSW			(1UL << 22)	/* trap data cache maintenance by set/way */
#define HCR_RW			(1UL << 31)
#define HCR_TERR		(1UL << 36)	/* trap RAS error record registers (FEAT_RAS) */
#define HCR_TEA			(1UL << 37)	/* synchronous external aborts to EL2 (FEAT_RAS) */

#define MDCR_HPMN_MASK		0x1fUL		/* counters EL1 may use: all (PMCR_EL0.N) */
#define MDCR_TPMS		(1UL << 14)	/* trap the statistical profiling unit (SPE) */
#define MDCR_HPMD		(1UL << 17)	/* no event counting at EL2 (PMUv3p1) */
#define MDCR_TTRF		(1UL << 19)	/* trap the trace filter control (FEAT_TRF) */

#define CPTR_RES1		0x32ffUL	/* nVHE layout: bits 7:0, 9, 12 (TSM), 13 */
#define CPTR_TZ			(1UL << 8)	/* trap SVE: no SVE state to wipe or leak */
#define CPTR_TTA		(1UL << 20)	/* trap trace registers */
#define CPTR_TAM		(1UL << 30)	/* trap activity monitors (they count EL2 too) */

#define ESR_EC(esr)		((esr) >> 26)
#define ESR_IL			(1UL << 25)
#define EC_UNKNOWN		0x00
#define EC_WFX			0x01
#define ESR_WFX_WFE		1UL		/* ISS.TI bit 0: WFE (or WFET), not WFI */
#define EC_HVC64		0x16
#define EC_SMC64		0x17
#define EC_SYS64		0x18
#define EC_IABT_LOW		0x20
#define EC_DABT_LOW		0x24
#define EC_DABT_CUR		0x25

#define SPSR_EL1H_MASKED	0x3c5
#define SCTLR_EL1_RESET		0x30d00800UL
#define MPIDR_AFF_MASK		0xff00ffffffUL

#endif
