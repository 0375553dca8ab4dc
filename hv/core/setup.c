// SPDX-License-Identifier: GPL-2.0
/*
 * Enable: every CPU the driver sends arrives in hv_entry(). The first one validates the system
 * config and builds the shared state; then each CPU prepares itself, and only when all of them
 * arrived without error does any CPU start trapping its guest. An error anywhere sends every
 * CPU back to Linux untouched: an enable is never half-applied.
 */
#include <hv.h>
#include <asm/cfg_limits.h>
#include "config_check.h"
#include <refusal.h>
#include <ivshmem_core.h>

struct hv_system hv;
struct page_pool mem_pool;
u8 per_cpu_area[CONFIG_MAX_CPUS][PERCPU_SIZE] __aligned(PAGE_SIZE) __section(".bss.percpu");

extern struct hv_header hv_header;

static spinlock_t init_lock;
static bool init_done;
static int init_error;
static int enable_error;
static unsigned int entered;

static int check_config(const struct hvcfg_system **out)
{
	const struct hv_header *h = hv.header;
	struct cfg_limits lim = ARCH_CFG_LIMITS(CONFIG_MAX_CPUS);
	const struct hvcfg_system *sys;
	struct cfg_status st;
	int err;

	if (h->config_offset < h->core_size || h->config_size > h->mem_size ||
	    h->config_offset > h->mem_size - h->config_size) {
		pr_err("config: not where the header says (offset 0x%llx size 0x%llx)\n",
		       h->config_offset, h->config_size);
		return hv_refusal_ret(CFG_E_TRUNCATED);
	}
	sys = hv_phys_to_virt(hv.phys_base + h->config_offset);
	err = cfg_check_system(sys, h->config_size, &lim, &st);
	if (err) {
		pr_err("config: %s (0x%llx)\n", cfg_result_text(st.code), st.detail);
		return hv_refusal_ret(st.code);
	}
	if (sys->hypervisor_mem_base != hv.phys_base ||
	    sys->hypervisor_mem_size != h->mem_size) {
		pr_err("config: hypervisor memory 0x%llx+0x%llx, but loaded at 0x%llx+0x%llx\n",
		       sys->hypervisor_mem_base, sys->hypervisor_mem_size, hv.phys_base,
		       h->mem_size);
		return hv_refusal_ret(CFG_E_HV_MEM);
	}
	*out = sys;
	return 0;
}

static int init_root_cell(const struct hvcfg_system *sys)
{
	struct cell *root = &hv.root;
	unsigned int n;
	u32 pos = 0;
	int irq, err;

	root->id = 0;
	hv.cells[0] = root;
	root->blob = sys;
	root->desc = &sys->root_cell;
	for (n = 0; n < sys->num_cpus; n++)
		if (cfg_cpu_in_set(sys, root->desc, n))
			cpu_set_add(&root->cpu_set, n);
	while ((irq = desc_next_irq(sys, root->desc, &pos)) >= 0)
		if (irq < ARCH_NUM_IRQS)
			root->irq_bitmap[irq / 64] |= 1ULL << (irq % 64);
	err = arch_cell_init(root);
	if (!err)
		err = ivshmem_init(sys);
	if (!err)
		err = ivshmem_cell_init(root);
	if (!err)
		ivshmem_cell_connect(root);
	return err;
}

static int init_global(void)
{
	const struct hvcfg_system *sys = NULL;
	u64 pool_start;
	int err;

	hv.header = &hv_header;
	hv.phys_base = hv_virt_to_phys(&hv_header);
	err = check_config(&sys);
	if (err)
		return err;
	hv.config = sys;
	hv.num_cpus = sys->num_cpus;
	console_init(&sys->debug_console);

	pool_start = ALIGN_UP(hv.header->config_offset + hv.header->config_size, PAGE_SIZE);
	err = page_pool_init(&mem_pool, hv_phys_to_virt(hv.phys_base + pool_start),
			     (hv.header->mem_size - pool_start) / PAGE_SIZE);
	if (err) {
		pr_err("hypervisor memory too small for the page pool\n");
		return err;
	}
	err = arch_init(sys);
	if (!err)
		err = init_root_cell(sys);
	if (!err)
		pr_info("Hypervisor: %u CPUs, memory 0x%llx+0x%llx, page pool %lu pages, %lu used\n",
			hv.header->online_cpus, hv.phys_base, hv.header->mem_size, mem_pool.pages,
			mem_pool.used);
	return err;
}

static int init_cpu(struct per_cpu *cpu, unsigned int id)
{
	const struct hvcfg_system *sys = hv.config;
	int err;

	cpu->id = id;
	cpu->cell = &hv.root;
	if (id >= sys->num_cpus || !cpu_set_has(&hv.root.cpu_set, id)) {
		pr_err("CPU %u: not a CPU of the root cell\n", id);
		return -ENODEV;
	}
	err = arch_cpu_init(cpu);
	if (err)
		return err;
	if (cpu->hw_id != cfg_cpu_hw_id(sys, id)) {
		pr_err("CPU %u: hardware id 0x%llx, config says 0x%llx\n", id, cpu->hw_id,
		       cfg_cpu_hw_id(sys, id));
		return -ENODEV;
	}
	return 0;
}

static void wait_for_all(void)
{
	__atomic_add_fetch(&entered, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&entered, __ATOMIC_ACQUIRE) < hv.header->online_cpus)
		cpu_relax();
}

int hv_entry(unsigned int cpu_id)
{
	struct per_cpu *cpu = per_cpu(cpu_id);
	int err, expected = 0;

	spin_lock(&init_lock);
	if (!init_done) {
		arch_apply_relocations();
		init_error = init_global();
		init_done = true;
	}
	spin_unlock(&init_lock);

	err = init_error ? init_error : init_cpu(cpu, cpu_id);
	if (err)
		__atomic_compare_exchange_n(&enable_error, &expected, err, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	wait_for_all();
	err = __atomic_load_n(&enable_error, __ATOMIC_ACQUIRE);
	if (err) {
		arch_cpu_deactivate(cpu);
		return err;
	}
	cpu->state = CPU_RUNNING;
	arch_cpu_activate(cpu);
	if (cpu_id == 0 || __atomic_load_n(&entered, __ATOMIC_ACQUIRE) == 1)
		pr_info("Hypervisor: CPU %u activated, root cell \"%s\" runs as guest\n",
			cpu_id, hv.root.desc->name);
	return 0;
}

struct per_cpu *cpu_by_hw_id(u64 hw_id)
{
	unsigned int n;

	for (n = 0; n < hv.num_cpus; n++)
		if (per_cpu(n)->hw_id == hw_id)
			return per_cpu(n);
	return NULL;
}

void hv_panic_stop(void)
{
	unsigned int n;

	hv.panicked = 1;
	for (n = 0; n < hv.num_cpus; n++)
		if (per_cpu(n) != this_cpu())
			arch_send_event(per_cpu(n));
	pr_err("Hypervisor stopped: CPU %u halted\n", this_cpu()->id);
	arch_halt();
}
