// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 part of the cells: stage-2 changes and their TLB maintenance, the EL2 window through
 * which the core reaches RAM outside the hypervisor, interrupt hand-over and the comm region's
 * GIC fields.
 */
#include <asm/arm_arch.h>
#include <asm/cfg_limits.h>
#include <asm/cfg_arm.h>
#include <asm/stage2.h>

/* the last GiB of the 39-bit EL2 address space; the config validator keeps blobs out of it */
#define TEMP_VA		ARM_HV_WINDOW_VA

int temp_window_init(u64 *hv_pt)
{
	u64 *l2, *l3;

	u64 *l1 = lpae_walk(&hv_geometry, hv_pt, TEMP_VA, 1);

	if (*l1 & PTE_VALID) {
		pr_err("EL2: the last GiB of the address space is taken, no mapping window\n");
		return -ENOMEM;
	}
	l2 = page_alloc(&mem_pool, 1);
	l3 = page_alloc(&mem_pool, 1);
	if (!l2 || !l3)
		return -ENOMEM;
	l2[0] = hv_virt_to_phys(l3) | PTE_TABLE;
	dsb(ishst);
	*l1 = hv_virt_to_phys(l2) | PTE_TABLE;
	dsb(ishst);
	hv_stage1_set_window(l3);
	return 0;
}

void arch_clean_dcache(void *addr, unsigned long size)
{
	unsigned long line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uintptr_t p = (uintptr_t)addr & ~(line - 1), end = (uintptr_t)addr + size;

	for (; p < end; p += line)
		asm volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

/*
 * DC ZVA zeroes a block (4 << DCZID_EL0.BS bytes) per instruction, a fraction of the stores a
 * loop needs (a 128 MiB scrub took 1.4 s of 8-byte stores under QEMU TCG); memset if the
 * CPU prohibits it (DZP) or its block is odd.
 */
void arch_zero_pages(void *addr, unsigned long size)
{
	u64 dczid = read_sysreg(dczid_el0);
	unsigned long block = 4UL << (dczid & 0xf);
	uintptr_t p = (uintptr_t)addr, end = p + size;

	if ((dczid & (1 << 4)) || block > PAGE_SIZE) {
		memset(addr, 0, size);
		return;
	}
	for (; p < end; p += block)
		asm volatile("dc zva, %0" : : "r"(p) : "memory");
	dsb(ishst);
}

/* Flush the cell's stage-1+2 TLB entries on every CPU: briefly run on its VMID. */
void arch_flush_cell_tlb(struct cell *cell)
{
	u64 vttbr = read_sysreg(vttbr_el2);

	dsb(ishst);
	write_sysreg(vttbr_el2, cell->arch.vttbr);
	isb();
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(vttbr_el2, vttbr);
	isb();
}

void arch_cell_free(struct cell *cell)
{
	arm_cell_s2_free(cell);
}

void arch_fill_comm_region(struct cell *cell)
{
	struct hv_comm_arm *arm = hv_comm_arm(cell->comm);
	const struct hvcfg_arm_platform *p = cfg_arm_platform(hv.config);

	arm->gic_version = p->gic_version;
	arm->gicd_base = p->gicd_base;
	arm->gicr_base = p->gicr_base;
}

u64 arch_time_us(void)
{
	u64 freq = read_sysreg(cntfrq_el0), ticks;

	isb();
	ticks = read_sysreg(cntpct_el0);
	/* in two parts: ticks * 10^6 would overflow after 3 days at 62.5 MHz */
	return ticks / freq * 1000000 + ticks % freq * 1000000 / freq;
}

void arch_udelay(unsigned long us)
{
	u64 freq = read_sysreg(cntfrq_el0), start = read_sysreg(cntpct_el0);
	u64 ticks = freq / 1000000 * us + 1;

	while (read_sysreg(cntpct_el0) - start < ticks)
		cpu_relax();
}
