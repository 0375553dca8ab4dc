// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * C start-up of the boot CPU (the rest: arm-common/setup.c).
 */
#include "internal.h"

u64 cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
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
	printk(", psci %s, mmu %s, timer %llu Hz\n", psci_uses_smc() ? "smc" : "hvc",
	       mmu_enabled() ? "on" : "off", timer_frequency());
	if (mmu_tables_exhausted())
		printk("inmate: mmu off: the page tables after the image ran out (the cell's "
		       "loadable RAM ends too close to the image)\n");
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
	write_sysreg(tpidr_el1, pc);

	cmdline_init();
	comm_addr = comm_region_address(inmate_defaults.comm_region);
	if (cmdline_get_bool("mmu", true))
		mmu_init(comm_addr);
	comm_region_init(comm_addr);
	console_init();
	comm_region_check();
	gic_find_bases();
	/* Report asynchronous aborts instead of leaving them pending forever. */
	__asm__ volatile("msr daifclr, #4" : : : "memory");
	print_banner();

	inmate_main();
	inmate_exit();
}
