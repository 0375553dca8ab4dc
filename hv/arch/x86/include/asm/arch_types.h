/* SPDX-License-Identifier: GPL-2.0 */
/* x86 types the core embeds in its per-CPU and cell structures. */
#ifndef HV_X86_ARCH_TYPES_H
#define HV_X86_ARCH_TYPES_H

#include <stdint.h>
#include <stdbool.h>
#include <asm/cfg_limits.h>
#include <config_format.h>
#include <asm/apic.h>		/* the xAPIC and IOAPIC filters' state */
#include <asm/ioapic.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

/* Emulated MMIO regions per cell: the xAPIC page, each IOAPIC, the root's MMCONFIG window. */
#define ARCH_CELL_MAX_MMIO	(2 + HVCFG_X86_MAX_IOAPICS)

/* The smallest NPT block above a page: split blocks merge again when memory comes back. */
#define ARCH_STAGE2_BLOCK_SIZE	X86_LARGE_PAGE_SIZE

/* The hypervisor runs on a 1:1 map of its memory. */
#define ARCH_HV_VIRT_OFFSET	0UL

/*
 * The root reaches only the PCI functions its configuration lists (configgen lists every
 * function but the hypervisor's own, e.g. the IOMMU's).
 */
#define ARCH_PCI_ROOT_LISTED_ONLY	true

/* Interrupts cells own, by index (arch_irq_index()): IOAPIC n, pin p is n * 256 + p. */
#define ARCH_IRQS_PER_IOAPIC	256
#define ARCH_NUM_IRQS		(HVCFG_X86_MAX_IOAPICS * ARCH_IRQS_PER_IOAPIC)

/* A descriptor-table register as SGDT/SIDT store it. */
struct x86_dtr {
	u16 limit;
	u64 base;
} __attribute__((packed));

struct arch_cpu {
	/* the guest's general-purpose registers, architectural order (RAX, RSP live in the VMCB) */
	uint64_t regs[16];
	/* Linux as the driver entered us (entry.S): where to go back to, its descriptor tables */
	u64 linux_cr3, linux_rsp, linux_leave, linux_resume, linux_rflags;
	struct x86_dtr linux_gdtr;
	struct x86_dtr linux_idtr;
	u16 linux_cs, linux_ss, linux_ds, linux_es;
	void *vmcb;			/* this CPU's vCPU */
	void *hsave;			/* VM_HSAVE_PA page */
	volatile u32 nmi_count;	/* NMIs taken by the hypervisor's own handler */
	volatile u32 event;	/* a management event NMI is for us */
	volatile u32 flush;	/* flush the guest TLB before the next VMRUN */
	volatile u32 in_host;	/* not running guest code */
	bool svm_on;			/* EFER.SVME set by us */
	bool halt_wait;			/* guest halted with IF=1, exits on an interrupt */
	bool parking;			/* runs the parking guest */
	volatile u32 guest_nmi;		/* a guest NMI, injected at the next VMRUN */
	volatile u32 init_request;	/* an INIT of its cell: park, wait for a SIPI */
	struct xapic_vcpu xapic;	/* the guest's view of its local APIC */
	u32 pci_addr;			/* its PCI configuration address latch (0xcf8) */
};

struct arch_cell {
	u64 *npt;			/* 4-level nested page table root */
	uint8_t *iopm;			/* 12 KiB, a set bit intercepts the port */
	uint8_t *msrpm;			/* 8 KiB */
	struct ioapic_cell ioapic[HVCFG_X86_MAX_IOAPICS];	/* its IOREGSELs */
};

#endif
