// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ivshmem-demo: one end of an inter-cell link (hv/include/ivshmem.h) in a bare-metal cell. It
 * finds its ivshmem function on bus 0 of its ECAM window (110a:4106), gives BAR0 an address if
 * it has none (bar0=, default DEFAULT_BAR0), enables memory decoding, reads the vendor
 * capability (state table address, section sizes), its id and the number of peers from the
 * registers and its SPI from the Interrupt Line register; maps the link memory as Normal
 * memory, enables the SPI and INT_CTRL, writes its state IVSHMEM_ECHO_READY and answers the
 * echo protocol (hv/include/ivshmem_echo.h) in every mode. Then, by mode=:
 *   echo (default)   answer every peer; "echoed N" once a second when N changed
 *   ping             peer=K count=N size=S: N round trips to peer K, each message's data
 *                    different and checked when it comes back; then
 *                    "ping peer=K size=S: ok=.. bad=.. timeouts=.." and
 *                    "rtt ns: min=.. avg=.. max=.. samples=.." (generic timer); then echo
 *   write-peer       fill our own output section with 0xa5, wait delay-ms=, write into peer K's
 *                    output section (read-only for us): the cell must end FAILED
 *   write-state      the same, then a write into the state table (read-only): FAILED
 *   flood            peer=K count=N (0: forever): doorbells in a loop, "flood: N doorbells"
 *                    once a second
 *   sgi-ping         bare-metal reference without a hypervisor (-smp 2): count=N SGI round
 *                    trips to cpu1=MPIDR (default 1), "rtt ns: ..." as for ping
 *   bar0, regs       hostile modes (ivshmem-hostile.c) for tests/system/hostile-ivshmem.sh
 * More options: wait=irq|poll (how ping waits for an answer: wfi until the doorbell, or
 * spinning), ecam= (library), irq= (instead of the Interrupt Line), timeout-ms=1000 (per round
 * trip), every=1 (ping: a progress line every N round trips if > 1, none by default).
 */
#include <inmate.h>
#include <ivshmem.h>
#include <ivshmem_echo.h>
#include <config_format.h>

#include "ivshmem-demo.h"

#define DEFAULT_BAR0		0x3efe0000UL	/* top of QEMU virt's 32-bit PCI window */
#define WAKE_US			10000		/* idle wake-up: comm region, reports */
#define SGI_PING		1
#define SGI_PONG		2
#define MAX_DATA		0x10000

struct link {
	int bdf;
	uintptr_t regs;
	u8 *mem;
	u64 state_size, rw_size, out_size, slot_size;
	u32 id, peers, irq;
};

struct stats {
	u64 min, max, sum, count;
};

static struct link ln;
static volatile u64 doorbells;		/* our link interrupts */
static volatile u64 pongs;		/* sgi-ping: SGI_PONG on cpu 0 */
static u64 cpu0_mpidr;
static u32 answered[HVCFG_IVSHMEM_MAX_PEERS];	/* per peer: seq of its latest message seen */
static u32 asked[HVCFG_IVSHMEM_MAX_PEERS];	/* per peer: seq of our question in flight */
static u64 echoed, bad_msgs;
static u8 expect[MAX_DATA];

static u32 reg_read(unsigned int reg)
{
	return mmio_read32(ln.regs + reg);
}

static void reg_write(unsigned int reg, u32 val)
{
	mmio_write32(ln.regs + reg, val);
}

static u32 peer_state(u32 peer)
{
	return ((volatile u32 *)ln.mem)[peer];
}

static u8 *out_section(u32 peer)
{
	return ln.mem + ln.state_size + ln.rw_size + peer * ln.out_size;
}

/* Slot `to` of peer `from`'s output section: from's latest message to `to`. */
static volatile struct ivshmem_echo_msg *slot(u32 from, u32 to)
{
	return (volatile struct ivshmem_echo_msg *)(out_section(from) + to * ln.slot_size);
}

static u8 *slot_data(volatile struct ivshmem_echo_msg *m)
{
	return (u8 *)m + IVSHMEM_ECHO_HDR_SIZE;
}

static u32 echo_sum(const u8 *data, u32 len)
{
	u32 h = IVSHMEM_ECHO_SUM_INIT, i;

	for (i = 0; i < len; i++)
		h = IVSHMEM_ECHO_SUM_STEP(h, data[i]);
	return h;
}

static void doorbell(u32 peer)
{
	dsb(ish);	/* the message before the interrupt that announces it */
	reg_write(IVSHMEM_REG_DOORBELL, IVSHMEM_DOORBELL(peer, 0));
}

static void irq_handler(unsigned int irq, u64 entry_ticks)
{
	(void)entry_ticks;
	if (irq == IRQ_VTIMER)
		timer_stop();	/* level-triggered: only a wake-up, never a storm */
	else if (irq == ln.irq && ln.irq)
		doorbells++;
	else if (irq == SGI_PING)
		irq_send_sgi(SGI_PONG, cpu0_mpidr);
	else if (irq == SGI_PONG)
		pongs++;
	else
		printk("ivshmem-demo: unexpected IRQ %u\n", irq);
}

/* wfi with interrupts masked (so none is lost between the caller's check and the wfi), then
 * take what arrived. The timer ends the wait at the latest after us. */
static void idle_wait(u64 us)
{
	timer_arm(timer_ns_to_ticks(us * 1000));
	wfi();
	local_irq_enable();
	local_irq_disable();
}

static u64 cfg_read64(unsigned int reg)
{
	return pci_read_config(ln.bdf, reg, 4) | (u64)pci_read_config(ln.bdf, reg + 4, 4) << 32;
}

/* The function, its BAR0, capability and registers; 0 when usable. */
static int find_link(void)
{
	unsigned int cap = IVSHMEM_CFG_VNDR_CAP;
	u64 addr, size;
	u32 bar;

	if (pci_init()) {
		printk("ivshmem-demo: no ECAM window (ecam=0x%llx)\n", pci_ecam_base());
		return -1;
	}
	ln.bdf = pci_find_device(IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID, 0);
	if (ln.bdf < 0) {
		printk("ivshmem-demo: no ivshmem function on bus 0 of 0x%llx\n", pci_ecam_base());
		return -1;
	}
	bar = pci_read_config(ln.bdf, PCI_CFG_BAR0, 4) & ~0xfU;
	if (!bar) {
		bar = cmdline_get_u64("bar0", DEFAULT_BAR0);
		pci_write_config(ln.bdf, PCI_CFG_BAR0, bar, 4);
	}
	pci_write_config(ln.bdf, PCI_CFG_COMMAND, PCI_CMD_MEM, 2);
	if (pci_find_cap(ln.bdf, IVSHMEM_CAP_ID_VNDR) != cap)
		printk("ivshmem-demo: vendor capability not at 0x%x\n", cap);
	ln.regs = bar;
	ln.state_size = pci_read_config(ln.bdf, cap + IVSHMEM_VCAP_STATE_SIZE, 4);
	ln.rw_size = cfg_read64(cap + IVSHMEM_VCAP_RW_SIZE);
	ln.out_size = cfg_read64(cap + IVSHMEM_VCAP_OUT_SIZE);
	addr = cfg_read64(cap + IVSHMEM_VCAP_ADDR);
	ln.irq = cmdline_get_u64("irq", pci_read_config(ln.bdf, PCI_CFG_INT_LINE, 1));
	ln.id = reg_read(IVSHMEM_REG_ID);
	ln.peers = reg_read(IVSHMEM_REG_MAX_PEERS);
	printk("ivshmem-demo: 00:%02x.%x class %06x bar0 0x%x irq %u id %u of %u peers, state "
	       "0x%llx rw 0x%llx out 0x%llx at 0x%llx\n", ln.bdf >> 3, ln.bdf & 7,
	       pci_read_config(ln.bdf, 0x08, 4) >> 8, bar, ln.irq, ln.id, ln.peers, ln.state_size,
	       ln.rw_size, ln.out_size, addr);
	if (ln.peers < 2 || ln.peers > HVCFG_IVSHMEM_MAX_PEERS || ln.id >= ln.peers ||
	    ln.state_size < 4 * ln.peers) {
		printk("ivshmem-demo: registers make no sense\n");
		return -1;
	}
	size = ln.state_size + ln.rw_size + ln.peers * ln.out_size;
	if (remap_range(addr, size, MAP_NORMAL_NOEXEC)) {
		printk("ivshmem-demo: cannot map 0x%llx bytes at 0x%llx\n", size, addr);
		return -1;
	}
	ln.mem = (u8 *)(uintptr_t)addr;
	ln.slot_size = (ln.out_size / ln.peers) & ~7UL;
	return 0;
}

static void start_link(void)
{
	if (ln.irq >= 32)
		irq_enable(ln.irq);
	reg_write(IVSHMEM_REG_INT_CTRL, IVSHMEM_INT_ENABLE);
	/* what the peers' slots hold now was meant for whoever had our id before us */
	for (u32 p = 0; p < ln.peers && ln.slot_size > IVSHMEM_ECHO_HDR_SIZE; p++)
		if (p != ln.id)
			answered[p] = slot(p, ln.id)->seq;
	reg_write(IVSHMEM_REG_STATE, IVSHMEM_ECHO_READY);
	printk("ivshmem-demo: state READY, peer states:");
	for (u32 p = 0; p < ln.peers; p++)
		printk(" %u", peer_state(p));
	printk("\n");
}

/* Answer every READY peer's new message to us (echo protocol). */
static void serve(void)
{
	volatile struct ivshmem_echo_msg *m, *r;
	u32 p, seq, len, sum;

	for (p = 0; p < ln.peers && ln.slot_size > IVSHMEM_ECHO_HDR_SIZE; p++) {
		if (p == ln.id || peer_state(p) != IVSHMEM_ECHO_READY)
			continue;
		m = slot(p, ln.id);
		seq = m->seq;
		/*
		 * Questions and answers share the slot: p's answer to our question carries its
		 * seq. That is no question (echoing it back would overwrite our next one):
		 * round_trip() puts the seq of each question it asked into answered[] too.
		 */
		if (!seq || seq == answered[p] || seq == asked[p])
			continue;
		dmb(ishld);	/* the data after the seq that announced it */
		answered[p] = seq;
		len = m->len;
		if (len > ln.slot_size - IVSHMEM_ECHO_HDR_SIZE) {
			printk("ivshmem-demo: peer %u seq %u: length %u too long\n", p, seq, len);
			bad_msgs++;
			continue;
		}
		sum = echo_sum(slot_data(m), len);
		if (sum != m->sum) {
			printk("ivshmem-demo: peer %u seq %u: sum %08x, message says %08x\n", p, seq,
			       sum, m->sum);
			bad_msgs++;
			continue;
		}
		r = slot(ln.id, p);
		memcpy(slot_data(r), slot_data(m), len);
		r->len = len;
		r->sum = sum;
		r->from = ln.id;
		dmb(ishst);
		r->seq = seq;
		doorbell(p);
		echoed++;
	}
}

static void stats_add(struct stats *s, u64 v)
{
	s->min = v < s->min ? v : s->min;
	s->max = v > s->max ? v : s->max;
	s->sum += v;
	s->count++;
}

static void print_rtt(struct stats *s)
{
	if (!s->count)
		s->min = 0;
	printk("rtt ns: min=%llu avg=%llu max=%llu samples=%llu\n", s->min,
	       s->count ? s->sum / s->count : 0, s->max, s->count);
}

/* Wait up to ms for peer's state READY, answering others meanwhile. */
static bool wait_ready(u32 peer, u64 ms)
{
	u64 end = timer_ticks() + timer_ns_to_ticks(ms * 1000000);

	while (peer_state(peer) != IVSHMEM_ECHO_READY) {
		if (timer_ticks() > end || comm_region_poll())
			return false;
		serve();
		idle_wait(WAKE_US);
	}
	return true;
}

static void fill_message(volatile struct ivshmem_echo_msg *m, u32 seq, u32 len)
{
	u8 *d = slot_data(m);
	u32 i;

	for (i = 0; i < len; i++)
		expect[i] = (u8)(seq * 131 + i * 7 + (i >> 8));
	memcpy(d, expect, len);
	m->len = len;
	m->sum = echo_sum(expect, len);
	m->from = ln.id;
}

/* One round trip; 0 ok, 1 bad answer, 2 timeout, 3 peer gone. */
static int round_trip(u32 peer, u32 seq, u32 len, u64 timeout, bool poll, u64 *rtt)
{
	volatile struct ivshmem_echo_msg *m = slot(ln.id, peer), *r = slot(peer, ln.id);
	u64 t0, end;

	fill_message(m, seq, len);
	asked[peer] = seq;
	dmb(ishst);
	m->seq = seq;
	t0 = timer_ticks();
	end = t0 + timeout;
	doorbell(peer);
	while (r->seq != seq) {
		if (peer_state(peer) != IVSHMEM_ECHO_READY)
			return 3;
		if (timer_ticks() > end)
			return 2;
		serve();
		if (poll)
			cpu_relax();
		else
			idle_wait(WAKE_US);
	}
	*rtt = timer_ticks_to_ns(timer_ticks() - t0);
	answered[peer] = seq;	/* the answer, should serve() look at the slot later */
	dmb(ishld);
	if (r->len != len || r->from != peer || r->sum != m->sum ||
	    memcmp(slot_data(r), expect, len))
		return 1;
	return 0;
}

static void ping(void)
{
	u32 peer = cmdline_get_u64("peer", ln.id ? 0 : 1);
	u64 count = cmdline_get_u64("count", 100), every = cmdline_get_u64("every", 0);
	u64 size = cmdline_get_u64("size", 64), i, rtt, result[4] = { 0 };
	u64 timeout = timer_ns_to_ticks(cmdline_get_u64("timeout-ms", 1000) * 1000000);
	char wait[8] = "irq";
	struct stats s = { .min = ~0UL };
	static u32 seq;
	int r = 0;

	/* a peer that missed our restart must not take our first seq for one it answered */
	if (!seq)
		seq = (u32)timer_ticks() << 8;
	cmdline_get_str("wait", wait, sizeof(wait));
	if (size > ln.slot_size - IVSHMEM_ECHO_HDR_SIZE || size > MAX_DATA)
		size = ln.slot_size - IVSHMEM_ECHO_HDR_SIZE;
	if (peer >= ln.peers || peer == ln.id) {
		printk("ping: no peer %u\n", peer);
		return;
	}
	printk("ping: waiting for peer %u\n", peer);
	if (!wait_ready(peer, 30000)) {
		printk("ping: peer %u not ready (state %u)\n", peer, peer_state(peer));
		return;
	}
	for (i = 0; i < count; i++) {
		seq = seq + 1 ?: 1;
		r = round_trip(peer, seq, size, timeout, !strncmp(wait, "poll", 5), &rtt);
		answered[peer] = seq;	/* a late answer is no question either */
		result[r]++;
		if (r == 0)
			stats_add(&s, rtt);
		else
			printk("ping: round trip %llu: %s\n", i + 1, r == 1 ? "BAD ANSWER" :
			       r == 2 ? "TIMEOUT" : "peer left");
		if (r == 3 || comm_region_poll())
			break;
		if (every > 1 && (i + 1) % every == 0)
			printk("ping: %llu round trips\n", i + 1);
	}
	printk("ping peer=%u size=%llu: ok=%llu bad=%llu timeouts=%llu%s\n", peer, size, result[0],
	       result[1], result[2], r == 3 ? " peer-left" : "");
	print_rtt(&s);
}

static void echo_loop(void)
{
	u64 printed = 0, next = timer_ticks();

	while (!comm_region_poll()) {
		serve();
		if (echoed != printed && timer_ticks() >= next) {
			printk("echoed %llu%s\n", echoed, bad_msgs ? " (bad messages seen)" : "");
			printed = echoed;
			next = timer_ticks() + timer_frequency();
		}
		idle_wait(WAKE_US);
	}
	printk("echoed %llu, bad %llu: shutting down\n", echoed, bad_msgs);
}

static void write_fault(bool state)
{
	u32 peer = cmdline_get_u64("peer", ln.id ? 0 : 1) % ln.peers;
	volatile u32 *target = state ? (volatile u32 *)ln.mem + ln.id :
			       (volatile u32 *)out_section(peer);

	memset(out_section(ln.id), 0xa5, ln.out_size);
	dsb(ish);
	printk("write-%s: own output section filled with a5\n", state ? "state" : "peer");
	delay_us(cmdline_get_u64("delay-ms", 0) * 1000);
	printk("write-%s: writing 0x%llx (%s)\n", state ? "state" : "peer",
	       (u64)(uintptr_t)target, state ? "our state table entry" : "the peer's output");
	*target = 0xbad;
	dsb(ish);
	printk("write-%s: the write went through: BUG\n", state ? "state" : "peer");
}

static void flood(void)
{
	u32 peer = cmdline_get_u64("peer", ln.id ? 0 : 1) % ln.peers;
	u64 count = cmdline_get_u64("count", 0), n = 0, next = timer_ticks();

	while (!count || n < count) {
		reg_write(IVSHMEM_REG_DOORBELL, IVSHMEM_DOORBELL(peer, 0));
		n++;
		if (n % 256)
			continue;
		if (comm_region_poll())
			break;
		if (timer_ticks() >= next) {
			printk("flood: %llu doorbells to peer %u\n", n, peer);
			next = timer_ticks() + timer_frequency();
		}
	}
	printk("flood: %llu doorbells to peer %u, done\n", n, peer);
}

static void sgi_cpu1(unsigned int cpu, u64 context_id)
{
	(void)cpu;
	(void)context_id;
	irq_init(irq_handler);
	irq_enable(SGI_PING);
	local_irq_enable();
	for (;;)
		wfi();
}

/* Bare-metal reference: SGI to cpu1, which answers with an SGI, count times. */
static void sgi_ping(void)
{
	u64 count = cmdline_get_u64("count", 100), i, t0, seen, rtt;
	struct stats s = { .min = ~0UL };

	cpu0_mpidr = cpu_mpidr();
	if (smp_start_cpu(1, cmdline_get_u64("cpu1", 1), sgi_cpu1) != PSCI_SUCCESS) {
		printk("sgi-ping: cannot start cpu1\n");
		return;
	}
	irq_enable(SGI_PONG);
	delay_us(10000);	/* cpu1 reaches its wfi */
	for (i = 0; i < count; i++) {
		seen = pongs;
		t0 = timer_ticks();
		irq_send_sgi(SGI_PING, cmdline_get_u64("cpu1", 1));
		while (pongs == seen && timer_ticks() - t0 < timer_frequency())
			idle_wait(WAKE_US);
		rtt = timer_ticks_to_ns(timer_ticks() - t0);
		if (pongs != seen)
			stats_add(&s, rtt);
	}
	printk("sgi-ping: ok=%llu timeouts=%llu\n", s.count, count - s.count);
	print_rtt(&s);
}

void inmate_main(void)
{
	char mode[16] = "echo";

	cmdline_get_str("mode", mode, sizeof(mode));
	irq_init(irq_handler);
	irq_enable(IRQ_VTIMER);
	local_irq_disable();	/* taken only inside idle_wait() */
	if (!strncmp(mode, "sgi-ping", 9)) {
		sgi_ping();
		return;
	}
	if (find_link())
		return;
	start_link();
	if (!strncmp(mode, "ping", 5))
		ping();
	else if (!strncmp(mode, "write-peer", 11) || !strncmp(mode, "write-state", 12))
		write_fault(mode[6] == 's');
	else if (!strncmp(mode, "flood", 6))
		flood();
	else if (!strncmp(mode, "bar0", 5))
		hostile_bar0(ln.bdf, cmdline_get_u64("addr", ln.regs));
	else if (!strncmp(mode, "regs", 5))
		hostile_regs(ln.regs, ln.id, ln.peers);
	else if (strncmp(mode, "echo", 5))
		printk("ivshmem-demo: unknown mode %s, echo\n", mode);
	echo_loop();
	reg_write(IVSHMEM_REG_STATE, 0);
	timer_stop();
	cpu_halt();
}
