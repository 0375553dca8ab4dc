// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Local APIC (xAPIC, MMIO) and IOAPIC. In a cell the hypervisor emulates or filters both, so
 * every access is one 32-bit mov (mmio_read32/mmio_write32).
 */
#include "internal.h"

#define APIC_SVR_ENABLE		(1U << 8)
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10

static spinlock_t ioapic_lock;

/* Software-enable this CPU's APIC; LINT0/1 masked: no 8259 (ExtINT) or LINT NMI reaches us. */
void apic_cpu_init(void)
{
	apic_write(APIC_SVR, APIC_SVR_ENABLE | IRQ_SPURIOUS);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
}

void apic_send_icr(unsigned int dest, u32 icr_lo)
{
	u64 flags = local_irq_save();

	apic_write(APIC_ICR_HI, dest << 24);
	apic_write(APIC_ICR_LO, icr_lo);
	while (apic_read(APIC_ICR_LO) & APIC_ICR_BUSY)
		cpu_relax();
	local_irq_restore(flags);
}

void apic_send_ipi(unsigned int dest, unsigned int vector)
{
	apic_send_icr(dest, vector & 0xff);
}

u32 ioapic_read(unsigned int reg)
{
	u32 val;

	spin_lock(&ioapic_lock);
	mmio_write32(IOAPIC_BASE + IOAPIC_REGSEL, reg);
	val = mmio_read32(IOAPIC_BASE + IOAPIC_WINDOW);
	spin_unlock(&ioapic_lock);
	return val;
}

void ioapic_write(unsigned int reg, u32 val)
{
	spin_lock(&ioapic_lock);
	mmio_write32(IOAPIC_BASE + IOAPIC_REGSEL, reg);
	mmio_write32(IOAPIC_BASE + IOAPIC_WINDOW, val);
	spin_unlock(&ioapic_lock);
}

void ioapic_set_pin(unsigned int pin, unsigned int vector, unsigned int dest, u32 flags)
{
	unsigned int reg = IOAPIC_REDIR_TABLE + 2 * pin;

	/* Masked while half-written; the destination first, the unmasking low word last. */
	ioapic_write(reg, IOAPIC_MASKED);
	ioapic_write(reg + 1, dest << 24);
	ioapic_write(reg, (vector & 0xff) | flags);
}

void ioapic_mask_pin(unsigned int pin)
{
	unsigned int reg = IOAPIC_REDIR_TABLE + 2 * pin;

	ioapic_write(reg, ioapic_read(reg) | IOAPIC_MASKED);
}

u64 ioapic_get_pin(unsigned int pin)
{
	unsigned int reg = IOAPIC_REDIR_TABLE + 2 * pin;

	return ((u64)ioapic_read(reg + 1) << 32) | ioapic_read(reg);
}
