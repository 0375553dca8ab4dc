/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal unit-test harness: CHECK() counts, main returns non-zero on any failure. */
#ifndef HV_TEST_H
#define HV_TEST_H

#include <stdio.h>

static int test_failures, test_checks;

#define CHECK(cond) do { \
	test_checks++; \
	if (!(cond)) { \
		test_failures++; \
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

static inline int test_report(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
	return test_failures ? 1 : 0;
}

#endif
