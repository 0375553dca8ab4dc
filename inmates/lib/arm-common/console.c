// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Console selection and the PL011 driver (arm64 and ARMv7). Order of precedence:
 *   1. the command line: con=pl011|hvc|none, con-base=ADDR;
 *   2. the comm region: CONSOLE_ACTIVE -> hypercall console; a PL011 console description ->
 *      that UART; CONSOLE_PERMITTED -> hypercall console; otherwise none (a cell must not
 *      touch a UART it was not given: that access would stop it as FAILED);
 *   3. without a comm region: the PL011 at the build default (QEMU virt: 0x09000000).
 */
#include "internal.h"

#define UART_DR			0x00
#define UART_FR			0x18
#define UART_LCRH		0x2c
#define UART_CR			0x30
#define UART_FR_BUSY		(1 << 3)
#define UART_FR_TXFF		(1 << 5)
#define UART_LCRH_FEN		(1 << 4)
#define UART_LCRH_WLEN8		(3 << 5)
#define UART_CR_UARTEN		(1 << 0)
#define UART_CR_TXE		(1 << 8)

enum con_type { CON_NONE, CON_PL011, CON_HVC };

static const char *const con_names[] = { "none", "pl011", "hvc" };
static enum con_type con_type = CON_NONE;
static uintptr_t con_base;
static spinlock_t con_lock;

static void pl011_init(void)
{
	u32 cr = mmio_read32(con_base + UART_CR);

	/* Leave a UART someone else set up (baud rate included) alone; else enable 8N1. */
	if ((cr & (UART_CR_UARTEN | UART_CR_TXE)) == (UART_CR_UARTEN | UART_CR_TXE))
		return;
	mmio_write32(con_base + UART_LCRH, UART_LCRH_WLEN8 | UART_LCRH_FEN);
	mmio_write32(con_base + UART_CR, cr | UART_CR_UARTEN | UART_CR_TXE);
}

static void pl011_putc(char c)
{
	while (mmio_read32(con_base + UART_FR) & UART_FR_TXFF)
		cpu_relax();
	mmio_write32(con_base + UART_DR, (u8)c);
}

static void con_putc(char c)
{
	if (con_type == CON_PL011)
		pl011_putc(c);
	else if (con_type == CON_HVC)
		hypercall(HC_DEBUG_CONSOLE_PUTC, (u8)c, 0);
}

static enum con_type from_comm_region(struct hv_comm_region *comm)
{
	if (comm->flags & HV_COMM_FLAG_CONSOLE_ACTIVE)
		return CON_HVC;
	if (comm->console.type == HV_CON_TYPE_PL011 && comm->console.address) {
		con_base = comm->console.address;
		return CON_PL011;
	}
	if (comm->flags & HV_COMM_FLAG_CONSOLE_PERMITTED)
		return CON_HVC;
	return CON_NONE;
}

void console_init(void)
{
	struct hv_comm_region *comm = comm_region();
	char name[8];
	unsigned int i;

	con_base = inmate_defaults.uart_base;
	con_type = comm ? from_comm_region(comm) : CON_PL011;
	if (cmdline_get_str("con", name, sizeof(name)))
		for (i = 0; i < ARRAY_SIZE(con_names); i++)
			if (!strncmp(name, con_names[i], sizeof(name)))
				con_type = i;
	con_base = cmdline_get_u64("con-base", con_base);
	if (con_type == CON_PL011)
		pl011_init();
}

const char *console_name(void)
{
	return con_names[con_type];
}

void console_write(const char *s, size_t len, bool lock)
{
	/* Whether the lock's exclusives work here is the architecture's call (arch-internal.h). */
	bool locked = lock && spin_lock_usable();
	u64 flags = local_irq_save();

	if (locked)
		spin_lock(&con_lock);
	for (; len; len--, s++) {
		if (*s == '\n')
			con_putc('\r');
		con_putc(*s);
	}
	if (locked)
		spin_unlock(&con_lock);
	local_irq_restore(flags);
}
