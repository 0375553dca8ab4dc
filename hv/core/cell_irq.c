// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupts of non-root cells: those a cell's configuration names must be the root's when
 * the cell is created, go to the cell with it and come back to the root when it is destroyed.
 * Ownership is by the arch's index (arch_irq_index()) in each cell's irq_bitmap; the arch routes
 * each move (arch_set_irq_owner()). Runs under cell.c's cell_lock, setup.c aside.
 */
#include <cell_internal.h>

/*
 * The interrupts a descriptor's resources name, by ownership index (arch_irq_index()): the
 * next one from *pos on (start with 0), or -1 when none is left. A pin the arch cannot index (a
 * validated config has none) reads as ARCH_NUM_IRQS, which no cell owns.
 */
int desc_next_irq(const void *blob, const struct hvcfg_cell_desc *desc, u32 *pos)
{
	const struct hvcfg_irqchip *chips = cfg_irqchips(blob, desc), *chip;
	u32 bit;
	int irq;

	for (; *pos < desc->num_irqchips * HVCFG_IRQCHIP_PINS; (*pos)++) {
		chip = &chips[*pos / HVCFG_IRQCHIP_PINS];
		bit = *pos % HVCFG_IRQCHIP_PINS;
		if (!((chip->pin_bitmap[bit / 64] >> (bit % 64)) & 1))
			continue;
		(*pos)++;
		irq = arch_irq_index(chip, chip->pin_base + bit);
		return irq < 0 || irq >= ARCH_NUM_IRQS ? ARCH_NUM_IRQS : irq;
	}
	return -1;
}

/* A new cell's interrupts must all be the root's now, not another cell's. */
long cell_irq_check_live(const struct hvcfg_cell *cfg)
{
	u32 pos = 0;
	int irq;

	while ((irq = desc_next_irq(cfg, &cfg->cell, &pos)) >= 0)
		if (!cell_owns_irq(&hv.root, irq))
			return refuse(HV_R_IRQ_NOT_ROOT, "interrupt %d is not the root's\n", irq);
	return 0;
}

/* The interrupts cell's configuration names, from one cell to the other. */
void cell_irq_move(struct cell *from, struct cell *to, const struct cell *cell)
{
	u32 pos = 0;
	int n;

	while ((n = desc_next_irq(cell->blob, cell->desc, &pos)) >= 0) {
		if (n >= ARCH_NUM_IRQS)
			continue;
		from->irq_bitmap[n / 64] &= ~(1ULL << (n % 64));
		to->irq_bitmap[n / 64] |= 1ULL << (n % 64);
		arch_set_irq_owner(n, to);
	}
}
