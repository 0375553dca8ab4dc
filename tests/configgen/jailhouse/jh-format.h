/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of the Jailhouse configuration format that every revision (12, 13, 14) shares, as
 * packed structs written from the format description (../shared/research/jailhouse.md §2), for
 * the fixture generators jh-configs.c and jh-upstream.c: one definition for both.
 */
#ifndef JH_FORMAT_H
#define JH_FORMAT_H

#include <stdint.h>

#define PACKED __attribute__((packed))
#define N(a) (sizeof(a) / sizeof((a)[0]))

struct jh_console {
	uint64_t address;
	uint32_t size;
	uint16_t type, flags;
	uint32_t divider, gate_nr;
	uint64_t clock_reg;
} PACKED;

struct jh_memory {
	uint64_t phys_start, virt_start, size, flags;
} PACKED;

struct jh_irqchip {
	uint64_t address;
	uint32_t id, pin_base, pin_bitmap[4];
} PACKED;

struct jh_iommu {
	uint32_t type;
	uint64_t base;
	uint32_t size;
	uint8_t arch_specific[12];
} PACKED;

struct jh_pio {
	uint16_t base, length;
} PACKED;

/* a physical function, a bridge or an ivshmem device (then the shmem_* fields count) */
struct jh_pci_device {
	uint8_t type, iommu;
	uint16_t domain, bdf;
	uint32_t bar_mask[6];
	uint16_t caps_start, num_caps;
	uint8_t num_msi_vectors, msi_bits;
	uint16_t num_msix_vectors, msix_region_size;
	uint64_t msix_address;
	uint32_t shmem_regions_start;
	uint8_t shmem_dev_id, shmem_peers;
	uint16_t shmem_protocol;
} PACKED;

/* 5 signature bytes + the architecture byte: "JHCEL"+'L' spells revision 12/13's "JHCELL" */
struct jh_cell_desc {
	char signature[5];
	uint8_t architecture;
	uint16_t revision;
	char name[32];
	uint32_t id, flags, cpu_set_size, num_memory_regions, num_cache_regions, num_irqchips,
		 num_pio_regions, num_pci_devices, num_pci_caps, num_stream_ids, vpci_irq_base;
	uint64_t cpu_reset_address, msg_reply_timeout;
	struct jh_console console;
} PACKED;

#endif
