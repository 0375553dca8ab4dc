// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lib-selftest: checks the library's pure parts inside a real inmate (printk formatting,
 * command-line parsing, timer conversions, string helpers, map_range rules). Boot it with
 * the command line the test host expects:
 *   str=hello num2=7 num=42 hex=0x1F flag bad=12x off=off list=3,0x3f8,17 badlist=5,x,6
 * Ends with "selftest: N passed, M failed" and returns (bare-metal: QEMU powers off).
 * x86 adds, bare-metal only (a cell may own neither): the IOAPIC helpers and an interrupt from
 * COM1 (THR empty) through IOAPIC pin 4 to the library's IRQ dispatch.
 */
#include <inmate.h>

static unsigned int passed, failed;

static void check_str(const char *what, const char *got, const char *want)
{
	if (!strncmp(got, want, 256)) {
		passed++;
		return;
	}
	failed++;
	printk("selftest: FAIL %s: got \"%s\", want \"%s\"\n", what, got, want);
}

static void check_u64(const char *what, u64 got, u64 want)
{
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	printk("selftest: FAIL %s: got 0x%llx, want 0x%llx\n", what, got, want);
}

#define CHECK_FMT(want, ...) do {					\
	char buf[64];							\
	snprintk(buf, sizeof(buf), __VA_ARGS__);			\
	check_str(#__VA_ARGS__, buf, want);				\
} while (0)

static void test_printk(void)
{
	const char *volatile null_str = NULL;	/* volatile: keep gcc from judging %s of NULL */
	char small[4];

	CHECK_FMT("-5 42 007 x", "%d %u %03d %c", -5, 42, 7, 'x');
	/* long is as wide as int on 32-bit ARM: the l modifier must take the right size. */
	CHECK_FMT("-5 7 -9", "%ld %lu %lld", -5L, 7UL, -9LL);
	CHECK_FMT("   42|42   |-0042", "%5d|%-5d|%05d", 42, 42, -42);
	CHECK_FMT("beef BEEF 0000cafe", "%x %X %08x", 0xbeef, 0xbeef, 0xcafe);
	CHECK_FMT("18446744073709551615", "%llu", ~0ULL);
	CHECK_FMT("-9223372036854775808", "%lld", (long long)(1ULL << 63));
	CHECK_FMT("00000000deadbeef", "%016llx", 0xdeadbeefULL);
	CHECK_FMT("123456789abcdef0 7", "%llx %zu", 0x123456789abcdef0ULL, (size_t)7);
	CHECK_FMT("[hi   ] [   hi] (null)", "[%-5s] [%5s] %s", "hi", "hi", null_str);
	CHECK_FMT("0x1000 100%", "%p %d%%", (void *)0x1000, 100);
	check_u64("snprintk truncation length", snprintk(small, sizeof(small), "abcdef"), 6);
	check_str("snprintk truncation", small, "abc");
}

static void test_cmdline_list(void)
{
	u64 v[4] = { 0 };

	check_u64("list count", cmdline_get_u64_list("list", v, 4), 3);
	check_u64("list 1st", v[0], 3);
	check_u64("list 2nd (hex)", v[1], 0x3f8);
	check_u64("list 3rd", v[2], 17);
	check_u64("list capped at max", cmdline_get_u64_list("list", v, 2), 2);
	check_u64("list stops at a malformed item", cmdline_get_u64_list("badlist", v, 4), 1);
	check_u64("absent list", cmdline_get_u64_list("nope", v, 4), 0);
}

static void test_cmdline(void)
{
	char buf[16];

	check_u64("str present", cmdline_get_str("str", buf, sizeof(buf)), 1);
	check_str("str value", buf, "hello");
	check_u64("num (not num2)", cmdline_get_u64("num", 0), 42);
	check_u64("num2", cmdline_get_u64("num2", 0), 7);
	check_u64("hex", cmdline_get_u64("hex", 0), 0x1f);
	check_u64("bad number -> default", cmdline_get_u64("bad", 99), 99);
	check_u64("absent -> default", cmdline_get_u64("nope", 5), 5);
	check_u64("prefix is no match", cmdline_get_u64("nu", 3), 3);
	check_u64("bare flag", cmdline_get_bool("flag", false), 1);
	check_u64("flag=off", cmdline_get_bool("off", true), 0);
	check_u64("absent bool", cmdline_get_bool("nope", true), 1);
	check_u64("absent str", cmdline_get_str("nope", buf, sizeof(buf)), 0);
	check_u64("str truncation", cmdline_get_str("str", buf, 3), 1);
	check_str("str truncated", buf, "he");
	test_cmdline_list();
}

static void test_timer(void)
{
	u64 freq = timer_frequency();
	u64 t0 = timer_ticks();

	check_u64("frequency set", freq != 0, 1);
	check_u64("1 s of ticks", timer_ticks_to_ns(freq), NS_PER_SEC);
	check_u64("1000 s of ticks (no overflow)", timer_ticks_to_ns(freq * 1000),
		  1000ULL * NS_PER_SEC);
	check_u64("ns to ticks", timer_ns_to_ticks(NS_PER_SEC), freq);
	delay_us(1000);
	check_u64("delay_us(1000) waits", timer_ticks() - t0 >= timer_ns_to_ticks(1000000), 1);
}

/* 64-bit division: ARMv7 has no instruction for it (the library's __aeabi_*divmod). */
static void test_div64(void)
{
	volatile u64 n = 0x123456789abcdef0ULL, d = 0x12345, d2 = 0x100000001ULL;
	volatile long long sn = -0x123456789abcLL, sd = 1000;

	check_u64("u64 / 32-bit divisor", n / d, 0x100005b00205ULL);
	check_u64("u64 % 32-bit divisor", n % d, 0xa497);
	check_u64("u64 / 64-bit divisor", n / d2, 0x12345678);
	check_u64("u64 % 64-bit divisor", n % d2, 0x88888878);
	check_u64("s64 / rounds toward zero", (u64)(sn / sd), (u64)-20015998343LL);
	check_u64("s64 % has the dividend's sign", (u64)(sn % sd), (u64)-868LL);
}

static void test_strings_and_map(void)
{
	char a[8] = "abcdefg", b[8];

	memset(b, 'z', sizeof(b));
	memcpy(b, a, 4);
	check_u64("memcpy/memset", memcmp(b, "abcdzzzz", 8), 0);
	check_u64("strncmp stops at n", strncmp("abcx", "abcy", 3), 0);
	check_u64("strlen", strlen(a), 7);
#ifdef __aarch64__
	if (!mmu_enabled())
		return;
	/* With the MMU on a valid mapping must not be changed without break-before-make. */
	check_u64("remap of a live range refused", map_range(0x09000000, PAGE_SIZE, MAP_NORMAL),
		  (u64)-1);
	check_u64("map beyond 39 bits refused", map_range(1UL << 39, PAGE_SIZE, MAP_DEVICE),
		  (u64)-1);
	check_u64("map of a fresh range", map_range(0x200000000UL, PAGE_SIZE, MAP_DEVICE), 0);
	/* remap_range: break-before-make over live entries, never over the image */
	check_u64("remap_range of a live Device page as Normal",
		  remap_range(0x0a000000, PAGE_SIZE, MAP_NORMAL_NOEXEC), 0);
	check_u64("remap_range of a live block (split) back to Device",
		  remap_range(0x0a000000, 4 * PAGE_SIZE, MAP_DEVICE), 0);
	check_u64("remap_range over the image refused",
		  remap_range((uintptr_t)&passed, 1, MAP_DEVICE), (u64)-1);
	check_u64("console still works after a remap", printk("%s", ""), 0);
#endif
}

#ifdef __x86_64__
#define COM1			0x3f8
#define COM1_PIN		4
#define UART_IER		1
#define UART_IER_THRE		0x02
#define TEST_VECTOR		(IRQ_IOAPIC_BASE + COM1_PIN)

static volatile unsigned int test_irqs;

static void test_irq(unsigned int vector, u64 entry_ticks)
{
	(void)entry_ticks;
	if (vector == TEST_VECTOR) {
		test_irqs++;
		outb(COM1 + UART_IER, 0);	/* one is enough: THR stays empty */
	}
}

static void test_x86(void)
{
	u64 end;

	check_u64("cpu_apic_id is the APIC's", cpu_apic_id(), apic_id());
	check_u64("APIC timer frequency set", apic_timer_frequency() != 0, 1);
	if (comm_region())
		return;
	check_u64("IOAPIC has 24 pins", (ioapic_read(IOAPIC_REG_VERSION) >> 16) & 0xff, 23);
	ioapic_set_pin(10, 0x3a, 1, IOAPIC_MASKED | IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW);
	check_u64("IOAPIC entry written", ioapic_get_pin(10),
		  (1UL << 56) | IOAPIC_MASKED | IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW | 0x3a);
	ioapic_mask_pin(10);

	irq_init(test_irq);
	ioapic_set_pin(COM1_PIN, TEST_VECTOR, apic_id(), 0);
	local_irq_enable();
	outb(COM1 + UART_IER, UART_IER_THRE);
	end = timer_ticks() + timer_ns_to_ticks(100000000);
	while (!test_irqs && timer_ticks() < end)
		cpu_relax();
	local_irq_disable();
	ioapic_mask_pin(COM1_PIN);
	check_u64("COM1 interrupt through IOAPIC pin 4", test_irqs, 1);
}
#else
static void test_x86(void)
{
}
#endif

#ifdef __arm__
/* Thumb-2 code in an ARM-state library: interworking calls both ways, division, printk. */
static __attribute__((target("thumb"), noinline)) u64 thumb_work(volatile u64 *n)
{
	return *n / 1000;
}

static void test_arm(void)
{
	volatile u64 n = 123456789012ULL;

	/* MRS reads the T bit as 0: the function's address (bit 0) says it is Thumb. */
	check_u64("Thumb function", (uintptr_t)thumb_work & 1, 1);
	check_u64("Thumb function result", thumb_work(&n), 123456789);
	check_u64("back in ARM state, SVC mode", local_irq_save() & 0x3f, 0x13);
}
#else
static void test_arm(void)
{
}
#endif

void inmate_main(void)
{
	test_printk();
	test_cmdline();
	test_timer();
	test_div64();
	test_strings_and_map();
	test_x86();
	test_arm();
	printk("selftest: %u passed, %u failed\n", passed, failed);
}
