/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7 library-private declarations, shared between the C files and head.S (included by
 * internal.h).
 */
#ifndef INMATE_ARCH_INTERNAL_H
#define INMATE_ARCH_INTERNAL_H

/* Upper 16 bits of the PSCI CPU_ON context id (32 bits here); the lower ones: the CPU number. */
#define CTX_MAGIC		0x1a7e
#define CTX_SHIFT		16

#define PSR_MODE_MASK		0x1f
#define PSR_MODE_SVC		0x13
#define PSR_T			(1 << 5)
#define PSR_F			(1 << 6)
#define PSR_I			(1 << 7)
#define PSR_A			(1 << 8)

/* Exceptions by vector slot (VBAR + 4 * kind). */
#define EXC_UNDEF		1
#define EXC_SVC			2
#define EXC_PABT		3
#define EXC_DABT		4
#define EXC_HYP			5
#define EXC_IRQ			6
#define EXC_FIQ			7

/*
 * Exception frame on the SVC stack: r0..r12, lr_svc, then what srsdb stored, the exception's
 * return address (lr of the exception mode, not yet adjusted) and its SPSR.
 */
#define FRAME_SIZE		64

#ifndef __ASSEMBLER__

struct exception_frame {
	u32 r[13];
	u32 lr;
	u32 ret;
	u32 spsr;
};

_Static_assert(sizeof(struct exception_frame) == FRAME_SIZE, "frame layout");

struct per_cpu {
	unsigned int id;
	u64 mpidr;
	u32 gic_target;		/* this CPU's CPU interface bit (GICD_ITARGETSR), 0 unknown */
	cpu_fn_t fn;
	volatile bool online;
};

/* Build-time defaults of one image (cell or bare-metal), from defaults.c. */
struct inmate_defaults {
	u64 comm_region;	/* 0: no comm region */
	u64 uart_base;
	u64 gicd_base;
	u64 gicc_base;
	bool psci_smc;
	const char *variant;
};

extern const struct inmate_defaults inmate_defaults;
extern struct per_cpu per_cpus[MAX_CPUS];

static inline struct per_cpu *this_cpu(void)
{
	return (struct per_cpu *)arm_read_cp32(TPIDRPRW);
}

/* PSCI (arm-common/psci.c): the SMC32 function ids, and the call through smc or hvc. */
#define PSCI_CPU_ON		0x84000003
#define PSCI_AFFINITY_INFO	0x84000004

/* SMCCC 1.0 (32-bit) lets the callee clobber r0..r3 and r12; arguments are 32 bits. */
#define DEFINE_PSCI_CALL(name, insn)						\
static inline long name(u32 fn, u64 a1, u64 a2, u64 a3)			\
{										\
	register u32 r0 __asm__("r0") = fn;					\
	register u32 r1 __asm__("r1") = (u32)a1;				\
	register u32 r2 __asm__("r2") = (u32)a2;				\
	register u32 r3 __asm__("r3") = (u32)a3;				\
										\
	__asm__ volatile(".arch_extension sec\n\t.arch_extension virt\n\t"	\
			 insn " #0" : "+r" (r0), "+r" (r1), "+r" (r2), "+r" (r3)	\
			 : : "r12", "memory");					\
	return (long)(int)r0;							\
}

DEFINE_PSCI_CALL(arch_psci_smc, "smc")
DEFINE_PSCI_CALL(arch_psci_hvc, "hvc")

/* Exclusives on Strongly-ordered memory: QEMU has them, hardware may not (arm/smp.c). */
static inline bool spin_lock_usable(void)
{
	return true;
}

void c_entry(void);
void secondary_c_entry(u32 context_id);
void exception_c(struct exception_frame *frame, u32 kind, u64 ticks);
void secondary_entry(void);

void gic_find_bases(void);
void gic_handle_irq(u64 entry_ticks);

#endif /* __ASSEMBLER__ */
#endif
