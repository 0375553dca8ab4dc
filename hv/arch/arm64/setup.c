// SPDX-License-Identifier: GPL-2.0
/* arm64 setup: EL2 page tables, stage 2 of a cell, activation and hand-back of a CPU. */
#include <asm/arm_arch.h>
#include <asm/cfg_limits.h>
#include <asm/stage2.h>

#define VTCR_EL2_VALUE	((1UL << 31) | (2UL << 16) | (3UL << 12) | (1UL << 10) | (1UL << 8) | \
			 (1UL << 6) | 24)	/* 40-bit IPA, start level 1, WB, inner shareable */
#define R_AARCH64_RELATIVE 1027

/* what the config validator is told (asm/cfg_limits.h) is what stage 2 is set up for */
_Static_assert((VTCR_EL2_VALUE & 0x3f) == 64 - ARM64_IPA_BITS, "VTCR_EL2.T0SZ vs ARM64_IPA_BITS");


struct rela {
	u64 offset;
	u64 info;
	s64 addend;
};

extern struct rela __rela_start[], __rela_end[];
extern struct hv_header hv_header;
extern u8 hyp_vectors[];

static u64 *hv_page_table;

void arch_apply_relocations(void)
{
	u64 base = (uintptr_t)&hv_header;
	struct rela *r;

	for (r = __rela_start; r < __rela_end; r++)
		if ((u32)r->info == R_AARCH64_RELATIVE)
			*(u64 *)(base + r->offset) = base + r->addend;
}

static void switch_to_full_pt(struct per_cpu *cpu)
{
	write_sysreg(ttbr0_el2, hv_virt_to_phys(hv_page_table));
	isb();
	asm volatile("tlbi alle2" : : : "memory");
	dsb(ish);
	isb();
	cpu->arch.full_pt = true;
}

int arch_init(const struct hvcfg_system *sys)
{
	int err = paging_hv_init(sys, &hv_page_table);

	if (err) {
		pr_err("out of memory for the EL2 page table\n");
		return err;
	}
	err = temp_window_init(hv_page_table);
	if (err)
		return err;
	/* the devices are only on the complete table */
	switch_to_full_pt(this_cpu());
	return gic_init(sys);
}

int arch_cell_init(struct cell *cell)
{
	int err = arm_cell_s2_init(cell);

	if (!err)
		err = gic_cell_init(cell);
	return err ? err : arm_pci_cell_init(cell);
}

int arch_cpu_init(struct per_cpu *cpu)
{
	cpu->hw_id = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	switch_to_full_pt(cpu);
	cpu->arch.saved_hcr = read_sysreg(hcr_el2);
	return gic_cpu_init(cpu);
}

/*
 * FIQs (the hypervisor's Group 0 SGIs) always come to EL2, which also traps every guest write
 * of an SGI register. IRQs do in trap mode; in direct mode they go to the guest, which waits
 * for them in the hypervisor instead (WFI trapped: no interrupt could make a guest that
 * sleeps with the management FIQ blocked come back; WFE: a hint, skipped).
 */
u64 hcr_value(bool direct)
{
	u64 hcr = HCR_VM | HCR_SWIO | HCR_FMO | HCR_TSC | HCR_TSW | HCR_RW | HCR_TACR |
		  HCR_TIDCP;

	hcr |= direct ? HCR_TWI | HCR_TWE : HCR_IMO;
	if ((read_sysreg(id_aa64pfr0_el1) >> 28) & 0xf)
		hcr |= HCR_TERR | HCR_TEA;
	return hcr;
}

/*
 * Guests own their CPU's PMU and debug registers (reset when a CPU changes hands), but never
 * count events of EL2 and never reach profiling, trace, activity monitors or SVE, whose state
 * the hand-over would not wipe. Nothing is left as Linux's stub happened to set it.
 */
static u64 mdcr_value(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	unsigned int pmu = (dfr0 >> 8) & 0xf;
	u64 mdcr = 0;

	if (pmu && pmu != 0xf)
		mdcr |= (read_sysreg(pmcr_el0) >> 11) & MDCR_HPMN_MASK;
	if (pmu >= 4 && pmu != 0xf)
		mdcr |= MDCR_HPMD;
	if ((dfr0 >> 32) & 0xf)
		mdcr |= MDCR_TPMS;
	if ((dfr0 >> 40) & 0xf)
		mdcr |= MDCR_TTRF;
	return mdcr;
}

void arch_cpu_activate(struct per_cpu *cpu)
{
	write_sysreg(vtcr_el2, VTCR_EL2_VALUE);
	write_sysreg(vttbr_el2, cpu->cell->arch.vttbr);
	gic_cpu_activate(cpu);
	cpu->arch.saved_mdcr = read_sysreg(mdcr_el2);
	cpu->arch.saved_cptr = read_sysreg(cptr_el2);
	write_sysreg(mdcr_el2, mdcr_value());
	write_sysreg(cptr_el2, CPTR_RES1 | CPTR_TZ | CPTR_TTA | CPTR_TAM);
	write_sysreg(hcr_el2, hcr_value(false));
	isb();
	asm volatile("tlbi vmalls12e1" : : : "memory");
	dsb(ish);
	isb();
	cpu->arch.active = true;
}

void arch_cpu_deactivate(struct per_cpu *cpu)
{
	if (cpu->arch.active) {
		gic_cpu_deactivate(cpu);
		write_sysreg(hcr_el2, cpu->arch.saved_hcr);
		write_sysreg(mdcr_el2, cpu->arch.saved_mdcr);
		write_sysreg(cptr_el2, cpu->arch.saved_cptr);
		isb();
		write_sysreg(vttbr_el2, 0);
		asm volatile("tlbi vmalls12e1" : : : "memory");
		dsb(ish);
		isb();
		cpu->arch.active = false;
	}
	/* claimed in gic_cpu_init(), also on a CPU whose enable then failed */
	if (cpu->arch.gicr)
		gic_hv_sgis_release(cpu);
	cpu->state = CPU_OFF;
}

void arch_send_event(struct per_cpu *target)
{
	gic_send_sgi(target->hw_id, SGI_EVENT);
}

struct per_cpu *this_cpu(void)
{
	return (struct per_cpu *)read_sysreg(tpidr_el2);
}

/* An exception taken at EL2 itself: a hypervisor bug. Report what we can and stop. */
void arch_hyp_trap(u64 type, struct regs *regs)
{
	pr_err("FATAL: hypervisor exception type %llu on CPU %u: ESR 0x%llx ELR 0x%llx FAR 0x%llx"
	       " LR 0x%llx\n", type, this_cpu()->id, read_sysreg(esr_el2), read_sysreg(elr_el2),
	       read_sysreg(far_el2), regs->x[30]);
	hv_panic_stop();
}
