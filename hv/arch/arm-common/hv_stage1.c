// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's own stage 1, shared by arm64 and ARMv7 (asm/hv_stage1.h): attributes, the
 * W^X map of its memory, device windows and the mapping window of arch_map_temp().
 */
#include <asm/arm_arch.h>
#include <asm/hv_stage1.h>

#define S1_AP_RW	(1ULL << 6)	/* AP[1] is RES1 at EL2 and in Hyp mode */
#define S1_AP_RO	(3ULL << 6)
#define S1_ATTR(idx)	((u64)(idx) << 2)
#define WINDOW_PAGES	512UL		/* one last-level table */
/*
 * The window's last pages are the arch's own (arm_map_private()), for the few accesses to the
 * root's RAM it makes outside the core's serialization (ARMv7: Linux's boot-mode record when a
 * root CPU parks, while another CPU may be loading a cell through the core's pages).
 */
#define PRIVATE_PAGES	2UL
#define CORE_PAGES	(WINDOW_PAGES - PRIVATE_PAGES)

static u64 *window_l3;

u64 paging_s1_attr(int type)
{
	if (type == PT_S1_DEVICE)
		return PTE_AF | S1_AP_RW | S1_ATTR(2) | PTE_XN;
	if (type == PT_S1_CODE)
		return PTE_AF | PTE_SH_INNER | S1_AP_RO | S1_ATTR(0);
	return PTE_AF | PTE_SH_INNER | S1_AP_RW | S1_ATTR(0) | PTE_XN;
}

extern u8 __rw_start[];

int hv_stage1_map_self(u64 *pt, const struct hvcfg_system *sys)
{
	u64 base = sys->hypervisor_mem_base, code = hv_virt_to_phys(__rw_start) - base;
	int err;

	err = lpae_map(&hv_geometry, pt, base, base, code, paging_s1_attr(PT_S1_CODE));
	if (err)
		return err;
	return lpae_map(&hv_geometry, pt, base + code, base + code,
			sys->hypervisor_mem_size - code, paging_s1_attr(PT_S1_NORMAL));
}

int hv_stage1_map_device(u64 *pt, u64 base, u64 size)
{
	if (!size)
		return 0;
	return lpae_map(&hv_geometry, pt, base, base, ALIGN_UP(size, PAGE_SIZE),
			paging_s1_attr(PT_S1_DEVICE));
}

void hv_stage1_set_window(u64 *l3)
{
	window_l3 = l3;
}

unsigned long arch_temp_pages(void)
{
	return CORE_PAGES;
}

static void *window_map(unsigned long first, unsigned long max, u64 phys, unsigned long pages)
{
	u64 attr = paging_s1_attr(PT_S1_NORMAL);
	unsigned long n;

	for (n = 0; n < pages && n < max; n++)
		window_l3[first + n] = (phys + n * PAGE_SIZE) | attr | PTE_PAGE;
	dsb(ishst);
	isb();
	return (void *)(uintptr_t)(ARM_HV_WINDOW_VA + first * PAGE_SIZE);
}

static void window_unmap(unsigned long first, unsigned long max, unsigned long pages)
{
	unsigned long n;

	for (n = 0; n < pages && n < max; n++)
		window_l3[first + n] = 0;
	dsb(ishst);
	arm_tlb_flush_hv();
	dsb(ish);
	isb();
}

/* Callers serialize (cell_lock); the window is the same on every CPU. */
void *arch_map_temp(u64 phys, unsigned long pages)
{
	return window_map(0, CORE_PAGES, phys, pages);
}

void arch_unmap_temp(unsigned long pages)
{
	window_unmap(0, CORE_PAGES, pages);
}

void *arm_map_private(u64 phys, unsigned long pages)
{
	return window_map(CORE_PAGES, PRIVATE_PAGES, phys, pages);
}

void arm_unmap_private(unsigned long pages)
{
	window_unmap(CORE_PAGES, PRIVATE_PAGES, pages);
}
