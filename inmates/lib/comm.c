// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The comm region: one page the hypervisor maps into the cell (comm_region.h has the layout and
 * the protocol). We check its ABI, keep cell_state current and answer messages: the receiver
 * clears msg_to_cell, orders that with a barrier, then writes reply_from_cell.
 */
#include "internal.h"

static struct hv_comm_region *comm;
static shutdown_policy_t shutdown_policy;

struct hv_comm_region *comm_region(void)
{
	return comm;
}

u64 comm_region_address(u64 build_default)
{
	char buf[8];

	if (cmdline_get_str("comm", buf, sizeof(buf)) && !strncmp(buf, "none", 5))
		return 0;
	return cmdline_get_u64("comm", build_default);
}

void comm_region_init(u64 addr)
{
	comm = (struct hv_comm_region *)(uintptr_t)addr;
}

/* Called once the console works, so a mismatch can be explained before we stop. */
void comm_region_check(void)
{
	if (!comm)
		return;
	if (!memcmp(comm->signature, HV_COMM_SIGNATURE, sizeof(comm->signature)) &&
	    comm->revision == HV_COMM_REVISION)
		return;
	printk("inmate: comm region at 0x%llx has signature %c%c%c%c%c%c revision %u, need "
	       "%s revision %u: stopping\n", (u64)(uintptr_t)comm, comm->signature[0],
	       comm->signature[1], comm->signature[2], comm->signature[3], comm->signature[4],
	       comm->signature[5], comm->revision, HV_COMM_SIGNATURE, HV_COMM_REVISION);
	comm_region_set_state(HV_CELL_FAILED_COMM_REV);
	cpu_halt();
}

void comm_region_set_state(u32 state)
{
	if (!comm)
		return;
	comm->cell_state = state;
	mb();
}

void comm_region_set_shutdown_policy(shutdown_policy_t policy)
{
	shutdown_policy = policy;
}

static void reply(u32 answer)
{
	comm->msg_to_cell = HV_MSG_NONE;
	smp_mb();
	comm->reply_from_cell = answer;
	mb();
}

bool comm_region_poll(void)
{
	u32 msg;
	bool approve;

	if (!comm)
		return false;
	msg = comm->msg_to_cell;
	if (msg == HV_MSG_NONE)
		return false;
	smp_mb();
	switch (msg) {
	case HV_MSG_SHUTDOWN_REQUEST:
		approve = shutdown_policy ? shutdown_policy() : true;
		printk("inmate: shutdown request %s\n", approve ? "approved" : "denied");
		/* Our own lock must not veto the teardown we just agreed to. */
		if (approve && comm->cell_state == HV_CELL_RUNNING_LOCKED)
			comm_region_set_state(HV_CELL_RUNNING);
		reply(approve ? HV_REPLY_APPROVED : HV_REPLY_DENIED);
		return approve;
	case HV_MSG_RECONFIG_COMPLETED:
		reply(HV_REPLY_RECEIVED);
		return false;
	default:
		reply(HV_REPLY_UNKNOWN);
		return false;
	}
}
