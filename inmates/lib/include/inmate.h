/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The inmate library: everything a bare-metal program running in a cell (or booted by QEMU at
 * EL1 without a hypervisor) needs. A demo defines inmate_main(); the library has by then set up
 * vectors, stacks, BSS, the MMU (identity map), the console, the command line and the comm
 * region. See inmates/README.md.
 */
#ifndef INMATE_H
#define INMATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <comm_region.h>
#include <hypercall.h>

#include "arm64.h"
#include "inmate-limits.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE		0x1000UL
#define NS_PER_SEC		1000000000UL

#define __noreturn		__attribute__((noreturn))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __aligned(n)		__attribute__((aligned(n)))

/* --- entry points ------------------------------------------------------------------------ */

/* Provided by the demo. Returning ends the inmate through inmate_exit(). */
void inmate_main(void);

/*
 * Stop for good: in a cell, set the comm-region state SHUT_DOWN (consent to any later
 * request) and park the CPU; bare-metal, power the machine off with PSCI SYSTEM_OFF.
 */
void __noreturn inmate_exit(void);
/* Park this CPU with interrupts masked; never returns. */
void __noreturn cpu_halt(void);

/* --- console and printk ------------------------------------------------------------------ */

int printk(const char *fmt, ...) __printf(1, 2);
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);
int snprintk(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* "pl011", "hvc" (HC_DEBUG_CONSOLE_PUTC) or "none": what printk writes to. */
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
/* "name", "name=1|y|on|true" are true; "name=0|n|off|false" false; else def. */
bool cmdline_get_bool(const char *name, bool def);

/* --- memory map -------------------------------------------------------------------------- */

enum map_type { MAP_DEVICE, MAP_NORMAL, MAP_NORMAL_NOEXEC };
/* Identity-map [addr, addr + size) at page granularity; only before the MMU is on. */
int map_range(u64 addr, u64 size, enum map_type type);
bool mmu_enabled(void);

/* --- CPUs, PSCI and SMP ------------------------------------------------------------------ */

#define PSCI_SUCCESS			0
#define PSCI_NOT_SUPPORTED		-1
#define PSCI_INVALID_PARAMETERS		-2
#define PSCI_DENIED			-3
#define PSCI_ALREADY_ON			-4
#define PSCI_ON_PENDING			-5
#define PSCI_INTERNAL_FAILURE		-6

#define PSCI_AFFINITY_ON		0
#define PSCI_AFFINITY_OFF		1
#define PSCI_AFFINITY_ON_PENDING	2

/* Whether PSCI uses smc (in a cell: the hypervisor traps it) or hvc (QEMU without EL2). */
bool psci_uses_smc(void);
/* PSCI_VERSION: major << 16 | minor. */
u32 psci_version(void);
long psci_cpu_on(u64 mpidr, u64 entry, u64 context_id);
long psci_cpu_off(void);
long psci_affinity_info(u64 mpidr);
void psci_system_off(void);

/* Logical CPU number: 0 for the boot CPU, the smp_start_cpu() index for the others. */
unsigned int cpu_id(void);
u64 cpu_mpidr(void);

typedef void (*cpu_fn_t)(unsigned int cpu, u64 context_id);
/*
 * Start the CPU with affinity mpidr as logical CPU cpu (1..MAX_CPUS-1) with PSCI CPU_ON; it
 * runs fn on its own stack with its vectors, MMU and GIC interface set up. fn gets the context
 * id it found in x0. Returns a PSCI status.
 */
long smp_start_cpu(unsigned int cpu, u64 mpidr, cpu_fn_t fn);
/* Context id smp_start_cpu() passes for logical CPU cpu. */
u64 smp_context_id(unsigned int cpu);

/* Simple spinlock; needs the MMU on (exclusives on Device memory are not guaranteed). */
typedef struct {
	volatile u32 locked;
} spinlock_t;

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

/* --- interrupts (GICv3) ------------------------------------------------------------------ */

#define IRQ_VTIMER		27
#define IRQ_SPURIOUS		1023

/* entry_ticks: virtual counter read by the first instructions of the IRQ vector. */
typedef void (*irq_handler_t)(unsigned int irq, u64 entry_ticks);

/* Set up the distributor (once), this CPU's redistributor and CPU interface. */
void irq_init(irq_handler_t handler);
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);
/* Send SGI irq (0..15) to the CPU with affinity mpidr. */
void irq_send_sgi(unsigned int irq, u64 mpidr);

/* --- ARM generic timer (EL1 virtual timer, PPI 27) --------------------------------------- */

u64 timer_frequency(void);
u64 timer_ticks(void);
u64 timer_ticks_to_ns(u64 ticks);
u64 timer_ns_to_ticks(u64 ns);
/* One-shot: interrupt when the virtual counter reaches deadline (absolute ticks). */
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

/* --- hypercalls -------------------------------------------------------------------------- */

static inline long hypercall(u64 code, u64 arg1, u64 arg2)
{
	register u64 x0 __asm__("x0") = code;
	register u64 x1 __asm__("x1") = arg1;
	register u64 x2 __asm__("x2") = arg2;

	__asm__ volatile("hvc #" __stringify(HV_HVC_IMM)
			 : "+r" (x0), "+r" (x1), "+r" (x2)
			 : : "x3", "memory");
	return (long)x0;
}

#endif
