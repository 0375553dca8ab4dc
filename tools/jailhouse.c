// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse: command-line front end of the hypervisor. Talks to the module through
 * /dev/jailhouse and /sys/devices/jailhouse, and explains failures in words a user can act on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "hwcheck.h"
#include "config_check.h"
#include "jailhouse_ioctl.h"

#define JH_CLI_VERSION "0.1"
#define SYSFS_ROOT "/sys/devices/jailhouse"
#define DEVICE "/dev/jailhouse"

/* The driver's verdict on the CPUs' virtualization support: el2 (arm64), svm (x86), hyp (arm). */
#ifdef __x86_64__
#define VIRT_NAME	"SVM"
#define VIRT_ATTR	"svm"
#define VIRT_LABEL	"SVM:    "
#elif defined(__arm__)
#define VIRT_NAME	"HYP mode"
#define VIRT_ATTR	"hyp"
#define VIRT_LABEL	"HYP:    "
#else
#define VIRT_NAME	"EL2"
#define VIRT_ATTR	"el2"
#define VIRT_LABEL	"EL2:    "
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: jailhouse COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  enable SYSTEM.cell   start the hypervisor; Linux continues as the root cell\n"
		"  disable              stop the hypervisor; Linux gets the machine back\n"
		"  console [-f]         print the hypervisor console (-f: keep following it)\n"
		"  status               show whether the module is loaded, " VIRT_NAME " and enable state\n"
		"  cell ...             create, load, start, shutdown, destroy, list, stats cells;\n"
		"                       boot Linux in one (cell linux)\n"
		"                       (jailhouse cell --help)\n"
		"  hardware check [SYSTEM.cell]\n"
		"                       what the machine offers and why enable would fail\n"
		"  config collect FILE.tar|DIR\n"
		"                       snapshot of this machine for configgen create --root\n"
		"  config check SYSTEM.cell [CELL.cell...]\n"
		"                       compiled configurations as enable and cell create check\n"
		"                       them (config create: runs configgen create)\n"
		"  --help               show this text\n"
		"  --version            show the version\n");
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

static int open_device(int flags)
{
	int fd = open(DEVICE, flags);

	if (fd < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "jailhouse: the module is not loaded "
				"(insmod jailhouse.ko or modprobe jailhouse)\n");
		else
			fprintf(stderr, "jailhouse: cannot open %s: %s\n", DEVICE, strerror(errno));
	}
	return fd;
}

static void *read_file(const char *name, size_t *size)
{
	struct stat st;
	void *buf;
	int fd = open(name, O_RDONLY);

	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "jailhouse: cannot read %s: %s\n", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (st.st_size > JAILHOUSE_MAX_CONFIG) {
		fprintf(stderr, "jailhouse: %s is too large for a configuration\n", name);
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		fprintf(stderr, "jailhouse: cannot read %s: %s\n", name, strerror(errno));
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	*size = st.st_size;
	return buf;
}

static int cmd_enable(int argc, char *argv[])
{
	struct jailhouse_enable req = { 0 };
	size_t size;
	void *blob;
	int fd, ret;

	if (argc != 3) {
		fprintf(stderr, "Usage: jailhouse enable SYSTEM.cell\n");
		return 2;
	}
	blob = read_file(argv[2], &size);
	if (!blob)
		return 1;
	if (cli_jailhouse_blob(argv[2], blob, size)) {
		free(blob);
		return 1;
	}
	fd = open_device(O_RDWR);
	if (fd < 0) {
		free(blob);
		return 1;
	}
	req.config = (uintptr_t)blob;
	req.size = size;
	ret = ioctl(fd, JAILHOUSE_ENABLE, &req);
	if (ret) {
		int err = errno;

		fprintf(stderr, "jailhouse: enable %s: %s (%s)\n", argv[2], refusal_text(fd, err),
			strerror(err));
	}
	close(fd);
	free(blob);
	return ret ? 1 : 0;
}

static int cmd_disable(void)
{
	int fd = open_device(O_RDWR), ret;

	if (fd < 0)
		return 1;
	ret = ioctl(fd, JAILHOUSE_DISABLE);
	if (ret) {
		int err = errno;

		fprintf(stderr, "jailhouse: disable: %s (%s)\n", refusal_text(fd, err), strerror(err));
	}
	close(fd);
	return ret ? 1 : 0;
}

static int cmd_console(int argc, char *argv[])
{
	int follow = argc > 2 && (!strcmp(argv[2], "-f") || !strcmp(argv[2], "--follow"));
	char buf[4096];
	ssize_t n;
	int fd;

	if (argc > 3 || (argc == 3 && !follow)) {
		fprintf(stderr, "Usage: jailhouse console [-f|--follow]\n");
		return 2;
	}
	fd = open_device(O_RDONLY);
	if (fd < 0)
		return 1;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EPERM)
				fprintf(stderr, "jailhouse: console: while enabled, the "
					"hypervisor console is readable only if the system "
					"configuration shares it (virtual-debug-console)\n");
			else
				fprintf(stderr, "jailhouse: console: %s\n", strerror(errno));
			break;
		}
		if (n > 0) {
			fwrite(buf, 1, n, stdout);
			continue;
		}
		if (!follow)
			break;
		fflush(stdout);
		usleep(200000);
	}
	close(fd);
	return n < 0 ? 1 : 0;
}

static int cmd_status(void)
{
	char virt[256], enabled[16];

	if (read_sysfs_line(VIRT_ATTR, virt, sizeof(virt)) ||
	    read_sysfs_line("enabled", enabled, sizeof(enabled))) {
		fprintf(stderr, "jailhouse: the module is not loaded (modprobe jailhouse; "
			"jailhouse hardware check says what enable needs)\n");
		return 1;
	}
	printf(VIRT_LABEL " %s\nenabled: %s\n", virt, enabled);
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
	if (!strcmp(argv[1], "enable"))
		return cmd_enable(argc, argv);
	if (!strcmp(argv[1], "disable") && argc == 2)
		return cmd_disable();
	if (!strcmp(argv[1], "console"))
		return cmd_console(argc, argv);
	if (!strcmp(argv[1], "status"))
		return cmd_status();
	if (!strcmp(argv[1], "cell"))
		return cmd_cell(argc, argv);
	if (!strcmp(argv[1], "hardware"))
		return cmd_hardware(argc, argv);
	if (!strcmp(argv[1], "config"))
		return cmd_config(argc, argv);
	fprintf(stderr, "jailhouse: unknown command '%s' (see jailhouse --help)\n", argv[1]);
	return 2;
}
