// SPDX-License-Identifier: GPL-2.0
/*
 * hv/arch/arm/regs.c in Hyp mode on QEMU's Cortex-A15: every register of every guest mode read
 * and written through arm_guest_reg_read/write against the banked registers set and read here
 * directly, the PC of ARM and Thumb, hostile modes (no access at all, no exception), the skip
 * of 16- and 32-bit instructions with IT advance and the trap condition from SPSR_hyp. Prints
 * "arm-hyp: N checks, M failed" on the PL011; any exception taken in Hyp is a failure.
 */
#include <hv.h>
#include <asm/decode.h>
#include <asm/regs.h>

#define UART_DR		((volatile u32 *)0x09000000)

static unsigned int checks, failures;

static void puts_uart(const char *s)
{
	while (*s)
		*UART_DR = *s++;
}

static void put_dec(unsigned int v)
{
	char buf[12];
	int i = sizeof(buf) - 1;

	buf[i] = 0;
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	puts_uart(&buf[i]);
}

static void put_hex(u32 v)
{
	int i;

	puts_uart("0x");
	for (i = 28; i >= 0; i -= 4)
		*UART_DR = "0123456789abcdef"[(v >> i) & 0xf];
}

#define CHECK(cond) do {							\
	checks++;								\
	if (!(cond)) {								\
		failures++;							\
		puts_uart("arm-hyp: line ");					\
		put_dec(__LINE__);						\
		puts_uart(": CHECK(" #cond ") failed\n");			\
	}									\
} while (0)

void hyp_exception(u32 hsr, u32 elr);
int main(void);

void hyp_exception(u32 hsr, u32 elr)
{
	puts_uart("arm-hyp: exception in Hyp, HSR ");
	put_hex(hsr);
	puts_uart(" ELR ");
	put_hex(elr);
	puts_uart("\narm-hyp: FAILED\n");
}

#define SET(name, v)	asm volatile("msr " #name ", %0" : : "r"((u32)(v)))
#define GET(name)	({ u32 _v; asm volatile("mrs %0, " #name : "=r"(_v)); _v; })

static void set_spsr(u32 v)
{
	asm volatile("msr spsr_fsxc, %0" : : "r"(v));
}

static u32 get_spsr(void)
{
	u32 v;

	asm volatile("mrs %0, spsr" : "=r"(v));
	return v;
}

/* Every banked register a distinct value: 0xb0000000 | register id << 8. */
static void fill_banks(void)
{
	SET(r8_fiq, 0xb0000800);
	SET(r9_fiq, 0xb0000900);
	SET(r10_fiq, 0xb0000a00);
	SET(r11_fiq, 0xb0000b00);
	SET(r12_fiq, 0xb0000c00);
	SET(sp_usr, 0xb0001000);
	SET(sp_fiq, 0xb0001100);
	SET(lr_fiq, 0xb0001200);
	SET(sp_irq, 0xb0001300);
	SET(lr_irq, 0xb0001400);
	SET(sp_svc, 0xb0001500);
	SET(lr_svc, 0xb0001600);
	SET(sp_abt, 0xb0001700);
	SET(lr_abt, 0xb0001800);
	SET(sp_und, 0xb0001900);
	SET(lr_und, 0xb0001a00);
}

static const struct {
	u32 mode;
	u32 sp, lr;	/* expected fill values; lr 0 = the frame's lr_usr */
} modes[] = {
	{ PSR_MODE_USR, 0xb0001000, 0 },
	{ PSR_MODE_SYS, 0xb0001000, 0 },
	{ PSR_MODE_FIQ, 0xb0001100, 0xb0001200 },
	{ PSR_MODE_IRQ, 0xb0001300, 0xb0001400 },
	{ PSR_MODE_SVC, 0xb0001500, 0xb0001600 },
	{ PSR_MODE_ABT, 0xb0001700, 0xb0001800 },
	{ PSR_MODE_UND, 0xb0001900, 0xb0001a00 },
};

static void init_frame(struct regs *regs)
{
	unsigned int n;

	for (n = 0; n < 13; n++)
		regs->r[n] = 0xf0000000 | n;
	regs->lr_usr = 0xf000000e;
}

/* the value register n has after a write through the accessor, read back directly */
static u32 read_back(const struct regs *regs, u32 mode, unsigned int n)
{
	if (n >= 8 && n <= 12 && mode == PSR_MODE_FIQ) {
		switch (n) {
		case 8:
			return GET(r8_fiq);
		case 9:
			return GET(r9_fiq);
		case 10:
			return GET(r10_fiq);
		case 11:
			return GET(r11_fiq);
		default:
			return GET(r12_fiq);
		}
	}
	if (n < 13)
		return regs->r[n];
	switch (mode) {
	case PSR_MODE_USR:
	case PSR_MODE_SYS:
		return n == 13 ? GET(sp_usr) : regs->lr_usr;
	case PSR_MODE_FIQ:
		return n == 13 ? GET(sp_fiq) : GET(lr_fiq);
	case PSR_MODE_IRQ:
		return n == 13 ? GET(sp_irq) : GET(lr_irq);
	case PSR_MODE_SVC:
		return n == 13 ? GET(sp_svc) : GET(lr_svc);
	case PSR_MODE_ABT:
		return n == 13 ? GET(sp_abt) : GET(lr_abt);
	default:
		return n == 13 ? GET(sp_und) : GET(lr_und);
	}
}

static void test_modes(void)
{
	struct regs regs;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		u32 mode = modes[i].mode;

		fill_banks();
		init_frame(&regs);
		set_spsr(0xf0000000 | mode);
		for (n = 0; n < 8; n++)
			CHECK(arm_guest_reg_read(&regs, n) == (0xf0000000 | n));
		for (n = 8; n <= 12; n++)
			CHECK(arm_guest_reg_read(&regs, n) == (mode == PSR_MODE_FIQ ?
				0xb0000000 | n << 8 : 0xf0000000 | n));
		CHECK(arm_guest_reg_read(&regs, 13) == modes[i].sp);
		CHECK(arm_guest_reg_read(&regs, 14) == (modes[i].lr ?: 0xf000000e));
		for (n = 0; n < 15; n++) {
			u32 val = 0x5a000000 | mode << 8 | n;

			arm_guest_reg_write(&regs, n, val);
			CHECK(read_back(&regs, mode, n) == val);
			CHECK(arm_guest_reg_read(&regs, n) == val);
		}
		/* the User bank's r8-r12 stay the frame's in FIQ mode */
		if (mode == PSR_MODE_FIQ)
			CHECK(regs.r[8] == 0xf0000008 && regs.r[12] == 0xf000000c);
		/* nobody else's SP was touched */
		if (mode != PSR_MODE_SVC)
			CHECK(GET(sp_svc) == 0xb0001500);
		if (mode != PSR_MODE_USR && mode != PSR_MODE_SYS)
			CHECK(GET(sp_usr) == 0xb0001000);
		CHECK((get_spsr() & PSR_MODE_MASK) == mode);
	}
}

static void test_pc_and_hostile(void)
{
	static const u32 hostile[] = { PSR_MODE_HYP, PSR_MODE_MON, 0x00, 0x0f, 0x14, 0x15, 0x1c };
	struct regs regs;
	unsigned int i, n;

	init_frame(&regs);
	SET(ELR_hyp, 0x40001000);
	set_spsr(PSR_MODE_SVC);
	CHECK(arm_guest_reg_read(&regs, 15) == 0x40001008);
	arm_guest_reg_write(&regs, 15, 0x1234);
	CHECK(GET(ELR_hyp) == 0x40001000);
	set_spsr(PSR_MODE_SVC | PSR_T);
	CHECK(arm_guest_reg_read(&regs, 15) == 0x40001004);
	CHECK(arm_guest_mode_valid());

	for (i = 0; i < ARRAY_SIZE(hostile); i++) {
		fill_banks();
		set_spsr(hostile[i]);
		CHECK(!arm_guest_mode_valid());
		for (n = 0; n < 16; n++) {
			CHECK(arm_guest_reg_read(&regs, n) == 0);
			arm_guest_reg_write(&regs, n, 0xdead);
		}
		init_frame(&regs);
		CHECK(GET(sp_usr) == 0xb0001000 && GET(r8_fiq) == 0xb0000800);
		CHECK(regs.r[0] == 0xf0000000);
		CHECK(GET(ELR_hyp) == 0x40001000);
	}
}

static void test_skip_and_cond(void)
{
	const u32 hsr16 = 0x01U << 26, hsr32 = 0x03U << 26 | HSR_IL;	/* 16-bit WFI, MCR */
	/* ITTE EQ (ITSTATE 0x06) in Thumb SVC with Z set, other bits that must survive */
	const u32 others = 0x40000000 | 0xfU << 16 | 7U << 6 | PSR_MODE_SVC | PSR_T;
	const u32 it06 = others | (0x06U & 0xfc) << 8 | (0x06U & 3) << 25;

	SET(ELR_hyp, 0x40002000);
	set_spsr(it06);
	CHECK(arm_trap_condition_passed(hsr32));		/* EQ with Z */
	arm_skip_trapped_instruction(hsr32);
	CHECK(GET(ELR_hyp) == 0x40002004);
	CHECK(get_spsr() == (others | 0x0cU << 8));		/* ITSTATE 0x0c */
	CHECK(arm_trap_condition_passed(hsr16));		/* EQ */
	arm_skip_trapped_instruction(hsr16);
	CHECK(GET(ELR_hyp) == 0x40002006);
	CHECK(get_spsr() == (others | 0x18U << 8));		/* ITSTATE 0x18: NE */
	CHECK(!arm_trap_condition_passed(hsr16));
	arm_skip_trapped_instruction(hsr16);
	CHECK(GET(ELR_hyp) == 0x40002008);
	CHECK(get_spsr() == others);				/* block over */
	CHECK(arm_trap_condition_passed(hsr16));

	/* ARM state, CV/COND: MCRNE with Z set fails, MCREQ passes */
	set_spsr(0x40000000 | PSR_MODE_SVC);
	CHECK(!arm_trap_condition_passed(hsr32 | HSR_CV | 0x1U << 20));
	CHECK(arm_trap_condition_passed(hsr32 | HSR_CV | 0x0U << 20));
	arm_skip_trapped_instruction(hsr32);
	CHECK(GET(ELR_hyp) == 0x4000200c);
	CHECK(get_spsr() == (0x40000000 | PSR_MODE_SVC));
}

int main(void)
{
	test_modes();
	test_pc_and_hostile();
	test_skip_and_cond();
	puts_uart("arm-hyp: ");
	put_dec(checks);
	puts_uart(" checks, ");
	put_dec(failures);
	puts_uart(" failed\n");
	return 0;
}
