/* SPDX-License-Identifier: GPL-2.0 */
/* SHA-256 (hv/core/sha256.c): pure, for the hypervisor and the host validator library. */
#ifndef HV_SHA256_H
#define HV_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const void *data, size_t len, uint8_t out[32]);

#endif
