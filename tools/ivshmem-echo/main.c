// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-echo: round trips over an echo link from the root (docs/ivshmem.md). Every wait is
 * bounded: a peer that leaves (its state drops), hangs or answers wrongly is reported, and the
 * tool ends; nothing here can block for longer than the timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "config_format.h"
#include "echo.h"
#include "ivshmem.h"
#include "ivshmem_echo.h"
#include "ivshmem/ivshmem_ioctl.h"

#define SLICE_MS	100	/* the longest sleep between two looks at the memory */

struct link {
	const char *dev;
	int fd;
	struct ivshmem_info info;
	long page;
	const volatile uint32_t *state;
	unsigned char *out[HVCFG_IVSHMEM_MAX_PEERS];
	uint64_t slot;
	unsigned char *buf;
};

static volatile sig_atomic_t stop;
static int device_gone;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The link's pages vanish with the device (module unloaded, hypervisor disabled) */
static void on_sigbus(int sig)
{
	static const char msg[] = "ivshmem-echo: the device is gone (its memory unmapped)\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to say */
	}
	_exit(1);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int sys_fail(const struct link *l, const char *what)
{
	fprintf(stderr, "ivshmem-echo: %s: %s: %s\n", l->dev, what, strerror(errno));
	return -1;
}

static struct ivshmem_echo_msg *slot_of(const struct link *l, unsigned int owner,
					 unsigned int to)
{
	return (struct ivshmem_echo_msg *)(l->out[owner] + to * l->slot);
}

static void *map(struct link *l, unsigned long index, size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED, l->fd, index * l->page);

	return p == MAP_FAILED ? NULL : p;
}

static int map_link(struct link *l)
{
	unsigned int p;

	l->page = sysconf(_SC_PAGESIZE);
	l->state = map(l, IVSHMEM_MMAP_STATE, l->info.state_size, PROT_READ);
	if (!l->state)
		return sys_fail(l, "cannot map the state table");
	for (p = 0; p < l->info.max_peers; p++) {
		l->out[p] = map(l, IVSHMEM_MMAP_OUTPUT(p), l->info.out_size,
				PROT_READ | (p == l->info.id ? PROT_WRITE : 0));
		if (!l->out[p])
			return sys_fail(l, "cannot map an output section");
	}
	return 0;
}

static int open_link(struct link *l, const struct echo_opts *o)
{
	l->dev = o->dev;
	l->fd = open(o->dev, O_RDWR | O_CLOEXEC);
	if (l->fd < 0)
		return sys_fail(l, "cannot open");
	if (ioctl(l->fd, IVSHMEM_IOCTL_INFO, &l->info))
		return sys_fail(l, "not an ivshmem link end (IVSHMEM_IOCTL_INFO)");
	if (l->info.protocol != IVSHMEM_PROTO_ECHO) {
		fprintf(stderr, "ivshmem-echo: %s: the link speaks protocol 0x%04x, not echo "
			"(0x%04x)\n", l->dev, l->info.protocol, IVSHMEM_PROTO_ECHO);
		return -1;
	}
	if (l->info.max_peers > HVCFG_IVSHMEM_MAX_PEERS || l->info.id >= l->info.max_peers) {
		fprintf(stderr, "ivshmem-echo: %s: peer %u of %u is impossible\n", l->dev,
			l->info.id, l->info.max_peers);
		return -1;
	}
	l->slot = echo_slot_size(l->info.out_size, l->info.max_peers);
	if (l->slot < IVSHMEM_ECHO_HDR_SIZE + o->size) {
		fprintf(stderr, "ivshmem-echo: %s: %lu bytes do not fit a message slot (%llu "
			"data bytes at most)\n", l->dev, o->size, (unsigned long long)
			(l->slot > IVSHMEM_ECHO_HDR_SIZE ? l->slot - IVSHMEM_ECHO_HDR_SIZE : 0));
		return -1;
	}
	l->buf = malloc(l->slot);
	if (!l->buf)
		return sys_fail(l, "out of memory");
	return map_link(l);
}

static int set_state(struct link *l, uint32_t state)
{
	if (ioctl(l->fd, IVSHMEM_IOCTL_SET_STATE, &state))
		return sys_fail(l, "cannot set the state");
	return 0;
}

static int doorbell(struct link *l, unsigned int peer)
{
	uint32_t val = IVSHMEM_DOORBELL(peer, 0);

	if (write(l->fd, &val, sizeof(val)) != sizeof(val))
		return sys_fail(l, "doorbell");
	return 0;
}

/* Sleep until an interrupt or ms passed; -1 only when the device is gone. */
static int wait_irq(struct link *l, double ms)
{
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
	uint32_t n;
	int ret;

	ret = poll(&pfd, 1, ms < SLICE_MS ? (int)(ms + 1) : SLICE_MS);
	if (ret < 0)
		return errno == EINTR ? 0 : sys_fail(l, "poll");
	if (pfd.revents & (POLLERR | POLLHUP)) {
		fprintf(stderr, "ivshmem-echo: %s: the device is gone\n", l->dev);
		device_gone = 1;
		return -1;
	}
	if (ret > 0 && read(l->fd, &n, sizeof(n)) < 0 && errno != EAGAIN && errno != EINTR)
		return sys_fail(l, "read");
	return 0;
}

static uint32_t peer_state(const struct link *l, unsigned int peer)
{
	return __atomic_load_n(&l->state[peer], __ATOMIC_ACQUIRE);
}

static int wait_ready(struct link *l, unsigned int peer, unsigned long timeout_s)
{
	double deadline = now_us() + timeout_s * 1e6;

	while (peer_state(l, peer) != IVSHMEM_ECHO_READY) {
		if (stop)
			return -1;
		if (now_us() >= deadline) {
			fprintf(stderr, "ivshmem-echo: %s: peer %u is not ready (state %u) after "
				"%lu s\n", l->dev, peer, peer_state(l, peer), timeout_s);
			return -1;
		}
		if (wait_irq(l, (deadline - now_us()) / 1e3))
			return -1;
	}
	return 0;
}

static void post(struct link *l, unsigned int to, const unsigned char *data, uint32_t len,
		 uint32_t sum, uint32_t seq)
{
	struct ivshmem_echo_msg *m = slot_of(l, l->info.id, to);

	memcpy(m + 1, data, len);
	m->len = len;
	m->sum = sum;
	m->from = l->info.id;
	__atomic_store_n(&m->seq, seq, __ATOMIC_RELEASE);
}


/*
 * Before we become READY: an earlier run's last question left in a slot would be answered by a
 * peer that started meanwhile, over its own next question.
 */
static void clear_slots(struct link *l)
{
	unsigned int p;

	for (p = 0; p < l->info.max_peers; p++)
		if (p != l->info.id)
			__atomic_store_n(&slot_of(l, l->info.id, p)->seq, 0, __ATOMIC_RELEASE);
}

/* Our message's answer in the peer's slot for us: 1 good, 0 not (yet), -1 wrong */
static int check_answer(struct link *l, const struct echo_opts *o, uint32_t seq, unsigned long n)
{
	const struct ivshmem_echo_msg *in = slot_of(l, o->peer, l->info.id);
	uint32_t len, sum;
	long bad;

	if (__atomic_load_n(&in->seq, __ATOMIC_ACQUIRE) != seq)
		return 0;
	len = in->len;
	sum = in->sum;
	if (len != o->size) {
		fprintf(stderr, "ivshmem-echo: round trip %lu: answer of %u bytes, %lu sent\n", n,
			len, o->size);
		return -1;
	}
	memcpy(l->buf, in + 1, len);
	bad = echo_mismatch(l->buf, len, seq);
	if (bad >= 0 || sum != echo_sum(l->buf, len)) {
		fprintf(stderr, "ivshmem-echo: round trip %lu: answer differs (%s%ld)\n", n,
			bad >= 0 ? "data at byte " : "checksum", bad >= 0 ? bad : 0);
		return -1;
	}
	return 1;
}

/* One round trip: its time in us, -1 for a wrong answer, -2 to end (gone, timeout, signal) */
static double round_trip(struct link *l, const struct echo_opts *o, uint32_t seq,
			 unsigned long n)
{
	double start, deadline;
	uint32_t state;
	int ret;

	echo_fill(l->buf, o->size, seq);
	post(l, o->peer, l->buf, o->size, echo_sum(l->buf, o->size), seq);
	start = now_us();
	deadline = start + o->timeout_s * 1e6;
	if (doorbell(l, o->peer))
		return -2;
	while (!(ret = check_answer(l, o, seq, n))) {
		state = peer_state(l, o->peer);
		if (state != IVSHMEM_ECHO_READY) {
			fprintf(stderr, "ivshmem-echo: %s: peer %u left (state %u) during round "
				"trip %lu\n", l->dev, o->peer, state, n);
			return -2;
		}
		if (stop || now_us() >= deadline) {
			if (!stop)
				fprintf(stderr, "ivshmem-echo: %s: no answer from peer %u to round "
					"trip %lu within %lu s\n", l->dev, o->peer, n,
					o->timeout_s);
			return -2;
		}
		if (wait_irq(l, (deadline - now_us()) / 1e3))
			return -2;
	}
	return ret < 0 ? -1 : now_us() - start;
}

static int ping(struct link *l, const struct echo_opts *o)
{
	double t, min = 0, max = 0, total = 0;
	unsigned long n, done = 0, bad = 0;
	/* a fresh sequence: the peer may still hold an answer to an earlier run's number */
	uint32_t seq = (uint32_t)now_us() | 1;

	if (o->peer == l->info.id || o->peer >= l->info.max_peers) {
		fprintf(stderr, "ivshmem-echo: %s: peer %u is %s\n", l->dev, o->peer,
			o->peer == l->info.id ? "this end itself" : "not on the link");
		return 1;
	}
	if (wait_ready(l, o->peer, o->timeout_s))
		return 1;
	for (n = 1; n <= o->count; n++, seq = seq + 1 ? seq + 1 : 1) {
		t = round_trip(l, o, seq, n);
		if (t == -2)
			break;
		done++;
		if (t < 0) {
			bad++;
			continue;
		}
		min = done - bad == 1 || t < min ? t : min;
		max = t > max ? t : max;
		total += t;
	}
	printf("ping: count=%lu bad=%lu min=%.0f avg=%.0f max=%.0f us\n", done, bad, min,
	       done > bad ? total / (done - bad) : 0, max);
	return done == o->count && !bad ? 0 : 1;
}

/* Peer p's message to us, answered if it is new and intact; 1 answered, -1 bad, 0 nothing */
static int answer(struct link *l, unsigned int p, uint32_t *last)
{
	const struct ivshmem_echo_msg *in = slot_of(l, p, l->info.id);
	uint32_t seq = __atomic_load_n(&in->seq, __ATOMIC_ACQUIRE), len, sum;

	if (!seq || seq == *last)
		return 0;
	*last = seq;
	len = in->len;
	sum = in->sum;
	if (len > l->slot - IVSHMEM_ECHO_HDR_SIZE) {
		fprintf(stderr, "ivshmem-echo: peer %u message %u: %u bytes do not fit a slot\n",
			p, seq, len);
		return -1;
	}
	memcpy(l->buf, in + 1, len);
	if (sum != echo_sum(l->buf, len)) {
		fprintf(stderr, "ivshmem-echo: peer %u message %u: checksum differs: not answered\n",
			p, seq);
		return -1;
	}
	post(l, p, l->buf, len, sum, seq);
	return doorbell(l, p) ? -1 : 1;
}

static int serve(struct link *l, const struct echo_opts *o)
{
	uint32_t last[HVCFG_IVSHMEM_MAX_PEERS] = { 0 };
	int ready[HVCFG_IVSHMEM_MAX_PEERS] = { 0 };
	double deadline = now_us() + o->timeout_s * 1e6;
	unsigned long answered = 0, bad = 0;
	unsigned int p;
	int ret, busy, failed = 0;

	while (!stop && (!o->count || answered < o->count)) {
		busy = 0;
		for (p = 0; p < l->info.max_peers; p++) {
			if (p == l->info.id)
				continue;
			if (peer_state(l, p) != IVSHMEM_ECHO_READY) {
				if (ready[p])
					fprintf(stderr, "ivshmem-echo: peer %u left (state %u)\n",
						p, peer_state(l, p));
				ready[p] = 0;
				last[p] = 0;
				continue;
			}
			ready[p] = 1;
			ret = answer(l, p, &last[p]);
			answered += ret > 0;
			bad += ret < 0;
			busy |= ret;
		}
		if (o->timeout_s && now_us() >= deadline)
			break;
		if (!busy && wait_irq(l, o->timeout_s ? (deadline - now_us()) / 1e3 : SLICE_MS)) {
			failed = 1;
			break;
		}
	}
	printf("serve: answered=%lu bad=%lu\n", answered, bad);
	if (o->count && answered < o->count)
		fprintf(stderr, "ivshmem-echo: %s: %lu of %lu answers before the end\n", l->dev,
			answered, o->count);
	return failed || bad || (o->count && answered < o->count) ? 1 : 0;
}

int main(int argc, char *argv[])
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct link l = { .fd = -1 };
	struct echo_opts o;
	char err[160];
	int ret;

	ret = echo_parse_args(argc, argv, &o, err, sizeof(err));
	if (ret) {
		if (ret < 0)
			fprintf(stderr, "ivshmem-echo: %s\n", err);
		fputs(echo_usage, ret < 0 ? stderr : stdout);
		return ret < 0 ? 2 : 0;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (open_link(&l, &o))
		return 1;
	clear_slots(&l);
	if (set_state(&l, IVSHMEM_ECHO_READY))
		return 1;
	ret = o.mode == ECHO_PING ? ping(&l, &o) : serve(&l, &o);
	/*
	 * Closing the device resets the state too; say it anyway while the peers look. Our
	 * slots stay: a peer may not have read our last answer yet (and nobody answers a peer
	 * that is not READY).
	 */
	if (!device_gone)
		set_state(&l, 0);
	close(l.fd);
	return ret;
}
