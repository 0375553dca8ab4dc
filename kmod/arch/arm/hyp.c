// SPDX-License-Identifier: GPL-2.0
/*
 * Can this kernel hand HYP mode to the hypervisor? Only if every CPU implements the
 * Virtualization Extensions, the boot loader started every CPU in HYP mode (so the kernel left
 * its hyp stub there before dropping to SVC) and the stub still answers.
 *
 * The kernel records the boot mode in __boot_cpu_mode, which is neither exported nor in
 * /proc/kallsyms (a data symbol; Debian builds without KALLSYMS_ALL), and is_hyp_mode_available()
 * is an inline reading it. Its one public trace is the boot log line of hyp_mode_check(),
 * read here through the exported kmsg_dump iterator. The order matters: an hvc in a CPU
 * without HYP mode (or in Secure state) is UNDEFINED, an oops with no fixup, so the unknown-HVC
 * probe comes last.
 */
#include <linux/cpumask.h>
#include <linux/kmsg_dump.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/cputype.h>
#include <asm/opcodes-virt.h>

#include "hv_image.h"
#include "../../../hv/arch/arm/include/asm/hv_header_arch.h"
#include "hyp.h"

/* The stub answers every code it does not know with HVC_STUB_ERR. */
#define HYP_STUB_PROBE_CODE	0x48595000UL	/* "HYP": no stub function */
/* ID_PFR1[15:12], Virtualization Extensions (ARM ARM B4.1.94) */
#define ID_PFR1_VIRT(pfr1)	(((pfr1) >> 12) & 0xf)

static bool assume_hyp_boot;
module_param(assume_hyp_boot, bool, 0444);
MODULE_PARM_DESC(assume_hyp_boot,
		 "ARMv7: the CPUs started in HYP mode though the kernel log no longer says so");

struct hyp_probe {
	enum jh_hyp_state state;
	unsigned int failing_cpu;
};

static unsigned long hyp_stub_call(unsigned long code)
{
	register unsigned long r0 asm("r0") = code;

	/* hyp-abi.rst: a stub call may clobber r0-r3 and ip */
	asm volatile(__HVC(0) : "+r"(r0) : : "r1", "r2", "r3", "ip", "memory", "cc");
	return r0;
}

static void fail(struct hyp_probe *probe, enum jh_hyp_state state)
{
	/* Report the first CPU that fails; concurrent writers only race between failures. */
	if (READ_ONCE(probe->state) == JH_HYP_STUB) {
		WRITE_ONCE(probe->failing_cpu, smp_processor_id());
		WRITE_ONCE(probe->state, state);
	}
}

static void virt_ext_cpu(void *arg)
{
	if (!ID_PFR1_VIRT(read_cpuid_ext(CPUID_EXT_PFR1)))
		fail(arg, JH_HYP_ABSENT);
}

static void stub_cpu(void *arg)
{
	if (hyp_stub_call(HYP_STUB_PROBE_CODE) != HVC_STUB_ERR)
		fail(arg, JH_HYP_FOREIGN);
}

/* The verdict of hyp_mode_check() (arch/arm/kernel/setup.c) in the kernel log. */
static enum jh_hyp_state boot_log_state(void)
{
	static const struct {
		const char *line;
		enum jh_hyp_state state;
	} verdicts[] = {
		{ "CPU: All CPU(s) started in HYP mode.", JH_HYP_STUB },
		{ "CPU: All CPU(s) started in SVC mode.", JH_HYP_SVC_BOOT },
		{ "CPU(s) started in wrong/inconsistent modes", JH_HYP_MIXED_BOOT },
	};
	static char line[256];
	struct kmsg_dump_iter iter;
	size_t len, i;

	kmsg_dump_rewind(&iter);
	while (kmsg_dump_get_line(&iter, false, line, sizeof(line) - 1, &len)) {
		line[len] = 0;
		for (i = 0; i < ARRAY_SIZE(verdicts); i++)
			if (strstr(line, verdicts[i].line))
				return verdicts[i].state;
	}
	return JH_HYP_LOG_GONE;
}

/*
 * The boot mode does not change after boot, but the log wraps and `dmesg -c` clears it: the
 * first verdict found is kept (the module's load, early on, finds it).
 */
static enum jh_hyp_state boot_mode(void)
{
	static DEFINE_MUTEX(lock);
	static enum jh_hyp_state known = JH_HYP_LOG_GONE;
	enum jh_hyp_state state;

	mutex_lock(&lock);
	if (known == JH_HYP_LOG_GONE)
		known = boot_log_state();
	state = known;
	mutex_unlock(&lock);
	if (state == JH_HYP_LOG_GONE && assume_hyp_boot)
		return JH_HYP_STUB;
	return state;
}

enum jh_hyp_state jh_hyp_probe_all_cpus(unsigned int *failing_cpu)
{
	struct hyp_probe probe = { .state = JH_HYP_STUB };
	enum jh_hyp_state mode;

	on_each_cpu(virt_ext_cpu, &probe, 1);
	if (probe.state == JH_HYP_STUB) {
		mode = boot_mode();
		if (mode != JH_HYP_STUB) {
			probe.state = mode;
			probe.failing_cpu = 0;
		}
	}
	if (probe.state == JH_HYP_STUB)
		on_each_cpu(stub_cpu, &probe, 1);
	*failing_cpu = probe.failing_cpu;
	return probe.state;
}

const char *jh_hyp_explain(enum jh_hyp_state state)
{
	switch (state) {
	case JH_HYP_STUB:
		return "HYP mode available, Linux hyp stub installed";
	case JH_HYP_ABSENT:
		return "this CPU has no Virtualization Extensions, no HYP mode (ID_PFR1); QEMU: add "
		       "virtualization=on to -M virt and use -cpu cortex-a15 or cortex-a7";
	case JH_HYP_SVC_BOOT:
		return "the boot loader started the kernel in SVC mode, not HYP mode (kernel log: "
		       "\"started in SVC mode\"); boot it in HYP mode (U-Boot: bootm_boot_mode=nonsec)";
	case JH_HYP_MIXED_BOOT:
		return "the CPUs started in different modes (kernel log: \"wrong/inconsistent "
		       "modes\"): fix the boot loader or firmware so all start in HYP mode";
	case JH_HYP_LOG_GONE:
		return "the kernel log no longer says whether the CPUs started in HYP mode (log "
		       "cleared or wrapped); if they did, load the module with assume_hyp_boot=1";
	case JH_HYP_FOREIGN:
		return "HYP mode is owned by another hypervisor, not the Linux hyp stub";
	}
	return "unknown HYP state";
}
