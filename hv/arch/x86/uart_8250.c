// SPDX-License-Identifier: GPL-2.0
/* The hypervisor's 8250/16550 console: at an I/O port (COM1) or in MMIO with a 4-byte stride. */
#include <asm/x86.h>

#define UART_THR	0
#define UART_LSR	5
#define LSR_THRE	0x20

static u64 base;
static bool mmio;

static u8 reg_read(unsigned int reg)
{
	if (mmio)
		return *(volatile u32 *)(uintptr_t)(base + reg * 4);
	return inb(base + reg);
}

static void reg_write(unsigned int reg, u8 v)
{
	if (mmio)
		*(volatile u32 *)(uintptr_t)(base + reg * 4) = v;
	else
		outb(base + reg, v);
}

/* Linux set the line up; we only write. MMIO works once our page tables are loaded. */
bool arch_console_init(const struct hvcfg_console *uart)
{
#ifdef CONFIG_X86_CONSOLE_NONE
	return false;
#else
	if (uart->type != HVCFG_CONSOLE_8250_PIO && uart->type != HVCFG_CONSOLE_8250)
		return false;
	base = uart->base;
	mmio = uart->type == HVCFG_CONSOLE_8250;
	return true;
#endif
}

void arch_console_putc(char c)
{
	unsigned int n;

	if (mmio && read_cr(3) != hv_virt_to_phys(hv_pt))
		return;
	for (n = 0; n < 100000 && !(reg_read(UART_LSR) & LSR_THRE); n++)
		cpu_relax();
	reg_write(UART_THR, c);
}
