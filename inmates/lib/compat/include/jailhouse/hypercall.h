/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Jailhouse's names for the hypercall codes, the comm region and its message protocol, on top
 * of ours (hv/include: comm_region.h, hypercall.h). Every value is our own constant under the
 * Jailhouse name; the comm region struct is checked against struct hv_comm_region so the two
 * cannot drift. Part of the compat API, see inmates/README.md "Porting Jailhouse inmates".
 */
#ifndef JH_COMPAT_HYPERCALL_H
#define JH_COMPAT_HYPERCALL_H

#include <comm_region.h>
#include <hypercall.h>

#define JAILHOUSE_HC_DISABLE			HC_DISABLE
#define JAILHOUSE_HC_CELL_CREATE		HC_CELL_CREATE
#define JAILHOUSE_HC_CELL_START			HC_CELL_START
#define JAILHOUSE_HC_CELL_SET_LOADABLE		HC_CELL_SET_LOADABLE
#define JAILHOUSE_HC_CELL_DESTROY		HC_CELL_DESTROY
#define JAILHOUSE_HC_HYPERVISOR_GET_INFO	HC_HYPERVISOR_GET_INFO
#define JAILHOUSE_HC_CELL_GET_STATE		HC_CELL_GET_STATE
#define JAILHOUSE_HC_CPU_GET_INFO		HC_CPU_GET_INFO
#define JAILHOUSE_HC_DEBUG_CONSOLE_PUTC		HC_DEBUG_CONSOLE_PUTC

#define JAILHOUSE_INFO_MEM_POOL_SIZE		HC_INFO_MEM_POOL_SIZE
#define JAILHOUSE_INFO_MEM_POOL_USED		HC_INFO_MEM_POOL_USED
#define JAILHOUSE_INFO_REMAP_POOL_SIZE		HC_INFO_REMAP_POOL_SIZE
#define JAILHOUSE_INFO_REMAP_POOL_USED		HC_INFO_REMAP_POOL_USED
#define JAILHOUSE_INFO_NUM_CELLS		HC_INFO_NUM_CELLS
#define JAILHOUSE_CPU_INFO_STATE		HC_CPU_INFO_STATE
#define JAILHOUSE_CPU_INFO_STAT_BASE		HC_CPU_INFO_STAT_BASE
#define JAILHOUSE_CPU_RUNNING			HC_CPU_RUNNING
#define JAILHOUSE_CPU_FAILED			HC_CPU_FAILED

#define JAILHOUSE_MSG_NONE			HV_MSG_NONE
#define JAILHOUSE_MSG_SHUTDOWN_REQUEST		HV_MSG_SHUTDOWN_REQUEST
#define JAILHOUSE_MSG_RECONFIG_COMPLETED	HV_MSG_RECONFIG_COMPLETED
#define JAILHOUSE_MSG_UNKNOWN			HV_REPLY_UNKNOWN
#define JAILHOUSE_MSG_REQUEST_DENIED		HV_REPLY_DENIED
#define JAILHOUSE_MSG_REQUEST_APPROVED		HV_REPLY_APPROVED
#define JAILHOUSE_MSG_RECEIVED			HV_REPLY_RECEIVED

#define JAILHOUSE_CELL_RUNNING			HV_CELL_RUNNING
#define JAILHOUSE_CELL_RUNNING_LOCKED		HV_CELL_RUNNING_LOCKED
#define JAILHOUSE_CELL_SHUT_DOWN		HV_CELL_SHUT_DOWN
#define JAILHOUSE_CELL_FAILED			HV_CELL_FAILED
#define JAILHOUSE_CELL_FAILED_COMM_REV		HV_CELL_FAILED_COMM_REV

#define JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED	HV_COMM_FLAG_CONSOLE_PERMITTED
#define JAILHOUSE_COMM_FLAG_DBG_PUTC_ACTIVE	HV_COMM_FLAG_CONSOLE_ACTIVE
#define JAILHOUSE_COMM_HAS_DBG_PUTC_PERMITTED(flags) \
	(!!((flags) & JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED))
#define JAILHOUSE_COMM_HAS_DBG_PUTC_ACTIVE(flags) \
	(!!((flags) & JAILHOUSE_COMM_FLAG_DBG_PUTC_ACTIVE))

#define COMM_REGION_ABI_REVISION		HV_COMM_REVISION
#define COMM_REGION_MAGIC			HV_COMM_SIGNATURE

#define JAILHOUSE_CON_TYPE_NONE			HV_CON_TYPE_NONE
#define JAILHOUSE_CON_TYPE_8250			HV_CON_TYPE_8250
#define JAILHOUSE_CON_TYPE_PL011		HV_CON_TYPE_PL011
#define JAILHOUSE_CON_ACCESS_PIO		HV_CON_ACCESS_PIO
#define JAILHOUSE_CON_ACCESS_MMIO		HV_CON_ACCESS_MMIO
#define JAILHOUSE_CON_REGDIST_4			HV_CON_REGDIST_4

/* The console description has the same fields under the same names. */
#define jailhouse_console			hv_cell_console

/*
 * The comm region as Jailhouse's inmates see it: the generic header, then the architecture's
 * fields (JH_COMM_ARCH_FIELDS from <jh-arch.h>) flat, where ours keeps them in arch[].
 */
struct jailhouse_comm_region {
	char signature[6];
	__u16 revision;
	volatile __u32 cell_state;
	volatile __u32 msg_to_cell;
	volatile __u32 reply_from_cell;
	__u32 flags;
	struct jailhouse_console console;
	__u64 pci_mmconfig_base;
	JH_COMM_ARCH_FIELDS
} __attribute__((packed));

JH_COMM_ARCH_CHECK(struct jailhouse_comm_region);

_Static_assert(__builtin_offsetof(struct jailhouse_comm_region, cell_state) ==
	       __builtin_offsetof(struct hv_comm_region, cell_state), "comm region layout");
_Static_assert(__builtin_offsetof(struct jailhouse_comm_region, console) ==
	       __builtin_offsetof(struct hv_comm_region, console), "comm region layout");
_Static_assert(__builtin_offsetof(struct jailhouse_comm_region, pci_mmconfig_base) ==
	       __builtin_offsetof(struct hv_comm_region, pci_mmconfig_base), "comm region layout");
_Static_assert(sizeof(struct jailhouse_comm_region) <= sizeof(struct hv_comm_region),
	       "comm region layout");

/*
 * The message protocol (comm_region.h): the sender clears the other field, orders that before
 * its own write. A cell answers with the reply function; the message function is the root's
 * side and is here for completeness.
 */
static inline void jailhouse_send_msg_to_cell(struct jailhouse_comm_region *comm, __jh_arg msg)
{
	comm->reply_from_cell = JAILHOUSE_MSG_NONE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	comm->msg_to_cell = msg;
}

static inline void jailhouse_send_reply_from_cell(struct jailhouse_comm_region *comm,
						  __jh_arg reply)
{
	comm->msg_to_cell = JAILHOUSE_MSG_NONE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	comm->reply_from_cell = reply;
}

#endif
