// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Build-time defaults of one image, compiled once per demo and variant (cell, bare-metal) with
 * the values the Makefile got from configgen or its command line. The command line of the
 * inmate overrides each of them at run time. Addresses: QEMU's virt machine.
 */
#include "internal.h"

#ifndef INMATE_COMM_REGION
#define INMATE_COMM_REGION	0x80000000
#endif
#ifndef INMATE_PSCI_SMC
#define INMATE_PSCI_SMC		1
#endif
#ifdef INMATE_BAREMETAL
#define INMATE_VARIANT		"baremetal"
#else
#define INMATE_VARIANT		"cell"
#endif
#ifndef INMATE_UART_BASE
#define INMATE_UART_BASE	0x09000000
#endif
#ifndef INMATE_GICD_BASE
#define INMATE_GICD_BASE	0x08000000
#endif
#ifndef INMATE_GICC_BASE
#define INMATE_GICC_BASE	0x08010000
#endif

const struct inmate_defaults inmate_defaults = {
	.comm_region = INMATE_COMM_REGION,
	.uart_base = INMATE_UART_BASE,
	.gicd_base = INMATE_GICD_BASE,
	.gicc_base = INMATE_GICC_BASE,
	.psci_smc = INMATE_PSCI_SMC,
	.variant = INMATE_VARIANT,
};
