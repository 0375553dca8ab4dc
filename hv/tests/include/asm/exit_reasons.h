/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in: one arch counter, so the generic/arch split is exercised. */
#ifndef HV_TEST_EXIT_REASONS_H
#define HV_TEST_EXIT_REASONS_H

#define EXIT_FAKE_ARCH			(EXIT_ARCH_FIRST + 0)
#define NUM_ARCH_EXIT_REASONS		1
#define ARCH_EXIT_STAT_NAMES		"fake"

#endif
