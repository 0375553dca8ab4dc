// SPDX-License-Identifier: GPL-2.0
/*
 * Non-root cells: create, set loadable (load/shut down), start, destroy, state. The root asks,
 * the hypervisor decides: a cell blob is copied out of the root's memory and validated in full
 * against the live system before anything changes. CPUs arrive parked (Linux offlined them)
 * and leave parked (Linux onlines them again); memory leaves the root's stage 2 while a cell
 * holds it and comes back scrubbed (cell_mem.c), interrupts go with the cell and come back
 * (cell_irq.c). This file is the life cycle, its locking and the messages to the cell; comm
 * region messages follow Jailhouse (comm_region.h).
 */
#include <cell_internal.h>
#include <asm/cfg_limits.h>

/*
 * How long a CPU the root just took offline may take to arrive parked: Linux may return from
 * its offline before the CPU's last instruction (x86 does not wait for the final HLT).
 */
#define PARK_WAIT_US	100000

static spinlock_t cell_lock;

static struct cell *cell_by_id(unsigned long id)
{
	return id < CONFIG_MAX_CELLS ? hv.cells[id] : NULL;
}

static bool parks_soon(struct per_cpu *cpu)
{
	u64 start = arch_time_us();

	while (cpu->state != CPU_PARKED || !READ_ONCE(cpu->parked)) {
		if (arch_time_us() - start > PARK_WAIT_US)
			return false;
		arch_udelay(POLL_US);
	}
	return true;
}

static bool may_lock(const struct cell *cell)
{
	return cell->desc->flags & HVCFG_CELL_MAY_LOCK;
}

/*
 * The state the cell wrote into its comm region, judged: garbage counts as FAILED, and
 * RUNNING_LOCKED from a cell whose configuration does not allow it as plain RUNNING.
 */
static u32 cell_state(struct cell *cell)
{
	u32 state = READ_ONCE(cell->comm->cell_state);

	if (state == HV_CELL_RUNNING_LOCKED && !may_lock(cell)) {
		guest_warn(cell, "RUNNING_LOCKED without may-lock in its configuration: ignored\n");
		return HV_CELL_RUNNING;
	}
	return state <= HV_CELL_FAILED_COMM_REV ? state : HV_CELL_FAILED;
}

static bool cell_terminal(struct cell *cell)
{
	u32 state = cell_state(cell);

	return state != HV_CELL_RUNNING && state != HV_CELL_RUNNING_LOCKED;
}

/*
 * The wait for a reply in microseconds: the cell's msg_reply_timeout, bounded by the hypervisor's
 * limit (0 means the limit), so a silent cell cannot hold management for longer.
 */
static u64 reply_timeout_us(const struct cell *cell)
{
	u64 timeout = cell->desc->msg_reply_timeout;

	return timeout && timeout < HVCFG_MSG_REPLY_LIMIT_US ? timeout : HVCFG_MSG_REPLY_LIMIT_US;
}

/*
 * Send a message and wait for the answer. A passive cell, or one that is not running, is not
 * asked (consent implied). No answer within reply_timeout_us(): the cell is FAILED.
 * Returns whether the cell agreed (or received the information).
 */
static bool send_message(struct cell *cell, u32 msg, u32 wanted)
{
	struct hv_comm_region *comm = cell->comm;
	u64 timeout = reply_timeout_us(cell), start = arch_time_us(), waited;
	u32 reply;

	if (cell->desc->flags & HVCFG_CELL_PASSIVE_COMMREG || cell_terminal(cell))
		return true;
	WRITE_ONCE(comm->reply_from_cell, HV_REPLY_NONE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(comm->msg_to_cell, msg);
	for (;;) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		reply = READ_ONCE(comm->reply_from_cell);
		if (cell_terminal(cell) || reply == wanted)
			return true;
		if (reply != HV_REPLY_NONE && !may_lock(cell)) {
			guest_warn(cell, "reply %u to message %u without may-lock: taken as consent\n",
				   reply, msg);
			return true;
		}
		if (reply != HV_REPLY_NONE)
			return false;
		waited = arch_time_us() - start;
		if (waited >= timeout) {
			WRITE_ONCE(comm->msg_to_cell, HV_MSG_NONE);
			pr_err("Cell \"%s\": no reply to message %u within %lu us: FAILED\n",
			       cell->desc->name, msg, (unsigned long)waited);
			set_cell_state(cell, HV_CELL_FAILED);
			return true;
		}
		arch_udelay(POLL_US);
	}
}

static int shutdown_ok(struct cell *cell)
{
	if (send_message(cell, HV_MSG_SHUTDOWN_REQUEST, HV_REPLY_APPROVED))
		return 0;
	pr_info("Cell \"%s\" denied the shutdown request\n", cell->desc->name);
	return hv_refusal_ret(HV_R_SHUTDOWN_DENIED);
}

/* RUNNING_LOCKED in any cell but except vetoes reconfiguration of the system. */
static struct cell *locked_cell(const struct cell *except)
{
	unsigned int id;

	for (id = 1; id < CONFIG_MAX_CELLS; id++)
		if (hv.cells[id] && hv.cells[id] != except &&
		    cell_state(hv.cells[id]) == HV_CELL_RUNNING_LOCKED)
			return hv.cells[id];
	return NULL;
}

static void reconfig_completed(void)
{
	unsigned int id;

	for (id = 1; id < CONFIG_MAX_CELLS; id++)
		if (hv.cells[id])
			send_message(hv.cells[id], HV_MSG_RECONFIG_COMPLETED, HV_REPLY_RECEIVED);
}

/* Find the cell for a management call of the root; takes cell_lock on success. */
static long prologue(struct per_cpu *caller, unsigned long id, struct cell **out)
{
	struct cell *cell;

	if (caller->cell != &hv.root)
		return hv_refusal_ret(HV_R_NOT_ROOT);
	spin_lock(&cell_lock);
	cell = cell_by_id(id);
	if (!cell) {
		spin_unlock(&cell_lock);
		return hv_refusal_ret(HV_R_NO_CELL);
	}
	if (cell == &hv.root) {
		spin_unlock(&cell_lock);
		return hv_refusal_ret(HV_R_ROOT_CELL);
	}
	*out = cell;
	return 0;
}

/* Ports are one cell's alone (the root's aside), and never the hypervisor console's. */
static long pio_check_live(const struct hvcfg_cell *cfg)
{
	const struct hvcfg_console *con = &hv.config->debug_console;
	const struct hvcfg_pio_region *pio = cfg_pio_regions(cfg, &cfg->cell), *other;
	unsigned int n, m, id;

	for (n = 0; n < cfg->cell.num_pio_regions; n++) {
		if (con->type == HVCFG_CONSOLE_8250_PIO &&
		    cfg_overlaps(pio[n].base, pio[n].length, con->base, con->size))
			return refuse(HV_R_PORT_HELD, "ports 0x%x+%u: the hypervisor console's\n",
				      pio[n].base, pio[n].length);
		for (id = 1; id < CONFIG_MAX_CELLS; id++) {
			if (!hv.cells[id])
				continue;
			other = cfg_pio_regions(hv.cells[id]->blob, hv.cells[id]->desc);
			for (m = 0; m < hv.cells[id]->desc->num_pio_regions; m++)
				if (cfg_overlaps(pio[n].base, pio[n].length, other[m].base,
						 other[m].length))
					return refuse(HV_R_PORT_HELD, "ports 0x%x+%u: held by cell %u\n",
						      pio[n].base, pio[n].length, id);
		}
	}
	return 0;
}

/*
 * What cfg_check_cell_in_system() cannot know: the system as it is now. The blob fits the
 * system as configured (digest, CPUs, regions and interrupts of the root's configuration).
 */
static long check_live(const struct hvcfg_cell *cfg, struct per_cpu *caller)
{
	const struct hvcfg_cell_desc *desc = &cfg->cell;
	unsigned int n, id;
	long err;

	for (id = 0; id < CONFIG_MAX_CELLS; id++)
		if (hv.cells[id] && !memcmp(hv.cells[id]->desc->name, desc->name, HVCFG_NAME_LEN))
			return refuse(HV_R_NAME_TAKEN, "a cell named \"%s\" exists (id %u)\n",
				      desc->name, id);
	for (n = 0; n < desc->num_cpu_words * 64; n++) {
		if (!cfg_cpu_in_set(cfg, desc, n))
			continue;
		if (!cpu_set_has(&hv.root.cpu_set, n))
			return refuse(HV_R_CPU_NOT_ROOT, "CPU %u is not the root's\n", n);
		if (per_cpu(n) == caller)
			return refuse(HV_R_CPU_CALLER, "CPU %u is the calling CPU\n", n);
		if (!parks_soon(per_cpu(n)))
			return refuse(HV_R_CPU_ONLINE, "CPU %u is still online in the root\n", n);
	}
	err = cell_mem_check_live(cfg);
	if (!err)
		err = cell_irq_check_live(cfg);
	if (!err)
		err = pio_check_live(cfg);
	if (!err)
		err = pci_check_live(cfg);
	if (!err)
		err = ivshmem_check_live(cfg);
	if (err)
		return err;
	for (id = 1; id < CONFIG_MAX_CELLS && hv.cells[id]; id++)
		;
	if (id >= CONFIG_MAX_CELLS)
		return refuse(HV_R_NO_SLOT, "all %u cell slots are in use\n", CONFIG_MAX_CELLS);
	return id;
}

/* The set as one hex number, most significant word first (as Linux prints a cpumask). */
static const char *cpu_set_hex(const struct cpu_set *set, char *buf, size_t size)
{
	int n = CPU_SET_WORDS - 1;
	size_t len;

	while (n > 0 && !set->w[n])
		n--;
	len = snprintf(buf, size, "%llx", set->w[n]);
	while (--n >= 0 && len < size)
		len += snprintf(buf + len, size - len, "%016llx", set->w[n]);
	return buf;
}

static void free_cell(struct cell *cell)
{
	pci_cell_free(cell);
	arch_cell_free(cell);
	page_free(&mem_pool, cell->comm, 1);
	page_free(&mem_pool, (void *)cell->blob, cell->blob_pages);
	page_free(&mem_pool, cell, ALIGN_UP(sizeof(*cell), PAGE_SIZE) / PAGE_SIZE);
}

long cell_create(struct per_cpu *caller, u64 config_phys)
{
	struct cfg_limits lim = ARCH_CFG_LIMITS(CONFIG_MAX_CPUS);
	unsigned long pages = 0, size;
	struct cfg_status st;
	struct hvcfg_cell *cfg = NULL;
	struct cell *cell, *locked;
	unsigned int n;
	char hex[CPU_SET_WORDS * 16 + 1];
	long err, id;

	if (caller->cell != &hv.root)
		return hv_refusal_ret(HV_R_NOT_ROOT);
	spin_lock(&cell_lock);
	locked = locked_cell(NULL);
	if (locked) {
		err = refuse(HV_R_LOCKED, "cell %u (\"%s\") is RUNNING_LOCKED\n", locked->id,
			     locked->desc->name);
		goto out;
	}
	err = cell_mem_copy_blob(config_phys, (void **)&cfg, &size, &pages);
	if (err)
		goto out;
	err = cfg_check_cell_in_system(hv.config, hv.config->header.total_size, cfg, size, &lim,
				       &st);
	if (err) {
		err = refuse(st.code, "cell configuration: %s (0x%llx)\n", cfg_result_text(st.code),
			     st.detail);
		goto out_blob;
	}
	id = check_live(cfg, caller);
	if (id < 0) {
		err = id;
		goto out_blob;
	}
	cell = page_alloc(&mem_pool, ALIGN_UP(sizeof(*cell), PAGE_SIZE) / PAGE_SIZE);
	if (!cell) {
		err = refuse(HV_R_NO_MEMORY, "out of hypervisor memory\n");
		goto out_blob;
	}
	cell->id = id;
	cell->blob = cfg;
	cell->blob_pages = pages;
	cell->desc = &cfg->cell;
	for (n = 0; n < hv.num_cpus; n++)
		if (cfg_cpu_in_set(cfg, cell->desc, n))
			cpu_set_add(&cell->cpu_set, n);
	cell->comm = page_alloc(&mem_pool, 1);
	err = cell->comm ? arch_cell_init(cell) : -ENOMEM;
	if (!err)
		err = ivshmem_cell_init(cell);
	if (err) {
		err = refuse(HV_R_NO_MEMORY, "out of hypervisor memory for the cell's page tables\n");
		free_cell(cell);
		goto out;
	}
	/* root Linux let go of the functions before the request (the driver) */
	err = pci_cell_take(cell);
	if (err) {
		free_cell(cell);
		goto out;
	}
	set_cell_state(cell, HV_CELL_SHUT_DOWN);

	/* from here on the cell exists: its memory and PCI functions leave the root */
	hv.cells[id] = cell;
	err = cell_mem_take(cell);
	if (err) {
		hv.cells[id] = NULL;
		cell_mem_give_back(cell, false);
		pci_cell_give_back(cell);
		err = refuse(HV_R_NO_MEMORY, "out of hypervisor memory for the root's page tables\n");
		free_cell(cell);
		goto out;
	}
	cpu_set_andnot(&hv.root.cpu_set, &cell->cpu_set);
	for_each_cpu(n, cell->cpu_set) {
		per_cpu(n)->cell = cell;
		per_cpu(n)->failed = false;
	}
	cell_irq_move(&hv.root, cell, cell);
	ivshmem_cell_connect(cell);
	pr_info("Created cell \"%s\" (id %ld), CPUs 0x%s, %u memory regions, pool %lu/%lu pages\n",
		cell->desc->name, id, cpu_set_hex(&cell->cpu_set, hex, sizeof(hex)),
		cell->desc->num_mem_regions, mem_pool.used, mem_pool.pages);
	spin_unlock(&cell_lock);
	reconfig_completed();
	return id;

out_blob:
	page_free(&mem_pool, cfg, pages);
out:
	spin_unlock(&cell_lock);
	return err;
}

long cell_set_loadable(struct per_cpu *caller, unsigned long id)
{
	struct cell *cell;
	long err = prologue(caller, id, &cell);

	if (err)
		return err;
	err = shutdown_ok(cell);
	if (!err)
		err = cell_stop_cpus(cell);
	if (err)
		goto out;
	if (cell_state(cell) != HV_CELL_FAILED)
		set_cell_state(cell, HV_CELL_SHUT_DOWN);
	ivshmem_cell_stopped(cell);
	if (!cell->loadable) {
		if (cell->ran)
			cell_mem_scrub(cell, true);
		cell->ran = false;
		err = cell_mem_root_sees_loadable(cell, true);
		cell->loadable = true;
	}
	pr_info("Cell \"%s\" stopped, loadable regions mapped into the root\n", cell->desc->name);
out:
	spin_unlock(&cell_lock);
	return err;
}

long cell_start(struct per_cpu *caller, unsigned long id)
{
	struct per_cpu *first = NULL;
	struct cell *cell;
	unsigned int n;
	long err = prologue(caller, id, &cell);

	if (err)
		return err;
	err = shutdown_ok(cell);
	if (!err)
		err = cell_stop_cpus(cell);
	if (err)
		goto out;
	if (cell->loadable) {
		err = cell_mem_root_sees_loadable(cell, false);
		arch_flush_cell_tlb(&hv.root);
		if (err)
			goto out;
		cell->loadable = false;
	}
	comm_region_fill(cell);
	ivshmem_cell_reset(cell);
	cell->ran = true;
	cell->warnings = 0;
	for_each_cpu(n, cell->cpu_set) {
		struct per_cpu *cpu = per_cpu(n);

		cpu->failed = false;
		cpu->state = CPU_PARKED;
		cpu->con_len = 0;
		if (!first)
			first = cpu;
		else
			WRITE_ONCE(cpu->park_request, false);
	}
	first->start_address = cell->desc->cpu_reset_address;
	first->start_context = 0;
	first->state = CPU_START_PENDING;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(first->park_request, false);
	arch_send_event(first);
	pr_info("Started cell \"%s\" on CPU %u at 0x%llx\n", cell->desc->name, first->id,
		cell->desc->cpu_reset_address);
out:
	spin_unlock(&cell_lock);
	return err;
}

long cell_destroy(struct per_cpu *caller, unsigned long id)
{
	struct cell *cell, *locked;
	unsigned int n;
	u64 start = arch_time_us(), stopped, scrubbed;
	long err = prologue(caller, id, &cell);

	if (err)
		return err;
	locked = locked_cell(cell);
	if (locked) {
		pr_info("Cell destroy refused: cell \"%s\" is RUNNING_LOCKED\n", locked->desc->name);
		err = hv_refusal_ret(HV_R_LOCKED);
		goto out;
	}
	err = shutdown_ok(cell);
	if (!err)
		err = cell_stop_cpus(cell);
	if (err)
		goto out;
	stopped = arch_time_us();
	for_each_cpu(n, cell->cpu_set) {
		struct per_cpu *cpu = per_cpu(n);

		cpu->cell = &hv.root;
		cpu->failed = false;
		cpu->state = CPU_PARKED;
		WRITE_ONCE(cpu->park_request, false);
	}
	cpu_set_or(&hv.root.cpu_set, &cell->cpu_set);
	/* reset while the cell still owns them: the root cannot race the reset */
	pci_cell_give_back(cell);
	ivshmem_cell_exit(cell);
	hv.cells[id] = NULL;
	cell_mem_scrub(cell, false);
	scrubbed = arch_time_us();
	cell_mem_give_back(cell, true);
	ivshmem_root_retrap();
	/* last: a device's interrupt may reach the root's driver at once, its MMIO must be there */
	cell_irq_move(cell, &hv.root, cell);
	/* the figures of the bound docs/security.md promises: the stop, then the scrub */
	pr_info("Destroyed cell \"%s\" (id %lu) in %lu ms: stop %lu ms, scrub %lu ms\n",
		cell->desc->name, id, (unsigned long)((arch_time_us() - start) / 1000),
		(unsigned long)((stopped - start) / 1000),
		(unsigned long)((scrubbed - stopped) / 1000));
	free_cell(cell);
	spin_unlock(&cell_lock);
	reconfig_completed();
	return 0;
out:
	spin_unlock(&cell_lock);
	return err;
}

long cell_get_state(struct per_cpu *caller, unsigned long id)
{
	struct cell *cell;
	long state;

	if (caller->cell != &hv.root)
		return -EPERM;
	spin_lock(&cell_lock);
	cell = cell_by_id(id);
	state = !cell ? -ENOENT : cell == &hv.root ? -EINVAL : (long)cell_state(cell);
	spin_unlock(&cell_lock);
	return state;
}
