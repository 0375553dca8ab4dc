// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 MMIO instruction decoder (hv/arch/x86/decode.c): real encodings (assembled with GNU
 * as) in 16-, 32- and 64-bit code decode to the right access, the refused forms are refused,
 * and loads complete into registers as the CPU would. The page-table walk: test_x86_walk.c.
 */
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "../arch/x86/decode.c"

/* One row: the code width, the bytes, and what the decoder must make of them. */
struct insn_case {
	unsigned int bits;
	const char *text;
	hv_u8 bytes[16];
	unsigned int nbytes;
	enum x86_decode_result res;
	unsigned int size;
	bool write, has_imm;
	hv_u64 imm;
	unsigned int reg;
	bool high_byte;
	unsigned int reg_size;
	bool sign_extend;
};

#define B(...) { __VA_ARGS__ }, sizeof((hv_u8[]){ __VA_ARGS__ })
#define OK X86_DEC_OK
#define W true
#define R false
/* A refused instruction: only the result counts. */
#define NO(res) res, 0, false, false, 0, 0, false, 0, false

static const struct insn_case cases[] = {
	/* The xAPIC accesses in Debian's 6.1 amd64 kernel (its APIC fixmap: 0xffffffffff5fd000). */
	{ 64, "mov -0xa03000(%rdi),%eax", B(0x8b, 0x87, 0x00, 0xd0, 0x5f, 0xff),
	  OK, 4, R, false, 0, X86_RAX, false, 4, false },
	{ 64, "mov %esi,-0xa03000(%rdi)", B(0x89, 0xb7, 0x00, 0xd0, 0x5f, 0xff),
	  OK, 4, W, false, 0, X86_RSI, false, 4, false },
	{ 64, "mov %edx,0xffffffffff5fd300", B(0x89, 0x14, 0x25, 0x00, 0xd3, 0x5f, 0xff),
	  OK, 4, W, false, 0, X86_RDX, false, 4, false },
	{ 64, "mov %edi,0xffffffffff5fd310", B(0x89, 0x3c, 0x25, 0x10, 0xd3, 0x5f, 0xff),
	  OK, 4, W, false, 0, X86_RDI, false, 4, false },
	{ 64, "mov 0xffffffffff5fd300,%eax", B(0x8b, 0x04, 0x25, 0x00, 0xd3, 0x5f, 0xff),
	  OK, 4, R, false, 0, X86_RAX, false, 4, false },
	/* 64-bit code: the same forms on other fixmaps, IOAPIC by pointer. */
	{ 64, "mov %eax,0xffffffffff5fc300", B(0x89, 0x04, 0x25, 0x00, 0xc3, 0x5f, 0xff),
	  OK, 4, W, false, 0, X86_RAX, false, 4, false },
	{ 64, "mov 0xffffffffff5fc020,%eax", B(0x8b, 0x04, 0x25, 0x20, 0xc0, 0x5f, 0xff),
	  OK, 4, R, false, 0, X86_RAX, false, 4, false },
	{ 64, "mov 0xffffffffff5fb010,%esi", B(0x8b, 0x34, 0x25, 0x10, 0xb0, 0x5f, 0xff),
	  OK, 4, R, false, 0, X86_RSI, false, 4, false },
	{ 64, "mov %r12d,0xffffffffff5fb000", B(0x44, 0x89, 0x24, 0x25, 0x00, 0xb0, 0x5f, 0xff),
	  OK, 4, W, false, 0, X86_R12, false, 4, false },
	{ 64, "mov %eax,0x300(%rdx)", B(0x89, 0x82, 0x00, 0x03, 0x00, 0x00),
	  OK, 4, W, false, 0, X86_RAX, false, 4, false },
	{ 64, "mov 0x300(%rdx),%eax", B(0x8b, 0x82, 0x00, 0x03, 0x00, 0x00),
	  OK, 4, R, false, 0, X86_RAX, false, 4, false },
	{ 64, "addr32 movl $0xc4500,0xfee00300",
	  B(0x67, 0xc7, 0x04, 0x25, 0x00, 0x03, 0xe0, 0xfe, 0x00, 0x45, 0x0c, 0x00),
	  OK, 4, W, true, 0xc4500, 0, false, 0, false },
	{ 64, "movl $0xc4500,-0x1200000(%rip)",
	  B(0xc7, 0x05, 0x00, 0x00, 0xe0, 0xfe, 0x00, 0x45, 0x0c, 0x00),
	  OK, 4, W, true, 0xc4500, 0, false, 0, false },
	{ 64, "mov %r9,(%r12)", B(0x4d, 0x89, 0x0c, 0x24),
	  OK, 8, W, false, 0, X86_R9, false, 8, false },
	{ 64, "mov %r13d,0x10(%rax,%rcx,4)", B(0x44, 0x89, 0x6c, 0x88, 0x10),
	  OK, 4, W, false, 0, X86_R13, false, 4, false },
	{ 64, "mov 0x8(%rsp,%r15,8),%r10", B(0x4e, 0x8b, 0x54, 0xfc, 0x08),
	  OK, 8, R, false, 0, X86_R10, false, 8, false },
	{ 64, "mov %ah,(%rbx)", B(0x88, 0x23),
	  OK, 1, W, false, 0, X86_RAX, true, 1, false },
	{ 64, "mov %sil,(%rbx)", B(0x40, 0x88, 0x33),
	  OK, 1, W, false, 0, X86_RSI, false, 1, false },
	{ 64, "mov (%rdi),%bh", B(0x8a, 0x3f),
	  OK, 1, R, false, 0, X86_RBX, true, 1, false },
	{ 64, "mov %r8b,0x1(%rsi)", B(0x44, 0x88, 0x46, 0x01),
	  OK, 1, W, false, 0, X86_R8, false, 1, false },
	{ 64, "mov %ax,(%rdi)", B(0x66, 0x89, 0x07),
	  OK, 2, W, false, 0, X86_RAX, false, 2, false },
	{ 64, "movw $0xbeef,0x20(%rbp)", B(0x66, 0xc7, 0x45, 0x20, 0xef, 0xbe),
	  OK, 2, W, true, 0xbeef, 0, false, 0, false },
	{ 64, "movq $-2,(%r13)", B(0x49, 0xc7, 0x45, 0x00, 0xfe, 0xff, 0xff, 0xff),
	  OK, 8, W, true, 0xfffffffffffffffeULL, 0, false, 0, false },
	{ 64, "movb $0x80,(%rax)", B(0xc6, 0x00, 0x80),
	  OK, 1, W, true, 0x80, 0, false, 0, false },
	{ 64, "movzbl 0x20(%rdx),%ecx", B(0x0f, 0xb6, 0x4a, 0x20),
	  OK, 1, R, false, 0, X86_RCX, false, 4, false },
	{ 64, "movzwq (%rdx),%r11", B(0x4c, 0x0f, 0xb7, 0x1a),
	  OK, 2, R, false, 0, X86_R11, false, 8, false },
	{ 64, "movsbl (%rax),%edx", B(0x0f, 0xbe, 0x10),
	  OK, 1, R, false, 0, X86_RDX, false, 4, true },
	{ 64, "movswq (%rax),%rax", B(0x48, 0x0f, 0xbf, 0x00),
	  OK, 2, R, false, 0, X86_RAX, false, 8, true },
	{ 64, "movsbw (%rax),%dx", B(0x66, 0x0f, 0xbe, 0x10),
	  OK, 1, R, false, 0, X86_RDX, false, 2, true },
	{ 64, "movabs 0xfee00020,%eax", B(0xa1, 0x20, 0x00, 0xe0, 0xfe, 0, 0, 0, 0),
	  OK, 4, R, false, 0, X86_RAX, false, 4, false },
	{ 64, "movabs %al,0xfec00000", B(0xa2, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0),
	  OK, 1, W, false, 0, X86_RAX, false, 1, false },
	{ 64, "mov %eax,%fs:0x300(%edx)", B(0x64, 0x67, 0x89, 0x82, 0x00, 0x03, 0x00, 0x00),
	  OK, 4, W, false, 0, X86_RAX, false, 4, false },
	{ 64, "mov %eax,0x12345678(,%rbx,2)", B(0x89, 0x04, 0x5d, 0x78, 0x56, 0x34, 0x12),
	  OK, 4, W, false, 0, X86_RAX, false, 4, false },
	{ 64, "mov 0x300(%r13),%r14d", B(0x45, 0x8b, 0xb5, 0x00, 0x03, 0x00, 0x00),
	  OK, 4, R, false, 0, X86_R14, false, 4, false },
	{ 64, "rex.w 66 mov %ax,(%rdi) (REX not last: ignored)", B(0x48, 0x66, 0x89, 0x07),
	  OK, 2, W, false, 0, X86_RAX, false, 2, false },
	{ 64, "rex.w 66 mov %rax,(%rdi) (REX.W wins over 66)", B(0x66, 0x48, 0x89, 0x07),
	  OK, 8, W, false, 0, X86_RAX, false, 8, false },
	{ 64, "lock addl $1,(%rax)", B(0xf0, 0x83, 0x00, 0x01), NO(X86_DEC_UNSUPPORTED) },
	{ 64, "add %eax,(%rdx)", B(0x01, 0x02), NO(X86_DEC_UNSUPPORTED) },
	{ 64, "mov %eax,%edx", B(0x89, 0xc2), NO(X86_DEC_NOT_MEMORY) },
	{ 64, "rep movsb", B(0xf3, 0xa4), NO(X86_DEC_UNSUPPORTED) },
	{ 64, "movl $1,(%rax) as C7 /1", B(0xc7, 0x08, 0x01, 0, 0, 0), NO(X86_DEC_UNSUPPORTED) },
	{ 64, "movnti %eax,(%rdx)", B(0x0f, 0xc3, 0x02), NO(X86_DEC_UNSUPPORTED) },
	{ 64, "15 prefixes + mov: over 15 bytes",
	  B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x89, 0x07), NO(X86_DEC_TRUNCATED) },
	/* 32-bit code. */
	{ 32, "movl $0xc4500,0xfee00300",
	  B(0xc7, 0x05, 0x00, 0x03, 0xe0, 0xfe, 0x00, 0x45, 0x0c, 0x00),
	  OK, 4, W, true, 0xc4500, 0, false, 0, false },
	{ 32, "mov %eax,0xfee00300", B(0xa3, 0x00, 0x03, 0xe0, 0xfe),
	  OK, 4, W, false, 0, X86_RAX, false, 4, false },
	{ 32, "mov 0xfee00020,%ecx", B(0x8b, 0x0d, 0x20, 0x00, 0xe0, 0xfe),
	  OK, 4, R, false, 0, X86_RCX, false, 4, false },
	{ 32, "mov %eax,0x300(%edx)", B(0x89, 0x82, 0x00, 0x03, 0x00, 0x00),
	  OK, 4, W, false, 0, X86_RAX, false, 4, false },
	{ 32, "movl $0x1,0xb0(%eax)", B(0xc7, 0x80, 0xb0, 0x00, 0x00, 0x00, 0x01, 0, 0, 0),
	  OK, 4, W, true, 1, 0, false, 0, false },
	{ 32, "mov %ax,(%ebx,%esi,2)", B(0x66, 0x89, 0x04, 0x73),
	  OK, 2, W, false, 0, X86_RAX, false, 2, false },
	{ 32, "mov (%bx,%si),%eax", B(0x67, 0x8b, 0x00),
	  OK, 4, R, false, 0, X86_RAX, false, 4, false },
	{ 32, "mov %dh,(%eax)", B(0x88, 0x30),
	  OK, 1, W, false, 0, X86_RDX, true, 1, false },
	{ 32, "movzwl 0x10(%ecx),%eax", B(0x0f, 0xb7, 0x41, 0x10),
	  OK, 2, R, false, 0, X86_RAX, false, 4, false },
	{ 32, "mov 0xfec00010,%eax", B(0xa1, 0x10, 0x00, 0xc0, 0xfe),
	  OK, 4, R, false, 0, X86_RAX, false, 4, false },
	{ 32, "movw $0x1234,0x10(%edi)", B(0x66, 0xc7, 0x47, 0x10, 0x34, 0x12),
	  OK, 2, W, true, 0x1234, 0, false, 0, false },
	{ 32, "movsbl (%esi),%edi", B(0x0f, 0xbe, 0x3e),
	  OK, 1, R, false, 0, X86_RDI, false, 4, true },
	{ 32, "dec %eax; mov (REX byte is an opcode here)", B(0x48, 0x89, 0x07),
	  NO(X86_DEC_UNSUPPORTED) },
	/* 16-bit code (real mode, the cells' start). */
	{ 16, "mov %eax,0x300(%edi)", B(0x67, 0x66, 0x89, 0x87, 0x00, 0x03, 0x00, 0x00),
	  OK, 4, W, false, 0, X86_RAX, false, 4, false },
	{ 16, "movl $0xc4500,%es:0x300(%di)",
	  B(0x26, 0x66, 0xc7, 0x85, 0x00, 0x03, 0x00, 0x45, 0x0c, 0x00),
	  OK, 4, W, true, 0xc4500, 0, false, 0, false },
	{ 16, "mov %ax,(%bx,%si)", B(0x89, 0x00),
	  OK, 2, W, false, 0, X86_RAX, false, 2, false },
	{ 16, "mov 0x12(%bp),%cx", B(0x8b, 0x4e, 0x12),
	  OK, 2, R, false, 0, X86_RCX, false, 2, false },
	{ 16, "mov (%bx),%al", B(0x8a, 0x07),
	  OK, 1, R, false, 0, X86_RAX, false, 1, false },
	{ 16, "mov %eax,0x4000", B(0x66, 0xa3, 0x00, 0x40),
	  OK, 4, W, false, 0, X86_RAX, false, 4, false },
	{ 16, "movw $0x5,0x20", B(0xc7, 0x06, 0x20, 0x00, 0x05, 0x00),
	  OK, 2, W, true, 5, 0, false, 0, false },
	{ 16, "addr32 mov %eax,0xfee00300", B(0x67, 0x66, 0xa3, 0x00, 0x03, 0xe0, 0xfe),
	  OK, 4, W, false, 0, X86_RAX, false, 4, false },
	{ 16, "mov 0x20,%ax", B(0xa1, 0x20, 0x00),
	  OK, 2, R, false, 0, X86_RAX, false, 2, false },
	{ 16, "mov %ch,(%di)", B(0x88, 0x2d),
	  OK, 1, W, false, 0, X86_RCX, true, 1, false },
	{ 16, "movl $0xfee00000,%eax (no memory operand)", B(0x66, 0xb8, 0, 0, 0xe0, 0xfe),
	  NO(X86_DEC_UNSUPPORTED) },
};

static void check_case(const struct insn_case *c)
{
	struct x86_mmio_insn insn;
	enum x86_decode_result res;
	unsigned int n;
	int before = test_failures;

	res = x86_decode_mmio(c->bytes, c->nbytes, c->bits, &insn);
	CHECK(res == c->res);
	if (res == X86_DEC_OK && c->res == X86_DEC_OK) {
		CHECK(insn.len == c->nbytes);
		CHECK(insn.size == c->size);
		CHECK(insn.write == c->write);
		CHECK(insn.has_imm == c->has_imm);
		CHECK(insn.imm == c->imm);
		if (!c->has_imm) {
			CHECK(insn.reg == c->reg);
			CHECK(insn.high_byte == c->high_byte);
		}
		if (!c->write) {
			CHECK(insn.reg_size == c->reg_size);
			CHECK(insn.sign_extend == c->sign_extend);
		}
		/* Any prefix of a complete instruction is truncated, never misread. */
		for (n = 0; n < c->nbytes; n++)
			CHECK(x86_decode_mmio(c->bytes, n, c->bits, &insn) == X86_DEC_TRUNCATED);
		/* Trailing bytes are not part of it. */
		{
			hv_u8 more[16];

			memset(more, 0x90, sizeof(more));
			memcpy(more, c->bytes, c->nbytes);
			CHECK(x86_decode_mmio(more, sizeof(more), c->bits, &insn) == X86_DEC_OK);
			CHECK(insn.len == c->nbytes);
		}
	}
	if (test_failures != before)
		fprintf(stderr, "  in case %u-bit \"%s\" (got %d)\n", c->bits, c->text, res);
}

static void check_code_bits(void)
{
	CHECK(x86_code_bits(0x60000010, 0, 2, 0) == 16);		/* real mode */
	CHECK(x86_code_bits(0x60000010, 0, 2, 0x49b) == 16);		/* real mode, D set */
	CHECK(x86_code_bits(0x11, 0, 2, 0xc9b) == 32);			/* flat 32-bit */
	CHECK(x86_code_bits(0x11, 0, 0x20002, 0xc9b) == 16);		/* virtual-8086 */
	CHECK(x86_code_bits(0x80050033, 0xd01, 2, 0xa9b) == 64);	/* long mode */
	CHECK(x86_code_bits(0x80050033, 0xd01, 2, 0xc9b) == 32);	/* compatibility */
	CHECK(x86_code_bits(0x80050033, 0x501, 2, 0x09b) == 16);	/* 16-bit compat */
	CHECK(x86_code_bits(0x80000011, 0x100, 2, 0xa9b) == 16);	/* L without LMA */
}

static void check_registers(void)
{
	uint64_t g[X86_NUM_GPRS];
	struct x86_mmio_insn insn;
	unsigned int i;

	for (i = 0; i < X86_NUM_GPRS; i++)
		g[i] = 0x1111111111111111ULL * (i + 1) | 0x8000000000000000ULL;
	CHECK(x86_gpr_read(g, X86_RAX, 8, false) == 0x9111111111111111ULL);
	CHECK(x86_gpr_read(g, X86_RCX, 4, false) == 0x22222222);
	CHECK(x86_gpr_read(g, X86_RDX, 2, false) == 0x3333);
	CHECK(x86_gpr_read(g, X86_RBX, 1, false) == 0x44);
	CHECK(x86_gpr_read(g, X86_RAX, 1, true) == 0x11);
	g[X86_RCX] = 0xabcd;
	CHECK(x86_gpr_read(g, X86_RCX, 1, true) == 0xab);

	x86_gpr_write(g, X86_R8, 4, false, 0xfffffffffee00300ULL);
	CHECK(g[X86_R8] == 0xfee00300);				/* zero-extended */
	g[X86_R9] = ~0ULL;
	x86_gpr_write(g, X86_R9, 2, false, 0x1234);
	CHECK(g[X86_R9] == 0xffffffffffff1234ULL);			/* partial */
	x86_gpr_write(g, X86_R9, 1, false, 0x56);
	CHECK(g[X86_R9] == 0xffffffffffff1256ULL);
	x86_gpr_write(g, X86_R9, 1, true, 0x78);
	CHECK(g[X86_R9] == 0xffffffffffff7856ULL);			/* bits 15:8 */
	x86_gpr_write(g, X86_R15, 8, false, 0x0123456789abcdefULL);
	CHECK(g[X86_R15] == 0x0123456789abcdefULL);

	/* movsbl (%rax),%edx loading 0x80; movsbw (%rax),%dx; movzbl; mov (%rdi),%bh. */
	g[X86_RDX] = ~0ULL;
	x86_decode_mmio((const hv_u8[]){ 0x0f, 0xbe, 0x10 }, 3, 64, &insn);
	x86_insn_complete_load(&insn, g, 0x80);
	CHECK(g[X86_RDX] == 0xffffff80);
	g[X86_RDX] = 0x1234567800000000ULL;
	x86_decode_mmio((const hv_u8[]){ 0x66, 0x0f, 0xbe, 0x10 }, 4, 64, &insn);
	x86_insn_complete_load(&insn, g, 0x7f80);
	CHECK(g[X86_RDX] == 0x123456780000ff80ULL);
	g[X86_RCX] = ~0ULL;
	x86_decode_mmio((const hv_u8[]){ 0x0f, 0xb6, 0x4a, 0x20 }, 4, 64, &insn);
	x86_insn_complete_load(&insn, g, 0x1ff);
	CHECK(g[X86_RCX] == 0xff);
	g[X86_RBX] = 0x1122334455667788ULL;
	x86_decode_mmio((const hv_u8[]){ 0x8a, 0x3f }, 2, 64, &insn);
	x86_insn_complete_load(&insn, g, 0xab);
	CHECK(g[X86_RBX] == 0x112233445566ab88ULL);
	x86_decode_mmio((const hv_u8[]){ 0x48, 0x0f, 0xbf, 0x00 }, 4, 64, &insn);
	x86_insn_complete_load(&insn, g, 0x8001);
	CHECK(g[X86_RAX] == 0xffffffffffff8001ULL);

	/* Stores: the register's bytes or the immediate. */
	g[X86_RAX] = 0xdeadbeefcafef00dULL;
	x86_decode_mmio((const hv_u8[]){ 0x88, 0x23 }, 2, 64, &insn);	/* mov %ah,(%rbx) */
	CHECK(x86_insn_store_value(&insn, g) == 0xf0);
	x86_decode_mmio((const hv_u8[]){ 0x89, 0x82, 0, 3, 0, 0 }, 6, 64, &insn);
	CHECK(x86_insn_store_value(&insn, g) == 0xcafef00d);
	x86_decode_mmio((const hv_u8[]){ 0x66, 0xc7, 0x45, 0x20, 0xef, 0xbe }, 6, 64, &insn);
	CHECK(x86_insn_store_value(&insn, g) == 0xbeef);
	CHECK(x86_decode_strerror(X86_DEC_UNSUPPORTED)[0] != 0);
}

/*
 * Random bytes (biased towards the accepted opcodes) in buffers of exactly their length: the
 * decoder never reads past the end (ASan), and what it accepts fits in the bytes it had.
 */
static void check_random(void)
{
	static const hv_u8 lead[] = { 0x66, 0x67, 0x2e, 0x64, 0x48, 0x41, 0x88, 0x89, 0x8a, 0x8b,
				      0xc6, 0xc7, 0xa1, 0xa3, 0x0f, 0xb6, 0xbf };
	static const unsigned int widths[] = { 16, 32, 64 };
	struct x86_mmio_insn insn;
	unsigned int i, n, len, bad = 0;
	hv_u8 *buf;

	srand(1);
	for (i = 0; i < 200000; i++) {
		len = rand() % (X86_MAX_INSN_LEN + 1);
		buf = malloc(len ? len : 1);
		for (n = 0; n < len; n++)
			buf[n] = (rand() & 1) ? lead[rand() % sizeof(lead)] : rand();
		if (x86_decode_mmio(buf, len, widths[i % 3], &insn) == X86_DEC_OK &&
		    (insn.len == 0 || insn.len > len || insn.reg >= X86_NUM_GPRS ||
		     (insn.size != 1 && insn.size != 2 && insn.size != 4 && insn.size != 8)))
			bad++;
		free(buf);
	}
	CHECK(bad == 0);
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
	check_code_bits();
	check_registers();
	check_random();
	return test_report("test_x86_decode");
}
