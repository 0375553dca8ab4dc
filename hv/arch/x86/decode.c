// SPDX-License-Identifier: GPL-2.0
/*
 * Guest instruction decoding for MMIO emulation without decode assists (asm/decode.h): the
 * guest page-table walk, the instruction fetch at CS.base + RIP, the decoder of the MOV forms
 * that reach MMIO and the register-file helpers that complete them.
 */
#include "include/asm/decode.h"

#define CR0_PE		(1ULL << 0)
#define CR0_PG		(1ULL << 31)
#define CR4_PSE		(1ULL << 4)
#define CR4_PAE		(1ULL << 5)
#define CR4_LA57	(1ULL << 12)
#define EFER_LMA	(1ULL << 10)
#define EFER_NXE	(1ULL << 11)
#define RFLAGS_VM	(1ULL << 17)
#define SEG_ATTR_L	(1U << 9)
#define SEG_ATTR_DB	(1U << 10)

#define PTE_P		(1ULL << 0)
#define PTE_PS		(1ULL << 7)
#define PTE_NX		(1ULL << 63)
#define PAGE_SIZE	0x1000ULL
#define PAGE_OFFS(a)	((a) & (PAGE_SIZE - 1))

/* --- guest page-table walk ------------------------------------------------------------------ */

enum x86_paging_mode x86_paging_mode(const struct x86_paging *pg)
{
	if (!(pg->cr0 & CR0_PG))
		return X86_PAGING_OFF;
	if (!(pg->cr4 & CR4_PAE))
		return X86_PAGING_32;
	if (!(pg->efer & EFER_LMA))
		return X86_PAGING_PAE;
	return (pg->cr4 & CR4_LA57) ? X86_PAGING_LONG5 : X86_PAGING_LONG4;
}

static unsigned int phys_bits(const struct x86_paging *pg)
{
	return (pg->phys_bits && pg->phys_bits < 52) ? pg->phys_bits : 52;
}

static enum x86_walk_result read_entry(const struct x86_guest_mem *mem, hv_u64 gpa,
				       unsigned int size, hv_u64 *entry)
{
	hv_u8 b[8];
	unsigned int n;

	if (!mem->read(mem->ctx, gpa, b, size))
		return X86_WALK_NO_MEMORY;
	*entry = 0;
	for (n = size; n > 0; n--)
		*entry = (*entry << 8) | b[n - 1];
	return (*entry & PTE_P) ? X86_WALK_OK : X86_WALK_NOT_PRESENT;
}

/* 2 levels of 32-bit entries; 4 MiB pages (CR4.PSE) carry address bits 39:32 in bits 20:13. */
static enum x86_walk_result walk_32(const struct x86_paging *pg, const struct x86_guest_mem *mem,
				    hv_u32 gva, hv_u64 *gpa)
{
	unsigned int pbits = phys_bits(pg) < 40 ? phys_bits(pg) : 40;
	enum x86_walk_result res;
	hv_u64 pde, pte, high;

	res = read_entry(mem, (pg->cr3 & 0xfffff000) + (gva >> 22) * 4, 4, &pde);
	if (res != X86_WALK_OK)
		return res;
	if ((pde & PTE_PS) && (pg->cr4 & CR4_PSE)) {
		high = (pde >> 13) & 0xff;
		if ((pde & (1ULL << 21)) || (high >> (pbits - 32)))
			return X86_WALK_RESERVED;
		*gpa = (high << 32) | (pde & 0xffc00000) | (gva & 0x3fffff);
		return X86_WALK_OK;
	}
	res = read_entry(mem, (pde & 0xfffff000) + ((gva >> 12) & 0x3ff) * 4, 4, &pte);
	if (res != X86_WALK_OK)
		return res;
	*gpa = (pte & 0xfffff000) | PAGE_OFFS(gva);
	return X86_WALK_OK;
}

/*
 * PAE (3 levels, the top one the 4 PDPTEs at CR3) and 4-level long mode share the 64-bit entry
 * format: level 4 is the PML4, 3 the PDPT, 2 the page directory, 1 the page table.
 */
static enum x86_walk_result walk_64(const struct x86_paging *pg, const struct x86_guest_mem *mem,
				    hv_u64 gva, hv_u64 *gpa)
{
	bool pae = x86_paging_mode(pg) == X86_PAGING_PAE;
	hv_u64 addr_mask = ((1ULL << phys_bits(pg)) - 1) & ~(PAGE_SIZE - 1);
	hv_u64 rsvd = ((1ULL << 52) - 1) & ~((1ULL << phys_bits(pg)) - 1);
	hv_u64 table, entry, page;
	enum x86_walk_result res;
	unsigned int level, shift;

	if (!(pg->efer & EFER_NXE))
		rsvd |= PTE_NX;
	table = pae ? (pg->cr3 & 0xffffffe0) : (pg->cr3 & addr_mask);
	for (level = pae ? 3 : 4; level > 0; level--) {
		shift = 12 + 9 * (level - 1);
		res = read_entry(mem, table + ((gva >> shift) & 0x1ff) * 8, 8, &entry);
		if (res != X86_WALK_OK)
			return res;
		if (pae && level == 3) {
			/* PDPTEs: bits 2:1 and 8:5 are reserved, and so is NX. */
			if (entry & (rsvd | PTE_NX | 0x1e6))
				return X86_WALK_RESERVED;
		} else if ((entry & rsvd) || (level == 4 && (entry & PTE_PS))) {
			return X86_WALK_RESERVED;
		}
		page = 1ULL << shift;
		if ((level == 2 || (level == 3 && !pae)) && (entry & PTE_PS)) {
			/* Bit 12 is PAT; the bits from 13 up to the page size must be 0. */
			if (entry & (page - 1) & ~0x1fffULL)
				return X86_WALK_RESERVED;
			*gpa = (entry & addr_mask & ~(page - 1)) | (gva & (page - 1));
			return X86_WALK_OK;
		}
		table = entry & addr_mask;
	}
	*gpa = table | PAGE_OFFS(gva);
	return X86_WALK_OK;
}

enum x86_walk_result x86_gva_to_gpa(const struct x86_paging *pg, const struct x86_guest_mem *mem,
				    hv_u64 gva, hv_u64 *gpa)
{
	switch (x86_paging_mode(pg)) {
	case X86_PAGING_OFF:
		*gpa = (pg->efer & EFER_LMA) ? gva : (hv_u32)gva;
		return X86_WALK_OK;
	case X86_PAGING_32:
		return walk_32(pg, mem, (hv_u32)gva, gpa);
	case X86_PAGING_PAE:
		return walk_64(pg, mem, (hv_u32)gva, gpa);
	case X86_PAGING_LONG4:
		return walk_64(pg, mem, gva, gpa);
	default:
		return X86_WALK_UNSUPPORTED;
	}
}

enum x86_walk_result x86_fetch_insn(const struct x86_paging *pg, const struct x86_guest_mem *mem,
				    hv_u64 cs_base, hv_u64 rip, hv_u8 buf[X86_MAX_INSN_LEN],
				    unsigned int *len)
{
	hv_u64 linear, gpa;
	unsigned int n, chunk;
	enum x86_walk_result res;

	*len = 0;
	for (n = 0; n < X86_MAX_INSN_LEN; n += chunk) {
		linear = cs_base + rip + n;
		if (!(pg->efer & EFER_LMA))
			linear = (hv_u32)linear;
		chunk = PAGE_SIZE - PAGE_OFFS(linear);
		if (chunk > X86_MAX_INSN_LEN - n)
			chunk = X86_MAX_INSN_LEN - n;
		res = x86_gva_to_gpa(pg, mem, linear, &gpa);
		if (res == X86_WALK_OK && !mem->read(mem->ctx, gpa, buf + n, chunk))
			res = X86_WALK_NO_MEMORY;
		if (res != X86_WALK_OK)
			return n ? X86_WALK_OK : res;
		*len = n + chunk;
	}
	return X86_WALK_OK;
}

const char *x86_walk_strerror(enum x86_walk_result res)
{
	switch (res) {
	case X86_WALK_OK:
		return "ok";
	case X86_WALK_NOT_PRESENT:
		return "guest page not present";
	case X86_WALK_RESERVED:
		return "reserved bit in a guest page-table entry";
	case X86_WALK_NO_MEMORY:
		return "guest page table or code outside the cell's RAM";
	default:
		return "unsupported guest paging mode (5-level)";
	}
}

/* --- instruction decoding -------------------------------------------------------------------- */

unsigned int x86_code_bits(hv_u64 cr0, hv_u64 efer, hv_u64 rflags, hv_u16 cs_attrib)
{
	if (!(cr0 & CR0_PE) || (rflags & RFLAGS_VM))
		return 16;
	if ((efer & EFER_LMA) && (cs_attrib & SEG_ATTR_L))
		return 64;
	return (cs_attrib & SEG_ATTR_DB) ? 32 : 16;
}

struct cursor {
	const hv_u8 *bytes;
	unsigned int len;	/* the bytes available, at most X86_MAX_INSN_LEN */
	unsigned int pos;
};

static bool take(struct cursor *c, unsigned int n, hv_u64 *value)
{
	unsigned int i;

	if (c->pos + n > c->len)
		return false;
	*value = 0;
	for (i = n; i > 0; i--)
		*value = (*value << 8) | c->bytes[c->pos + i - 1];
	c->pos += n;
	return true;
}

static hv_u64 size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static hv_u64 sign_extend(hv_u64 v, unsigned int size)
{
	if (size < 8 && (v >> (size * 8 - 1)) & 1)
		v |= ~size_mask(size);
	return v;
}

/* The legacy prefixes and REX; the operand and address sizes they select. */
struct prefixes {
	bool opsize, addrsize;
	hv_u8 rex;		/* 0x40-0x4f, or 0: none (or not right before the opcode) */
};

static enum x86_decode_result take_prefixes(struct cursor *c, unsigned int bits,
					    struct prefixes *p, hv_u8 *opcode)
{
	hv_u64 b;

	for (;;) {
		if (!take(c, 1, &b))
			return X86_DEC_TRUNCATED;
		switch (b) {
		case 0x66:
			p->opsize = true;
			break;
		case 0x67:
			p->addrsize = true;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
			break;
		case 0xf0: case 0xf2: case 0xf3:
			return X86_DEC_UNSUPPORTED;
		default:
			if (bits == 64 && (b & 0xf0) == 0x40) {
				p->rex = b;
				continue;
			}
			*opcode = b;
			return X86_DEC_OK;
		}
		p->rex = 0;	/* a REX followed by a legacy prefix is ignored */
	}
}

/* Skips ModRM's memory operand (SIB, displacement); returns ModRM.reg with REX.R. */
static enum x86_decode_result take_modrm(struct cursor *c, unsigned int addr_size, hv_u8 rex,
					 unsigned int *reg)
{
	hv_u64 modrm, sib, disp;
	unsigned int mod, rm, disp_len;

	if (!take(c, 1, &modrm))
		return X86_DEC_TRUNCATED;
	mod = modrm >> 6;
	rm = modrm & 7;
	*reg = ((modrm >> 3) & 7) | ((rex & 4) << 1);
	if (mod == 3)
		return X86_DEC_NOT_MEMORY;
	if (addr_size == 2) {
		disp_len = mod == 1 ? 1 : (mod == 2 || rm == 6) ? 2 : 0;
	} else {
		disp_len = mod == 1 ? 1 : mod == 2 ? 4 : 0;
		if (rm == 4) {
			if (!take(c, 1, &sib))
				return X86_DEC_TRUNCATED;
			if (mod == 0 && (sib & 7) == 5)
				disp_len = 4;
		} else if (mod == 0 && rm == 5) {
			disp_len = 4;	/* disp32, RIP-relative in 64-bit code */
		}
	}
	return take(c, disp_len, &disp) ? X86_DEC_OK : X86_DEC_TRUNCATED;
}

/* An 8-bit register operand: without REX, 4-7 are AH, CH, DH, BH. */
static void set_reg8(struct x86_mmio_insn *insn, unsigned int reg, hv_u8 rex)
{
	insn->reg = reg;
	if (!rex && reg >= 4 && reg < 8) {
		insn->reg = reg - 4;
		insn->high_byte = true;
	}
}

static enum x86_decode_result decode_0f(struct cursor *c, const struct prefixes *p,
					unsigned int opsize, unsigned int addr_size,
					struct x86_mmio_insn *insn)
{
	enum x86_decode_result res;
	hv_u64 op;

	if (!take(c, 1, &op))
		return X86_DEC_TRUNCATED;
	if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
		return X86_DEC_UNSUPPORTED;
	res = take_modrm(c, addr_size, p->rex, &insn->reg);
	insn->size = (op & 1) ? 2 : 1;
	insn->reg_size = opsize;
	insn->sign_extend = op >= 0xbe;
	return res;
}

static enum x86_decode_result decode_moffs(struct cursor *c, const struct prefixes *p,
					   hv_u8 op, unsigned int opsize,
					   unsigned int addr_size, struct x86_mmio_insn *insn)
{
	hv_u64 moffs;

	insn->size = insn->reg_size = (op & 1) ? opsize : 1;
	insn->write = op >= 0xa2;
	insn->reg = X86_RAX;
	return take(c, addr_size, &moffs) ? X86_DEC_OK : X86_DEC_TRUNCATED;
}

static enum x86_decode_result decode_mov_imm(struct cursor *c, const struct prefixes *p,
					     hv_u8 op, unsigned int opsize,
					     unsigned int addr_size, struct x86_mmio_insn *insn)
{
	enum x86_decode_result res;
	unsigned int reg, imm_len;

	res = take_modrm(c, addr_size, p->rex, &reg);
	if (res != X86_DEC_OK)
		return res;
	if (reg & 7)
		return X86_DEC_UNSUPPORTED;	/* C6/C7 /1../7: not a MOV */
	insn->size = (op & 1) ? opsize : 1;
	insn->write = insn->has_imm = true;
	imm_len = insn->size > 4 ? 4 : insn->size;
	if (!take(c, imm_len, &insn->imm))
		return X86_DEC_TRUNCATED;
	insn->imm = sign_extend(insn->imm, imm_len) & size_mask(insn->size);
	return X86_DEC_OK;
}

enum x86_decode_result x86_decode_mmio(const hv_u8 *bytes, unsigned int len, unsigned int bits,
				       struct x86_mmio_insn *insn)
{
	struct cursor c = { bytes, len < X86_MAX_INSN_LEN ? len : X86_MAX_INSN_LEN, 0 };
	struct prefixes p = { false, false, 0 };
	unsigned int opsize, addr_size, reg;
	enum x86_decode_result res;
	hv_u8 op;

	*insn = (struct x86_mmio_insn){ 0 };
	res = take_prefixes(&c, bits, &p, &op);
	if (res != X86_DEC_OK)
		return res;
	if (bits == 64)
		opsize = (p.rex & 8) ? 8 : p.opsize ? 2 : 4;
	else
		opsize = (bits == 32) != p.opsize ? 4 : 2;
	addr_size = (bits == 64) ? (p.addrsize ? 4 : 8) : ((bits == 32) != p.addrsize ? 4 : 2);

	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		res = take_modrm(&c, addr_size, p.rex, &reg);
		insn->size = insn->reg_size = (op & 1) ? opsize : 1;
		insn->write = op < 0x8a;
		if (insn->size == 1)
			set_reg8(insn, reg, p.rex);
		else
			insn->reg = reg;
		break;
	case 0xc6: case 0xc7:
		res = decode_mov_imm(&c, &p, op, opsize, addr_size, insn);
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		res = decode_moffs(&c, &p, op, opsize, addr_size, insn);
		break;
	case 0x0f:
		res = decode_0f(&c, &p, opsize, addr_size, insn);
		break;
	default:
		return X86_DEC_UNSUPPORTED;
	}
	insn->len = c.pos;
	return res;
}

const char *x86_decode_strerror(enum x86_decode_result res)
{
	switch (res) {
	case X86_DEC_OK:
		return "ok";
	case X86_DEC_TRUNCATED:
		return "instruction bytes end inside the instruction";
	case X86_DEC_UNSUPPORTED:
		return "instruction not supported for MMIO emulation";
	default:
		return "register operand where memory was expected";
	}
}

/* --- general-purpose registers ---------------------------------------------------------------- */

hv_u64 x86_gpr_read(const uint64_t *regs, unsigned int reg, unsigned int size,
		    bool high_byte)
{
	hv_u64 v = regs[reg % X86_NUM_GPRS];

	if (high_byte)
		return (v >> 8) & 0xff;
	return v & size_mask(size);
}

void x86_gpr_write(uint64_t *regs, unsigned int reg, unsigned int size, bool high_byte,
		   hv_u64 value)
{
	uint64_t *r = &regs[reg % X86_NUM_GPRS];

	if (high_byte)
		*r = (*r & ~0xff00ULL) | ((value & 0xff) << 8);
	else if (size >= 4)
		*r = value & size_mask(size);
	else
		*r = (*r & ~size_mask(size)) | (value & size_mask(size));
}

hv_u64 x86_insn_store_value(const struct x86_mmio_insn *insn, const uint64_t *regs)
{
	if (insn->has_imm)
		return insn->imm;
	return x86_gpr_read(regs, insn->reg, insn->size, insn->high_byte);
}

void x86_insn_complete_load(const struct x86_mmio_insn *insn, uint64_t *regs, hv_u64 value)
{
	value &= size_mask(insn->size);
	if (insn->sign_extend)
		value = sign_extend(value, insn->size);
	x86_gpr_write(regs, insn->reg, insn->reg_size, insn->high_byte, value);
}
