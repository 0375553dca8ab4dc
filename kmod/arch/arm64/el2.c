// SPDX-License-Identifier: GPL-2.0
/*
 * Can this kernel hand EL2 to the hypervisor? Only if every CPU implements EL2, the kernel runs
 * at EL1 and EL2 still holds the Linux hyp stub (so HVC_SET_VECTORS will install our vectors).
 */
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

#include "el2.h"

/* Any code the stub does not know makes it answer HVC_STUB_ERR. */
#define HYP_STUB_PROBE_CODE	0x454c32UL

struct el2_probe {
	enum jh_el2_state state;
	unsigned int failing_cpu;
};

static unsigned long hyp_stub_call(unsigned long code)
{
	register unsigned long x0 asm("x0") = code;

	asm volatile("hvc #0" : "+r" (x0) : : "x1", "x2", "x3", "memory");
	return x0;
}

static enum jh_el2_state el2_state_this_cpu(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);

	/* No EL2: an hvc would be UNDEFINED, so never issue one. */
	if (((pfr0 >> ID_AA64PFR0_EL1_EL2_SHIFT) & 0xf) == 0)
		return JH_EL2_ABSENT;
	if (read_sysreg(CurrentEL) == CurrentEL_EL2)
		return JH_EL2_KERNEL_VHE;
	if (hyp_stub_call(HYP_STUB_PROBE_CODE) != HVC_STUB_ERR)
		return JH_EL2_FOREIGN;
	return JH_EL2_STUB;
}

static void el2_probe_cpu(void *arg)
{
	struct el2_probe *probe = arg;
	enum jh_el2_state state = el2_state_this_cpu();

	/* Report the first CPU that fails; concurrent writers only race between failures. */
	if (state != JH_EL2_STUB && READ_ONCE(probe->state) == JH_EL2_STUB) {
		WRITE_ONCE(probe->failing_cpu, smp_processor_id());
		WRITE_ONCE(probe->state, state);
	}
}

enum jh_el2_state jh_el2_probe_all_cpus(unsigned int *failing_cpu)
{
	struct el2_probe probe = { .state = JH_EL2_STUB };

	on_each_cpu(el2_probe_cpu, &probe, 1);
	*failing_cpu = probe.failing_cpu;
	return probe.state;
}

const char *jh_el2_explain(enum jh_el2_state state)
{
	switch (state) {
	case JH_EL2_STUB:
		return "EL2 available, Linux hyp stub installed";
	case JH_EL2_ABSENT:
		return "this CPU has no EL2 (QEMU: add virtualization=on to -M virt)";
	case JH_EL2_KERNEL_VHE:
		return "the kernel runs at EL2 (VHE); boot a CPU without VHE or with id_aa64mmfr1.vh=0";
	case JH_EL2_FOREIGN:
		return "EL2 is owned by another hypervisor (KVM/pKVM?); boot with kvm-arm.mode=none";
	}
	return "unknown EL2 state";
}
