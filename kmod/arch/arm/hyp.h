/* SPDX-License-Identifier: GPL-2.0 */
#ifndef JH_KMOD_HYP_H
#define JH_KMOD_HYP_H

/* Why HYP mode cannot be taken over on this machine (JH_HYP_STUB means it can). */
enum jh_hyp_state {
	JH_HYP_STUB,		/* all CPUs booted in HYP, the Linux hyp stub answers */
	JH_HYP_ABSENT,		/* the CPU has no Virtualization Extensions (ID_PFR1) */
	JH_HYP_SVC_BOOT,	/* the boot loader started the kernel in SVC mode: no stub */
	JH_HYP_MIXED_BOOT,	/* CPUs started in different modes (broken boot loader) */
	JH_HYP_LOG_GONE,	/* the kernel log no longer says how the CPUs started */
	JH_HYP_FOREIGN,		/* something else answers hypercalls (another hypervisor) */
};

enum jh_hyp_state jh_hyp_probe_all_cpus(unsigned int *failing_cpu);
const char *jh_hyp_explain(enum jh_hyp_state state);

#endif
