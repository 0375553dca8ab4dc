// SPDX-License-Identifier: GPL-2.0
/*
 * What the CLI says when a request is refused: the reason the hypervisor or the driver gave
 * (refusal.h), asked from the driver on the same fd, never guessed from the errno.
 */
#include <errno.h>
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
