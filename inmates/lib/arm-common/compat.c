// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The functions of the Jailhouse compat API (compat/include/inmate.h, <arch>/compat/) that
 * arm64 and ARMv7 share: Jailhouse's timer, interrupt and mapping calls expressed with the
 * native library.
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

/* The library is ready before inmate_main() (arm64: MMU on; ARMv7: the MMU stays off). */
void arch_mmu_enable(void)
{
}

/*
 * Jailhouse's arm64 inmates run with IRQs unmasked from the start, its ARMv7 ones unmask them in
 * gic_setup_irq_stack() (compat <gic.h>); ours unmask at irq_init.
 */
void jh_arch_irq_init_done(void)
{
	local_irq_enable();
}

void jh_irq_enable(unsigned int irq)
{
	irq_enable(irq);
}

/* 0: MAP_CACHED (normal memory), 1: MAP_UNCACHED (device). */
void jh_map_range(void *start, unsigned long size, unsigned int jh_type)
{
	u64 addr = (uintptr_t)start;

	/* The image is mapped already; remap_range() refuses to touch it (ARMv7: no MMU, no-op). */
	if (remap_range(addr, size, jh_type ? MAP_DEVICE : MAP_NORMAL))
		printk("inmate: map_range(0x%llx, 0x%lx) failed\n", addr, size);
}
