// SPDX-License-Identifier: GPL-2.0
/*
 * Can this machine run the hypervisor? Only if every CPU has AMD SVM with nested paging, the
 * firmware left SVM enabled, nobody uses it yet (EFER.SVME clear: KVM would own it) and Linux
 * runs on 4-level paging (the hypervisor's page tables and NPT are 4-level).
 */
#include <linux/cpumask.h>
#include <linux/smp.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>

#include "../../arch.h"

#define CPUID_EXT_MAX		0x80000000
#define CPUID_EXT_FEATURES	0x80000001
#define CPUID_EXT_ECX_SVM	(1u << 2)
#define CPUID_SVM_FEATURES	0x8000000a
#define CPUID_SVM_EDX_NPT	(1u << 0)
#define MSR_VM_CR_ADDR		0xc0010114
#define VM_CR_SVMDIS_BIT	(1ULL << 4)
#define EFER_SVME_BIT		(1ULL << 12)
#define CR4_LA57_BIT		(1UL << 12)

enum jh_svm_state {
	JH_SVM_OK,
	JH_SVM_ABSENT,
	JH_SVM_NO_NPT,
	JH_SVM_DISABLED,
	JH_SVM_IN_USE,
	JH_SVM_LA57,
};

struct svm_probe {
	enum jh_svm_state state;
	unsigned int failing_cpu;
};

static enum jh_svm_state svm_state_this_cpu(void)
{
	u64 vm_cr, efer;
	u32 max_ext = cpuid_eax(CPUID_EXT_MAX);

	if (max_ext < CPUID_EXT_FEATURES || !(cpuid_ecx(CPUID_EXT_FEATURES) & CPUID_EXT_ECX_SVM))
		return JH_SVM_ABSENT;
	if (max_ext < CPUID_SVM_FEATURES || !(cpuid_edx(CPUID_SVM_FEATURES) & CPUID_SVM_EDX_NPT))
		return JH_SVM_NO_NPT;
	rdmsrl(MSR_VM_CR_ADDR, vm_cr);
	if (vm_cr & VM_CR_SVMDIS_BIT)
		return JH_SVM_DISABLED;
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME_BIT)
		return JH_SVM_IN_USE;
	if (native_read_cr4() & CR4_LA57_BIT)
		return JH_SVM_LA57;
	return JH_SVM_OK;
}

static void svm_probe_cpu(void *arg)
{
	struct svm_probe *probe = arg;
	enum jh_svm_state state = svm_state_this_cpu();

	/* Report the first CPU that fails; concurrent writers only race between failures. */
	if (state != JH_SVM_OK && READ_ONCE(probe->state) == JH_SVM_OK) {
		WRITE_ONCE(probe->failing_cpu, smp_processor_id());
		WRITE_ONCE(probe->state, state);
	}
}

static const char *svm_explain(enum jh_svm_state state)
{
	switch (state) {
	case JH_SVM_OK:
		return "AMD SVM with nested paging available";
	case JH_SVM_ABSENT:
		return "this CPU has no AMD SVM (Intel VT-x is not supported; "
		       "QEMU: -cpu qemu64,+svm,+npt)";
	case JH_SVM_NO_NPT:
		return "this CPU has AMD SVM but no nested paging (NPT; QEMU: add +npt to -cpu)";
	case JH_SVM_DISABLED:
		return "SVM is disabled by the firmware (VM_CR.SVMDIS): "
		       "enable virtualization in the BIOS";
	case JH_SVM_IN_USE:
		return "SVM is in use by another hypervisor (EFER.SVME set: KVM?); unload kvm_amd";
	case JH_SVM_LA57:
		return "the kernel uses 5-level paging (CR4.LA57), which the hypervisor does not "
		       "support: boot with no5lvl";
	}
	return "unknown SVM state";
}

bool jh_arch_probe(unsigned int *cpu, const char **text)
{
	struct svm_probe probe = { .state = JH_SVM_OK };

	on_each_cpu(svm_probe_cpu, &probe, 1);
	*cpu = probe.failing_cpu;
	*text = svm_explain(probe.state);
	return probe.state == JH_SVM_OK;
}
