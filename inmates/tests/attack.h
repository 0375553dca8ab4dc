/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * attack (attack.c) and its attacks on direct interrupt delivery (attack-direct.c): what the
 * two halves share.
 */
#ifndef INMATE_TESTS_ATTACK_H
#define INMATE_TESTS_ATTACK_H

#include <inmate.h>

extern char attack_name[32];

#define report(fmt, ...) printk("attack: %s: " fmt "\n", attack_name, ##__VA_ARGS__)

/* ICC_SGI1R_EL1 to the CPU mpidr (target list form), or to all others (broadcast) */
void attack_sgi_send(unsigned int irq, u64 mpidr, bool broadcast);
/* The redistributor frame of mpidr in the frames from gicr on, or 0. */
uintptr_t attack_frame_of(uintptr_t gicr, u64 mpidr);
/* Run the direct-mode attack named attack_name; false if it is none of them. */
bool attack_direct(uintptr_t gicr);

#endif
