// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The refusal table (refusal.h): compiled into the hypervisor, the driver and the CLI, so each
 * names a refusal with the same words.
 */
#include "hv_errno.h"
#include "refusal.h"

#define HV_REFUSAL_ENTRY(name, err, txt)	[name - HV_REFUSAL_FIRST] = { txt, err },

static const struct {
	const char *text;
	int err;
} hv_refusals[HV_R_END - HV_REFUSAL_FIRST] = {
	HV_REFUSALS(HV_REFUSAL_ENTRY)
};

_Static_assert(CFG_NUM_RESULTS <= HV_REFUSAL_FIRST, "config results and refusals overlap");

const char *hv_refusal_text(unsigned int reason)
{
	if (reason > CFG_OK && reason < CFG_NUM_RESULTS)
		return cfg_result_text(reason);
	if (reason >= HV_REFUSAL_FIRST && reason < HV_R_END)
		return hv_refusals[reason - HV_REFUSAL_FIRST].text;
	return 0;
}

int hv_refusal_errno(unsigned int reason)
{
	if (reason < CFG_NUM_RESULTS)
		return cfg_result_errno(reason);
	if (reason >= HV_REFUSAL_FIRST && reason < HV_R_END)
		return -hv_refusals[reason - HV_REFUSAL_FIRST].err;
	return -EINVAL;
}
