// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Build-time defaults of one image, compiled once per demo and variant (cell, bare-metal) with
 * the values the Makefile got from configgen or its command line. The command line of the
 * inmate overrides each of them at run time.
 */
#include "internal.h"

#ifndef INMATE_COMM_REGION
#define INMATE_COMM_REGION	0x100000
#endif
#ifdef INMATE_BAREMETAL
#define INMATE_VARIANT		"baremetal"
#else
#define INMATE_BAREMETAL	0
#define INMATE_VARIANT		"cell"
#endif
#ifndef INMATE_UART_PORT
#define INMATE_UART_PORT	0x3f8	/* COM1 */
#endif
#ifndef INMATE_UART_OWNED
#define INMATE_UART_OWNED	0
#endif
#ifndef INMATE_PM_TIMER_PORT
#define INMATE_PM_TIMER_PORT	0x608	/* QEMU q35: ICH9 PMBASE 0x600 + 8 */
#endif

const struct inmate_defaults inmate_defaults = {
	.comm_region = INMATE_COMM_REGION,
	.uart_port = INMATE_UART_PORT,
	.uart_owned = INMATE_UART_OWNED,
	.baremetal = INMATE_BAREMETAL,
	.pm_timer_port = INMATE_PM_TIMER_PORT,
	.variant = INMATE_VARIANT,
};
