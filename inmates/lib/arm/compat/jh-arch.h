/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7 part of the Jailhouse compat API (included by the compat <inmate.h>): MMIO accessors,
 * interrupt masking, halt, the generic timer, the hypercall instruction and the comm region's
 * GIC fields (the same layout as arm64's).
 */
#ifndef JH_COMPAT_ARCH_H
#define JH_COMPAT_ARCH_H

#include <hypercall.h>

#ifndef __stringify
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)
#endif

/* The build's default; the library uses the cell's own address (comm_region). */
#define COMM_REGION_BASE	0x80000000
/* Jailhouse's ARMv7 page directory: 4 first-level entries of 1 GiB (LPAE). */
#define JAILHOUSE_INMATE_MEM_PAGE_DIR_LEN	4

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

/* Two word accesses, low word first: ARMv7 has no single-copy atomic 64-bit MMIO access. */
static inline u64 mmio_read64(void *address)
{
	u64 lo = mmio_read32(address);

	return lo | (u64)mmio_read32((u8 *)address + 4) << 32;
}

static inline void mmio_write64(void *address, u64 value)
{
	mmio_write32(address, (u32)value);
	mmio_write32((u8 *)address + 4, (u32)(value >> 32));
}

static inline void enable_irqs(void)
{
	__asm__ volatile("cpsie if" : : : "memory");
}

static inline void disable_irqs(void)
{
	__asm__ volatile("cpsid if" : : : "memory");
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

/* Our library turns the MMU on before inmate_main(); kept for programs that call it. */
void arch_mmu_enable(void);

typedef u32 __jh_arg;

#define JAILHOUSE_HVC_CODE	HV_HVC_IMM
#define JAILHOUSE_CALL_INS	".arch_extension virt\n\thvc #" __stringify(HV_HVC_IMM)

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

static inline __jh_arg jailhouse_call(__jh_arg num)
{
	register __jh_arg r0 __asm__("r0") = num;

	__asm__ volatile(JAILHOUSE_CALL_INS : "+r" (r0) : : "memory", "r1", "r2", "r3");
	return r0;
}

static inline __jh_arg jailhouse_call_arg1(__jh_arg num, __jh_arg arg1)
{
	register __jh_arg r0 __asm__("r0") = num;
	register __jh_arg r1 __asm__("r1") = arg1;

	__asm__ volatile(JAILHOUSE_CALL_INS : "+r" (r0), "+r" (r1) : : "memory", "r2", "r3");
	return r0;
}

static inline __jh_arg jailhouse_call_arg2(__jh_arg num, __jh_arg arg1, __jh_arg arg2)
{
	register __jh_arg r0 __asm__("r0") = num;
	register __jh_arg r1 __asm__("r1") = arg1;
	register __jh_arg r2 __asm__("r2") = arg2;

	__asm__ volatile(JAILHOUSE_CALL_INS : "+r" (r0), "+r" (r1), "+r" (r2) : : "memory", "r3");
	return r0;
}

#endif
