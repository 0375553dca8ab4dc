// SPDX-License-Identifier: GPL-2.0
/*
 * ARMv7's part of enable and disable. The 6.1 kernel's hyp stub has no HVC_SET_VECTORS (only
 * the zImage decompressor's stub does), but its HVC_SOFT_RESTART is "bx r1 in Hyp mode": every
 * online CPU enters the image's entry code that way, at its physical address with the Hyp MMU
 * off, and the hypervisor installs its own vectors and stack (the entry ABI and the stub's
 * codes are in hv/arch/arm/include/asm/hv_header_arch.h). No hypervisor code runs in SVC mode and no
 * unexported kernel symbol is used.
 */
#include <linux/kernel.h>
#include <asm/cputype.h>
#include <asm/opcodes-virt.h>

#include "hypercall.h"
#include "hv_image.h"
#include "../../arch.h"
#include "../../../hv/arch/arm/include/asm/hv_header_arch.h"
#include "hyp.h"

static unsigned long entry_phys;

long jh_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	register unsigned long r0 asm("r0") = code;
	register unsigned long r1 asm("r1") = arg1;
	register unsigned long r2 asm("r2") = arg2;

	asm volatile(__HVC(HV_HVC_IMM) : "+r"(r0) : "r"(r1), "r"(r2) : "memory");
	return (long)r0;
}

bool jh_arch_probe(unsigned int *cpu, const char **text)
{
	enum jh_hyp_state state = jh_hyp_probe_all_cpus(cpu);

	*text = jh_hyp_explain(state);
	return state == JH_HYP_STUB;
}

/* The stub branches with bx: the entry is ARM-state code, word aligned, in the image. */
bool jh_arch_image_ok(const struct hv_header *h)
{
	return h->entry_offset % 4 == 0;
}

/*
 * Clean and invalidate to the point of coherency (DCCIMVAC by the smallest D-cache line, CTR):
 * the hypervisor starts with its MMU, so its data cache, off.
 */
static void flush_to_poc(void *addr, size_t len)
{
	unsigned long line = 4UL << ((read_cpuid_cachetype() >> 16) & 0xf);
	unsigned long p = (unsigned long)addr & ~(line - 1);
	unsigned long end = (unsigned long)addr + len;

	for (; p < end; p += line)
		asm volatile("mcr p15, 0, %0, c7, c14, 1" : : "r"(p) : "memory");
	dsb(sy);
}

/* A cell starts with its MMU off: its image must be in memory, not in our caches. */
void jh_arch_flush_image(void *addr, size_t len)
{
	flush_to_poc(addr, len);
}

int jh_arch_prepare(void *mem, struct hv_header *h, u64 phys)
{
	if (phys + h->mem_size > 1ULL << 32) {
		pr_err("jailhouse: the hypervisor memory 0x%llx+0x%llx lies above 4 GiB: Hyp mode "
		       "enters with its MMU off, at 32-bit physical addresses\n", phys, h->mem_size);
		return -EINVAL;
	}
	entry_phys = phys + h->entry_offset;
	flush_to_poc(mem, h->mem_size);
	/* ICIALLUIS: no CPU may fetch stale instructions of an earlier image */
	asm volatile("mcr p15, 0, %0, c7, c1, 0" : : "r"(0) : "memory");
	dsb(ish);
	isb();
	return 0;
}

long jh_arch_enter_cpu(int hv_cpu)
{
	register unsigned long r0 asm("r0") = HVC_SOFT_RESTART;
	register unsigned long r1 asm("r1") = entry_phys;
	register unsigned long r2 asm("r2") = hv_cpu;
	register unsigned long r3 asm("r3") = HV_ENTRY_CODE;

	/* the entry code may clobber r0-r3, ip and lr; hv_entry()'s int result comes in r0 */
	asm volatile(__HVC(0)
		     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
		     :
		     : "ip", "lr", "memory", "cc");
	return (int)r0;
}

long jh_arch_leave_cpu(void)
{
	return jh_hypercall(HC_DISABLE, 0, 0);
}

u64 jh_arch_cpu_hw_id(void)
{
	return read_cpuid_mpidr() & MPIDR_HWID_BITMASK;
}
