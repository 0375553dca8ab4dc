// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * C start-up of the first CPU, stopping, and the per-CPU bookkeeping.
 */
#include "internal.h"

/* QEMU q35 (ICH9): PM1a control at PMBASE 0x600 + 4; SLP_EN with SLP_TYP 0 is S5. */
#define Q35_PM1_CNT		0x604
#define PM1_SLP_EN		(1 << 13)

/* Stack n belongs to logical CPU n; bit n of stack_busy says it is taken (head.S). */
u8 stacks[MAX_CPUS][STACK_SIZE] __aligned(16);
struct per_cpu per_cpus[MAX_CPUS];
volatile u32 stack_busy, stray_cpus;

unsigned int cpu_id(void)
{
	return this_cpu()->id;
}

unsigned int cpu_apic_id(void)
{
	return this_cpu()->apic_id;
}

/* Per-CPU pointer in GS.base and the IDT: from here on a fault is reported. */
static void cpu_early_init(struct per_cpu *pc)
{
	pc->self = pc;
	wrmsr(MSR_GS_BASE, (uintptr_t)pc);
	idt_load();
}

static void save_entry_apic(void)
{
	entry_state.apic_svr = apic_read(APIC_SVR);
	entry_state.apic_tpr = apic_read(APIC_TPR);
	entry_state.apic_lvt_timer = apic_read(APIC_LVT_TIMER);
	entry_state.apic_lint0 = apic_read(APIC_LVT_LINT0);
	entry_state.apic_lint1 = apic_read(APIC_LVT_LINT1);
	entry_state.apic_lvt_error = apic_read(APIC_LVT_ERROR);
	entry_state.apic_tmict = apic_read(APIC_TMICT);
	entry_state.apic_tdcr = apic_read(APIC_TDCR);
}

static void cpu_apic_init(struct per_cpu *pc)
{
	pc->apic_id = apic_id();
	apic_cpu_init();
	pc->apic_ready = true;
}

void cpu_init(struct per_cpu *pc)
{
	cpu_early_init(pc);
	cpu_apic_init(pc);
}

static void print_banner(void)
{
	struct hv_comm_region *comm = comm_region();

	if (cmdline_get_bool("quiet", false))
		return;
	printk("inmate: %s image at 0x%llx, cpu0 apic id %u, console %s, comm region ",
	       inmate_defaults.variant, (u64)(uintptr_t)__image_start, cpu_apic_id(),
	       console_name());
	if (comm)
		printk("0x%llx", (u64)(uintptr_t)comm);
	else
		printk("none");
	printk(", tsc %llu kHz (%s), apic timer %llu kHz\n", timer_frequency() / 1000,
	       timer_source(), apic_timer_frequency() / 1000);
	if (cmdline()[0])
		printk("inmate: command line \"%s\"\n", cmdline());
}

void c_entry(void)
{
	struct per_cpu *pc = &per_cpus[0];

	stack_busy = 1;
	pc->id = 0;
	idt_init();
	cpu_early_init(pc);

	cmdline_init();
	comm_region_init(comm_region_address(inmate_defaults.comm_region));
	console_init();
	comm_region_check();
	/* The APIC after the console: a hypervisor that refuses an access gets a report. */
	save_entry_apic();
	cpu_apic_init(pc);
	pc->online = true;
	timer_init();
	print_banner();

	inmate_main();
	inmate_exit();
}

void __noreturn cpu_halt(void)
{
	local_irq_disable();
	/*
	 * A parked CPU with a live timer would keep the hypervisor busy with its interrupt. Not
	 * before the APIC was set up: a fault on the way there must not fault again here.
	 */
	if (this_cpu()->apic_ready)
		apic_timer_stop();
	for (;;)
		wfi();
}

void __noreturn inmate_exit(void)
{
	struct hv_comm_region *comm = comm_region();

	if (comm) {
		/* SHUT_DOWN is terminal and counts as consent to any later shutdown request. */
		comm_region_set_state(HV_CELL_SHUT_DOWN);
		cpu_halt();
	}
	/* A cell image never touches ports it was not given: only bare-metal powers off. */
	if (inmate_defaults.baremetal)
		outw(Q35_PM1_CNT, PM1_SLP_EN);
	cpu_halt();
}
