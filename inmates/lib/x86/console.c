// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Console selection and the 8250 driver (I/O port or MMIO). Order of precedence:
 *   1. the command line: con=8250|hvc|none, con-base=PORT (or ADDR with con-mmio);
 *   2. the comm region: CONSOLE_ACTIVE -> hypercall console; an 8250 console description ->
 *      that UART; CONSOLE_PERMITTED -> hypercall console; a UART the image's cell owns
 *      (uart-demo: COM2); otherwise none (a cell must not touch a UART it was not given);
 *   3. without a comm region: the 8250 at the build default (COM1, 0x3f8).
 */
#include "internal.h"

#define UART_THR		0
#define UART_IER		1
#define UART_DLL		0
#define UART_DLM		1
#define UART_FCR		2
#define UART_LCR		3
#define UART_MCR		4
#define UART_LSR		5
#define UART_LCR_8N1		0x03
#define UART_LCR_DLAB		0x80
#define UART_MCR_DTR_RTS	0x03
#define UART_LSR_THRE		0x20
#define UART_DIV_115200		1

enum con_type { CON_NONE, CON_8250, CON_HVC };

static const char *const con_names[] = { "none", "8250", "hvc" };
static enum con_type con_type = CON_NONE;
static u64 con_base;
static bool con_mmio;
static unsigned int con_shift;	/* MMIO register distance: 1 << con_shift bytes */
static spinlock_t con_lock;

static u8 uart_read(unsigned int reg)
{
	if (con_mmio)
		return mmio_read8(con_base + (reg << con_shift));
	return inb(con_base + reg);
}

static void uart_write(unsigned int reg, u8 val)
{
	if (con_mmio)
		mmio_write8(con_base + (reg << con_shift), val);
	else
		outb(con_base + reg, val);
}

static void uart_init(void)
{
	/* Leave a UART someone else set up (baud rate included) alone; else 115200 8N1. */
	if ((uart_read(UART_LCR) & ~UART_LCR_DLAB) == UART_LCR_8N1)
		return;
	uart_write(UART_LCR, UART_LCR_DLAB);
	uart_write(UART_DLL, UART_DIV_115200);
	uart_write(UART_DLM, 0);
	uart_write(UART_LCR, UART_LCR_8N1);
	uart_write(UART_IER, 0);
	uart_write(UART_FCR, 0);
	uart_write(UART_MCR, UART_MCR_DTR_RTS);
}

static void uart_putc(char c)
{
	while (!(uart_read(UART_LSR) & UART_LSR_THRE))
		cpu_relax();
	uart_write(UART_THR, (u8)c);
}

static void con_putc(char c)
{
	if (con_type == CON_8250)
		uart_putc(c);
	else if (con_type == CON_HVC)
		hypercall(HC_DEBUG_CONSOLE_PUTC, (u8)c, 0);
}

static enum con_type from_comm_region(struct hv_comm_region *comm)
{
	struct hv_cell_console *con = &comm->console;

	if (comm->flags & HV_COMM_FLAG_CONSOLE_ACTIVE)
		return CON_HVC;
	if (con->type == HV_CON_TYPE_8250 && con->address) {
		con_base = con->address;
		con_mmio = con->flags & HV_CON_ACCESS_MMIO;
		con_shift = (con->flags & HV_CON_REGDIST_4) ? 2 : 0;
		return CON_8250;
	}
	if (comm->flags & HV_COMM_FLAG_CONSOLE_PERMITTED)
		return CON_HVC;
	return inmate_defaults.uart_owned ? CON_8250 : CON_NONE;
}

void console_init(void)
{
	struct hv_comm_region *comm = comm_region();
	char name[8];
	unsigned int i;

	con_base = inmate_defaults.uart_port;
	con_type = comm ? from_comm_region(comm) : CON_8250;
	if (cmdline_get_str("con", name, sizeof(name)))
		for (i = 0; i < ARRAY_SIZE(con_names); i++)
			if (!strncmp(name, con_names[i], sizeof(name)))
				con_type = i;
	con_base = cmdline_get_u64("con-base", con_base);
	con_mmio = cmdline_get_bool("con-mmio", con_mmio);
	if (con_type == CON_8250)
		uart_init();
}

const char *console_name(void)
{
	return con_names[con_type];
}

void console_write(const char *s, size_t len, bool lock)
{
	u64 flags = local_irq_save();

	if (lock)
		spin_lock(&con_lock);
	for (; len; len--, s++) {
		if (*s == '\n')
			con_putc('\r');
		con_putc(*s);
	}
	if (lock)
		spin_unlock(&con_lock);
	local_irq_restore(flags);
}
