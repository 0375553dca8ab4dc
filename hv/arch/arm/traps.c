// SPDX-License-Identifier: GPL-2.0
/*
 * Guest exits on ARMv7: dispatch by HSR exception class. Hypercalls and the Linux stub's ABI
 * (HVC), PSCI (trapped SMC, arm-common/psci.c), MMIO (arm-common/dabt.c) and cp15/cp14 traps
 * (the decode unit) are handled; anything else is a fatal trap whose outcome Kconfig chooses.
 * A trap whose condition failed (HSR.CV/COND, the IT state) is only stepped over.
 */
#include <asm/arm_arch.h>
#include <asm/dabt.h>
#include <asm/hv_header_arch.h>

#define HSR_WNR			(1U << 6)
#define HSR_ISV			(1U << 24)
#define PSR_A			(1U << 8)
#define PSR_I			(1U << 7)
#define PSR_E			(1U << 9)
#define MODE_ABT		0x17
#define MODE_UND		0x1b
#define SCTLR_V			(1U << 13)
#define SCTLR_EE		(1U << 25)
#define SCTLR_TE		(1U << 30)
#define TTBCR_EAE		(1U << 31)

static u32 read_spsr(void)
{
	u32 v;

	asm volatile("mrs %0, spsr" : "=r"(v));
	return v;
}

/*
 * Make the guest take an abort (or an undefined instruction) as if the hardware had raised
 * it: used for the root's accesses nobody handles, so Linux's own fault handling reports them.
 */
static void inject_exception(u32 ec, u32 hsr, u32 far)
{
	u32 spsr = read_spsr(), pc = arm_guest_pc(), sctlr = arm_read(SCTLR);
	u32 vbar = sctlr & SCTLR_V ? 0xffff0000 : arm_read(VBAR);
	u32 fsr = arm_read(TTBCR) & TTBCR_EAE ? 1U << 9 | 0x10 : 0x8;	/* external abort */
	u32 mode = MODE_ABT, offset, lr;

	if (ec == EC_DABT_LOW) {
		arm_write(DFSR, fsr | (hsr & HSR_WNR) << 5);
		arm_write(DFAR, far);
		offset = 0x10;
		lr = pc + 8;
	} else if (ec == EC_IABT_LOW) {
		arm_write(IFSR, fsr);
		arm_write(IFAR, far);
		offset = 0x0c;
		lr = pc + 4;
	} else {
		mode = MODE_UND;
		offset = 0x04;
		lr = pc + (spsr & PSR_T ? 2 : 4);
	}
	if (mode == MODE_ABT)
		asm volatile("msr spsr_abt, %0; msr lr_abt, %1" : : "r"(spsr), "r"(lr));
	else
		asm volatile("msr spsr_und, %0; msr lr_und, %1" : : "r"(spsr), "r"(lr));
	spsr &= ~(PSR_IT_MASK | PSR_T | PSR_E | PSR_MODE_MASK);
	spsr |= mode | PSR_A | PSR_I | (sctlr & SCTLR_TE ? PSR_T : 0) |
		(sctlr & SCTLR_EE ? PSR_E : 0);
	asm volatile("msr spsr_cxsf, %0; msr elr_hyp, %1" : : "r"(spsr), "r"(vbar + offset));
}

void arm_fatal_trap(struct per_cpu *cpu, const char *what, u64 esr)
{
	u32 ec = HSR_EC((u32)esr), far = ec == EC_IABT_LOW ? arm_read(HIFAR) : arm_read(HDFAR);
	bool stage2 = ec == EC_DABT_LOW || ec == EC_IABT_LOW;

	fatal_trap_report(cpu, what, esr, arm_guest_pc(), stage2 ? far : 0,
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
	inject_exception(ec, esr, far);
#endif
}

static bool no_other_cells(void)
{
	unsigned int n;

	for (n = 1; n < CONFIG_MAX_CELLS; n++)
		if (hv.cells[n])
			return false;
	return true;
}

/*
 * The Linux hyp stub's calls (hvc #0), which the kernel still makes while it runs as the root:
 * HVC_SOFT_RESTART (soft_restart(): kexec) leaves the hypervisor on this CPU and branches as
 * the stub would, Hyp mode, MMU off; that hands Hyp mode to the root, so only while no other
 * cell exists, and the root's other CPUs go back to the firmware first, so that the next kernel
 * can start them with PSCI CPU_ON. HVC_RESET_VECTORS: the stub's vectors are what Linux sees
 * already.
 *
 * While cells exist the root's restart cannot be honoured, and it cannot be refused either:
 * Linux calls it with its MMU off, after the point of no return (its other CPUs are off, its
 * devices shut down), and an error return lands on a virtual address with the MMU off. The
 * CPU is parked as by PSCI CPU_OFF: the root stops, the cells keep running (docs/hypervisor.md).
 * A cell has no stub to restart: its HVC_SOFT_RESTART is an error.
 */
static int stub_call(struct per_cpu *cpu, struct regs *regs)
{
	switch (regs->r[0]) {
	case HVC_SOFT_RESTART:
		if (cpu->cell == &hv.root && no_other_cells()) {
			psci_root_cpus_to_firmware(cpu);
			pr_info("CPU %u leaves the hypervisor: HVC_SOFT_RESTART to 0x%x\n",
				cpu->id, regs->r[1]);
			arch_cpu_deactivate(cpu);
			return LEAVE_SOFT_RESTART;
		}
		if (cpu->cell == &hv.root) {
			pr_warn("Hypervisor: CPU %u: the root's HVC_SOFT_RESTART (kexec) while "
				"cells exist: CPU parked, the root stops, the cells keep running\n",
				cpu->id);
			vcpu_park(cpu, regs);
			return LEAVE_NONE;
		}
		guest_warn(cpu->cell, "CPU %u: HVC_SOFT_RESTART refused while cells exist\n",
			   cpu->id);
		break;
	case HVC_RESET_VECTORS:
		regs->r[0] = 0;
		return LEAVE_NONE;
	}
	regs->r[0] = HVC_STUB_ERR;
	return LEAVE_NONE;
}

/*
 * WFI traps (HCR.TWI) so that the hypervisor waits instead, for QEMU's GICv2 (gic_cpu_idle(),
 * docs/hypervisor.md "ARMv7: GICv2").
 */
static void handle_wfi(struct per_cpu *cpu)
{
	stat_inc(cpu, EXIT_WFI);
	gic_cpu_idle(cpu);
}

static int handle_hvc(struct per_cpu *cpu, struct regs *regs, u32 hsr)
{
	u32 imm = hsr & 0xffff;

	if (imm == HV_HVC_IMM) {
		regs->r[0] = hypercall(cpu, regs->r[0], regs->r[1], regs->r[2]);
		return LEAVE_NONE;
	}
	if (imm == 0)
		return stub_call(cpu, regs);
	guest_warn(cpu->cell, "hvc #0x%x from CPU %u: NOT_SUPPORTED\n", imm, cpu->id);
	regs->r[0] = ~0U;
	return LEAVE_NONE;
}

/*
 * MMIO: the syndrome names the guest's register in its own mode, which must be one a guest can
 * trap from; no MMIO load targets the PC (its write would be ignored, the load skipped).
 */
static void handle_dabt(struct per_cpu *cpu, struct regs *regs, u32 hsr)
{
	if (!arm_guest_mode_valid())
		arm_fatal_trap(cpu, "trap from an invalid guest mode", hsr);
	else if (hsr & HSR_ISV && !(hsr & HSR_WNR) && ((hsr >> 16) & 0xf) == 15)
		arm_fatal_trap(cpu, "MMIO load into the PC", hsr);
	else
		arm_handle_dabt(cpu, regs, hsr);
}

static int handle_trap(struct per_cpu *cpu, struct regs *regs)
{
	u32 hsr = arm_read(HSR), ec = HSR_EC(hsr);

	/*
	 * A CPU asked to park takes a guest abort, most likely because its cell's stage 2 is
	 * revoked: not a fault to emulate or report (see arm64's traps.c).
	 */
	if (unlikely(READ_ONCE(cpu->park_request)) && (ec == EC_DABT_LOW || ec == EC_IABT_LOW))
		return LEAVE_NONE;
	switch (ec) {
	case EC_HVC:
		return handle_hvc(cpu, regs, hsr);
	case EC_SMC:
	case EC_WFX:
		/* conditional instructions may trap although their condition failed */
		if (!arm_trap_condition_passed(hsr)) {
			arm_skip_trapped_instruction(hsr);
		} else if (ec == EC_SMC) {
			psci_handle(cpu, regs);
		} else {
			if (!(hsr & 1))		/* WFI; WFE does not trap (HCR.TWE clear) */
				handle_wfi(cpu);
			arm_skip_trapped_instruction(hsr);
		}
		return LEAVE_NONE;
	case EC_CP15_32:
	case EC_CP15_64:
	case EC_CP14_32:
	case EC_CP14_LS:
	case EC_CP14_64:
		arm_handle_cp15(cpu, regs, hsr);
		return LEAVE_NONE;
	case EC_DABT_LOW:
		handle_dabt(cpu, regs, hsr);
		return LEAVE_NONE;
	case EC_IABT_LOW:
		arm_fatal_trap(cpu, "instruction fetch outside the cell", hsr);
		return LEAVE_NONE;
	}
	arm_fatal_trap(cpu, "unhandled trap", hsr);
	return LEAVE_NONE;
}

/* Returns what the CPU does next: back to its guest, or out of the hypervisor (LEAVE_*). */
int arch_handle_exit(u32 type, struct regs *regs)
{
	struct per_cpu *cpu = this_cpu();
	int leave = LEAVE_NONE;

	stat_inc(cpu, EXIT_TOTAL);
	if (type == EXIT_IRQ_VEC)
		gic_handle_irq(cpu);
	else
		leave = handle_trap(cpu, regs);
	if (unlikely(hv.panicked))
		arch_halt();
	if (leave)
		return leave;
	if (READ_ONCE(cpu->park_request))
		vcpu_park(cpu, regs);
	if (cpu->leave) {
		/* disable: every root CPU is here, none can be restarted any more */
		if (cpu->id == 0)
			vcpu_root_mode_fixup(cpu, true);
		arch_cpu_deactivate(cpu);
		return LEAVE_STUB;
	}
	return LEAVE_NONE;
}
