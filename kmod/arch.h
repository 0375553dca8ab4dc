/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The architecture's part of jailhouse.ko (kmod/arch/<arch>/): probing the CPUs' virtualization
 * support, checking and preparing the hypervisor image, entering and leaving it on each CPU,
 * hypercalls and CPU hardware ids. Everything else (cells, CPU offlining, sysfs, ioctls) is
 * generic and calls only these.
 */
#ifndef JH_KMOD_ARCH_H
#define JH_KMOD_ARCH_H

#include <linux/types.h>

#ifdef CONFIG_X86
#include "../hv/arch/x86/include/asm/cfg_limits.h"
#include "../hv/arch/x86/include/asm/exit_reasons.h"
/* what the probe is about, in messages and as the sysfs attribute's name */
#define JH_ARCH_VIRT		"SVM"
#define JH_ARCH_VIRT_ATTR	"svm"
#define JH_ARCH_HW_ID		"APIC id"
#define JH_ARCH_IMAGE_ARCH	HVCFG_ARCH_X86_64
#define JH_ARCH_RESERVE_HINT	"reserve it on the kernel command line (memmap=SIZE$ADDRESS, " \
				"as configgen's root.cmdline says)"
#define JH_ARCH_CELL_RAM_HINT	JH_ARCH_RESERVE_HINT
/* the refusals (refusal.h) whose remedy is the architecture's */
#define JH_ARCH_R_NO_VIRT	HV_R_NO_VIRT_EXT
#define JH_ARCH_R_HV_MEM_LINUX	HV_R_HV_MEM_LINUX_CMDLINE
#define JH_ARCH_R_LINUX_RAM	HV_R_LINUX_RAM_CMDLINE
/* a cell's interrupts reach its CPUs without the hypervisor: no mode to choose (no IRQ_DIRECT) */
#define JH_ARCH_IRQ_DELIVERY(flags)	"direct"
#elif defined(CONFIG_ARM)
#include "../hv/arch/arm/include/asm/cfg_limits.h"
#include "../hv/arch/arm/include/asm/exit_reasons.h"
#define JH_ARCH_VIRT		"HYP mode"
#define JH_ARCH_VIRT_ATTR	"hyp"
#define JH_ARCH_HW_ID		"MPIDR"
#define JH_ARCH_IMAGE_ARCH	HVCFG_ARCH_ARM32
#define JH_ARCH_RESERVE_HINT	"reserve it in the device tree (reserved-memory, no-map), " \
				"e.g. boot with the root DTB configgen made, or boot with a mem= " \
				"limit below it"
#define JH_ARCH_CELL_RAM_HINT	"reserve it in the root DTB (reserved-memory, no-map), " \
				"e.g. boot with the root DTB configgen made, or boot with a mem= " \
				"limit below it"
#define JH_ARCH_R_NO_VIRT	HV_R_NO_VIRT_BOOT
#define JH_ARCH_R_HV_MEM_LINUX	HV_R_HV_MEM_LINUX
#define JH_ARCH_R_LINUX_RAM	HV_R_LINUX_RAM
#define JH_ARCH_IRQ_DELIVERY(flags)	((flags) & HVCFG_CELL_IRQ_DIRECT ? "direct" : "trap")
#else
#include "../hv/arch/arm64/include/asm/cfg_limits.h"
#include "../hv/arch/arm64/include/asm/exit_reasons.h"
#define JH_ARCH_VIRT		"EL2"
#define JH_ARCH_VIRT_ATTR	"el2"
#define JH_ARCH_HW_ID		"MPIDR"
#define JH_ARCH_IMAGE_ARCH	HVCFG_ARCH_ARM64
#define JH_ARCH_RESERVE_HINT	"reserve it in the device tree (reserved-memory, no-map), " \
				"e.g. boot with the root DTB configgen made, or boot with a mem= " \
				"limit below it"
#define JH_ARCH_CELL_RAM_HINT	"reserve it in the root DTB (reserved-memory, no-map), " \
				"e.g. boot with the root DTB configgen made, or boot with a mem= " \
				"limit below it"
#define JH_ARCH_R_NO_VIRT	HV_R_NO_VIRT_MODE
#define JH_ARCH_R_HV_MEM_LINUX	HV_R_HV_MEM_LINUX
#define JH_ARCH_R_LINUX_RAM	HV_R_LINUX_RAM
/* interrupt-delivery of the cell's configuration: straight to EL1, or through the hypervisor */
#define JH_ARCH_IRQ_DELIVERY(flags)	((flags) & HVCFG_CELL_IRQ_DIRECT ? "direct" : "trap")
#endif

struct hv_header;

/*
 * Can every online CPU run the hypervisor? *text says why not (and the first failing CPU is in
 * *cpu), or what was found when they can.
 */
bool jh_arch_probe(unsigned int *cpu, const char **text);

/* The arch's fields of an image's header are sane (the generic ones are checked already). */
bool jh_arch_image_ok(const struct hv_header *h);

/*
 * The image, its zeroed data and the config are in the hypervisor memory at mem (physical
 * phys): do what the arch needs before the CPUs enter (boot page tables, cache maintenance,
 * driver-filled header fields).
 */
int jh_arch_prepare(void *mem, struct hv_header *h, u64 phys);

/*
 * RAM by the firmware's account (arm64: the EFI memory map, or the device tree's /memory nodes
 * without UEFI; x86: the BIOS e820 table), whatever the kernel command line kept from Linux
 * (mem=, memmap=): the end of the RAM that starts at start, clipped to start + size. Less than
 * start + size: a hole or a device window follows.
 */
u64 jh_arch_firmware_ram_end(u64 start, u64 size);
/* Where jh_arch_firmware_ram_end() looks, for messages ("the EFI memory map"...). */
const char *jh_arch_firmware_ram_map(void);

/* On each CPU with interrupts off: enter as hypervisor CPU hv_cpu; the hypervisor's answer. */
long jh_arch_enter_cpu(int hv_cpu);

/* On each CPU with interrupts off: ask the hypervisor to leave; its answer. */
long jh_arch_leave_cpu(void);

/* The current CPU's id as the system configuration's CPU table names it (hw_id). */
u64 jh_arch_cpu_hw_id(void);

/* Make what the CPU wrote into memory another agent runs with caches or MMU off see it. */
void jh_arch_flush_image(void *addr, size_t len);

long jh_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2);

#endif
