// SPDX-License-Identifier: GPL-2.0
/* The echo protocol's arithmetic: slots, checksum, test pattern (pure, unit-tested). */
#include "echo.h"
#include "ivshmem_echo.h"

uint64_t echo_slot_size(uint64_t out_size, unsigned int peers)
{
	uint64_t slot;

	if (!peers)
		return 0;
	slot = (out_size / peers) & ~7ull;
	return slot >= IVSHMEM_ECHO_HDR_SIZE ? slot : 0;
}

uint32_t echo_sum(const unsigned char *data, size_t len)
{
	uint32_t h = IVSHMEM_ECHO_SUM_INIT;
	size_t i;

	for (i = 0; i < len; i++)
		h = IVSHMEM_ECHO_SUM_STEP(h, data[i]);
	return h;
}

static unsigned char pattern(size_t i, uint32_t seq)
{
	return (unsigned char)(seq * 131u + i * 7u + (i >> 8) + (seq >> 8));
}

void echo_fill(unsigned char *data, size_t len, uint32_t seq)
{
	size_t i;

	for (i = 0; i < len; i++)
		data[i] = pattern(i, seq);
}

long echo_mismatch(const unsigned char *data, size_t len, uint32_t seq)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (data[i] != pattern(i, seq))
			return (long)i;
	return -1;
}
