// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bystander: the cell next to an attacker (inmates/tests/attack.c). It fills a canary area of
 * its RAM with a pattern and, every period, checks the pattern, reads back the distributor
 * state of the interrupt it owns and counts interrupts it never asked for. One line a period:
 *   bystander: tick=N canary=ok|BAD(first bad offset) stray-irqs=N gic=<state>
 * The test compares these lines before and after each attack.
 * Command line: canary=0x100000 (offset in the cell's RAM) canary-size=0x40000 irq=34
 * period-ms=500; gicd=/gicr= as for every inmate.
 */
#include <inmate.h>

#define GICD_BASE_DEFAULT	0x08000000UL

static volatile unsigned int stray_irqs;

static void on_irq(unsigned int irq, u64 ticks)
{
	(void)ticks;
	if (irq != IRQ_VTIMER)
		stray_irqs++;
}

static u64 pattern(u64 off)
{
	return off * 0x9e3779b97f4a7c15UL ^ 0xb7574a5e00c0ffeeUL;
}

static u32 bit(uintptr_t gicd, u32 reg, unsigned int irq, unsigned int bits)
{
	u32 val = mmio_read32(gicd + reg + irq * bits / 32 * 4);

	return (val >> (irq * bits % 32)) & ((1U << bits) - 1);
}

void inmate_main(void)
{
	u64 canary = cmdline_get_u64("canary", 0x100000);
	u64 size = cmdline_get_u64("canary-size", 0x40000);
	unsigned int irq = cmdline_get_u64("irq", 34);
	u64 period = timer_ns_to_ticks(cmdline_get_u64("period-ms", 500) * 1000000);
	struct hv_comm_region *comm = comm_region();
	const struct hv_comm_arm *arm = comm ? hv_comm_arm(comm) : NULL;
	uintptr_t gicd = arm && arm->gicd_base ? arm->gicd_base : GICD_BASE_DEFAULT;
	volatile u64 *p = (volatile u64 *)(uintptr_t)canary;
	u64 n, bad, tick = 0, next;

	gicd = cmdline_get_u64("gicd", gicd);
	for (n = 0; n < size / 8; n++)
		p[n] = pattern(n);
	irq_init(on_irq);
	/*
	 * SGIs (but 0 and 1, the hypervisor's own) and the owned SPI enabled: whatever arrives
	 * was sent by someone else.
	 */
	for (n = 2; n < 16; n++)
		irq_enable(n);
	irq_enable(irq);
	local_irq_enable();
	printk("bystander: canary 0x%llx+0x%llx, watching interrupt %u\n", canary, size, irq);
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
		printk(" stray-irqs=%u gic=en%u,pend%u,act%u,grp%u,prio%x,cfg%u,route%llx\n",
		       stray_irqs, bit(gicd, GICD_ISENABLER, irq, 1),
		       bit(gicd, GICD_ISPENDR, irq, 1), bit(gicd, GICD_ISACTIVER, irq, 1),
		       bit(gicd, GICD_IGROUPR, irq, 1), bit(gicd, GICD_IPRIORITYR, irq, 8),
		       bit(gicd, GICD_ICFGR, irq, 2), mmio_read64(gicd + GICD_IROUTER + irq * 8));
	}
}
