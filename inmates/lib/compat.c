// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The architecture-neutral functions of the Jailhouse compat API (compat/include/inmate.h):
 * the comm region pointer, the command-line parsers, a bump allocator and two string
 * functions. Built against the native API; the compat header's types are ABI-identical.
 */
#include "internal.h"

typedef void (*jh_irq_handler_t)(unsigned int irq);

/* Jailhouse's handlers take the interrupt number alone; ours also get the entry time. */
static jh_irq_handler_t jh_handler;

static void jh_irq_trampoline(unsigned int irq, u64 entry_ticks)
{
	(void)entry_ticks;
	if (jh_handler)
		jh_handler(irq);
}

void jh_irq_init(jh_irq_handler_t handler)
{
	jh_handler = handler;
	irq_init(jh_irq_trampoline);
	jh_arch_irq_init_done();
}

/* What a program without a comm region reads: RUNNING, no message, no flags. */
static struct hv_comm_region no_comm_region;

struct hv_comm_region *jh_comm_region(void)
{
	return comm_region() ? comm_region() : &no_comm_region;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int strncasecmp(const char *a, const char *b, unsigned long n)
{
	for (; n; n--, a++, b++) {
		if (lower(*a) != lower(*b))
			return (unsigned char)lower(*a) - (unsigned char)lower(*b);
		if (!*a)
			break;
	}
	return 0;
}

unsigned long heap_pos = (unsigned long)__image_end;

/* Where the heap must stop: an architecture that takes page tables from the same RAM says. */
__attribute__((weak)) unsigned long heap_limit(void)
{
	return ~0UL;
}

void *alloc(unsigned long size, unsigned long align)
{
	unsigned long base;

	if (!align)
		align = 1;
	base = (heap_pos + align - 1) & ~(align - 1);
	if (base < heap_pos || base + size < base || base + size > heap_limit()) {
		printk("alloc: %lu bytes at 0x%lx would run into the page tables (0x%lx)\n", size,
		       base, heap_limit());
		cpu_halt();
	}
	heap_pos = base + size;
	return (void *)base;
}

void *zalloc(unsigned long size, unsigned long align)
{
	void *base = alloc(size, align);

	memset(base, 0, size);
	return base;
}

const char *cmdline_parse_str(const char *param, char *value_buffer, unsigned long buffer_size,
			      const char *default_value)
{
	return cmdline_get_str(param, value_buffer, buffer_size) ? value_buffer : default_value;
}

static bool parse_digits(const char *p, unsigned int base, long long *value)
{
	long long n = 0;

	if (!*p)
		return false;
	for (; *p; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && lower(*p) >= 'a' && lower(*p) <= 'f')
			d = lower(*p) - 'a' + 10;
		else
			return false;
		n = n * base + d;
	}
	*value = n;
	return true;
}

/* Jailhouse's rules: "0x" then hex digits, or an optional sign then decimal digits. */
long long cmdline_parse_int(const char *param, long long default_value)
{
	char buf[32];
	const char *p = buf;
	bool negative = false;
	long long value;

	if (!cmdline_get_str(param, buf, sizeof(buf)))
		return default_value;
	if (!strncmp(p, "0x", 2)) {
		if (!parse_digits(p + 2, 16, &value))
			return default_value;
		return value;
	}
	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	if (!parse_digits(p, 10, &value))
		return default_value;
	return negative ? -value : value;
}

bool cmdline_parse_bool(const char *param, bool default_value)
{
	char buf[8];

	if (!cmdline_get_str(param, buf, sizeof(buf)))
		return default_value;
	if (!buf[0] || !strncasecmp(buf, "true", 4) || buf[0] == '1')
		return true;
	if (!strncasecmp(buf, "false", 5) || buf[0] == '0')
		return false;
	return default_value;
}

/* Jailhouse's <test.h> (compat/include/test.h). */
bool all_passed = true;

void __evaluate(u64 a, u64 b, int line)
{
	bool passed = a == b;

	printk("Test at line #%d %s\n", line, passed ? "passed" : "FAILED");
	if (passed)
		return;
	printk(" %llx != %llx\n", a, b);
	all_passed = false;
}
