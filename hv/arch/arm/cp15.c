// SPDX-License-Identifier: GPL-2.0
/*
 * Trapped coprocessor accesses of a cell (HSR EC 0x03-0x06, 0x0c). The hypervisor traps ACTLR
 * (HCR.TAC: the SMP bit keeps a CPU coherent with everybody else) and set/way cache
 * maintenance (HCR.TSW: an invalidate by set/way would discard dirty lines of the hypervisor
 * and of other cells sharing the caches). What a cell may do is decode.c's table; anything
 * else is fatal for the cell, never for the hypervisor.
 */
#include <hv.h>
#include <asm/dabt.h>
#include <asm/decode.h>
#include <asm/regs.h>

static u32 actlr_read(void)
{
	u32 val;

	asm volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(val));
	return val;
}

/* The geometry of one cache level, through CSSELR, which is the guest's and put back. */
static u32 ccsidr_of_level(unsigned int level)
{
	u32 csselr, ccsidr;

	asm volatile("mrc p15, 2, %0, c0, c0, 0" : "=r"(csselr));
	asm volatile("mcr p15, 2, %0, c0, c0, 0; isb" : : "r"(level << 1) : "memory");
	asm volatile("mrc p15, 1, %0, c0, c0, 0" : "=r"(ccsidr));
	asm volatile("mcr p15, 2, %0, c0, c0, 0; isb" : : "r"(csselr) : "memory");
	return ccsidr;
}

/*
 * DCISW, DCCSW and DCCISW are all done as DCCISW: cleaning first loses nobody's data, and the
 * line is gone from the cache as the guest asked. An operand outside the cache geometry is
 * UNPREDICTABLE on the hardware: ignored, as a no-op is one of its allowed outcomes.
 */
static void setway(struct per_cpu *cpu, u32 val)
{
	unsigned int level = (val >> 1) & 7;
	u32 clidr;

	/* CCSIDR of a level without a data cache is UNPREDICTABLE: never selected */
	asm volatile("mrc p15, 1, %0, c0, c0, 1" : "=r"(clidr));
	if (!arm_dcache_level(clidr, level) ||
	    !arm_setway_valid(val, clidr, ccsidr_of_level(level))) {
		guest_warn(cpu->cell, "CPU %u: set/way operand 0x%x outside the caches ignored\n",
			   cpu->id, val);
		return;
	}
	asm volatile("mcr p15, 0, %0, c7, c14, 2" : : "r"(val) : "memory");
}

static void deny(struct per_cpu *cpu, const struct cp_access *acc, u32 hsr)
{
	if (acc->wide)
		pr_err("CPU %u: %s p%u, %u, r%u, r%u, c%u denied\n", cpu->id,
		       acc->read ? "mrrc" : "mcrr", acc->cp, acc->opc1, acc->rt, acc->rt2,
		       acc->crm);
	else
		pr_err("CPU %u: %s p%u, %u, r%u, c%u, c%u, %u denied\n", cpu->id,
		       acc->read ? "mrc" : "mcr", acc->cp, acc->opc1, acc->rt, acc->crn, acc->crm,
		       acc->opc2);
	arm_fatal_trap(cpu, "forbidden coprocessor access", hsr);
}

void arm_handle_cp15(struct per_cpu *cpu, struct regs *regs, u32 hsr)
{
	struct cp_access acc;
	u32 val;

	stat_inc(cpu, EXIT_CP15);
	if (!arm_guest_mode_valid()) {
		arm_fatal_trap(cpu, "coprocessor trap from an invalid mode", hsr);
		return;
	}
	/* a trap of a condition-failed instruction is IMPLEMENTATION DEFINED: it did nothing */
	if (!arm_trap_condition_passed(hsr)) {
		arm_skip_trapped_instruction(hsr);
		return;
	}
	if (!cp_decode(hsr, &acc)) {
		arm_fatal_trap(cpu, "coprocessor load/store", hsr);
		return;
	}
	switch (cp_policy(&acc)) {
	case CP_ACTLR_READ:
		arm_guest_reg_write(regs, acc.rt, actlr_read());
		break;
	case CP_ACTLR_WRITE:
		/* Linux sets ACTLR.SMP on every CPU it brings up: only a cell's attempt is news */
		val = arm_guest_reg_read(regs, acc.rt);
		if (val != actlr_read() && cpu->cell != &hv.root)
			guest_warn(cpu->cell, "CPU %u: ACTLR write 0x%x ignored\n", cpu->id, val);
		break;
	case CP_SETWAY:
		setway(cpu, arm_guest_reg_read(regs, acc.rt));
		break;
	default:
		deny(cpu, &acc, hsr);
		return;
	}
	arm_skip_trapped_instruction(hsr);
}
