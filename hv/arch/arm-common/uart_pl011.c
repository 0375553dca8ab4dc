// SPDX-License-Identifier: GPL-2.0
/*
 * PL011 output for the hypervisor console (arm64 and ARMv7). Linux keeps driving the same UART;
 * we only add bytes.
 */
#include <asm/arm_arch.h>

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF	(1U << 5)

static volatile u32 *uart_base;

bool arch_console_init(const struct hvcfg_console *uart)
{
#if defined(CONFIG_ARM64_CONSOLE_PL011) || defined(CONFIG_ARM_CONSOLE_PL011)
	if (uart->type != HVCFG_CONSOLE_PL011)
		return false;
	uart_base = (volatile u32 *)(uintptr_t)uart->base;	/* mapped 1:1 */
	return true;
#else
	(void)uart;
	return false;
#endif
}

void arch_console_putc(char c)
{
	unsigned int spins = 100000;

	/* only CPUs on the complete page table can reach the UART */
	if (!uart_base || !this_cpu()->arch.full_pt)
		return;
	while ((uart_base[UART_FR / 4] & UART_FR_TXFF) && --spins)
		cpu_relax();
	uart_base[UART_DR / 4] = (u8)c;
}
