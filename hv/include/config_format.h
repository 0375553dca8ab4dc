/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Binary configuration format: the single definition of the ABI shared by the hypervisor,
 * the Linux driver and configgen (whose view of it, build/host/hvcfg_abi.py, the build
 * generates from this file: scripts/gen-abi.py). See docs/config-format.md for the prose.
 *
 * Rules: little-endian, fixed-width types, every field naturally aligned, padding spelled
 * out, no bitfields, no packing. Two kinds of blob exist, each starting with
 * struct hvcfg_header:
 *
 *   system blob: struct hvcfg_system, then the arrays its offsets point at (CPU table,
 *                ivshmem links, the root cell's CPU bitmap, memory regions, interrupt
 *                resources, port-I/O regions, PCI devices and ivshmem link ends)
 *   cell blob:   struct hvcfg_cell, then the cell's arrays of the same kinds
 *
 * Revision 4 adds inter-cell links (ivshmem): the system's link table (the shared memory of
 * each link) and each cell's link ends (the virtual PCI function it sees the link through).
 *
 * Revision 2 splits what every architecture shares (this file) from the platform section each
 * architecture owns (config_arch_<arch>.h, inside hvcfg_platform.arch); CPUs are named by an
 * opaque hardware id and interrupts by (controller, pin) resources.
 *
 * All *_offset fields are byte offsets from the first byte of the blob; every array is
 * 8-byte aligned and lies inside [0, total_size).
 *
 * crc32: IEEE 802.3 CRC-32 (reflected polynomial 0xedb88320, initial value 0xffffffff,
 * final XOR 0xffffffff; zlib's crc32()) over all total_size bytes of the blob, computed
 * with the crc32 field itself set to zero.
 *
 * system_digest (cell blob): SHA-256 over all total_size bytes of the system blob exactly
 * as stored (including its crc32). The hypervisor refuses a cell whose digest differs from
 * the digest of the system configuration it was enabled with.
 */
#ifndef HV_CONFIG_FORMAT_H
#define HV_CONFIG_FORMAT_H

#include "abi_types.h"

typedef hv_u8 hvcfg_u8;
typedef hv_u16 hvcfg_u16;
typedef hv_u32 hvcfg_u32;
typedef hv_u64 hvcfg_u64;

/* Signatures: the first four bytes of a blob read "HVSY" / "HVCL". */
#define HVCFG_SIGNATURE_SYSTEM		0x59535648u	/* "HVSY" */
#define HVCFG_SIGNATURE_CELL		0x4c435648u	/* "HVCL" */
#define HVCFG_REVISION			4	/* hvcfg_header.revision */

/* hvcfg_header.arch: which platform section (hvcfg_platform.arch) and hardware ids apply */
#define HVCFG_ARCH_ARM64		1	/* platform: hvcfg_arm_platform */
#define HVCFG_ARCH_X86_64		2	/* platform: hvcfg_x86_platform */
#define HVCFG_ARCH_ARM32		3	/* platform: hvcfg_arm_platform */

/* Format limits (configgen also enforces the smaller Kconfig limits). */
#define HVCFG_NAME_LEN			32	/* including the terminating NUL */
#define HVCFG_MAX_CPUS			256	/* CPU table entries */
#define HVCFG_MAX_MEM_REGIONS		4096	/* per cell */
#define HVCFG_MAX_IRQCHIPS		64	/* interrupt resource entries per cell */
#define HVCFG_IRQCHIP_PINS		128	/* pins one entry covers */
#define HVCFG_IRQCHIP_WORDS		(HVCFG_IRQCHIP_PINS / 64)	/* u64 words of a pin bitmap */
#define HVCFG_MAX_PIO_REGIONS		64	/* per cell */
#define HVCFG_PIO_PORTS			65536	/* port-I/O space */
#define HVCFG_MAX_PCI_DEVICES		256	/* per cell */
#define HVCFG_PCI_NUM_BARS		6	/* base address registers of a type-0 function */
#define HVCFG_MAX_IVSHMEM_LINKS		64	/* inter-cell links per system */
#define HVCFG_MAX_IVSHMEM_ENDS		16	/* link ends per cell */
#define HVCFG_IVSHMEM_MAX_PEERS		16	/* ends per link */
#define HVCFG_ARCH_PLATFORM_SIZE	256	/* bytes of hvcfg_platform.arch */

/* hvcfg_system.flags */
#define HVCFG_SYS_VIRTUAL_DEBUG_CONSOLE	(1u << 0)	/* root may read the hypervisor console */

/* hvcfg_cell_desc.flags */
#define HVCFG_CELL_PASSIVE_COMMREG	(1u << 0)	/* never asked; consent implied */
#define HVCFG_CELL_MAY_LOCK		(1u << 1)	/* may veto shutdown / lock the system */
#define HVCFG_CELL_VCONSOLE_PERMITTED	(1u << 2)	/* may use the console hypercall */
#define HVCFG_CELL_VCONSOLE_ACTIVE	(1u << 3)	/* should use it (implies permitted) */
#define HVCFG_CELL_IRQ_DIRECT		(1u << 4)	/* arm: its interrupts reach its CPUs without exits */
#define HVCFG_CELL_DMA_TRUSTED		(1u << 5)	/* its PCI functions may bus-master (DMA) */

/*
 * The longest the hypervisor waits for a cell's reply to a message (msg_reply_timeout, in
 * microseconds): 0, or more than this, means this. A root CPU waits in EL2 with management
 * locked meanwhile, so the wait is bounded whatever a config says.
 */
#define HVCFG_MSG_REPLY_LIMIT_US	1000000	/* see above */

/* hvcfg_memory_region.flags */
#define HVCFG_MEM_READ			(1ull << 0)	/* the cell may read it */
#define HVCFG_MEM_WRITE			(1ull << 1)	/* ... write it */
#define HVCFG_MEM_EXECUTE		(1ull << 2)	/* ... execute from it */
#define HVCFG_MEM_IO			(1ull << 3)	/* device memory attributes */
#define HVCFG_MEM_COMM_REGION		(1ull << 4)	/* hypervisor comm page; phys_start 0 */
#define HVCFG_MEM_LOADABLE		(1ull << 5)	/* root may write it before start */
#define HVCFG_MEM_SHARED		(1ull << 6)	/* deliberately shared with another cell */
#define HVCFG_MEM_ROOTSHARED		(1ull << 7)	/* stays mapped in the root cell */
#define HVCFG_MEM_PRESERVED		(1ull << 8)	/* not scrubbed on cell create/destroy */
#define HVCFG_MEM_CELL_POOL		(1ull << 9)	/* root only: RAM cells are carved from */

/*
 * hvcfg_console.type: the device, named, so a consumer drives only what it knows. Which types
 * an architecture's hypervisor drives is part of its limits (cfg_limits.h).
 */
#define HVCFG_CONSOLE_NONE		0	/* no console */
#define HVCFG_CONSOLE_PL011		1	/* ARM PL011, MMIO */
#define HVCFG_CONSOLE_8250		2	/* 16550-compatible, MMIO, 32-bit register stride */
#define HVCFG_CONSOLE_8250_PIO		3	/* 16550-compatible at an I/O port (base) */

/* hvcfg_pci_device.type */
#define HVCFG_PCI_DEVICE		1	/* an endpoint function */
#define HVCFG_PCI_BRIDGE		2	/* a bridge (its bus goes with it) */
#define HVCFG_PCI_NO_IOMMU		0xff	/* hvcfg_pci_device.iommu: behind none */

struct hvcfg_header {
	hvcfg_u32 signature;		/* HVCFG_SIGNATURE_SYSTEM or HVCFG_SIGNATURE_CELL */
	hvcfg_u16 revision;		/* HVCFG_REVISION */
	hvcfg_u16 arch;			/* HVCFG_ARCH_* */
	hvcfg_u32 total_size;		/* bytes, header included */
	hvcfg_u32 crc32;		/* see above */
};

struct hvcfg_memory_region {
	hvcfg_u64 phys_start;		/* host-physical start; 0 for the comm region */
	hvcfg_u64 guest_start;		/* where the cell sees it */
	hvcfg_u64 size;			/* bytes, page multiple */
	hvcfg_u64 flags;		/* HVCFG_MEM_* */
};

/*
 * Interrupt resources: the pins of one interrupt controller a cell owns, HVCFG_IRQCHIP_PINS per
 * entry. The controller is named by its MMIO base (and id); what a pin is belongs to the arch:
 * arm: the GIC distributor's base, pins are INTIDs (SPIs only); x86: an IOAPIC, pins are its
 * input pins. Entries of one controller cover disjoint pin ranges.
 */
struct hvcfg_irqchip {
	hvcfg_u64 address;		/* the controller's MMIO base */
	hvcfg_u32 id;			/* arch-defined: x86 IOAPIC id; 0 on arm */
	hvcfg_u32 pin_base;		/* the pin of bit 0, a multiple of 32 */
	hvcfg_u64 pin_bitmap[HVCFG_IRQCHIP_WORDS];	/* bit n: pin pin_base + n */
};

/* Port-I/O ports [base, base + length) a cell may access directly (x86). */
struct hvcfg_pio_region {
	hvcfg_u32 base;			/* first port */
	hvcfg_u32 length;		/* ports */
};

/*
 * A PCI function a cell owns. bar[]: what each base address register holds while a non-root
 * cell owns the function, as in configuration space (PCI address and type bits; a 64-bit
 * memory BAR's upper half in the next entry; 0: the BAR is unused and reads 0). The hypervisor
 * programs them at create and the cell cannot move them. Root cell entries: all 0 (the root's
 * OS assigns its own BARs).
 */
struct hvcfg_pci_device {
	hvcfg_u16 domain;		/* PCI segment */
	hvcfg_u16 bdf;			/* bus << 8 | device << 3 | function */
	hvcfg_u8 type;			/* HVCFG_PCI_* */
	hvcfg_u8 iommu;			/* index of its IOMMU unit, or HVCFG_PCI_NO_IOMMU */
	hvcfg_u16 padding0;		/* 0 */
	hvcfg_u32 bar[HVCFG_PCI_NUM_BARS];	/* fixed BAR values, see above */
};

/*
 * An inter-cell link (ivshmem v2, see hv/include/ivshmem.h): one block of shared memory at
 * phys_start holding, in this order, the state table (read-only for every peer: the hypervisor
 * writes each peer's state into its 32-bit entry), the read/write section (writable for every
 * peer, may be empty) and num_peers output sections of out_size bytes each (output section n
 * is writable for peer n only, read-only for the others; may be empty). The memory belongs to
 * the link, not to a cell: no cell's memory region may overlap it, the hypervisor maps it into
 * each end's cell with the permissions above. Sizes are page multiples.
 */
struct hvcfg_ivshmem_link {
	char name[HVCFG_NAME_LEN];	/* NUL-terminated, NUL-padded, unique in the system */
	hvcfg_u64 phys_start;		/* the state table's host-physical address */
	hvcfg_u64 rw_size;		/* bytes of the read/write section, may be 0 */
	hvcfg_u64 out_size;		/* bytes of each output section, may be 0 */
	hvcfg_u32 state_size;		/* bytes of the state table, >= 4 * num_peers, not 0 */
	hvcfg_u16 protocol;		/* IVSHMEM_PROTO_*: the function's class code, low 16 bits */
	hvcfg_u8 num_peers;		/* 2 .. HVCFG_IVSHMEM_MAX_PEERS */
	hvcfg_u8 padding0;		/* 0 */
};

/*
 * A cell's end of a link: a virtual ivshmem v2 PCI function (vendor 110a, device 4106) on bus
 * 0 of the cell's PCI host, domain 0. Its BAR0 is the 4 KiB register page; the link's memory
 * appears at guest_start (reported in the function's vendor capability); its interrupt is a
 * virtual INTx (pin A) raised on irq, which must be one of the cell's own interrupt pins.
 */
struct hvcfg_ivshmem_end {
	hvcfg_u64 guest_start;		/* where the cell sees the link's memory, page aligned */
	hvcfg_u32 link;			/* index into the system's link table */
	hvcfg_u32 irq;			/* arm: GIC INTID (an SPI) the end's INTx is raised on */
	hvcfg_u32 bar0;			/* BAR0 at reset (guest address), 0: the cell assigns it */
	hvcfg_u16 bdf;			/* bus << 8 | device << 3 | function; bus 0 */
	hvcfg_u8 peer_id;		/* this end's id on the link, < num_peers */
	hvcfg_u8 padding0;		/* 0 */
};

struct hvcfg_console {
	hvcfg_u64 base;			/* MMIO base or first I/O port, 0 for none */
	hvcfg_u64 size;			/* bytes or ports */
	hvcfg_u32 type;			/* HVCFG_CONSOLE_* */
	hvcfg_u32 flags;		/* reserved, 0 */
};

/* A CPU by its hardware id, opaque to the generic format (arm: MPIDR affinity; x86: APIC id). */
struct hvcfg_cpu {
	hvcfg_u64 hw_id;		/* arm: MPIDR affinity; x86: local APIC id */
};

/* Same layout for the root cell (inside the system blob) and for a non-root cell. */
struct hvcfg_cell_desc {
	char name[HVCFG_NAME_LEN];	/* NUL-terminated, NUL-padded */
	hvcfg_u32 flags;		/* HVCFG_CELL_* */
	hvcfg_u32 num_cpu_words;	/* u64 words of the CPU bitmap */
	hvcfg_u32 num_mem_regions;	/* <= HVCFG_MAX_MEM_REGIONS */
	hvcfg_u32 num_irqchips;		/* <= HVCFG_MAX_IRQCHIPS */
	hvcfg_u32 num_pio_regions;	/* <= HVCFG_MAX_PIO_REGIONS */
	hvcfg_u32 num_pci_devices;	/* <= HVCFG_MAX_PCI_DEVICES */
	hvcfg_u32 cpu_set_offset;	/* -> hvcfg_u64[num_cpu_words]; bit n = CPU table index n */
	hvcfg_u32 mem_regions_offset;	/* -> struct hvcfg_memory_region[num_mem_regions] */
	hvcfg_u32 irqchips_offset;	/* -> struct hvcfg_irqchip[num_irqchips] */
	hvcfg_u32 pio_regions_offset;	/* -> struct hvcfg_pio_region[num_pio_regions] */
	hvcfg_u32 pci_devices_offset;	/* -> struct hvcfg_pci_device[num_pci_devices] */
	hvcfg_u32 num_ivshmem_ends;	/* <= HVCFG_MAX_IVSHMEM_ENDS */
	hvcfg_u32 ivshmem_ends_offset;	/* -> struct hvcfg_ivshmem_end[num_ivshmem_ends] */
	hvcfg_u32 padding0;		/* 0 */
	hvcfg_u64 cpu_reset_address;	/* guest PC of the first CPU */
	hvcfg_u64 msg_reply_timeout;	/* us; 0 or > HVCFG_MSG_REPLY_LIMIT_US: the limit */
	struct hvcfg_console console;	/* console the cell's software should use */
};

/*
 * The platform: a generic part, then a section the architecture owns (its interrupt
 * controllers, IOMMUs, timers), opaque to generic code: struct hvcfg_<arch>_platform
 * (config_arch_*.h) at its start, the rest zero.
 */
struct hvcfg_platform {
	hvcfg_u64 pci_mmconfig_base;	/* PCI ECAM / MMCONFIG window, 0 if none */
	hvcfg_u64 pci_mmconfig_size;
	hvcfg_u8 arch[HVCFG_ARCH_PLATFORM_SIZE];	/* the arch's section, rest 0 */
};

struct hvcfg_system {
	struct hvcfg_header header;	/* signature HVCFG_SIGNATURE_SYSTEM */
	hvcfg_u32 flags;		/* HVCFG_SYS_* */
	hvcfg_u32 num_cpus;
	hvcfg_u32 cpu_table_offset;	/* -> struct hvcfg_cpu[num_cpus] */
	hvcfg_u32 num_ivshmem_links;	/* <= HVCFG_MAX_IVSHMEM_LINKS */
	hvcfg_u32 ivshmem_links_offset;	/* -> struct hvcfg_ivshmem_link[num_ivshmem_links] */
	hvcfg_u32 padding0;		/* 0 */
	hvcfg_u64 hypervisor_mem_base;	/* the hypervisor's reserved RAM */
	hvcfg_u64 hypervisor_mem_size;
	struct hvcfg_console debug_console;	/* the hypervisor's own UART */
	struct hvcfg_platform platform;
	struct hvcfg_cell_desc root_cell;	/* Linux, the root cell */
};

struct hvcfg_cell {
	struct hvcfg_header header;	/* signature HVCFG_SIGNATURE_CELL */
	hvcfg_u8 system_digest[32];	/* SHA-256 of the system blob */
	struct hvcfg_cell_desc cell;	/* the cell */
};

_Static_assert(sizeof(struct hvcfg_header) == 16, "hvcfg_header size");
_Static_assert(sizeof(struct hvcfg_memory_region) == 32, "hvcfg_memory_region size");
_Static_assert(sizeof(struct hvcfg_irqchip) == 32, "hvcfg_irqchip size");
_Static_assert(sizeof(struct hvcfg_pio_region) == 8, "hvcfg_pio_region size");
_Static_assert(sizeof(struct hvcfg_pci_device) == 32, "hvcfg_pci_device size");
_Static_assert(sizeof(struct hvcfg_console) == 24, "hvcfg_console size");
_Static_assert(sizeof(struct hvcfg_cpu) == 8, "hvcfg_cpu size");
_Static_assert(sizeof(struct hvcfg_ivshmem_link) == 64, "hvcfg_ivshmem_link size");
_Static_assert(sizeof(struct hvcfg_ivshmem_end) == 24, "hvcfg_ivshmem_end size");
_Static_assert(sizeof(struct hvcfg_cell_desc) == 128, "hvcfg_cell_desc size");
_Static_assert(sizeof(struct hvcfg_platform) == 272, "hvcfg_platform size");
_Static_assert(sizeof(struct hvcfg_system) == 480, "hvcfg_system size");
_Static_assert(sizeof(struct hvcfg_cell) == 176, "hvcfg_cell size");

/* The architectures' platform sections. */
#include "config_arch_arm.h"
#include "config_arch_x86.h"

#endif /* HV_CONFIG_FORMAT_H */
