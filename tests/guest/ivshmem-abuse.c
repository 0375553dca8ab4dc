// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-abuse DEV: hand /dev/ivshmem<N> (kmod/ivshmem/ivshmem_ioctl.h) every malformed
 * request user space can make - mmap of regions that do not exist, too long, private, writable
 * where the layout is read-only (also later, with mprotect), grown with mremap; ioctls that do
 * not exist or point nowhere; reads and writes of the wrong size or from bad buffers; doorbells
 * to itself, beyond the link, to another vector; registers through the mapping at every width -
 * and print one line per case, "PASS name" or "FAIL name: what happened". Exit 0 when every
 * case passed, 1 otherwise, 2 on a usage error or when the device cannot be opened.
 *
 * ivshmem-abuse DEV hold SECONDS: open and map the device, print "held", wait for SIGUSR1 (or
 * SECONDS), then touch the mappings and call read/write/ioctl again: after the device went
 * away (jailhouse disable removes the root's ends) every call must fail with ENODEV and every
 * touch raise SIGBUS, printed as PASS/FAIL lines like above.
 *
 * Built static for the guest; tests/system/hostile-ivshmem.sh turns each line into a check.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ivshmem.h"
#include "ivshmem/ivshmem_ioctl.h"

/* An address in the kernel's half: arm64/x86-64 top half, ARMv7's 3G/1G split */
#define KERNEL_ADDR	((void *)(uintptr_t)(sizeof(void *) == 8 ? 0xffff000000000000ull : \
						     0xc0000000ull))

static int failures;
static long page;
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t faulted, woken;

static void result(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s", ok ? "PASS" : "FAIL", name);
	if (!ok) {
		failures++;
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	fflush(stdout);
}

/* The call returned -1 with errno want. */
static void expect_errno(const char *name, long ret, int want)
{
	int err = errno;

	result(ret == -1 && err == want, name, "returned %ld, errno %s (expected %s)", ret,
	       ret == -1 ? strerror(err) : "-", strerror(want));
}

static void on_sigbus(int sig)
{
	(void)sig;
	faulted = 1;
	siglongjmp(fault_jmp, 1);
}

static void on_usr1(int sig)
{
	(void)sig;
	woken = 1;
}

/* Read (or write) one word of a mapping; 1 if that raised SIGBUS/SIGSEGV. */
static int touch_faults(volatile uint32_t *p, int write)
{
	faulted = 0;
	if (!sigsetjmp(fault_jmp, 1)) {
		if (write)
			*p = 0;
		else
			(void)*p;
	}
	return faulted;
}

static void *map(int fd, unsigned long index, size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags, fd, (off_t)index * page);
}

static void abuse_mmap(int fd, const struct ivshmem_info *info)
{
	size_t state_len = (info->state_size + page - 1) / page * page;
	size_t out_len = (info->out_size + page - 1) / page * page;
	unsigned int other = info->id ? 0 : 1;
	void *p;

	p = map(fd, IVSHMEM_MMAP_STATE, state_len, PROT_READ | PROT_WRITE, MAP_SHARED);
	expect_errno("mmap state table writable", p == MAP_FAILED ? -1 : 0, EACCES);
	p = map(fd, IVSHMEM_MMAP_STATE, state_len, PROT_READ, MAP_SHARED);
	result(p != MAP_FAILED, "mmap state table read-only", "%s", strerror(errno));
	if (p != MAP_FAILED) {
		expect_errno("mprotect state table to writable",
			     mprotect(p, state_len, PROT_READ | PROT_WRITE), EACCES);
		expect_errno("mremap state table larger",
			     mremap(p, state_len, state_len + page, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0,
			     EFAULT);
		munmap(p, state_len);
	}
	p = map(fd, IVSHMEM_MMAP_STATE, state_len + page, PROT_READ, MAP_SHARED);
	expect_errno("mmap state table longer than it is", p == MAP_FAILED ? -1 : 0, EINVAL);
	p = map(fd, IVSHMEM_MMAP_STATE, state_len, PROT_READ, MAP_PRIVATE);
	expect_errno("mmap state table private", p == MAP_FAILED ? -1 : 0, EINVAL);
	p = map(fd, IVSHMEM_MMAP_OUTPUT(other), out_len, PROT_READ | PROT_WRITE, MAP_SHARED);
	expect_errno("mmap another peer's output writable", p == MAP_FAILED ? -1 : 0, EACCES);
	p = map(fd, IVSHMEM_MMAP_OUTPUT(other), out_len, PROT_READ, MAP_SHARED);
	result(p != MAP_FAILED, "mmap another peer's output read-only", "%s", strerror(errno));
	if (p != MAP_FAILED) {
		expect_errno("mprotect another peer's output to writable",
			     mprotect(p, out_len, PROT_READ | PROT_WRITE), EACCES);
		munmap(p, out_len);
	}
	p = map(fd, IVSHMEM_MMAP_OUTPUT(info->id), out_len, PROT_READ | PROT_WRITE, MAP_SHARED);
	result(p != MAP_FAILED, "mmap own output writable", "%s", strerror(errno));
	if (p != MAP_FAILED) {
		volatile uint32_t *w = p;
		uint32_t old = w[out_len / 4 - 1];

		w[out_len / 4 - 1] = 0x5a5aa5a5;
		result(w[out_len / 4 - 1] == 0x5a5aa5a5, "own output: write reads back", "no");
		w[out_len / 4 - 1] = old;
		/* half of it unmapped: the rest stays where it was */
		if (out_len > (size_t)page) {
			munmap(p, page);
			result(!touch_faults(w + page / 4, 0), "own output: tail after partial munmap",
			       "faulted");
			munmap((char *)p + page, out_len - page);
		} else {
			munmap(p, out_len);
		}
	}
	p = map(fd, IVSHMEM_MMAP_OUTPUT(info->max_peers), page, PROT_READ, MAP_SHARED);
	expect_errno("mmap output of peer max_peers", p == MAP_FAILED ? -1 : 0, EINVAL);
	p = map(fd, IVSHMEM_MMAP_OUTPUT(255), page, PROT_READ, MAP_SHARED);
	expect_errno("mmap output of peer 255", p == MAP_FAILED ? -1 : 0, EINVAL);
	p = map(fd, 1UL << 30, page, PROT_READ, MAP_SHARED);
	expect_errno("mmap index 2^30", p == MAP_FAILED ? -1 : 0, EINVAL);
	if (!info->rw_size) {
		p = map(fd, IVSHMEM_MMAP_RW, page, PROT_READ, MAP_SHARED);
		expect_errno("mmap an empty read/write section", p == MAP_FAILED ? -1 : 0, EINVAL);
	}
	p = map(fd, IVSHMEM_MMAP_REGS, 2 * page, PROT_READ, MAP_SHARED);
	expect_errno("mmap registers two pages", p == MAP_FAILED ? -1 : 0, EINVAL);
	p = map(fd, IVSHMEM_MMAP_STATE, state_len, PROT_READ | PROT_EXEC, MAP_SHARED);
	if (p != MAP_FAILED) {
		/* allowed by the driver; the hypervisor maps link memory never executable */
		result(1, "mmap state table executable (only as far as the hypervisor allows)", "-");
		munmap(p, state_len);
	}
}

static void abuse_regs(int fd, const struct ivshmem_info *info)
{
	volatile uint8_t *r = map(fd, IVSHMEM_MMAP_REGS, page, PROT_READ | PROT_WRITE, MAP_SHARED);
	uint32_t v;

	result(r != MAP_FAILED, "mmap registers", "%s", strerror(errno));
	if (r == MAP_FAILED)
		return;
	v = *(volatile uint32_t *)(r + IVSHMEM_REG_ID);
	result(v == info->id, "register ID (32-bit)", "reads %u, info says %u", v, info->id);
	v = *(volatile uint32_t *)(r + IVSHMEM_REG_MAX_PEERS);
	result(v == info->max_peers, "register MAX_PEERS (32-bit)", "reads %u", v);
	v = r[IVSHMEM_REG_MAX_PEERS];
	result(v == 0, "register MAX_PEERS as a byte reads 0", "reads %u", v);
	v = *(volatile uint16_t *)(r + IVSHMEM_REG_MAX_PEERS);
	result(v == 0, "register MAX_PEERS as 16 bits reads 0", "reads %u", v);
	v = (uint32_t)(*(volatile uint64_t *)(r + IVSHMEM_REG_ID) >> 32);
	result(v == 0, "registers ID+MAX_PEERS as 64 bits read 0", "high half %u", v);
	v = *(volatile uint32_t *)(r + 0xffc);
	result(v == 0, "offset 0xffc reads 0", "reads %#x", v);
	/* writes that must change nothing */
	*(volatile uint32_t *)(r + IVSHMEM_REG_ID) = 7;
	*(volatile uint32_t *)(r + IVSHMEM_REG_MAX_PEERS) = 9;
	*(volatile uint64_t *)(r + IVSHMEM_REG_INT_CTRL) = 0xffffffffffffffffull;
	r[IVSHMEM_REG_STATE] = 0xee;
	*(volatile uint32_t *)(r + 0x800) = 0xffffffff;
	v = *(volatile uint32_t *)(r + IVSHMEM_REG_ID);
	result(v == info->id, "ID unchanged by writes", "reads %u", v);
	v = *(volatile uint32_t *)(r + IVSHMEM_REG_MAX_PEERS);
	result(v == info->max_peers, "MAX_PEERS unchanged by writes", "reads %u", v);
	v = *(volatile uint32_t *)(r + IVSHMEM_REG_STATE);
	result(v != 0xee, "STATE not written by a byte", "reads %#x", v);
	munmap((void *)r, page);
}

static void abuse_calls(int fd, const struct ivshmem_info *info)
{
	uint32_t word = 0;
	char buf[8] = { 0 };

	expect_errno("ioctl unknown command", ioctl(fd, _IO(IVSHMEM_IOCTL_MAGIC, 99)), ENOTTY);
	expect_errno("ioctl of another driver (TCGETS)", ioctl(fd, 0x5401, buf), ENOTTY);
	expect_errno("ioctl INFO to NULL", ioctl(fd, IVSHMEM_IOCTL_INFO, NULL), EFAULT);
	expect_errno("ioctl INFO to a kernel address",
		     ioctl(fd, IVSHMEM_IOCTL_INFO, KERNEL_ADDR), EFAULT);
	expect_errno("ioctl SET_STATE from NULL", ioctl(fd, IVSHMEM_IOCTL_SET_STATE, NULL), EFAULT);
	expect_errno("ioctl SET_STATE from address 1", ioctl(fd, IVSHMEM_IOCTL_SET_STATE, (void *)1),
		     EFAULT);
	expect_errno("read 0 bytes", read(fd, buf, 0), EINVAL);
	expect_errno("read 3 bytes", read(fd, buf, 3), EINVAL);
	expect_errno("write 0 bytes", write(fd, buf, 0), EINVAL);
	expect_errno("write 3 bytes", write(fd, buf, 3), EINVAL);
	expect_errno("write 8 bytes", write(fd, buf, 8), EINVAL);
	expect_errno("write from a kernel address", write(fd, KERNEL_ADDR, 4), EFAULT);
	word = IVSHMEM_DOORBELL(info->id, 0);
	expect_errno("doorbell to itself", write(fd, &word, 4), EINVAL);
	word = IVSHMEM_DOORBELL(info->max_peers, 0);
	expect_errno("doorbell to peer max_peers", write(fd, &word, 4), EINVAL);
	word = IVSHMEM_DOORBELL(0xffff, 0);
	expect_errno("doorbell to peer 0xffff", write(fd, &word, 4), EINVAL);
	word = IVSHMEM_DOORBELL(info->id ? 0 : 1, 1);
	expect_errno("doorbell to vector 1", write(fd, &word, 4), EINVAL);
	word = IVSHMEM_DOORBELL(info->id ? 0 : 1, 0xffff);
	expect_errno("doorbell to vector 0xffff", write(fd, &word, 4), EINVAL);
}

/* The device goes away under an open, mapped file. */
static int hold(const char *dev, int seconds)
{
	struct ivshmem_info info;
	volatile uint32_t *regs, *state;
	uint32_t word;
	char buf[4];
	int fd = open(dev, O_RDWR);

	if (fd < 0 || ioctl(fd, IVSHMEM_IOCTL_INFO, &info)) {
		fprintf(stderr, "ivshmem-abuse: %s: %s\n", dev, strerror(errno));
		return 2;
	}
	regs = map(fd, IVSHMEM_MMAP_REGS, page, PROT_READ | PROT_WRITE, MAP_SHARED);
	state = map(fd, IVSHMEM_MMAP_STATE, page, PROT_READ, MAP_SHARED);
	if (regs == MAP_FAILED || state == MAP_FAILED) {
		fprintf(stderr, "ivshmem-abuse: mmap: %s\n", strerror(errno));
		return 2;
	}
	(void)regs[0];
	(void)state[0];
	printf("held\n");
	fflush(stdout);
	while (!woken && seconds-- > 0)
		sleep(1);
	result(touch_faults(regs, 0), "gone: register page raises SIGBUS", "it did not");
	result(touch_faults(state, 0), "gone: state table raises SIGBUS", "it did not");
	expect_errno("gone: read", read(fd, buf, 4), ENODEV);
	word = IVSHMEM_DOORBELL(info.id ? 0 : 1, 0);
	expect_errno("gone: write", write(fd, &word, 4), ENODEV);
	expect_errno("gone: ioctl INFO", ioctl(fd, IVSHMEM_IOCTL_INFO, &info), ENODEV);
	expect_errno("gone: mmap", map(fd, IVSHMEM_MMAP_REGS, page, PROT_READ, MAP_SHARED) ==
		     MAP_FAILED ? -1 : 0, ENODEV);
	close(fd);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	struct ivshmem_info info;
	int fd;

	page = sysconf(_SC_PAGESIZE);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	signal(SIGUSR1, on_usr1);
	if (argc == 4 && !strcmp(argv[2], "hold"))
		return hold(argv[1], atoi(argv[3]));
	if (argc != 2) {
		fprintf(stderr, "usage: ivshmem-abuse DEV [hold SECONDS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || ioctl(fd, IVSHMEM_IOCTL_INFO, &info)) {
		fprintf(stderr, "ivshmem-abuse: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	result(info.reserved == 0, "INFO reserved is 0", "%#x", info.reserved);
	result(info.id < info.max_peers && info.max_peers >= 2 && info.max_peers <= 16, "INFO id/peers",
	       "id %u, max_peers %u", info.id, info.max_peers);
	abuse_calls(fd, &info);
	abuse_mmap(fd, &info);
	abuse_regs(fd, &info);
	close(fd);
	return failures ? 1 : 0;
}
