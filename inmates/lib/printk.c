// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A small printf: %d %i %u %x %X %p %s %c %%, length modifiers l, ll, z, flags '0' and '-',
 * and a field width. printk formats into a stack buffer first and writes it with the console
 * lock held, so that lines from different CPUs do not interleave.
 */
#include "internal.h"

#define PRINTK_BUF		256

struct out {
	char *buf;
	size_t size, pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool zero, left;
	int width;
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int len = (int)strlen(s);

	if (!sp->left)
		pad(o, ' ', sp->width - len);
	while (*s)
		put(o, *s++);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

static void put_num(struct out *o, u64 n, unsigned int base, bool neg, bool upper,
		    const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int len = 0, width = sp->width - neg;

	do {
		tmp[len++] = digits[n % base];
		n /= base;
	} while (n);
	if (sp->left) {
		int digits_len = len;

		if (neg)
			put(o, '-');
		while (len)
			put(o, tmp[--len]);
		pad(o, ' ', width - digits_len);
		return;
	}
	if (neg && sp->zero)
		put(o, '-');
	pad(o, sp->zero ? '0' : ' ', width - len);
	if (neg && !sp->zero)
		put(o, '-');
	while (len)
		put(o, tmp[--len]);
}

/* Parses flags, width and length at *fmt; returns whether the argument is wider than int. */
static int parse_spec(const char **fmt, struct spec *sp)
{
	const char *f = *fmt;
	size_t arg_size = sizeof(int);

	sp->zero = sp->left = false;
	sp->width = 0;
	for (;; f++) {
		if (*f == '0')
			sp->zero = true;
		else if (*f == '-')
			sp->left = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	/* l: long, ll: long long, z: size_t; only their size matters (32-bit ARM: 4, 4, 8). */
	if (*f == 'l' && f[1] == 'l') {
		arg_size = sizeof(long long);
		f += 2;
	} else if (*f == 'l' || *f == 'z') {
		arg_size = *f == 'l' ? sizeof(long) : sizeof(size_t);
		f++;
	}
	*fmt = f;
	return arg_size > sizeof(int);
}

static void put_arg(struct out *o, char conv, int wide, const struct spec *sp, va_list *ap)
{
	u64 u;
	switch (conv) {
	case 'd':
	case 'i': {
		long long v = wide ? va_arg(*ap, long long) : va_arg(*ap, int);

		put_num(o, v < 0 ? -(u64)v : (u64)v, 10, v < 0, false, sp);
		return;
	}
	case 'u':
	case 'x':
	case 'X':
		u = wide ? va_arg(*ap, unsigned long long) : va_arg(*ap, unsigned int);
		put_num(o, u, conv == 'u' ? 10 : 16, false, conv == 'X', sp);
		return;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, (uintptr_t)va_arg(*ap, void *), 16, false, false, sp);
		return;
	case 's': {
		const char *s = va_arg(*ap, const char *);

		put_str(o, s ? s : "(null)", sp);
		return;
	}
	case 'c':
		put(o, (char)va_arg(*ap, int));
		return;
	default:
		put(o, '%');
		put(o, conv);
	}
}

int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		int wide;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			put(&o, *fmt++);
			continue;
		}
		wide = parse_spec(&fmt, &sp);
		if (!*fmt)
			break;
		put_arg(&o, *fmt++, wide, &sp, &args);
	}
	va_end(args);
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = 0;
	return (int)o.pos;
}

int snprintk(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintk(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int vprintk(bool lock, const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	int n = vsnprintk(buf, sizeof(buf), fmt, ap);

	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1, lock);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(true, fmt, ap);
	va_end(ap);
	return n;
}

/* For the exception path: the faulting code may hold the console lock. */
int printk_unlocked(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(false, fmt, ap);
	va_end(ap);
	return n;
}
