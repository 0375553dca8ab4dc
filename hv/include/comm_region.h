/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The per-cell communication region and its message protocol, laid out like Jailhouse's (comm
 * region ABI revision 2) so guests written for Jailhouse run unchanged. Shared by the
 * hypervisor, the Linux module, the CLI and the inmate library. Hypercall codes: hypercall.h.
 */
#ifndef HV_COMM_REGION_H
#define HV_COMM_REGION_H

#include "abi_types.h"

/* Cell states (comm region cell_state, HC_CELL_GET_STATE). */
#define HV_CELL_RUNNING			0
#define HV_CELL_RUNNING_LOCKED		1	/* vetoes any reconfiguration of the system */
#define HV_CELL_SHUT_DOWN		2	/* terminal */
#define HV_CELL_FAILED			3	/* terminal */
#define HV_CELL_FAILED_COMM_REV		4	/* terminal: the cell found another comm ABI */

/* Messages to a cell (msg_to_cell) and its replies (reply_from_cell). */
#define HV_MSG_NONE			0
#define HV_MSG_SHUTDOWN_REQUEST		1
#define HV_MSG_RECONFIG_COMPLETED	2

#define HV_REPLY_NONE			0
#define HV_REPLY_UNKNOWN		1
#define HV_REPLY_DENIED			2
#define HV_REPLY_APPROVED		3
#define HV_REPLY_RECEIVED		4

/* Console description handed to a cell (Jailhouse's console type numbering). */
#define HV_CON_TYPE_NONE		0x0000
#define HV_CON_TYPE_8250		0x0002
#define HV_CON_TYPE_PL011		0x0003
#define HV_CON_ACCESS_PIO		0x0000
#define HV_CON_ACCESS_MMIO		0x0001
#define HV_CON_REGDIST_4		0x0002

struct hv_cell_console {
	hv_u64 address;
	hv_u32 size;
	hv_u16 type;
	hv_u16 flags;
	hv_u32 divider;
	hv_u32 gate_nr;
	hv_u64 clock_reg;
};

#define HV_COMM_SIGNATURE		"JHCOMM"
#define HV_COMM_REVISION		2
#define HV_COMM_ARCH_SIZE		40	/* bytes of hv_comm_region.arch */

/* comm region flags */
#define HV_COMM_FLAG_CONSOLE_PERMITTED	(1u << 0)	/* HC_DEBUG_CONSOLE_PUTC allowed */
#define HV_COMM_FLAG_CONSOLE_ACTIVE	(1u << 1)	/* the cell should print through it */

/*
 * One page per cell, mapped where the cell blob's comm region says. The hypervisor zeroes and
 * fills it on every cell start. Protocol: the sender clears the reply field, then (after a
 * barrier) writes the message; the receiver clears the message, then writes its reply.
 */
struct hv_comm_region {
	char signature[6];
	hv_u16 revision;
	volatile hv_u32 cell_state;
	volatile hv_u32 msg_to_cell;
	volatile hv_u32 reply_from_cell;
	hv_u32 flags;
	struct hv_cell_console console;
	hv_u64 pci_mmconfig_base;
	/* the architecture's part (comm_region_<arch>.h), opaque to generic code */
	hv_u8 arch[HV_COMM_ARCH_SIZE];
};

_Static_assert(sizeof(struct hv_cell_console) == 32, "hv_cell_console layout");
_Static_assert(__builtin_offsetof(struct hv_comm_region, console) == 24, "comm region layout");
_Static_assert(__builtin_offsetof(struct hv_comm_region, arch) == 64, "comm region layout");

#include "comm_region_arm.h"
#include "comm_region_x86.h"

#endif
