/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The inmate library: everything a bare-metal program running in a cell (or booted by QEMU
 * without a hypervisor) needs. A demo defines inmate_main(); the library has by then set up
 * exception handling, stacks, BSS, the identity map, the console, the command line and the comm
 * region. This header is the architecture-neutral API; <inmate-arch.h> (lib/<arch>/include)
 * adds the architecture's part: CPUs, interrupts, MMIO, hypercalls. See inmates/README.md.
 */
#ifndef INMATE_H
#define INMATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <comm_region.h>
#include <hypercall.h>

#include "inmate-limits.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;	/* as hv_u64: one printk format (%llx) on 32- and 64-bit */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE		0x1000UL
#define NS_PER_SEC		1000000000UL

#define __noreturn		__attribute__((noreturn))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __aligned(n)		__attribute__((aligned(n)))

#include <inmate-arch.h>

/* --- entry points ------------------------------------------------------------------------ */

/* Provided by the demo. Returning ends the inmate through inmate_exit(). */
void inmate_main(void);

/*
 * Stop for good: in a cell, set the comm-region state SHUT_DOWN (consent to any later
 * request) and park the CPU; bare-metal, power the machine off (arm64: PSCI SYSTEM_OFF, x86:
 * the ACPI PM1 control register of QEMU's q35).
 */
void __noreturn inmate_exit(void);
/* Park this CPU with interrupts masked; never returns. */
void __noreturn cpu_halt(void);

/* --- console and printk ------------------------------------------------------------------ */

int printk(const char *fmt, ...) __printf(1, 2);
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);
int snprintk(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* "pl011" / "8250", "hvc" (HC_DEBUG_CONSOLE_PUTC) or "none": what printk writes to. */
const char *console_name(void);

/* --- strings ----------------------------------------------------------------------------- */

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

/* --- command line ("name=value name2" at image base + 0x1000) ---------------------------- */

const char *cmdline(void);
/* Copies the value of name= into buf (NUL-terminated); false if absent. */
bool cmdline_get_str(const char *name, char *buf, size_t size);
/* Decimal or 0x-hex; returns def when absent or malformed. */
u64 cmdline_get_u64(const char *name, u64 def);
/* Up to max numbers from a comma-separated value ("1,0x3f8,4"); how many, up to a malformed one. */
unsigned int cmdline_get_u64_list(const char *name, u64 *out, unsigned int max);
/* "name", "name=1|y|on|true" are true; "name=0|n|off|false" false; else def. */
bool cmdline_get_bool(const char *name, bool def);

/* --- CPUs -------------------------------------------------------------------------------- */

/* Logical CPU number: 0 for the boot CPU, 1.. for the ones the library started. */
unsigned int cpu_id(void);

/* Simple spinlock (arm64: needs the MMU on, exclusives on Device memory are not guaranteed). */
typedef struct {
	volatile u32 locked;
} spinlock_t;

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

/* --- timer (arm64: the generic timer's virtual counter; x86: the TSC) -------------------- */

u64 timer_frequency(void);
u64 timer_ticks(void);
u64 timer_ticks_to_ns(u64 ticks);
u64 timer_ns_to_ticks(u64 ns);
/* One-shot: interrupt (IRQ_TIMER) when the counter reaches deadline (absolute ticks). */
void timer_arm_at(u64 deadline);
/* One-shot: interrupt after delta ticks; returns the absolute deadline. */
u64 timer_arm(u64 delta);
void timer_stop(void);
void delay_us(u64 us);

/* --- comm region ------------------------------------------------------------------------- */

/* NULL when running without a comm region (bare metal, or comm=none on the command line). */
struct hv_comm_region *comm_region(void);
void comm_region_set_state(u32 state);
/* Decides a SHUTDOWN_REQUEST: return true to approve. The default approves. */
typedef bool (*shutdown_policy_t)(void);
void comm_region_set_shutdown_policy(shutdown_policy_t policy);
/*
 * Answer a pending hypervisor message, if any. Returns true once a shutdown was approved: the
 * caller should stop its work (the hypervisor stops the cell next). Cheap: one load when idle.
 */
bool comm_region_poll(void);

#endif
