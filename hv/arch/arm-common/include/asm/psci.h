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
/*
 * The root leaves the hypervisor from caller to restart (no other cell exists): its other CPUs
 * go back to the firmware (PSCI CPU_OFF), waited for with a bound. They go through the park
 * request every exit path already honours: vcpu_park() sends a CPU asked to go to the firmware.
 */
void psci_root_cpus_to_firmware(struct per_cpu *caller);

/* Provided by the arch (arm64: vcpu.c, gic_vcpu.c) for parking and starting a CPU: */
/* the guest stops interrupting (timers, private interrupts of a cell) */
void vcpu_quiesce(struct per_cpu *cpu);
/* the guest waits for its next interrupt (it does not miss one that is pending) */
void vcpu_idle(struct per_cpu *cpu);
/* a clean guest CPU of cpu->cell entering at entry with context in its first register */
void vcpu_reset(struct per_cpu *cpu, struct regs *regs, u64 entry, u64 context);
/* the interrupt controller forgets the guest / ends whatever arrives while parked */
void gic_cpu_reset(struct per_cpu *cpu);
void gic_drain_irqs(struct per_cpu *cpu);

#endif
