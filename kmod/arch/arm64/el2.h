/* SPDX-License-Identifier: GPL-2.0 */
#ifndef JH_KMOD_EL2_H
#define JH_KMOD_EL2_H

/* Why EL2 cannot be taken over on this machine (JH_EL2_STUB means it can). */
enum jh_el2_state {
	JH_EL2_STUB,		/* Linux hyp stub at EL2, kernel at EL1 */
	JH_EL2_ABSENT,		/* the CPU implements no EL2 */
	JH_EL2_KERNEL_VHE,	/* the kernel itself runs at EL2 (VHE) */
	JH_EL2_FOREIGN,		/* something else answers hypercalls (KVM, pKVM, firmware) */
};

enum jh_el2_state jh_el2_probe_all_cpus(unsigned int *failing_cpu);
const char *jh_el2_explain(enum jh_el2_state state);

#endif
