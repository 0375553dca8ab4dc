// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU reset: a CPU that starts (cell start, PSCI CPU_ON, back to the root) begins with nothing
 * of its previous owner: general registers, EL1 system registers, FP/SIMD, timers, PMU, debug
 * registers and its redistributor's private interrupts are wiped, and it runs on its cell's
 * stage 2 with a fresh TLB.
 */
#include <asm/arm_arch.h>
#include <asm/cfg_arm.h>

#define PMCR_P			(1UL << 1)
#define PMCR_C			(1UL << 2)

#define DBG_RESET(n) do { \
	write_sysreg(S2_0_C0_C##n##_4, 0); write_sysreg(S2_0_C0_C##n##_5, 0); \
} while (0)
#define DBGW_RESET(n) do { \
	write_sysreg(S2_0_C0_C##n##_6, 0); write_sysreg(S2_0_C0_C##n##_7, 0); \
} while (0)

static void debug_reset(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	unsigned int brps = ((dfr0 >> 12) & 0xf) + 1, wrps = ((dfr0 >> 20) & 0xf) + 1;

	write_sysreg(mdscr_el1, 0);
	switch (brps) {
	case 16: DBG_RESET(15); /* fall through */
	case 15: DBG_RESET(14); /* fall through */
	case 14: DBG_RESET(13); /* fall through */
	case 13: DBG_RESET(12); /* fall through */
	case 12: DBG_RESET(11); /* fall through */
	case 11: DBG_RESET(10); /* fall through */
	case 10: DBG_RESET(9); /* fall through */
	case 9: DBG_RESET(8); /* fall through */
	case 8: DBG_RESET(7); /* fall through */
	case 7: DBG_RESET(6); /* fall through */
	case 6: DBG_RESET(5); /* fall through */
	case 5: DBG_RESET(4); /* fall through */
	case 4: DBG_RESET(3); /* fall through */
	case 3: DBG_RESET(2); /* fall through */
	default: DBG_RESET(1); DBG_RESET(0);
	}
	switch (wrps) {
	case 16: DBGW_RESET(15); /* fall through */
	case 15: DBGW_RESET(14); /* fall through */
	case 14: DBGW_RESET(13); /* fall through */
	case 13: DBGW_RESET(12); /* fall through */
	case 12: DBGW_RESET(11); /* fall through */
	case 11: DBGW_RESET(10); /* fall through */
	case 10: DBGW_RESET(9); /* fall through */
	case 9: DBGW_RESET(8); /* fall through */
	case 8: DBGW_RESET(7); /* fall through */
	case 7: DBGW_RESET(6); /* fall through */
	case 6: DBGW_RESET(5); /* fall through */
	case 5: DBGW_RESET(4); /* fall through */
	case 4: DBGW_RESET(3); /* fall through */
	case 3: DBGW_RESET(2); /* fall through */
	default: DBGW_RESET(1); DBGW_RESET(0);
	}
}

static void pmu_reset(void)
{
	unsigned int ver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf;

	if (!ver || ver == 0xf)
		return;
	write_sysreg(pmcntenclr_el0, ~0UL);
	write_sysreg(pmintenclr_el1, ~0UL);
	write_sysreg(pmovsclr_el0, ~0UL);
	write_sysreg(pmuserenr_el0, 0);
	write_sysreg(pmselr_el0, 0);
	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmcr_el0, PMCR_P | PMCR_C);	/* counters to zero, all disabled */
}

static void el1_reset(void)
{
	write_sysreg(sctlr_el1, SCTLR_EL1_RESET);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(tcr_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(amair_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidrro_el0, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(elr_el1, 0);
	write_sysreg(spsr_el1, 0);
	write_sysreg(esr_el1, 0);
	write_sysreg(far_el1, 0);
	write_sysreg(afsr0_el1, 0);
	write_sysreg(afsr1_el1, 0);
	write_sysreg(par_el1, 0);
	write_sysreg(csselr_el1, 0);
	/* timers: stopped, no interrupt, no offset */
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntv_cval_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cntp_cval_el0, 0);
	write_sysreg(cntvoff_el2, 0);
}

/*
 * A CPU goes to sleep in the hypervisor: nothing of its guest may keep interrupting it (a
 * level-triggered timer would fire forever), so the timers stop and a cell's private
 * interrupts are disabled.
 */
void vcpu_quiesce(struct per_cpu *cpu)
{
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	isb();
	if (cpu->cell != &hv.root)
		gic_redist_private_reset(cpu, cpu->arch.direct);
}

/* A guest waits for its next interrupt (PSCI CPU_SUSPEND). */
void vcpu_idle(struct per_cpu *cpu)
{
	if (cpu->arch.direct)
		gic_direct_wait(cpu);
	else
		arm_wait_for_interrupt();
}

void vcpu_reset(struct per_cpu *cpu, struct regs *regs, u64 entry, u64 context)
{
	memset(regs, 0, sizeof(*regs));
	regs->x[0] = context;
	el1_reset();
	fpsimd_reset();
	pmu_reset();
	debug_reset();
	if (cpu->cell != &hv.root) {
		gic_route_foreign_spis_away(cpu);
		if (cell_irq_direct(cpu->cell))
			gic_cpu_direct_enter(cpu);
		else
			gic_redist_private_reset(cpu, false);
	}
	write_sysreg(vttbr_el2, cpu->cell->arch.vttbr);
	isb();
	asm volatile("tlbi vmalls12e1" : : : "memory");
	dsb(nsh);
	write_sysreg(elr_el2, entry);
	write_sysreg(spsr_el2, SPSR_EL1H_MASKED);
	isb();
}
