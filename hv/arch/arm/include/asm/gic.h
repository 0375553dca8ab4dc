/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARMv7's GICv2 (the contract between the GIC files and the rest of hv/arch/arm): the physical
 * distributor and CPU interface, the GICH/GICV virtualization interfaces behind the shared
 * interrupt engine (arm-common/vgic.c over asm/gic_backend.h), and the GICD every cell sees,
 * emulated by stage-2 traps. The arch.h functions on interrupts (arch_irq_index,
 * arch_set_irq_owner, arch_irq_raise) and the GIC part of the comm region live there too.
 */
#ifndef HV_ARM_GIC_H
#define HV_ARM_GIC_H

struct hvcfg_system;
struct cell;
struct per_cpu;

#define SGI_EVENT		15	/* the hypervisor's own SGI: look at your state */

int gic_init(const struct hvcfg_system *sys);
/* A cell's GICD emulation (MMIO handler) and its GICC window (GICV mapped at the GICC address). */
int gic_cell_init(struct cell *cell);
void gic_cell_exit(struct cell *cell);
int gic_cpu_init(struct per_cpu *cpu);
/* The CPU starts trapping its guest's interrupts (HCR.IMO/FMO set by the caller). */
void gic_cpu_activate(struct per_cpu *cpu);
/* Disable: the guest gets the physical CPU interface back as it was. */
void gic_cpu_deactivate(struct per_cpu *cpu);
/* A physical IRQ taken in Hyp mode: acknowledge, handle or queue for the guest. */
void gic_handle_irq(struct per_cpu *cpu);
void gic_send_sgi(u64 mpidr, unsigned int sgi);
/* The guest's trapped WFI: wait in Hyp mode unless a virtual interrupt is due. */
void gic_cpu_idle(struct per_cpu *cpu);
/* An SPI changes cell: disabled, deactivated, routed to a CPU of its new owner. */
void gic_hand_over_spi(unsigned int irq, u64 mpidr, bool to_root);
/* (psci.h also lists gic_cpu_reset() and gic_drain_irqs(), implemented with these.) */

#endif
