// SPDX-License-Identifier: GPL-2.0
/*
 * Inter-cell links (ivshmem v2, registers in ivshmem.h): each peer of a link is an end held by
 * at most one cell at a time, a virtual PCI function on that cell's bus 0 (configuration space:
 * ivshmem_cfg.c). The link's memory is mapped into every end's cell with the permissions of
 * its layout (state table read-only, R/W section writable, only the own output section
 * writable, nothing executable), so no cell can write what is another's; the hypervisor writes
 * the state table. The register page (BAR0) is trapped where the cell's BAR0 points while
 * memory decoding is on: for a non-root cell a plain MMIO region (nothing is mapped there but
 * what the cell's memory covers, and that hides the page), for the root, whose stage 2 maps
 * its whole device space, the page also leaves the root's stage 2 (inside one of its I/O
 * regions only; elsewhere BAR0 does not decode).
 *
 * Life cycle: the root's ends are connected from enable to disable, a cell's from create to
 * destroy. An end is reset (registers as after power-up, state 0, output section cleared, the
 * other peers interrupted) when it connects and when its cell starts; a cell that stops
 * (FAILED, SHUT_DOWN) or is destroyed leaves state 0 and a cleared output section behind and
 * the other peers are interrupted. All of it is bounded: a clear is one memset of the output
 * section, nothing waits for any cell.
 *
 * One lock serialises registers, configuration space and life cycle of all ends; a cell's
 * doorbell flood costs that cell a trap per doorbell and the target one pending interrupt.
 */
#include <ivshmem_core.h>
#include <ivshmem.h>
#include <cell_internal.h>

/* The ends of the cell's configuration (each a connected or a connecting one). */
#define for_each_cell_end(cell, e, n)							\
	for ((n) = 0, (e) = cfg_ivshmem_ends((cell)->blob, (cell)->desc);		\
	     (n) < (cell)->desc->num_ivshmem_ends; (n)++, (e)++)

static spinlock_t ivs_lock;
static struct ivs_end *ends;		/* [link * HVCFG_IVSHMEM_MAX_PEERS + peer id] */
static unsigned int num_links;

static struct ivs_end *end_of(u32 link, unsigned int peer)
{
	return &ends[link * HVCFG_IVSHMEM_MAX_PEERS + peer];
}

static unsigned int link_of(const struct ivs_end *end)
{
	return (end - ends) / HVCFG_IVSHMEM_MAX_PEERS;
}

/* Where an end's output section starts, from the link's memory. */
static u64 out_offset(const struct hvcfg_ivshmem_link *l, unsigned int peer)
{
	return l->state_size + l->rw_size + (u64)peer * l->out_size;
}

static void set_state(struct ivs_end *end, u32 state)
{
	end->state = state;
	cell_mem_write32(end->link->phys_start + end->peer_id * IVSHMEM_STATE_ENTRY_SIZE, state);
}

/* The end's interrupt, if its cell enabled it; one-shot mode disables it on delivery. */
static void raise(struct ivs_end *target)
{
	if (!target->cell || !(target->int_ctrl & IVSHMEM_INT_ENABLE) ||
	    target->command & PCI_CMD_INTX_DISABLE)
		return;
	if (target->priv_ctrl & IVSHMEM_PRIV_ONESHOT)
		target->int_ctrl &= ~IVSHMEM_INT_ENABLE;
	arch_irq_raise(target->cell, target->cfg->irq);
}

static void notify_peers(struct ivs_end *end)
{
	unsigned int peer;

	for (peer = 0; peer < end->link->num_peers; peer++)
		if (peer != end->peer_id)
			raise(end_of(link_of(end), peer));
}

/* Root ends' register pages out of the root's stage 2 again (a give-back mapped them). */
static void retrap_root(void)
{
	unsigned int n;

	for (n = 0; n < num_links * HVCFG_IVSHMEM_MAX_PEERS; n++)
		if (ends[n].cell == &hv.root && ends[n].trapped)
			cell_mem_root_trap(ends[n].trapped);
}

/* Does another trap of the cell (GIC, ECAM window, another end) cover the page? */
static bool trapped_else(const struct cell *cell, const struct mmio_region *own, u64 page)
{
	unsigned int n;

	for (n = 0; n < cell->num_mmio; n++)
		if (&cell->mmio[n] != own && READ_ONCE(cell->mmio[n].size) &&
		    cfg_overlaps(page, IVSHMEM_REG_SIZE, cell->mmio[n].start, cell->mmio[n].size))
			return true;
	return false;
}

/*
 * Does the cell's stage 2 map the page (its memory regions, its links' memory)? A trap there
 * would turn the cell's faults on read-only link sections into register writes.
 */
static bool mapped_in_cell(const struct cell *cell, u64 page)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(cell->blob, cell->desc);
	const struct hvcfg_ivshmem_end *e;
	unsigned int n;

	for (n = 0; n < cell->desc->num_mem_regions; n++)
		if (cfg_overlaps(page, IVSHMEM_REG_SIZE, mem[n].guest_start, mem[n].size))
			return true;
	for_each_cell_end(cell, e, n)
		if (cfg_overlaps(page, IVSHMEM_REG_SIZE, e->guest_start,
				 cfg_link_size(end_of(e->link, 0)->link)))
			return true;
	return false;
}

/*
 * BAR0 decodes where the end's registers say (Command.MEM, BAR0 not 0): move the cell's trap
 * there. The region is emptied first, so a CPU of the cell dispatching meanwhile sees either
 * no region or a page of this end.
 */
static void bar_update(struct ivs_end *end)
{
	struct mmio_region *r = end->mmio;
	u64 addr = end->command & PCI_CMD_MEM ? end->bar0 : 0;
	bool root = end->cell == &hv.root;
	u64 old = end->trapped;

	if (!r)
		return;
	/*
	 * Never over another trap (giving a root page back would hand the root a trapped device,
	 * the ECAM), never over what the cell's stage 2 maps; the root's only in its I/O regions.
	 */
	if (addr && (trapped_else(end->cell, r, addr) ||
		     (root ? !cell_mem_root_io_page(addr) : mapped_in_cell(end->cell, addr))))
		addr = 0;
	WRITE_ONCE(r->size, 0);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (root && old && old != addr) {
		end->trapped = 0;
		cell_mem_root_untrap(old);
		retrap_root();
	}
	if (root && addr && old != addr) {
		if (cell_mem_root_trap(addr))
			addr = 0;	/* out of page-table memory: it does not decode */
		end->trapped = addr;
	}
	WRITE_ONCE(r->start, addr);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (addr)
		WRITE_ONCE(r->size, IVSHMEM_REG_SIZE);
}

static void doorbell(struct ivs_end *end, u32 value)
{
	unsigned int target = value >> 16, vector = value & 0xffff;

	/* one vector (INTx); a peer of another link or the sender itself is nobody */
	if (target >= end->link->num_peers || target == end->peer_id || vector)
		return;
	raise(end_of(link_of(end), target));
}

static u32 reg_read(const struct ivs_end *end, u64 off)
{
	switch (off) {
	case IVSHMEM_REG_ID:
		return end->peer_id;
	case IVSHMEM_REG_MAX_PEERS:
		return end->link->num_peers;
	case IVSHMEM_REG_INT_CTRL:
		return end->int_ctrl;
	case IVSHMEM_REG_STATE:
		return end->state;
	}
	return 0;
}

static void reg_write(struct ivs_end *end, u64 off, u32 value)
{
	switch (off) {
	case IVSHMEM_REG_INT_CTRL:
		end->int_ctrl = value & IVSHMEM_INT_ENABLE;
		break;
	case IVSHMEM_REG_DOORBELL:
		doorbell(end, value);
		break;
	case IVSHMEM_REG_STATE:
		if (value == end->state)
			break;
		set_state(end, value);
		notify_peers(end);
		break;
	}
}

/* The register page: aligned 32-bit accesses; anything else reads 0 and writes nothing. */
static enum mmio_result reg_mmio(void *arg, struct mmio_access *acc)
{
	struct ivs_end *end = arg;
	u32 v = 0;

	spin_lock(&ivs_lock);
	if (end->cell == this_cpu()->cell && acc->size == 4 && !(acc->addr & 3)) {
		if (acc->write)
			reg_write(end, acc->addr, (u32)acc->value);
		else
			v = reg_read(end, acc->addr);
	}
	spin_unlock(&ivs_lock);
	if (!acc->write)
		acc->value = v;
	return MMIO_HANDLED;
}

/* State 0, output section cleared, interrupts off, the other peers told. */
static void end_stop(struct ivs_end *end)
{
	const struct hvcfg_ivshmem_link *l = end->link;

	end->int_ctrl = 0;
	set_state(end, 0);
	if (l->out_size)
		cell_mem_zero(l->phys_start + out_offset(l, end->peer_id), l->out_size);
	notify_peers(end);
}

/* As after power-up, then stopped. */
static void end_reset(struct ivs_end *end)
{
	end->command = 0;
	end->priv_ctrl = 0;
	end->sizing = false;
	end->bar0 = end->cfg->bar0;
	end->int_line = end->cfg->irq & 0xff;
	bar_update(end);
	end_stop(end);
}

int ivshmem_init(const struct hvcfg_system *sys)
{
	const struct hvcfg_ivshmem_link *links = cfg_links(sys);
	unsigned long pages;
	unsigned int n, peer;

	num_links = sys->num_ivshmem_links;
	if (!num_links)
		return 0;
	pages = ALIGN_UP(num_links * HVCFG_IVSHMEM_MAX_PEERS * sizeof(*ends), PAGE_SIZE) /
		PAGE_SIZE;
	ends = page_alloc(&mem_pool, pages);
	if (!ends)
		return -ENOMEM;
	for (n = 0; n < num_links; n++) {
		for (peer = 0; peer < HVCFG_IVSHMEM_MAX_PEERS; peer++) {
			end_of(n, peer)->link = &links[n];
			end_of(n, peer)->peer_id = peer;
		}
		/* no peer has a state yet, no output section holds anything */
		cell_mem_zero(links[n].phys_start, cfg_link_size(&links[n]));
	}
	return 0;
}

/* A (link, peer) is one cell's at a time. */
long ivshmem_check_live(const struct hvcfg_cell *cfg)
{
	const struct hvcfg_ivshmem_end *e = cfg_ivshmem_ends(cfg, &cfg->cell);
	const struct ivs_end *end;
	unsigned int n;

	for (n = 0; n < cfg->cell.num_ivshmem_ends; n++, e++) {
		end = end_of(e->link, e->peer_id);
		if (end->cell)
			return refuse(HV_R_IVSHMEM_PEER, "peer %u of link %u (\"%s\") is held by "
				      "cell %u (\"%s\")\n", e->peer_id, e->link, end->link->name,
				      end->cell->id, end->cell->desc->name);
	}
	return 0;
}

static int map_link(struct cell *cell, const struct hvcfg_ivshmem_end *e,
		    const struct hvcfg_ivshmem_link *l)
{
	u64 guest = e->guest_start, phys = l->phys_start, off;
	unsigned int peer;
	int err;

	err = arch_map_region(cell, guest, phys, l->state_size, HVCFG_MEM_READ);
	if (!err && l->rw_size)
		err = arch_map_region(cell, guest + l->state_size, phys + l->state_size,
				      l->rw_size, HVCFG_MEM_READ | HVCFG_MEM_WRITE);
	for (peer = 0; peer < l->num_peers && l->out_size && !err; peer++) {
		off = out_offset(l, peer);
		err = arch_map_region(cell, guest + off, phys + off, l->out_size, HVCFG_MEM_READ |
				      (peer == e->peer_id ? HVCFG_MEM_WRITE : 0));
	}
	return err;
}

/*
 * A new cell's stage 2 gets the link memory of each of its ends, its MMIO table a (not yet
 * decoding) register page per end. Nothing is connected yet: on failure the cell is freed.
 */
int ivshmem_cell_init(struct cell *cell)
{
	const struct hvcfg_ivshmem_end *e;
	unsigned int n;
	int err;

	for_each_cell_end(cell, e, n) {
		err = map_link(cell, e, end_of(e->link, 0)->link);
		if (!err)
			err = mmio_register(cell, 0, 0, reg_mmio, end_of(e->link, e->peer_id));
		if (err)
			return err;
	}
	return 0;
}

static struct mmio_region *mmio_of(struct cell *cell, const struct ivs_end *end)
{
	unsigned int n;

	for (n = 0; n < cell->num_mmio; n++)
		if (cell->mmio[n].handler == reg_mmio && cell->mmio[n].arg == end)
			return &cell->mmio[n];
	return NULL;
}

/* The steps of an end's life cycle the cell's own life cycle takes its ends through. */
enum end_step { END_CONNECT, END_RESET, END_STOP, END_DISCONNECT };

/* Off the link: state 0, output cleared, peers told, its register page untrapped. */
static void end_disconnect(struct ivs_end *end)
{
	end_stop(end);
	if (end->mmio)
		WRITE_ONCE(end->mmio->size, 0);
	end->cell = NULL;
	end->cfg = NULL;
	end->mmio = NULL;
}

/* Every end of the cell's configuration (connecting: all; otherwise those it holds) one step. */
static void cell_ends_step(struct cell *cell, enum end_step step)
{
	const struct hvcfg_ivshmem_end *e;
	struct ivs_end *end;
	unsigned int n;

	spin_lock(&ivs_lock);
	for_each_cell_end(cell, e, n) {
		end = end_of(e->link, e->peer_id);
		if (step == END_CONNECT) {
			end->cell = cell;
			end->cfg = e;
			end->mmio = mmio_of(cell, end);
		} else if (end->cell != cell) {
			continue;
		}
		if (step == END_STOP)
			end_stop(end);
		else if (step == END_DISCONNECT)
			end_disconnect(end);
		else
			end_reset(end);
	}
	spin_unlock(&ivs_lock);
}

/* The cell exists: its ends connect, reset. */
void ivshmem_cell_connect(struct cell *cell)
{
	cell_ends_step(cell, END_CONNECT);
}

/* The cell (re)starts: its ends as after power-up. */
void ivshmem_cell_reset(struct cell *cell)
{
	cell_ends_step(cell, END_RESET);
}

/* The cell stopped running (FAILED, SHUT_DOWN): the peers see it gone. */
void ivshmem_cell_stopped(struct cell *cell)
{
	cell_ends_step(cell, END_STOP);
}

/* The cell goes (its CPUs parked): its ends disconnect, the peers see it gone. */
void ivshmem_cell_exit(struct cell *cell)
{
	cell_ends_step(cell, END_DISCONNECT);
}

void ivshmem_root_retrap(void)
{
	spin_lock(&ivs_lock);
	retrap_root();
	spin_unlock(&ivs_lock);
}

bool ivshmem_pci_cfg(struct cell *cell, u16 bdf, unsigned int reg, unsigned int size,
		     bool write, u32 *value)
{
	const struct hvcfg_ivshmem_end *e;
	struct ivs_end *end;
	unsigned int n;

	for_each_cell_end(cell, e, n)
		if (e->bdf == bdf)
			break;
	if (n == cell->desc->num_ivshmem_ends || !ends)
		return false;
	end = end_of(e->link, e->peer_id);
	spin_lock(&ivs_lock);
	if (end->cell != cell) {
		*value = pci_ones(size);
	} else if (!write) {
		*value = ivs_cfg_read(end, reg, size);
	} else if (ivs_cfg_write(end, reg, size, *value)) {
		bar_update(end);
	}
	spin_unlock(&ivs_lock);
	return true;
}
