/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Core hypervisor definitions: types, per-CPU and cell state, services every part uses.
 * Nothing here is specific to an architecture; arch.h is the only door to the arch code.
 */
#ifndef HV_HV_H
#define HV_HV_H

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PERCPU_STACK_SIZE	0x4000
#define PERCPU_SIZE		0x8000

#include <generated/config.h>
#include "hv_image.h"

#include "hv_errno.h"

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;	/* as in Linux: one printk format (%llx) on every arch */
typedef long long s64;

#include "config_format.h"
#include "hypercall.h"
#include <asm/exit_reasons.h>
#include "config_check.h"
#include "comm_region.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((u64)(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((u64)(a) - 1)) == 0)
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define __noreturn		__attribute__((noreturn))
#define __aligned(n)		__attribute__((aligned(n)))
#define __section(s)		__attribute__((section(s)))
#define unlikely(x)		__builtin_expect(!!(x), 0)

#include "arch.h"

/* --- console ------------------------------------------------------------------------------ */
void console_init(const struct hvcfg_console *uart);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_putc(char c);

#define pr_level(lvl, ...) \
	do { if ((lvl) <= CONFIG_CONSOLE_LOGLEVEL) printk(__VA_ARGS__); } while (0)
#define pr_err(...)	pr_level(0, __VA_ARGS__)
#define pr_warn(...)	pr_level(1, __VA_ARGS__)
#define pr_info(...)	pr_level(2, __VA_ARGS__)
#define pr_debug(...)	pr_level(3, __VA_ARGS__)

/* --- library ------------------------------------------------------------------------------- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* --- page allocator ------------------------------------------------------------------------ */
/* CPUs allocate concurrently (x86 enable: each CPU its VMCB and host save area): locked. */
struct page_pool {
	u8 *base;
	unsigned long pages;
	unsigned long used;
	u64 *bitmap;
	spinlock_t lock;
};

int page_pool_init(struct page_pool *pool, void *base, unsigned long pages);
void *page_alloc(struct page_pool *pool, unsigned long num);
void page_free(struct page_pool *pool, void *page, unsigned long num);

extern struct page_pool mem_pool;

/* --- cells and CPUs ------------------------------------------------------------------------ */
struct mmio_access {
	u64 addr;		/* offset inside the handler's region */
	u64 value;
	unsigned int size;	/* bytes: 1, 2, 4 or 8 */
	bool write;
};

enum mmio_result { MMIO_UNHANDLED, MMIO_HANDLED, MMIO_ERROR };
typedef enum mmio_result (*mmio_handler_t)(void *arg, struct mmio_access *acc);

struct mmio_region {
	u64 start;
	u64 size;
	mmio_handler_t handler;
	void *arg;
};

/* Emulated MMIO regions a cell may have: as many as the arch's interrupt controller needs. */
#define CELL_MAX_MMIO		ARCH_CELL_MAX_MMIO

/* A set of hypervisor CPU ids, as large as the build's CONFIG_MAX_CPUS. */
#define CPU_SET_WORDS		((CONFIG_MAX_CPUS + 63) / 64)
struct cpu_set {
	u64 w[CPU_SET_WORDS];
};

struct pci_func;

struct cell {
	unsigned int id;
	const void *blob;			/* config blob the descriptor lives in */
	const struct hvcfg_cell_desc *desc;
	struct cpu_set cpu_set;			/* hypervisor CPU ids */
	u64 irq_bitmap[ARCH_NUM_IRQS / 64];	/* by arch_irq_index() */
	struct mmio_region mmio[CELL_MAX_MMIO];
	unsigned int num_mmio;
	struct arch_cell arch;
	/* non-root cells (hv/core/cell.c) */
	struct hv_comm_region *comm;		/* the cell's comm page */
	unsigned long blob_pages;		/* pages of the private blob copy */
	bool loadable;				/* loadable regions mapped into the root */
	bool ran;				/* started since its RAM was last scrubbed */
	unsigned int warnings;			/* guest_warn() lines since the last start */
	struct pci_func *pci;			/* per PCI function of its config (pci.c) */
	unsigned long pci_pages;
};

/* CPU_START_PENDING: start_address/start_context are set, the CPU (parked) is to start there. */
enum cpu_state { CPU_OFF, CPU_RUNNING, CPU_PARKED, CPU_START_PENDING, CPU_FAILED };

struct per_cpu {
	u8 stack[PERCPU_STACK_SIZE];		/* first, so the stack cannot overrun the rest */
	struct arch_cpu arch;
	unsigned int id;
	u64 hw_id;				/* what the config's CPU table names it by (arm64: MPIDR affinity) */
	struct cell *cell;
	volatile enum cpu_state state;
	u64 start_address;			/* where a pending start begins */
	u64 start_context;			/* in its first argument register */
	bool leave;				/* hand the CPU back to Linux on return */
	u32 stats[NUM_EXIT_REASONS];
	volatile bool park_request;		/* stop in the hypervisor, stay parked */
	volatile bool parked;			/* waiting in vcpu_park() */
	bool failed;				/* stopped by a fatal trap (cell CPUs) */
	char con_line[200];			/* HC_DEBUG_CONSOLE_PUTC, printed by lines */
	unsigned int con_len;
};

_Static_assert(sizeof(struct per_cpu) <= PERCPU_SIZE, "per_cpu too large");
_Static_assert(CONFIG_MAX_CELLS >= 1 && CONFIG_MAX_CELLS <= 256, "cell ids are 8-bit VMIDs");

struct hv_system {
	const struct hvcfg_system *config;
	struct hv_header *header;
	u64 phys_base;
	unsigned int num_cpus;
	struct cell root;
	struct cell *cells[CONFIG_MAX_CELLS];	/* by id; the id is the stage-2 VMID */
	volatile unsigned int panicked;
};

extern struct hv_system hv;
extern u8 per_cpu_area[CONFIG_MAX_CPUS][PERCPU_SIZE];

static inline struct per_cpu *per_cpu(unsigned int id)
{
	return (struct per_cpu *)per_cpu_area[id];
}

static inline bool cell_owns_irq(const struct cell *cell, unsigned int irq)
{
	return irq < ARCH_NUM_IRQS && (cell->irq_bitmap[irq / 64] >> (irq % 64)) & 1;
}

static inline bool cpu_set_has(const struct cpu_set *set, unsigned int id)
{
	return id < CONFIG_MAX_CPUS && (set->w[id / 64] >> (id % 64)) & 1;
}

static inline void cpu_set_add(struct cpu_set *set, unsigned int id)
{
	if (id < CONFIG_MAX_CPUS)
		set->w[id / 64] |= 1ULL << (id % 64);
}

static inline void cpu_set_or(struct cpu_set *dst, const struct cpu_set *src)
{
	unsigned int n;

	for (n = 0; n < CPU_SET_WORDS; n++)
		dst->w[n] |= src->w[n];
}

static inline void cpu_set_andnot(struct cpu_set *dst, const struct cpu_set *src)
{
	unsigned int n;

	for (n = 0; n < CPU_SET_WORDS; n++)
		dst->w[n] &= ~src->w[n];
}

#define for_each_cpu(id, set) \
	for ((id) = 0; (id) < hv.num_cpus; (id)++) if (cpu_set_has(&(set), (id)))

static inline void stat_inc(struct per_cpu *cpu, unsigned int reason)
{
#ifdef CONFIG_EXIT_STATS
	cpu->stats[reason]++;
#else
	(void)cpu;
	(void)reason;
#endif
}

int mmio_register(struct cell *cell, u64 start, u64 size, mmio_handler_t handler, void *arg);
enum mmio_result mmio_dispatch(struct cell *cell, u64 addr, struct mmio_access *acc);
long hypercall(struct per_cpu *cpu, unsigned long code, unsigned long arg1, unsigned long arg2);
struct per_cpu *cpu_by_hw_id(u64 hw_id);
void hv_panic_stop(void) __noreturn;

/* cell.c: non-root cells (cell_mem.c, cell_irq.c: their memory and interrupts) */
long cell_create(struct per_cpu *caller, u64 config_phys);
long cell_start(struct per_cpu *caller, unsigned long id);
long cell_set_loadable(struct per_cpu *caller, unsigned long id);
long cell_destroy(struct per_cpu *caller, unsigned long id);
long cell_get_state(struct per_cpu *caller, unsigned long id);
void cell_cpu_failed(struct per_cpu *cpu);
void cell_cpu_shut_down(struct per_cpu *cpu, const char *how);
/* cell_irq.c: the interrupts a cell descriptor names (setup.c, cell_irq.c) */
int desc_next_irq(const void *blob, const struct hvcfg_cell_desc *desc, u32 *pos);
/* comm.c: the comm region as a starting cell finds it (the arch adds its platform part) */
void comm_region_fill(struct cell *cell);
/* Print a fatal trap; stops the hypervisor (no return) when the root keeps faulting. */
/* gpa: the guest-physical address of a stage-2 / nested page fault, NO_GPA for other traps */
#define NO_GPA	(~0ULL)
void fatal_trap_report(struct per_cpu *cpu, const char *what, u64 esr, u64 pc, u64 far, u64 gpa);

/*
 * Something a guest did was refused or ignored: say so on the console, at most
 * GUEST_WARN_LIMIT times per cell start, so that a flood of bad requests cannot flood the
 * console (control.c).
 */
#define GUEST_WARN_LIMIT	64
bool guest_warn_ok(struct cell *cell);
#define guest_warn(cell, fmt, ...) do {						\
	if (guest_warn_ok(cell))						\
		pr_warn("Cell \"%s\": " fmt, (cell)->desc->name, ##__VA_ARGS__);	\
} while (0)

/* Entered from the arch bootstrap on every CPU; 0 means "run the guest". */
int hv_entry(unsigned int cpu_id);

#endif /* __ASSEMBLER__ */
#endif
