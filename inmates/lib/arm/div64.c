// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * 64-bit division, which ARMv7 has no instruction for; the compiler calls __aeabi_uldivmod
 * and __aeabi_ldivmod (head.S), which land here. Not libgcc's: that would tie the inmates to
 * the toolchain's float ABI and its raise() for division by zero.
 */
#include "internal.h"

u64 udivmod64(u64 n, u64 d, u64 *rem);
long long sdivmod64(long long n, long long d, long long *rem);

u64 udivmod64(u64 n, u64 d, u64 *rem)
{
	u64 q = 0, bit = 1;

	if (!d) {
		printk_unlocked("inmate: 64-bit division by zero\n");
		cpu_halt();
	}
	/* The common case (counter values over a frequency) fits the udiv instruction. */
	if (!(n >> 32) && !(d >> 32)) {
		*rem = (u32)n % (u32)d;
		return (u32)n / (u32)d;
	}
	while (!(d >> 63) && d < n) {
		d <<= 1;
		bit <<= 1;
	}
	for (; bit; d >>= 1, bit >>= 1) {
		if (n >= d) {
			n -= d;
			q |= bit;
		}
	}
	*rem = n;
	return q;
}

/* C's rules: the quotient rounds toward zero, the remainder has the dividend's sign. */
long long sdivmod64(long long n, long long d, long long *rem)
{
	u64 un = n < 0 ? -(u64)n : (u64)n, ud = d < 0 ? -(u64)d : (u64)d, ur;
	u64 q = udivmod64(un, ud, &ur);

	*rem = n < 0 ? -(long long)ur : (long long)ur;
	return (n < 0) != (d < 0) ? -(long long)q : (long long)q;
}

/* A 32-bit division by zero (the udiv/sdiv instructions give 0; only libgcc paths call this). */
int __aeabi_idiv0(int ret);
int __aeabi_idiv0(int ret)
{
	return ret;
}
