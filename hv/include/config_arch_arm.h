/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The platform section of arm64 and ARMv7 blobs (hvcfg_platform.arch): the GIC. Only arm code
 * and configgen's arm profile read it; the generic format treats it as bytes. Part of the
 * format: included by config_format.h, mirrored into configgen by scripts/gen-abi.py.
 *
 * CPU hardware ids (hvcfg_cpu.hw_id) are MPIDR affinity values (Aff3 << 32 | Aff2..Aff0; ARMv7
 * blobs: Aff2..Aff0 only); arm64 blobs describe a GICv3, ARMv7 (HVCFG_ARCH_ARM32) a GICv2;
 * interrupt resources (hvcfg_irqchip) name the distributor by gicd_base, pins are INTIDs and
 * only SPIs (HVCFG_GIC_FIRST_SPI..HVCFG_GIC_MAX_SPI, below gic_lines) may be owned.
 */
#ifndef HV_CONFIG_ARCH_ARM_H
#define HV_CONFIG_ARCH_ARM_H

/* hvcfg_arm_platform.gic_version */
#define HVCFG_GIC_V2			2	/* GICC/GICH/GICV interfaces (ARMv7 hypervisor) */
#define HVCFG_GIC_V3			3	/* GICR redistributors, system-register interface */

#define HVCFG_GIC_NUM_INTIDS		1024	/* SGIs, PPIs and SPIs */
#define HVCFG_GIC_FIRST_SPI		32	/* below: per-CPU SGIs and PPIs, never owned */
#define HVCFG_GIC_MAX_SPI		1019	/* 1020-1023 are special INTIDs */
#define HVCFG_ARM_MPIDR_MASK		0xff00ffffffull	/* Aff3, Aff2, Aff1, Aff0 */
#define HVCFG_ARM32_MPIDR_MASK		0xffffffull	/* ARMv7: Aff2, Aff1, Aff0 */

struct hvcfg_arm_platform {
	hvcfg_u64 gicd_base;		/* distributor */
	hvcfg_u64 gicd_size;		/* bytes */
	hvcfg_u64 gicr_base;		/* GICv3: redistributors, the whole range */
	hvcfg_u64 gicr_size;
	hvcfg_u64 its_base;		/* GICv3: 0 if none */
	hvcfg_u64 its_size;
	hvcfg_u64 gicc_base;		/* GICv2: CPU interface; 0 on GICv3 */
	hvcfg_u64 gicc_size;
	hvcfg_u64 gich_base;		/* GICv2: virtual interface control; 0 on GICv3 */
	hvcfg_u64 gich_size;
	hvcfg_u64 gicv_base;		/* GICv2: virtual CPU interface; 0 on GICv3 */
	hvcfg_u64 gicv_size;
	hvcfg_u32 gicr_stride;		/* GICv3: bytes per CPU redistributor frame */
	hvcfg_u32 gic_lines;		/* INTIDs implemented (SGI+PPI+SPI), multiple of 32 */
	hvcfg_u32 maintenance_irq;	/* INTID (a PPI) */
	hvcfg_u8 gic_version;		/* HVCFG_GIC_V* */
	hvcfg_u8 padding0[3];		/* 0 */
	hvcfg_u64 pci_io_base;		/* CPU address of PCI I/O port 0 (memory BARs: identity) */
	hvcfg_u64 pci_io_size;		/* bytes of the PCI I/O window; 0: none */
};

_Static_assert(sizeof(struct hvcfg_arm_platform) == 128, "hvcfg_arm_platform size");
_Static_assert(sizeof(struct hvcfg_arm_platform) <= HVCFG_ARCH_PLATFORM_SIZE,
	       "hvcfg_arm_platform fits the platform section");

#endif
