// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * attack's attacks on direct interrupt delivery (the list is in attack.c's header). In direct
 * mode the cell's CPU interface is the physical one for Group 1 (IAR1, EOIR1, AP1R, IGRPEN1)
 * and a virtual one for the rest (PMR, IGRPEN0, CTLR): these attacks use exactly what a
 * direct-mode cell can touch to keep the hypervisor's management FIQ out, or to reach other
 * cells' interrupts. None of them answers the comm region again: the hypervisor has to take
 * the CPU back on its own, within its bound. In trap mode (and bare metal) they run the same
 * and must be as harmless.
 */
#include "attack.h"

#define INTID_SPURIOUS		1020
#define OWN_SGI			9	/* not the library's nor the hypervisor's (14, 15) */

static uintptr_t own_sgi_frame;	/* the SGI/PPI page of our redistributor */
static volatile u64 taken[16];	/* sgi-flood: SGIs taken, by INTID */

static void forever(bool sleep)
{
	for (;;)
		if (sleep)
			wfi();
		else
			cpu_relax();
}

static void count_sgi(unsigned int irq, u64 ticks)
{
	(void)ticks;
	if (irq < 16)
		taken[irq]++;
}

/* The library's GIC set-up for this CPU (groups, redistributor awake, IGRPEN1), IRQs masked. */
static bool gic_ready(uintptr_t gicr)
{
	uintptr_t rd = attack_frame_of(gicr, cpu_mpidr());

	irq_init(count_sgi);
	if (!rd) {
		report("ERROR: no redistributor of our own");
		return false;
	}
	own_sgi_frame = rd + GICR_SGI_BASE;
	return true;
}

static unsigned int own_priority(unsigned int irq)
{
	return mmio_read32(own_sgi_frame + GICD_IPRIORITYR + (irq & ~3U)) >> (irq % 4 * 8) & 0xff;
}

static void set_own_priority(unsigned int irq, unsigned int prio)
{
	uintptr_t reg = own_sgi_frame + GICD_IPRIORITYR + (irq & ~3U);
	unsigned int shift = irq % 4 * 8;

	mmio_write32(reg, (mmio_read32(reg) & ~(0xffU << shift)) | prio << shift);
}

/* Pend our SGI and acknowledge it by hand (IRQs stay masked); its IAR value, or 1023. */
static u64 pend_and_ack(unsigned int irq)
{
	u64 end = timer_ticks() + timer_frequency() / 10, iar = INTID_SPURIOUS + 3;
	bool sent = false;

	mmio_write32(own_sgi_frame + GICD_ISPENDR, 1U << irq);
	while (timer_ticks() < end) {
		iar = read_sysreg(ICC_IAR1_EL1);
		if ((iar & 0xffffff) == irq)
			return iar;
		if ((iar & 0xffffff) < INTID_SPURIOUS)	/* someone else's: done with it */
			write_sysreg(ICC_EOIR1_EL1, iar);
		if (!sent && timer_ticks() > end - timer_frequency() / 20) {
			attack_sgi_send(irq, cpu_mpidr(), false);	/* if ISPENDR did not */
			sent = true;
		}
	}
	return iar;
}

static void attack_ap1r(void)
{
	bool sleep = cmdline_get_bool("wfi", false);

	report("ICC_AP1R0_EL1 = 1 (active priority 0x00), then %s forever", sleep ? "wfi" : "spin");
	write_sysreg(ICC_AP1R0_EL1, 1);
	isb();
	report("ICC_AP1R0_EL1 reads 0x%llx", read_sysreg(ICC_AP1R0_EL1));
	forever(sleep);
}

static void attack_ack_no_eoi(uintptr_t gicr)
{
	unsigned int irq = cmdline_get_u64("sgi", OWN_SGI) & 15;
	bool sleep = cmdline_get_bool("wfi", false);
	u64 iar;

	if (!gic_ready(gicr))
		return;
	irq_enable(irq);
	set_own_priority(irq, 0);
	report("SGI %u: priority 0x00 written, reads 0x%x", irq, own_priority(irq));
	iar = pend_and_ack(irq);
	report("SGI %u acknowledged: %s (IAR1 %llu); never EOId, %s forever", irq,
	       (iar & 0xffffff) == irq ? "yes" : "NO", iar, sleep ? "wfi" : "spin");
	forever(sleep);
}

static void attack_mask_all(void)
{
	report("ICC_IGRPEN1_EL1 = 0, ICC_IGRPEN0_EL1 = 0, ICC_PMR_EL1 = 0, DAIF = 0xf, then wfi "
	       "forever");
	write_sysreg(ICC_IGRPEN1_EL1, 0);
	write_sysreg(ICC_IGRPEN0_EL1, 0);
	write_sysreg(ICC_PMR_EL1, 0);
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
	isb();
	report("masked: IGRPEN1 %llu IGRPEN0 %llu PMR 0x%llx DAIF 0x%llx",
	       read_sysreg(ICC_IGRPEN1_EL1), read_sysreg(ICC_IGRPEN0_EL1),
	       read_sysreg(ICC_PMR_EL1), read_sysreg(daif) >> 6);
	forever(true);
}

static void attack_sgi_flood(uintptr_t gicr)
{
	u64 seconds = cmdline_get_u64("seconds", 4), end, n, got = 0, mpidrs[4];
	unsigned int i, count = cmdline_get_u64_list("mpidrs", mpidrs, ARRAY_SIZE(mpidrs));

	if (!gic_ready(gicr))
		return;
	for (i = 0; i < 14; i++)	/* 14 and 15 are the hypervisor's: we may not have them */
		irq_enable(i);
	local_irq_enable();
	end = timer_ticks() + timer_ns_to_ticks(seconds * NS_PER_SEC);
	for (n = 0; timer_ticks() < end; n++) {
		attack_sgi_send(n & 15, cpu_mpidr(), false);
		attack_sgi_send(n & 15, 0, true);
		if (count)
			attack_sgi_send(n & 15, mpidrs[n % count], false);
	}
	local_irq_disable();
	for (i = 0; i < 16; i++)
		got += taken[i];
	report("%llu SGIs in %llu s (%llu to us, %llu broadcast, %llu to %u foreign CPUs); we took %llu, "
	       "%llu of them 14/15", n * (count ? 3 : 2), seconds, n, n, count ? n : 0, count, got,
	       taken[14] + taken[15]);
}

static void attack_eoir_foreign(uintptr_t gicr)
{
	unsigned int from = cmdline_get_u64("from", 32), to = cmdline_get_u64("to", 100), i;
	unsigned int acked = 0, stuck;

	if (!gic_ready(gicr))
		return;
	irq_enable(OWN_SGI);
	for (i = from; i <= to && i < INTID_SPURIOUS; i++) {
		/* an active priority of our own, so the EOI is a priority drop plus deactivation */
		if ((pend_and_ack(OWN_SGI) & 0xffffff) == OWN_SGI)
			acked++;
		write_sysreg(ICC_EOIR1_EL1, i);
		isb();
		mmio_write32(own_sgi_frame + GICD_ICACTIVER, 1U << OWN_SGI);
	}
	stuck = mmio_read32(own_sgi_frame + GICD_ISACTIVER) >> OWN_SGI & 1;
	report("ICC_EOIR1_EL1 of INTIDs %u-%u (not ours), each after acknowledging our SGI %u (%u "
	       "times); our SGI active now: %u", from, to, OWN_SGI, acked, stuck);
}

bool attack_direct(uintptr_t gicr)
{
	if (!strncmp(attack_name, "ap1r", 5))
		attack_ap1r();
	else if (!strncmp(attack_name, "ack-no-eoi", 11))
		attack_ack_no_eoi(gicr);
	else if (!strncmp(attack_name, "mask-all", 9))
		attack_mask_all();
	else if (!strncmp(attack_name, "sgi-flood", 10))
		attack_sgi_flood(gicr);
	else if (!strncmp(attack_name, "eoir-foreign", 13))
		attack_eoir_foreign(gicr);
	else
		return false;
	return true;
}
