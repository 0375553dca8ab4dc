// SPDX-License-Identifier: GPL-2.0
/*
 * ARMv7 setup: relocation, the complete Hyp page table, a cell's stage 2 and GIC, activation
 * and hand-back of a CPU, and the small runtime services (this_cpu, locks, halt).
 */
#include <asm/arm_arch.h>
#include <asm/stage2.h>

/* 40-bit IPA: T0SZ -8 (signed, S bit set), start level 1; walks WBWA, inner shareable */
#define VTCR_VALUE	((1U << 31) | (3U << 12) | (1U << 10) | (1U << 8) | (1U << 6) | \
			 (1U << 4) | 8)
#define R_ARM_RELATIVE	23
#define HCPTR_HYP	(HCPTR_TTA)

_Static_assert(((VTCR_VALUE & 0xf) | ~0xfU) == (u32)-(ARM32_IPA_BITS - 32), "VTCR.T0SZ");

struct rel {
	u32 offset;
	u32 info;
};

extern struct rel __rel_start[], __rel_end[];
extern struct hv_header hv_header;

static u64 *hv_page_table;

void arch_apply_relocations(void)
{
	u32 base = (uintptr_t)&hv_header;
	struct rel *r;

	for (r = __rel_start; r < __rel_end; r++)
		if ((r->info & 0xff) == R_ARM_RELATIVE)
			*(u32 *)(base + r->offset) += base;
}

static void switch_to_full_pt(struct per_cpu *cpu)
{
	arm_write64(HTTBR, hv_virt_to_phys(hv_page_table));
	isb();
	arm_write(TLBIALLH, 0);
	dsb(ish);
	isb();
	cpu->arch.full_pt = true;
}

int arch_init(const struct hvcfg_system *sys)
{
	int err = paging_hv_init(sys, &hv_page_table);

	if (err) {
		pr_err("out of memory for the Hyp page table\n");
		return err;
	}
	err = temp_window_init(hv_page_table);
	if (err)
		return err;
	switch_to_full_pt(this_cpu());
	return gic_init(sys);
}

int arch_cell_init(struct cell *cell)
{
	int err = arm_cell_s2_init(cell);

	return err ? err : gic_cell_init(cell);
}

int arch_cpu_init(struct per_cpu *cpu)
{
	cpu->hw_id = arm_read(MPIDR) & MPIDR_AFF_MASK;
	switch_to_full_pt(cpu);
	cpu->arch.saved_hcr = arm_read(HCR);
	cpu->arch.saved_hcptr = arm_read(HCPTR);
	cpu->arch.saved_hstr = arm_read(HSTR);
	cpu->arch.saved_hdcr = arm_read(HDCR);
	return gic_cpu_init(cpu);
}

/*
 * Stage 2 on; interrupts (IMO/FMO) to Hyp, SMC (PSCI) trapped, set/way maintenance and
 * ACTLR trapped (cp15.c decides what a cell may do with them), WFI waits in Hyp (traps.c).
 */
u32 hcr_value(void)
{
	return HCR_VM | HCR_SWIO | HCR_IMO | HCR_FMO | HCR_TSC | HCR_TSW | HCR_TAC | HCR_TWI;
}

void arch_cpu_activate(struct per_cpu *cpu)
{
	arm_write(VTCR, VTCR_VALUE);
	arm_write64(VTTBR, cpu->cell->arch.vttbr);
	gic_cpu_activate(cpu);
	/* guests own VFP/SIMD (wiped on reset), the PMU and debug as on arm64; no trace */
	arm_write(HCPTR, cpu->arch.saved_hcptr | HCPTR_HYP);
	arm_write(HDCR, cpu->arch.saved_hdcr & 0x1f);
	arm_write(HSTR, 0);
	arm_write(HCR, hcr_value());
	isb();
	arm_write(TLBIALLNSNH, 0);
	dsb(ish);
	isb();
	cpu->arch.active = true;
}

void arch_cpu_deactivate(struct per_cpu *cpu)
{
	if (cpu->arch.active) {
		gic_cpu_deactivate(cpu);
		arm_write(HCR, cpu->arch.saved_hcr);
		arm_write(HCPTR, cpu->arch.saved_hcptr);
		arm_write(HSTR, cpu->arch.saved_hstr);
		arm_write(HDCR, cpu->arch.saved_hdcr);
		isb();
		arm_write64(VTTBR, 0);
		arm_write(TLBIALLNSNH, 0);
		dsb(ish);
		isb();
		cpu->arch.active = false;
	}
	cpu->state = CPU_OFF;
}

void arch_send_event(struct per_cpu *target)
{
	gic_send_sgi(target->hw_id, SGI_EVENT);
}

struct per_cpu *this_cpu(void)
{
	return (struct per_cpu *)arm_read(HTPIDR);
}

/* An exception taken in Hyp mode itself: a hypervisor bug. Report what we can and stop. */
void arch_hyp_trap(u32 vector, struct regs *regs)
{
	u32 elr;

	asm volatile("mrs %0, elr_hyp" : "=r"(elr));
	pr_err("FATAL: hypervisor exception (vector 0x%x) on CPU %u: HSR 0x%x ELR 0x%x HDFAR 0x%x "
	       "HIFAR 0x%x LR 0x%x\n", vector * 4, this_cpu()->id, arm_read(HSR), elr,
	       arm_read(HDFAR), arm_read(HIFAR), regs->lr_usr);
	hv_panic_stop();
}
