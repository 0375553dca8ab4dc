// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ARMv7 functions of the Jailhouse compat API (compat/include/inmate.h, arm/compat/):
 * Jailhouse's timer, interrupt and mapping calls expressed with the native library. PCI is not
 * offered on ARMv7 (no ECAM window in the ARMv7 cells).
 */
#include "internal.h"

unsigned long timer_get_frequency(void)
{
	return timer_frequency();
}

u64 timer_get_ticks(void)
{
	return timer_ticks();
}

void timer_start(u64 timeout)
{
	timer_arm(timeout);
}

/* The library runs with the MMU off: nothing to enable, nothing to map. */
void arch_mmu_enable(void)
{
}

/*
 * Jailhouse's ARMv7 inmates call gic_setup_irq_stack(), which unmasks IRQs; ours take IRQs on
 * the SVC stack, and irq_init unmasks them as on arm64.
 */
void jh_arch_irq_init_done(void)
{
	local_irq_enable();
}

void jh_irq_enable(unsigned int irq)
{
	irq_enable(irq);
}

void jh_map_range(void *start, unsigned long size, unsigned int jh_type)
{
	(void)start, (void)size, (void)jh_type;
}
