/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * attack (ARMv7, attack.c) and its ARMv7-specific attacks (attack-arch.c: cp15, banked
 * registers, Thumb-2 and IT-block MMIO): what the two halves share.
 */
#ifndef INMATE_TESTS_ATTACK_ARM_H
#define INMATE_TESTS_ATTACK_ARM_H

#include <inmate.h>

extern char attack_name[32];
extern uintptr_t attack_gicd;

#define report(fmt, ...) printk("attack: %s: " fmt "\n", attack_name, ##__VA_ARGS__)

/* SMC32 call (PSCI, SMCCC), as the hypervisor traps it; returns r0. */
long attack_smc(u32 fid, u32 a1, u32 a2, u32 a3);
/* Run the ARMv7-specific attack named attack_name; false if it is none of them. */
bool attack_arch(void);

#endif
