// SPDX-License-Identifier: GPL-2.0
/*
 * printk: formats into a line buffer, then appends it to the console ring (which the root can
 * read) and, when configured, to the debug UART. A small vsnprintf covers what the hypervisor
 * prints: %d %i %u %x %X %p %s %c %%, with l/ll/z, zero padding and field width.
 */
#include <hv.h>

struct hv_console hv_console __section(".console") __aligned(PAGE_SIZE);

static spinlock_t console_lock;
static bool uart_enabled;

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, u64 v, unsigned int base, bool upper, int width, char pad,
		    bool neg)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg && pad == '0')
		put(o, '-');
	for (width -= n + neg; width > 0; width--)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

static u64 get_arg(va_list *ap, int longs, bool is_signed)
{
	/* %ll is 64-bit everywhere, %l the register width (32-bit ARMv7) */
	if (longs >= 2)
		return is_signed ? (u64)va_arg(*ap, long long) : va_arg(*ap, unsigned long long);
	if (longs == 1)
		return is_signed ? (u64)va_arg(*ap, long) : va_arg(*ap, unsigned long);
	return is_signed ? (u64)(s64)va_arg(*ap, int) : va_arg(*ap, unsigned int);
}

static void format_one(struct out *o, const char **fmtp, va_list *ap)
{
	const char *f = *fmtp;
	int width = 0, longs = 0;
	char pad = ' ';
	const char *s;
	s64 sv;

	if (*f == '0')
		pad = *f++;
	while (*f >= '0' && *f <= '9')
		width = width * 10 + *f++ - '0';
	for (; *f == 'l' || *f == 'z'; f++)
		longs++;
	switch (*f) {
	case 'd':
	case 'i':
		sv = (s64)get_arg(ap, longs, true);
		put_num(o, sv < 0 ? -(u64)sv : (u64)sv, 10, false, width, pad, sv < 0);
		break;
	case 'u':
		put_num(o, get_arg(ap, longs, false), 10, false, width, pad, false);
		break;
	case 'x':
	case 'X':
		put_num(o, get_arg(ap, longs, false), 16, *f == 'X', width, pad, false);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, (uintptr_t)va_arg(*ap, void *), 16, false, width, pad, false);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		for (s = s ? s : "(null)"; *s; s++, width--)
			put(o, *s);
		for (; width > 0; width--)
			put(o, ' ');
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case '\0':
		f--;
		break;
	default:
		put(o, *f);
		break;
	}
	*fmtp = f + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		format_one(&o, &fmt, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void ring_put(char c)
{
	hv_console.buf[hv_console.tail % HV_CONSOLE_SIZE] = c;
	hv_console.tail++;
}

static void emit(const char *s)
{
	/* busy odd while the ring is inconsistent: the root's reader retries */
	hv_console.busy++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (; *s; s++) {
		ring_put(*s);
		if (uart_enabled) {
			if (*s == '\n')
				arch_console_putc('\r');
			arch_console_putc(*s);
		}
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	hv_console.busy++;
}

void printk(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	spin_lock(&console_lock);
	emit(line);
	spin_unlock(&console_lock);
}

void console_putc(char c)
{
	char s[2] = { c, 0 };

	spin_lock(&console_lock);
	emit(s);
	spin_unlock(&console_lock);
}

void console_init(const struct hvcfg_console *uart)
{
	if (uart->type != HVCFG_CONSOLE_NONE)
		uart_enabled = arch_console_init(uart);
}
