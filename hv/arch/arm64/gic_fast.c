// SPDX-License-Identifier: GPL-2.0
/*
 * The lean IRQ exit. Nearly every IRQ exit of a trap-mode CPU carries one hardware interrupt
 * for its guest while nothing else waits: that case goes straight into a free list register
 * here, called from entry.S with only the caller-saved registers saved (the compiler keeps the
 * others), and returns to the guest without the general exit path. Everything else (a list
 * register still live, interrupts queued, SGIs, the maintenance interrupt, LPIs, nothing pending)
 * takes the general path: the INTID acknowledged here goes to gic_handle_acked(), then
 * entry.S saves the whole frame and runs arch_handle_exit() as for any exit.
 *
 * What the general path would check after this exit needs no check here: the hypervisor's
 * management interrupts (an event, a park request, a panic) are never taken here, and one
 * that is pending while this runs is taken as the next exit right after the eret (after the
 * priority drop nothing masks it).
 */
#include <asm/gic_regs.h>
#include <asm/vgic.h>

/*
 * Returns 0 when the interrupt went into a list register: entry.S restores the caller-saved
 * registers and erets. Returns 1 for the general exit path.
 *
 * The invariants of the virtual interrupt engine (arm-common/vgic.c) hold: the INTID is in no
 * list register (none is live) and not queued (the queue is empty); used_lrs names the
 * register written, the only live one; underflow maintenance is only on while interrupts are
 * queued, so an empty queue means it is off and stays off.
 */
int gic_fast_irq(void);

int gic_fast_irq(void)
{
	struct per_cpu *cpu = (struct per_cpu *)read_sysreg(tpidr_el2);
	struct vgic_cpu *v = &cpu->arch.vgic;
	unsigned int irq = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
	u32 empty, free;
	u64 lr;

	/* SGIs, the maintenance PPI, specials (1020-1023), extended ranges and LPIs */
	if (irq < 16 || irq >= SPURIOUS_FIRST || irq == gic_maintenance_irq)
		goto general;
	empty = read_sysreg(ICH_ELRSR_EL2);
	free = empty & ((1U << v->num_lrs) - 1);
	/*
	 * Nothing queued (any CPU may be queueing meanwhile: it kicks us then) and no list
	 * register live. The second is what keeps an INTID out of two list registers even when
	 * its physical interrupt fires again before the guest deactivated it: a direct-mode cell's
	 * ICC_EOIR1_EL1 can end an SPI it does not own (docs/security.md), and the general path
	 * looks for the INTID in the live list registers, this one does not.
	 */
	if (!free || v->pending_top || v->used_lrs & ~empty)
		goto general;
	/* priority drop only (EOImode 1): the guest's deactivation ends it */
	write_sysreg(ICC_EOIR1_EL1, irq);
	lr = gic_backend_lr_hw(irq, VGIC_PRIO_DEFAULT);
	/* the engine too takes the lowest free one: mostly list register 0, no jump table */
	if (free & 1)
		gic_backend_write_lr(0, lr);
	else
		gic_backend_write_lr(__builtin_ctz(free), lr);
	/* none was live: the empty ones are forgotten, as a flush would */
	v->used_lrs = free & -free;
	stat_inc(cpu, EXIT_TOTAL);
	stat_inc(cpu, EXIT_VIRQ);
	return 0;

general:
	if (irq < SPURIOUS_FIRST || irq >= SPURIOUS_END)
		gic_handle_acked(cpu, irq);
	return 1;
}
