// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse: command-line front end of the hypervisor. Talks to the module through
 * /dev/jailhouse and /sys/devices/jailhouse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JH_CLI_VERSION "0.1"
#define SYSFS_ROOT "/sys/devices/jailhouse"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: jailhouse COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  status        show whether the module is loaded and what it found at EL2\n"
		"  --help        show this text\n"
		"  --version     show the version\n");
}

static int read_sysfs_line(const char *name, char *buf, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", SYSFS_ROOT, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int cmd_status(void)
{
	char el2[160], enabled[16];

	if (read_sysfs_line("el2", el2, sizeof(el2)) ||
	    read_sysfs_line("enabled", enabled, sizeof(enabled))) {
		fprintf(stderr, "jailhouse: the module is not loaded (modprobe jailhouse)\n");
		return 1;
	}
	printf("EL2:     %s\nenabled: %s\n", el2, enabled);
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("jailhouse %s\n", JH_CLI_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "status"))
		return cmd_status();
	fprintf(stderr, "jailhouse: unknown command '%s' (see jailhouse --help)\n", argv[1]);
	return 2;
}
