// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The spinlock of every architecture: an atomic exchange to take it, a plain load to wait
 * (cheap on the cache line while another CPU holds it). Its memory needs exclusive or atomic
 * access (arm64: Normal memory, i.e. the MMU on; see each architecture's spin_lock_usable).
 */
#include "internal.h"

void spin_lock(spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (lock->locked)
			cpu_relax();
}

void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}
