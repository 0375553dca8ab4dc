/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How an x86 guest calls the hypervisor (Jailhouse's convention): VMMCALL (AMD; VMCALL on
 * Intel) with the code in RAX and the arguments in RDI and RSI; the result comes back in RAX.
 * Every other register is preserved. Included by hypercall.h.
 */
#ifndef HV_HYPERCALL_X86_H
#define HV_HYPERCALL_X86_H

/* CPUID leaf of the hypervisor's signature (EBX, ECX, EDX spell it); CPUID.1:ECX[31] is set. */
#define HV_X86_CPUID_SIGNATURE_LEAF	0x40000000
#define HV_X86_CPUID_SIGNATURE		"Jailhouse\0\0\0"

#endif
