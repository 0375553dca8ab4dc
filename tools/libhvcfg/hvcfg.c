// SPDX-License-Identifier: GPL-2.0
/*
 * libhvcfg.so: the hypervisor's configuration validator (hv/core/config_check.c,
 * config_cross.c and the arch validators) for host programs: a blob whose header says x86-64
 * is checked by the x86 validator (hv/arch/x86/config_check_x86.c) with the x86 hypervisor's
 * limits, compiled in its own namespace by check_x86.c; any other blob by the arm validator
 * (hv/arch/arm-common/config_check_arm.c) with the ARMv7 limits (limits_arm32.c) if the header
 * says ARM32, else with the arm64 limits. configgen loads it with ctypes
 * (configgen/validator.py) and runs it on every blob it writes or reads, so configgen can
 * never hand out a blob the hypervisor would refuse without saying so.
 *
 * A plain C interface (no structs cross it): results come back as code and detail, texts from
 * the one table the hypervisor, the driver and the CLI print.
 */
#include "config_check.h"
#include "../../hv/arch/arm64/include/asm/cfg_limits.h"
#include "check_x86.h"
#include "limits_arm32.h"

#define HVCFG_API	__attribute__((visibility("default")))

/* Raised whenever this interface changes; configgen refuses a library of another version. */
#define HVCFG_LIB_VERSION	1

HVCFG_API unsigned int hvcfg_lib_version(void);
HVCFG_API unsigned int hvcfg_format_revision(void);
HVCFG_API unsigned int hvcfg_num_results(void);
HVCFG_API const char *hvcfg_result_text(unsigned int code);
HVCFG_API const char *hvcfg_result_name(unsigned int code);
HVCFG_API int hvcfg_result_errno(unsigned int code);
HVCFG_API int hvcfg_check_system(const void *blob, size_t len, uint32_t max_cpus,
				 uint32_t *code, uint64_t *detail);
HVCFG_API int hvcfg_check_cell(const void *blob, size_t len, uint32_t max_cpus, uint32_t num_cpus,
			       uint32_t *code, uint64_t *detail);
HVCFG_API int hvcfg_check_cell_in_system(const void *sys, size_t sys_len, const void *cell,
					 size_t cell_len, uint32_t max_cpus, uint32_t *code,
					 uint64_t *detail);

unsigned int hvcfg_lib_version(void)
{
	return HVCFG_LIB_VERSION;
}

unsigned int hvcfg_format_revision(void)
{
	return HVCFG_REVISION;
}

unsigned int hvcfg_num_results(void)
{
	return CFG_NUM_RESULTS;
}

const char *hvcfg_result_text(unsigned int code)
{
	return cfg_result_text(code);
}

int hvcfg_result_errno(unsigned int code)
{
	return cfg_result_errno(code);
}

/* Stable names of the results, for programs that act on the kind of refusal (not its text). */
static const char *const result_names[] = {
	[CFG_OK] = "ok",
	[CFG_E_TRUNCATED] = "truncated",
	[CFG_E_SIGNATURE] = "signature",
	[CFG_E_REVISION] = "revision",
	[CFG_E_ARCH] = "arch",
	[CFG_E_SIZE] = "size",
	[CFG_E_CRC] = "crc",
	[CFG_E_COUNT] = "count",
	[CFG_E_OFFSET] = "offset",
	[CFG_E_REGION] = "region",
	[CFG_E_HV_OVERLAP] = "hv-overlap",
	[CFG_E_HV_MEM] = "hv-mem",
	[CFG_E_PLATFORM] = "platform",
	[CFG_E_CPU] = "cpu",
	[CFG_E_CONSOLE] = "console",
	[CFG_E_NAME] = "name",
	[CFG_E_RESERVED] = "reserved",
	[CFG_E_IPA] = "ipa",
	[CFG_E_HV_VA] = "el2-va",
	[CFG_E_DIGEST] = "digest",
	[CFG_E_ROOT_CPU] = "root-cpu",
	[CFG_E_ROOT_MEM] = "root-mem",
	[CFG_E_POOL] = "pool",
	[CFG_E_ROOT_IRQ] = "root-irq",
	[CFG_E_IRQ] = "irq",
	[CFG_E_PIO] = "pio",
	[CFG_E_PCI] = "pci",
	[CFG_E_UNSUPPORTED] = "unsupported",
	[CFG_E_ROOT_PIO] = "root-pio",
	[CFG_E_ROOT_PCI] = "root-pci",
	[CFG_E_IRQ_DIRECT] = "irq-direct",
	[CFG_E_LINK] = "link",
	[CFG_E_LINK_OVERLAP] = "link-overlap",
	[CFG_E_END] = "end",
	[CFG_E_END_PCI] = "end-pci",
	[CFG_E_END_IRQ] = "end-irq",
	[CFG_E_END_MEM] = "end-mem",
	[CFG_E_LINK_ARCH] = "link-arch",
	[CFG_E_ROOT_PEER] = "root-peer",
};

_Static_assert(sizeof(result_names) / sizeof(result_names[0]) == CFG_NUM_RESULTS,
	       "a result without a name");

const char *hvcfg_result_name(unsigned int code)
{
	return code < CFG_NUM_RESULTS && result_names[code] ? result_names[code] : "unknown";
}

static int result(int err, const struct cfg_status *st, uint32_t *code, uint64_t *detail)
{
	*code = st->code;
	*detail = st->detail;
	return err;
}

/* The architecture the blob's header names; a blob too short to say is arm64's. */
static unsigned int blob_arch(const void *blob, size_t len)
{
	const struct hvcfg_header *h = blob;

	return blob && len >= sizeof(*h) ? h->arch : HVCFG_ARCH_ARM64;
}

static int is_x86(const void *blob, size_t len)
{
	return blob_arch(blob, len) == HVCFG_ARCH_X86_64;
}

/* The limits of the arm hypervisor the blob is for: ARMv7's or arm64's (any other arch). */
static struct cfg_limits arm_limits(const void *blob, size_t len, uint32_t max_cpus)
{
	struct cfg_limits lim = ARCH_CFG_LIMITS(max_cpus);

	if (blob_arch(blob, len) == HVCFG_ARCH_ARM32)
		hvcfg_arm32_limits(&lim, max_cpus);
	return lim;
}

int hvcfg_check_system(const void *blob, size_t len, uint32_t max_cpus, uint32_t *code,
		       uint64_t *detail)
{
	const struct cfg_limits lim = arm_limits(blob, len, max_cpus);
	struct cfg_status st;

	if (is_x86(blob, len))
		return result(hvcfg_x86_check_system(blob, len, max_cpus, &st), &st, code, detail);
	return result(cfg_check_system(blob, len, &lim, &st), &st, code, detail);
}

int hvcfg_check_cell(const void *blob, size_t len, uint32_t max_cpus, uint32_t num_cpus,
		     uint32_t *code, uint64_t *detail)
{
	const struct cfg_limits lim = arm_limits(blob, len, max_cpus);
	struct cfg_status st;

	if (is_x86(blob, len))
		return result(hvcfg_x86_check_cell(blob, len, max_cpus, num_cpus, &st), &st, code,
			      detail);
	return result(cfg_check_cell(blob, len, &lim, num_cpus, &st), &st, code, detail);
}

/* The system blob's arch decides: a cell of the other arch is refused by the cross check. */
int hvcfg_check_cell_in_system(const void *sys, size_t sys_len, const void *cell, size_t cell_len,
			       uint32_t max_cpus, uint32_t *code, uint64_t *detail)
{
	const struct cfg_limits lim = arm_limits(sys, sys_len, max_cpus);
	struct cfg_status st;

	if (is_x86(sys, sys_len))
		return result(hvcfg_x86_check_cell_in_system(sys, sys_len, cell, cell_len, max_cpus,
							     &st), &st, code, detail);
	return result(cfg_check_cell_in_system(sys, sys_len, cell, cell_len, &lim, &st), &st, code,
		      detail);
}
