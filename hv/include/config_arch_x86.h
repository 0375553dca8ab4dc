/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The platform section of x86-64 blobs (hvcfg_platform.arch): IOAPICs, IOMMU units, the PM
 * timer and the APIC mode. Only x86 code and configgen's x86 profile read it. No hypervisor
 * accepts x86 blobs yet (issue #15); the layout is fixed here so the generic format and the
 * tools need no change when it does.
 *
 * CPU hardware ids (hvcfg_cpu.hw_id) are local APIC ids; interrupt resources (hvcfg_irqchip)
 * name an IOAPIC by its MMIO base and id, pins are its input pins.
 */
#ifndef HV_CONFIG_ARCH_X86_H
#define HV_CONFIG_ARCH_X86_H

#define HVCFG_X86_MAX_IOAPICS		4	/* hvcfg_x86_platform.ioapics */
#define HVCFG_X86_MAX_IOMMUS		4	/* hvcfg_x86_platform.iommus */

/* hvcfg_x86_platform.apic_mode */
#define HVCFG_X86_XAPIC			1	/* MMIO local APIC */
#define HVCFG_X86_X2APIC		2	/* MSR local APIC */

/* hvcfg_x86_iommu.type */
#define HVCFG_X86_IOMMU_AMD		1	/* AMD-Vi */
#define HVCFG_X86_IOMMU_INTEL		2	/* VT-d */

struct hvcfg_x86_ioapic {
	hvcfg_u64 address;		/* MMIO base */
	hvcfg_u32 id;			/* IOAPIC id */
	hvcfg_u32 gsi_base;		/* GSI of pin 0 */
	hvcfg_u16 source_id;		/* bus/device/function the IOMMU sees its messages from */
	hvcfg_u8 pins;			/* redirection entries */
	hvcfg_u8 padding0[5];
};

struct hvcfg_x86_iommu {
	hvcfg_u64 base;			/* MMIO base of the unit's registers */
	hvcfg_u32 size;
	hvcfg_u16 bdf;			/* AMD: the IOMMU's own PCI function */
	hvcfg_u8 type;			/* HVCFG_X86_IOMMU_* */
	hvcfg_u8 cap_offset;		/* AMD: capability offset in its config space */
};

struct hvcfg_x86_platform {
	hvcfg_u16 pm_timer_port;	/* ACPI PM timer, 0 if none */
	hvcfg_u8 apic_mode;		/* HVCFG_X86_XAPIC or HVCFG_X86_X2APIC */
	hvcfg_u8 num_ioapics;
	hvcfg_u8 num_iommus;
	hvcfg_u8 padding0[3];
	hvcfg_u32 tsc_khz;		/* 0: calibrate */
	hvcfg_u32 apic_khz;		/* 0: calibrate */
	struct hvcfg_x86_ioapic ioapics[HVCFG_X86_MAX_IOAPICS];
	struct hvcfg_x86_iommu iommus[HVCFG_X86_MAX_IOMMUS];
};

_Static_assert(sizeof(struct hvcfg_x86_ioapic) == 24, "hvcfg_x86_ioapic size");
_Static_assert(sizeof(struct hvcfg_x86_iommu) == 16, "hvcfg_x86_iommu size");
_Static_assert(sizeof(struct hvcfg_x86_platform) == 176, "hvcfg_x86_platform size");
_Static_assert(sizeof(struct hvcfg_x86_platform) <= HVCFG_ARCH_PLATFORM_SIZE,
	       "hvcfg_x86_platform fits the platform section");

#endif
