/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the arm64 and ARMv7 parts of the Jailhouse compat API share (included by their
 * jh-arch.h): MMIO accessors up to 32 bits, cpu_relax, halt, the generic timer calls and the
 * comm region's GIC fields (one layout for both).
 */
#ifndef JH_COMPAT_ARM_H
#define JH_COMPAT_ARM_H

#include <hypercall.h>

#ifndef __stringify
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)
#endif

/* The build's default; the library uses the cell's own address (comm_region). */
#define COMM_REGION_BASE	0x80000000

static inline u8 mmio_read8(void *address)
{
	return *(volatile u8 *)address;
}

static inline void mmio_write8(void *address, u8 value)
{
	*(volatile u8 *)address = value;
}

static inline u16 mmio_read16(void *address)
{
	return *(volatile u16 *)address;
}

static inline void mmio_write16(void *address, u16 value)
{
	*(volatile u16 *)address = value;
}

static inline u32 mmio_read32(void *address)
{
	return *(volatile u32 *)address;
}

static inline void mmio_write32(void *address, u32 value)
{
	*(volatile u32 *)address = value;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/* Wait for interrupts forever; handlers still run when they are unmasked. */
static inline void __attribute__((noreturn)) halt(void)
{
	for (;;)
		__asm__ volatile("wfi" : : : "memory");
}

/* The generic timer: the counter the cell's virtual timer compares against. */
unsigned long timer_get_frequency(void);
u64 timer_get_ticks(void);
u64 timer_ticks_to_ns(u64 ticks);
/* One-shot: the timer interrupt (TIMER_IRQ) after timeout ticks. */
void timer_start(u64 timeout);

/* Kept for programs that call it: the library is ready before inmate_main(). */
void arch_mmu_enable(void);

#define JAILHOUSE_HVC_CODE	HV_HVC_IMM

/* The GIC fields that follow the generic header (struct hv_comm_arm). */
#define JH_COMM_ARCH_FIELDS	\
	__u8 gic_version;	\
	__u8 padding[7];	\
	__u64 gicd_base;	\
	__u64 gicc_base;	\
	__u64 gicr_base;	\
	__u32 vpci_irq_base;

#define JH_COMM_ARCH_OFFSET(field) \
	(__builtin_offsetof(struct hv_comm_region, arch) + \
	 __builtin_offsetof(struct hv_comm_arm, field))
#define JH_COMM_ARCH_CHECK(s)									\
	_Static_assert(__builtin_offsetof(s, gic_version) == JH_COMM_ARCH_OFFSET(gic_version),	\
		       "comm region layout");							\
	_Static_assert(__builtin_offsetof(s, gicr_base) == JH_COMM_ARCH_OFFSET(gicr_base),	\
		       "comm region layout");							\
	_Static_assert(__builtin_offsetof(s, vpci_irq_base) ==					\
		       JH_COMM_ARCH_OFFSET(vpci_irq_base), "comm region layout")

#endif
