/* SPDX-License-Identifier: GPL-2.0 */
/* AMD SVM: the VMCB (APM vol. 2, appendix B), intercepts, exit codes, event injection. */
#ifndef HV_X86_SVM_H
#define HV_X86_SVM_H

struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

struct vmcb {
	/* control area */
	u32 cr_intercepts;		/* 0x000: reads 0-15, writes 16-31 */
	u32 dr_intercepts;
	u32 exc_intercepts;
	u32 intercepts1;		/* 0x00c: INTERCEPT1_* */
	u32 intercepts2;		/* 0x010: INTERCEPT2_* */
	u8 res0[0x40 - 0x14];
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;
	u64 tsc_offset;
	u32 asid;			/* 0x058 */
	u8 tlb_control;
	u8 res1[3];
	u32 int_ctl;			/* 0x060 */
	u32 int_vector;
	u64 int_state;			/* 0x068: bit 0 interrupt shadow */
	u64 exit_code;			/* 0x070 */
	u64 exit_info1;
	u64 exit_info2;
	u64 exit_int_info;
	u64 nested_ctl;			/* 0x090: bit 0 NP_ENABLE */
	u64 avic_apic_bar;
	u64 ghcb_pa;
	u64 event_inj;			/* 0x0a8 */
	u64 n_cr3;			/* 0x0b0 */
	u64 lbr_ctl;
	u32 clean;			/* 0x0c0 */
	u32 res2;
	u64 next_rip;			/* 0x0c8 */
	u8 insn_len;
	u8 insn_bytes[15];
	u8 res3[0x400 - 0xe0];
	/* state save area */
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;	/* 0x400 */
	u8 res4[0x4cb - 0x4a0];
	u8 cpl;				/* 0x4cb */
	u32 res5;
	u64 efer;			/* 0x4d0 */
	u8 res6[0x548 - 0x4d8];
	u64 cr4, cr3, cr0, dr7, dr6, rflags, rip;	/* 0x548 */
	u8 res7[0x5d8 - 0x580];
	u64 rsp;			/* 0x5d8 */
	u64 s_cet, ssp, isst_addr;
	u64 rax;			/* 0x5f8 */
	u64 star, lstar, cstar, sfmask, kernel_gs_base;	/* 0x600 */
	u64 sysenter_cs, sysenter_esp, sysenter_eip, cr2;
	u8 res8[0x668 - 0x648];
	u64 g_pat;			/* 0x668 */
	u64 dbgctl, br_from, br_to, lastexcpfrom, lastexcpto;
	u8 res9[0x1000 - 0x698];
};

_Static_assert(__builtin_offsetof(struct vmcb, iopm_base_pa) == 0x40, "vmcb iopm");
_Static_assert(__builtin_offsetof(struct vmcb, event_inj) == 0xa8, "vmcb event_inj");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "vmcb es");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "vmcb efer");
_Static_assert(__builtin_offsetof(struct vmcb, cr4) == 0x548, "vmcb cr4");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "vmcb rsp");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "vmcb rax");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "vmcb g_pat");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb size");

#define INTERCEPT1_INTR		(1u << 0)
#define INTERCEPT1_NMI		(1u << 1)
#define INTERCEPT1_INIT		(1u << 3)
#define INTERCEPT1_CPUID	(1u << 18)
#define INTERCEPT1_INVD		(1u << 22)
#define INTERCEPT1_HLT		(1u << 24)
#define INTERCEPT1_INVLPGA	(1u << 26)
#define INTERCEPT1_IOIO		(1u << 27)
#define INTERCEPT1_MSR		(1u << 28)
#define INTERCEPT1_SHUTDOWN	(1u << 31)
#define INTERCEPT2_VMRUN	(1u << 0)
#define INTERCEPT2_VMMCALL	(1u << 1)
#define INTERCEPT2_VMLOAD	(1u << 2)
#define INTERCEPT2_VMSAVE	(1u << 3)
#define INTERCEPT2_STGI		(1u << 4)
#define INTERCEPT2_CLGI		(1u << 5)
#define INTERCEPT2_SKINIT	(1u << 6)

#define EXIT_CODE_EXCP_BASE	0x040
#define EXIT_CODE_INTR		0x060
#define EXIT_CODE_NMI		0x061
#define EXIT_CODE_INIT		0x063
#define EXIT_CODE_CPUID		0x072
#define EXIT_CODE_INVD		0x076
#define EXIT_CODE_HLT		0x078
#define EXIT_CODE_INVLPGA	0x07a
#define EXIT_CODE_IOIO		0x07b
#define EXIT_CODE_MSR		0x07c
#define EXIT_CODE_SHUTDOWN	0x07f
#define EXIT_CODE_VMRUN		0x080
#define EXIT_CODE_VMMCALL	0x081
#define EXIT_CODE_VMLOAD	0x082
#define EXIT_CODE_VMSAVE	0x083
#define EXIT_CODE_STGI		0x084
#define EXIT_CODE_CLGI		0x085
#define EXIT_CODE_SKINIT	0x086
#define EXIT_CODE_NPF		0x400
#define EXIT_CODE_INVALID	((u64)-1)

#define TLB_CONTROL_FLUSH_ALL	1
#define NESTED_CTL_NP_ENABLE	1

/* EVENTINJ */
#define EVENT_VALID		(1ULL << 31)
#define EVENT_ERR_VALID		(1ULL << 11)
#define EVENT_TYPE_INTR		(0ULL << 8)
#define EVENT_TYPE_NMI		(2ULL << 8)
#define EVENT_TYPE_EXC		(3ULL << 8)

/* IOIO EXITINFO1 */
#define IOIO_IN			(1u << 0)
#define IOIO_STR		(1u << 2)
#define IOIO_REP		(1u << 3)
#define IOIO_SIZE_SHIFT		4

#define IOPM_SIZE		(3 * 4096)
#define MSRPM_SIZE		(2 * 4096)

#endif
