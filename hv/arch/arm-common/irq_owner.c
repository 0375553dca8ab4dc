// SPDX-License-Identifier: GPL-2.0
/*
 * The core's interrupt-ownership hooks (hv/include/arch.h), alike on GICv3 and GICv2: an
 * interrupt resource names the distributor and its pins are INTIDs; an SPI that changes hands
 * is handed over to the first CPU of its new owner (the arch's gic_hand_over_spi()).
 */
#include <asm/arm_arch.h>
#include <asm/cfg_arm.h>

/* SPIs only, as validated */
int arch_irq_index(const struct hvcfg_irqchip *chip, u32 pin)
{
	if (chip->address != cfg_arm_platform(hv.config)->gicd_base || pin >= ARCH_NUM_IRQS)
		return -1;
	return pin;
}

void arch_set_irq_owner(unsigned int irq, struct cell *cell)
{
	unsigned int n;

	for_each_cpu(n, cell->cpu_set) {
		gic_hand_over_spi(irq, per_cpu(n)->hw_id, cell == &hv.root);
		return;
	}
}
