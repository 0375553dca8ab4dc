/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Jailhouse compat <test.h>: the check macro of Jailhouse's test inmates. Each check prints
 * "Test at line #N passed" or "... FAILED" with both values; all_passed stays true while none
 * failed.
 */
#ifndef JH_COMPAT_TEST_H
#define JH_COMPAT_TEST_H

#include <inmate.h>

#define EXPECT_EQUAL(a, b)	__evaluate(a, b, __LINE__)

extern bool all_passed;
void __evaluate(u64 a, u64 b, int line);

#endif
