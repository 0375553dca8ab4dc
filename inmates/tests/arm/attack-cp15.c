// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * attack on ARMv7, second half: what only a 32-bit ARM guest can try against the trap decoding
 * of the hypervisor (hv/arch/arm/decode.c, regs.c, cp15.c). attack.c calls attack_arm32() for
 * the names it does not know. Each attack prints "attack: NAME: ..." lines and ends with
 * "attack: NAME: N checks ok" or "attack: NAME: ERROR: ...".
 *
 *   cp15-hyp	HVBAR, HSCTLR, HCR, HDCR, VTCR, HTTBR, VTTBR, CNTVOFF, ELR_hyp, SPSR_hyp from SVC:
 *		UNDEFINED at PL1, the cell's own exception (caught here), never the hypervisor's
 *   actlr	ACTLR written 0 and ~0 (HCR.TAC): the writes are ignored, reads give the real value
 *   setway	DCISW over every set and way of every data cache level, DCCSW, DCCISW (HCR.TSW:
 *		done as clean+invalidate), then malformed operands (ignored); QEMU's Cortex-A15
 *		does not trap set/way (only its ARMv8 CPUs model HCR.TSW): harmless no-ops there
 *   banked	MMIO (the GICD priorities of our SGIs 4-7) with SP and LR as the transfer register
 *		in SVC, System, IRQ, abort, undefined and FIQ mode, FIQ mode's r8-r12 (a store
 *		of the PC comes without syndrome on QEMU: fatal, like ldr-pc)
 *   thumb	16-bit Thumb loads and stores to the GICD inside IT blocks, condition-failed ones,
 *		the block's else-instruction after a trapped one, LDRSB/LDRH, 32-bit in IT
 *   cond	conditional ARM-state MMIO and cp15 accesses whose condition fails
 *   ldr-pc	an MMIO load into the PC: fatal for the cell
 *   debug	addr=A: breakpoint 0 armed on A (a root kernel address) in every mode, monitor
 *		debug enabled, then idle: the CPU must come back to the root clean
 */
#include "../attack.h"

#define GICD_DEFAULT		0x08000000UL
#define PRIO_SGI4		0x404	/* IPRIORITYR of SGIs 4-7: private, ours */

#define MODE_FIQ		0x11
#define MODE_IRQ		0x12
#define MODE_SVC		0x13
#define MODE_ABT		0x17
#define MODE_UND		0x1b
#define MODE_SYS		0x1f

bool attack_arm32(const char *name);

static unsigned long prio;	/* GICD_IPRIORITYR of SGIs 4-7 */
static u32 prio_mask;		/* the priority bits the GIC implements */
static unsigned int checks, errors;

#define expect(cond, fmt, ...) do {						\
	checks++;								\
	if (!(cond)) {								\
		errors++;							\
		report("ERROR: " fmt, ##__VA_ARGS__);				\
	}									\
} while (0)

/* A word as the priority registers keep it: a cell's bytes are at least 0x80, masked. */
static u32 prio_kept(u32 v)
{
	unsigned int n;

	for (n = 0; n < 32; n += 8)
		if (((v >> n) & 0xff) < 0x80)
			v = (v & ~(0xffU << n)) | 0x80U << n;
	return v & prio_mask;
}

static u32 rd32(unsigned long addr)
{
	return *(volatile u32 *)addr;
}

static void wr32(unsigned long addr, u32 val)
{
	*(volatile u32 *)addr = val;
}

/* distinct priority words of at least 0x80 per byte (a cell's minimum), low nibbles clear */
static u32 prio_value(unsigned int seed)
{
	return 0x80808080 | ((seed * 0x01030507 + 0x02040608) & 0x07070707) << 4;
}

/* ---- undefined instructions, caught by a vector table of our own ---------------------------- */

/* [0]: r1 while the handler runs, [1]: undefined instructions taken */
u32 attack_undef_area[2];
void attack_vectors(void);

/* The undefined-instruction vector of attack_vectors: count, step over (ARM state only). */
__asm__(".pushsection .text\n"
	".arm\n"
	".balign 32\n"
	".global attack_vectors\n"
	"attack_vectors:\n"
	"	b .\n	b 1f\n	b .\n	b .\n	b .\n	b .\n	b .\n	b .\n"
	"1:	mov sp, r0\n"
	"	ldr r0, =attack_undef_area\n"
	"	str r1, [r0]\n"
	"	ldr r1, [r0, #4]\n"
	"	add r1, r1, #1\n"
	"	str r1, [r0, #4]\n"
	"	ldr r1, [r0]\n"
	"	mov r0, sp\n"
	"	movs pc, lr\n"
	".ltorg\n"
	".popsection\n");

static u32 vbar_swap(u32 vbar)
{
	u32 old;

	__asm__ volatile("mrc p15, 0, %0, c12, c0, 0" : "=r"(old));
	__asm__ volatile("mcr p15, 0, %0, c12, c0, 0; isb" : : "r"(vbar) : "memory");
	return old;
}

#define TRY_UNDEF(what, insn, outputs, inputs) do {				\
	u32 _before = attack_undef_area[1], _vbar;				\
										\
	_vbar = vbar_swap((u32)(uintptr_t)attack_vectors);			\
	__asm__ volatile(".arch_extension virt\n\t" insn : outputs : inputs : "memory");	\
	vbar_swap(_vbar);							\
	expect(attack_undef_area[1] == _before + 1, "%s executed at PL1", what);	\
	report("%s: %s", what, attack_undef_area[1] != _before ? "undefined" : "EXECUTED");	\
} while (0)

static void attack_cp15_hyp(void)
{
	u64 v64 = 0;
	u32 v = 0x40000000;

	TRY_UNDEF("HVBAR write", "mcr p15, 4, %0, c12, c0, 0", , "r"(v));
	TRY_UNDEF("HVBAR read", "mrc p15, 4, %0, c12, c0, 0", "+r"(v), );
	TRY_UNDEF("HSCTLR write", "mcr p15, 4, %0, c1, c0, 0", , "r"(v));
	TRY_UNDEF("HCR write", "mcr p15, 4, %0, c1, c1, 0", , "r"(v));
	TRY_UNDEF("HDCR write", "mcr p15, 4, %0, c1, c1, 1", , "r"(v));
	TRY_UNDEF("VTCR write", "mcr p15, 4, %0, c2, c1, 2", , "r"(v));
	TRY_UNDEF("HTTBR write", "mcrr p15, 4, %Q0, %R0, c2", , "r"(v64));
	TRY_UNDEF("VTTBR write", "mcrr p15, 6, %Q0, %R0, c2", , "r"(v64));
	TRY_UNDEF("CNTVOFF write", "mcrr p15, 4, %Q0, %R0, c14", , "r"(v64));
	TRY_UNDEF("ELR_hyp write", "msr ELR_hyp, %0", , "r"(v));
	TRY_UNDEF("SPSR_hyp read", "mrs %0, SPSR_hyp", "+r"(v), );
}

/* ---- ACTLR (HCR.TAC) -------------------------------------------------------------------------- */

static u32 actlr_read(void)
{
	u32 v;

	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(v));
	return v;
}

static void actlr_write(u32 v)
{
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 1; isb" : : "r"(v) : "memory");
}

static void attack_actlr(void)
{
	u32 before = actlr_read(), zero, ones;

	actlr_write(0);
	zero = actlr_read();
	actlr_write(~0U);
	ones = actlr_read();
	report("ACTLR 0x%x, after writing 0: 0x%x, after writing ~0: 0x%x", before, zero, ones);
	expect(zero == before && ones == before, "ACTLR changed");
}

/* ---- set/way maintenance (HCR.TSW) ------------------------------------------------------------ */

static void setway_op(unsigned int crm, u32 val)
{
	if (crm == 6)
		__asm__ volatile("mcr p15, 0, %0, c7, c6, 2" : : "r"(val) : "memory");
	else if (crm == 10)
		__asm__ volatile("mcr p15, 0, %0, c7, c10, 2" : : "r"(val) : "memory");
	else
		__asm__ volatile("mcr p15, 0, %0, c7, c14, 2" : : "r"(val) : "memory");
}

static u32 ccsidr_of(unsigned int level)
{
	u32 v;

	__asm__ volatile("mcr p15, 2, %0, c0, c0, 0; isb" : : "r"(level << 1) : "memory");
	__asm__ volatile("mrc p15, 1, %0, c0, c0, 0" : "=r"(v));
	return v;
}

static unsigned int log2_up(u32 n)
{
	return n > 1 ? 32 - __builtin_clz(n - 1) : 0;
}

/* Every line of one level through operation crm, at most max_sets sets; the operand count. */
static unsigned int setway_level(unsigned int level, unsigned int crm, u32 max_sets)
{
	u32 ccsidr = ccsidr_of(level), ways = ((ccsidr >> 3) & 0x3ff) + 1;
	u32 sets = ((ccsidr >> 13) & 0x7fff) + 1, set, way, count = 0;
	unsigned int line = (ccsidr & 7) + 4, way_shift = 32 - log2_up(ways);

	for (set = 0; set < sets && set < max_sets; set++)
		for (way = 0; way < ways; way++, count++)
			setway_op(crm, (ways > 1 ? way << way_shift : 0) | set << line | level << 1);
	return count;
}

static void attack_setway(void)
{
	u32 clidr, ctype, l1 = ccsidr_of(0);
	unsigned int level, isw = 0, csw, cisw;

	__asm__ volatile("mrc p15, 1, %0, c0, c0, 1" : "=r"(clidr));
	for (level = 0; level < 7; level++) {
		ctype = (clidr >> (level * 3)) & 7;
		if (ctype < 2 || ctype > 4)
			break;
		isw += setway_level(level, 6, 512);
	}
	csw = setway_level(0, 10, 16);
	cisw = setway_level(0, 14, 16);
	report("CLIDR 0x%x: %u DCISW, %u DCCSW, %u DCCISW done", clidr, isw, csw, cisw);
	/* bit 0, level 7, a way and a set beyond level 1's */
	setway_op(6, 1);
	setway_op(6, 7 << 1);
	setway_op(6, 1U << (31 - log2_up(((l1 >> 3) & 0x3ff) + 1)));
	setway_op(6, (((l1 >> 13) & 0x7fff) + 1) << ((l1 & 7) + 4));
	report("4 malformed DCISW operands done");
	expect(isw > 0, "no data cache level in CLIDR 0x%x", clidr);
}

/* ---- banked registers as MMIO transfer registers ---------------------------------------------- */

struct probe {
	u32 addr, mode, a, b;	/* in: MMIO address, mode, values stored from SP and from LR */
	u32 got_lr, got_sp;	/* out: what the loads into LR and SP gave */
	u32 fiq[5];		/* out, FIQ mode: r8-r12 after storing a + n and loading it back */
	u32 usr[5];		/* out: the User bank's r8-r12 after the FIQ-mode accesses */
};

void banked_probe(struct probe *p);

/*
 * In mode p->mode, with interrupts masked: STR SP, LDR LR, STR LR, LDR SP to the MMIO word, the
 * mode's own SP and LR restored afterwards. r0-r7 only across modes (FIQ banks r8-r12).
 */
__asm__(".pushsection .text\n"
	".arm\n"
	".global banked_probe\n"
	"banked_probe:\n"
	"	push	{r4-r11, lr}\n"
	"	ldr	r8, =0x88888888\n"	/* the User bank's r8-r12: must survive FIQ mode */
	"	ldr	r9, =0x99999999\n"
	"	ldr	r10, =0xaaaaaaaa\n"
	"	ldr	r11, =0xbbbbbbbb\n"
	"	ldr	r12, =0xcccccccc\n"
	"	ldm	r0, {r1, r6}\n"		/* addr, mode */
	"	ldr	r2, [r0, #8]\n"
	"	ldr	r3, [r0, #12]\n"
	"	mrs	r7, cpsr\n"
	"	bic	r5, r7, #0x1f\n"
	"	orr	r5, r5, r6\n"
	"	orr	r5, r5, #0xc0\n"
	"	mov	r6, r7\n"		/* r6: the cpsr to come back to */
	"	msr	cpsr_c, r5\n"
	"	mov	r4, sp\n"
	"	mov	r5, lr\n"
	"	mov	sp, r2\n"
	"	str	sp, [r1]\n"		/* SRT 13 store */
	"	mov	lr, #0\n"
	"	ldr	lr, [r1]\n"		/* SRT 14 load */
	"	str	lr, [r0, #16]\n"
	"	mov	lr, r3\n"
	"	str	lr, [r1]\n"		/* SRT 14 store */
	"	mov	sp, #0\n"
	"	ldr	sp, [r1]\n"		/* SRT 13 load */
	"	str	sp, [r0, #20]\n"
	"	mov	sp, r4\n"
	"	mov	lr, r5\n"
	"	mrs	r7, cpsr\n"
	"	and	r7, r7, #0x1f\n"
	"	cmp	r7, #0x11\n"
	"	bne	2f\n"
	/* FIQ mode: r8-r12 are FIQ's own; store each (a + n), load it back into the same one */
	"	add	r7, r2, #8\n	mov r8, r7\n	str r8, [r1]\n	mov r8, #0\n	ldr r8, [r1]\n"
	"	add	r7, r2, #9\n	mov r9, r7\n	str r9, [r1]\n	mov r9, #0\n	ldr r9, [r1]\n"
	"	add	r7, r2, #10\n	mov r10, r7\n	str r10, [r1]\n	mov r10, #0\n	ldr r10, [r1]\n"
	"	add	r7, r2, #11\n	mov r11, r7\n	str r11, [r1]\n	mov r11, #0\n	ldr r11, [r1]\n"
	"	add	r7, r2, #12\n	mov r12, r7\n	str r12, [r1]\n	mov r12, #0\n	ldr r12, [r1]\n"
	"	add	r7, r0, #24\n"
	"	stm	r7, {r8-r12}\n"
	"2:	msr	cpsr_c, r6\n"
	"	add	r7, r0, #44\n"
	"	stm	r7, {r8-r12}\n"
	"	pop	{r4-r11, pc}\n"
	".ltorg\n"
	".popsection\n");

static void attack_banked(void)
{
	static const struct {
		u32 mode;
		const char *name;
	} modes[] = {
		{ MODE_SVC, "svc" }, { MODE_SYS, "sys" }, { MODE_IRQ, "irq" },
		{ MODE_ABT, "abt" }, { MODE_UND, "und" }, { MODE_FIQ, "fiq" },
	};
	unsigned int i, n;
	struct probe p;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		memset(&p, 0, sizeof(p));
		p.addr = prio;
		p.mode = modes[i].mode;
		p.a = prio_value(2 * i) & prio_mask;
		p.b = prio_value(2 * i + 1) & prio_mask;
		banked_probe(&p);
		report("%s: stored SP 0x%x, loaded LR 0x%x; stored LR 0x%x, loaded SP 0x%x",
		       modes[i].name, p.a, p.got_lr, p.b, p.got_sp);
		expect(p.got_lr == p.a && p.got_sp == p.b, "%s: banked SP/LR transfer wrong",
		       modes[i].name);
		for (n = 0; n < 5; n++) {
			if (p.mode == MODE_FIQ)
				expect(p.fiq[n] == prio_kept(p.a + 8 + n),
				       "fiq: r%u_fiq loaded 0x%x", 8 + n, p.fiq[n]);
			expect(p.usr[n] == 0x88888888U + n * 0x11111111U,
			       "%s: the User bank's r%u became 0x%x", modes[i].name, 8 + n, p.usr[n]);
		}
	}
	report("fiq: r8-r12 0x%x 0x%x 0x%x 0x%x 0x%x", p.fiq[0], p.fiq[1], p.fiq[2], p.fiq[3],
	       p.fiq[4]);
}

/* ---- Thumb: 16-bit encodings, IT blocks ------------------------------------------------------- */

/* ITTE EQ: STREQ, LDREQ (both trapped when Z), MOVNE (the else-instruction) */
__attribute__((target("thumb"), noinline))
static u32 thumb_itte(unsigned long base, u32 val, u32 z_clear)
{
	register u32 r0 __asm__("r0") = base, r1 __asm__("r1") = val, r2 __asm__("r2") = z_clear;
	register u32 r3 __asm__("r3") = 0;

	__asm__ volatile(".syntax unified\n"
			 "	cmp	r2, #0\n"
			 "	itte	eq\n"
			 "	streq.n	r1, [r0, #4]\n"
			 "	ldreq.n	r3, [r0, #4]\n"
			 "	movne	r3, #0x55\n"
			 : "+r"(r3) : "r"(r0), "r"(r1), "r"(r2) : "cc", "memory");
	return r3;
}

/* ITE NE with Z set: STRNE fails, LDREQ (the block's last) traps, then one outside the block */
__attribute__((target("thumb"), noinline))
static u32 thumb_ite_last(unsigned long base, u32 val)
{
	register u32 r0 __asm__("r0") = base, r1 __asm__("r1") = val, r3 __asm__("r3") = 0;

	__asm__ volatile(".syntax unified\n"
			 "	cmp	r3, #0\n"
			 "	ite	ne\n"
			 "	strne.n	r1, [r0, #4]\n"
			 "	ldreq.n	r3, [r0, #4]\n"
			 "	adds.n	r3, r3, #1\n"
			 : "+r"(r3) : "r"(r0), "r"(r1) : "cc", "memory");
	return r3;
}

/*
 * 16-bit LDRSB (register offset) of SGI 4's priority byte, 16-bit LDRB of SGI 5's, 32-bit LDR
 * in an IT block (the priority registers take bytes and words only)
 */
__attribute__((target("thumb"), noinline))
static void thumb_widths(unsigned long base, u32 *sb, u32 *b, u32 *w)
{
	register u32 r0 __asm__("r0") = base, r1 __asm__("r1") = 4, r2 __asm__("r2") = 0;
	register u32 r3 __asm__("r3") = 0, r4 __asm__("r4") = 0;

	__asm__ volatile(".syntax unified\n"
			 "	ldrsb.n	r2, [r0, r1]\n"
			 "	ldrb.n	r3, [r0, #5]\n"
			 "	cmp	r1, #4\n"
			 "	it	eq\n"
			 "	ldreq.w	r4, [r0, #4]\n"
			 : "+r"(r2), "+r"(r3), "+r"(r4) : "r"(r0), "r"(r1) : "cc", "memory");
	*sb = r2;
	*b = r3;
	*w = r4;
}

static void attack_thumb(void)
{
	unsigned long base = prio - 4;
	u32 v1 = prio_value(21) & prio_mask, v2 = prio_value(22) & prio_mask, got, sb, b, w;

	got = thumb_itte(base, v1, 0);
	report("itte eq, Z set: stored 0x%x, loaded 0x%x", v1, got);
	expect(got == v1, "IT block: the else-instruction ran or the load failed (0x%x)", got);
	got = thumb_itte(base, v2, 1);
	report("itte eq, Z clear: else-instruction 0x%x, priority 0x%x", got, rd32(prio));
	expect(got == 0x55 && rd32(prio) == v1, "condition-failed store went through");
	got = thumb_ite_last(base, v2);
	report("ite ne, Z set: loaded + 1 = 0x%x", got);
	expect(got == v1 + 1, "last instruction of a block: 0x%x", got);
	thumb_widths(base, &sb, &b, &w);
	report("ldrsb 0x%x, ldrb 0x%x, ldr.w in IT 0x%x", sb, b, w);
	expect(sb == (u32)(int)(signed char)(v1 & 0xff) && b == ((v1 >> 8) & 0xff) && w == v1,
	       "Thumb load widths");
}

/* ---- conditional ARM-state accesses whose condition fails ------------------------------------- */

static void attack_cond(void)
{
	u32 v = prio_value(31) & prio_mask, before, got = 0x55, actlr = actlr_read();

	wr32(prio, v);
	before = rd32(prio);
	__asm__ volatile("	cmp	%2, #0\n"
			 "	strne	%3, [%1]\n"
			 "	ldrne	%0, [%1]\n"
			 "	mcrne	p15, 0, %2, c1, c0, 1\n"
			 "	mcrne	p15, 0, %2, c7, c6, 2\n"
			 : "+r"(got) : "r"(prio), "r"(0), "r"(~v) : "cc", "memory");
	report("STRNE/LDRNE/MCRNE with Z set: priority 0x%x, register 0x%x", rd32(prio), got);
	expect(rd32(prio) == before && got == 0x55 && actlr_read() == actlr,
	       "a condition-failed instruction had an effect");
}

static void attack_ldr_pc(void)
{
	report("LDR PC from 0x%x now", (u32)prio);
	__asm__ volatile("ldr pc, [%0]" : : "r"(prio) : "memory");
	report("ERROR: the load into the PC went through");
}

/* ---- debug registers (cp14), left armed for whoever gets the CPU next ------------------------ */

static void attack_debug(void)
{
	u32 addr = cmdline_get_u64("addr", 0), didr, dscr, bcr, bvr;

	__asm__ volatile("mrc p14, 0, %0, c0, c0, 0" : "=r"(didr));
	__asm__ volatile("mcr p14, 0, %0, c1, c0, 4; isb" : : "r"(0) : "memory");	/* OS unlock */
	__asm__ volatile("mcr p14, 0, %0, c0, c0, 4" : : "r"(addr & ~3U));		/* DBGBVR0 */
	/* DBGBCR0: enabled, all modes (PMC 0b11), all four bytes (BAS 0xf) */
	__asm__ volatile("mcr p14, 0, %0, c0, c0, 5" : : "r"(0x1e7));
	__asm__ volatile("mrc p14, 0, %0, c0, c2, 2" : "=r"(dscr));
	__asm__ volatile("mcr p14, 0, %0, c0, c2, 2; isb" : : "r"(dscr | 1U << 15) : "memory");
	__asm__ volatile("mrc p14, 0, %0, c0, c2, 2" : "=r"(dscr));
	__asm__ volatile("mrc p14, 0, %0, c0, c0, 5" : "=r"(bcr));
	__asm__ volatile("mrc p14, 0, %0, c0, c0, 4" : "=r"(bvr));
	report("DBGDIDR 0x%x, breakpoint 0 at 0x%x control 0x%x, DBGDSCRext 0x%x: %s", didr, bvr,
	       bcr, dscr, bcr & 1 && dscr & 1U << 15 ? "armed" : "not armed");
}

bool attack_arm32(const char *name)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} attacks[] = {
		{ "cp15-hyp", attack_cp15_hyp }, { "actlr", attack_actlr },
		{ "setway", attack_setway }, { "banked", attack_banked },
		{ "thumb", attack_thumb }, { "cond", attack_cond }, { "ldr-pc", attack_ldr_pc },
		{ "debug", attack_debug },
	};
	struct hv_comm_region *comm = comm_region();
	const struct hv_comm_arm *arm = comm ? hv_comm_arm(comm) : NULL;
	unsigned int n;

	prio = (arm && arm->gicd_base ? arm->gicd_base : GICD_DEFAULT) + PRIO_SGI4;
	wr32(prio, ~0U);
	prio_mask = rd32(prio);
	for (n = 0; n < ARRAY_SIZE(attacks); n++) {
		if (strncmp(name, attacks[n].name, strlen(attacks[n].name) + 1))
			continue;
		attacks[n].run();
		if (errors)
			report("ERROR: %u of %u checks failed", errors, checks);
		else
			report("%u checks ok", checks);
		return true;
	}
	return false;
}
