/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into every hypervisor object. Hidden visibility lets -fpie code reach every symbol
 * PC-relatively, so nothing needs the GOT before the image has relocated itself.
 */
#ifndef __ASSEMBLER__
#pragma GCC visibility push(hidden)
#endif
