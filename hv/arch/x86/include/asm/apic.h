/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xAPIC access filter. No cell maps the local APIC page (0xfee00000): each access faults
 * (NPF), the caller decodes it (asm/decode.h) and hands it here. Most registers go to the real
 * APIC of the CPU the guest runs on; the interrupt command register is emulated so that a cell
 * reaches only its own CPUs (IPIs are expanded into physical ones, INIT and SIPI never reach
 * the hardware but start the cell's CPUs in the hypervisor), and the logical destination
 * registers are kept per vCPU so logical IPIs are decoded the way the guest set them up.
 *
 * Pure, freestanding C: the hardware and the hypervisor are reached through struct xapic_hooks;
 * the per-vCPU state is a struct xapic_vcpu the caller embeds in its per-CPU data.
 *
 * Integration sketch (core MMIO handler registered for the cell at 0xfee00000, 4 KiB; the NPF
 * handler decoded the instruction into acc, asm/decode.h):
 *
 *	static enum mmio_result xapic_mmio(void *arg, struct mmio_access *acc)
 *	{
 *		struct per_cpu *cpu = this_cpu();
 *		struct xapic_hooks h = { cpu, real_apic_read, real_apic_write, cell_cpu_of,
 *					 send_physical_ipi, start_cell_cpu, warn_guest };
 *		hv_u32 v = acc->value;
 *
 *		if (xapic_access(&cpu->arch.xapic, &h, acc->addr, acc->size, acc->write, &v))
 *			return MMIO_ERROR;	(a cell fault: "xAPIC access of N bytes")
 *		if (!acc->write)
 *			acc->value = v;
 *		return MMIO_HANDLED;
 *	}
 *
 * send_ipi: write the real ICR_HIGH (apic_id << 24) then ICR_LOW (vector | fixed, or NMI),
 * after waiting for the delivery status to clear, serialised against the hypervisor's own
 * ICR use (NMI doorbells). A guest's NMI must reach the guest although the hypervisor
 * intercepts NMIs for its doorbells: mark it pending on the target (injected at its next
 * VMRUN) and then ring the doorbell, rather than sending a bare NMI.
 * init_sipi: INIT parks the target CPU (CPU_PARKED); SIPI sets its start to real mode at
 * CS.base = vector << 12, IP 0 (CPU_START_PENDING) if it waits for one, and is ignored
 * otherwise. cell_cpu: the n-th CPU of the current cell's cpu_set, &per_cpu(cpu)->arch.xapic.
 * Each CPU's struct xapic_vcpu is reset with xapic_vcpu_init() when a cell takes it (ldr 0,
 * dfr XAPIC_DFR_FLAT) and at the late launch for the root (the real LDR/DFR; allow_extint for
 * the root's CPUs).
 *
 * Hardware LDR/DFR invariant (which xapic_irq_dest_in_cell() relies on): every CPU's real DFR
 * is the flat model and its real LDR is 0 or 1 << (24 + cpu_id), as root Linux (flat logical
 * mode, CPU number = APIC id = hypervisor CPU id) leaves them. A guest's other LDR/DFR values
 * are kept virtual (its logical IPIs still work, hardware-delivered logical interrupts from
 * the IOAPIC do not reach it) so that no cell can catch another's logical interrupts.
 */
#ifndef HV_X86_APIC_H
#define HV_X86_APIC_H

#include <stdbool.h>
#include <stddef.h>
#include "abi_types.h"

/* Register offsets in the xAPIC page. */
#define XAPIC_ID		0x020
#define XAPIC_VERSION		0x030
#define XAPIC_TPR		0x080
#define XAPIC_APR		0x090
#define XAPIC_PPR		0x0a0
#define XAPIC_EOI		0x0b0
#define XAPIC_RRD		0x0c0
#define XAPIC_LDR		0x0d0
#define XAPIC_DFR		0x0e0
#define XAPIC_SVR		0x0f0
#define XAPIC_ISR		0x100	/* ... 0x170 */
#define XAPIC_TMR		0x180	/* ... 0x1f0 */
#define XAPIC_IRR		0x200	/* ... 0x270 */
#define XAPIC_ESR		0x280
#define XAPIC_LVT_CMCI		0x2f0
#define XAPIC_ICR_LOW		0x300
#define XAPIC_ICR_HIGH		0x310
#define XAPIC_LVT_TIMER		0x320
#define XAPIC_LVT_THERMAL	0x330
#define XAPIC_LVT_PERF		0x340
#define XAPIC_LVT_LINT0		0x350
#define XAPIC_LVT_LINT1		0x360
#define XAPIC_LVT_ERROR		0x370
#define XAPIC_TIMER_ICR		0x380
#define XAPIC_TIMER_CCR		0x390
#define XAPIC_TIMER_DCR		0x3e0

/* ICR and LVT fields. */
#define XAPIC_DM_MASK		(7U << 8)
#define XAPIC_DM_FIXED		(0U << 8)
#define XAPIC_DM_LOWEST		(1U << 8)
#define XAPIC_DM_SMI		(2U << 8)
#define XAPIC_DM_NMI		(4U << 8)
#define XAPIC_DM_INIT		(5U << 8)
#define XAPIC_DM_SIPI		(6U << 8)
#define XAPIC_DM_EXTINT		(7U << 8)
#define XAPIC_DEST_LOGICAL	(1U << 11)
#define XAPIC_DELIVERY_PENDING	(1U << 12)
#define XAPIC_LEVEL_ASSERT	(1U << 14)
#define XAPIC_TRIGGER_LEVEL	(1U << 15)
#define XAPIC_LVT_MASKED	(1U << 16)
#define XAPIC_SHORTHAND(icr)	(((icr) >> 18) & 3)
#define XAPIC_SH_NONE		0
#define XAPIC_SH_SELF		1
#define XAPIC_SH_ALL		2	/* all including self */
#define XAPIC_SH_OTHERS		3	/* all excluding self */
#define XAPIC_DFR_FLAT		0xffffffffU
#define XAPIC_BROADCAST		0xff

/* The x2APIC MSRs (0x800-0x8ff): absent, the caller injects #GP (no x2APIC under TCG). */
#define X2APIC_MSR_FIRST	0x800
#define X2APIC_MSR_LAST		0x8ff
#define MSR_IA32_APIC_BASE	0x1b

/* One vCPU's emulated APIC state; the caller embeds it (one per CPU, owned by its cell). */
struct xapic_vcpu {
	hv_u32 apic_id;		/* the CPU's APIC id (hardware, = hypervisor CPU id here) */
	unsigned int cpu_id;	/* the hypervisor's CPU id */
	hv_u32 ldr, dfr;	/* the guest's logical destination and format (its view) */
	hv_u32 icr_high;	/* the destination the guest last wrote (bits 31:24) */
	hv_u32 icr_low;		/* the last command; reads show it with delivery idle */
	bool allow_extint;	/* LINT0/LINT1 may be ExtINT: the cell owns the PIC (root) */
};

enum xapic_ipi_mode { XAPIC_IPI_FIXED, XAPIC_IPI_NMI };
enum xapic_start { XAPIC_START_INIT, XAPIC_START_SIPI };

/* How the filter reaches the hardware and the hypervisor; ctx is passed back to each hook. */
struct xapic_hooks {
	void *ctx;
	/* The real APIC of the CPU the access comes from. */
	hv_u32 (*read)(void *ctx, unsigned int reg);
	void (*write)(void *ctx, unsigned int reg, hv_u32 value);
	/* The CPUs of the accessing vCPU's cell (itself included), n = 0, 1, ...; NULL after. */
	const struct xapic_vcpu *(*cell_cpu)(void *ctx, unsigned int n);
	/* A fixed (with vector) or NMI IPI to one physical APIC id of the cell (real ICR). */
	void (*send_ipi)(void *ctx, hv_u32 apic_id, enum xapic_ipi_mode mode, hv_u8 vector);
	/* INIT or SIPI (vector = start page) for another CPU of the cell: hypervisor only. */
	void (*init_sipi)(void *ctx, unsigned int cpu_id, enum xapic_start what, hv_u8 vector);
	/* Something refused or dropped: what (a constant string), the register and the value. */
	void (*warn)(void *ctx, const char *what, hv_u32 reg, hv_u32 value);
};

enum xapic_result {
	XAPIC_OK = 0,		/* done; a read's value is in *value */
	XAPIC_REFUSED,		/* not a 32-bit access to a register offset: fault the cell */
};

/*
 * Resets v for a CPU: ldr and dfr are the guest's current values (what the real registers
 * hold at the late launch for the root; 0 and XAPIC_DFR_FLAT for a CPU that a cell starts).
 */
void xapic_vcpu_init(struct xapic_vcpu *v, hv_u32 apic_id, unsigned int cpu_id, hv_u32 ldr,
		     hv_u32 dfr, bool allow_extint);

/*
 * One guest access to the APIC page: offset 0..0xfff, size in bytes, *value the value written
 * or, for a read, the value returned. Reserved offsets read 0 and ignore writes.
 */
enum xapic_result xapic_access(struct xapic_vcpu *v, const struct xapic_hooks *h,
			       unsigned int offset, unsigned int size, bool write, hv_u32 *value);

/*
 * Whether an interrupt message routed by the hardware (IOAPIC entry, MSI) with this destination
 * reaches only CPUs of the cell of h (see the LDR/DFR invariant above). Broadcasts never do.
 */
bool xapic_irq_dest_in_cell(const struct xapic_hooks *h, bool logical, hv_u8 dest);

static inline bool xapic_msr_is_x2apic(hv_u32 msr)
{
	return msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST;
}

/* IA32_APIC_BASE writes: only the current value (no move, no x2APIC, no disabling). */
static inline bool xapic_apic_base_write_ok(hv_u64 cur, hv_u64 val)
{
	return val == cur;
}

#endif
