// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO emulation on a nested page fault: the instruction is fetched through the guest's page
 * tables and decoded (decode.c), the access routed to the cell's emulated regions (the core's
 * mmio_dispatch(): xAPIC, IOAPICs) and completed in the guest's registers.
 */
#include <asm/x86.h>
#include <asm/decode.h>

/* Guest-physical reads for the page walk: the cell's RAM (not its I/O), through its own NPT. */
static bool read_gpa(void *ctx, hv_u64 gpa, void *buf, unsigned int len)
{
	struct cell *cell = ctx;
	u64 phys, entry = pt_translate(cell->arch.npt, gpa, &phys);

	if (!entry || entry & PTE_PCD)
		return false;
	memcpy(buf, x86_map_cpu_page(phys), len);
	return true;
}

bool x86_mmio_access(struct per_cpu *cpu, u64 gpa)
{
	struct vmcb *v = cpu_vmcb(cpu);
	struct x86_paging pg = { v->cr0, v->cr3, v->cr4, v->efer, 0 };
	struct x86_guest_mem mem = { read_gpa, cpu->cell };
	uint64_t *g = cpu->arch.regs;
	struct mmio_access acc;
	struct x86_mmio_insn insn;
	enum mmio_result res;
	u8 bytes[X86_MAX_INSN_LEN];
	unsigned int n;

	if (x86_fetch_insn(&pg, &mem, v->cs.base, v->rip, bytes, &n) != X86_WALK_OK ||
	    x86_decode_mmio(bytes, n, x86_code_bits(v->cr0, v->efer, v->rflags, v->cs.attrib),
			    &insn) != X86_DEC_OK)
		return false;
	/* the bytes may have changed since the fault (another CPU): the fault's direction rules */
	if (insn.write != !!(v->exit_info1 & 2))
		return false;
	acc.size = insn.size;
	acc.write = insn.write;
	acc.value = insn.write ? x86_insn_store_value(&insn, g) : 0;
	res = mmio_dispatch(cpu->cell, gpa, &acc);
	if (res != MMIO_HANDLED)
		return false;
	if (!insn.write)
		x86_insn_complete_load(&insn, g, acc.value);
	v->rip += insn.len;
	return true;
}
