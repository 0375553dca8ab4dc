// SPDX-License-Identifier: GPL-2.0
/*
 * x86's part of enable and disable, per hv/arch/x86/include/asm/hv_header_arch.h: the driver
 * builds the boot page table in the image's boot_pt pages (the hypervisor memory 1:1 with
 * 2 MiB pages, the trampoline page of tramp.S at its Linux address), then each CPU enters
 * through the trampoline. Its physical address comes from vmalloc_to_page() on the module's
 * text: no unexported symbol is used.
 */
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/processor.h>

#include "hypercall.h"
#include "hv_image.h"
#include "../../arch.h"
#include "../../../hv/arch/x86/include/asm/hv_header_arch.h"

extern char jh_tramp_start[], jh_tramp_end[];
long jh_tramp_enter(u64 hv_cpu, u64 boot_cr3, u64 entry_phys);
long jh_tramp_disable(void);

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_PS		(1ULL << 7)
#define PT_INDEX(va, level)	(((va) >> (12 + 9 * (level))) & 511)
#define LARGE_PAGE	(1ULL << 21)

/* boot_pt pages: PML4, then PDPT + PD for the hypervisor memory, PDPT + PD + PT for the page */
enum { PT_PML4, PT_HV_PDPT, PT_HV_PD, PT_TR_PDPT, PT_TR_PD, PT_TR_PT };

static u64 boot_cr3, entry_phys;

long jh_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	long ret;

	asm volatile("vmmcall" : "=a"(ret) : "a"(code), "D"(arg1), "S"(arg2) : "memory");
	return ret;
}

bool jh_arch_image_ok(const struct hv_header *h)
{
	const struct hv_header_arch *a = hv_header_arch_const(h);

	return a->boot_pt_pages == HV_X86_BOOT_PT_PAGES && PAGE_ALIGNED(a->boot_pt_offset) &&
	       a->boot_pt_offset <= h->core_size &&
	       h->core_size - a->boot_pt_offset >= HV_X86_BOOT_PT_PAGES * PAGE_SIZE;
}

/* The cell's memory is cache coherent with the CPUs that run it. */
void jh_arch_flush_image(void *addr, size_t len)
{
}

static void map_hv_memory(u64 *pt[], u64 pt_phys, u64 base, u64 size)
{
	u64 addr;

	pt[PT_PML4][PT_INDEX(base, 3)] = (pt_phys + PT_HV_PDPT * PAGE_SIZE) | PTE_P | PTE_RW;
	pt[PT_HV_PDPT][PT_INDEX(base, 2)] = (pt_phys + PT_HV_PD * PAGE_SIZE) | PTE_P | PTE_RW;
	for (addr = base; addr < base + size; addr += LARGE_PAGE)
		pt[PT_HV_PD][PT_INDEX(addr, 1)] = addr | PTE_P | PTE_RW | PTE_PS;
}

/* Read-only, executable: the hypervisor only runs the trampoline's code through it. */
static void map_trampoline(u64 *pt[], u64 pt_phys, u64 va, u64 phys)
{
	pt[PT_PML4][PT_INDEX(va, 3)] = (pt_phys + PT_TR_PDPT * PAGE_SIZE) | PTE_P | PTE_RW;
	pt[PT_TR_PDPT][PT_INDEX(va, 2)] = (pt_phys + PT_TR_PD * PAGE_SIZE) | PTE_P | PTE_RW;
	pt[PT_TR_PD][PT_INDEX(va, 1)] = (pt_phys + PT_TR_PT * PAGE_SIZE) | PTE_P | PTE_RW;
	pt[PT_TR_PT][PT_INDEX(va, 0)] = phys | PTE_P;
}

int jh_arch_prepare(void *mem, struct hv_header *h, u64 phys)
{
	struct hv_header_arch *a = hv_header_arch(h);
	u64 va = (unsigned long)jh_tramp_start, size = ALIGN(h->mem_size, LARGE_PAGE);
	u64 pt_phys = phys + a->boot_pt_offset;
	u64 *pt[HV_X86_BOOT_PT_PAGES];
	struct page *page;
	unsigned int n;

	if (!PAGE_ALIGNED(va) || jh_tramp_end - jh_tramp_start > PAGE_SIZE) {
		pr_err("jailhouse: the trampoline is not one aligned page of module text\n");
		return -EINVAL;
	}
	if (phys % LARGE_PAGE || PT_INDEX(phys, 2) != PT_INDEX(phys + size - 1, 2) ||
	    PT_INDEX(phys, 3) != PT_INDEX(phys + size - 1, 3) ||
	    PT_INDEX(phys, 3) == PT_INDEX(va, 3)) {
		pr_err("jailhouse: the hypervisor memory 0x%llx+0x%llx is not 2 MiB aligned inside "
		       "one 1 GiB block\n", phys, h->mem_size);
		return -EINVAL;
	}
	page = vmalloc_to_page(jh_tramp_start);
	if (!page)
		return -EFAULT;
	a->tramp_va = va;
	a->tramp_phys = page_to_phys(page);
	for (n = 0; n < HV_X86_BOOT_PT_PAGES; n++) {
		pt[n] = mem + a->boot_pt_offset + n * PAGE_SIZE;
		memset(pt[n], 0, PAGE_SIZE);
	}
	map_hv_memory(pt, pt_phys, phys, size);
	map_trampoline(pt, pt_phys, va, a->tramp_phys);
	boot_cr3 = pt_phys;
	entry_phys = phys + h->entry_offset;
	return 0;
}

long jh_arch_enter_cpu(int hv_cpu)
{
	return jh_tramp_enter(hv_cpu, boot_cr3, entry_phys);
}

long jh_arch_leave_cpu(void)
{
	return jh_tramp_disable();
}

/* The initial APIC id: the hw_id of the config's CPU table. */
u64 jh_arch_cpu_hw_id(void)
{
	return cpuid_ebx(1) >> 24;
}
