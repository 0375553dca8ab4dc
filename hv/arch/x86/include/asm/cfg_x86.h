/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The x86 platform section of a system blob (struct hvcfg_x86_platform, config_arch_x86.h),
 * for x86 code and the x86 config validator, and the fixed platform facts they share. The
 * generic format keeps the section as bytes at the start of hvcfg_platform.arch, which is
 * 8-byte aligned inside struct hvcfg_system.
 */
#ifndef HV_X86_CFG_X86_H
#define HV_X86_CFG_X86_H

#include "config_format.h"

/* The local APIC page (xAPIC): the hypervisor emulates it, no cell maps it. */
#define X86_LAPIC_BASE		0xfee00000ULL
/* xAPIC ids are 8 bits; 0xff is the broadcast destination, never a CPU's. */
#define X86_XAPIC_BROADCAST	0xff
/*
 * Pins of one IOAPIC: at most as many as the vectors (16..255) its pins can be delivered on.
 * The pin of an interrupt resource is below this even when the IOAPIC is not known.
 */
#define X86_IOAPIC_MAX_PINS	240
/* An IOAPIC's registers: one page (IOREGSEL, IOWIN, EOI). */
#define X86_IOAPIC_SIZE		0x1000ULL
/* The ACPI PM timer: a 32-bit register at pm_timer_port. */
#define X86_PM_TIMER_PORTS	4

_Static_assert(__builtin_offsetof(struct hvcfg_system, platform.arch) % 8 == 0,
	       "the platform section is 8-byte aligned");

static inline const struct hvcfg_x86_platform *cfg_x86_platform(const struct hvcfg_system *sys)
{
	return (const void *)sys->platform.arch;
}

#endif
