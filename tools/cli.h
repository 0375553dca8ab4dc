/* SPDX-License-Identifier: GPL-2.0 */
#ifndef JAILHOUSE_CLI_H
#define JAILHOUSE_CLI_H

int cmd_cell(int argc, char *argv[]);
/* Why the last request on fd was refused with errno err, in the hypervisor's or driver's words. */
const char *refusal_text(int fd, int err);

#endif
