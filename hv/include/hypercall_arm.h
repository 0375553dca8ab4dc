/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How an arm guest calls the hypervisor (arm64: hvc #0x4a48, code in x0, arguments in x1 and
 * x2, result in x0; Jailhouse's convention). Included by hypercall.h.
 */
#ifndef HV_HYPERCALL_ARM_H
#define HV_HYPERCALL_ARM_H

#define HV_HVC_IMM			0x4a48

#endif
