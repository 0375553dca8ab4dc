// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What each config check result means: its text (hypervisor console, driver, CLI, configgen)
 * and the errno the hypervisor and the driver return for it. #included by config_check.c, so
 * every consumer of the checks builds it with them.
 */
#include "config_check.h"
#include "hv_errno.h"

#define CFG_ERRNO(n)	(-(n))

static const struct {
	const char *text;
	int err;
} cfg_results[CFG_NUM_RESULTS] = {
	[CFG_OK] = { "valid", 0 },
	[CFG_E_TRUNCATED] = { "truncated (shorter than its header says)", ENODATA },
	[CFG_E_SIGNATURE] = { "not a system configuration (bad signature)", ENOEXEC },
	[CFG_E_REVISION] = { "unsupported format revision", EPROTO },
	[CFG_E_ARCH] = { "built for another architecture", EOPNOTSUPP },
	[CFG_E_SIZE] = { "inconsistent total size", EMSGSIZE },
	[CFG_E_CRC] = { "checksum mismatch (corrupted)", EBADMSG },
	[CFG_E_COUNT] = { "a count exceeds the limits", E2BIG },
	[CFG_E_OFFSET] = { "an array lies outside the blob", ERANGE },
	[CFG_E_REGION] = { "invalid memory region", EINVAL },
	[CFG_E_HV_OVERLAP] = { "a root memory region overlaps the hypervisor memory",
			       EADDRINUSE },
	[CFG_E_HV_MEM] = { "unusable hypervisor memory", EFAULT },
	[CFG_E_PLATFORM] = { "invalid platform description (interrupt controller, PCI window)",
			     EDOM },
	[CFG_E_CPU] = { "invalid CPU table or CPU set", ENXIO },
	[CFG_E_CONSOLE] = { "invalid console, or a console type this hypervisor does not drive",
			    EIO },
	[CFG_E_NAME] = { "invalid cell name (empty, not NUL-terminated and NUL-padded, or not "
			 "printable ASCII)", EILSEQ },
	[CFG_E_RESERVED] = { "unknown flag bits or non-zero reserved fields (padding)",
			     ENOPROTOOPT },
	[CFG_E_IPA] = { "a guest address range beyond the guest-physical space stage 2 can map",
			EOVERFLOW },
	[CFG_E_HV_VA] = { "hypervisor memory or a device it maps beyond the hypervisor's address "
			   "space", EFBIG },
	[CFG_E_DIGEST] = { "the cell was made for another system configuration (digest)",
			   ESTALE },
	[CFG_E_ROOT_CPU] = { "a CPU of the cell is not a CPU of the root cell", EBUSY },
	[CFG_E_ROOT_MEM] = { "a memory region of the cell is not inside one root cell region of "
			     "the same kind (RAM/I/O)", EACCES },
	[CFG_E_ROOT_IRQ] = { "an interrupt of the cell is not one of the root cell",
			     EBADSLT },
	[CFG_E_POOL] = { "a RAM region of the cell lies outside the root cell's cell pool",
			 EXDEV },
	[CFG_E_IRQ] = { "invalid interrupt resource (unknown controller, pin range or a pin that "
			"cannot be assigned)", EBADRQC },
	[CFG_E_PIO] = { "a port-I/O region this architecture cannot grant (or an empty one)",
			EBADR },
	[CFG_E_PCI] = { "invalid PCI device, or PCI devices where this architecture assigns none",
			EBADE },
	[CFG_E_UNSUPPORTED] = { "valid, but for hardware this hypervisor build does not support "
				"(e.g. the interrupt controller's version)", EPROTONOSUPPORT },
	[CFG_E_ROOT_PIO] = { "a port of the cell is not one of the root cell", ENOTUNIQ },
	[CFG_E_ROOT_PCI] = { "a PCI device of the cell is not one of the root cell", EBADFD },
	[CFG_E_IRQ_DIRECT] = { "direct interrupt delivery (interrupt-delivery \"direct\") for the "
			       "root cell, which always runs in trap mode, or on an architecture "
			       "without that mode (x86 cells get their interrupts directly anyway)",
			       EMEDIUMTYPE },
	[CFG_E_LINK] = { "invalid inter-cell link (name empty, not NUL-terminated and NUL-padded "
			 "or twice; peers not 2..16; unknown protocol; state table smaller than "
			 "4 bytes per peer; sizes or address not page multiples; wraps around)",
			 ENOLINK },
	[CFG_E_LINK_OVERLAP] = { "the memory of an inter-cell link overlaps the hypervisor memory, "
				 "a root memory region or another link", EISCONN },
	[CFG_E_END] = { "invalid link end (no such link, a peer id the link does not have, or "
			"the same link and peer id twice in the cell)", ELNRNG },
	[CFG_E_END_PCI] = { "the PCI function of a link end is not on bus 0, is used twice, or is "
			    "one of the cell's real PCI functions", ENOCSI },
	[CFG_E_END_IRQ] = { "the interrupt of a link end is not one of the cell's interrupt pins",
			    ECHRNG },
	[CFG_E_END_MEM] = { "the link memory or BAR0 of a link end is not page aligned, lies "
			    "beyond the guest-physical space, or overlaps a memory region of the "
			    "cell or another link end", ECOMM },
	[CFG_E_LINK_ARCH] = { "inter-cell links (ivshmem) are not supported on this architecture "
			      "yet", EPFNOSUPPORT },
	[CFG_E_ROOT_PEER] = { "a link end of the cell is the root cell's (the same link and peer id "
			      "in the system configuration)", EUNATCH },
};

const char *cfg_result_text(enum cfg_result code)
{
	return code < CFG_NUM_RESULTS ? cfg_results[code].text : "unknown error";
}

int cfg_result_errno(enum cfg_result code)
{
	return code < CFG_NUM_RESULTS ? CFG_ERRNO(cfg_results[code].err) : CFG_ERRNO(EINVAL);
}
