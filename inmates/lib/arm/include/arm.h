/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7-A helpers for inmates: cp15 registers, barriers, interrupt masking, MMIO accessors.
 * The library runs in SVC mode, ARM state, with the MMU and the caches off.
 */
#ifndef INMATE_ARM_H
#define INMATE_ARM_H

#include <stdint.h>

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

/* cp15 registers as (opc1, CRn, CRm, opc2) or, 64-bit, (opc1, CRm). */
#define MPIDR			0, c0, c0, 5
#define SCTLR			0, c1, c0, 0
#define DFSR			0, c5, c0, 0
#define IFSR			0, c5, c0, 1
#define DFAR			0, c6, c0, 0
#define IFAR			0, c6, c0, 2
#define VBAR			0, c12, c0, 0
#define TPIDRPRW		0, c13, c0, 4
#define CNTFRQ			0, c14, c0, 0
#define CNTV_CTL		0, c14, c3, 1
#define CNTPCT			0, c14
#define CNTVCT			1, c14
#define CNTV_CVAL		3, c14

#define __arm_mrc(opc1, crn, crm, opc2, val) \
	__asm__ volatile("mrc p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r" (val))
#define __arm_mcr(opc1, crn, crm, opc2, val) \
	__asm__ volatile("mcr p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : : "r" (val))
#define __arm_mrrc(opc1, crm, val) \
	__asm__ volatile("mrrc p15, " #opc1 ", %Q0, %R0, " #crm : "=r" (val))
#define __arm_mcrr(opc1, crm, val) \
	__asm__ volatile("mcrr p15, " #opc1 ", %Q0, %R0, " #crm : : "r" (val))

/*
 * arm_read_cp32(REG), arm_write_cp32(REG, val), arm_read_cp64(REG), arm_write_cp64(REG, val)
 * with REG one of the names above. Variadic, so that REG may arrive expanded already (as an
 * argument of another macro); one more expansion step turns it into the operands.
 */
#define arm_read_cp32(...)	({ uint32_t __v; __arm_mrc_x(__VA_ARGS__, __v); __v; })
#define arm_write_cp32(...)	__arm_mcr_w(__VA_ARGS__)
#define arm_read_cp64(...)	({ unsigned long long __v; __arm_mrrc_x(__VA_ARGS__, __v); __v; })
#define arm_write_cp64(...)	__arm_mcrr_w(__VA_ARGS__)
#define __arm_mrc_x(...)	__arm_mrc(__VA_ARGS__)
#define __arm_mrrc_x(...)	__arm_mrrc(__VA_ARGS__)
#define __arm_mcr_w(...)	__arm_mcr_v(__VA_ARGS__)
#define __arm_mcrr_w(...)	__arm_mcrr_v(__VA_ARGS__)
#define __arm_mcr_v(opc1, crn, crm, opc2, val) do {				\
	uint32_t __v = (uint32_t)(val);						\
	__arm_mcr(opc1, crn, crm, opc2, __v);					\
} while (0)
#define __arm_mcrr_v(opc1, crm, val) do {					\
	unsigned long long __v = (val);						\
	__arm_mcrr(opc1, crm, __v);						\
} while (0)

/* The PL1 virtual timer, by the names the timer code shared with arm64 uses (arm-common). */
#define vtimer_read_frequency()	arm_read_cp32(CNTFRQ)
#define vtimer_read_counter()	arm_read_cp64(CNTVCT)
#define vtimer_write_cval(val)	arm_write_cp64(CNTV_CVAL, val)
#define vtimer_write_ctl(val)	arm_write_cp32(CNTV_CTL, val)

/* GICv2 distributor and CPU interface registers (offsets) */
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ITARGETSR		0x0800
#define GICD_ICFGR		0x0c00
#define GICD_SGIR		0x0f00
#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_RPR		0x0014
#define GICC_HPPIR		0x0018
#define GICC_APR		0x00d0
#define GICC_IIDR		0x00fc
#define GICC_DIR		0x1000

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

#define local_irq_enable()	__asm__ volatile("cpsie i" : : : "memory")
#define local_irq_disable()	__asm__ volatile("cpsid i" : : : "memory")

static inline unsigned long long local_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r" (flags) : : "memory");
	return flags;
}

static inline void local_irq_restore(unsigned long long flags)
{
	/* Only the control field's mask bits: the flags may have changed since. */
	__asm__ volatile("msr cpsr_c, %0" : : "r" ((unsigned long)flags) : "memory", "cc");
}

/*
 * MMIO through single ldr/str with an immediate-free address: a trapping hypervisor can only
 * emulate an access whose syndrome it can decode (HSR.ISV=1), which rules out ldm/stm, ldrd
 * and writeback forms a compiler may pick for a plain volatile dereference.
 */
static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t val;

	__asm__ volatile("ldr %0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline void mmio_write32(uintptr_t addr, uint32_t val)
{
	__asm__ volatile("str %0, [%1]" : : "r" (val), "r" (addr) : "memory");
}

static inline uint16_t mmio_read16(uintptr_t addr)
{
	uint32_t val;

	__asm__ volatile("ldrh %0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return (uint16_t)val;
}

static inline void mmio_write16(uintptr_t addr, uint16_t val)
{
	__asm__ volatile("strh %0, [%1]" : : "r" ((uint32_t)val), "r" (addr) : "memory");
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint32_t val;

	__asm__ volatile("ldrb %0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return (uint8_t)val;
}

static inline void mmio_write8(uintptr_t addr, uint8_t val)
{
	__asm__ volatile("strb %0, [%1]" : : "r" ((uint32_t)val), "r" (addr) : "memory");
}

/* Two word accesses, low word first: ARMv7 has no single-copy atomic 64-bit MMIO access. */
static inline unsigned long long mmio_read64(uintptr_t addr)
{
	unsigned long long lo = mmio_read32(addr);

	return lo | (unsigned long long)mmio_read32(addr + 4) << 32;
}

static inline void mmio_write64(uintptr_t addr, unsigned long long val)
{
	mmio_write32(addr, (uint32_t)val);
	mmio_write32(addr + 4, (uint32_t)(val >> 32));
}

/* MPIDR's affinity fields Aff2.Aff1.Aff0 (the MT and U bits are not part of a CPU's name). */
#define MPIDR_AFF_MASK		0xffffffULL

#endif
