/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the arm64 files. */
#ifndef HV_ARM64_ARM64_H
#define HV_ARM64_ARM64_H

#include <hv.h>
#include <asm/sysregs.h>
#include <asm/lpae.h>
#include <asm/psci.h>

/* Guest general registers, saved on every exit at the top of the per-CPU stack. */
struct regs {
	u64 x[31];
	u64 pad;
};

#define EXIT_SYNC	0
#define EXIT_IRQ	1
#define EXIT_FIQ	2
#define EXIT_SERROR	3
#define EXIT_AARCH32	4

/*
 * The hypervisor's own SGIs: Group 0, priority 0x00, taken at EL2 as FIQs (HCR_EL2.FMO is
 * always set), on every CPU and in both interrupt modes. Linux uses SGIs 0-7, so a cell that
 * takes its interrupts directly keeps 0-13 for itself.
 */
#define SGI_INJECT	14	/* kick: virtual SGIs are queued for you */
#define SGI_EVENT	15	/* management: look at your state */
#define HV_SGIS		(1U << SGI_INJECT | 1U << SGI_EVENT)

/* paging.c: the EL2 stage 1 and the cells' stage 2 over arm-common/lpae.c */
extern const struct paging_geometry s2_geometry;
int paging_hv_init(const struct hvcfg_system *sys, u64 **root);

/*
 * Direct interrupt mode (HVCFG_CELL_IRQ_DIRECT): the CPUs of such a cell take their Group 1
 * interrupts at EL1 through the physical CPU interface, without exits; the hypervisor keeps
 * only its Group 0 SGIs (FIQ). Never the root.
 */
static inline bool cell_irq_direct(const struct cell *cell)
{
	return cell != &hv.root && cell->desc->flags & HVCFG_CELL_IRQ_DIRECT;
}

/* gic.c */
int gic_init(const struct hvcfg_system *sys);
int gic_cell_init(struct cell *cell);
int gic_cpu_init(struct per_cpu *cpu);
void gic_cpu_activate(struct per_cpu *cpu);
void gic_cpu_deactivate(struct per_cpu *cpu);
void gic_hv_sgis_release(struct per_cpu *cpu);
void gic_redist_private_reset(struct per_cpu *cpu, bool direct);
void gic_cell_spis_deactivate(struct per_cpu *cpu);
void gic_route_foreign_spis_away(struct per_cpu *cpu);
void gic_handle_irq(struct per_cpu *cpu);
void gic_handle_fiq(struct per_cpu *cpu);
void gic_handle_acked(struct per_cpu *cpu, unsigned int irq);
void gic_handle_sgir(struct per_cpu *cpu, u64 val);
void gic_send_sgi(u64 mpidr, unsigned int sgi);

/* gic_vcpu.c: switching a CPU's interrupt mode, waiting for a direct-mode guest's interrupt */
void gic_cpu_direct_enter(struct per_cpu *cpu);
void gic_cpu_direct_leave(struct per_cpu *cpu);
void gic_direct_wait(struct per_cpu *cpu);

/* setup.c: HCR_EL2 for a guest in trap mode or direct mode */
u64 hcr_value(bool direct);

/* pci.c: the ECAM window of the root (trapped) and of a cell with PCI functions (virtual) */
int arm_pci_cell_init(struct cell *cell);

/* traps.c */
void inject_sync_exception(u64 esr, u64 far);

/* cell.c / vcpu.c */
int temp_window_init(u64 *hv_pt);
void fpsimd_reset(void);
void gic_hand_over_spi(unsigned int irq, u64 mpidr, bool to_root);

#endif
