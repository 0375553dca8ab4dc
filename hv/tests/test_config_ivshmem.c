// SPDX-License-Identifier: GPL-2.0
/*
 * The validator's link checks (config_ivshmem.c): a system with one link and a root end, and
 * a cell with the other end, pass; each rule has a bad case that gets its own answer.
 */
#include <stdlib.h>
#include <string.h>
#include "config_check.h"
#include "ivshmem.h"
#include "test.h"
#include "../core/config_check.c"
#include "../core/config_cross.c"
#include "../core/sha256.c"
#include "../arch/arm-common/config_check_arm.c"
#include "../arch/arm64/include/asm/cfg_limits.h"

#include "blobs.h"

static struct cfg_limits lim = ARCH_CFG_LIMITS(8);

#include "cfg_runs.h"

#define LINK_PHYS	0x80000000ULL
#define LINK_SIZE	(0x1000 + 0x1000 + 3 * 0x10000)

static enum cfg_result run(struct blob *b)
{
	struct cfg_status st;
	int err = cfg_check_system(b, sizeof(*b), &lim, &st);

	CHECK((err == 0) == (st.code == CFG_OK));
	CHECK(err == cfg_result_errno(st.code));
	return st.code;
}

/* The system with link "echo" (3 peers) and the root as its peer 0. */
static void make_linked(struct blob *b)
{
	make_valid(b);
	b->sys.num_ivshmem_links = 1;
	b->links[0] = (struct hvcfg_ivshmem_link){ .name = "echo", .phys_start = LINK_PHYS,
		.rw_size = 0x1000, .out_size = 0x10000, .state_size = 0x1000,
		.protocol = IVSHMEM_PROTO_ECHO, .num_peers = 3 };
	b->sys.root_cell.num_ivshmem_ends = 1;
	b->ends[0] = (struct hvcfg_ivshmem_end){ .guest_start = LINK_PHYS, .link = 0, .irq = 35,
		.bar0 = 0, .bdf = 0x10 << 3, .peer_id = 0 };
	seal(b);
}

/* A cell made for b with peer 1 of the link at guest 0x200000, BAR0 at 0x10000000, SPI 34. */
static void make_peer(struct cell_blob *c, const struct blob *b)
{
	make_cell(c, b);
	c->cell.cell.num_ivshmem_ends = 1;
	c->ends[0] = (struct hvcfg_ivshmem_end){ .guest_start = 0x200000, .link = 0, .irq = 34,
		.bar0 = 0x10000000, .bdf = 0x10 << 3, .peer_id = 1 };
	seal_cell(c);
}

static void check_links(struct blob *b)
{
	make_linked(b);
	CHECK(run(b) == CFG_OK);
	CHECK(cfg_link_size(&b->links[0]) == LINK_SIZE);
	b->sys.num_ivshmem_links = HVCFG_MAX_IVSHMEM_LINKS + 1; seal(b);
	CHECK(run(b) == CFG_E_COUNT);
	make_linked(b); b->sys.num_ivshmem_links = 3; seal(b);
	CHECK(run(b) == CFG_E_OFFSET);			/* past the end of the blob */
	make_linked(b); b->sys.ivshmem_links_offset += 4; seal(b);
	CHECK(run(b) == CFG_E_OFFSET);			/* misaligned */
	make_linked(b); b->links[0].name[0] = 0; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* empty name */
	make_linked(b); memset(b->links[0].name, 'a', HVCFG_NAME_LEN); seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* not NUL-terminated */
	make_linked(b); b->links[0].name[6] = 'x'; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* not NUL-padded */
	make_linked(b); b->links[0].name[1] = '\n'; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* not printable */
	make_linked(b); b->links[0].padding0 = 1; seal(b);
	CHECK(run(b) == CFG_E_RESERVED);
	make_linked(b); b->links[0].num_peers = 1; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* a link needs two peers */
	make_linked(b); b->links[0].num_peers = HVCFG_IVSHMEM_MAX_PEERS + 1; seal(b);
	CHECK(run(b) == CFG_E_LINK);
	make_linked(b); b->links[0].num_peers = HVCFG_IVSHMEM_MAX_PEERS; seal(b);
	CHECK(run(b) == CFG_OK);
	make_linked(b); b->links[0].protocol = 0x2; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* a reserved protocol */
	make_linked(b); b->links[0].protocol = IVSHMEM_PROTO_NET; seal(b);
	CHECK(run(b) == CFG_OK);
	make_linked(b); b->links[0].state_size = 0; seal(b);
	CHECK(run(b) == CFG_E_LINK);
	make_linked(b); b->links[0].state_size = 0x800; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* not a page multiple */
	make_linked(b); b->links[0].rw_size = 0x800; seal(b);
	CHECK(run(b) == CFG_E_LINK);
	make_linked(b); b->links[0].out_size = 0x10800; seal(b);
	CHECK(run(b) == CFG_E_LINK);
	make_linked(b); b->links[0].phys_start += 0x800; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* not page aligned */
	make_linked(b); b->links[0].rw_size = 0; b->links[0].out_size = 0; seal(b);
	CHECK(run(b) == CFG_OK);			/* a state table alone is a link */
	make_linked(b); b->links[0].out_size = 0x5555555555555000ULL; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* 3 outputs overflow 64 bits */
	make_linked(b); b->links[0].rw_size = 0xfffffffffffff000ULL; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* state + rw overflow */
	make_linked(b); b->links[0].phys_start = 0xffffffffffff0000ULL; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* wraps around the address space */
	make_linked(b); b->links[0].phys_start = 0x7f7f0000; seal(b);
	CHECK(run(b) == CFG_E_LINK_OVERLAP);		/* over the hypervisor memory */
	make_linked(b); b->links[0].phys_start = 0x7f000000; seal(b);
	CHECK(run(b) == CFG_E_LINK_OVERLAP);		/* inside a root region */
	make_linked(b); b->links[0].phys_start = 0x3fff0000; seal(b);
	CHECK(run(b) == CFG_E_LINK_OVERLAP);		/* into a root region */
	make_linked(b); b->sys.num_ivshmem_links = 2; b->links[1] = b->links[0];
	b->links[1].phys_start += LINK_SIZE; seal(b);
	CHECK(run(b) == CFG_E_LINK);			/* the same name twice */
	b->links[1].name[0] = 'f'; seal(b);
	CHECK(run(b) == CFG_OK);
	b->links[1].phys_start -= 0x1000; seal(b);
	CHECK(run(b) == CFG_E_LINK_OVERLAP);		/* over the first link */
}

/* The root's ends: on their own (config_ivshmem.c's cfg_check_ends) and against the links. */
static void check_root_ends(struct blob *b)
{
	make_linked(b); b->sys.root_cell.num_ivshmem_ends = HVCFG_MAX_IVSHMEM_ENDS + 1; seal(b);
	CHECK(run(b) == CFG_E_COUNT);
	make_linked(b); b->sys.root_cell.num_ivshmem_ends = ARM64_MAX_IVSHMEM_ENDS + 1; seal(b);
	CHECK(run(b) == CFG_E_COUNT);			/* the arch's limit */
	make_linked(b); b->sys.root_cell.num_ivshmem_ends = 8; seal(b);
	CHECK(run(b) == CFG_E_OFFSET);
	make_linked(b); b->sys.root_cell.ivshmem_ends_offset = 4; seal(b);
	CHECK(run(b) == CFG_E_OFFSET);
	make_linked(b); b->ends[0].padding0 = 1; seal(b);
	CHECK(run(b) == CFG_E_RESERVED);
	make_linked(b); b->ends[0].link = 1; seal(b);
	CHECK(run(b) == CFG_E_END);			/* no link 1 */
	make_linked(b); b->ends[0].link = 0xffffffff; seal(b);
	CHECK(run(b) == CFG_E_END);
	make_linked(b); b->ends[0].peer_id = 3; seal(b);
	CHECK(run(b) == CFG_E_END);			/* the link has 3 peers */
	make_linked(b); b->ends[0].peer_id = 0xff; seal(b);
	CHECK(run(b) == CFG_E_END);
	make_linked(b); b->sys.root_cell.num_ivshmem_ends = 2; b->ends[1] = b->ends[0];
	b->ends[1].bdf = 0x11 << 3; b->ends[1].guest_start = LINK_PHYS + 0x100000; seal(b);
	CHECK(run(b) == CFG_E_END);			/* (link, peer) twice */
	b->ends[1].peer_id = 1; seal(b);
	CHECK(run(b) == CFG_OK);			/* two peers of one link: allowed */
	b->ends[1].bdf = b->ends[0].bdf; seal(b);
	CHECK(run(b) == CFG_E_END_PCI);			/* one function twice */
	b->ends[1].bdf = 0x11 << 3; b->ends[1].guest_start = LINK_PHYS + 0x1000; seal(b);
	CHECK(run(b) == CFG_E_END_MEM);			/* over the other end's link memory */
	make_linked(b); b->ends[0].bdf = 0x100 | (0x10 << 3); seal(b);
	CHECK(run(b) == CFG_E_END_PCI);			/* bus 1 */
	make_linked(b); b->sys.root_cell.num_pci_devices = 1;
	b->pci[0] = (struct hvcfg_pci_device){ .bdf = 0x10 << 3, .type = HVCFG_PCI_DEVICE,
					      .iommu = HVCFG_PCI_NO_IOMMU }; seal(b);
	CHECK(run(b) == CFG_E_END_PCI);			/* a real function's BDF */
	make_linked(b); b->ends[0].irq = 16; seal(b);
	CHECK(run(b) == CFG_E_END_IRQ);			/* not one of the root's pins */
	make_linked(b); b->ends[0].irq = 288; seal(b);
	CHECK(run(b) == CFG_E_END_IRQ);
	make_linked(b); b->ends[0].guest_start += 0x800; seal(b);
	CHECK(run(b) == CFG_E_END_MEM);			/* not page aligned */
	make_linked(b); b->ends[0].guest_start = 0x7f000000; seal(b);
	CHECK(run(b) == CFG_E_END_MEM);			/* over a root region */
	make_linked(b); b->ends[0].guest_start = (1ULL << ARM64_IPA_BITS) - 0x1000; seal(b);
	CHECK(run(b) == CFG_E_END_MEM);			/* beyond the guest-physical space */
	make_linked(b); b->ends[0].bar0 = 0x10000800; seal(b);
	CHECK(run(b) == CFG_E_END_MEM);			/* BAR0 not page aligned */
	make_linked(b); b->ends[0].bar0 = 0x40001000; seal(b);
	CHECK(run(b) == CFG_E_END_MEM);			/* BAR0 in the root's RAM */
	make_linked(b); b->ends[0].bar0 = LINK_PHYS + 0x2000; seal(b);
	CHECK(run(b) == CFG_E_END_MEM);			/* BAR0 inside the link memory */
	make_linked(b); b->ends[0].bar0 = 0x10000000; seal(b);
	CHECK(run(b) == CFG_OK);
	make_linked(b); b->sys.root_cell.num_ivshmem_ends = 2; b->ends[1] = b->ends[0];
	b->ends[1].peer_id = 1; b->ends[1].bdf = 0x11 << 3;
	b->ends[1].guest_start = LINK_PHYS + 0x100000; b->ends[0].bar0 = 0x10000000;
	b->ends[1].bar0 = 0x10000000; seal(b);
	CHECK(run(b) == CFG_E_END_MEM);			/* one BAR0 page twice */
}

static void check_cell_ends(struct blob *b, struct cell_blob *c)
{
	struct cfg_status st;

	make_linked(b); make_peer(c, b);
	CHECK(run_cell(b, c) == CFG_OK);
	CHECK(cfg_check_cell(c, sizeof(*c), &lim, 4, &st) == 0);
	c->ends[0].peer_id = 0; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_ROOT_PEER);	/* the root's peer */
	make_peer(c, b); c->ends[0].peer_id = 2; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_OK);
	make_peer(c, b); c->ends[0].link = 1; seal_cell(c);
	CHECK(cfg_check_cell(c, sizeof(*c), &lim, 4, &st) == 0);	/* unknown alone ... */
	CHECK(run_cell(b, c) == CFG_E_END);		/* ... no such link in the system */
	make_peer(c, b); c->ends[0].peer_id = 3; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_END);
	make_peer(c, b); c->ends[0].irq = 35; seal_cell(c);
	CHECK(cfg_check_cell(c, sizeof(*c), &lim, 4, &st) == -ECHRNG && st.code == CFG_E_END_IRQ);
	make_peer(c, b); c->ends[0].guest_start = 0; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_END_MEM);		/* over the cell's RAM */
	make_peer(c, b); c->ends[0].guest_start = 0x80000000 - 0x10000; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_END_MEM);		/* into the comm region */
	make_peer(c, b); c->ends[0].bar0 = 0x80000000; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_END_MEM);		/* BAR0 over the comm region */
	make_peer(c, b); c->ends[0].bar0 = 0x210000; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_END_MEM);		/* BAR0 inside the link memory */
	make_peer(c, b); c->cell.cell.num_ivshmem_ends = 3; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_OFFSET);
	make_peer(c, b); c->cell.cell.num_ivshmem_ends = 2; c->ends[1] = c->ends[0];
	c->ends[1].bdf = 0x11 << 3; c->ends[1].bar0 = 0x10001000;
	c->ends[1].guest_start = 0x400000; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_E_END);		/* (link, peer) twice */
	c->ends[1].peer_id = 2; seal_cell(c);
	CHECK(run_cell(b, c) == CFG_OK);

	/* x86: no links yet, in the system or a cell */
	lim.max_ivshmem_ends = 0;
	make_linked(b);
	CHECK(run(b) == CFG_E_LINK_ARCH);
	b->sys.root_cell.num_ivshmem_ends = 0; seal(b);
	CHECK(run(b) == CFG_E_LINK_ARCH);
	make_valid(b); make_peer(c, b);
	CHECK(cfg_check_cell(c, sizeof(*c), &lim, 4, &st) == -EPFNOSUPPORT &&
	      st.code == CFG_E_LINK_ARCH);
	lim = (struct cfg_limits)ARCH_CFG_LIMITS(8);
}

int main(void)
{
	struct blob *b = calloc(1, sizeof(*b));
	struct cell_blob *c = calloc(1, sizeof(*c));

	CHECK(b && c);
	check_links(b);
	check_root_ends(b);
	check_cell_ends(b, c);
	CHECK(cfg_result_text(CFG_E_ROOT_PEER)[0] && cfg_result_errno(CFG_E_LINK_ARCH));
	free(b);
	free(c);
	return test_report("config_ivshmem");
}
