// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO emulation on a nested page fault: the instruction is fetched through the guest's page
 * tables and decoded (decode.c), the access routed to the cell's emulated regions (the core's
 * mmio_dispatch(): xAPIC, IOAPICs) and completed in the guest's registers.
 */
#include <asm/x86.h>
#include <asm/decode.h>

/* Guest-physical reads for the page walk: the cell's RAM, through its own NPT. */
static bool read_gpa(void *ctx, hv_u64 gpa, void *buf, unsigned int len)
{
	struct cell *cell = ctx;
	u64 *pte = pt_leaf(cell->arch.npt, gpa), phys;

	if (pte && *pte & PTE_P && !(*pte & PTE_PCD)) {
		phys = (*pte & PTE_ADDR) + (gpa & (PAGE_SIZE - 1));
	} else {
		/* a 2 MiB leaf: pt_leaf() does not split, look one level up */
		u64 *table = cell->arch.npt, e = 0;
		unsigned int level;

		for (level = 0; level < 3; level++) {
			e = table[(gpa >> (39 - 9 * level)) & 511];
			if (!(e & PTE_P))
				return false;
			if (e & PTE_PS)
				break;
			table = hv_phys_to_virt(e & PTE_ADDR);
		}
		if (level != 2 || e & PTE_PCD)
			return false;
		phys = (e & PTE_ADDR & ~(X86_LARGE_PAGE_SIZE - 1)) +
		       (gpa & (X86_LARGE_PAGE_SIZE - 1));
	}
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
