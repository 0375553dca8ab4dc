// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * deny-shutdown: a "critical" cell. It sets RUNNING_LOCKED, which vetoes any reconfiguration
 * of the system, denies the first shutdown request and approves the second (unlocking first).
 * Command line: period-ms=1000 (heartbeat line).
 */
#include <inmate.h>

static unsigned int requests;

static bool shutdown_policy(void)
{
	requests++;
	if (requests == 1) {
		printk("deny-shutdown: denying shutdown request 1, ask again\n");
		return false;
	}
	printk("deny-shutdown: approving shutdown request %u\n", requests);
	return true;
}

void inmate_main(void)
{
	u64 period = timer_ns_to_ticks(cmdline_get_u64("period-ms", 1000) * 1000000);
	u64 next = timer_ticks() + period, beats = 0;

	comm_region_set_shutdown_policy(shutdown_policy);
	comm_region_set_state(HV_CELL_RUNNING_LOCKED);
	if (comm_region())
		printk("deny-shutdown: cell state RUNNING_LOCKED, first shutdown request "
		       "will be denied\n");
	else
		printk("deny-shutdown: no comm region, nothing to lock or deny\n");

	while (!comm_region_poll()) {
		if (timer_ticks() >= next) {
			printk("deny-shutdown: alive %llu, %u request(s) so far\n", ++beats,
			       requests);
			next += period;
		}
		cpu_relax();
	}
	cpu_halt();
}
