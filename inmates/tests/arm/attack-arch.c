// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The ARMv7-specific attacks of the attack inmate (attack.c): what only a 32-bit guest can do
 * to the hypervisor's trap decoding. Each reports what came back; "ok" lines are what a correct
 * hypervisor gives, "WRONG" lines a decoding bug.
 *
 *   cp15		set/way invalidate (HCR.TSW: done as clean+invalidate), ACTLR written
 *			all ones (HCR.TAC: ignored), ID registers read
 *   cp15-hyp		a HYP register (HCR) written from PL1: UNDEFINED, the cell's own
 *			library reports it and the cell ends FAILED
 *   it-wfi		WFI that fails its condition, in a Thumb IT block and in ARM state, with
 *			interrupts masked: must not wait (a trapped one must be skipped)
 *   it-mmio		a distributor load inside a Thumb IT block (itte): the hypervisor's skip
 *			must advance the IT state, so the then/else instructions after it obey
 *			their conditions
 *   thumb-mmio		distributor accesses with 16- and 32-bit Thumb encodings (immediate,
 *			register offset, byte, halfword): the same values as ARM-state accesses
 *   banked-mmio	distributor stores from FIQ (r8-r12, lr), IRQ, abort and undefined mode
 *			(lr): the hypervisor must take the banked register
 *
 * More ARMv7 attacks go here: add a function and its name to arch_attacks[].
 */
#include "attack.h"

#define ACTLR			0, c1, c0, 1
#define MIDR			0, c0, c0, 0
#define ID_PFR1			0, c0, c1, 1
#define DCISW			0, c7, c6, 2
#define DCCISW			0, c7, c14, 2

#define SGI_PRIO_WORD		(GICD_IPRIORITYR + 8)	/* SGIs 8..11: ours on every CPU */

static void cp15(void)
{
	u32 way, set;

	for (way = 0; way < 2; way++)
		for (set = 0; set < 2; set++)
			arm_write_cp32(DCISW, way << 30 | set << 6);
	arm_write_cp32(DCCISW, 0);
	report("4 x DCISW, 1 x DCCISW executed");
	arm_write_cp32(ACTLR, ~0U);
	report("ACTLR written all ones, reads 0x%x", arm_read_cp32(ACTLR));
	report("MIDR 0x%x ID_PFR1 0x%x MPIDR 0x%x", arm_read_cp32(MIDR), arm_read_cp32(ID_PFR1),
	       arm_read_cp32(MPIDR));
}

static void cp15_hyp(void)
{
	report("writing HCR from PL1 now");
	__asm__ volatile("mcr p15, 4, %0, c1, c1, 0" : : "r" (0) : "memory");
	report("ERROR: the HCR write did not fault");
}

static __attribute__((target("thumb"), noinline)) void thumb_wfi_not_taken(void)
{
	__asm__ volatile("movs r0, #0\n\tcmp r0, #1\n\tit eq\n\twfieq" : : : "r0", "cc");
}

static void it_wfi(void)
{
	unsigned int n;

	for (n = 0; n < 1000; n++) {
		thumb_wfi_not_taken();
		__asm__ volatile("cmp %0, %0\n\twfine" : : "r" (n) : "cc");
	}
	report("ok: 2000 condition-failed WFIs returned with interrupts masked");
}

/* itte eq: the load (then), an add (then) and an add (else); the condition holds. */
static __attribute__((target("thumb"), noinline)) u32 thumb_it_load(uintptr_t addr, u32 *val)
{
	u32 steps = 0, v = 0;

	__asm__ volatile("cmp %[a], %[a]\n\t"
			 "itte eq\n\t"
			 "ldreq %[v], [%[a]]\n\t"
			 "addeq %[s], %[s], #1\n\t"
			 "addne %[s], %[s], #16"
			 : [s] "+l" (steps), [v] "+l" (v) : [a] "l" (addr) : "cc", "memory");
	*val = v;
	return steps;
}

static void it_mmio(void)
{
	u32 val, steps = thumb_it_load(attack_gicd + GICD_TYPER, &val);
	u32 typer = mmio_read32(attack_gicd + GICD_TYPER);

	report("%s: IT block steps %u (expected 1), TYPER 0x%x (ARM state 0x%x)",
	       steps == 1 && val == typer ? "ok" : "WRONG", steps, val, typer);
}

static __attribute__((target("thumb"), noinline)) void thumb_accesses(uintptr_t gicd, u32 *out)
{
	u32 off = SGI_PRIO_WORD;

	__asm__ volatile("ldr %0, [%1, #4]" : "=l" (out[0]) : "l" (gicd) : "memory");	/* 16-bit */
	__asm__ volatile("ldr.w %0, [%1, #4]" : "=r" (out[1]) : "r" (gicd) : "memory");
	__asm__ volatile("str %0, [%1, %2]" : : "l" (0x10182028), "l" (gicd), "l" (off)
			 : "memory");
	__asm__ volatile("ldr %0, [%1, %2]" : "=l" (out[2]) : "l" (gicd), "l" (off) : "memory");
	__asm__ volatile("strb.w %0, [%1, #0]" : : "r" (0x48), "r" (gicd + off) : "memory");
	__asm__ volatile("ldrh %0, [%1, #0]" : "=l" (out[3]) : "l" (gicd + off) : "memory");
	__asm__ volatile("ldrb %0, [%1, #1]" : "=l" (out[4]) : "l" (gicd + off) : "memory");
}

static void thumb_mmio(void)
{
	u32 t[5], typer = mmio_read32(attack_gicd + GICD_TYPER), prio;

	thumb_accesses(attack_gicd, t);
	prio = mmio_read32(attack_gicd + SGI_PRIO_WORD);
	report("%s: TYPER 16-bit 0x%x 32-bit 0x%x (ARM state 0x%x)",
	       t[0] == typer && t[1] == typer ? "ok" : "WRONG", t[0], t[1], typer);
	report("%s: priority word via Thumb 0x%x, after a Thumb byte store 0x%x, halfword 0x%x, "
	       "byte 0x%x", t[3] == (prio & 0xffff) && t[4] == (prio >> 8 & 0xff) ? "ok" :
	       "WRONG", t[2], prio, t[3], t[4]);
}

/* Store r0's value from register REG of mode MODE (cps there and back; r1 holds the address). */
#define BANKED_STORE(mode, reg, val, addr) do {					\
	register u32 __v __asm__("r0") = (val);					\
	register u32 __a __asm__("r1") = (addr);				\
	__asm__ volatile("cps #" #mode "\n\tmov " #reg ", r0\n\tstr " #reg ", [r1]\n\t"	\
			 "cps #0x13" : : "r" (__v), "r" (__a) : "memory");	\
} while (0)

static void banked_check(const char *name, u32 val)
{
	u32 got = mmio_read32(attack_gicd + SGI_PRIO_WORD), want;

	/* what a plain store of the same value leaves (the priority bits implemented) */
	mmio_write32(attack_gicd + SGI_PRIO_WORD, val);
	want = mmio_read32(attack_gicd + SGI_PRIO_WORD);
	report("%s: store from %s: 0x%x (a plain store: 0x%x)", got == want ? "ok" : "WRONG",
	       name, got, want);
	mmio_write32(attack_gicd + SGI_PRIO_WORD, 0);
}

#define BANKED_CASE(mode, reg, n, name) do {					\
	u32 __val = 0x40506070U + 0x08080808U * (n);				\
	mmio_write32(attack_gicd + SGI_PRIO_WORD, 0);				\
	BANKED_STORE(mode, reg, __val, attack_gicd + SGI_PRIO_WORD);		\
	banked_check(name, __val);						\
} while (0)

static void banked_mmio(void)
{
	u32 flags = local_irq_save();

	__asm__ volatile("cpsid if" : : : "memory");
	BANKED_CASE(0x11, r8, 0, "r8_fiq");
	BANKED_CASE(0x11, r9, 1, "r9_fiq");
	BANKED_CASE(0x11, r10, 2, "r10_fiq");
	BANKED_CASE(0x11, r11, 3, "r11_fiq");
	BANKED_CASE(0x11, r12, 4, "r12_fiq");
	BANKED_CASE(0x11, lr, 5, "lr_fiq");
	BANKED_CASE(0x12, lr, 6, "lr_irq");
	BANKED_CASE(0x17, lr, 7, "lr_abt");
	BANKED_CASE(0x1b, lr, 8, "lr_und");
	local_irq_restore(flags);
}

static const struct {
	const char *name;
	void (*fn)(void);
} arch_attacks[] = {
	{ "cp15", cp15 }, { "cp15-hyp", cp15_hyp }, { "it-wfi", it_wfi }, { "it-mmio", it_mmio },
	{ "thumb-mmio", thumb_mmio }, { "banked-mmio", banked_mmio },
};

bool attack_arch(void)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(arch_attacks); n++) {
		if (!strncmp(attack_name, arch_attacks[n].name, sizeof(attack_name))) {
			arch_attacks[n].fn();
			return true;
		}
	}
	return false;
}
