// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the configuration validator that the hypervisor and the module run on
 * every blob the root hands them (hv/core/config_check.c and the arm validator it calls,
 * hv/arch/arm-common/config_check_arm.c with the arm64 or (FUZZ_ARM32) the ARMv7 limits, or
 * with FUZZ_X86 hv/arch/x86/config_check_x86.c,
 * compiled here for the host under ASan/UBSan). The
 * first input byte picks the mode: bit 1 = seal the CRC first, so mutations reach the
 * structural checks behind the CRC instead of stopping there; bit 2 = a cell blob
 * (cfg_check_cell, what `jailhouse cell create` hands over) instead of a system blob, checked
 * against a system of 1 + bits 4-6 CPUs. A blob the validator accepts is walked completely, as
 * its consumers will.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_check.h"
#include "../../hv/core/config_check.c"
/*
 * FUZZ_X86 (tests/fuzz/run.sh with FUZZ_ARCH=x86): the x86 validator and limits instead;
 * FUZZ_ARM32 (FUZZ_ARCH=arm): the arm validator with the ARMv7 limits (GICv2 blobs)
 */
#ifdef FUZZ_X86
#include "../../hv/arch/x86/config_check_x86.c"
#include "../../hv/arch/x86/include/asm/cfg_limits.h"
#elif defined(FUZZ_ARM32)
#include "../../hv/arch/arm-common/config_check_arm.c"
#include "../../hv/arch/arm/include/asm/cfg_limits.h"
#else
#include "../../hv/arch/arm-common/config_check_arm.c"
#include "../../hv/arch/arm64/include/asm/cfg_limits.h"
#endif

#define MODE_SEAL_CRC	0x2
#define MODE_CELL	0x4
#define CRC_OFFSET	12

static const struct cfg_limits limits = ARCH_CFG_LIMITS(8);

static volatile uint64_t sink;

/* Touch everything an accepted blob promises, so a lie in its offsets shows up under ASan. */
static void walk_cell(const uint8_t *blob, const struct hvcfg_cell_desc *cell)
{
	const uint64_t *cpus = (const void *)(blob + cell->cpu_set_offset);
	const struct hvcfg_memory_region *mem = (const void *)(blob + cell->mem_regions_offset);
	const struct hvcfg_irqchip *chips = cfg_irqchips(blob, cell);
	const struct hvcfg_pio_region *pio = cfg_pio_regions(blob, cell);
	const struct hvcfg_pci_device *pci = cfg_pci_devices(blob, cell);
	const struct hvcfg_ivshmem_end *ends = cfg_ivshmem_ends(blob, cell);
	uint32_t n;

	for (n = 0; n < cell->num_cpu_words; n++)
		sink += cpus[n];
	for (n = 0; n < cell->num_mem_regions; n++)
		sink += mem[n].phys_start + mem[n].guest_start + mem[n].size + mem[n].flags;
	for (n = 0; n < cell->num_irqchips; n++)
		sink += chips[n].address + chips[n].id + chips[n].pin_base +
			chips[n].pin_bitmap[0] + chips[n].pin_bitmap[HVCFG_IRQCHIP_WORDS - 1];
	for (n = 0; n < cell->num_pio_regions; n++)
		sink += pio[n].base + pio[n].length;
	for (n = 0; n < cell->num_pci_devices; n++)
		sink += pci[n].domain + pci[n].bdf + pci[n].type + pci[n].bar[0] +
			pci[n].bar[HVCFG_PCI_NUM_BARS - 1];
	for (n = 0; n < cell->num_ivshmem_ends; n++)
		sink += ends[n].guest_start + ends[n].link + ends[n].irq + ends[n].bar0 +
			ends[n].bdf + ends[n].peer_id;
}

/* The link table of an accepted system, and every root end's link through it. */
static void walk_links(const struct hvcfg_system *sys)
{
	const struct hvcfg_ivshmem_end *ends = cfg_ivshmem_ends(sys, &sys->root_cell);
	uint32_t n;

	for (n = 0; n < sys->num_ivshmem_links; n++)
		sink += cfg_link_size(&cfg_links(sys)[n]) + cfg_links(sys)[n].phys_start +
			cfg_links(sys)[n].name[HVCFG_NAME_LEN - 1];
	for (n = 0; n < sys->root_cell.num_ivshmem_ends; n++)
		sink += cfg_links(sys)[ends[n].link].protocol;
}

static void check(uint8_t *blob, size_t len, unsigned int mode)
{
	struct cfg_status st;

	if ((mode & MODE_SEAL_CRC) && len >= CRC_OFFSET + 4) {
		uint32_t crc = cfg_crc32(blob, len, CRC_OFFSET);

		memcpy(blob + CRC_OFFSET, &crc, sizeof(crc));
	}
	if (mode & MODE_CELL) {
		if (cfg_check_cell(blob, len, &limits, 1 + ((mode >> 4) & 7), &st) == 0)
			walk_cell(blob, &((const struct hvcfg_cell *)blob)->cell);
	} else if (cfg_check_system(blob, len, &limits, &st) == 0) {
		const struct hvcfg_system *sys = (const void *)blob;
		uint32_t n;

		for (n = 0; n < sys->num_cpus; n++)
			sink += cfg_cpus(sys)[n].hw_id;
		walk_cell(blob, &sys->root_cell);
		walk_links(sys);
	}
	if (st.code >= CFG_NUM_RESULTS || !cfg_result_text(st.code))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *blob;

	if (size < 1)
		return 0;
	/* A heap copy of exactly the blob's length, as the module and hypervisor hold it. */
	blob = malloc(size - 1 ? size - 1 : 1);
	if (!blob)
		return 0;
	memcpy(blob, data + 1, size - 1);
	check(blob, size - 1, data[0]);
	free(blob);
	return 0;
}
