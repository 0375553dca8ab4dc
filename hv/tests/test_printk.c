// SPDX-License-Identifier: GPL-2.0
/* vsnprintf formats and the console ring (wrap-around, busy counter, UART copy). */
#include <hv.h>
#include <string.h>
#include "test.h"
#include "../core/printk.c"

extern char host_uart[];
extern size_t host_uart_len;

static const char *fmt(const char *f, ...)
{
	static char buf[128];
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return buf;
}

int main(void)
{
	struct hvcfg_console uart = { .type = HVCFG_CONSOLE_PL011, .base = 0x9000000 };
	char small[5];
	unsigned int n;

	CHECK(!strcmp(fmt("%d %i %u", -42, 7, 3000000000U), "-42 7 3000000000"));
	CHECK(!strcmp(fmt("%x %X %08x", 0xbeef, 0xbeef, 0x1f), "beef BEEF 0000001f"));
	CHECK(!strcmp(fmt("%lx %lu %ld", 0xffffffffffffffffUL, 18446744073709551615UL,
			  -9223372036854775807L - 1),
		      "ffffffffffffffff 18446744073709551615 -9223372036854775808"));
	CHECK(!strcmp(fmt("%zu|%5d|%s|%c|%%", (size_t)12, 42, "ab", 'z'), "12|   42|ab|z|%"));
	CHECK(!strcmp(fmt("%s", (char *)NULL), "(null)"));
	CHECK(!strcmp(fmt("%p", (void *)0x1000), "0x1000"));
	CHECK(snprintf(small, sizeof(small), "abcdefgh") == 8 && !strcmp(small, "abcd"));

	printk("hello %u\n", 1);
	CHECK(hv_console.tail == 8 && !memcmp(hv_console.buf, "hello 1\n", 8));
	CHECK(hv_console.busy % 2 == 0 && hv_console.busy > 0);
	CHECK(host_uart_len == 0);		/* no UART before console_init */
	console_init(&uart);
	printk("x\n");
	CHECK(host_uart_len == 3 && !memcmp(host_uart, "x\r\n", 3));
	for (n = 0; n < HV_CONSOLE_SIZE; n++)
		console_putc('a' + n % 26);
	CHECK(hv_console.tail == 10 + HV_CONSOLE_SIZE);
	CHECK(hv_console.buf[(hv_console.tail - 1) % HV_CONSOLE_SIZE] ==
	      'a' + (HV_CONSOLE_SIZE - 1) % 26);
	return test_report("test_printk");
}
