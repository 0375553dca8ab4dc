// SPDX-License-Identifier: GPL-2.0
/*
 * The arch services core code calls, implemented for the host. The lock is a real one:
 * test_page_alloc allocates from several threads at once (B5).
 */
#include <hv.h>
#include <stdio.h>

char host_uart[65536];
size_t host_uart_len;

void spin_lock(spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		;
}

void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
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
