/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * arm64 helpers for inmates: system registers, barriers, MMIO accessors.
 */
#ifndef INMATE_ARM64_H
#define INMATE_ARM64_H

#include <stdint.h>

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define read_sysreg(reg) ({						\
	unsigned long long __val;						\
	__asm__ volatile("mrs %0, " __stringify(reg) : "=r" (__val));	\
	__val;								\
})

#define write_sysreg(reg, val) do {					\
	unsigned long long __val = (unsigned long long)(val);				\
	__asm__ volatile("msr " __stringify(reg) ", %0" : : "r" (__val)); \
} while (0)

/* The EL1 virtual timer, by the names the timer code shared with ARMv7 uses (arm-common). */
#define vtimer_read_frequency()	(read_sysreg(cntfrq_el0) & 0xffffffff)
#define vtimer_read_counter()	read_sysreg(cntvct_el0)
#define vtimer_write_cval(val)	write_sysreg(cntv_cval_el0, val)
#define vtimer_write_ctl(val)	write_sysreg(cntv_ctl_el0, val)

/* GICv3 CPU interface registers by encoding, so no -march flag is needed for their names. */
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_BPR1_EL1		S3_0_C12_C12_3
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_SRE_EL1		S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_SGI1R_EL1		S3_0_C12_C11_5
#define ICC_SGI0R_EL1		S3_0_C12_C11_7
#define ICC_ASGI1R_EL1		S3_0_C12_C11_6
#define ICC_AP1R0_EL1		S3_0_C12_C9_0
#define ICC_IGRPEN0_EL1		S3_0_C12_C12_6

/* GICv3 distributor registers (offsets); the redistributor's SGI frame has the same layout. */
#define GICD_CTLR		0x0000
#define GICD_SETSPI_NSR		0x0040
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
/* GICv3 redistributor registers (offsets in its frame) */
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_SGI_BASE		0x10000

#define isb()		__asm__ volatile("isb" : : : "memory")
#define dsb(opt)	__asm__ volatile("dsb " #opt : : : "memory")
#define dmb(opt)	__asm__ volatile("dmb " #opt : : : "memory")
/* Generic code's barriers: mb() completes earlier accesses, smp_mb() only orders them. */
#define mb()		dsb(ish)
#define smp_mb()	dmb(ish)
#define wfi()		__asm__ volatile("wfi" : : : "memory")
#define wfe()		__asm__ volatile("wfe" : : : "memory")
#define sev()		__asm__ volatile("sev" : : : "memory")
#define cpu_relax()	__asm__ volatile("yield" : : : "memory")
#define barrier()	__asm__ volatile("" : : : "memory")

#define local_irq_enable()	__asm__ volatile("msr daifclr, #2" : : : "memory")
#define local_irq_disable()	__asm__ volatile("msr daifset, #2" : : : "memory")

static inline unsigned long long local_irq_save(void)
{
	unsigned long long flags = read_sysreg(daif);

	local_irq_disable();
	return flags;
}

static inline void local_irq_restore(unsigned long long flags)
{
	write_sysreg(daif, flags);
}

/*
 * MMIO through explicit single ldr/str without writeback: a trapping hypervisor can only
 * emulate an access whose syndrome it can decode (ISV=1), which rules out the load/store pair
 * and post-index forms a compiler may pick for a plain volatile dereference.
 */
static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t val;

	__asm__ volatile("ldr %w0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline void mmio_write32(uintptr_t addr, uint32_t val)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ" (val), "r" (addr) : "memory");
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint32_t val;

	__asm__ volatile("ldrb %w0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return (uint8_t)val;
}

static inline void mmio_write8(uintptr_t addr, uint8_t val)
{
	__asm__ volatile("strb %w0, [%1]" : : "rZ" (val), "r" (addr) : "memory");
}

static inline unsigned long long mmio_read64(uintptr_t addr)
{
	unsigned long long val;

	__asm__ volatile("ldr %0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline void mmio_write64(uintptr_t addr, unsigned long long val)
{
	__asm__ volatile("str %0, [%1]" : : "rZ" (val), "r" (addr) : "memory");
}

/* MPIDR_EL1 affinity fields packed as Aff3.Aff2.Aff1.Aff0, the form GICR_TYPER reports. */
static inline uint32_t mpidr_to_aff32(unsigned long long mpidr)
{
	return (uint32_t)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
}

#define MPIDR_AFF_MASK		0xff00ffffffUL

#endif
