// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * C start-up of the boot CPU and the (absent) memory map: the library runs with the MMU off, so
 * every access is Strongly-ordered and uncached (the rest: arm-common/setup.c).
 */
#include "internal.h"

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
	comm_addr = comm_region_address(inmate_defaults.comm_region);
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
