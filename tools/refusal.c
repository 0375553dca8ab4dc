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
 * Jailhouse's own blobs start with a signature and a 16-bit revision: "JHSYS" / "JHCLL" since
 * revision 14, "JHSYST" / "JHCELL" before. Name them and the way over, instead of the
 * validator's "bad signature".
 */
int cli_jailhouse_blob(const char *path, const void *blob, size_t size)
{
	static const struct { const char *sig; int system; } sigs[] = {
		{ "JHSYST", 1 }, { "JHCELL", 0 }, { "JHSYS", 1 }, { "JHCLL", 0 },
	};
	const unsigned char *b = blob;
	unsigned int k;
	size_t n;

	for (k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++) {
		n = strlen(sigs[k].sig);
		if (size < n + 2 || memcmp(b, sigs[k].sig, n))
			continue;
		fprintf(stderr, "jailhouse: %s is a Jailhouse %s configuration (%s, revision %u), "
			"not this hypervisor's: convert it with configgen import %s -o %s, then "
			"configgen compile\n", path, sigs[k].system ? "system" : "cell", sigs[k].sig,
			b[n] | b[n + 1] << 8, path, sigs[k].system ? "SYSTEM.dts" : "CELL.dtso");
		return 1;
	}
	return 0;
}
