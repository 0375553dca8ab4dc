// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Further CPUs: INIT + SIPI + SIPI (the MP start-up sequence) with the SIPI vector pointing at
 * the image's real-mode trampoline. An AP takes the first free stack in head.S; its number is
 * its logical CPU number, so nothing has to be agreed on before it runs.
 */
#include "internal.h"

#define INIT_DELAY_US		10000
#define SIPI_DELAY_US		200

static cpu_fn_t ap_fn;

static void start_sequence(unsigned int dest, u32 shorthand)
{
	u32 vector = ((uintptr_t)ap_trampoline >> 12) & 0xff;

	apic_send_icr(dest, shorthand | APIC_ICR_INIT | APIC_ICR_LEVEL_ASSERT);
	delay_us(INIT_DELAY_US);
	apic_send_icr(dest, shorthand | APIC_ICR_SIPI | vector);
	delay_us(SIPI_DELAY_US);
	/* A CPU that took the first SIPI ignores the second. */
	apic_send_icr(dest, shorthand | APIC_ICR_SIPI | vector);
	delay_us(SIPI_DELAY_US);
}

void smp_start_cpus(cpu_fn_t fn)
{
	ap_fn = fn;
	mb();
	start_sequence(0, APIC_DEST_ALL_BUT_SELF);
}

void smp_start_apic(unsigned int apic_id, cpu_fn_t fn)
{
	ap_fn = fn;
	mb();
	start_sequence(apic_id, 0);
}

unsigned int smp_cpus_online(void)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		n += per_cpus[cpu].online;
	return n;
}

bool cpu_online(unsigned int cpu)
{
	return cpu < MAX_CPUS && per_cpus[cpu].online;
}

unsigned int cpu_to_apic_id(unsigned int cpu)
{
	return per_cpus[cpu].apic_id;
}

unsigned int smp_stray_cpus(void)
{
	return stray_cpus;
}

unsigned int smp_wait_online(unsigned int count, u64 timeout_ms)
{
	u64 end = timer_ticks() + timer_ns_to_ticks(timeout_ms * 1000000);

	while (smp_cpus_online() < count && timer_ticks() < end)
		cpu_relax();
	return smp_cpus_online();
}

void secondary_c_entry(unsigned int cpu)
{
	struct per_cpu *pc = &per_cpus[cpu];

	pc->id = cpu;
	cpu_init(pc);
	pc->online = true;
	ap_fn(cpu);
	pc->online = false;
	apic_timer_stop();
}
