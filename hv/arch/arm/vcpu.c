// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU reset on ARMv7: a CPU that starts (cell start, PSCI CPU_ON, back to the root) begins
 * with nothing of its previous owner: general and banked registers of every mode, the PL1
 * cp15 state, VFP/SIMD, timers and PMU are wiped, and it enters its cell's stage 2 in SVC mode,
 * MMU and caches off, interrupts masked, with a fresh TLB.
 */
#include <asm/arm_arch.h>

#define SCTLR_RESET	0x00c50078	/* MMU, caches, alignment checks off; ARM exceptions */
#define PMCR		p15, 0, c9, c12, 0
#define PMCNTENCLR	p15, 0, c9, c12, 2
#define PMOVSR		p15, 0, c9, c12, 3
#define PMSELR		p15, 0, c9, c12, 5
#define PMUSERENR	p15, 0, c9, c14, 0
#define PMINTENCLR	p15, 0, c9, c14, 2

static void pmu_reset(void)
{
	unsigned int ver = (arm_read(ID_DFR0) >> 24) & 0xf;

	if (!ver || ver == 0xf)
		return;
	arm_write(PMCNTENCLR, ~0U);
	arm_write(PMINTENCLR, ~0U);
	arm_write(PMOVSR, ~0U);
	arm_write(PMUSERENR, 0);
	arm_write(PMSELR, 0);
	arm_write(PMCR, 3U << 1);	/* counters to zero, all disabled */
}

static void pl1_reset(void)
{
	arm_write(SCTLR, SCTLR_RESET);
	arm_write(CPACR, 0);
	arm_write64(TTBR0, 0);
	arm_write64(TTBR1, 0);
	arm_write(TTBCR, 0);
	arm_write(DACR, 0);
	arm_write(DFSR, 0);
	arm_write(IFSR, 0);
	arm_write(ADFSR, 0);
	arm_write(AIFSR, 0);
	arm_write(DFAR, 0);
	arm_write(IFAR, 0);
	arm_write64(PAR, 0);
	arm_write(PRRR, 0);
	arm_write(NMRR, 0);
	arm_write(AMAIR0, 0);
	arm_write(AMAIR1, 0);
	arm_write(VBAR, 0);
	arm_write(FCSEIDR, 0);
	arm_write(CONTEXTIDR, 0);
	arm_write(TPIDRURW, 0);
	arm_write(TPIDRURO, 0);
	arm_write(TPIDRPRW, 0);
	arm_write(CSSELR, 0);
	/* timers: stopped, no interrupt, no offset */
	arm_write(CNTKCTL, 0);
	arm_write(CNTV_CTL, 0);
	arm_write64(CNTV_CVAL, 0);
	arm_write(CNTP_CTL, 0);
	arm_write64(CNTP_CVAL, 0);
	arm_write64(CNTVOFF, 0);
}

/* A CPU sleeps in the hypervisor: a level-triggered timer of its guest would fire forever. */
void vcpu_quiesce(struct per_cpu *cpu)
{
	arm_write(CNTV_CTL, 0);
	arm_write(CNTP_CTL, 0);
	isb();
	/* a root CPU goes off (CPU_OFF: hot-unplug, kexec): see vcpu_root_mode_fixup() */
	if (cpu->cell == &hv.root)
		vcpu_root_mode_fixup(cpu, false);
}

/* A guest waits for its next interrupt (PSCI CPU_SUSPEND). */
void vcpu_idle(struct per_cpu *cpu)
{
	arm_wait_for_interrupt();
}

/* Root CPUs restarted in SVC mode (PSCI CPU_ON): Linux took note (see below). */
static bool root_cpu_restarted;
static spinlock_t fixup_lock;
static bool boot_mode_searched;
static u64 boot_mode_record;

/* "mrs r4, cpsr; and r4, r4, #31; movw r6, #lo; movt r6, #hi; add r6, r6, pc; ldr r5, [r6]" */
static const u32 mode_check[6] = { 0xe10f4000, 0xe204401f, 0xe3006000, 0xe3406000, 0xe086600f,
				   0xe5965000 };
static const u32 mode_check_mask[6] = { ~0U, ~0U, 0xfff0f000, 0xfff0f000, ~0U, ~0U };

static u32 imm16(u32 insn)
{
	return (insn >> 4 & 0xf000) | (insn & 0xfff);
}

/*
 * A word the fix-up may write: inside the root's own writable RAM (not a device, not the cell
 * pool), so a pattern matched in some other kernel's code can never reach the hypervisor, a
 * cell or a device.
 */
static bool root_ram_word(u64 phys)
{
	const struct hvcfg_memory_region *mem = cfg_mem_regions(hv.root.blob, hv.root.desc);
	u64 bad = HVCFG_MEM_IO | HVCFG_MEM_CELL_POOL | HVCFG_MEM_COMM_REGION;
	unsigned int n;

	for (n = 0; n < hv.root.desc->num_mem_regions; n++)
		if (phys >= mem[n].phys_start && phys - mem[n].phys_start <= mem[n].size - 4 &&
		    mem[n].size >= 4 && (mem[n].flags & HVCFG_MEM_WRITE) && !(mem[n].flags & bad))
			return true;
	return false;
}

/* Linux's boot-mode record in the stub's code (see below), validated; 0 if not there. */
static u64 find_boot_mode_record(struct per_cpu *cpu)
{
	u64 code_phys = ((u64)cpu->arch.stub_hvbar & ~(PAGE_SIZE - 1)) - PAGE_SIZE, var = 0;
	const u32 *code = arm_map_private(code_phys, 2);
	unsigned int n, k;

	for (n = 0; n + 6 <= (cpu->arch.stub_hvbar - code_phys) / 4 && !var; n++) {
		for (k = 0; k < 6 && (code[n + k] & mode_check_mask[k]) == mode_check[k]; k++)
			;
		if (k == 6)
			var = code_phys + (n + 4) * 4 + 8 + (imm16(code[n + 2]) |
							     imm16(code[n + 3]) << 16);
	}
	arm_unmap_private(2);
	return var && !(var % 4) && root_ram_word(var) ? var : 0;
}

/*
 * Linux flags a boot-mode mismatch (__boot_cpu_mode bit 31) when a CPU comes up in SVC mode,
 * as every root CPU restarted here does. From then on it installs no hyp stub on a CPU onlined
 * natively (after disable), and its soft_restart() (kexec) no longer makes the stub's
 * HVC_SOFT_RESTART but branches in SVC mode: the next kernel would start as the old root, under
 * a hypervisor whose driver is gone. Upstream Jailhouse clears the flag on disable through a
 * symbol its kernel patch exports; the stock kernel exports nothing, so the variable is found
 * through the stub's own code: __hyp_stub_install_secondary, just before the stub's vectors,
 * loads it PC-relative. Not found: nothing is touched. Cleared on disable (final: the record
 * is then forgotten) and whenever a root CPU parks (CPU_OFF), which kexec's hot-unplug of the
 * other CPUs does before soft_restart() reads the flag; a CPU restarted meanwhile may set it
 * again, so the record stays until disable. While enabled, the flag's "Hyp mode available"
 * is true to Linux: the hypervisor answers the stub's calls.
 */
void vcpu_root_mode_fixup(struct per_cpu *cpu, bool final)
{
	u32 *mode;

	if (!READ_ONCE(root_cpu_restarted))
		return;
	spin_lock(&fixup_lock);
	/* the kernel's code and the root's RAM do not change while enabled: searched once */
	if (!boot_mode_searched) {
		boot_mode_record = find_boot_mode_record(cpu);
		boot_mode_searched = true;
	}
	if (!boot_mode_record) {
		spin_unlock(&fixup_lock);
		if (final)
			pr_warn("Linux's boot-mode record not found: CPUs onlined after disable "
				"may lack the hyp stub\n");
		return;
	}
	mode = (u32 *)arm_map_private(boot_mode_record & ~(PAGE_SIZE - 1), 1) +
	       (boot_mode_record & (PAGE_SIZE - 1)) / 4;
	WRITE_ONCE(*mode, *mode & ~(1U << 31));
	arch_clean_dcache(mode, 4);
	arm_unmap_private(1);
	if (final)
		root_cpu_restarted = false;
	spin_unlock(&fixup_lock);
}

void vcpu_reset(struct per_cpu *cpu, struct regs *regs, u64 entry, u64 context)
{
	/* PSCI: bit 0 of an AArch32 entry point selects Thumb state */
	u32 spsr = PSR_SVC_MASKED | (entry & 1 ? PSR_T : 0);

	if (cpu->cell == &hv.root)
		root_cpu_restarted = true;
	memset(regs, 0, sizeof(*regs));
	regs->r[0] = context;
	pl1_reset();
	vcpu_wipe_banked();
	vfp_reset();
	pmu_reset();
	/*
	 * Monitor debug off (DBGDSCRext.MDBGen), as arm64 clears MDSCR_EL1: a breakpoint the
	 * CPU's previous owner armed must not fire in the next (Linux clears its own before it
	 * enables monitor debug again)
	 */
	asm volatile("mcr p14, 0, %0, c0, c2, 2" : : "r"(0));
	arm_write64(VTTBR, cpu->cell->arch.vttbr);
	isb();
	arm_write(TLBIALLNSNH, 0);
	arm_write(ICIALLUIS, 0);
	dsb(nsh);
	asm volatile("msr elr_hyp, %0; msr spsr_cxsf, %1" : : "r"((u32)entry & ~1U), "r"(spsr));
	isb();
}
