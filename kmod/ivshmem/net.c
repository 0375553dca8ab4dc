// SPDX-License-Identifier: GPL-2.0
/*
 * ivnet<N>: an Ethernet device over a two-peer link (IVSHMEM_PROTO_NET), the ring protocol of
 * net.h. Nothing here waits for the peer: transmit copies into our ring or stops the queue,
 * receive takes what the peer's ring holds (NAPI), and the handshake runs in a work item on
 * every interrupt and on a timer, so a peer that dies, hangs or writes nonsense costs us at
 * most a lost link (carrier off) and a new session.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/workqueue.h>

#include "ivshm.h"
#include "net.h"

#define IVNET_DEFAULT_MTU	16384
#define IVNET_POLL_JIFFIES	(HZ / 4)	/* handshake poll: lost interrupts cost no more */

struct ivnet {
	struct ivshm_dev *d;
	struct net_device *ndev;
	struct napi_struct napi;
	struct work_struct work;
	struct timer_list timer;
	struct mutex lock;		/* the handshake: running, sid, the rings' reset */
	struct ivnet_hdr *mine, *theirs;
	u8 *tx_ring, *rx_ring;
	u32 ring_size;
	u32 max_frame;
	u32 peer;
	u32 sid;
	u32 tx_head;			/* xmit (tx lock), or the handshake with tx disabled */
	u32 rx_tail;			/* NAPI, or the handshake with NAPI idle */
	bool running;			/* interface up */
	bool up;			/* link up: carrier */
	bool bad;			/* the peer broke the protocol: new session */
};

static u32 tx_room(struct ivnet *n)
{
	return ivnet_room(n->tx_head, READ_ONCE(n->theirs->rx_tail), n->ring_size);
}

/* room for the largest frame wherever it lands (a wrap wastes less than one entry) */
static bool tx_room_for_any(struct ivnet *n)
{
	return tx_room(n) >= 2 * ivnet_entry_size(n->max_frame);
}

static void kick_work(struct ivnet *n)
{
	if (READ_ONCE(n->running))
		schedule_work(&n->work);
}

/*
 * Nonsense in the peer's ring or counters. A peer that left looks the same for a moment (the
 * hypervisor zeroes its section): that is no protocol error, the handshake takes the link down.
 */
static void mark_bad(struct ivnet *n, const char *why)
{
	if (ivshm_peer_state(n->d, n->peer) != IVNET_STATE_RUN ||
	    READ_ONCE(n->theirs->sid) != READ_ONCE(n->mine->peer_sid)) {
		kick_work(n);
		return;
	}
	net_warn_ratelimited("%s: peer %u broke the ring protocol (%s): new session\n",
			     n->ndev->name, n->peer, why);
	WRITE_ONCE(n->bad, true);
	kick_work(n);
}

static void put_frame(struct ivnet *n, struct sk_buff *skb)
{
	u32 pos = n->tx_head & (n->ring_size - 1);
	struct ivnet_frame *f;

	if (ivnet_need(n->tx_head, skb->len, n->ring_size) > ivnet_entry_size(skb->len)) {
		f = (struct ivnet_frame *)(n->tx_ring + pos);
		WRITE_ONCE(f->len, 0);
		WRITE_ONCE(f->flags, IVNET_F_WRAP);
		n->tx_head += n->ring_size - pos;
		pos = 0;
	}
	f = (struct ivnet_frame *)(n->tx_ring + pos);
	skb_copy_bits(skb, 0, f + 1, skb->len);
	WRITE_ONCE(f->len, skb->len);
	WRITE_ONCE(f->flags, 0);
	n->tx_head += ivnet_entry_size(skb->len);
	/* the frame before the head that announces it */
	smp_store_release(&n->mine->tx_head, n->tx_head);
}

static netdev_tx_t ivnet_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct ivnet *n = netdev_priv(ndev);

	if (!READ_ONCE(n->up) || skb->len > n->max_frame || !tx_room_for_any(n)) {
		ndev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	put_frame(n, skb);
	ndev->stats.tx_packets++;
	ndev->stats.tx_bytes += skb->len;
	dev_consume_skb_any(skb);
	ivshm_doorbell(n->d, n->peer);
	if (tx_room_for_any(n))
		return NETDEV_TX_OK;
	/* full: ask the peer for a doorbell when it consumes, then look again (it may have) */
	WRITE_ONCE(n->mine->tx_waiting, 1);
	smp_mb();
	if (!tx_room_for_any(n))
		netif_stop_queue(ndev);
	else
		WRITE_ONCE(n->mine->tx_waiting, 0);
	return NETDEV_TX_OK;
}

static void tx_wake(struct ivnet *n)
{
	if (!READ_ONCE(n->up) || !netif_queue_stopped(n->ndev))
		return;
	if (n->tx_head - READ_ONCE(n->theirs->rx_tail) > n->ring_size) {
		mark_bad(n, "consumed more than was sent");
		return;
	}
	if (tx_room_for_any(n)) {
		WRITE_ONCE(n->mine->tx_waiting, 0);
		netif_wake_queue(n->ndev);
	}
}

static void rx_frame(struct ivnet *n, const struct ivnet_frame *f, u32 len)
{
	struct net_device *ndev = n->ndev;
	struct sk_buff *skb = napi_alloc_skb(&n->napi, len);

	if (!skb) {
		ndev->stats.rx_dropped++;
		return;
	}
	memcpy(skb_put(skb, len), f + 1, len);
	skb->protocol = eth_type_trans(skb, ndev);
	ndev->stats.rx_packets++;
	ndev->stats.rx_bytes += len;
	napi_gro_receive(&n->napi, skb);
}

/*
 * The frame (or wrap) at the tail: its size in the ring, 0 when the peer wrote nonsense.
 * Every field is read once: the peer may change them under us.
 */
static u32 rx_one(struct ivnet *n, u32 avail, bool *frame)
{
	const struct ivnet_frame *f = (const void *)(n->rx_ring + (n->rx_tail & (n->ring_size - 1)));
	u32 len = READ_ONCE(f->len), flags = READ_ONCE(f->flags), size;
	int is_frame;

	size = ivnet_rx_span(n->rx_tail, avail, len, flags, n->ring_size, n->max_frame, &is_frame);
	*frame = is_frame;
	if (!size) {
		mark_bad(n, "frame length or place");
		return 0;
	}
	if (is_frame)
		rx_frame(n, f, len);
	return size;
}

static int rx_ring(struct ivnet *n, int budget)
{
	u32 head = smp_load_acquire(&n->theirs->tx_head);
	u32 avail = head - n->rx_tail, size;
	bool frame;
	int done = 0;

	if (avail > n->ring_size) {
		mark_bad(n, "head beyond the ring");
		return 0;
	}
	while (avail && done < budget) {
		size = rx_one(n, avail, &frame);
		if (!size)
			break;
		done += frame;
		n->rx_tail += size;
		avail -= size;
	}
	/* our copies done before the peer may reuse the space */
	smp_store_release(&n->mine->rx_tail, n->rx_tail);
	smp_mb();
	if (READ_ONCE(n->theirs->tx_waiting))
		ivshm_doorbell(n->d, n->peer);
	return done;
}

static int ivnet_poll(struct napi_struct *napi, int budget)
{
	struct ivnet *n = container_of(napi, struct ivnet, napi);
	int done = 0;

	if (READ_ONCE(n->up) && !READ_ONCE(n->bad))
		done = rx_ring(n, budget);
	tx_wake(n);
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

/* Hard irq: data (NAPI) and, when the peer's view changed, the handshake. */
static void ivnet_irq(struct ivshm_dev *d)
{
	struct ivnet *n = d->priv;

	if (!READ_ONCE(n->running))
		return;
	if (READ_ONCE(n->up))
		napi_schedule(&n->napi);
	if (!READ_ONCE(n->up) ||
	    ivshm_peer_state(d, n->peer) != IVNET_STATE_RUN ||
	    READ_ONCE(n->theirs->sid) != READ_ONCE(n->mine->peer_sid) ||
	    READ_ONCE(n->theirs->peer_sid) != n->sid)
		schedule_work(&n->work);
}

static void ivnet_timer(struct timer_list *t)
{
	struct ivnet *n = from_timer(n, t, timer);

	if (!READ_ONCE(n->running))
		return;
	schedule_work(&n->work);
	if (READ_ONCE(n->up))
		napi_schedule(&n->napi);
	mod_timer(&n->timer, jiffies + IVNET_POLL_JIFFIES);
}

static void link_up(struct ivnet *n)
{
	smp_rmb();	/* the peer's rx_tail as reset before it named our session */
	WRITE_ONCE(n->up, true);
	netif_carrier_on(n->ndev);
	netif_wake_queue(n->ndev);
	local_bh_disable();
	napi_schedule(&n->napi);
	local_bh_enable();
	netdev_info(n->ndev, "link to peer %u up\n", n->peer);
}

/* With NAPI enabled (interface up): no transmit or receive runs on return. */
static void link_down(struct ivnet *n, const char *why)
{
	if (!n->up)
		return;
	WRITE_ONCE(n->up, false);
	netif_carrier_off(n->ndev);
	netif_tx_disable(n->ndev);
	napi_synchronize(&n->napi);
	netdev_info(n->ndev, "link to peer %u down: %s\n", n->peer, why);
}

/* Only with the link down: neither transmit nor receive touches the rings. */
static void reset_rings(struct ivnet *n)
{
	n->tx_head = 0;
	n->rx_tail = 0;
	WRITE_ONCE(n->mine->tx_head, 0);
	WRITE_ONCE(n->mine->rx_tail, 0);
	WRITE_ONCE(n->mine->tx_waiting, 0);
}

static void new_session(struct ivnet *n)
{
	u32 sid;

	do
		sid = get_random_u32();
	while (!sid || sid == n->sid);
	reset_rings(n);
	n->sid = sid;
	WRITE_ONCE(n->mine->magic, IVNET_MAGIC);
	WRITE_ONCE(n->mine->version, IVNET_VERSION);
	WRITE_ONCE(n->mine->peer_sid, 0);
	WRITE_ONCE(n->mine->sid, sid);
	WRITE_ONCE(n->bad, false);
	smp_wmb();
	ivshm_set_state(n->d, IVNET_STATE_READY);
	ivshm_doorbell(n->d, n->peer);
}

static bool peer_present(struct ivnet *n, u32 state)
{
	if (state != IVNET_STATE_READY && state != IVNET_STATE_RUN)
		return false;
	smp_rmb();	/* its header, written before its state */
	return READ_ONCE(n->theirs->magic) == IVNET_MAGIC &&
	       READ_ONCE(n->theirs->version) == IVNET_VERSION && READ_ONCE(n->theirs->sid);
}

/* The handshake of net.h, one step: called on interrupts and the timer, under n->lock. */
static void sync_link(struct ivnet *n)
{
	u32 state = ivshm_peer_state(n->d, n->peer);
	u32 sid, peer_sid;

	if (READ_ONCE(n->bad)) {
		link_down(n, "protocol error");
		new_session(n);
		return;
	}
	if (!peer_present(n, state)) {
		link_down(n, state ? "peer not speaking ivnet" : "peer gone (state 0)");
		if (READ_ONCE(n->mine->peer_sid)) {
			WRITE_ONCE(n->mine->peer_sid, 0);
			ivshm_set_state(n->d, IVNET_STATE_READY);
		}
		return;
	}
	sid = READ_ONCE(n->theirs->sid);
	if (sid != READ_ONCE(n->mine->peer_sid)) {
		link_down(n, "peer restarted");
		reset_rings(n);
		WRITE_ONCE(n->mine->peer_sid, sid);
		smp_wmb();
		ivshm_set_state(n->d, IVNET_STATE_RUN);
		ivshm_doorbell(n->d, n->peer);
	}
	peer_sid = READ_ONCE(n->theirs->peer_sid);
	if (state == IVNET_STATE_RUN && peer_sid == n->sid) {
		if (!n->up)
			link_up(n);
	} else if (n->up) {
		/* the peer left our session without a sign: start over, both of us */
		link_down(n, "peer out of step");
		new_session(n);
	}
}

static void ivnet_work(struct work_struct *work)
{
	struct ivnet *n = container_of(work, struct ivnet, work);

	mutex_lock(&n->lock);
	if (n->running)
		sync_link(n);
	mutex_unlock(&n->lock);
}

static int ivnet_open(struct net_device *ndev)
{
	struct ivnet *n = netdev_priv(ndev);

	netif_carrier_off(ndev);
	netif_stop_queue(ndev);
	napi_enable(&n->napi);
	mutex_lock(&n->lock);
	WRITE_ONCE(n->running, true);
	new_session(n);
	sync_link(n);
	mutex_unlock(&n->lock);
	mod_timer(&n->timer, jiffies + IVNET_POLL_JIFFIES);
	return 0;
}

static int ivnet_stop(struct net_device *ndev)
{
	struct ivnet *n = netdev_priv(ndev);

	mutex_lock(&n->lock);
	WRITE_ONCE(n->running, false);
	mutex_unlock(&n->lock);
	del_timer_sync(&n->timer);
	cancel_work_sync(&n->work);
	link_down(n, "interface down");
	napi_disable(&n->napi);
	ivshm_set_state(n->d, 0);
	memset(n->mine, 0, sizeof(*n->mine));
	return 0;
}

static const struct net_device_ops ivnet_ops = {
	.ndo_open = ivnet_open,
	.ndo_stop = ivnet_stop,
	.ndo_start_xmit = ivnet_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static int ring_geometry(struct ivshm_dev *d, u32 *ring_size, u32 *max_mtu)
{
	if (d->peers != 2) {
		pci_err(d->pdev, "the net protocol links exactly 2 peers, this link has %u\n",
			d->peers);
		return -EINVAL;
	}
	*ring_size = ivnet_ring_size(d->out_size);
	if (!*ring_size) {
		pci_err(d->pdev, "output sections of %llu bytes are too small for the net "
			"protocol (at least 8 KiB)\n", d->out_size);
		return -EINVAL;
	}
	*max_mtu = ivnet_max_frame(*ring_size) - ETH_HLEN;
	return 0;
}

static void init_ivnet(struct ivnet *n, struct ivshm_dev *d, struct net_device *ndev,
		       u32 ring_size)
{
	n->d = d;
	n->ndev = ndev;
	n->peer = 1 - d->id;
	n->ring_size = ring_size;
	n->mine = ivshm_output(d, d->id);
	n->theirs = ivshm_output(d, n->peer);
	n->tx_ring = (u8 *)n->mine + IVNET_RING_OFFSET;
	n->rx_ring = (u8 *)n->theirs + IVNET_RING_OFFSET;
	n->max_frame = ndev->max_mtu + ETH_HLEN;
	mutex_init(&n->lock);
	INIT_WORK(&n->work, ivnet_work);
	timer_setup(&n->timer, ivnet_timer, 0);
	netif_napi_add(ndev, &n->napi, ivnet_poll);
}

int ivshm_net_probe(struct ivshm_dev *d)
{
	struct net_device *ndev;
	u32 ring_size, max_mtu;
	struct ivnet *n;
	int err;

	err = ring_geometry(d, &ring_size, &max_mtu);
	if (err)
		return err;
	ndev = alloc_etherdev(sizeof(*n));
	if (!ndev)
		return -ENOMEM;
	strscpy(ndev->name, "ivnet%d", IFNAMSIZ);
	SET_NETDEV_DEV(ndev, &d->pdev->dev);
	ndev->netdev_ops = &ivnet_ops;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = max_mtu;
	ndev->mtu = min_t(u32, IVNET_DEFAULT_MTU, max_mtu);
	eth_hw_addr_random(ndev);
	n = netdev_priv(ndev);
	init_ivnet(n, d, ndev, ring_size);
	memset(n->mine, 0, sizeof(*n->mine));
	netif_carrier_off(ndev);
	d->priv = n;
	err = register_netdev(ndev);
	if (err) {
		pci_err(d->pdev, "cannot register the network device (%d)\n", err);
		netif_napi_del(&n->napi);
		free_netdev(ndev);
		return err;
	}
	smp_wmb();	/* the handler sees d->priv set */
	WRITE_ONCE(d->irq_fn, ivnet_irq);
	netdev_info(ndev, "peer %u of the link, ring %u KiB, MTU %u (max %u)\n", d->id,
		    ring_size >> 10, ndev->mtu, max_mtu);
	return 0;
}

/* The interrupt handler is gone already (ivshm_remove()). */
void ivshm_net_remove(struct ivshm_dev *d)
{
	struct ivnet *n = d->priv;
	struct net_device *ndev = n->ndev;

	unregister_netdev(ndev);
	del_timer_sync(&n->timer);
	cancel_work_sync(&n->work);
	netif_napi_del(&n->napi);
	free_netdev(ndev);
}
