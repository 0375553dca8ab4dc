// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * C start-up of the boot CPU, stopping, the per-CPU bookkeeping and the (absent) memory map:
 * the library runs with the MMU off, so every access is Strongly-ordered and uncached.
 */
#include "internal.h"

struct per_cpu per_cpus[MAX_CPUS];

/*
 * The stacks (inmate.lds) are one per CPU of the cell the image was linked for, plus a spare
 * one for a CPU that arrived with a bad context id. __stack_cpus is an absolute symbol: its
 * address is the count.
 */
extern char __stack_cpus[];
static const uintptr_t stack_cpus = (uintptr_t)__stack_cpus;

unsigned int smp_cpu_limit(void)
{
	return stack_cpus < MAX_CPUS ? stack_cpus : MAX_CPUS;
}

unsigned int cpu_id(void)
{
	struct per_cpu *pc = this_cpu();

	/* A CPU that never got its per-CPU data (bad context id) still reports something. */
	return pc ? pc->id : MAX_CPUS;
}

u64 cpu_mpidr(void)
{
	return arm_read_cp32(MPIDR) & MPIDR_AFF_MASK;
}

bool mmu_enabled(void)
{
	return false;
}

int map_range(u64 addr, u64 size, enum map_type type)
{
	(void)addr, (void)size, (void)type;
	return 0;
}

int remap_range(u64 addr, u64 size, enum map_type type)
{
	return map_range(addr, size, type);
}

static u64 comm_region_address(void)
{
	char buf[8];

	if (cmdline_get_str("comm", buf, sizeof(buf)) && !strncmp(buf, "none", 5))
		return 0;
	return cmdline_get_u64("comm", inmate_defaults.comm_region);
}

static void print_banner(void)
{
	struct hv_comm_region *comm = comm_region();

	if (cmdline_get_bool("quiet", false))
		return;
	printk("inmate: %s image at 0x%llx, cpu0 mpidr 0x%llx, console %s, comm region ",
	       inmate_defaults.variant, (u64)(uintptr_t)__image_start, cpu_mpidr(),
	       console_name());
	if (comm)
		printk("0x%llx", (u64)(uintptr_t)comm);
	else
		printk("none");
	printk(", psci %s, mmu off, timer %llu Hz\n", psci_uses_smc() ? "smc" : "hvc",
	       timer_frequency());
	if (cmdline()[0])
		printk("inmate: command line \"%s\"\n", cmdline());
}

void c_entry(void)
{
	struct per_cpu *pc = &per_cpus[0];
	u64 comm_addr;

	pc->id = 0;
	pc->mpidr = cpu_mpidr();
	pc->online = true;
	arm_write_cp32(TPIDRPRW, pc);

	cmdline_init();
	comm_addr = comm_region_address();
	comm_region_init(comm_addr);
	console_init();
	comm_region_check();
	gic_find_bases();
	/* Report asynchronous aborts instead of leaving them pending forever. */
	__asm__ volatile("cpsie a" : : : "memory");
	print_banner();

	inmate_main();
	inmate_exit();
}

void __noreturn cpu_halt(void)
{
	local_irq_disable();
	/* A parked CPU with a live timer would keep the hypervisor busy injecting its IRQ. */
	timer_stop();
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
	psci_system_off();
	cpu_halt();
}
