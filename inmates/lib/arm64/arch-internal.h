/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * arm64 library-private declarations, shared between the C files and head.S (included by
 * internal.h).
 */
#ifndef INMATE_ARCH_INTERNAL_H
#define INMATE_ARCH_INTERNAL_H

/* Upper 32 bits of the PSCI CPU_ON context id; the lower ones carry the logical CPU number. */
#define CTX_MAGIC		0x1a7e0000
/* Exception frame: x0..x30, elr, spsr, counter at entry (multiple of 16 bytes). */
#define FRAME_SIZE		272
#define FRAME_ELR		248
#define FRAME_SPSR		256
#define FRAME_TICKS		264

#define EXC_SYNC		0
#define EXC_IRQ			1
#define EXC_FIQ			2
#define EXC_SERROR		3
/* Vector groups: current EL with SP_EL0, current EL with SP_ELx, lower EL 64, lower EL 32 */
#define EXC_GROUP_SHIFT		2

#ifndef __ASSEMBLER__

struct exception_frame {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 ticks;
};

_Static_assert(sizeof(struct exception_frame) == FRAME_SIZE, "frame layout");
_Static_assert(__builtin_offsetof(struct exception_frame, elr) == FRAME_ELR, "frame layout");
_Static_assert(__builtin_offsetof(struct exception_frame, ticks) == FRAME_TICKS, "frame layout");

struct per_cpu {
	unsigned int id;
	u64 mpidr;
	uintptr_t gicr;		/* this CPU's redistributor (RD_base), 0 until found */
	cpu_fn_t fn;
	volatile bool online;
};

/* Build-time defaults of one image (cell or bare-metal), from defaults.c. */
struct inmate_defaults {
	u64 comm_region;	/* 0: no comm region */
	u64 uart_base;
	u64 gicd_base;
	u64 gicr_base;
	u64 pci_ecam_base;
	bool psci_smc;
	const char *variant;
};

/* The values the mmu_enable assembly routine loads, in this order. */
struct mmu_regs {
	u64 mair;
	u64 tcr;
	u64 ttbr0;
	u64 sctlr;
};

extern const struct inmate_defaults inmate_defaults;
extern struct per_cpu per_cpus[MAX_CPUS];
extern struct mmu_regs mmu_regs;

static inline struct per_cpu *this_cpu(void)
{
	return (struct per_cpu *)read_sysreg(tpidr_el1);
}

/* PSCI (arm-common/psci.c): the SMC64 function ids, and the call through smc or hvc. */
#define PSCI_CPU_ON		0xc4000003
#define PSCI_AFFINITY_INFO	0xc4000004

/* SMCCC 1.0 lets the callee clobber x4..x17. */
#define PSCI_CLOBBERS	"x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", \
			"x14", "x15", "x16", "x17", "memory"

/*
 * Explicit-register variables are only guaranteed at the asm statement itself, so nothing that
 * may call a function may sit between their assignment and the asm.
 */
#define DEFINE_PSCI_CALL(name, insn)						\
static inline long name(u32 fn, u64 a1, u64 a2, u64 a3)			\
{										\
	register u64 x0 __asm__("x0") = fn;					\
	register u64 x1 __asm__("x1") = a1;					\
	register u64 x2 __asm__("x2") = a2;					\
	register u64 x3 __asm__("x3") = a3;					\
										\
	__asm__ volatile(insn " #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)	\
			 : : PSCI_CLOBBERS);					\
	return (long)x0;							\
}

DEFINE_PSCI_CALL(arch_psci_smc, "smc")
DEFINE_PSCI_CALL(arch_psci_hvc, "hvc")

/* Exclusives need Normal memory: without the MMU, console lines may interleave. */
static inline bool spin_lock_usable(void)
{
	return mmu_enabled();
}

void c_entry(void);
void secondary_c_entry(u64 context_id);
void exception_c(struct exception_frame *frame, u64 kind);
void secondary_entry(void);
void mmu_enable(struct mmu_regs *regs);

void mmu_init(u64 comm_addr);
/* The page-table pool after the image ran out (inmate.lds, __pt_pool_end). */
bool mmu_tables_exhausted(void);
void gic_find_bases(void);
void gic_handle_irq(u64 entry_ticks);

#endif /* __ASSEMBLER__ */
#endif
