// SPDX-License-Identifier: GPL-2.0
/*
 * Non-root cells: create, set loadable (load/shut down), start, destroy, state. The root asks,
 * the hypervisor decides: a cell blob is copied out of the root's memory and validated in full
 * against the live system before anything changes. CPUs arrive parked (Linux offlined them)
 * and leave parked (Linux onlines them again); memory leaves the root's stage 2 while a cell
 * holds it and comes back scrubbed. Comm region messages follow Jailhouse (comm_region.h).
 */
#include <hv.h>
#include <asm/cfg_limits.h>
#include <refusal.h>


/* The reply field is polled this often while a message waits for its answer. */
#define POLL_US		10

static spinlock_t cell_lock;

static bool ranges_overlap(u64 a, u64 a_size, u64 b, u64 b_size)
{
	return a < b + b_size && b < a + a_size;
}

static const struct hvcfg_memory_region *regions(const struct cell *cell)
{
	return cfg_mem_regions(cell->blob, cell->desc);
}

/* Regions that come out of the root's stage 2 while the cell exists. */
static bool takes_from_root(const struct hvcfg_memory_region *r)
{
	return !(r->flags & (HVCFG_MEM_COMM_REGION | HVCFG_MEM_ROOTSHARED));
}

static struct cell *cell_by_id(unsigned long id)
{
	return id < CONFIG_MAX_CELLS ? hv.cells[id] : NULL;
}

static const struct hvcfg_memory_region *root_region_covering(u64 phys, u64 size)
{
	const struct hvcfg_memory_region *mem = regions(&hv.root);
	unsigned int n;

	for (n = 0; n < hv.root.desc->num_mem_regions; n++)
		if (phys >= mem[n].phys_start && size <= mem[n].size &&
		    phys - mem[n].phys_start <= mem[n].size - size)
			return &mem[n];
	return NULL;
}

/* The cell (other than except) holding root memory in [phys, phys + size), if any. */
static const struct hvcfg_memory_region *held_by_cell(u64 phys, u64 size,
						       const struct cell *except,
						       const struct cell **holder)
{
	const struct hvcfg_memory_region *mem;
	unsigned int id, n;

	for (id = 1; id < CONFIG_MAX_CELLS; id++) {
		const struct cell *cell = hv.cells[id];

		if (!cell || cell == except)
			continue;
		mem = regions(cell);
		for (n = 0; n < cell->desc->num_mem_regions; n++)
			if (!(mem[n].flags & HVCFG_MEM_COMM_REGION) &&
			    ranges_overlap(phys, size, mem[n].phys_start, mem[n].size)) {
				if (holder)
					*holder = cell;
				return &mem[n];
			}
	}
	return NULL;
}

/*
 * Give [start, end) back to the root, except what other cells still hold: recursion over the
 * cells' regions in order, each split leaves at most two pieces to look at further.
 */
static int root_map_except(u64 start, u64 end, u64 flags, unsigned int id, unsigned int reg)
{
	const struct hvcfg_memory_region *mem;
	int err;

	if (start >= end)
		return 0;
	for (; id < CONFIG_MAX_CELLS; id++, reg = 0) {
		const struct cell *cell = hv.cells[id];

		if (!cell || cell == &hv.root)
			continue;
		mem = regions(cell);
		for (; reg < cell->desc->num_mem_regions; reg++) {
			const struct hvcfg_memory_region *r = &mem[reg];

			if (!takes_from_root(r) || !ranges_overlap(start, end - start, r->phys_start,
							     r->size))
				continue;
			err = root_map_except(start, r->phys_start > start ? r->phys_start : start,
					      flags, id, reg + 1);
			if (!err && r->phys_start + r->size < end)
				err = root_map_except(r->phys_start + r->size, end, flags, id,
						      reg + 1);
			return err;
		}
	}
	return arch_map_region(&hv.root, start, start, end - start, flags);
}

/*
 * Map [phys, phys + size) into the root again where its config has it. The range is widened to
 * the arch's smallest stage-2 block so that blocks split when the cell took its memory are
 * merged again and the page tables they needed go back to the pool.
 */
static int root_give_back(u64 phys, u64 size)
{
	const struct hvcfg_memory_region *mem = regions(&hv.root);
	u64 start = phys & ~(ARCH_STAGE2_BLOCK_SIZE - 1);
	u64 end = ALIGN_UP(phys + size, ARCH_STAGE2_BLOCK_SIZE), s, e;
	unsigned int n;
	int err;

	for (n = 0; n < hv.root.desc->num_mem_regions; n++) {
		s = mem[n].phys_start > start ? mem[n].phys_start : start;
		e = mem[n].phys_start + mem[n].size < end ? mem[n].phys_start + mem[n].size : end;
		if (s >= e)
			continue;
		err = root_map_except(s, e, mem[n].flags, 1, 0);
		if (err)
			return err;
	}
	return 0;
}

static void scrub(u64 phys, u64 size)
{
	unsigned long max = arch_temp_pages() * PAGE_SIZE, chunk;
	void *p;

	for (; size; phys += chunk, size -= chunk) {
		chunk = size < max ? size : max;
		p = arch_map_temp(phys, chunk / PAGE_SIZE);
		memset(p, 0, chunk);
		arch_clean_dcache(p, chunk);
		arch_unmap_temp(chunk / PAGE_SIZE);
	}
}

/* Scrub what the cell leaves behind: RAM only, not preserved, not still shared with another. */
static void scrub_cell(struct cell *cell, bool loadable_only)
{
	const struct hvcfg_memory_region *mem = regions(cell);
	unsigned int n;

	for (n = 0; n < cell->desc->num_mem_regions; n++) {
		const struct hvcfg_memory_region *r = &mem[n];

		if (r->flags & (HVCFG_MEM_COMM_REGION | HVCFG_MEM_IO | HVCFG_MEM_PRESERVED |
				HVCFG_MEM_ROOTSHARED) ||
		    (loadable_only && !(r->flags & HVCFG_MEM_LOADABLE)) ||
		    held_by_cell(r->phys_start, r->size, cell, NULL))
			continue;
		scrub(r->phys_start, r->size);
	}
}

/* Stop every CPU of the cell in the hypervisor (parked) and wait until they are. */
static void stop_cpus(struct cell *cell)
{
	unsigned int n;

	for_each_cpu(n, cell->cpu_set)
		WRITE_ONCE(per_cpu(n)->park_request, true);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for_each_cpu(n, cell->cpu_set)
		if (!READ_ONCE(per_cpu(n)->parked))
			arch_send_event(per_cpu(n));
	for_each_cpu(n, cell->cpu_set)
		while (!READ_ONCE(per_cpu(n)->parked))
			cpu_relax();
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

static void set_cell_state(struct cell *cell, u32 state)
{
	WRITE_ONCE(cell->comm->cell_state, state);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
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

/* Say on the console what exactly was refused; the root gets the reason (refusal.h). */
#define refuse(reason, fmt, ...) ({							\
	printk("Cell create refused (%d): " fmt, hv_refusal_errno(reason), ##__VA_ARGS__);	\
	hv_refusal_ret(reason);								\
})

/*
 * Copy the blob out of the root's RAM, which must really be the root's. Its size is read once:
 * the root may change the header meanwhile, so only *size_out, never the copy's total_size,
 * says how much was copied.
 */
static long copy_blob(u64 phys, void **out, unsigned long *size_out, unsigned long *pages_out)
{
	const struct hvcfg_memory_region *r;
	unsigned long pages, off = phys & (PAGE_SIZE - 1);
	struct hvcfg_header hdr;
	const u8 *src;
	void *copy;

	if (!root_region_covering(phys, sizeof(hdr)) ||
	    held_by_cell(phys, sizeof(hdr), NULL, NULL))
		return refuse(HV_R_BLOB_PLACE, "blob at 0x%llx is not in the root's memory\n", phys);
	src = arch_map_temp(phys - off, 1 + (off + sizeof(hdr) > PAGE_SIZE));
	memcpy(&hdr, src + off, sizeof(hdr));
	arch_unmap_temp(1 + (off + sizeof(hdr) > PAGE_SIZE));
	pages = (off + hdr.total_size + PAGE_SIZE - 1) / PAGE_SIZE;
	if (hdr.total_size < sizeof(hdr) || pages >= arch_temp_pages())
		return refuse(HV_R_BLOB_SIZE, "blob of %u bytes: size not acceptable\n",
			      hdr.total_size);
	r = root_region_covering(phys, hdr.total_size);
	if (!r || r->flags & HVCFG_MEM_IO || held_by_cell(phys, hdr.total_size, NULL, NULL))
		return refuse(HV_R_BLOB_PLACE, "blob at 0x%llx+0x%x is not in the root's RAM\n", phys,
			      hdr.total_size);
	*pages_out = ALIGN_UP(hdr.total_size, PAGE_SIZE) / PAGE_SIZE;
	copy = page_alloc(&mem_pool, *pages_out);
	if (!copy)
		return refuse(HV_R_NO_MEMORY, "no hypervisor memory for the blob (%lu pages)\n",
			      *pages_out);
	src = arch_map_temp(phys - off, pages);
	memcpy(copy, src + off, hdr.total_size);
	arch_unmap_temp(pages);
	*out = copy;
	*size_out = hdr.total_size;
	return 0;
}

/*
 * The interrupts a descriptor's resources name, by ownership index (arch_irq_index()): the
 * next one from *pos on (start with 0), or -1 when none is left. A pin the arch cannot index (a
 * validated config has none) reads as ARCH_NUM_IRQS, which no cell owns.
 */
int desc_next_irq(const void *blob, const struct hvcfg_cell_desc *desc, u32 *pos)
{
	const struct hvcfg_irqchip *chips = cfg_irqchips(blob, desc), *chip;
	u32 bit;
	int irq;

	for (; *pos < desc->num_irqchips * HVCFG_IRQCHIP_PINS; (*pos)++) {
		chip = &chips[*pos / HVCFG_IRQCHIP_PINS];
		bit = *pos % HVCFG_IRQCHIP_PINS;
		if (!((chip->pin_bitmap[bit / 64] >> (bit % 64)) & 1))
			continue;
		(*pos)++;
		irq = arch_irq_index(chip, chip->pin_base + bit);
		return irq < 0 || irq >= ARCH_NUM_IRQS ? ARCH_NUM_IRQS : irq;
	}
	return -1;
}

/*
 * What cfg_check_cell_in_system() cannot know: the system as it is now. The blob fits the
 * system as configured (digest, CPUs, regions and interrupts of the root's configuration).
 */
static long check_live(const struct hvcfg_cell *cfg, struct per_cpu *caller)
{
	const struct hvcfg_cell_desc *desc = &cfg->cell;
	const struct hvcfg_memory_region *mem = cfg_mem_regions(cfg, desc), *other;
	const struct cell *holder = NULL;
	unsigned int n, id;
	u32 pos = 0;
	int irq;

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
		if (per_cpu(n)->state != CPU_PARKED || !per_cpu(n)->parked)
			return refuse(HV_R_CPU_ONLINE, "CPU %u is still online in the root\n", n);
	}
	for (n = 0; n < desc->num_mem_regions; n++) {
		const struct hvcfg_memory_region *r = &mem[n];

		if (r->flags & HVCFG_MEM_COMM_REGION)
			continue;
		other = held_by_cell(r->phys_start, r->size, NULL, &holder);
		if (other && !(other->flags & r->flags & HVCFG_MEM_SHARED))
			return refuse(HV_R_REGION_HELD, "region 0x%llx is held by cell %u\n",
				      r->phys_start, holder->id);
	}
	while ((irq = desc_next_irq(cfg, desc, &pos)) >= 0)
		if (!cell_owns_irq(&hv.root, irq))
			return refuse(HV_R_IRQ_NOT_ROOT, "interrupt %d is not the root's\n", irq);
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
	arch_cell_free(cell);
	page_free(&mem_pool, cell->comm, 1);
	page_free(&mem_pool, (void *)cell->blob, cell->blob_pages);
	page_free(&mem_pool, cell, ALIGN_UP(sizeof(*cell), PAGE_SIZE) / PAGE_SIZE);
}

/* The interrupts cell's configuration names, from one cell to the other. */
static void move_irqs(struct cell *from, struct cell *to, const struct cell *cell)
{
	u32 pos = 0;
	int n;

	while ((n = desc_next_irq(cell->blob, cell->desc, &pos)) >= 0) {
		if (n >= ARCH_NUM_IRQS)
			continue;
		from->irq_bitmap[n / 64] &= ~(1ULL << (n % 64));
		to->irq_bitmap[n / 64] |= 1ULL << (n % 64);
		arch_set_irq_owner(n, to);
	}
}

long cell_create(struct per_cpu *caller, u64 config_phys)
{
	struct cfg_limits lim = ARCH_CFG_LIMITS(CONFIG_MAX_CPUS);
	const struct hvcfg_memory_region *mem;
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
	err = copy_blob(config_phys, (void **)&cfg, &size, &pages);
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
	if (err) {
		err = refuse(HV_R_NO_MEMORY, "out of hypervisor memory for the cell's page tables\n");
		free_cell(cell);
		goto out;
	}
	set_cell_state(cell, HV_CELL_SHUT_DOWN);

	/* from here on the cell exists: its memory leaves the root */
	hv.cells[id] = cell;
	mem = regions(cell);
	for (n = 0; n < cell->desc->num_mem_regions && !err; n++)
		if (takes_from_root(&mem[n]))
			err = arch_unmap_region(&hv.root, mem[n].phys_start, mem[n].size);
	arch_flush_cell_tlb(&hv.root);
	if (err) {
		hv.cells[id] = NULL;
		for (n = 0; n < cell->desc->num_mem_regions; n++)
			if (takes_from_root(&mem[n]))
				root_give_back(mem[n].phys_start, mem[n].size);
		arch_flush_cell_tlb(&hv.root);
		err = refuse(HV_R_NO_MEMORY, "out of hypervisor memory for the root's page tables\n");
		free_cell(cell);
		goto out;
	}
	cpu_set_andnot(&hv.root.cpu_set, &cell->cpu_set);
	for_each_cpu(n, cell->cpu_set) {
		per_cpu(n)->cell = cell;
		per_cpu(n)->failed = false;
	}
	move_irqs(&hv.root, cell, cell);
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

/* Map the cell's loadable regions into the root (identity, never executable), or take them away. */
static int root_sees_loadable(struct cell *cell, bool visible)
{
	const struct hvcfg_memory_region *mem = regions(cell);
	unsigned int n;
	int err = 0;

	for (n = 0; n < cell->desc->num_mem_regions && !err; n++) {
		if (!(mem[n].flags & HVCFG_MEM_LOADABLE) || !takes_from_root(&mem[n]))
			continue;
		err = visible ? arch_map_region(&hv.root, mem[n].phys_start, mem[n].phys_start,
						mem[n].size, mem[n].flags & ~HVCFG_MEM_EXECUTE) :
				arch_unmap_region(&hv.root, mem[n].phys_start, mem[n].size);
	}
	return err;
}

long cell_set_loadable(struct per_cpu *caller, unsigned long id)
{
	struct cell *cell;
	long err = prologue(caller, id, &cell);

	if (err)
		return err;
	err = shutdown_ok(cell);
	if (err)
		goto out;
	stop_cpus(cell);
	if (cell_state(cell) != HV_CELL_FAILED)
		set_cell_state(cell, HV_CELL_SHUT_DOWN);
	if (!cell->loadable) {
		if (cell->ran)
			scrub_cell(cell, true);
		cell->ran = false;
		err = root_sees_loadable(cell, true);
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
	if (err)
		goto out;
	stop_cpus(cell);
	if (cell->loadable) {
		err = root_sees_loadable(cell, false);
		arch_flush_cell_tlb(&hv.root);
		if (err)
			goto out;
		cell->loadable = false;
	}
	comm_region_fill(cell);
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
	const struct hvcfg_memory_region *mem;
	struct cell *cell, *locked;
	unsigned int n;
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
	if (err)
		goto out;
	stop_cpus(cell);
	for_each_cpu(n, cell->cpu_set) {
		struct per_cpu *cpu = per_cpu(n);

		cpu->cell = &hv.root;
		cpu->failed = false;
		cpu->state = CPU_PARKED;
		WRITE_ONCE(cpu->park_request, false);
	}
	cpu_set_or(&hv.root.cpu_set, &cell->cpu_set);
	hv.cells[id] = NULL;
	scrub_cell(cell, false);
	mem = regions(cell);
	for (n = 0; n < cell->desc->num_mem_regions; n++)
		if (takes_from_root(&mem[n]) && root_give_back(mem[n].phys_start, mem[n].size))
			pr_err("Cell \"%s\": out of memory returning 0x%llx to the root\n",
			       cell->desc->name, mem[n].phys_start);
	arch_flush_cell_tlb(&hv.root);
	/* last: a device's interrupt may reach the root's driver at once, its MMIO must be there */
	move_irqs(cell, &hv.root, cell);
	pr_info("Destroyed cell \"%s\" (id %lu)\n", cell->desc->name, id);
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

/* A fatal trap in a non-root cell: the cell is FAILED and all its CPUs park. */
void cell_cpu_failed(struct per_cpu *cpu)
{
	struct cell *cell = cpu->cell;
	unsigned int n;

	cpu->failed = true;
	set_cell_state(cell, HV_CELL_FAILED);
	pr_err("Cell \"%s\" FAILED: CPU %u stopped; the root and the other cells carry on\n",
	       cell->desc->name, cpu->id);
	for_each_cpu(n, cell->cpu_set) {
		WRITE_ONCE(per_cpu(n)->park_request, true);
		if (per_cpu(n) != cpu && !READ_ONCE(per_cpu(n)->parked))
			arch_send_event(per_cpu(n));
	}
}
