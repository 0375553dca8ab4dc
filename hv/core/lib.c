// SPDX-License-Identifier: GPL-2.0
/* The few C library routines the compiler and the core expect, freestanding. */
#include <hv.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (IS_ALIGNED((uintptr_t)d | (uintptr_t)s | n, 8)) {
		for (; n; n -= 8, d += 8, s += 8)
			*(u64 *)d = *(const u64 *)s;
		return dst;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	if (!c && IS_ALIGNED((uintptr_t)d | n, 8)) {
		for (; n; n -= 8, d += 8)
			*(u64 *)d = 0;
		return dst;
	}
	while (n--)
		*d++ = (u8)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
