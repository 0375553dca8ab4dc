/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Why a management request was refused: one code per reason, with its errno and its text,
 * for the hypervisor, the driver and the CLI alike. Codes below CFG_NUM_RESULTS are the
 * config validator's results (config_check.h); the management refusals follow. The
 * hypervisor returns a refusal as -(errno | reason << HV_REFUSAL_SHIFT); the driver keeps the
 * reason of an fd's last request (JAILHOUSE_LAST_REFUSAL) and returns the errno, and the
 * CLI prints the reason's text: what the hypervisor or driver decided, never a guess from
 * the errno. A reason whose remedy depends on the architecture has one code per architecture
 * (the driver picks it, kmod/arch.h), so every code means the same words on every build. New
 * codes are appended: a code's number never changes.
 */
#ifndef HV_REFUSAL_H
#define HV_REFUSAL_H

#include "config_check.h"

#define HV_REFUSAL_SHIFT	16
#define HV_REFUSAL_FIRST	64	/* above every enum cfg_result */

/* X(name, errno, text) */
#define HV_REFUSALS(X)									\
	X(HV_R_NOT_ENABLED, ENODEV, "the hypervisor is not enabled")			\
	X(HV_R_NOT_ROOT, EPERM, "only the root cell manages cells")			\
	X(HV_R_CELLS_EXIST, EBUSY, "cells exist: destroy them before disabling")	\
	X(HV_R_ALREADY_ENABLED, EBUSY, "the hypervisor is already enabled")		\
	X(HV_R_NO_VIRT_MODE, ENODEV, "EL2 is not available: KVM owns it, the kernel runs in VHE "	\
	  "mode, or the CPU has no EL2 (see dmesg; boot with kvm-arm.mode=none)")	\
	X(HV_R_HV_MEM_LINUX, EADDRNOTAVAIL, "the hypervisor memory named in the "		\
	  "configuration is used by Linux: reserve it in the device tree (reserved-memory, "	\
	  "no-map), e.g. boot with the root DTB configgen made, or boot with a mem= limit "	\
	  "below it")									\
	X(HV_R_HV_MEM_SMALL, ENOMEM, "the hypervisor memory is too small for the "		\
	  "hypervisor and its configuration")						\
	X(HV_R_NO_FIRMWARE, ENOENT, "the hypervisor image /lib/firmware/jailhouse.bin is "	\
	  "missing")									\
	X(HV_R_FIRMWARE_MISMATCH, ELIBBAD, "/lib/firmware/jailhouse.bin does not match "	\
	  "this driver: install both from the same build")				\
	X(HV_R_BUILD_CPUS, E2BIG, "the configuration has more CPUs than the hypervisor was "	\
	  "built for (CONFIG_MAX_CPUS)")						\
	X(HV_R_CPU_UNKNOWN, ENXIO, "a CPU of Linux is not in the system configuration")	\
	X(HV_R_CPUS_OFFLINE, EAGAIN, "some CPUs are offline: bring all CPUs online first")	\
	X(HV_R_NO_CELL, ENOENT, "no such cell")						\
	X(HV_R_ROOT_CELL, EINVAL, "the root cell (id 0) is not managed this way")	\
	X(HV_R_LOCKED, EPERM, "refused: a cell is RUNNING_LOCKED")			\
	X(HV_R_SHUTDOWN_DENIED, EPERM, "the cell denied the shutdown request")		\
	X(HV_R_BLOB_PLACE, EFAULT, "the configuration is not in the root cell's RAM")	\
	X(HV_R_BLOB_SIZE, EFBIG, "the configuration is too large")			\
	X(HV_R_NO_MEMORY, ENOMEM, "the hypervisor is out of memory")			\
	X(HV_R_NAME_TAKEN, EEXIST, "a cell with this name exists already")		\
	X(HV_R_CPU_NOT_ROOT, EBUSY, "a CPU of the cell is not the root's (another cell "	\
	  "has it, or the root's configuration lacks it)")				\
	X(HV_R_CPU_CALLER, EDEADLK, "the cell would take the CPU that issues the request") \
	X(HV_R_CPU_ONLINE, EAGAIN, "a CPU of the cell is still online in Linux")	\
	X(HV_R_REGION_HELD, EADDRINUSE, "a memory region of the cell is held by another "	\
	  "cell (and not shared)")							\
	X(HV_R_IRQ_NOT_ROOT, EBADSLT, "an interrupt of the cell is not the root's")	\
	X(HV_R_NO_SLOT, ENOSPC, "no free cell slot (CONFIG_MAX_CELLS)")			\
	X(HV_R_LINUX_RAM, EADDRNOTAVAIL, "memory of the cell is RAM Linux uses: reserve "	\
	  "it in the root DTB (reserved-memory, no-map) or boot with a mem= limit below it; "	\
	  "dmesg names the range")							\
	X(HV_R_CPU_TAKE, EBUSY, "Linux could not give up a CPU of the cell (see dmesg)") \
	X(HV_R_IMAGE_OUTSIDE, ERANGE, "an image lies outside the cell's loadable memory "	\
	  "(see dmesg)")								\
	X(HV_R_IMAGE_TOO_LARGE, EFBIG, "an image is larger than every loadable region of "	\
	  "the cell (see dmesg)")							\
	X(HV_R_TOO_MANY_IMAGES, E2BIG, "too many images")				\
	X(HV_R_NO_IMAGE, ENOEXEC, "no image loaded since the cell was created or shut "	\
	  "down: cell load it first")							\
	X(HV_R_NO_VIRT_EXT, ENODEV, "AMD SVM with nested paging is not available: the CPU lacks "	\
	  "it, the firmware disabled it, KVM owns it, or the kernel uses 5-level paging "	\
	  "(see dmesg)")								\
	X(HV_R_HV_MEM_LINUX_CMDLINE, EADDRNOTAVAIL, "the hypervisor memory named in the "	\
	  "configuration is used by Linux: reserve it on the kernel command line "	\
	  "(memmap=SIZE$ADDRESS, as the root.cmdline configgen made says)")		\
	X(HV_R_LINUX_RAM_CMDLINE, EADDRNOTAVAIL, "memory of the cell is RAM Linux uses: "	\
	  "reserve it on the kernel command line (memmap=SIZE$ADDRESS, as the "	\
	  "root.cmdline configgen made says); dmesg names the range")			\
	X(HV_R_PORT_HELD, EADDRINUSE, "a port-I/O region of the cell is held by another "	\
	  "cell or is the hypervisor's console")						\
	X(HV_R_PCI_HELD, EADDRINUSE, "a PCI function of the cell is held by another cell")	\
	X(HV_R_CPU_STUCK, ETIMEDOUT, "a CPU of the cell did not stop, even with the "	\
	  "cell's memory revoked: the cell stays FAILED (see the hypervisor console); "	\
	  "retry later")								\
	X(HV_R_PCI_BRIDGE, EOPNOTSUPP, "a PCI function of the cell is a bridge (its header is not "	\
	  "type 0): bridges and their bus numbers stay the root's")			\
	X(HV_R_PCI_ABSENT, ENXIO, "a PCI function of the cell does not answer or is not in "	\
	  "PCI domain 0")								\
	X(HV_R_PCI_BAR, ERANGE, "a BAR of a PCI function of the cell does not fit: the "	\
	  "hardware has no such BAR, of another type, or its window is not inside one of the "	\
	  "cell's memory (arm64: PCI I/O window) or port regions, guest = physical, aligned "	\
	  "to its size (see the hypervisor console)")					\
	X(HV_R_IVSHMEM_PEER, EADDRINUSE, "a link end of the cell (a peer of an inter-cell "	\
	  "link) is held by another cell (the hypervisor console names the link and the cell)") \
	X(HV_R_HV_MEM_NOT_RAM, EADDRNOTAVAIL, "the hypervisor memory named in the "		\
	  "configuration is not all RAM by the firmware's memory map (a hole or a device "	\
	  "window): move it into RAM; dmesg names the range")				\
	X(HV_R_CELL_MEM_NOT_RAM, EADDRNOTAVAIL, "loadable memory of the cell is not all RAM by "	\
	  "the firmware's memory map (a hole or a device window): move it into RAM, or mark "	\
	  "device memory io; dmesg names the range")				\
	X(HV_R_NO_VIRT_BOOT, ENODEV, "HYP mode is not available: the CPU has no "		\
	  "Virtualization Extensions, the kernel was not started in HYP mode on all CPUs, or "	\
	  "another hypervisor owns it (see dmesg)")

#define HV_REFUSAL_ENUM(name, err, text)	name,
enum hv_refusal {
	HV_R_BEFORE_FIRST = HV_REFUSAL_FIRST - 1,
	HV_REFUSALS(HV_REFUSAL_ENUM)
	HV_R_END
};
#undef HV_REFUSAL_ENUM

/* The text of a reason (a config result or a refusal); NULL if the code is none of them. */
const char *hv_refusal_text(unsigned int reason);
/* The negative errno a reason is refused with. */
int hv_refusal_errno(unsigned int reason);

/* A refusal as a management hypercall returns it. */
static inline long hv_refusal_ret(unsigned int reason)
{
	return -(long)((unsigned long)-hv_refusal_errno(reason) |
		       (unsigned long)reason << HV_REFUSAL_SHIFT);
}

/* The errno and the reason of a hypercall's return value (reason 0: none given). */
static inline long hv_ret_errno(long ret)
{
	return ret < 0 ? -(long)((unsigned long)-ret & ((1UL << HV_REFUSAL_SHIFT) - 1)) : ret;
}

static inline unsigned int hv_ret_reason(long ret)
{
	return ret < 0 ? (unsigned int)((unsigned long)-ret >> HV_REFUSAL_SHIFT) : 0;
}

#endif
