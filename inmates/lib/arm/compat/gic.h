/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Jailhouse compat <gic.h> for ARMv7: the interrupt numbers and helpers Jailhouse's arm demos
 * use. The library drives the GIC (v2) itself; irq_init()/irq_enable() come from <inmate.h>.
 */
#ifndef JH_COMPAT_GIC_H
#define JH_COMPAT_GIC_H

#include <inmate.h>

#define GICD_ISENABLER		0x0100
/* The PL1 virtual timer's PPI. */
#define TIMER_IRQ		27

#define is_sgi_ppi(irqn)	((irqn) < 32)
#define is_spi(irqn)		((irqn) > 31 && (irqn) < 1020)

/*
 * Jailhouse's ARMv7 library needs an IRQ-mode stack and unmasks IRQs here; ours handles IRQs
 * on each CPU's SVC stack, so only the unmasking is left.
 */
#define gic_setup_irq_stack()	enable_irqs()

#endif
