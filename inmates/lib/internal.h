/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Library-private declarations, shared between the C files and head.S; the architecture's
 * own are in lib/<arch>/arch-internal.h.
 */
#ifndef INMATE_INTERNAL_H
#define INMATE_INTERNAL_H

#include <inmate-limits.h>

#ifndef __ASSEMBLER__

#include <inmate.h>

extern char __image_start[], __image_end[], __cmdline_start[], __cmdline_end[];

void cmdline_init(void);
/* The comm region's address: comm=ADDR|none on the command line, else the build's default. */
u64 comm_region_address(u64 build_default);
void comm_region_init(u64 addr);
void comm_region_check(void);
void console_init(void);
void console_write(const char *s, size_t len, bool lock);
int printk_unlocked(const char *fmt, ...) __printf(1, 2);
/* The Jailhouse-API heap (compat.c): its top, and where it must stop (arch, or no limit). */
extern unsigned long heap_pos;
unsigned long heap_limit(void);
/* The Jailhouse-API irq_init's arch part (arch compat.c): arm64 unmasks interrupts, x86 not. */
void jh_arch_irq_init_done(void);

#endif /* __ASSEMBLER__ */

#include <arch-internal.h>

#endif
