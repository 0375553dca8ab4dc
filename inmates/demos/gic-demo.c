// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gic-demo: the virtual timer fires every period; latency is the counter value read at IRQ
 * vector entry minus the deadline the timer was programmed with, i.e. what the hardware, the
 * hypervisor (in a cell) and the vector entry add to a timer interrupt.
 *
 * Command line: period-us=10000 (timer period), samples=100 (samples per report line),
 * reports=0 (stop after this many lines; 0 = run until shut down), skip=0 (discard the first
 * samples, e.g. to leave out cold-cache effects).
 *
 * Output, one line per report with running figures since start:
 *   latency ns: min=80 avg=160 max=1040 samples=100
 */
#include <inmate.h>

struct stats {
	u64 min, max, sum, count;
};

static u64 period, deadline, to_skip;
static struct stats stats = { .min = ~0UL };
static volatile u64 pending_reports;
static u64 samples_per_report;

static void timer_irq(unsigned int irq, u64 entry_ticks)
{
	u64 lat = entry_ticks > deadline ? entry_ticks - deadline : 0;
	u64 now;

	if (irq != IRQ_VTIMER) {
		printk("gic-demo: unexpected IRQ %u\n", irq);
		return;
	}
	if (to_skip) {
		to_skip--;
	} else {
		stats.min = lat < stats.min ? lat : stats.min;
		stats.max = lat > stats.max ? lat : stats.max;
		stats.sum += lat;
		if (++stats.count % samples_per_report == 0)
			pending_reports++;
	}
	/* Keep the grid of deadlines; if we fell behind by a whole period, start a new grid. */
	deadline += period;
	now = timer_ticks();
	if (deadline <= now)
		deadline = now + period;
	timer_arm_at(deadline);
}

static void report(void)
{
	struct stats s;
	u64 flags = local_irq_save();

	s = stats;
	pending_reports--;
	local_irq_restore(flags);
	printk("latency ns: min=%lu avg=%lu max=%lu samples=%lu\n", timer_ticks_to_ns(s.min),
	       timer_ticks_to_ns(s.sum / s.count), timer_ticks_to_ns(s.max), s.count);
}

void inmate_main(void)
{
	u64 reports = cmdline_get_u64("reports", 0), done = 0;
	u64 period_us = cmdline_get_u64("period-us", 10000);

	samples_per_report = cmdline_get_u64("samples", 100) ?: 1;
	to_skip = cmdline_get_u64("skip", 0);
	period = timer_ns_to_ticks((period_us ?: 1) * 1000);
	printk("gic-demo: virtual timer every %lu us, a report every %lu samples, "
	       "counter %lu Hz\n", period_us, samples_per_report, timer_frequency());

	irq_init(timer_irq);
	irq_enable(IRQ_VTIMER);
	deadline = timer_arm(period);
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
	timer_stop();
	cpu_halt();
}
