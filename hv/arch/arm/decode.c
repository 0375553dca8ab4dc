// SPDX-License-Identifier: GPL-2.0
/*
 * ARMv7 trap decoding (asm/decode.h): pure functions of the syndrome (HSR) and the trapped
 * context's PSR (SPSR_hyp), after the ARM ARM v7-AR pseudocode (ConditionPassed, ITAdvance,
 * BankedRegisterAccessValid, the HSR ISS encodings). regs.c and cp15.c apply them.
 */
#include <hv.h>
#include <asm/decode.h>

/* The modes a guest runs in; Hyp and Monitor are not, reserved encodings are not modes. */
bool arm_mode_valid(u32 psr)
{
	switch (psr & PSR_MODE_MASK) {
	case PSR_MODE_USR:
	case PSR_MODE_FIQ:
	case PSR_MODE_IRQ:
	case PSR_MODE_SVC:
	case PSR_MODE_ABT:
	case PSR_MODE_UND:
	case PSR_MODE_SYS:
		return true;
	default:
		return false;
	}
}

/*
 * Hyp mode sees the User bank: r0-r12 and LR_usr are in the frame. FIQ mode banks r8-r12,
 * every privileged mode but System banks SP and LR; SP_usr needs a banked MRS even from Hyp,
 * LR_usr must not use one (from Hyp it is UNPREDICTABLE: it is Hyp's own LR).
 */
enum arm_reg_loc arm_reg_location(u32 psr, unsigned int n)
{
	static const u8 banked_sp[PSR_MODE_MASK + 1] = {
		[PSR_MODE_USR] = REG_SP_USR, [PSR_MODE_SYS] = REG_SP_USR,
		[PSR_MODE_FIQ] = REG_SP_FIQ, [PSR_MODE_IRQ] = REG_SP_IRQ,
		[PSR_MODE_SVC] = REG_SP_SVC, [PSR_MODE_ABT] = REG_SP_ABT,
		[PSR_MODE_UND] = REG_SP_UND,
	};
	u32 mode = psr & PSR_MODE_MASK;

	if (n > 15 || !arm_mode_valid(psr))
		return REG_INVALID;
	if (n == 15)
		return REG_PC;
	if (n >= 8 && n <= 12 && mode == PSR_MODE_FIQ)
		return REG_R8_FIQ + (n - 8);
	if (n <= 12)
		return REG_FRAME;
	if (n == 13)
		return banked_sp[mode];
	if (mode == PSR_MODE_USR || mode == PSR_MODE_SYS)
		return REG_FRAME_LR;
	/* each privileged mode's LR follows its SP in enum arm_reg_loc */
	return banked_sp[mode] + 1;
}

/* ITSTATE[7:0] from PSR[15:10] (IT[7:2]) and PSR[26:25] (IT[1:0]) */
static unsigned int itstate(u32 psr)
{
	return ((psr >> 8) & 0xfc) | ((psr >> 25) & 3);
}

/*
 * Only exception classes below 0x10 carry CV/COND (and 0 has no ISS): the rest are
 * unconditional or trapped only after passing. Without a valid COND (CV clear: Thumb, or an
 * implementation that does not report it) the condition is the IT block's, or AL outside one.
 */
unsigned int arm_trap_cond(u32 hsr, u32 psr)
{
	unsigned int ec = HSR_EC(hsr), it = itstate(psr);

	if (ec == 0 || ec >= 0x10)
		return COND_AL;
	if (hsr & HSR_CV)
		return HSR_COND(hsr);
	if (!(psr & PSR_T) || !it)
		return COND_AL;
	return it >> 4;
}

/*
 * ConditionPassed(): the conditions come in pairs (EQ/NE, CS/CC, MI/PL, VS/VC, HI/LS, GE/LT,
 * GT/LE) whose low bit inverts the test; AL and 0b1111 always pass. Flags NZCV are PSR[31:28].
 */
bool arm_cond_passed(unsigned int cond, u32 psr)
{
	bool n = psr >> 31 & 1, z = psr >> 30 & 1, c = psr >> 29 & 1, v = psr >> 28 & 1;
	const bool test[7] = { z, c, n, v, c && !z, n == v, n == v && !z };

	cond &= 0xf;
	return cond >= COND_AL || test[cond >> 1] != (cond & 1);
}

/*
 * ITAdvance(): the last instruction of a block (IT[2:0] == 0) ends it, otherwise IT[4:0] shifts
 * left (the next instruction's then/else bit moves into the condition's low bit).
 */
u32 arm_it_advance(u32 psr)
{
	unsigned int it = itstate(psr);

	if (!(psr & PSR_T) || !it)
		return psr;
	if (!(it & 7))
		it = 0;
	else
		it = (it & 0xe0) | ((it << 1) & 0x1f);
	return (psr & ~PSR_IT_MASK) | (it & 0xfc) << 8 | (it & 3) << 25;
}

/*
 * MCR/MRC (EC 0x03, 0x05): Opc2[19:17] Opc1[16:14] CRn[13:10] Rt[8:5] CRm[4:1] Dir[0];
 * MCRR/MRRC (EC 0x04, 0x0c): Opc1[19:16] Rt2[13:10] Rt[8:5] CRm[4:1] Dir[0]. Dir 1 is a read.
 * LDC/STC (EC 0x06) move memory, not registers: no decode, the caller refuses them.
 */
bool cp_decode(u32 hsr, struct cp_access *out)
{
	switch (HSR_EC(hsr)) {
	case EC_CP15_32:
	case EC_CP15_64:
		out->cp = 15;
		break;
	case EC_CP14_32:
	case EC_CP14_64:
		out->cp = 14;
		break;
	default:
		return false;
	}
	out->wide = HSR_EC(hsr) == EC_CP15_64 || HSR_EC(hsr) == EC_CP14_64;
	out->read = hsr & 1;
	out->crm = (hsr >> 1) & 0xf;
	out->rt = (hsr >> 5) & 0xf;
	if (out->wide) {
		out->opc1 = (hsr >> 16) & 0xf;
		out->rt2 = (hsr >> 10) & 0xf;
		out->crn = 0;
		out->opc2 = 0;
	} else {
		out->opc2 = (hsr >> 17) & 7;
		out->opc1 = (hsr >> 14) & 7;
		out->crn = (hsr >> 10) & 0xf;
		out->rt2 = 0;
	}
	return true;
}

static bool cp15_is(const struct cp_access *acc, unsigned int crn, unsigned int opc1,
		    unsigned int crm, unsigned int opc2)
{
	return acc->crn == crn && acc->opc1 == opc1 && acc->crm == crm && acc->opc2 == opc2;
}

/*
 * The whole list of what a cell may do with a trapped coprocessor register; anything else is
 * an access the hypervisor does not understand and the cell does not get. Rt = r15 (APSR or
 * PC) is UNPREDICTABLE for all of these.
 */
enum cp_action cp_policy(const struct cp_access *acc)
{
	if (acc->cp != 15 || acc->wide || acc->rt == 15)
		return CP_DENY;
	if (cp15_is(acc, 1, 0, 0, 1))
		return acc->read ? CP_ACTLR_READ : CP_ACTLR_WRITE;
	if (!acc->read && (cp15_is(acc, 7, 0, 6, 2) ||		/* DCISW */
			   cp15_is(acc, 7, 0, 10, 2) ||		/* DCCSW */
			   cp15_is(acc, 7, 0, 14, 2)))		/* DCCISW */
		return CP_SETWAY;
	return CP_DENY;
}

/* ceil(log2(n)) for n >= 1 */
static unsigned int log2_up(u32 n)
{
	return n > 1 ? 32 - __builtin_clz(n - 1) : 0;
}

/*
 * Set/way operand: Way in the top A bits, Set from bit L up, Level[3:1], the rest zero, with
 * A = log2(ways), L = log2(line bytes) from the level's CCSIDR (ARM ARM B4.2.1). A value out of
 * range is UNPREDICTABLE on ARMv7: the hypervisor never hands one to the hardware.
 */
/* CLIDR's Ctype of the level: data, separate instruction and data, or unified */
bool arm_dcache_level(u32 clidr, unsigned int level)
{
	unsigned int ctype;

	if (level > 6)
		return false;
	ctype = (clidr >> (3 * level)) & 7;
	return ctype >= 2 && ctype <= 4;
}

bool arm_setway_valid(u32 val, u32 clidr, u32 ccsidr)
{
	unsigned int line_shift = (ccsidr & 7) + 4;
	u32 ways = ((ccsidr >> 3) & 0x3ff) + 1, sets = ((ccsidr >> 13) & 0x7fff) + 1;
	unsigned int way_bits = log2_up(ways), set_bits = log2_up(sets);
	u32 set_mask = ((1U << set_bits) - 1) << line_shift;
	u32 way_mask = way_bits ? ~0U << (32 - way_bits) : 0;

	if (!arm_dcache_level(clidr, (val >> 1) & 7))
		return false;
	if (line_shift + set_bits > 32 - way_bits)
		return false;
	if (val & ~(way_mask | set_mask | 0xeU))
		return false;
	return (way_bits ? val >> (32 - way_bits) : 0) < ways &&
	       ((val & set_mask) >> line_shift) < sets;
}
