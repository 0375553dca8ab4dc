// SPDX-License-Identifier: GPL-2.0
/* The arch services core code calls, implemented for the host (single-threaded tests). */
#include <hv.h>
#include <stdio.h>

char host_uart[65536];
size_t host_uart_len;

void spin_lock(spinlock_t *lock)
{
	lock->locked = 1;
}

void spin_unlock(spinlock_t *lock)
{
	lock->locked = 0;
}

bool arch_console_init(const struct hvcfg_console *uart)
{
	return uart->type == HVCFG_CONSOLE_PL011;
}

void arch_console_putc(char c)
{
	if (host_uart_len < sizeof(host_uart))
		host_uart[host_uart_len++] = c;
}

void cpu_relax(void)
{
}
