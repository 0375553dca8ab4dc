/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The x86 part of the inmate API (included by inmate.h): interrupts (IDT, local APIC, IOAPIC),
 * the local APIC timer, SMP start-up with INIT/SIPI, the ACPI PM timer and hypercalls.
 * Everything is xAPIC MMIO (TCG and the hypervisor have no x2APIC).
 */
#ifndef INMATE_ARCH_H
#define INMATE_ARCH_H

#include "x86.h"

/* --- interrupts -------------------------------------------------------------------------- */

/* Vectors the library uses; 0x20..0xfe are free for the demos (IOAPIC pins, IPIs). */
#define IRQ_TIMER		0x20	/* local APIC timer */
#define IRQ_IPI			0x21	/* what the demos send each other */
#define IRQ_IOAPIC_BASE		0x30	/* convention: IOAPIC pin N -> vector 0x30 + N */
#define IRQ_SPURIOUS		0xff

/* entry_ticks: TSC read by the first instructions of the vector's entry stub. */
typedef void (*irq_handler_t)(unsigned int vector, u64 entry_ticks);

/*
 * Route every vector >= 0x20 to handler (sent an EOI after it returns) and enable this
 * CPU's local APIC. A second call on another CPU only enables that CPU's APIC.
 */
void irq_init(irq_handler_t handler);

/*
 * Probing (test inmates): while exception_fixup_rip is set, an exception (vector < 0x20) does
 * not stop the CPU: it resumes at that address with the vector in exception_fixup_vector, and
 * exception_fixup_rip is cleared. Use X86_PROBE() below, one instruction at a time.
 */
extern volatile u64 exception_fixup_rip, exception_fixup_vector;
#define X86_PROBE_NONE		(~0UL)

/*
 * Run the one instruction insn; operands: ": outputs : inputs" (both colons always). Returns
 * the vector it raised, or X86_PROBE_NONE.
 */
#define X86_PROBE(insn, operands...) ({						\
	exception_fixup_vector = X86_PROBE_NONE;				\
	__asm__ volatile("leaq 1f(%%rip), %%r11\n\t"				\
			 "movq %%r11, exception_fixup_rip(%%rip)\n\t"		\
			 insn "\n"						\
			 "1:\tmovq $0, exception_fixup_rip(%%rip)"		\
			 operands : "r11", "memory");				\
	exception_fixup_vector;							\
})

/* For the generic demo code: interrupts are enabled at the source on x86, nothing to do. */
static inline void irq_enable(unsigned int vector) { (void)vector; }
static inline void irq_disable(unsigned int vector) { (void)vector; }

/* --- local APIC (xAPIC at 0xfee00000) ---------------------------------------------------- */

#define XAPIC_BASE		0xfee00000UL
#define APIC_ID			0x020
#define APIC_VERSION		0x030
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ESR		0x280
#define APIC_ICR_LO		0x300
#define APIC_ICR_HI		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERROR		0x370
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0

#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVT_PERIODIC	(1U << 17)
#define APIC_ICR_BUSY		(1U << 12)
#define APIC_ICR_LEVEL_ASSERT	(1U << 14)
#define APIC_ICR_INIT		(5U << 8)
#define APIC_ICR_SIPI		(6U << 8)
#define APIC_ICR_NMI		(4U << 8)
#define APIC_DEST_SELF		(1U << 18)
#define APIC_DEST_ALL		(2U << 18)
#define APIC_DEST_ALL_BUT_SELF	(3U << 18)

static inline u32 apic_read(unsigned int reg)
{
	return mmio_read32(XAPIC_BASE + reg);
}

static inline void apic_write(unsigned int reg, u32 val)
{
	mmio_write32(XAPIC_BASE + reg, val);
}

static inline unsigned int apic_id(void)
{
	return apic_read(APIC_ID) >> 24;
}

/* Send vector (fixed delivery) to the CPU with APIC id dest. */
void apic_send_ipi(unsigned int dest, unsigned int vector);
/* Write the ICR (high word first: destination) and wait until the APIC accepted it. */
void apic_send_icr(unsigned int dest, u32 icr_lo);

/* --- local APIC timer (divide by 1) ------------------------------------------------------ */

/* Ticks per second of the APIC timer: the comm region's apic_khz, else calibrated. */
u64 apic_timer_frequency(void);
/* Fire IRQ_TIMER once after ns / every ns. */
void apic_timer_oneshot(u64 ns);
void apic_timer_periodic(u64 ns);
void apic_timer_stop(void);
u64 apic_timer_ticks_to_ns(u64 ticks);

/* --- IOAPIC (0xfec00000) ----------------------------------------------------------------- */

#define IOAPIC_BASE		0xfec00000UL
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REDIR_TABLE	0x10

#define IOAPIC_MASKED		(1U << 16)
#define IOAPIC_LEVEL		(1U << 15)
#define IOAPIC_ACTIVE_LOW	(1U << 13)

u32 ioapic_read(unsigned int reg);
void ioapic_write(unsigned int reg, u32 val);
/* Program pin's redirection entry: fixed delivery of vector to APIC id dest; flags: above. */
void ioapic_set_pin(unsigned int pin, unsigned int vector, unsigned int dest, u32 flags);
void ioapic_mask_pin(unsigned int pin);
u64 ioapic_get_pin(unsigned int pin);

/* --- ACPI PM timer (3.579545 MHz, 24 bits) ------------------------------------------------ */

#define PM_TIMER_HZ		3579545UL
/* The port in use (comm region, command line pm-timer=, bare-metal q35: 0x608), 0: none. */
unsigned int pm_timer_port(void);

/* --- CPUs -------------------------------------------------------------------------------- */

/*
 * What the first CPU started with (reset-check): its registers at the real-mode entry, saved
 * by the first instructions, and its local APIC before the library set it up.
 */
struct x86_entry_state {
	u32 eax, ebx, ecx, edx, esi, edi, ebp, esp;
	u32 eflags;
	u16 ds, es, fs, gs, ss, pad0;
	u32 cr0, cr3, cr4, pad1;
	u64 efer, gs_base;
	u32 apic_svr, apic_tpr, apic_lvt_timer, apic_lint0, apic_lint1, apic_lvt_error;
	u32 apic_tmict, apic_tdcr;
};

extern struct x86_entry_state entry_state;

unsigned int cpu_apic_id(void);
bool cpu_online(unsigned int cpu);
unsigned int cpu_to_apic_id(unsigned int cpu);

typedef void (*cpu_fn_t)(unsigned int cpu);
/*
 * INIT + SIPI + SIPI to every other CPU (shorthand all-excluding-self) or to one APIC id. The
 * SIPI vector points at the image's real-mode trampoline (base + 0x2000); each CPU that comes
 * up takes the next free logical CPU number (arrival order) and stack, sets up its IDT and
 * APIC and runs fn. A CPU that returns from fn halts with interrupts off (INIT restarts it).
 * Without a free stack (more than MAX_CPUS) a CPU halts early and counts in smp_stray_cpus().
 */
void smp_start_cpus(cpu_fn_t fn);
void smp_start_apic(unsigned int apic_id, cpu_fn_t fn);
/* CPUs running right now, the boot CPU included. */
unsigned int smp_cpus_online(void);
unsigned int smp_stray_cpus(void);
/* Wait until count CPUs are online or timeout_ms passed; returns the number online. */
unsigned int smp_wait_online(unsigned int count, u64 timeout_ms);

/* --- hypercalls (VMMCALL: code in RAX, arguments RDI, RSI, result RAX) -------------------- */

static inline long hypercall(u64 code, u64 arg1, u64 arg2)
{
	long ret;

	__asm__ volatile("vmmcall" : "=a" (ret) : "a" (code), "D" (arg1), "S" (arg2) : "memory");
	return ret;
}

#endif
