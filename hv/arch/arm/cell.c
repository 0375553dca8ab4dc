// SPDX-License-Identifier: GPL-2.0
/*
 * ARMv7 part of the cells: TLB maintenance of stage 2, the Hyp window through which the core
 * reaches RAM outside the hypervisor, cache cleaning, time, and the PCI interface (no PCI
 * functions are assigned on ARMv7: asm/cfg_limits.h).
 */
#include <asm/arm_arch.h>
#include <asm/stage2.h>

/* the last 2 MiB of the 32-bit Hyp address space; the config validator keeps blobs out */
#define TEMP_VA		ARM_HV_WINDOW_VA

int temp_window_init(u64 *hv_pt)
{
	/* a page mapped there builds the tables; its level-3 entry is the window's first */
	int err = lpae_map(&hv_geometry, hv_pt, TEMP_VA, 0, PAGE_SIZE, 0);
	u64 *l3;

	if (err)
		return err;
	l3 = lpae_walk(&hv_geometry, hv_pt, TEMP_VA, LPAE_LAST_LEVEL);
	if (!l3)
		return -ENOMEM;
	l3[0] = 0;
	dsb(ishst);
	hv_stage1_set_window(l3);
	return 0;
}

void arch_clean_dcache(void *addr, unsigned long size)
{
	unsigned long line = 4UL << ((arm_read(CTR) >> 16) & 0xf);
	uintptr_t p = (uintptr_t)addr & ~(line - 1), end = (uintptr_t)addr + size;

	for (; p < end; p += line)
		arm_write(DCCIMVAC, p);
	dsb(sy);
}

void arch_zero_pages(void *addr, unsigned long size)
{
	memset(addr, 0, size);
}

void arch_flush_cell_tlb(struct cell *cell)
{
	arm_tlb_flush_guests();
}

void arch_cell_free(struct cell *cell)
{
	gic_cell_exit(cell);
	arm_cell_s2_free(cell);
}

u64 arch_time_us(void)
{
	u64 freq = arm_read(CNTFRQ), ticks;

	isb();
	ticks = arm_read64(CNTPCT);
	/* in two parts: ticks * 10^6 would overflow after 3 days at 62.5 MHz */
	return ticks / freq * 1000000 + ticks % freq * 1000000 / freq;
}

void arch_udelay(unsigned long us)
{
	u64 freq = arm_read(CNTFRQ), start = arm_read64(CNTPCT);
	u64 ticks = freq / 1000000 * us + 1;

	while (arm_read64(CNTPCT) - start < ticks)
		cpu_relax();
}

u32 arch_pci_read(u16 bdf, unsigned int reg, unsigned int size)
{
	return ~0U;
}

void arch_pci_write(u16 bdf, unsigned int reg, unsigned int size, u32 value)
{
}

bool arch_pci_io_in_cell(const struct hvcfg_cell_desc *desc, const void *blob, u64 port,
			 u64 size)
{
	return false;
}

/* libgcc's 64-bit division (arch_time_us) calls these on a division by zero: no signals here */
int __aeabi_idiv0(int r);
long long __aeabi_ldiv0(long long r);

int __aeabi_idiv0(int r)
{
	return 0;
}

long long __aeabi_ldiv0(long long r)
{
	return 0;
}
