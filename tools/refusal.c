// SPDX-License-Identifier: GPL-2.0
/*
 * What the CLI says when a request is refused: the reason the hypervisor or the driver gave
 * (refusal.h), asked from the driver on the same fd, never guessed from the errno.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cli.h"
#include "jailhouse_ioctl.h"
#include "refusal.h"

const char *refusal_text(int fd, int err)
{
	unsigned int reason = 0;
	const char *text;

	if (err == EINTR)
		return "interrupted while waiting for another management request";
	if (ioctl(fd, JAILHOUSE_LAST_REFUSAL, &reason) == 0) {
		text = hv_refusal_text(reason);
		if (text)
			return text;
	}
	return strerror(err);
}

/*
 * Jailhouse's own blobs start with "JHSYS" / "JHCLL" and a 16-bit revision: name them and the
 * way over, instead of the validator's "bad signature".
 */
int cli_jailhouse_blob(const char *path, const void *blob, size_t size)
{
	const unsigned char *b = blob;
	int system;

	if (size < 7 || (memcmp(b, "JHSYS", 5) && memcmp(b, "JHCLL", 5)))
		return 0;
	system = !memcmp(b, "JHSYS", 5);
	fprintf(stderr, "jailhouse: %s is a Jailhouse %s configuration (%.5s, revision %u), not "
		"this hypervisor's: convert it with configgen import %s -o %s, then configgen "
		"compile\n", path, system ? "system" : "cell", (const char *)b, b[5] | b[6] << 8,
		path, system ? "SYSTEM.dts" : "CELL.dtso");
	return 1;
}
