/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* ivshmem-demo's hostile modes (ivshmem-hostile.c), for tests/system/hostile-ivshmem.sh. */
#ifndef IVSHMEM_DEMO_H
#define IVSHMEM_DEMO_H

#include <inmate.h>

/* Move BAR0 of function bdf to addr, decode it there, write STATE through it, report. */
void hostile_bar0(int bdf, u64 addr);
/* Every aligned width at every register offset and the page's last word, odd doorbells. */
void hostile_regs(uintptr_t regs, u32 id, u32 peers);

#endif
