/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the test blobs of every architecture (blobs.h, blobs_x86.h) share: sealing with the
 * format's CRC and setting an owned pin.
 */
#ifndef HV_TEST_BLOB_COMMON_H
#define HV_TEST_BLOB_COMMON_H

#include <stddef.h>
#include "config_check.h"

/* The CRC over the first len bytes, as a blob writer stores it. */
static inline void seal_crc(void *blob, size_t len)
{
	((struct hvcfg_header *)blob)->crc32 =
		cfg_crc32(blob, len, offsetof(struct hvcfg_header, crc32));
}

/* Set pin in an interrupt resource entry (pin inside its range). */
static inline void irqchip_set(struct hvcfg_irqchip *chip, unsigned int pin)
{
	chip->pin_bitmap[(pin - chip->pin_base) / 64] |= 1ULL << ((pin - chip->pin_base) % 64);
}

#endif
