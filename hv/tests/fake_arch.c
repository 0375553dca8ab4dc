// SPDX-License-Identifier: GPL-2.0
/*
 * A host stand-in for everything an architecture provides (arch.h), for unit tests of the
 * core's cell life cycle: "physical" memory is host memory mapped at its physical address,
 * stage 2 is a record of what each cell has mapped, CPUs do at once what a kick asks of
 * them. Single-threaded: the calling CPU is fake_this_cpu.
 */
#include <arch.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_MAPS	64

struct fake_map {
	const struct cell *cell;
	u64 guest, size;
};

static struct fake_map fake_maps[FAKE_MAPS];
static struct cell *fake_irq_owner[ARCH_NUM_IRQS];
static struct per_cpu *fake_this_cpu;
static u64 fake_now_us;
static bool fake_cell_init_fails;

int arch_init(const struct hvcfg_system *sys)
{
	return 0;
}

/* As a real arch: the cell's stage 2 holds its regions (the comm page: the cell's page). */
int arch_cell_init(struct cell *cell)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(cell->blob, cell->desc);
	unsigned int n;

	if (fake_cell_init_fails)
		return -ENOMEM;
	for (n = 0; n < cell->desc->num_mem_regions; n++)
		if (arch_map_region(cell, mem[n].guest_start, mem[n].phys_start, mem[n].size,
				    mem[n].flags))
			return -ENOMEM;
	return 0;
}

int arch_cpu_init(struct per_cpu *cpu)
{
	cpu->hw_id = cfg_cpu_hw_id(hv.config, cpu->id);
	return 0;
}

void arch_cpu_activate(struct per_cpu *cpu)
{
}

void arch_cpu_deactivate(struct per_cpu *cpu)
{
}

/*
 * CPUs that ignore the event (a direct-mode cell that blocked the management FIQ), and CPUs
 * that do not stop even when their cell is revoked (stuck in the hypervisor).
 */
static struct cpu_set fake_deaf, fake_stuck;
static bool fake_revoked[CONFIG_MAX_CELLS];
static unsigned int fake_revokes;

static void fake_park(struct per_cpu *cpu)
{
	cpu->state = cpu->state == CPU_FAILED || cpu->failed ? CPU_FAILED : CPU_PARKED;
	cpu->parked = true;
}

/* The kicked CPU does what is asked of it right away: park, or start its cell. */
void arch_send_event(struct per_cpu *target)
{
	if (target->park_request) {
		if (!cpu_set_has(&fake_deaf, target->id))
			fake_park(target);
	} else if (target->state == CPU_START_PENDING) {
		target->parked = false;
		target->state = CPU_RUNNING;
	}
}

void arch_apply_relocations(void)
{
}

struct per_cpu *this_cpu(void)
{
	return fake_this_cpu;
}

void arch_halt(void)
{
	abort();
}

/* Stage 2 as a list of (cell, range): unmapping splits, mapping adds. */
static int fake_add(const struct cell *cell, u64 guest, u64 size)
{
	unsigned int n;

	for (n = 0; n < FAKE_MAPS; n++) {
		if (!fake_maps[n].cell) {
			fake_maps[n] = (struct fake_map){ cell, guest, size };
			return 0;
		}
	}
	return -ENOMEM;
}

static int fake_remove(const struct cell *cell, u64 guest, u64 size)
{
	u64 end = guest + size;
	unsigned int n;

	for (n = 0; n < FAKE_MAPS; n++) {
		struct fake_map *m = &fake_maps[n];
		u64 m_end = m->guest + m->size;

		if (m->cell != cell || m_end <= guest || m->guest >= end)
			continue;
		if (m->guest < guest && m_end > end && fake_add(cell, end, m_end - end))
			return -ENOMEM;
		if (m->guest < guest)
			m->size = guest - m->guest;
		else if (m_end > end)
			*m = (struct fake_map){ cell, end, m_end - end };
		else
			m->cell = NULL;
	}
	return 0;
}

/* A new mapping replaces what was there, as a stage-2 descriptor would. */
int arch_map_region(struct cell *cell, u64 guest, u64 phys, u64 size, u64 flags)
{
	return fake_remove(cell, guest, size) ?: fake_add(cell, guest, size);
}

int arch_unmap_region(struct cell *cell, u64 guest, u64 size)
{
	return fake_remove(cell, guest, size);
}

/* Whether [guest, guest + size) of the cell is mapped whole. */
static bool fake_mapped(const struct cell *cell, u64 guest, u64 size)
{
	unsigned int n;

	while (size) {
		for (n = 0; n < FAKE_MAPS; n++)
			if (fake_maps[n].cell == cell && fake_maps[n].guest <= guest &&
			    guest < fake_maps[n].guest + fake_maps[n].size)
				break;
		if (n == FAKE_MAPS)
			return false;
		if (fake_maps[n].guest + fake_maps[n].size - guest >= size)
			return true;
		size -= fake_maps[n].guest + fake_maps[n].size - guest;
		guest = fake_maps[n].guest + fake_maps[n].size;
	}
	return true;
}

/* Whether any of [guest, guest + size) of the cell is mapped. */
static bool fake_any_mapped(const struct cell *cell, u64 guest, u64 size)
{
	unsigned int n;

	for (n = 0; n < FAKE_MAPS; n++)
		if (fake_maps[n].cell == cell && fake_maps[n].guest < guest + size &&
		    guest < fake_maps[n].guest + fake_maps[n].size)
			return true;
	return false;
}

void arch_flush_cell_tlb(struct cell *cell)
{
}

/* As arm64: the next access of each CPU of the cell faults, and a CPU asked to park parks. */
bool arch_cell_revoke(struct cell *cell)
{
	unsigned int n;

	fake_revoked[cell->id] = true;
	fake_revokes++;
	for_each_cpu(n, cell->cpu_set)
		if (per_cpu(n)->park_request && !cpu_set_has(&fake_stuck, n))
			fake_park(per_cpu(n));
	return true;
}

void arch_cell_unrevoke(struct cell *cell)
{
	fake_revoked[cell->id] = false;
}

void arch_cell_free(struct cell *cell)
{
	unsigned int n;

	fake_revoked[cell->id] = false;

	for (n = 0; n < FAKE_MAPS; n++)
		if (fake_maps[n].cell == cell)
			fake_maps[n].cell = NULL;
}

void *arch_map_temp(u64 phys, unsigned long pages)
{
	return (void *)(uintptr_t)phys;
}

void arch_unmap_temp(unsigned long pages)
{
}

unsigned long arch_temp_pages(void)
{
	return 512;
}

void arch_clean_dcache(void *addr, unsigned long size)
{
}

void arch_zero_pages(void *addr, unsigned long size)
{
	memset(addr, 0, size);
}

/* As arm: the pins of the distributor are the indices (the arm validator proved them SPIs). */
int arch_irq_index(const struct hvcfg_irqchip *chip, u32 pin)
{
	if (chip->address != cfg_arm_platform(hv.config)->gicd_base || pin >= ARCH_NUM_IRQS)
		return -1;
	return pin;
}

void arch_set_irq_owner(unsigned int irq, struct cell *cell)
{
	fake_irq_owner[irq] = cell;
}

/* Interrupts raised (a link end's INTx), by index; only those the cell owns count. */
static unsigned int fake_raised[ARCH_NUM_IRQS];

void arch_irq_raise(struct cell *cell, unsigned int irq)
{
	if (cell_owns_irq(cell, irq))
		fake_raised[irq]++;
}

void arch_fill_comm_region(struct cell *cell)
{
}

/* How the fake cells answer a shutdown request while the hypervisor waits. */
static u32 fake_cell_reply = HV_REPLY_APPROVED;	/* HV_REPLY_NONE: they stay silent */

void arch_udelay(unsigned long us)
{
	unsigned int id;

	fake_now_us += us;
	for (id = 1; id < CONFIG_MAX_CELLS; id++)
		if (hv.cells[id] && hv.cells[id]->comm->msg_to_cell == HV_MSG_SHUTDOWN_REQUEST)
			hv.cells[id]->comm->reply_from_cell = fake_cell_reply;
}

u64 arch_time_us(void)
{
	return fake_now_us += 1;
}
