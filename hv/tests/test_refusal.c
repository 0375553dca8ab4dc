// SPDX-License-Identifier: GPL-2.0
/*
 * Refusal reasons (refusal.h): every reason has its text and errno, survives the trip through
 * a hypercall's return value, and config results and refusals share one code space.
 */
#include <string.h>
#include "test.h"
#include "../core/config_check.c"
#include "../arch/arm-common/config_check_arm.c"
#include "../core/refusal.c"

static void check_reason(unsigned int reason)
{
	long ret = hv_refusal_ret(reason);
	int err = hv_refusal_errno(reason);

	CHECK(hv_refusal_text(reason) && hv_refusal_text(reason)[0]);
	CHECK(err < 0 && err > -4096);
	CHECK(ret < 0);
	CHECK(hv_ret_errno(ret) == err);
	CHECK(hv_ret_reason(ret) == reason);
	CHECK((int)ret == ret);		/* fits hv_entry()'s int result */
}

int main(void)
{
	unsigned int r;

	for (r = CFG_OK + 1; r < CFG_NUM_RESULTS; r++)
		check_reason(r);
	for (r = HV_REFUSAL_FIRST; r < HV_R_END; r++)
		check_reason(r);
	CHECK(!hv_refusal_text(0));
	CHECK(!hv_refusal_text(CFG_NUM_RESULTS));
	CHECK(!hv_refusal_text(HV_R_END));
	CHECK(hv_refusal_errno(HV_R_END) == -EINVAL);
	/* plain errnos (no reason) pass through the decoding unchanged */
	CHECK(hv_ret_errno(-ENOMEM) == -ENOMEM && hv_ret_reason(-ENOMEM) == 0);
	CHECK(hv_ret_errno(3) == 3 && hv_ret_reason(3) == 0);
	CHECK(!strcmp(hv_refusal_text(HV_R_CPU_ONLINE), "a CPU of the cell is still online in Linux"));
	CHECK(!strcmp(hv_refusal_text(CFG_E_CRC), cfg_result_text(CFG_E_CRC)));
	/* codes are appended, never renumbered: hypervisor, driver and CLI of one build agree */
	CHECK(HV_R_NO_VIRT_MODE == HV_REFUSAL_FIRST + 4 && HV_R_NO_IMAGE == HV_REFUSAL_FIRST + 31);
	/* each architecture's remedy under its own code, the same errno as its arm64 twin */
	CHECK(strstr(hv_refusal_text(HV_R_NO_VIRT_MODE), "EL2") &&
	      !strstr(hv_refusal_text(HV_R_NO_VIRT_MODE), "SVM"));
	CHECK(strstr(hv_refusal_text(HV_R_NO_VIRT_EXT), "SVM") &&
	      !strstr(hv_refusal_text(HV_R_NO_VIRT_EXT), "EL2"));
	CHECK(hv_refusal_errno(HV_R_NO_VIRT_EXT) == hv_refusal_errno(HV_R_NO_VIRT_MODE));
	CHECK(strstr(hv_refusal_text(HV_R_NO_VIRT_BOOT), "HYP mode") &&
	      !strstr(hv_refusal_text(HV_R_NO_VIRT_BOOT), "EL2"));
	CHECK(hv_refusal_errno(HV_R_NO_VIRT_BOOT) == hv_refusal_errno(HV_R_NO_VIRT_MODE));
	CHECK(strstr(hv_refusal_text(HV_R_HV_MEM_LINUX), "device tree"));
	CHECK(strstr(hv_refusal_text(HV_R_HV_MEM_LINUX_CMDLINE), "memmap=") &&
	      !strstr(hv_refusal_text(HV_R_HV_MEM_LINUX_CMDLINE), "device tree"));
	CHECK(hv_refusal_errno(HV_R_HV_MEM_LINUX_CMDLINE) == hv_refusal_errno(HV_R_HV_MEM_LINUX));
	CHECK(strstr(hv_refusal_text(HV_R_LINUX_RAM), "root DTB"));
	CHECK(strstr(hv_refusal_text(HV_R_LINUX_RAM_CMDLINE), "RAM Linux uses") &&
	      strstr(hv_refusal_text(HV_R_LINUX_RAM_CMDLINE), "memmap=") &&
	      !strstr(hv_refusal_text(HV_R_LINUX_RAM_CMDLINE), "DTB"));
	CHECK(hv_refusal_errno(HV_R_LINUX_RAM_CMDLINE) == hv_refusal_errno(HV_R_LINUX_RAM));
	return test_report("test_refusal");
}
