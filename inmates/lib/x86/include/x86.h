/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86-64 helpers for inmates: port I/O, MSRs, TSC, barriers, MMIO accessors.
 */
#ifndef INMATE_X86_H
#define INMATE_X86_H

#include <stdint.h>

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define MSR_APIC_BASE		0x0000001b
#define MSR_EFER		0xc0000080
#define MSR_GS_BASE		0xc0000101

#define X86_EFLAGS_IF		(1UL << 9)

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a" (v), "Nd" (port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a" (v), "Nd" (port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a" (v), "Nd" (port));
}

static inline unsigned long long rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
	return ((unsigned long long)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, unsigned long long v)
{
	__asm__ volatile("wrmsr" : : "c" (msr), "a" ((uint32_t)v), "d" ((uint32_t)(v >> 32))
			 : "memory");
}

static inline unsigned long long rdtsc(void)
{
	uint32_t lo, hi;

	/* lfence: not before earlier instructions completed (AMD: with LFENCE serializing) */
	__asm__ volatile("lfence; rdtsc" : "=a" (lo), "=d" (hi) : : "memory");
	return ((unsigned long long)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a" (*a), "=b" (*b), "=c" (*c), "=d" (*d)
			 : "a" (leaf), "c" (0));
}

static inline unsigned long long read_cr2(void)
{
	unsigned long long v;

	__asm__ volatile("mov %%cr2, %0" : "=r" (v));
	return v;
}

/* Generic code's barriers: mb() completes earlier accesses, smp_mb() only orders them (TSO). */
#define mb()		__asm__ volatile("mfence" : : : "memory")
#define smp_mb()	__asm__ volatile("" : : : "memory")
#define barrier()	__asm__ volatile("" : : : "memory")
#define cpu_relax()	__asm__ volatile("pause" : : : "memory")
/* Wait for an interrupt (with IF=0 only NMI, INIT or SMI end it). */
#define wfi()		__asm__ volatile("hlt" : : : "memory")

#define local_irq_enable()	__asm__ volatile("sti" : : : "memory")
#define local_irq_disable()	__asm__ volatile("cli" : : : "memory")

static inline unsigned long long local_irq_save(void)
{
	unsigned long long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r" (flags) : : "memory");
	return flags;
}

static inline void local_irq_restore(unsigned long long flags)
{
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

/*
 * MMIO through one plain mov each, so that a hypervisor that emulates the access (xAPIC,
 * IOAPIC, anything behind a nested page fault) always meets an instruction it decodes.
 */
#define DEFINE_MMIO(bits, type, suffix, reg)					\
static inline type mmio_read##bits(uintptr_t addr)				\
{										\
	type v;									\
										\
	__asm__ volatile("mov" suffix " (%1), %" reg "0" : "=r" (v) : "r" (addr) : "memory"); \
	return v;								\
}										\
										\
static inline void mmio_write##bits(uintptr_t addr, type v)			\
{										\
	__asm__ volatile("mov" suffix " %" reg "0, (%1)" : : "r" (v), "r" (addr) : "memory"); \
}

DEFINE_MMIO(8, uint8_t, "b", "b")
DEFINE_MMIO(16, uint16_t, "w", "w")
DEFINE_MMIO(32, uint32_t, "l", "k")
DEFINE_MMIO(64, unsigned long long, "q", "q")

#endif
