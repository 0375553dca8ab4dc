// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * gic-demo: the virtual timer fires every period; latency is the counter value read at IRQ
 * vector entry minus the deadline the timer was programmed with, i.e. what the hardware, the
 * hypervisor (in a cell) and the vector entry add to a timer interrupt.
 *
 * Command line: period-us=10000 (timer period), samples=100 (samples per report line),
 * reports=0 (stop after this many lines; 0 = run until shut down), skip=0 (discard the first
 * samples, e.g. to leave out cold-cache effects), pmu (also time with the PMU, see below),
 * idle=spin (busy-wait for the next interrupt instead of wfi: in a direct-mode cell, where
 * the hypervisor traps WFI, the CPU then has no exit at all; idle=wfi is the default).
 *
 * Output, one line per report with running figures since start:
 *   latency ns: min=80 avg=160 max=1040 samples=100
 *
 * With "pmu" (for bench/irq-latency under QEMU -icount shift=0, where the 62.5 MHz counter is
 * too coarse: 16 instructions per tick): the cycle counter, which QEMU derives from the same
 * virtual clock at 1 GHz, is read first thing in the handler and related to the counter by a
 * calibration at start; event counter 0 counts instructions retired at EL2 (NSH=1, P=U=1),
 * i.e. the hypervisor's work on this CPU. Extra lines per report:
 *   pmu latency ns: min=.. avg=.. max=.. samples=..
 *   el2 insns per irq: min=.. avg=.. max=.. total=..
 * and once at start "gic-demo: inmate_main at counter N" (start-to-first-instruction).
 */
#include <inmate.h>
#include <pmu.h>

struct stats {
	u64 min, max, sum, count;
};

static u64 period, deadline, to_skip;
static struct stats stats = { .min = ~0ULL };
static volatile u64 pending_reports;
static volatile u64 irqs_taken;
static u64 samples_per_report;

static bool use_pmu;
static int64_t pmu_offset_ns;	/* counter ns = cycle counter + offset */
static u64 el2_last;
static struct stats pmu_stats = { .min = ~0ULL }, el2_stats = { .min = ~0ULL };

static void stats_add(struct stats *s, u64 v)
{
	s->min = v < s->min ? v : s->min;
	s->max = v > s->max ? v : s->max;
	s->sum += v;
	s->count++;
}

/* false where the library has no PMU support (ARMv7). */
static bool pmu_calibrate(void)
{
	u64 t0, t, c;

	if (!pmu_start()) {
		printk("gic-demo: no PMU support in this library, pmu ignored\n");
		return false;
	}
	/* The counter ticks at a known virtual time: catch a tick, note the cycle counter. */
	t0 = timer_ticks();
	do {
		c = pmu_cycles();
		t = timer_ticks();
	} while (t == t0);
	pmu_offset_ns = (int64_t)timer_ticks_to_ns(t) - (int64_t)c;
	el2_last = pmu_el2_insns();
	printk("gic-demo: pmu on, cycle counter %s, INST_RETIRED %s\n",
	       c ? "counts" : "DOES NOT COUNT",
	       pmu_insn_event_supported() ? "supported" : "NOT SUPPORTED (needs -icount shift=N)");
	return true;
}

static void timer_irq(unsigned int irq, u64 entry_ticks)
{
	u64 cycles = use_pmu ? pmu_cycles() : 0;
	u64 lat = entry_ticks > deadline ? entry_ticks - deadline : 0;
	u64 now;

	irqs_taken++;
	if (irq != IRQ_VTIMER) {
		printk("gic-demo: unexpected IRQ %u\n", irq);
		return;
	}
	if (to_skip) {
		to_skip--;
		if (use_pmu)
			el2_last = pmu_el2_insns();
	} else {
		stats.min = lat < stats.min ? lat : stats.min;
		stats.max = lat > stats.max ? lat : stats.max;
		stats.sum += lat;
		if (use_pmu) {
			int64_t ns = (int64_t)cycles + pmu_offset_ns - (int64_t)timer_ticks_to_ns(deadline);
			u64 el2 = pmu_el2_insns();

			stats_add(&pmu_stats, ns > 0 ? ns : 0);
			stats_add(&el2_stats, el2 - el2_last);
		}
		if (++stats.count % samples_per_report == 0)
			pending_reports++;
	}
	/* Keep the grid of deadlines; if we fell behind by a whole period, start a new grid. */
	deadline += period;
	now = timer_ticks();
	if (deadline <= now)
		deadline = now + period;
	timer_arm_at(deadline);
	if (use_pmu)	/* EL2 work from here to the next interrupt's handler */
		el2_last = pmu_el2_insns();
}

static void report(void)
{
	struct stats s, p, e;
	u64 flags = local_irq_save();

	s = stats;
	p = pmu_stats;
	e = el2_stats;
	pending_reports--;
	local_irq_restore(flags);
	printk("latency ns: min=%llu avg=%llu max=%llu samples=%llu\n", timer_ticks_to_ns(s.min),
	       timer_ticks_to_ns(s.sum / s.count), timer_ticks_to_ns(s.max), s.count);
	if (use_pmu && p.count) {
		printk("pmu latency ns: min=%llu avg=%llu max=%llu samples=%llu\n", p.min,
		       p.sum / p.count, p.max, p.count);
		printk("el2 insns per irq: min=%llu avg=%llu max=%llu total=%llu\n", e.min,
		       e.sum / e.count, e.max, e.sum);
	}
}

/* Until the next interrupt: wfi, or with idle=spin a loop that never leaves the cell. */
static void idle(bool spin)
{
	u64 seen = irqs_taken;

	if (!spin) {
		wfi();
		return;
	}
	while (irqs_taken == seen)
		cpu_relax();
}

void inmate_main(void)
{
	u64 started = timer_ticks();
	u64 reports = cmdline_get_u64("reports", 0), done = 0;
	u64 period_us = cmdline_get_u64("period-us", 10000);
	char idle_mode[8] = "wfi";
	bool spin;

	samples_per_report = cmdline_get_u64("samples", 100) ?: 1;
	to_skip = cmdline_get_u64("skip", 0);
	period = timer_ns_to_ticks((period_us ?: 1) * 1000);
	printk("gic-demo: virtual timer every %llu us, a report every %llu samples, "
	       "counter %llu Hz\n", period_us, samples_per_report, timer_frequency());

	cmdline_get_str("idle", idle_mode, sizeof(idle_mode));
	spin = !strncmp(idle_mode, "spin", 5);
	if (spin)
		printk("gic-demo: idle by spinning, no wfi\n");
	else if (strncmp(idle_mode, "wfi", 4))
		printk("gic-demo: idle=%s unknown, idle with wfi\n", idle_mode);

	use_pmu = cmdline_get_bool("pmu", false);
	if (use_pmu) {
		printk("gic-demo: inmate_main at counter %llu\n", started);
		use_pmu = pmu_calibrate();
	}
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
		idle(spin);
	}
	timer_stop();
	cpu_halt();
}
