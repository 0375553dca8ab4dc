// SPDX-License-Identifier: GPL-2.0
/* What arm64 and ARMv7 do alike on a CPU: spinning, locks, halting. */
#include <asm/arm_arch.h>

void cpu_relax(void)
{
	asm volatile("yield" : : : "memory");
}

void spin_lock(spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(lock->locked))
			cpu_relax();
}

void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

void arch_halt(void)
{
	hv_halt_loop();
}
