// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * apic-demo: the x86 counterpart of gic-demo. The local APIC timer runs in periodic mode and
 * interrupts every period; latency is how far the timer's current period had run when the
 * interrupt's entry stub read the TSC: the APIC's current count (initial - current = ticks
 * since the period began) minus the TSC time from stub entry to that read (taken as the
 * midpoint of two TSC reads around it, since in a cell the read may trap).
 *
 * Command line: period-us=10000 (timer period), samples=100 (samples per report line),
 * reports=0 (stop after this many lines; 0 = run until shut down), skip=0 (discard the first
 * samples).
 *
 * Output, one line per report with running figures since start (gic-demo's format, which
 * bench/irq-latency parses):
 *   latency ns: min=80 avg=160 max=1040 samples=100
 */
#include <inmate.h>

struct stats {
	u64 min, max, sum, count;
};

static u64 initial, to_skip, samples_per_report;
static struct stats stats = { .min = ~0UL };
static volatile u64 pending_reports;

static void timer_irq(unsigned int vector, u64 entry_ticks)
{
	u64 t1, t2, ran_ns, since_entry_ns, lat;
	u32 current;

	if (vector != IRQ_TIMER) {
		printk("apic-demo: unexpected vector 0x%x\n", vector);
		return;
	}
	t1 = timer_ticks();
	current = apic_read(APIC_TMCCT);
	t2 = timer_ticks();
	ran_ns = apic_timer_ticks_to_ns(initial - current);
	since_entry_ns = timer_ticks_to_ns((t1 + t2) / 2 - entry_ticks);
	lat = ran_ns > since_entry_ns ? ran_ns - since_entry_ns : 0;
	if (to_skip) {
		to_skip--;
		return;
	}
	stats.min = lat < stats.min ? lat : stats.min;
	stats.max = lat > stats.max ? lat : stats.max;
	stats.sum += lat;
	if (++stats.count % samples_per_report == 0)
		pending_reports++;
}

static void report(void)
{
	struct stats s;
	u64 flags = local_irq_save();

	s = stats;
	pending_reports--;
	local_irq_restore(flags);
	printk("latency ns: min=%llu avg=%llu max=%llu samples=%llu\n", s.min, s.sum / s.count, s.max,
	       s.count);
}

void inmate_main(void)
{
	u64 reports = cmdline_get_u64("reports", 0), done = 0;
	u64 period_us = cmdline_get_u64("period-us", 10000) ?: 1;

	samples_per_report = cmdline_get_u64("samples", 100) ?: 1;
	to_skip = cmdline_get_u64("skip", 0);
	printk("apic-demo: APIC timer every %llu us, a report every %llu samples, "
	       "APIC timer %llu Hz, TSC %llu Hz\n", period_us, samples_per_report,
	       apic_timer_frequency(), timer_frequency());

	irq_init(timer_irq);
	apic_timer_periodic(period_us * 1000);
	initial = apic_read(APIC_TMICT);
	local_irq_enable();

	while (!comm_region_poll()) {
		while (pending_reports && (!reports || done < reports)) {
			report();
			done++;
		}
		if (reports && done >= reports)
			return;		/* inmate_exit(): bare-metal, QEMU powers off */
		wfi();
	}
	apic_timer_stop();
	cpu_halt();
}
