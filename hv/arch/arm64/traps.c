// SPDX-License-Identifier: GPL-2.0
/*
 * Guest exits: dispatch by exception class. Hypercalls, PSCI/SMCCC (arm-common/psci.c), the
 * trapped SGI registers, MMIO (arm-common/dabt.c) and, in direct mode, WFI/WFE are emulated;
 * anything else is a fatal trap whose outcome Kconfig chooses. IRQs are guest interrupts
 * (trap mode), FIQs the hypervisor's own SGIs.
 */
#include <asm/arm_arch.h>
#include <asm/dabt.h>
#include <asm/psci.h>

#define ISS_WNR			(1UL << 6)
#define DFSC_EXTERNAL		0x10
#define SYSREG_ICC_SGI1R	0x3a3016UL	/* op0 3, op2 5, op1 0, CRn 12, CRm 11 */
#define SYSREG_ICC_ASGI1R	0x3c3016UL	/* op2 6 */
#define SYSREG_ICC_SGI0R	0x3e3016UL	/* op2 7 */
#define SYSREG_MASK		0x3ffc1eUL	/* op0 op2 op1 CRn CRm, without Rt and direction */
#define SYSREG_DC_ISW		0x141c0cUL	/* op0 1, op2 2, op1 0, CRn 7, CRm 6 */
#define SYSREG_DC_CSW		0x141c14UL	/* CRm 10 */
#define SYSREG_DC_CISW		0x141c1cUL	/* CRm 14 */

/*
 * Make the guest take a synchronous exception at EL1, as if the hardware had raised it: used
 * for accesses nobody handles, so the root's own fault handling reports them.
 */
void inject_sync_exception(u64 esr, u64 far)
{
	u64 spsr = read_sysreg(spsr_el2), offset;

	if (spsr & 0x10)
		offset = 0x600;			/* from AArch32 */
	else if ((spsr & 0xc) == 0)
		offset = 0x400;			/* from EL0 */
	else
		offset = spsr & 1 ? 0x200 : 0;	/* EL1 with SP_EL1 or SP_EL0 */
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el1, read_sysreg(elr_el2));
	write_sysreg(spsr_el1, spsr);
	write_sysreg(elr_el2, read_sysreg(vbar_el1) + offset);
	write_sysreg(spsr_el2, SPSR_EL1H_MASKED);
}

void arm_fatal_trap(struct per_cpu *cpu, const char *what, u64 esr)
{
	bool stage2 = ESR_EC(esr) == EC_DABT_LOW || ESR_EC(esr) == EC_IABT_LOW;

	fatal_trap_report(cpu, what, esr, read_sysreg(elr_el2), read_sysreg(far_el2),
			  stage2 ? arm_abort_ipa(esr) : NO_GPA);
	if (cpu->cell != &hv.root) {
		/* a non-root cell is stopped as FAILED; nobody else is affected */
		cell_cpu_failed(cpu);
		return;
	}
#ifdef CONFIG_FATAL_TRAP_PANIC
	hv_panic_stop();
#else
	/* The root cannot be stopped without taking Linux down: it gets the fault instead. */
	if ((read_sysreg(spsr_el2) & 0xc) == 0)
		inject_sync_exception((u64)EC_DABT_LOW << 26 | ESR_IL | DFSC_EXTERNAL,
				      read_sysreg(far_el2));
	else if (ESR_EC(esr) == EC_DABT_LOW || ESR_EC(esr) == EC_IABT_LOW)
		inject_sync_exception((u64)(ESR_EC(esr) + 1) << 26 | ESR_IL | DFSC_EXTERNAL |
				      (esr & ISS_WNR), read_sysreg(far_el2));
	else
		inject_sync_exception((u64)EC_UNKNOWN << 26 | ESR_IL, 0);
#endif
}

static void handle_sysreg(struct per_cpu *cpu, struct regs *regs, u64 esr)
{
	unsigned int reg = (esr >> 5) & 0x1f;
	bool read = esr & 1;

	if ((esr & SYSREG_MASK) == SYSREG_ICC_SGI1R && !read) {
		gic_handle_sgir(cpu, reg == 31 ? 0 : regs->x[reg]);
	} else if (((esr & SYSREG_MASK) == SYSREG_ICC_SGI0R ||
		    (esr & SYSREG_MASK) == SYSREG_ICC_ASGI1R) && !read) {
		/*
		 * Group 0 SGIs are the hypervisor's management interrupts, and with one security
		 * state (DS=1) the GIC turns an "other group" SGI into Group 0 as well.
		 */
		stat_inc(cpu, EXIT_VSGI);
		guest_warn(cpu->cell, "CPU %u: ICC_%s_EL1 write 0x%llx denied: Group 0 SGIs are the "
			   "hypervisor's\n", cpu->id, (esr & SYSREG_MASK) == SYSREG_ICC_SGI0R ?
			   "SGI0R" : "ASGI1R", reg == 31 ? 0 : regs->x[reg]);
	} else if ((esr & SYSREG_MASK) == SYSREG_DC_ISW || (esr & SYSREG_MASK) == SYSREG_DC_CSW ||
		   (esr & SYSREG_MASK) == SYSREG_DC_CISW) {
		/*
		 * Set/way maintenance reaches lines of every cell and of the hypervisor: an
		 * invalidate would discard their dirty data. Always clean as well.
		 */
		stat_inc(cpu, EXIT_SYSREG);
		asm volatile("dc cisw, %0" : : "r"(reg == 31 ? 0 : regs->x[reg]) : "memory");
		if ((esr & SYSREG_MASK) == SYSREG_DC_ISW)
			guest_warn(cpu->cell, "DC ISW done as DC CISW (PC 0x%llx)\n",
				   read_sysreg(elr_el2));
	} else {
		stat_inc(cpu, EXIT_SYSREG);
		guest_warn(cpu->cell, "CPU %u: unhandled system register %s S%llu_%llu_C%llu_C%llu_%llu, "
			   "ESR 0x%llx PC 0x%llx: ignored\n", cpu->id, read ? "read" : "write",
			   (esr >> 20) & 3, (esr >> 14) & 7, (esr >> 10) & 0xf, (esr >> 1) & 0xf,
			   (esr >> 17) & 7, esr, read_sysreg(elr_el2));
		if (read && reg != 31)
			regs->x[reg] = 0;
	}
	arm_skip_instruction();
}

/*
 * WFI and WFE trap in direct mode only (HCR_EL2.TWI/TWE). WFI waits here, where the
 * management FIQ still arrives whatever the guest did to its interrupt priorities; WFE is a
 * hint that may return at once, so it does.
 */
static void handle_wfx(struct per_cpu *cpu, u64 esr)
{
	if (esr & ESR_WFX_WFE) {
		stat_inc(cpu, EXIT_WFE);
	} else {
		stat_inc(cpu, EXIT_WFI);
		gic_direct_wait(cpu);
	}
	arm_skip_instruction();
}

static void handle_sync(struct per_cpu *cpu, struct regs *regs)
{
	u64 esr = read_sysreg(esr_el2);

	/*
	 * A CPU asked to park takes a guest abort, most likely because its cell's stage 2 is
	 * revoked (arch_cell_revoke()). Not a fault to emulate or report: arch_handle_exit()
	 * parks it, and a parked context is never resumed (the cell starts over or is gone).
	 */
	if (unlikely(READ_ONCE(cpu->park_request)) &&
	    (ESR_EC(esr) == EC_DABT_LOW || ESR_EC(esr) == EC_IABT_LOW))
		return;
	switch (ESR_EC(esr)) {
	case EC_HVC64:
		if ((esr & 0xffff) == HV_HVC_IMM)
			regs->x[0] = hypercall(cpu, regs->x[0], regs->x[1], regs->x[2]);
		else {
			guest_warn(cpu->cell, "hvc #0x%llx from CPU %u: NOT_SUPPORTED\n",
				   esr & 0xffff, cpu->id);
			regs->x[0] = ~0UL;	/* SMCCC NOT_SUPPORTED: not the Linux stub */
		}
		break;
	case EC_SMC64:
		psci_handle(cpu, regs);
		break;
	case EC_SYS64:
		handle_sysreg(cpu, regs, esr);
		break;
	case EC_DABT_LOW:
		arm_handle_dabt(cpu, regs, esr);
		break;
	case EC_IABT_LOW:
		/* stage 2 maps every byte of the cell's memory: a fetch outside it is fatal */
		arm_fatal_trap(cpu, esr & ISS_S1PTW ? "page-table walk outside the cell" :
			       "instruction fetch outside the cell", esr);
		break;
	case EC_WFX:
		handle_wfx(cpu, esr);
		break;
	default:
		arm_fatal_trap(cpu, "unhandled trap", esr);
		break;
	}
}

/* Returns non-zero when the CPU leaves the hypervisor for good (disable). */
int arch_handle_exit(u64 type, struct regs *regs)
{
	struct per_cpu *cpu = this_cpu();

	stat_inc(cpu, EXIT_TOTAL);
	switch (type) {
	case EXIT_SYNC:
		handle_sync(cpu, regs);
		break;
	case EXIT_IRQ:
		gic_handle_irq(cpu);
		break;
	case EXIT_FIQ:
		gic_handle_fiq(cpu);
		break;
	default:
		arm_fatal_trap(cpu, type == EXIT_SERROR ? "SError" : "AArch32 exception",
			   read_sysreg(esr_el2));
		break;
	}
	if (unlikely(hv.panicked))
		arch_halt();
	if (READ_ONCE(cpu->park_request))
		vcpu_park(cpu, regs);
	if (cpu->leave) {
		arch_cpu_deactivate(cpu);
		return 1;
	}
	return 0;
}
