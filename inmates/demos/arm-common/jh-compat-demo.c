// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A demo written against the Jailhouse inmate API only (the compat <inmate.h>, see
 * inmates/README.md "Porting Jailhouse inmates"), as a Jailhouse user's inmate would be: it
 * parses its command line, measures the timer, takes timer interrupts and answers the
 * hypervisor's messages through the comm region with Jailhouse's names. cell-jh-compat.sh
 * checks every line it prints.
 *
 * Command line: number=N hex=0xN flag noflag=B name=S bad=N badhex=0xN plus=+N beats=N
 * deny-first
 *   deny-first: lock the cell (RUNNING_LOCKED) and deny the first shutdown request.
 */
#include <inmate.h>
#include <gic.h>

CMDLINE_BUFFER(512);

#define BEATS_PER_SEC		10

static u64 ticks_per_beat;
static volatile u64 expected_ticks;
static volatile unsigned int beats;
static unsigned int max_beats;

static void handle_irq(unsigned int irqn)
{
	u64 late;

	if (irqn != TIMER_IRQ)
		return;
	late = timer_get_ticks() - expected_ticks;
	beats++;
	printk("jh-compat-demo: beat %u, %lld ns late\n", beats, (long long)timer_ticks_to_ns(late));
	/* Jailhouse's API cannot stop the timer: the last beat moves it an hour ahead. */
	if (beats >= max_beats) {
		timer_start(timer_get_frequency() * 3600);
		return;
	}
	expected_ticks = timer_get_ticks() + ticks_per_beat;
	timer_start(ticks_per_beat);
}

static void show_cmdline(void)
{
	char name[16];

	printk("jh-compat-demo: number=%lld hex=0x%llx flag=%d noflag=%d name=%s\n",
	       cmdline_parse_int("number", 0), cmdline_parse_int("hex", 0),
	       cmdline_parse_bool("flag", false), cmdline_parse_bool("noflag", false),
	       cmdline_parse_str("name", name, sizeof(name), "(none)"));
	printk("jh-compat-demo: malformed: %lld %lld, signed: %lld\n", cmdline_parse_int("bad", -1),
	       cmdline_parse_int("badhex", -2), cmdline_parse_int("plus", -3));
	printk("jh-compat-demo: defaults: %lld %d %s\n", cmdline_parse_int("absent", -7),
	       cmdline_parse_bool("absent", true),
	       cmdline_parse_str("absent", name, sizeof(name), "dflt"));
}

static void show_comm_region(void)
{
	const char *sig = comm_region->signature;

	printk("jh-compat-demo: comm region %c%c%c%c%c%c revision %u, state %u, gic v%u, "
	       "console flags 0x%x\n", sig[0], sig[1], sig[2], sig[3], sig[4], sig[5],
	       comm_region->revision, comm_region->cell_state, comm_region->gic_version,
	       comm_region->flags);
}

/* delay_us() against the counter: never early, and not absurdly late even under TCG. */
static void check_timer(void)
{
	u64 start = timer_get_ticks(), took;

	delay_us(100000);
	took = timer_ticks_to_ns(timer_get_ticks() - start) / NS_PER_USEC;
	printk("jh-compat-demo: timer %lu Hz, delay_us(100000) took %llu us: %s\n",
	       timer_get_frequency(), took, took >= 100000 && took < 2000000 ? "ok" : "WRONG");
}

static void run_beats(void)
{
	irq_init(handle_irq);
	irq_enable(TIMER_IRQ);
	ticks_per_beat = timer_get_frequency() / BEATS_PER_SEC;
	expected_ticks = timer_get_ticks() + ticks_per_beat;
	timer_start(ticks_per_beat);
	while (beats < max_beats)
		delay_us(1000);
	printk("jh-compat-demo: %u timer interrupts\n", beats);
}

/* Jailhouse's message protocol: a denial is a reply, consent the terminal state SHUT_DOWN. */
static void serve_messages(bool deny_first)
{
	unsigned int requests = 0;

	for (;;) {
		switch (comm_region->msg_to_cell) {
		case JAILHOUSE_MSG_NONE:
			delay_us(1000);
			continue;
		case JAILHOUSE_MSG_SHUTDOWN_REQUEST:
			requests++;
			if (deny_first && requests == 1) {
				printk("jh-compat-demo: denying shutdown request 1\n");
				jailhouse_send_reply_from_cell(comm_region,
							       JAILHOUSE_MSG_REQUEST_DENIED);
				continue;
			}
			printk("jh-compat-demo: shutdown request %u: shutting down\n", requests);
			comm_region->cell_state = JAILHOUSE_CELL_SHUT_DOWN;
			stop();
		case JAILHOUSE_MSG_RECONFIG_COMPLETED:
			jailhouse_send_reply_from_cell(comm_region, JAILHOUSE_MSG_RECEIVED);
			continue;
		default:
			jailhouse_send_reply_from_cell(comm_region, JAILHOUSE_MSG_UNKNOWN);
		}
	}
}

void inmate_main(void)
{
	bool deny_first = cmdline_parse_bool("deny-first", false);

	max_beats = cmdline_parse_int("beats", 5);
	show_cmdline();
	show_comm_region();
	check_timer();
	run_beats();
	if (deny_first)
		comm_region->cell_state = JAILHOUSE_CELL_RUNNING_LOCKED;
	printk("jh-compat-demo: serving messages (%s)\n", deny_first ? "locked" : "running");
	serve_messages(deny_first);
}
