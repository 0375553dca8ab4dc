// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO by data abort: a stage-2 fault that comes with a valid instruction syndrome is decoded
 * into an access for the core's MMIO handlers (mmio_dispatch), and a load completes in the
 * guest's register. The ISS layout is the same in arm64's ESR_EL2 and ARMv7's HSR; the guest's
 * registers and the fault address come from the arch (asm/arm_arch.h).
 */
#include <asm/arm_arch.h>
#include <asm/dabt.h>

#define ISS_ISV			(1UL << 24)
#define ISS_SAS(esr)		(((esr) >> 22) & 3)
#define ISS_SSE			(1UL << 21)
#define ISS_SRT(esr)		(((esr) >> 16) & 0x1f)
#define ISS_SF			(1UL << 15)
#define ISS_WNR			(1UL << 6)

/*
 * The guest-physical address of a stage-2 abort, the address that matters for a cell's memory
 * regions (the PC and FAR of a report are virtual).
 */
u64 arm_abort_ipa(u64 esr)
{
	/* a walk's FAR is the translated address: only HPFAR's page is the table's */
	return esr & ISS_S1PTW ? arm_fault_ipa() & ~0xfffULL : arm_fault_ipa();
}

/* False when the syndrome does not describe the access (ISV clear): no emulation possible. */
bool dabt_decode(u64 esr, u64 addr, struct dabt_access *out)
{
	if (!(esr & ISS_ISV))
		return false;
	out->addr = addr;
	out->size = 1U << ISS_SAS(esr);
	out->reg = ISS_SRT(esr);
	out->write = esr & ISS_WNR;
	out->sign_extend = esr & ISS_SSE;
	out->wide = esr & ISS_SF;
	return true;
}

/* The loaded value as the register receives it: sign-extended if asked, 32 bits unless wide. */
static u64 load_value(const struct dabt_access *dabt, u64 val)
{
	if (dabt->sign_extend && dabt->size < 8 && (val >> (dabt->size * 8 - 1)) & 1)
		val |= ~0ULL << (dabt->size * 8);
	return dabt->wide ? val : (u32)val;
}

void arm_handle_dabt(struct per_cpu *cpu, struct regs *regs, u64 esr)
{
	struct dabt_access dabt;
	struct mmio_access acc;

	stat_inc(cpu, EXIT_MMIO);
	/*
	 * The guest's own page tables lie outside its memory, so every access through them
	 * faults (typically RAM Linux uses that the root cell does not map): no MMIO to emulate.
	 */
	if (esr & ISS_S1PTW) {
		arm_fatal_trap(cpu, "page-table walk outside the cell", esr);
		return;
	}
	if (!dabt_decode(esr, arm_fault_ipa(), &dabt)) {
		pr_err("MMIO at 0x%llx without syndrome (PC 0x%llx)\n", arm_fault_ipa(),
		       arm_guest_pc());
		arm_fatal_trap(cpu, "undecodable data abort", esr);
		return;
	}
	acc.size = dabt.size;
	acc.write = dabt.write;
	acc.value = acc.write ? arm_guest_reg(regs, dabt.reg) : 0;
	if (acc.size < 8)
		acc.value &= (1ULL << (acc.size * 8)) - 1;
	switch (mmio_dispatch(cpu->cell, dabt.addr, &acc)) {
	case MMIO_HANDLED:
		break;
	case MMIO_ERROR:
		pr_err("Invalid MMIO %s at 0x%llx, size %u, PC 0x%llx\n",
		       acc.write ? "write" : "read", dabt.addr, acc.size, arm_guest_pc());
		arm_fatal_trap(cpu, "invalid MMIO access", esr);
		return;
	default:
		pr_err("Unhandled data %s at 0x%llx, size %u, PC 0x%llx\n",
		       acc.write ? "write" : "read", dabt.addr, acc.size, arm_guest_pc());
		arm_fatal_trap(cpu, "access outside the cell", esr);
		return;
	}
	if (!acc.write)
		arm_guest_reg_set(regs, dabt.reg, load_value(&dabt, acc.value));
	arm_skip_instruction();
}
