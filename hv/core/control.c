// SPDX-License-Identifier: GPL-2.0
/* Hypercall dispatch and the management operations of the core. */
#include <hv.h>

static spinlock_t control_lock;
static unsigned int disable_arrived;

static long count_cells(void);

/*
 * Every running root CPU calls DISABLE; they meet here so that no CPU leaves while another
 * still relies on the hypervisor (e.g. to deliver its IPIs).
 */
static long hv_disable(struct per_cpu *cpu)
{
	unsigned int n, running = 0;

	if (cpu->cell != &hv.root)
		return -EPERM;
	if (count_cells() > 1)
		return -EBUSY;	/* cells would lose their hypervisor: destroy them first */
	spin_lock(&control_lock);
	for_each_cpu(n, hv.root.cpu_set) {
		if (per_cpu(n)->state == CPU_RUNNING)
			running++;
		else if (per_cpu(n)->state != CPU_FAILED) {
			spin_unlock(&control_lock);
			return -EBUSY;	/* parked root CPUs would be stranded */
		}
	}
	disable_arrived++;
	spin_unlock(&control_lock);
	while (READ_ONCE(disable_arrived) < running)
		cpu_relax();
	if (cpu->id == 0)
		pr_info("Hypervisor: disabled, CPUs returned to Linux\n");
	cpu->leave = true;
	return 0;
}

static long count_cells(void)
{
	long n = 0;
	unsigned int id;

	for (id = 0; id < CONFIG_MAX_CELLS; id++)
		n += hv.cells[id] != NULL;
	return n;
}

static long get_info(unsigned long type)
{
	switch (type) {
	case HC_INFO_MEM_POOL_SIZE:
		return mem_pool.pages;
	case HC_INFO_MEM_POOL_USED:
		return mem_pool.used;
	case HC_INFO_REMAP_POOL_SIZE:
	case HC_INFO_REMAP_POOL_USED:
		return 0;
	case HC_INFO_NUM_CELLS:
		return count_cells();
	}
	return -EINVAL;
}

static long cpu_get_info(struct per_cpu *caller, unsigned long id, unsigned long type)
{
	struct per_cpu *cpu;

	if (id >= hv.num_cpus)
		return -EINVAL;
	cpu = per_cpu(id);
	if (caller->cell != &hv.root && cpu->cell != caller->cell)
		return -EPERM;
	if (type == HC_CPU_INFO_STATE)
		return cpu->state == CPU_FAILED ? HC_CPU_FAILED : HC_CPU_RUNNING;
#ifdef CONFIG_EXIT_STATS
	if (type >= HC_CPU_INFO_STAT_BASE && type - HC_CPU_INFO_STAT_BASE < NUM_EXIT_REASONS)
		return READ_ONCE(cpu->stats[type - HC_CPU_INFO_STAT_BASE]) & 0x7fffffff;
#endif
	return -EINVAL;
}

static long debug_putc(struct per_cpu *cpu, unsigned long c)
{
	u32 flags = cpu->cell->desc->flags;

	if (cpu->cell != &hv.root &&
	    !(flags & (HVCFG_CELL_VCONSOLE_PERMITTED | HVCFG_CELL_VCONSOLE_ACTIVE)))
		return -EPERM;
	console_putc((char)c);
	return 0;
}

long hypercall(struct per_cpu *cpu, unsigned long code, unsigned long arg1, unsigned long arg2)
{
	stat_inc(cpu, EXIT_HYPERCALL);
	switch (code) {
	case HC_DISABLE:
		return hv_disable(cpu);
	case HC_HYPERVISOR_GET_INFO:
		return get_info(arg1);
	case HC_CPU_GET_INFO:
		return cpu_get_info(cpu, arg1, arg2);
	case HC_DEBUG_CONSOLE_PUTC:
		return debug_putc(cpu, arg1);
	case HC_CELL_CREATE:
		return cell_create(cpu, arg1);
	case HC_CELL_START:
		return cell_start(cpu, arg1);
	case HC_CELL_SET_LOADABLE:
		return cell_set_loadable(cpu, arg1);
	case HC_CELL_DESTROY:
		return cell_destroy(cpu, arg1);
	case HC_CELL_GET_STATE:
		return cell_get_state(cpu, arg1);
	}
	return -ENOSYS;
}
