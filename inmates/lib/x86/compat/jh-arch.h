/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86 part of the Jailhouse compat API (included by the compat <inmate.h>): port and MMIO
 * accessors, MSRs, interrupt masking, halt, the PM timer, TSC and APIC timer calls, the
 * IOAPIC, SMP start-up, the hypercall instruction and the comm region's x86 fields.
 */
#ifndef JH_COMPAT_ARCH_H
#define JH_COMPAT_ARCH_H

#include <hypercall.h>

/* The build's default; the library uses the cell's own address (comm_region). */
#define COMM_REGION_BASE	0x100000
#define HUGE_PAGE_SIZE		(2 * 1024 * 1024ULL)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define HUGE_PAGE_MASK		(~(HUGE_PAGE_SIZE - 1))
#define BITS_PER_LONG		64
#define X2APIC_ID		0x802
#define X2APIC_ICR		0x830
#define APIC_LVL_ASSERT		(1 << 14)
#define SMP_MAX_CPUS		255
#define MAX_INTERRUPT_VECTORS	32

static inline void enable_irqs(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void disable_irqs(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/* Wait for interrupts forever; handlers still run when they are unmasked. */
static inline void __attribute__((noreturn)) halt(void)
{
	for (;;)
		__asm__ volatile("hlt" : : : "memory");
}

/* Jailhouse's argument order: value first, then the port. */
static inline void outb(u8 v, u16 port)
{
	__asm__ volatile("outb %0, %1" : : "a" (v), "Nd" (port));
}

static inline void outw(u16 v, u16 port)
{
	__asm__ volatile("outw %0, %1" : : "a" (v), "Nd" (port));
}

static inline void outl(u32 v, u16 port)
{
	__asm__ volatile("outl %0, %1" : : "a" (v), "Nd" (port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ volatile("inw %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

/* One plain mov each, so a trapping hypervisor can decode the access. */
static inline u8 mmio_read8(void *address)
{
	return *(volatile u8 *)address;
}

static inline u16 mmio_read16(void *address)
{
	return *(volatile u16 *)address;
}

static inline u32 mmio_read32(void *address)
{
	return *(volatile u32 *)address;
}

static inline u64 mmio_read64(void *address)
{
	return *(volatile u64 *)address;
}

static inline void mmio_write8(void *address, u8 value)
{
	*(volatile u8 *)address = value;
}

static inline void mmio_write16(void *address, u16 value)
{
	*(volatile u16 *)address = value;
}

static inline void mmio_write32(void *address, u32 value)
{
	*(volatile u32 *)address = value;
}

static inline void mmio_write64(void *address, u64 value)
{
	*(volatile u64 *)address = value;
}

static inline u64 read_msr(unsigned int msr)
{
	u32 low, high;

	__asm__ volatile("rdmsr" : "=a" (low), "=d" (high) : "c" (msr));
	return low | ((u64)high << 32);
}

static inline void write_msr(unsigned int msr, u64 val)
{
	__asm__ volatile("wrmsr" : : "c" (msr), "a" ((u32)val), "d" ((u32)(val >> 32))
			 : "memory");
}

/* This CPU's APIC ID, as Jailhouse numbers CPUs (the library runs the xAPIC). */
unsigned int jh_cpu_id(void);
#define cpu_id			jh_cpu_id

void irq_send_ipi(unsigned int cpu_id, unsigned int vector);

enum ioapic_trigger_mode {
	TRIGGER_EDGE = 0,
	TRIGGER_LEVEL_ACTIVE_HIGH = 1 << 15,
	TRIGGER_LEVEL_ACTIVE_LOW = (1 << 15) | (1 << 13),
};

/* The library maps the IOAPIC with the rest of 3-4 GiB; the pin goes to this CPU. */
void ioapic_init(void);
void ioapic_pin_set_vector(unsigned int pin, enum ioapic_trigger_mode trigger_mode,
			   unsigned int vector);

/* Nanoseconds, monotonic per CPU (the library's clock). */
unsigned long long pm_timer_read(void);
unsigned long tsc_read_ns(void);
/* The TSC frequency in Hz. */
unsigned long tsc_init(void);
/* The APIC timer on vector, one-shot; returns its frequency in kHz. */
unsigned long apic_timer_init(unsigned int vector);
void apic_timer_set(unsigned long long timeout_ns);

/*
 * SMP as Jailhouse's inmates see it: smp_wait_for_all_cpus() brings the cell's other CPUs up
 * and parks them (smp_num_cpus, smp_cpu_ids[] their APIC IDs, the first one this CPU's);
 * smp_start_cpu() runs entry on the parked CPU with that APIC ID.
 */
extern volatile u32 smp_num_cpus;
extern u8 smp_cpu_ids[SMP_MAX_CPUS];
void smp_wait_for_all_cpus(void);
void smp_start_cpu(unsigned int cpu_id, void (*entry)(void));

void pci_msi_set_vector(u16 bdf, unsigned int vector);

typedef u64 __jh_arg;

static inline __jh_arg jailhouse_call(__jh_arg num)
{
	__jh_arg ret;

	__asm__ volatile("vmmcall" : "=a" (ret) : "a" (num) : "memory");
	return ret;
}

static inline __jh_arg jailhouse_call_arg1(__jh_arg num, __jh_arg arg1)
{
	__jh_arg ret;

	__asm__ volatile("vmmcall" : "=a" (ret) : "a" (num), "D" (arg1) : "memory");
	return ret;
}

static inline __jh_arg jailhouse_call_arg2(__jh_arg num, __jh_arg arg1, __jh_arg arg2)
{
	__jh_arg ret;

	__asm__ volatile("vmmcall" : "=a" (ret) : "a" (num), "D" (arg1), "S" (arg2) : "memory");
	return ret;
}

/* The x86 fields after the generic header (struct hv_comm_x86, this hypervisor's widths). */
#define JH_COMM_ARCH_FIELDS	\
	__u16 pm_timer_address;	\
	__u16 padding;		\
	__u32 num_cpus;		\
	__u64 tsc_khz;		\
	__u64 apic_khz;

#define JH_COMM_ARCH_OFFSET(field) \
	(__builtin_offsetof(struct hv_comm_region, arch) + \
	 __builtin_offsetof(struct hv_comm_x86, field))
#define JH_COMM_ARCH_CHECK(s)									\
	_Static_assert(__builtin_offsetof(s, pm_timer_address) ==				\
		       JH_COMM_ARCH_OFFSET(pm_timer_address), "comm region layout");		\
	_Static_assert(__builtin_offsetof(s, num_cpus) == JH_COMM_ARCH_OFFSET(num_cpus),	\
		       "comm region layout");							\
	_Static_assert(__builtin_offsetof(s, apic_khz) == JH_COMM_ARCH_OFFSET(apic_khz),	\
		       "comm region layout")

#endif
