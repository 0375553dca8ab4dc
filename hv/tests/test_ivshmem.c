// SPDX-License-Identifier: GPL-2.0
/*
 * Inter-cell links on the host, over the fake arch (as test_cell.c): the root's end from
 * enable, a cell's end from create to destroy; configuration space, BAR0 decoding (the root's
 * page out of its stage 2 only inside its I/O regions), registers, state table, doorbells and
 * their interrupts, one-shot mode, and the peer life cycle (reset, FAILED, destroy: state 0,
 * output section cleared, peers interrupted), the live refusal, nothing leaked.
 */
#include <hv.h>
#include <arch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "test.h"
#include "blobs.h"
#include "../core/config_check.c"
#include "../core/config_cross.c"
#include "../core/refusal.c"
#include "../core/sha256.c"
#include "../arch/arm-common/config_check_arm.c"
#include "../core/page_alloc.c"
#include "../core/printk.c"
#include "../core/setup.c"
#include "../core/cell.c"
#include "../core/cell_stop.c"
#include "../core/cell_mem.c"
#include "../core/cell_irq.c"
#include "../core/comm.c"
#include "../core/control.c"
#include "fake_pci.h"
#include "../core/pci.c"
#include "../core/pci_cfg.c"
#include "../core/ivshmem.c"
#include "../core/ivshmem_cfg.c"
#include "../core/mmio.c"
#include "fake_arch.c"

extern char host_uart[];
extern size_t host_uart_len;

#define FAKE_RAM	0x40000000ULL
#define FAKE_RAM_SIZE	0x4000000ULL
#define FAKE_POOL	0x42000000ULL
#define FAKE_HV		0x43e00000ULL	/* must match --defsym=hv_header= in hv/Makefile */
#define FAKE_HV_SIZE	0x200000ULL
#define LINK		0x43d00000ULL	/* the link's memory: the last MiB before FAKE_HV */
#define LINK_OUT(p)	(LINK + 0x2000 + (p) * 0x10000ULL)
#define CONFIG_AT	0x10000ULL
#define BLOB_AT		0x40100000ULL
#define CELL_RAM	FAKE_POOL
#define PCI_IO		0x10000000ULL	/* the root's device region: BAR0 decodes there */
#define END_BDF		(0x10 << 3)
#define ROOT_IRQ	35
#define CELL_IRQ	34
#define CELL_BAR0	0x20000000u
#define CELL_LINK	0x200000ULL	/* where the cell sees the link */

static struct blob sys_blob;

static void make_system(void)
{
	make_valid(&sys_blob);
	sys_blob.sys.hypervisor_mem_base = FAKE_HV;
	sys_blob.sys.hypervisor_mem_size = FAKE_HV_SIZE;
	sys_blob.mem[0] = (struct hvcfg_memory_region){ PCI_IO, PCI_IO, 0x400000,
		HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_IO };
	sys_blob.mem[1] = (struct hvcfg_memory_region){ FAKE_RAM, FAKE_RAM, FAKE_POOL - FAKE_RAM,
		HVCFG_MEM_READ | HVCFG_MEM_WRITE };
	sys_blob.mem[2] = (struct hvcfg_memory_region){ FAKE_POOL, FAKE_POOL, LINK - FAKE_POOL,
		HVCFG_MEM_READ | HVCFG_MEM_WRITE | HVCFG_MEM_CELL_POOL };
	sys_blob.sys.num_ivshmem_links = 1;
	sys_blob.links[0] = (struct hvcfg_ivshmem_link){ .name = "echo", .phys_start = LINK,
		.rw_size = 0x1000, .out_size = 0x10000, .state_size = 0x1000,
		.protocol = IVSHMEM_PROTO_ECHO, .num_peers = 3 };
	sys_blob.sys.root_cell.num_ivshmem_ends = 1;
	sys_blob.ends[0] = (struct hvcfg_ivshmem_end){ .guest_start = LINK, .irq = ROOT_IRQ,
		.bdf = END_BDF, .peer_id = 0 };
	seal(&sys_blob);
}

static void enable(void)
{
	struct hv_header *h = (void *)(uintptr_t)FAKE_HV;
	unsigned int n;

	make_system();
	h->core_size = CONFIG_AT;
	h->mem_size = FAKE_HV_SIZE;
	h->config_offset = CONFIG_AT;
	h->config_size = sizeof(sys_blob);
	h->online_cpus = 1;
	memcpy((void *)(uintptr_t)(FAKE_HV + CONFIG_AT), &sys_blob, sizeof(sys_blob));
	fake_this_cpu = per_cpu(0);
	memset((void *)(uintptr_t)LINK, 0x5a, 0x32000);	/* whatever was there before */
	CHECK(hv_entry(0) == 0);
	for (n = 1; n < 4; n++) {
		per_cpu(n)->id = n;
		per_cpu(n)->cell = &hv.root;
		per_cpu(n)->state = CPU_PARKED;
		per_cpu(n)->parked = true;
	}
}

static u32 *state_table(void)
{
	return (u32 *)(uintptr_t)LINK;
}

static u32 cfg(struct per_cpu *cpu, unsigned int reg, unsigned int size)
{
	return pci_cfg_access(cpu, "test", false, END_BDF, reg, size, false, 0);
}

static void cfg_write(struct per_cpu *cpu, unsigned int reg, unsigned int size, u32 value)
{
	pci_cfg_access(cpu, "test", false, END_BDF, reg, size, true, value);
}

/* A register access of the CPU's cell at addr (its BAR0 page) as the arch dispatches it. */
static u64 reg(struct per_cpu *cpu, u64 addr, unsigned int size, bool write, u32 value)
{
	struct mmio_access acc = { .value = value, .size = size, .write = write };
	enum mmio_result res;

	fake_this_cpu = cpu;
	res = mmio_dispatch(cpu->cell, addr, &acc);
	fake_this_cpu = per_cpu(0);
	if (res != MMIO_HANDLED)
		return 0xdead;
	return write ? 0 : acc.value;
}

static struct mmio_region *bar_region(struct cell *cell)
{
	unsigned int n;

	for (n = 0; n < cell->num_mmio; n++)
		if (cell->mmio[n].handler == reg_mmio)
			return &cell->mmio[n];
	return NULL;
}

static void test_root_end(void)
{
	struct per_cpu *root = per_cpu(0);
	struct mmio_region *r = bar_region(&hv.root);

	CHECK(state_table()[0] == 0 && *(u32 *)(uintptr_t)LINK_OUT(2) == 0);	/* cleared */
	CHECK(fake_mapped(&hv.root, LINK, 0x32000) && r && r->size == 0);
	CHECK(cfg(root, 0, 4) == 0x4106110a && cfg(root, 2, 2) == 0x4106);
	CHECK(cfg(root, 0x08, 4) == 0xff400000);		/* class ff, protocol 4000h */
	CHECK(cfg(root, PCI_STATUS, 2) == PCI_STATUS_CAP_LIST && cfg(root, PCI_CAP_PTR, 1) == 0x40);
	CHECK(cfg(root, 0x40, 4) == 0x00200009);		/* vendor cap, 32 bytes */
	CHECK(cfg(root, 0x44, 4) == 0x1000 && cfg(root, 0x48, 4) == 0x1000 &&
	      cfg(root, 0x50, 4) == 0x10000 && cfg(root, 0x58, 4) == (u32)LINK &&
	      cfg(root, 0x5c, 4) == 0);
	CHECK(cfg(root, PCI_INT_LINE, 2) == (0x100 | ROOT_IRQ));
	CHECK(cfg(root, 0x14, 4) == 0 && cfg(root, 0x100, 4) == 0 && cfg(root, 0xffc, 4) == 0);
	/* BAR0: sizeable, 4 KiB, 32-bit memory */
	cfg_write(root, PCI_BAR0, 4, 0xffffffff);
	CHECK(cfg(root, PCI_BAR0, 4) == 0xfffff000);
	cfg_write(root, PCI_BAR0, 4, PCI_IO + 0x1234);
	CHECK(cfg(root, PCI_BAR0, 4) == PCI_IO + 0x1000 && r->size == 0);
	cfg_write(root, PCI_COMMAND, 2, PCI_CMD_MEM | PCI_CMD_IO);
	CHECK(cfg(root, PCI_COMMAND, 2) == PCI_CMD_MEM);
	CHECK(r->start == PCI_IO + 0x1000 && r->size == 0x1000);
	CHECK(!fake_any_mapped(&hv.root, PCI_IO + 0x1000, 0x1000));
	CHECK(fake_mapped(&hv.root, PCI_IO, 0x1000) && fake_mapped(&hv.root, PCI_IO + 0x2000, 0x1000));
	/* over its RAM, or outside its regions: it does not decode; back in its window: it does */
	cfg_write(root, PCI_BAR0, 4, FAKE_RAM + 0x1000);
	CHECK(r->size == 0 && fake_mapped(&hv.root, PCI_IO, 0x400000));
	CHECK(fake_mapped(&hv.root, FAKE_RAM, 0x2000));
	cfg_write(root, PCI_BAR0, 4, 0x80000000);
	CHECK(r->size == 0);
	/* over another trap of the root (here: a stand-in for its ECAM window): not either */
	CHECK(mmio_register(&hv.root, PCI_IO + 0x200000, 0x1000, reg_mmio, NULL) == 0);
	cfg_write(root, PCI_BAR0, 4, PCI_IO + 0x200000);
	CHECK(r->size == 0 && fake_mapped(&hv.root, PCI_IO, 0x400000));
	hv.root.num_mmio--;
	cfg_write(root, PCI_BAR0 + 1, 1, (PCI_IO + 0x3000) >> 8);
	cfg_write(root, PCI_BAR0 + 2, 2, PCI_IO >> 16);
	CHECK(cfg(root, PCI_BAR0, 4) == PCI_IO + 0x3000 && r->start == PCI_IO + 0x3000);
	CHECK(!fake_any_mapped(&hv.root, PCI_IO + 0x3000, 0x1000) && r->size == 0x1000);
	/* registers: id, peers; bad widths and offsets read 0, write nothing */
	CHECK(reg(root, PCI_IO + 0x3000, 4, false, 0) == 0);
	CHECK(reg(root, PCI_IO + 0x3004, 4, false, 0) == 3);
	CHECK(reg(root, PCI_IO + 0x3004, 2, false, 0) == 0);
	CHECK(reg(root, PCI_IO + 0x3000, 8, false, 0) == 0);
	CHECK(reg(root, PCI_IO + 0x3ffc, 4, false, 0) == 0);
	reg(root, PCI_IO + 0x3010, 2, true, 7);
	CHECK(reg(root, PCI_IO + 0x3010, 4, false, 0) == 0 && state_table()[0] == 0);
	reg(root, PCI_IO + 0x3010, 4, true, 1);
	CHECK(reg(root, PCI_IO + 0x3010, 4, false, 0) == 1 && state_table()[0] == 1);
	reg(root, PCI_IO + 0x3008, 4, true, 0xff);
	CHECK(reg(root, PCI_IO + 0x3008, 4, false, 0) == 1);
	/* decoding off: the page is the root's again */
	cfg_write(root, PCI_COMMAND, 2, 0);
	CHECK(r->size == 0 && fake_mapped(&hv.root, PCI_IO, 0x400000));
	cfg_write(root, PCI_COMMAND, 2, PCI_CMD_MEM);
}

/* A cell with a peer of the link: 1 MiB of RAM, CPU 2, SPI 34 (other: CPU 3, RAM, SPI 36). */
static struct cell_blob *put_peer(const char *name, unsigned int peer)
{
	bool other = !strcmp(name, "other");

	struct cell_blob *c = (void *)(uintptr_t)BLOB_AT;

	make_cell(c, &sys_blob);
	memset(c->cell.cell.name, 0, sizeof(c->cell.cell.name));
	strcpy(c->cell.cell.name, name);
	c->cpu_set[0] = 1ULL << (other ? 3 : 2);
	c->mem[0].phys_start = CELL_RAM + (other ? 0x200000 : 0);
	memset(c->irqchips[0].pin_bitmap, 0, sizeof(c->irqchips[0].pin_bitmap));
	irqchip_set(&c->irqchips[0], other ? CELL_IRQ + 2 : CELL_IRQ);
	c->cell.cell.num_ivshmem_ends = 1;
	c->ends[0] = (struct hvcfg_ivshmem_end){ .guest_start = CELL_LINK,
		.irq = other ? CELL_IRQ + 2 : CELL_IRQ,
		.bar0 = CELL_BAR0, .bdf = END_BDF, .peer_id = peer };
	seal_cell(c);
	return c;
}

static void test_cell_end(unsigned long pool0)
{
	struct per_cpu *root = per_cpu(0), *cpu = per_cpu(2);
	u64 rb = PCI_IO + 0x3000;
	struct cell *cell;
	unsigned int raised;

	put_peer("peer", 1);
	CHECK(hypercall(root, HC_CELL_CREATE, BLOB_AT, 0) == 1);
	cell = hv.cells[1];
	if (!cell)
		return;
	/* the layout's permissions: the cell's mapping of the link, its trap not decoding yet */
	CHECK(fake_mapped(cell, CELL_LINK, 0x32000) && bar_region(cell)->size == 0);
	CHECK(cfg(cpu, PCI_BAR0, 4) == CELL_BAR0 && cfg(cpu, 0x58, 4) == CELL_LINK);
	CHECK(cfg(cpu, PCI_INT_LINE, 1) == CELL_IRQ);
	cfg_write(cpu, PCI_COMMAND, 2, PCI_CMD_MEM);
	CHECK(bar_region(cell)->start == CELL_BAR0 && bar_region(cell)->size == 0x1000);
	/* over its own link memory or RAM it does not decode: faults there stay faults */
	cfg_write(cpu, PCI_BAR0, 4, CELL_LINK + 0x1000);
	CHECK(bar_region(cell)->size == 0);
	cfg_write(cpu, PCI_BAR0, 4, 0x80000);
	CHECK(bar_region(cell)->size == 0);
	cfg_write(cpu, PCI_BAR0, 4, CELL_BAR0);
	CHECK(bar_region(cell)->start == CELL_BAR0 && bar_region(cell)->size == 0x1000);
	CHECK(reg(cpu, CELL_BAR0, 4, false, 0) == 1);
	/* the root's end reads the other function nothing: its bdf is its own end */
	CHECK(cfg(root, PCI_BAR0, 4) == PCI_IO + 0x3000);

	/* doorbells: to the root (enabled) raise its SPI; to itself, nobody, vector 1: nothing */
	reg(root, rb + IVSHMEM_REG_INT_CTRL, 4, true, 1);
	raised = fake_raised[ROOT_IRQ];
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(0, 0));
	CHECK(fake_raised[ROOT_IRQ] == raised + 1);
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(1, 0));
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(2, 0));
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(9, 0));
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(0, 1));
	CHECK(fake_raised[ROOT_IRQ] == raised + 1 && fake_raised[CELL_IRQ] == 0);
	/* INTx disabled, or interrupts off: nothing */
	cfg_write(root, PCI_COMMAND, 2, PCI_CMD_MEM | PCI_CMD_INTX_DISABLE);
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(0, 0));
	CHECK(fake_raised[ROOT_IRQ] == raised + 1);
	cfg_write(root, PCI_COMMAND, 2, PCI_CMD_MEM);
	/* one-shot: delivered once, then INT_CTRL is 0 */
	cfg_write(root, 0x43, 1, IVSHMEM_PRIV_ONESHOT);
	CHECK(cfg(root, 0x43, 1) == IVSHMEM_PRIV_ONESHOT);
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(0, 0));
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(0, 0));
	CHECK(fake_raised[ROOT_IRQ] == raised + 2 && reg(root, rb + 8, 4, false, 0) == 0);
	cfg_write(root, 0x43, 1, 0);
	reg(root, rb + IVSHMEM_REG_INT_CTRL, 4, true, 1);

	/* state changes: mirrored, peers interrupted on a change only */
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_INT_CTRL, 4, true, 1);
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_STATE, 4, true, 2);
	CHECK(state_table()[1] == 2 && fake_raised[ROOT_IRQ] == raised + 3);
	reg(cpu, CELL_BAR0 + IVSHMEM_REG_STATE, 4, true, 2);
	CHECK(fake_raised[ROOT_IRQ] == raised + 3);
	reg(root, rb + IVSHMEM_REG_STATE, 4, true, 5);
	CHECK(state_table()[0] == 5 && fake_raised[CELL_IRQ] == 1);

	/* another cell for the same peer: refused while this one holds it */
	put_peer("other", 1);
	CHECK(hv_ret_reason(hypercall(root, HC_CELL_CREATE, BLOB_AT, 0)) == HV_R_IVSHMEM_PEER);
	put_peer("other", 0);
	CHECK(hv_ret_reason(hypercall(root, HC_CELL_CREATE, BLOB_AT, 0)) == CFG_E_ROOT_PEER);

	/* the cell fails: state 0, its output cleared, the root told; the root's output stays */
	memset((void *)(uintptr_t)LINK_OUT(1), 0x77, 0x10000);
	memset((void *)(uintptr_t)LINK_OUT(0), 0x66, 0x10000);
	cell_cpu_failed(cpu);
	CHECK(state_table()[1] == 0 && *(u8 *)(uintptr_t)(LINK_OUT(1) + 0xffff) == 0);
	CHECK(*(u8 *)(uintptr_t)LINK_OUT(0) == 0x66 && fake_raised[ROOT_IRQ] == raised + 4);
	CHECK(reg(cpu, CELL_BAR0 + IVSHMEM_REG_STATE, 4, false, 0) == 0);
	reg(root, rb + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(1, 0));
	CHECK(fake_raised[CELL_IRQ] == 1);	/* its interrupts went off with it */

	/* restart: reset (BAR0 from the config, decoding off) */
	cpu->failed = false;
	CHECK(hypercall(root, HC_CELL_START, 1, 0) == 0);
	CHECK(bar_region(cell)->size == 0 && cfg(cpu, PCI_COMMAND, 2) == 0);
	CHECK(fake_raised[ROOT_IRQ] == raised + 5);

	/* destroy: disconnected, nothing leaked, the peer is free again */
	CHECK(hypercall(root, HC_CELL_DESTROY, 1, 0) == 0);
	CHECK(!end_of(0, 1)->cell && state_table()[1] == 0 && mem_pool.used == pool0);
	CHECK(fake_raised[ROOT_IRQ] == raised + 6);
	reg(root, rb + IVSHMEM_REG_DOORBELL, 4, true, IVSHMEM_DOORBELL(1, 0));
	CHECK(fake_raised[CELL_IRQ] == 1);
	put_peer("again", 1);
	CHECK(hypercall(root, HC_CELL_CREATE, BLOB_AT, 0) == 1);
	CHECK(hypercall(root, HC_CELL_DESTROY, 1, 0) == 0 && mem_pool.used == pool0);
	/* the root's trap survived the give-backs */
	CHECK(!fake_any_mapped(&hv.root, PCI_IO + 0x3000, 0x1000));
}

int main(void)
{
	unsigned long pool0;
	void *ram = mmap((void *)(uintptr_t)FAKE_RAM, FAKE_RAM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (ram != (void *)(uintptr_t)FAKE_RAM) {
		fprintf(stderr, "test_ivshmem: cannot map the fake RAM at 0x%llx\n", FAKE_RAM);
		return 1;
	}
	enable();
	pool0 = mem_pool.used;
	test_root_end();
	test_cell_end(pool0);
	if (test_failures)
		fprintf(stderr, "--- hypervisor console ---\n%.*s\n", (int)host_uart_len, host_uart);
	return test_report("test_ivshmem");
}
