/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest instruction decoding for MMIO emulation. Under QEMU TCG, SVM has neither NRIPS nor
 * decode assists: on a nested page fault (exit 0x400, EXITINFO2 = guest-physical address) the
 * hypervisor learns only the address, so it walks the guest's page tables to fetch the
 * instruction at CS.base + RIP, decodes it into an access (size, direction, register or
 * immediate, extension) and completes it in the guest's registers.
 *
 * Pure, freestanding C: guest memory is read through a callback, registers live in a plain
 * array; nothing here touches hardware or hypervisor state.
 *
 * Typical use in the NPF handler (the GPA comes from EXITINFO2, not from the instruction):
 *
 *	struct x86_paging pg = { vmcb->cr0, vmcb->cr3, vmcb->cr4, vmcb->efer, 0 };
 *	struct x86_guest_mem mem = { read_cell_gpa, cell };
 *	u8 bytes[X86_MAX_INSN_LEN];
 *	unsigned int n;
 *	struct x86_mmio_insn insn;
 *
 *	if (x86_fetch_insn(&pg, &mem, cs_base, rip, bytes, &n) != X86_WALK_OK ||
 *	    x86_decode_mmio(bytes, n, x86_code_bits(cr0, efer, rflags, cs_attrib), &insn) !=
 *	    X86_DEC_OK)
 *		-> cell fault "undecodable MMIO instruction at RIP ..."
 *	if (insn.write != !!(exitinfo1 & 2))	(NPF error code bit 1: write)
 *		-> cell fault (the code changed under us: another CPU rewrote it)
 *	if (insn.write) value = x86_insn_store_value(&insn, regs);   -> device write
 *	else x86_insn_complete_load(&insn, regs, value_read);
 *	rip += insn.len;
 *
 * The address is always EXITINFO2 and the device filters check every access on their own, so a
 * guest that rewrites the instruction between the fault and the fetch gains nothing.
 */
#ifndef HV_X86_DECODE_H
#define HV_X86_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include "abi_types.h"

#define X86_MAX_INSN_LEN	15

/* --- guest page-table walk ------------------------------------------------------------------ */

/* The guest's paging registers, as in its VMCB save area. */
struct x86_paging {
	hv_u64 cr0, cr3, cr4, efer;
	/* The CPU's physical-address width (CPUID 0x80000008 EAX[7:0]); 0 means 52. */
	unsigned int phys_bits;
};

/*
 * Guest-physical memory as the walk sees it. read() copies len (1..15) bytes at gpa into buf
 * and returns false if that memory is not the guest's RAM (then the walk fails). A read never
 * crosses a 4 KiB page: page-table entries are naturally aligned and fetches are split.
 */
struct x86_guest_mem {
	bool (*read)(void *ctx, hv_u64 gpa, void *buf, unsigned int len);
	void *ctx;
};

enum x86_walk_result {
	X86_WALK_OK = 0,
	X86_WALK_NOT_PRESENT,	/* an entry on the way has P = 0 (a guest #PF would follow) */
	X86_WALK_RESERVED,	/* a reserved bit is set in an entry (guest #PF with RSVD) */
	X86_WALK_NO_MEMORY,	/* an entry or the instruction is outside the guest's RAM */
	X86_WALK_UNSUPPORTED,	/* 5-level paging (CR4.LA57): not driven */
};

enum x86_paging_mode {
	X86_PAGING_OFF,		/* CR0.PG = 0: linear = physical */
	X86_PAGING_32,		/* 2 levels, 4 KiB and (CR4.PSE) 4 MiB pages, PSE-36 */
	X86_PAGING_PAE,		/* 3 levels (4 PDPTEs at CR3), 4 KiB and 2 MiB pages */
	X86_PAGING_LONG4,	/* 4 levels, 4 KiB, 2 MiB and 1 GiB pages */
	X86_PAGING_LONG5,	/* LA57: refused */
};

enum x86_paging_mode x86_paging_mode(const struct x86_paging *pg);

/*
 * Translates a linear address (segment base already added) to guest-physical. Only the
 * translation: no access-rights checks (the guest's own access already passed them). At most
 * four levels, so it always ends.
 */
enum x86_walk_result x86_gva_to_gpa(const struct x86_paging *pg, const struct x86_guest_mem *mem,
				    hv_u64 gva, hv_u64 *gpa);

/*
 * Fetches up to X86_MAX_INSN_LEN bytes at cs_base + rip (truncated to 32 bits unless the guest
 * is in long mode), page by page. *len is the number of bytes fetched: when the second page
 * cannot be read, the bytes of the first alone are returned with X86_WALK_OK (the decoder
 * reports X86_DEC_TRUNCATED if it needed more); an error only if not even one byte could be.
 */
enum x86_walk_result x86_fetch_insn(const struct x86_paging *pg, const struct x86_guest_mem *mem,
				    hv_u64 cs_base, hv_u64 rip, hv_u8 buf[X86_MAX_INSN_LEN],
				    unsigned int *len);

/* --- instruction decoding -------------------------------------------------------------------- */

/*
 * The default operand/address size of the code the guest runs (16, 32 or 64): 64 in long mode
 * with CS.L, else CS.D selects 32 over 16; real mode and virtual-8086 mode are 16.
 * cs_attrib is the VMCB's 12-bit segment attribute (bit 9 L, bit 10 D/B).
 */
unsigned int x86_code_bits(hv_u64 cr0, hv_u64 efer, hv_u64 rflags, hv_u16 cs_attrib);

/* What one memory-accessing instruction does to its MMIO operand. */
struct x86_mmio_insn {
	unsigned int len;	/* bytes, to add to RIP when done */
	unsigned int size;	/* bytes of the memory access: 1, 2, 4 or 8 */
	bool write;		/* a store to the MMIO address (else a load) */
	bool has_imm;		/* store of imm (MOV r/m, imm), else of register reg */
	hv_u64 imm;		/* the immediate, sign-extended as the CPU does, size bytes */
	unsigned int reg;	/* the register, 0-15: RAX, RCX, RDX, RBX, RSP, RBP, RSI, ... */
	bool high_byte;		/* reg 0-3 means AH, CH, DH, BH (8-bit access without REX) */
	unsigned int reg_size;	/* bytes of the register a load writes (> size: MOVZX/SX) */
	bool sign_extend;	/* MOVSX: the loaded value is sign-extended to reg_size */
};

enum x86_decode_result {
	X86_DEC_OK = 0,
	X86_DEC_TRUNCATED,	/* the bytes ended (or 15 bytes passed) inside the instruction */
	X86_DEC_UNSUPPORTED,	/* an opcode or prefix that is not an emulated MMIO access */
	X86_DEC_NOT_MEMORY,	/* ModRM names a register, not memory: cannot have faulted */
};

/*
 * Decodes the MMIO access forms guests use: MOV r/m,reg (88, 89), MOV reg,r/m (8A, 8B),
 * MOV r/m,imm (C6 /0, C7 /0), MOVZX (0F B6, 0F B7), MOVSX (0F BE, 0F BF) and MOV with moffs
 * (A0-A3), with prefixes 66, 67, segment overrides and, in 64-bit code, REX. LOCK, REP/REPNE
 * and everything else are refused. bits is x86_code_bits().
 */
enum x86_decode_result x86_decode_mmio(const hv_u8 *bytes, unsigned int len, unsigned int bits,
				       struct x86_mmio_insn *insn);

/* A short English description of a result, for the caller's fault message. */
const char *x86_decode_strerror(enum x86_decode_result res);
const char *x86_walk_strerror(enum x86_walk_result res);

/* --- general-purpose registers ---------------------------------------------------------------- */

enum {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
	X86_NUM_GPRS
};

/*
 * The helpers below take the guest's GPRs as an array of X86_NUM_GPRS uint64_t in architectural
 * order (the X86_R* indices), as struct arch_cpu keeps them. Under SVM, RAX and RSP live in the
 * VMCB: the caller copies them in before and back after.
 */

/* Reads size (1, 2, 4, 8) bytes of register reg, zero-extended; high_byte picks AH..BH. */
hv_u64 x86_gpr_read(const uint64_t *regs, unsigned int reg, unsigned int size,
		    bool high_byte);

/*
 * Writes size bytes of register reg as the CPU does: 8- and 16-bit writes keep the other bits,
 * a 32-bit write zero-extends to 64 bits, high_byte writes bits 15:8 of reg 0-3.
 */
void x86_gpr_write(uint64_t *regs, unsigned int reg, unsigned int size, bool high_byte,
		   hv_u64 value);

/* The value a decoded store writes to the device: the immediate or the register's bytes. */
hv_u64 x86_insn_store_value(const struct x86_mmio_insn *insn, const uint64_t *regs);

/* Completes a decoded load: value (size bytes from the device) extended into the register. */
void x86_insn_complete_load(const struct x86_mmio_insn *insn, uint64_t *regs, hv_u64 value);

#endif
