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
	if (caller->cell != &hv.root && cpu->cell != caller->cell) {
		guest_warn(caller->cell, "CPU_GET_INFO of foreign CPU %lu refused (-EPERM)\n", id);
		return -EPERM;
	}
	if (type == HC_CPU_INFO_STATE)
		return cpu->state == CPU_FAILED ? HC_CPU_FAILED : HC_CPU_RUNNING;
	if (type < HC_CPU_INFO_STAT_BASE || type - HC_CPU_INFO_STAT_BASE >= NUM_EXIT_REASONS)
		return -EINVAL;
#ifdef CONFIG_EXIT_STATS
	return READ_ONCE(cpu->stats[type - HC_CPU_INFO_STAT_BASE]) & 0x7fffffff;
#else
	return -EOPNOTSUPP;	/* the counters are compiled out, which is not zero exits */
#endif
}

/*
 * A cell's line goes out behind its name, so that no cell can print what looks like the
 * hypervisor's or another cell's words; control characters that could move the cursor back
 * over that prefix are shown as '?'. An overlong line is broken, each part prefixed.
 */
static void flush_con_line(struct per_cpu *cpu, const char *end)
{
	cpu->con_line[cpu->con_len] = 0;
	if (cpu->cell == &hv.root)
		printk("%s%s", cpu->con_line, end);
	else
		printk("[%s] %s%s", cpu->cell->desc->name, cpu->con_line, end);
	cpu->con_len = 0;
}

static long debug_putc(struct per_cpu *cpu, unsigned long c)
{
	u32 flags = cpu->cell->desc->flags;
	char ch = (char)c;

	if (cpu->cell != &hv.root &&
	    !(flags & (HVCFG_CELL_VCONSOLE_PERMITTED | HVCFG_CELL_VCONSOLE_ACTIVE))) {
		guest_warn(cpu->cell, "console output not permitted (-EPERM)\n");
		return -EPERM;
	}
	/* whole lines at once: cells printing at the same time cannot garble each other */
	if (ch == '\n') {
		flush_con_line(cpu, "\n");
		return 0;
	}
	if (ch == '\r')
		return 0;
	if (ch != '\t' && (ch < 0x20 || ch > 0x7e))
		ch = '?';
	cpu->con_line[cpu->con_len++] = ch;
	if (cpu->con_len == sizeof(cpu->con_line) - 1)
		flush_con_line(cpu, "\n");
	return 0;
}

bool guest_warn_ok(struct cell *cell)
{
	unsigned int n = __atomic_fetch_add(&cell->warnings, 1, __ATOMIC_RELAXED);

	if (n == GUEST_WARN_LIMIT)
		pr_warn("Cell \"%s\": %u warnings, further ones suppressed until it restarts\n",
			cell->desc->name, n);
	return n < GUEST_WARN_LIMIT;
}

/* Only the root manages the system; a cell may ask for information and print. */
static bool management_call(unsigned long code)
{
	switch (code) {
	case HC_DISABLE:
	case HC_CELL_CREATE:
	case HC_CELL_START:
	case HC_CELL_SET_LOADABLE:
	case HC_CELL_DESTROY:
	case HC_CELL_GET_STATE:
		return true;
	}
	return false;
}

long hypercall(struct per_cpu *cpu, unsigned long code, unsigned long arg1, unsigned long arg2)
{
	stat_inc(cpu, EXIT_HYPERCALL);
	if (cpu->cell != &hv.root && management_call(code)) {
		guest_warn(cpu->cell, "management hypercall %lu from CPU %u refused (-EPERM)\n",
			   code, cpu->id);
		return -EPERM;
	}
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
	guest_warn(cpu->cell, "unknown hypercall %lu from CPU %u (-ENOSYS)\n", code, cpu->id);
	return -ENOSYS;
}
