// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Time: the TSC is the counter (timer_ticks()), the local APIC timer the interrupt source.
 * Frequencies come from the comm region (tsc_khz, apic_khz: a cell needs no calibration);
 * otherwise the TSC is calibrated against the ACPI PM timer (comm region pm_timer_address,
 * pm-timer=PORT, bare-metal q35 0x608) and the APIC timer against the TSC. tsc-khz= and
 * apic-khz= on the command line override everything.
 */
#include "internal.h"

#define PM_TIMER_MASK		0xffffff
#define CALIBRATE_PM_TICKS	(PM_TIMER_HZ / 100)	/* 10 ms */
#define CALIBRATE_US		10000
#define APIC_TDCR_DIV_1		0xb
#define FALLBACK_HZ		1000000000UL

static u64 tsc_hz = FALLBACK_HZ, apic_hz = FALLBACK_HZ;
static u16 pm_port;
static const char *tsc_source = "assumed";

unsigned int pm_timer_port(void)
{
	return pm_port;
}

const char *timer_source(void)
{
	return tsc_source;
}

static u32 pm_read(void)
{
	return inl(pm_port) & PM_TIMER_MASK;
}

/* TSC ticks over a whole number of PM timer ticks, starting at a PM tick edge. */
static u64 calibrate_tsc(void)
{
	u32 start, elapsed, p0 = pm_read();
	u64 t0, t1;

	do
		start = pm_read();
	while (start == p0);
	t0 = rdtsc();
	do
		elapsed = (pm_read() - start) & PM_TIMER_MASK;
	while (elapsed < CALIBRATE_PM_TICKS);
	t1 = rdtsc();
	return (t1 - t0) * PM_TIMER_HZ / elapsed;
}

static u64 calibrate_apic(void)
{
	u64 t0, t1;
	u32 c0, c1;

	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | IRQ_TIMER);
	apic_write(APIC_TDCR, APIC_TDCR_DIV_1);
	apic_write(APIC_TMICT, 0xffffffff);
	t0 = rdtsc();
	c0 = apic_read(APIC_TMCCT);
	delay_us(CALIBRATE_US);
	c1 = apic_read(APIC_TMCCT);
	t1 = rdtsc();
	apic_write(APIC_TMICT, 0);
	return (u64)(c0 - c1) * tsc_hz / (t1 - t0);
}

void timer_init(void)
{
	struct hv_comm_region *comm = comm_region();
	const struct hv_comm_x86 *x86 = comm ? hv_comm_x86_const(comm) : NULL;
	u64 khz;

	pm_port = x86 ? x86->pm_timer_address : inmate_defaults.pm_timer_port;
	pm_port = cmdline_get_u64("pm-timer", pm_port);

	khz = cmdline_get_u64("tsc-khz", x86 ? x86->tsc_khz : 0);
	if (khz) {
		tsc_hz = khz * 1000;
		tsc_source = x86 && x86->tsc_khz == khz ? "comm region" : "command line";
	} else if (pm_port) {
		tsc_hz = calibrate_tsc();
		tsc_source = "PM timer";
	} else {
		printk("inmate: no TSC frequency and no PM timer, assuming 1 GHz\n");
	}

	apic_write(APIC_TDCR, APIC_TDCR_DIV_1);
	khz = cmdline_get_u64("apic-khz", x86 ? x86->apic_khz : 0);
	apic_hz = khz ? khz * 1000 : calibrate_apic();
}

u64 timer_frequency(void)
{
	return tsc_hz;
}

u64 timer_ticks(void)
{
	return rdtsc();
}

/* Split so that ticks * 10^9 cannot overflow for any uptime. */
static u64 ticks_to_ns(u64 ticks, u64 hz)
{
	return ticks / hz * NS_PER_SEC + ticks % hz * NS_PER_SEC / hz;
}

static u64 ns_to_ticks(u64 ns, u64 hz)
{
	return ns / NS_PER_SEC * hz + ns % NS_PER_SEC * hz / NS_PER_SEC;
}

u64 timer_ticks_to_ns(u64 ticks)
{
	return ticks_to_ns(ticks, tsc_hz);
}

u64 timer_ns_to_ticks(u64 ns)
{
	return ns_to_ticks(ns, tsc_hz);
}

u64 apic_timer_frequency(void)
{
	return apic_hz;
}

u64 apic_timer_ticks_to_ns(u64 ticks)
{
	return ticks_to_ns(ticks, apic_hz);
}

static void apic_timer_start(u64 ns, u32 mode)
{
	u64 count = ns_to_ticks(ns, apic_hz);

	if (count > 0xffffffff)
		count = 0xffffffff;
	apic_write(APIC_TDCR, APIC_TDCR_DIV_1);
	apic_write(APIC_LVT_TIMER, mode | IRQ_TIMER);
	apic_write(APIC_TMICT, count ? count : 1);
}

void apic_timer_oneshot(u64 ns)
{
	apic_timer_start(ns, 0);
}

void apic_timer_periodic(u64 ns)
{
	apic_timer_start(ns, APIC_LVT_PERIODIC);
}

void apic_timer_stop(void)
{
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | IRQ_TIMER);
	apic_write(APIC_TMICT, 0);
}

/* The generic one-shot API in TSC ticks, on the APIC timer. */
void timer_arm_at(u64 deadline)
{
	u64 now = rdtsc();

	apic_timer_oneshot(deadline > now ? timer_ticks_to_ns(deadline - now) : 0);
}

u64 timer_arm(u64 delta)
{
	u64 deadline = rdtsc() + delta;

	timer_arm_at(deadline);
	return deadline;
}

void timer_stop(void)
{
	apic_timer_stop();
}

void delay_us(u64 us)
{
	u64 end = rdtsc() + timer_ns_to_ticks(us * 1000);

	while (rdtsc() < end)
		cpu_relax();
}
