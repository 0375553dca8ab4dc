// SPDX-License-Identifier: GPL-2.0
/*
 * ARMv7 trap decoding (arch/arm/decode.c) on the host: the condition of every cond against
 * every NZCV, the condition of a trapped instruction from HSR or from the IT state, IT blocks
 * advanced instruction by instruction to their end, the Thumb skip sizes, the register bank of
 * every register in every mode (hostile modes included), the coprocessor syndrome decode and
 * the complete list of coprocessor accesses a cell may make, set/way operands.
 */
#include <hv.h>
#include <string.h>
#include "test.h"
#include "../arch/arm/decode.c"

#define HSR(ec, iss)		((u32)(ec) << 26 | HSR_IL | (iss))
#define FLAGS(nzcv)		((u32)(nzcv) << 28)

/* ConditionPassed() spelled out per condition, independently of decode.c's pairing. */
static bool ref_cond(unsigned int cond, unsigned int nzcv)
{
	bool n = nzcv & 8, z = nzcv & 4, c = nzcv & 2, v = nzcv & 1;

	switch (cond) {
	case 0x0: return z;
	case 0x1: return !z;
	case 0x2: return c;
	case 0x3: return !c;
	case 0x4: return n;
	case 0x5: return !n;
	case 0x6: return v;
	case 0x7: return !v;
	case 0x8: return c && !z;
	case 0x9: return !c || z;
	case 0xa: return n == v;
	case 0xb: return n != v;
	case 0xc: return !z && n == v;
	case 0xd: return z || n != v;
	default: return true;
	}
}

static void test_conditions(void)
{
	unsigned int cond, nzcv, passed = 0;

	for (cond = 0; cond < 16; cond++)
		for (nzcv = 0; nzcv < 16; nzcv++) {
			bool got = arm_cond_passed(cond, FLAGS(nzcv) | PSR_MODE_SVC);

			CHECK(got == ref_cond(cond, nzcv));
			passed += got;
		}
	/* each pair splits the 16 flag values (7 pairs), AL and 0b1111 pass all of them */
	CHECK(passed == 7 * 16 + 2 * 16);
	CHECK(arm_cond_passed(0x0, FLAGS(0x4)));		/* EQ, Z */
	CHECK(!arm_cond_passed(0x0, FLAGS(0xb)));
	CHECK(arm_cond_passed(0xc, FLAGS(0x9)));		/* GT: N == V, !Z */
	CHECK(!arm_cond_passed(0xc, FLAGS(0xd)));
	CHECK(arm_cond_passed(0x9, FLAGS(0x6)));		/* LS: Z */
	CHECK(!arm_cond_passed(0x8, FLAGS(0x6)));		/* HI: C but Z */
}

/* ITSTATE into PSR[15:10] (IT[7:2]) and PSR[26:25] (IT[1:0]), Thumb state */
static u32 it_psr(unsigned int it, u32 others)
{
	return others | PSR_T | (it & 0xfc) << 8 | (it & 3) << 25;
}

static unsigned int psr_it(u32 psr)
{
	return ((psr >> 8) & 0xfc) | ((psr >> 25) & 3);
}

/*
 * The ITSTATE an IT instruction sets: firstcond:mask, the mask holding for each further
 * instruction firstcond[0] (T) or its inverse (E), then a 1 (ARM ARM A8.8.54).
 */
static unsigned int it_insn(unsigned int firstcond, const char *pattern)
{
	unsigned int mask = 0, bit = 3, i;

	for (i = 0; pattern[i]; i++, bit--)
		mask |= (pattern[i] == 'T' ? firstcond & 1 : !(firstcond & 1)) << bit;
	return firstcond << 4 | mask | 1U << bit;
}

/* Walk a block: each instruction's condition as a trap sees it, then the state after it. */
static void check_it_block(unsigned int firstcond, const char *pattern)
{
	const u32 others = FLAGS(0x5) | 1U << 9 | 0xfU << 16 | 7U << 6 | PSR_MODE_SVC;
	u32 psr = it_psr(it_insn(firstcond, pattern), others);
	u32 hsr = HSR(EC_CP15_32, 0);		/* CV clear: the condition is the IT state's */
	unsigned int i, len = strlen(pattern) + 1;

	for (i = 0; i < len; i++) {
		unsigned int want = i == 0 || pattern[i - 1] == 'T' ? firstcond : firstcond ^ 1;

		CHECK(arm_trap_cond(hsr, psr) == want);
		/* with CV set, COND is taken as it is */
		CHECK(arm_trap_cond(hsr | HSR_CV | 0xe << 20, psr) == COND_AL);
		psr = arm_it_advance(psr);
		/* nothing but the IT bits changes */
		CHECK((psr & ~PSR_IT_MASK) == (others | PSR_T));
		if (i + 1 < len)
			CHECK(psr_it(psr) != 0);
	}
	CHECK(psr_it(psr) == 0);
	CHECK(arm_trap_cond(hsr, psr) == COND_AL);
	CHECK(arm_it_advance(psr) == psr);
}

static void test_it_blocks(void)
{
	static const char *const patterns[] = {
		"", "T", "E", "TT", "TE", "ET", "EE", "TTT", "TTE", "TET", "TEE", "ETT", "ETE",
		"EET", "EEE",
	};
	unsigned int cond, i;

	/* ITTE EQ by hand: EQ, EQ, NE, then outside the block */
	CHECK(it_insn(0x0, "TE") == 0x06);
	CHECK(psr_it(arm_it_advance(it_psr(0x06, 0))) == 0x0c);
	CHECK(psr_it(arm_it_advance(it_psr(0x0c, 0))) == 0x18);
	CHECK(psr_it(arm_it_advance(it_psr(0x18, 0))) == 0);
	/* the field layout: all eight bits, nothing else */
	CHECK(it_psr(0xff, 0) == (PSR_IT_MASK | PSR_T));
	for (cond = 0; cond < 14; cond++)
		for (i = 0; i < ARRAY_SIZE(patterns); i++)
			check_it_block(cond, patterns[i]);
	/* a failed condition inside a block: ITE EQ with Z set, the E instruction fails */
	{
		u32 psr = arm_it_advance(it_psr(it_insn(0x0, "E"), FLAGS(0x4)));

		CHECK(!arm_cond_passed(arm_trap_cond(HSR(EC_CP15_32, 0), psr), psr));
	}
	/* ARM state has no IT state (its bits would be UNPREDICTABLE): untouched, unconditional */
	CHECK(arm_it_advance(it_psr(0x06, 0) & ~PSR_T) == (it_psr(0x06, 0) & ~PSR_T));
	CHECK(arm_trap_cond(HSR(EC_CP15_32, 0), it_psr(0x16, 0) & ~PSR_T) == COND_AL);
}

static void test_trap_cond(void)
{
	u32 thumb_ne = it_psr(0x18, 0);		/* last instruction of a block, NE */
	unsigned int ec;

	/* CV set: COND wins, also over an IT state */
	CHECK(arm_trap_cond(HSR(EC_CP15_32, HSR_CV | 0x1 << 20), 0) == 0x1);
	CHECK(arm_trap_cond(HSR(0x01, HSR_CV | 0xb << 20), thumb_ne) == 0xb);
	/* CV clear outside an IT block, or in ARM state: AL */
	CHECK(arm_trap_cond(HSR(EC_CP15_32, 0x3 << 20), PSR_T) == COND_AL);
	CHECK(arm_trap_cond(HSR(EC_CP15_32, 0x3 << 20), 0) == COND_AL);
	CHECK(arm_trap_cond(HSR(EC_CP15_32, 0), thumb_ne) == 0x1);
	/* classes without COND are unconditional whatever ISS bits 24:20 hold */
	for (ec = 0x10; ec < 0x40; ec++)
		CHECK(arm_trap_cond(HSR(ec, HSR_CV | 0x0 << 20), thumb_ne) == COND_AL);
	CHECK(arm_trap_cond(HSR(0, HSR_CV), thumb_ne) == COND_AL);
	for (ec = 1; ec < 0x10; ec++)
		CHECK(arm_trap_cond(HSR(ec, HSR_CV | 0x7 << 20), 0) == 0x7);
	/* skip sizes: 16-bit Thumb (IL clear) and 32-bit */
	CHECK(arm_trap_insn_size(0x24U << 26) == 2);
	CHECK(arm_trap_insn_size(0x24U << 26 | HSR_IL) == 4);
	CHECK(arm_trap_insn_size(HSR(EC_CP15_32, 0)) == 4);
	CHECK(arm_trap_insn_size(0x01U << 26) == 2);	/* 16-bit WFI */
}

static void test_banks(void)
{
	static const struct {
		u32 mode;
		enum arm_reg_loc sp, lr;
	} modes[] = {
		{ PSR_MODE_USR, REG_SP_USR, REG_FRAME_LR },
		{ PSR_MODE_SYS, REG_SP_USR, REG_FRAME_LR },
		{ PSR_MODE_FIQ, REG_SP_FIQ, REG_LR_FIQ },
		{ PSR_MODE_IRQ, REG_SP_IRQ, REG_LR_IRQ },
		{ PSR_MODE_SVC, REG_SP_SVC, REG_LR_SVC },
		{ PSR_MODE_ABT, REG_SP_ABT, REG_LR_ABT },
		{ PSR_MODE_UND, REG_SP_UND, REG_LR_UND },
	};
	unsigned int i, n, mode, valid = 0;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		/* flags, T, masks and IT bits do not matter */
		u32 psr = modes[i].mode | 0xf80001e0U | PSR_IT_MASK;

		CHECK(arm_mode_valid(psr));
		for (n = 0; n < 8; n++)
			CHECK(arm_reg_location(psr, n) == REG_FRAME);
		for (n = 8; n <= 12; n++)
			CHECK(arm_reg_location(psr, n) == (modes[i].mode == PSR_MODE_FIQ ?
				REG_R8_FIQ + n - 8 : REG_FRAME));
		CHECK(arm_reg_location(psr, 13) == modes[i].sp);
		CHECK(arm_reg_location(psr, 14) == modes[i].lr);
		CHECK(arm_reg_location(psr, 15) == REG_PC);
		CHECK(arm_reg_location(psr, 16) == REG_INVALID);
		CHECK(arm_reg_location(psr, ~0U) == REG_INVALID);
	}
	CHECK(arm_reg_location(PSR_MODE_FIQ, 12) == REG_R12_FIQ);
	CHECK(arm_reg_location(PSR_MODE_SVC, 14) == REG_LR_SVC);
	/* Hyp, Monitor and every reserved encoding name no register at all */
	for (mode = 0; mode < 32; mode++) {
		bool ok = arm_mode_valid(mode);

		valid += ok;
		for (n = 0; n < 16; n++)
			CHECK((arm_reg_location(mode | 0x1f0U << 5, n) == REG_INVALID) == !ok);
	}
	CHECK(valid == ARRAY_SIZE(modes));
	CHECK(!arm_mode_valid(PSR_MODE_HYP) && !arm_mode_valid(PSR_MODE_MON));
}

/* MCR/MRC syndrome of p<cp>, opc1, r<rt>, c<crn>, c<crm>, opc2 */
static u32 mcr(unsigned int ec, unsigned int opc1, unsigned int rt, unsigned int crn,
	       unsigned int crm, unsigned int opc2, bool read)
{
	return HSR(ec, HSR_CV | COND_AL << 20 | opc2 << 17 | opc1 << 14 | crn << 10 | rt << 5 |
		   crm << 1 | read);
}

static enum cp_action policy_of(u32 hsr)
{
	struct cp_access acc;

	if (!cp_decode(hsr, &acc))
		return (enum cp_action)-1;
	return cp_policy(&acc);
}

static void test_cp_decode(void)
{
	struct cp_access acc;
	unsigned int opc1, crn, crm, opc2, allowed = 0;

	/* DCCISW r3: mcr p15, 0, r3, c7, c14, 2 */
	CHECK(cp_decode(mcr(EC_CP15_32, 0, 3, 7, 14, 2, false), &acc));
	CHECK(acc.cp == 15 && !acc.wide && !acc.read && acc.opc1 == 0 && acc.rt == 3 &&
	      acc.crn == 7 && acc.crm == 14 && acc.opc2 == 2);
	/* HVBAR read from PL1 would be UNDEFINED there, but decodes: mrc p15, 4, r12, c12, c0, 0 */
	CHECK(cp_decode(mcr(EC_CP15_32, 4, 12, 12, 0, 0, true), &acc));
	CHECK(acc.read && acc.opc1 == 4 && acc.rt == 12 && acc.crn == 12 && acc.crm == 0);
	/* MRRC p15, 0, r0, r1, c14 (CNTPCT): Opc1[19:16] Rt2[13:10] */
	CHECK(cp_decode(HSR(EC_CP15_64, HSR_CV | COND_AL << 20 | 0x9 << 16 | 1 << 10 | 0 << 5 |
			    14 << 1 | 1), &acc));
	CHECK(acc.wide && acc.read && acc.opc1 == 9 && acc.rt == 0 && acc.rt2 == 1 &&
	      acc.crm == 14 && acc.crn == 0 && acc.opc2 == 0);
	CHECK(cp_decode(HSR(EC_CP14_64, 7 << 10 | 6 << 5), &acc) && acc.cp == 14 && acc.wide &&
	      acc.rt == 6 && acc.rt2 == 7 && !acc.read);
	CHECK(cp_decode(mcr(EC_CP14_32, 0, 2, 0, 1, 0, true), &acc) && acc.cp == 14 && !acc.wide);
	/* LDC/STC p14 and non-coprocessor classes have no register decode */
	CHECK(!cp_decode(HSR(EC_CP14_LS, 0), &acc));
	CHECK(!cp_decode(HSR(0x24, 0), &acc));
	CHECK(!cp_decode(HSR(0x07, 0), &acc));

	/* the allowed list, exactly: ACTLR both ways, the three set/way operations written */
	CHECK(policy_of(mcr(EC_CP15_32, 0, 0, 1, 0, 1, true)) == CP_ACTLR_READ);
	CHECK(policy_of(mcr(EC_CP15_32, 0, 14, 1, 0, 1, false)) == CP_ACTLR_WRITE);
	CHECK(policy_of(mcr(EC_CP15_32, 0, 1, 7, 6, 2, false)) == CP_SETWAY);
	CHECK(policy_of(mcr(EC_CP15_32, 0, 13, 7, 10, 2, false)) == CP_SETWAY);
	CHECK(policy_of(mcr(EC_CP15_32, 0, 0, 7, 14, 2, false)) == CP_SETWAY);
	for (opc1 = 0; opc1 < 8; opc1++)
		for (crn = 0; crn < 16; crn++)
			for (crm = 0; crm < 16; crm++)
				for (opc2 = 0; opc2 < 16; opc2++) {
					u32 hsr = mcr(EC_CP15_32, opc1, 4, crn, crm, opc2 >> 1,
						      opc2 & 1);

					allowed += policy_of(hsr) != CP_DENY;
				}
	CHECK(allowed == 5);
	/* denied: PC as Rt, reads of write-only operations, MVA invalidate, the Hyp registers */
	CHECK(policy_of(mcr(EC_CP15_32, 0, 15, 1, 0, 1, true)) == CP_DENY);
	CHECK(policy_of(mcr(EC_CP15_32, 0, 15, 7, 14, 2, false)) == CP_DENY);
	CHECK(policy_of(mcr(EC_CP15_32, 0, 0, 7, 6, 2, true)) == CP_DENY);
	CHECK(policy_of(mcr(EC_CP15_32, 0, 0, 7, 6, 1, false)) == CP_DENY);	/* DCIMVAC */
	CHECK(policy_of(mcr(EC_CP15_32, 0, 0, 1, 0, 0, false)) == CP_DENY);	/* SCTLR */
	CHECK(policy_of(mcr(EC_CP15_32, 4, 0, 12, 0, 0, false)) == CP_DENY);	/* HVBAR */
	CHECK(policy_of(mcr(EC_CP15_32, 4, 0, 1, 0, 0, false)) == CP_DENY);	/* HSCTLR */
	/* the same ACTLR/set-way encodings on cp14, and every 64-bit access */
	CHECK(policy_of(mcr(EC_CP14_32, 0, 0, 1, 0, 1, true)) == CP_DENY);
	CHECK(policy_of(mcr(EC_CP14_32, 0, 0, 7, 14, 2, false)) == CP_DENY);
	CHECK(policy_of(HSR(EC_CP15_64, 4 << 16 | 1 << 10 | 2 << 1)) == CP_DENY);	/* HTTBR */
	CHECK(policy_of(HSR(EC_CP15_64, 0 << 16 | 1 << 10 | 2 << 1)) == CP_DENY);	/* TTBR0 */
}

static void test_setway(void)
{
	/* QEMU's Cortex-A15: L1 I+D, L2 unified; L1D 32 KiB 2-way 64-byte lines, L2 16-way */
	const u32 clidr = 0x0a200023, l1d = 0x701fe00a, l2 = 0x711fe07a;
	/* a 3-way, 64-set, 32-byte-line level: ways not a power of two */
	const u32 odd = (63U << 13) | (2U << 3) | 1;

	CHECK(arm_setway_valid(0, clidr, l1d));
	CHECK(arm_setway_valid(1U << 31 | 255U << 6, clidr, l1d));
	CHECK(arm_setway_valid(15U << 28 | 2047U << 6 | 1U << 1, clidr, l2));
	CHECK(!arm_setway_valid(1, clidr, l1d));			/* bit 0 */
	CHECK(!arm_setway_valid(1U << 4, clidr, l1d));			/* below the set field */
	CHECK(!arm_setway_valid(1U << 14, clidr, l1d));			/* above the set field */
	CHECK(!arm_setway_valid(1U << 30, clidr, l1d));			/* a third way */
	CHECK(!arm_setway_valid(2U << 1, clidr, l1d));			/* no level 3 cache */
	CHECK(!arm_setway_valid(7U << 1, clidr, l1d));
	CHECK(!arm_setway_valid(7U << 1, clidr | 3U << 21, l1d));	/* LoUIS is no level */
	CHECK(!arm_setway_valid(0, 0x1, l1d));				/* instruction cache only */
	CHECK(!arm_setway_valid(0, 0x5, l1d));				/* reserved Ctype */
	CHECK(arm_setway_valid(2U << 30 | 63U << 5, clidr, odd));
	CHECK(!arm_setway_valid(3U << 30, clidr, odd));
	/* the levels CSSELR may select: data or unified caches only, L1-L7 */
	CHECK(arm_dcache_level(clidr, 0) && arm_dcache_level(clidr, 1));
	CHECK(!arm_dcache_level(clidr, 2) && !arm_dcache_level(0x1, 0));
	CHECK(arm_dcache_level(0x2, 0) && arm_dcache_level(0x4U << 18, 6));
	CHECK(!arm_dcache_level(0x5, 0) && !arm_dcache_level(~0U, 7) && !arm_dcache_level(~0U, 40));
	/* field overlap (sets and ways together wider than 32 bits): nothing is valid */
	CHECK(!arm_setway_valid(0, clidr, (0x7fffU << 13) | (0x3ffU << 3) | 7));
}

int main(void)
{
	test_conditions();
	test_it_blocks();
	test_trap_cond();
	test_banks();
	test_cp_decode();
	test_setway();
	return test_report("test_arm_decode");
}
