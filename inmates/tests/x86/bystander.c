// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bystander (x86): the cell next to an attacker (tests/x86/attack.c). It fills a canary area of
 * its RAM with a pattern and, every period, checks the pattern, counts interrupts it never asked
 * for (anything but its own APIC timer) and, with pin=N, reads back the redirection entry of
 * the IOAPIC pin it owns. One line a period:
 *   bystander: tick=N canary=ok|BAD(first bad offset) stray-irqs=N ioapic=<entry>|-
 * The test compares these lines before and after each attack.
 * Command line: canary=0x80000 canary-size=0x10000 (inside the cell's 1 MiB, above the image,
 * below the EBDA bare-metal)
 * pin=N period-ms=500.
 */
#include <inmate.h>

static volatile unsigned int stray_irqs;

static void on_irq(unsigned int vector, u64 ticks)
{
	(void)ticks;
	if (vector != IRQ_TIMER)
		stray_irqs++;
}

static u64 pattern(u64 off)
{
	return off * 0x9e3779b97f4a7c15UL ^ 0xb7574a5e00c0ffeeUL;
}

void inmate_main(void)
{
	u64 canary = cmdline_get_u64("canary", 0x80000);
	u64 size = cmdline_get_u64("canary-size", 0x10000);
	u64 pin = cmdline_get_u64("pin", ~0UL);
	u64 period = timer_ns_to_ticks(cmdline_get_u64("period-ms", 500) * 1000000);
	volatile u64 *p = (volatile u64 *)(uintptr_t)canary;
	u64 n, bad, tick = 0, next;

	for (n = 0; n < size / 8; n++)
		p[n] = pattern(n);
	irq_init(on_irq);
	/* A slow timer of our own keeps the CPU taking interrupts; anything else is stray. */
	apic_timer_periodic(timer_ticks_to_ns(period));
	local_irq_enable();
	printk("bystander: canary 0x%llx+0x%llx, watching %s\n", canary, size,
	       pin == ~0UL ? "no IOAPIC pin" : "an IOAPIC pin");
	next = timer_ticks();
	for (;;) {
		while (timer_ticks() < next)
			if (comm_region_poll())
				cpu_halt();
		next += period;
		bad = ~0UL;
		for (n = 0; n < size / 8 && bad == ~0UL; n++)
			if (p[n] != pattern(n))
				bad = n * 8;
		if (bad == ~0UL)
			printk("bystander: tick=%llu canary=ok", ++tick);
		else
			printk("bystander: tick=%llu canary=BAD(0x%llx)", ++tick, bad);
		if (pin == ~0UL)
			printk(" stray-irqs=%u ioapic=-\n", stray_irqs);
		else
			printk(" stray-irqs=%u ioapic=0x%llx\n", stray_irqs, ioapic_get_pin(pin));
	}
}
