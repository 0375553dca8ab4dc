// SPDX-License-Identifier: GPL-2.0
/*
 * Single keys from the terminal for the live displays (cell stats): no line buffering, no
 * echo, and the terminal as it was afterwards; Ctrl-C ends the display, not the program (the
 * terminal is restored). Apart from cell_stats.c because <termios.h>
 * brings the kernel's __u64, which jailhouse_ioctl.h defines for user space itself.
 */
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

static struct termios saved;
static int raw_on;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

void cli_term_catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART: waits end */

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int cli_term_stopped(void)
{
	return stop;
}

int cli_term_keys_on(void)
{
	struct termios raw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return 0;
	raw = saved;
	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	raw_on = !tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	return raw_on;
}

void cli_term_keys_off(void)
{
	if (raw_on)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	raw_on = 0;
}
