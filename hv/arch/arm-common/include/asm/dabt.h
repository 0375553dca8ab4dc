/* SPDX-License-Identifier: GPL-2.0 */
/* MMIO by stage-2 data abort (arm-common/dabt.c). */
#ifndef HV_ARM_COMMON_DABT_H
#define HV_ARM_COMMON_DABT_H

/* a stage-2 abort on the guest's stage-1 page-table walk (ESR_EL2 / HSR alike) */
#define ISS_S1PTW		(1UL << 7)

struct per_cpu;
struct regs;

/* A data abort's instruction syndrome, decoded: what the guest's load or store was. */
struct dabt_access {
	u64 addr;		/* guest-physical */
	unsigned int size;	/* bytes: 1, 2, 4 or 8 */
	unsigned int reg;	/* register transferred (SRT) */
	bool write;
	bool sign_extend;	/* a load that sign-extends (SSE) */
	bool wide;		/* into a 64-bit register (SF; never on ARMv7) */
};

bool dabt_decode(u64 esr, u64 addr, struct dabt_access *out);
/* A trapped data abort of the current guest: emulated by the cell's MMIO handlers, or fatal. */
void arm_handle_dabt(struct per_cpu *cpu, struct regs *regs, u64 esr);

/* The guest-physical address of a stage-2 abort (a page-table walk's: its page). */
u64 arm_abort_ipa(u64 esr);
/* Provided by the arch (arm64: traps.c): a trap nobody handles, reported with its syndrome. */
void arm_fatal_trap(struct per_cpu *cpu, const char *what, u64 esr);

#endif
