/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jailhouse_ivshmem.ko internals: one struct ivshm_dev per link end (an ivshmem v2 PCI
 * function, hv/include/ivshmem.h), shared by the protocol front ends (cdev.c: /dev/ivshmem<N>,
 * net.c: ivnet<N>).
 */
#ifndef JH_KMOD_IVSHM_H
#define JH_KMOD_IVSHM_H

#include <linux/io.h>
#include <linux/pci.h>

#include "ivshmem.h"

struct ivshm_dev {
	struct pci_dev *pdev;
	void __iomem *regs;		/* the register page (BAR0) */
	phys_addr_t regs_phys;
	void *mem;			/* the link's memory, from the state table on */
	phys_addr_t phys;
	u64 size;
	u64 rw_size;
	u64 out_size;
	u32 state_size;
	u32 id;				/* own peer id */
	u32 peers;			/* the link's number of peers */
	u16 protocol;
	int index;			/* N of /dev/ivshmem<N> */
	void *priv;			/* the front end's */
	/* the front end's interrupt handler (hard irq context); NULL: not ours (yet/any more) */
	void (*irq_fn)(struct ivshm_dev *d);
};

static inline u32 ivshm_peer_state(const struct ivshm_dev *d, u32 peer)
{
	return READ_ONCE(((const u32 *)d->mem)[peer]);
}

static inline u64 ivshm_output_offset(const struct ivshm_dev *d, u32 peer)
{
	return d->state_size + d->rw_size + (u64)peer * d->out_size;
}

static inline void *ivshm_output(const struct ivshm_dev *d, u32 peer)
{
	return d->mem + ivshm_output_offset(d, peer);
}

static inline void ivshm_set_state(const struct ivshm_dev *d, u32 state)
{
	writel(state, d->regs + IVSHMEM_REG_STATE);
}

/* writel() orders our earlier writes to the link memory before the doorbell. */
static inline void ivshm_doorbell(const struct ivshm_dev *d, u32 peer)
{
	writel(IVSHMEM_DOORBELL(peer, 0), d->regs + IVSHMEM_REG_DOORBELL);
}

int ivshm_cdev_probe(struct ivshm_dev *d);
void ivshm_cdev_remove(struct ivshm_dev *d);
int ivshm_net_probe(struct ivshm_dev *d);
void ivshm_net_remove(struct ivshm_dev *d);

#endif
