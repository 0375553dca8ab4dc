// SPDX-License-Identifier: GPL-2.0
/*
 * The cell life cycle of the core (setup.c, cell.c, control.c) on the host, over the fake arch:
 * enable, create, refusals (each with its reason, nothing half-applied, nothing leaked), start,
 * destroy and repeated cycles. "Physical" memory is 64 MiB of host memory mapped at
 * FAKE_RAM; the hypervisor's image header is placed at FAKE_HV by the linker (--defsym).
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
#define FAKE_POOL	0x42000000ULL	/* cell pool: up to FAKE_HV */
#define FAKE_HV		0x43e00000ULL	/* must match --defsym=hv_header= in hv/Makefile */
#define FAKE_HV_SIZE	0x200000ULL
#define CONFIG_AT	0x10000ULL	/* the system blob's offset in the hypervisor memory */
#define BLOB_AT		0x40100000ULL	/* where the root puts a cell blob */
#define CELL_RAM	FAKE_POOL
#define PCI_FN		0x10		/* 00:02.0 */
#define PCI_FN2		0x18		/* 00:03.0 */
#define PCI_WINDOW	(FAKE_POOL + 0x800000)	/* a cell region, guest = physical, for BARs */

static struct blob sys_blob;

static void make_system(void)
{
	make_valid(&sys_blob);
	sys_blob.sys.hypervisor_mem_base = FAKE_HV;
	sys_blob.sys.hypervisor_mem_size = FAKE_HV_SIZE;
	sys_blob.mem[1] = (struct hvcfg_memory_region){ FAKE_RAM, FAKE_RAM, FAKE_POOL - FAKE_RAM,
							HVCFG_MEM_READ | HVCFG_MEM_WRITE };
	sys_blob.mem[2] = (struct hvcfg_memory_region){ FAKE_POOL, FAKE_POOL, FAKE_HV - FAKE_POOL,
							HVCFG_MEM_READ | HVCFG_MEM_WRITE |
							HVCFG_MEM_CELL_POOL };
	/* PCI functions cells may take: 00:02.0 and 00:03.0 (fake_pci.h) */
	sys_blob.sys.root_cell.num_pci_devices = 2;
	sys_blob.pci[0] = (struct hvcfg_pci_device){ .bdf = PCI_FN, .type = HVCFG_PCI_DEVICE,
						     .iommu = HVCFG_PCI_NO_IOMMU };
	sys_blob.pci[1] = sys_blob.pci[0];
	sys_blob.pci[1].bdf = PCI_FN2;
	seal(&sys_blob);
}

static void enable(void)
{
	struct hv_header *h = (void *)(uintptr_t)FAKE_HV;

	make_system();
	h->core_size = CONFIG_AT;
	h->mem_size = FAKE_HV_SIZE;
	h->config_offset = CONFIG_AT;
	h->config_size = sizeof(sys_blob);
	h->online_cpus = 1;
	memcpy((void *)(uintptr_t)(FAKE_HV + CONFIG_AT), &sys_blob, sizeof(sys_blob));
	fake_this_cpu = per_cpu(0);
	CHECK(hv_entry(0) == 0);
	CHECK(hv.root.cpu_set.w[0] == 0xf && per_cpu(0)->state == CPU_RUNNING);
	CHECK(fake_mapped(&hv.root, FAKE_RAM, FAKE_HV - FAKE_RAM));
	/* the root's interrupts from its two resource entries: SPIs 32-287 */
	CHECK(cell_owns_irq(&hv.root, 32) && cell_owns_irq(&hv.root, 160) &&
	      cell_owns_irq(&hv.root, 287));
	CHECK(!cell_owns_irq(&hv.root, 31) && !cell_owns_irq(&hv.root, 288));
	/* CPUs 1-3: Linux offlined them, so they wait parked in the hypervisor */
	for (unsigned int n = 1; n < 4; n++) {
		per_cpu(n)->id = n;
		per_cpu(n)->cell = &hv.root;
		per_cpu(n)->state = CPU_PARKED;
		per_cpu(n)->parked = true;
	}
}

/* A cell named name with CPU cpu, 1 MiB of pool RAM at ram and SPI irq, at BLOB_AT. */
static struct cell_blob *put_cell(const char *name, unsigned int cpu, u64 ram, unsigned int irq)
{
	struct cell_blob *c = (void *)(uintptr_t)BLOB_AT;

	make_cell(c, &sys_blob);
	memset(c->cell.cell.name, 0, sizeof(c->cell.cell.name));
	strcpy(c->cell.cell.name, name);
	c->cpu_set[0] = 1ULL << cpu;
	c->mem[0].phys_start = ram;
	memset(c->irqchips[0].pin_bitmap, 0, sizeof(c->irqchips[0].pin_bitmap));
	c->irqchips[0].pin_base = irq / 32 * 32;
	irqchip_set(&c->irqchips[0], irq);
	seal_cell(c);
	return c;
}

static long create(void)
{
	return hypercall(per_cpu(0), HC_CELL_CREATE, BLOB_AT, 0);
}

/* A refusal: the reason given, and nothing the request touched changed. */
static void check_refused(long ret, unsigned int reason)
{
	CHECK(ret < 0 && hv_ret_reason(ret) == reason);
	CHECK(hv_ret_errno(ret) == hv_refusal_errno(reason));
}

static void test_create_destroy(unsigned long pool0)
{
	struct cell *cell;
	long id;

	put_cell("one", 1, CELL_RAM, 34);
	id = create();
	CHECK(id == 1);
	cell = hv.cells[1];
	CHECK(cell && hv.root.cpu_set.w[0] == 0xd && per_cpu(1)->cell == cell);
	CHECK(!fake_any_mapped(&hv.root, CELL_RAM, 0x100000));	/* gone from the root */
	CHECK(fake_mapped(&hv.root, CELL_RAM + 0x100000, 0x1000));
	CHECK(fake_mapped(cell, 0, 0x100000));
	CHECK(fake_irq_owner[34] == cell && !(hv.root.irq_bitmap[0] & 1ULL << 34));
	CHECK(mem_pool.used > pool0);

	CHECK(hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0) == 0);
	CHECK(!hv.cells[1] && hv.root.cpu_set.w[0] == 0xf && per_cpu(1)->cell == &hv.root);
	CHECK(fake_mapped(&hv.root, FAKE_RAM, FAKE_HV - FAKE_RAM));
	CHECK(fake_irq_owner[34] == &hv.root && hv.root.irq_bitmap[0] & 1ULL << 34);
	CHECK(mem_pool.used == pool0);

	/* a pin of an entry that starts elsewhere: indexed by pin_base + bit */
	put_cell("one", 1, CELL_RAM, 250);
	CHECK(create() == 1);
	CHECK(fake_irq_owner[250] == hv.cells[1] && !cell_owns_irq(&hv.root, 250));
	CHECK(cell_owns_irq(hv.cells[1], 250) && !cell_owns_irq(hv.cells[1], 250 - 224));
	CHECK(hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0) == 0);
	CHECK(fake_irq_owner[250] == &hv.root && cell_owns_irq(&hv.root, 250));
}

static void test_refusals(unsigned long pool0)
{
	put_cell("one", 1, CELL_RAM, 34);
	CHECK(create() == 1);
	check_refused(create(), HV_R_NAME_TAKEN);
	put_cell("two", 1, CELL_RAM + 0x200000, 35);
	check_refused(create(), HV_R_CPU_NOT_ROOT);
	put_cell("two", 2, CELL_RAM + 0x80000, 35);
	check_refused(create(), HV_R_REGION_HELD);
	put_cell("two", 2, CELL_RAM + 0x200000, 34);
	check_refused(create(), HV_R_IRQ_NOT_ROOT);
	put_cell("two", 0, CELL_RAM + 0x200000, 35);
	check_refused(create(), HV_R_CPU_CALLER);
	per_cpu(2)->parked = false;			/* Linux still runs on it */
	put_cell("two", 2, CELL_RAM + 0x200000, 35);
	check_refused(create(), HV_R_CPU_ONLINE);
	per_cpu(2)->parked = true;
	((struct cell_blob *)(uintptr_t)BLOB_AT)->cell.header.crc32 ^= 1;
	check_refused(create(), CFG_E_CRC);
	put_cell("two", 2, CELL_RAM + 0x200000, 35);
	check_refused(hypercall(per_cpu(0), HC_CELL_CREATE, FAKE_HV + CONFIG_AT, 0),
		      HV_R_BLOB_PLACE);			/* in the hypervisor's memory */
	memcpy((void *)(uintptr_t)CELL_RAM, (void *)(uintptr_t)BLOB_AT, sizeof(struct cell_blob));
	check_refused(hypercall(per_cpu(0), HC_CELL_CREATE, CELL_RAM, 0), HV_R_BLOB_PLACE);
	/* a cell's own management calls: a plain -EPERM, its guest ABI has no reasons */
	CHECK(hypercall(per_cpu(1), HC_CELL_CREATE, BLOB_AT, 0) == -EPERM);
	fake_cell_init_fails = true;
	check_refused(create(), HV_R_NO_MEMORY);
	fake_cell_init_fails = false;
	/* none of it left a trace: one cell, its CPU, its memory, the pool as with one cell */
	CHECK(hv.cells[1] && !hv.cells[2] && hv.root.cpu_set.w[0] == 0xd);
	CHECK(fake_mapped(&hv.root, CELL_RAM + 0x100000, FAKE_HV - CELL_RAM - 0x100000));
	CHECK(fake_irq_owner[35] != hv.cells[1]);

	check_refused(hypercall(per_cpu(0), HC_CELL_DESTROY, 0, 0), HV_R_ROOT_CELL);
	check_refused(hypercall(per_cpu(0), HC_CELL_DESTROY, 5, 0), HV_R_NO_CELL);
	CHECK(hypercall(per_cpu(1), HC_CELL_DESTROY, 1, 0) == -EPERM);
	CHECK(hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0) == 0);
	CHECK(mem_pool.used == pool0);
}

static void test_start_and_shutdown(unsigned long pool0)
{
	u8 *ram = (void *)(uintptr_t)CELL_RAM;

	put_cell("one", 1, CELL_RAM, 34);
	CHECK(create() == 1);
	CHECK(hypercall(per_cpu(0), HC_CELL_SET_LOADABLE, 1, 0) == 0);
	CHECK(fake_mapped(&hv.root, CELL_RAM, 0x100000));	/* the root loads the image */
	memset(ram, 0x5a, 0x1000);
	CHECK(hypercall(per_cpu(0), HC_CELL_START, 1, 0) == 0);
	CHECK(!fake_any_mapped(&hv.root, CELL_RAM, 0x100000));
	CHECK(per_cpu(1)->state == CPU_RUNNING);
	hv.cells[1]->comm->cell_state = HV_CELL_RUNNING;
	/* a cell that never answers is shut down within the reply limit, then FAILED */
	fake_cell_reply = HV_REPLY_NONE;
	fake_now_us = 0;
	CHECK(hypercall(per_cpu(0), HC_CELL_SET_LOADABLE, 1, 0) == 0);
	CHECK(hv.cells[1]->comm->cell_state == HV_CELL_FAILED);
	CHECK(fake_now_us <= 2 * HVCFG_MSG_REPLY_LIMIT_US);
	CHECK(ram[0] == 0);		/* a cell that ran is scrubbed before the root sees it */
	fake_cell_reply = HV_REPLY_APPROVED;
	CHECK(hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0) == 0);
	CHECK(mem_pool.used == pool0);
}

/*
 * put_cell()'s cell with a region for BARs at ram + 8 MiB (guest = physical) and one PCI
 * function, bar[1] and bar[2] as given
 */
struct pci_cell_blob {
	struct hvcfg_cell cell;
	uint64_t cpu_set[1];
	struct hvcfg_memory_region mem[3];
	struct hvcfg_irqchip irqchips[1];
	struct hvcfg_pci_device pci[2];		/* the second one unused unless asked */
};

static struct pci_cell_blob *put_pci_cell(const char *name, unsigned int cpu, u64 ram, u16 bdf,
					  u8 type, u32 bar1, u32 bar2)
{
	struct pci_cell_blob *c = (void *)(uintptr_t)BLOB_AT;
	struct cell_blob tmp;
	struct hvcfg_cell_desc *d = &c->cell.cell;

	make_cell(&tmp, &sys_blob);
	memset(c, 0, sizeof(*c));
	c->cell = tmp.cell;
	c->cell.header.total_size = sizeof(*c);
	memset(d->name, 0, sizeof(d->name));
	strcpy(d->name, name);
	d->cpu_set_offset = offsetof(struct pci_cell_blob, cpu_set);
	d->num_mem_regions = 3;
	d->mem_regions_offset = offsetof(struct pci_cell_blob, mem);
	d->num_irqchips = 0;
	d->irqchips_offset = offsetof(struct pci_cell_blob, irqchips);
	d->pio_regions_offset = sizeof(*c);
	d->num_pci_devices = 1;
	d->pci_devices_offset = offsetof(struct pci_cell_blob, pci);
	c->cpu_set[0] = 1ULL << cpu;
	c->mem[0] = tmp.mem[0];
	c->mem[0].phys_start = ram;
	c->mem[1] = tmp.mem[1];
	c->mem[2] = (struct hvcfg_memory_region){ ram + 0x800000, ram + 0x800000, 0x100000,
						  HVCFG_MEM_READ | HVCFG_MEM_WRITE };
	c->pci[0] = (struct hvcfg_pci_device){ .bdf = bdf, .type = type,
					       .iommu = HVCFG_PCI_NO_IOMMU };
	c->pci[0].bar[1] = bar1;
	c->pci[0].bar[2] = bar2;
	seal_crc(c, sizeof(*c));
	return c;
}

/* The function's BARs 0-3 and command register are what the root had (fake_pci_add()). */
static bool pci_as_root_had(const struct fake_pci_func *f)
{
	return fake_get(f, PCI_BAR0, 4) == 0x1001 && fake_get(f, PCI_BAR0 + 4, 4) == 0x10000000 &&
	       fake_get(f, PCI_BAR0 + 8, 4) == 0x10004004 && fake_get(f, PCI_BAR0 + 12, 4) == 0;
}

static void test_pci(unsigned long pool0)
{
	struct fake_pci_func *f = fake_pci_add(0, PCI_FN), *f2 = fake_pci_add(1, PCI_FN2);
	struct per_cpu *root_cpu = per_cpu(0), *cell_cpu = per_cpu(2);
	u32 bar2 = PCI_WINDOW + 0x4000 + PCI_BAR_MEM64;
	struct pci_cell_blob *c;
	long ret;

	put_pci_cell("pci", 2, CELL_RAM, PCI_FN, HVCFG_PCI_DEVICE, PCI_WINDOW, bar2);
	ret = create();
	CHECK(ret == 1);
	if (ret != 1)
		return;
	/* decoding off, the configured BARs programmed, the hidden I/O BAR left as it was */
	CHECK(fake_get(f, PCI_COMMAND, 2) == 0);
	CHECK(fake_get(f, PCI_BAR0 + 4, 4) == PCI_WINDOW && fake_get(f, PCI_BAR0 + 8, 4) == bar2);
	CHECK(fake_get(f, PCI_BAR0, 4) == 0x1001);
	CHECK(hv.cells[1]->pci[0].mask[1] == 0xfffff000 && hv.cells[1]->pci[0].mask[3] == ~0u);
	/* the root reads all ones there, the cell its view; both read the root's 00:03.0 as such */
	CHECK(pci_cfg_access(root_cpu, "test", false, PCI_FN, 0, 4, false, 0) == ~0u);
	pci_cfg_access(root_cpu, "test", false, PCI_FN, PCI_BAR0 + 4, 4, true, 0x12340000);
	CHECK(fake_get(f, PCI_BAR0 + 4, 4) == PCI_WINDOW);
	CHECK(pci_cfg_access(cell_cpu, "test", false, PCI_FN, 0, 4, false, 0) == 0x00021b36);
	CHECK(pci_cfg_access(cell_cpu, "test", false, PCI_FN, PCI_BAR0, 4, false, 0) == 0);
	CHECK(pci_cfg_access(cell_cpu, "test", false, PCI_FN, PCI_BAR0 + 4, 4, false, 0) ==
	      PCI_WINDOW);
	CHECK(pci_cfg_access(cell_cpu, "test", true, PCI_FN2, 0, 4, false, 0) == ~0u);
	CHECK(pci_cfg_access(root_cpu, "test", false, PCI_FN2, 0, 4, false, 0) == 0x00021b36);
	/* a function nobody lists: the root reads all ones (this arch: listed only) */
	CHECK(pci_cfg_access(root_cpu, "test", false, 0x20, 0, 4, false, 0) == ~0u);
	pci_cfg_access(cell_cpu, "test", false, PCI_FN, PCI_COMMAND, 2, true, 7);
	CHECK(fake_get(f, PCI_COMMAND, 2) == PCI_CMD_MEM);	/* no bus mastering, no I/O: BAR0 hidden */

	/* destroy: reset (command 0, FLR), the root's BARs back */
	CHECK(hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0) == 0);
	CHECK(fake_get(f, PCI_COMMAND, 2) == 0 && pci_as_root_had(f));
	CHECK(fake_get(f, 0x60 + PCI_EXP_DEVCTL, 2) & PCI_EXP_DEVCTL_FLR);
	CHECK(pci_cfg_access(root_cpu, "test", false, PCI_FN, 0, 4, false, 0) == 0x00021b36);
	CHECK(mem_pool.used == pool0);

	/* refusals leave the function as the root had it, decoding included */
	f = fake_pci_add(0, PCI_FN);
	put_pci_cell("pci", 2, CELL_RAM, PCI_FN, HVCFG_PCI_DEVICE, 0x50000000, bar2);
	check_refused(create(), HV_R_PCI_BAR);		/* outside the cell's regions */
	CHECK(pci_as_root_had(f) && fake_get(f, PCI_COMMAND, 2) == (PCI_CMD_IO | PCI_CMD_MEM));
	put_pci_cell("pci", 2, CELL_RAM, PCI_FN, HVCFG_PCI_DEVICE, PCI_WINDOW + 0x800, bar2);
	check_refused(create(), HV_R_PCI_BAR);		/* not aligned to its size */
	put_pci_cell("pci", 2, CELL_RAM, PCI_FN, HVCFG_PCI_DEVICE, PCI_WINDOW | PCI_BAR_IO, bar2);
	check_refused(create(), HV_R_PCI_BAR);		/* I/O where the hardware has memory */
	put_pci_cell("pci", 2, CELL_RAM, PCI_FN, HVCFG_PCI_DEVICE, PCI_WINDOW, PCI_WINDOW + 0x4000);
	check_refused(create(), HV_R_PCI_BAR);		/* 32-bit where it is 64-bit */
	put_pci_cell("pci", 2, CELL_RAM, PCI_FN, HVCFG_PCI_DEVICE, PCI_WINDOW,
		     PCI_WINDOW + 0x100000 + PCI_BAR_MEM64);
	check_refused(create(), HV_R_PCI_BAR);		/* just past the region's end */
	put_pci_cell("pci", 2, CELL_RAM, PCI_FN, HVCFG_PCI_BRIDGE, PCI_WINDOW, bar2);
	check_refused(create(), HV_R_PCI_BRIDGE);	/* a bridge by the config */
	fake_put(f2, PCI_HEADER_TYPE, 1, 0x81);
	put_pci_cell("pci", 2, CELL_RAM, PCI_FN2, HVCFG_PCI_DEVICE, PCI_WINDOW, bar2);
	check_refused(create(), HV_R_PCI_BRIDGE);	/* a bridge by the hardware */
	f2->present = false;
	check_refused(create(), HV_R_PCI_ABSENT);
	CHECK(pci_as_root_had(f) && mem_pool.used == pool0 && !hv.cells[1]);

	/* the second function refused: the first, already taken, is given back */
	f2 = fake_pci_add(1, PCI_FN2);
	c = put_pci_cell("pci", 2, CELL_RAM, PCI_FN, HVCFG_PCI_DEVICE, PCI_WINDOW, bar2);
	c->cell.cell.num_pci_devices = 2;
	c->pci[1] = c->pci[0];
	c->pci[1].bdf = PCI_FN2;
	c->pci[1].bar[1] = 0x50000000;
	seal_crc(c, sizeof(*c));
	check_refused(create(), HV_R_PCI_BAR);
	CHECK(pci_as_root_had(f) && fake_get(f, PCI_COMMAND, 2) == 0);
	CHECK(pci_as_root_had(f2) && fake_get(f2, PCI_COMMAND, 2) == (PCI_CMD_IO | PCI_CMD_MEM));
	CHECK(mem_pool.used == pool0 && !hv.cells[1]);

	/* a function is one cell's */
	put_pci_cell("pci", 2, CELL_RAM, PCI_FN, HVCFG_PCI_DEVICE, PCI_WINDOW, bar2);
	CHECK(create() == 1);
	put_pci_cell("pci2", 1, CELL_RAM + 0x200000, PCI_FN, HVCFG_PCI_DEVICE, 0, 0);
	CHECK(PCI_WINDOW == CELL_RAM + 0x800000);
	ret = create();
	check_refused(ret, HV_R_PCI_HELD);
	CHECK(fake_get(f, PCI_BAR0 + 4, 4) == PCI_WINDOW);	/* untouched */
	CHECK(hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0) == 0);
	CHECK(pci_as_root_had(f) && mem_pool.used == pool0);
}

/*
 * Guaranteed control: a CPU that ignores the management event is stopped by revocation within
 * the bounds; one that does not stop even then gets its management call refused, in bounded
 * time, with nothing handed back, and a retry succeeds once it has parked.
 */
static void test_deaf_cpus(unsigned long pool0)
{
	u8 *ram = (void *)(uintptr_t)CELL_RAM;
	u64 t0;

	CHECK(fake_revokes == 0);		/* no other test needed it */
	put_cell("deaf", 2, CELL_RAM, 34);
	CHECK(create() == 1);
	CHECK(hypercall(per_cpu(0), HC_CELL_START, 1, 0) == 0);
	hv.cells[1]->comm->cell_state = HV_CELL_RUNNING;
	cpu_set_add(&fake_deaf, 2);

	/* deaf, but revocation catches it: shut down, recovered, memory back as it was */
	t0 = fake_now_us;
	CHECK(hypercall(per_cpu(0), HC_CELL_SET_LOADABLE, 1, 0) == 0);
	CHECK(fake_revokes == 1 && !fake_revoked[1]);
	CHECK(fake_now_us - t0 >= PARK_EVENT_US && fake_now_us - t0 < 2 * PARK_EVENT_US);
	CHECK(per_cpu(2)->parked && per_cpu(2)->state == CPU_PARKED);
	CHECK(hv.cells[1]->comm->cell_state == HV_CELL_SHUT_DOWN);
	CHECK(strstr(host_uart, "Cell \"deaf\": CPU 2 did not answer the management interrupt "
		     "within 200 ms: recovered by stage-2 revocation after "));
	CHECK(fake_mapped(&hv.root, CELL_RAM, 0x100000));	/* loadable into the root */

	/* started again, deaf and stuck: refused within the bounds, nothing changes hands */
	CHECK(hypercall(per_cpu(0), HC_CELL_START, 1, 0) == 0);
	CHECK(!fake_any_mapped(&hv.root, CELL_RAM, 0x100000));
	hv.cells[1]->comm->cell_state = HV_CELL_RUNNING;
	ram[0] = 0x5a;
	cpu_set_add(&fake_stuck, 2);
	t0 = fake_now_us;
	check_refused(hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0), HV_R_CPU_STUCK);
	CHECK(fake_now_us - t0 <= PARK_EVENT_US + PARK_REVOKED_US + 1000);
	CHECK(hv.cells[1] && fake_revoked[1] && per_cpu(2)->cell == hv.cells[1]);
	CHECK(per_cpu(2)->failed && !cpu_set_has(&hv.root.cpu_set, 2));
	CHECK(hv.cells[1]->comm->cell_state == HV_CELL_FAILED);
	CHECK(!fake_any_mapped(&hv.root, CELL_RAM, 0x100000) && ram[0] == 0x5a);
	CHECK(strstr(host_uart, "Cell \"deaf\": CPU 2 did not stop within 1200 ms, not even "
		     "after stage-2 revocation"));
	check_refused(hypercall(per_cpu(0), HC_CELL_START, 1, 0), HV_R_CPU_STUCK);
	CHECK(fake_revoked[1]);

	/* the CPU parks late (it was stuck in the hypervisor): the retry completes */
	fake_park(per_cpu(2));
	CHECK(per_cpu(2)->state == CPU_FAILED);
	CHECK(hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0) == 0);
	CHECK(!hv.cells[1] && per_cpu(2)->cell == &hv.root && !per_cpu(2)->failed);
	CHECK(hv.root.cpu_set.w[0] == 0xf && mem_pool.used == pool0);
	CHECK(fake_mapped(&hv.root, FAKE_RAM, FAKE_HV - FAKE_RAM) && ram[0] == 0);
	fake_deaf = fake_stuck = (struct cpu_set){ 0 };
}

/* CPU sets span CONFIG_MAX_CPUS (100 in the host build: two words). */
_Static_assert(CONFIG_MAX_CPUS > 70, "the host build tests sets of more than one word");

static void test_cpu_sets(void)
{
	struct cpu_set a = { 0 }, b = { 0 };
	char hex[CPU_SET_WORDS * 16 + 1];

	cpu_set_add(&a, 1);
	cpu_set_add(&a, 70);
	cpu_set_add(&a, CONFIG_MAX_CPUS);		/* beyond the build: ignored */
	CHECK(cpu_set_has(&a, 1) && cpu_set_has(&a, 70) && !cpu_set_has(&a, 69));
	CHECK(!cpu_set_has(&a, CONFIG_MAX_CPUS));
	CHECK(!strcmp(cpu_set_hex(&a, hex, sizeof(hex)), "400000000000000002"));
	cpu_set_add(&b, 70);
	cpu_set_andnot(&a, &b);
	CHECK(!cpu_set_has(&a, 70) && cpu_set_has(&a, 1));
	CHECK(!strcmp(cpu_set_hex(&a, hex, sizeof(hex)), "2"));
	cpu_set_or(&a, &b);
	CHECK(cpu_set_has(&a, 70));
	CHECK(strstr(host_uart, "Created cell \"one\" (id 1), CPUs 0x2,"));
}

static void test_cycles(unsigned long pool0)
{
	unsigned int n, ok = 0;

	for (n = 0; n < 100; n++) {
		put_cell(n % 2 ? "odd" : "even", 1 + n % 3, CELL_RAM + (n % 4) * 0x200000, 32 + n % 8);
		ok += create() == 1 && hypercall(per_cpu(0), HC_CELL_START, 1, 0) == 0 &&
		      hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0) == 0 && mem_pool.used == pool0;
	}
	CHECK(ok == 100);
	CHECK(hv.root.cpu_set.w[0] == 0xf && fake_mapped(&hv.root, FAKE_RAM, FAKE_HV - FAKE_RAM));
}

/*
 * A cell's own power-off (PSCI SYSTEM_OFF from Linux): SHUT_DOWN, every CPU of it asked to park
 * (the others kicked), nothing handed back; the root may start it again and destroy it.
 */
static void test_self_shutdown(unsigned long pool0)
{
	struct cell_blob *c = put_cell("linux", 1, CELL_RAM, 35);

	c->cpu_set[0] = 1ULL << 1 | 1ULL << 2;
	seal_cell(c);
	CHECK(create() == 1);
	CHECK(hypercall(per_cpu(0), HC_CELL_START, 1, 0) == 0);
	hv.cells[1]->comm->cell_state = HV_CELL_RUNNING;
	per_cpu(2)->state = CPU_RUNNING;
	per_cpu(2)->parked = false;
	cell_cpu_shut_down(per_cpu(1), "PSCI SYSTEM_OFF");
	CHECK(hv.cells[1]->comm->cell_state == HV_CELL_SHUT_DOWN);
	CHECK(per_cpu(1)->park_request && per_cpu(2)->park_request);
	CHECK(per_cpu(2)->parked && !per_cpu(1)->failed && !per_cpu(2)->failed);
	CHECK(hypercall(per_cpu(0), HC_CELL_GET_STATE, 1, 0) == HV_CELL_SHUT_DOWN);
	CHECK(!cpu_set_has(&hv.root.cpu_set, 1) && !cpu_set_has(&hv.root.cpu_set, 2));
	CHECK(strstr(host_uart, "Cell \"linux\" shut itself down (PSCI SYSTEM_OFF on CPU 1)"));
	per_cpu(1)->state = CPU_PARKED;		/* the caller parks on its way out */
	per_cpu(1)->parked = true;
	CHECK(hypercall(per_cpu(0), HC_CELL_START, 1, 0) == 0);
	CHECK(per_cpu(1)->state == CPU_RUNNING);
	CHECK(hypercall(per_cpu(0), HC_CELL_DESTROY, 1, 0) == 0);
	CHECK(hv.root.cpu_set.w[0] == 0xf && mem_pool.used == pool0);
}

int main(void)
{
	unsigned long pool0;
	void *ram = mmap((void *)(uintptr_t)FAKE_RAM, FAKE_RAM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (ram != (void *)(uintptr_t)FAKE_RAM) {
		fprintf(stderr, "test_cell: cannot map the fake RAM at 0x%llx\n", FAKE_RAM);
		return 1;
	}
	enable();
	pool0 = mem_pool.used;
	test_create_destroy(pool0);
	test_refusals(pool0);
	test_start_and_shutdown(pool0);
	test_cycles(pool0);
	test_self_shutdown(pool0);
	test_cpu_sets();
	test_deaf_cpus(pool0);
	test_pci(pool0);
	if (test_failures)	/* what the hypervisor said, for the failing checks above */
		fprintf(stderr, "--- hypervisor console ---\n%.*s\n", (int)host_uart_len, host_uart);
	return test_report("test_cell");
}
