/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface every architecture implements for the core: nothing else of the arch code is
 * visible to hv/core. asm/arch_types.h supplies only the types the core embeds,
 * asm/cfg_limits.h only data: what the architecture can map, for the config validator
 * (ARCH_CFG_LIMITS(), included where the core fills its struct cfg_limits),
 * asm/exit_reasons.h the arch's exit counters.
 *
 * Constants asm/arch_types.h defines: ARCH_CELL_MAX_MMIO (emulated MMIO regions per cell),
 * ARCH_PCI_ROOT_LISTED_ONLY (the root reaches only the PCI functions its config lists),
 * ARCH_STAGE2_BLOCK_SIZE (smallest stage-2 block above a page), ARCH_HV_VIRT_OFFSET (hypervisor
 * virtual minus physical address of its own memory; may be a variable the arch sets up early).
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

#include <asm/arch_types.h>

struct per_cpu;
struct cell;
struct hvcfg_system;
struct hvcfg_console;
struct hvcfg_cell_desc;

/*
 * The hypervisor's own memory (image, page pool, per-CPU data) as the hardware sees it: page
 * tables, register values and the driver's header fields hold physical addresses.
 */
static inline u64 hv_virt_to_phys(const void *virt)
{
	return (uintptr_t)virt - ARCH_HV_VIRT_OFFSET;
}

static inline void *hv_phys_to_virt(u64 phys)
{
	return (void *)(uintptr_t)(phys + ARCH_HV_VIRT_OFFSET);
}

/* Global setup, on the first CPU, after the config was validated and the pool set up. */
int arch_init(const struct hvcfg_system *sys);
int arch_cell_init(struct cell *cell);
/* Per-CPU preparation; nothing a guest would notice until arch_cpu_activate(). */
int arch_cpu_init(struct per_cpu *cpu);
void arch_cpu_activate(struct per_cpu *cpu);

/* Let the CPU leave the hypervisor on its next return (disable or failed enable). */
void arch_cpu_deactivate(struct per_cpu *cpu);

/* Wake a CPU so it looks at its state (parked CPU, pending request). */
void arch_send_event(struct per_cpu *target);

/* Returns whether the build drives this UART (a build may have no UART driver). */
bool arch_console_init(const struct hvcfg_console *uart);
void arch_console_putc(char c);

void arch_apply_relocations(void);
struct per_cpu *this_cpu(void);
void cpu_relax(void);
void arch_halt(void) __attribute__((noreturn));

/*
 * Cells. Stage-2 changes of a cell's guest-physical space (the root's is the identity), their
 * TLB flush on every CPU, a small window through which the hypervisor reaches any RAM (blob
 * copy, scrubbing), and the interrupt hand-over.
 */
int arch_map_region(struct cell *cell, u64 guest, u64 phys, u64 size, u64 flags);
int arch_unmap_region(struct cell *cell, u64 guest, u64 size);
void arch_flush_cell_tlb(struct cell *cell);
/*
 * The fallback when a cell's CPUs do not answer arch_send_event() (a guest may be able to
 * block the event: arm64 direct mode, docs/security.md "Revocation fallback"): make every
 * translation of the cell fault into the hypervisor, which parks a CPU with park_request set
 * at that exit. Called from a root CPU under the management lock, after park_request is set.
 * Returns whether anything was revoked (false: the arch's event cannot be blocked, nothing to
 * do). arch_cell_unrevoke() undoes it once every CPU of the cell is parked (or before the
 * cell's stage 2 is freed); a no-op if nothing is revoked.
 */
bool arch_cell_revoke(struct cell *cell);
void arch_cell_unrevoke(struct cell *cell);
void arch_cell_free(struct cell *cell);
void *arch_map_temp(u64 phys, unsigned long pages);
void arch_unmap_temp(unsigned long pages);
unsigned long arch_temp_pages(void);
void arch_clean_dcache(void *addr, unsigned long size);
/* Zero SIZE bytes of Normal memory at ADDR, both page aligned: the bulk of a cell's scrub. */
void arch_zero_pages(void *addr, unsigned long size);
/*
 * Interrupt ownership is kept by index (struct cell.irq_bitmap, < ARCH_NUM_IRQS): the index of
 * a pin of an interrupt resource entry of a validated config, or -1 if the arch has none.
 */
int arch_irq_index(const struct hvcfg_irqchip *chip, u32 pin);
void arch_set_irq_owner(unsigned int irq, struct cell *cell);
/*
 * Make an interrupt the cell owns pending (a link end's INTx, ivshmem.c), after every memory
 * write of the calling CPU is visible. Ignored for an interrupt the cell does not own.
 */
void arch_irq_raise(struct cell *cell, unsigned int irq);
/* The platform part of a starting cell's comm region (hv_comm_region.arch). */
void arch_fill_comm_region(struct cell *cell);
void arch_udelay(unsigned long us);

/*
 * PCI configuration space as the hardware has it (domain 0; size 1, 2 or 4, reg aligned to
 * it; called under the core's PCI lock), and whether a cell's configuration covers the I/O
 * ports [port, port + size) of a BAR guest = physical (x86: its port regions; arm64: a memory
 * region over the PCI I/O window).
 */
u32 arch_pci_read(u16 bdf, unsigned int reg, unsigned int size);
void arch_pci_write(u16 bdf, unsigned int reg, unsigned int size, u32 value);
bool arch_pci_io_in_cell(const struct hvcfg_cell_desc *desc, const void *blob, u64 port,
			 u64 size);
/* Microseconds since an arbitrary start, from a clock that runs whatever the cells do. */
u64 arch_time_us(void);

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

#endif
