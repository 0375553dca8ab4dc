// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ARM generic timer (arm64 and ARMv7): the EL1/PL1 virtual timer (PPI 27), the one a cell owns
 * outright; bare-metal without EL2/HYP the virtual counter equals the physical one. The
 * registers are the architecture's vtimer_*() (arm64.h: system registers, arm.h: cp15).
 */
#include "internal.h"

#define CNTV_CTL_ENABLE		(1 << 0)
#define CNTV_CTL_IMASK		(1 << 1)

u64 timer_frequency(void)
{
	return vtimer_read_frequency();
}

u64 timer_ticks(void)
{
	/* Without the isb the counter read may be performed before earlier instructions. */
	isb();
	return vtimer_read_counter();
}

/* Split so that ticks * 10^9 cannot overflow for any uptime. */
u64 timer_ticks_to_ns(u64 ticks)
{
	u64 freq = timer_frequency();

	return ticks / freq * NS_PER_SEC + ticks % freq * NS_PER_SEC / freq;
}

u64 timer_ns_to_ticks(u64 ns)
{
	u64 freq = timer_frequency();

	return ns / NS_PER_SEC * freq + ns % NS_PER_SEC * freq / NS_PER_SEC;
}

void timer_arm_at(u64 deadline)
{
	vtimer_write_cval(deadline);
	vtimer_write_ctl(CNTV_CTL_ENABLE);
	isb();
}

u64 timer_arm(u64 delta)
{
	u64 deadline = timer_ticks() + delta;

	timer_arm_at(deadline);
	return deadline;
}

void timer_stop(void)
{
	vtimer_write_ctl(0);
	isb();
}

void delay_us(u64 us)
{
	u64 end = timer_ticks() + timer_ns_to_ticks(us * 1000);

	while (timer_ticks() < end)
		cpu_relax();
}
