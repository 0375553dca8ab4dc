// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * uart-demo: prints a counter line periodically, polling for a shutdown request in between.
 * Command line: period-ms=100, count=0 (stop after this many lines; 0 = until shut down).
 */
#include <inmate.h>

void inmate_main(void)
{
	u64 period = timer_ns_to_ticks(cmdline_get_u64("period-ms", 100) * 1000000);
	u64 count = cmdline_get_u64("count", 0), n = 0;
	u64 next = timer_ticks();

	printk("uart-demo: printing on %s\n", console_name());
	while (!count || n < count) {
		if (comm_region_poll())
			cpu_halt();
		if (timer_ticks() < next) {
			cpu_relax();
			continue;
		}
		printk("uart-demo: hello %llu\n", ++n);
		next += period;
	}
}
