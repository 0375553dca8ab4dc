/* SPDX-License-Identifier: GPL-2.0 */
/* PSCI and SMCCC calls of guests (arm-common/psci.c). */
#ifndef HV_ARM_COMMON_PSCI_H
#define HV_ARM_COMMON_PSCI_H

struct per_cpu;
struct regs;

/* A trapped SMC: PSCI, SMCCC arch calls; anything else is answered NOT_SUPPORTED. */
void psci_handle(struct per_cpu *cpu, struct regs *regs);
/* Park the CPU in the hypervisor until a start request (PSCI CPU_ON, cell start). */
void vcpu_park(struct per_cpu *cpu, struct regs *regs);

#endif
