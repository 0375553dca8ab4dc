// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's part of enable and disable: every online CPU installs the image's bootstrap vectors
 * through the Linux hyp stub (HVC_SET_VECTORS) and enters with one hvc. No hypervisor code ever
 * runs at EL1 and no unexported kernel symbol is used.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <asm/cputype.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

#include "hypercall.h"
#include "hv_image.h"
#include "../../arch.h"
#include "../../../hv/arch/arm64/include/asm/hv_header_arch.h"
#include "el2.h"

static u64 stub_vbar[NR_CPUS];
static u64 entry_phys, probe_phys;

static unsigned long stub_hvc(unsigned long code, unsigned long arg)
{
	register unsigned long x0 asm("x0") = code;
	register unsigned long x1 asm("x1") = arg;

	/* stub and bootstrap code may clobber x0-x17 */
	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1)
		     :
		     : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
		       "x14", "x15", "x16", "x17", "memory", "cc");
	return x0;
}

long jh_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	register unsigned long x0 asm("x0") = code;
	register unsigned long x1 asm("x1") = arg1;
	register unsigned long x2 asm("x2") = arg2;

	asm volatile("hvc #0x4a48" : "+r"(x0) : "r"(x1), "r"(x2) : "memory");
	return (long)x0;
}

bool jh_arch_probe(unsigned int *cpu, const char **text)
{
	enum jh_el2_state state = jh_el2_probe_all_cpus(cpu);

	*text = jh_el2_explain(state);
	return state == JH_EL2_STUB;
}

bool jh_arch_image_ok(const struct hv_header *h)
{
	return h->entry_offset % 2048 == 0 &&
	       hv_header_arch_const(h)->vbar_probe_offset < h->image_size;
}

/* EL2 fetches with its MMU off: the copy must reach the point of coherency. */
static void flush_to_poc(void *addr, size_t len)
{
	unsigned long line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	unsigned long p = (unsigned long)addr & ~(line - 1);
	unsigned long end = (unsigned long)addr + len;

	for (; p < end; p += line)
		asm volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

/* A cell starts with its MMU off: its image must be in memory, not in our caches. */
void jh_arch_flush_image(void *addr, size_t len)
{
	flush_to_poc(addr, len);
}

static void flush_code_to_poc(void *addr, size_t len)
{
	flush_to_poc(addr, len);
	asm volatile("ic ialluis" : : : "memory");
	dsb(ish);
	isb();
}

static void learn_stub_vbar(void *unused)
{
	stub_vbar[smp_processor_id()] = stub_hvc(HVC_SOFT_RESTART, probe_phys);
}

int jh_arch_prepare(void *mem, struct hv_header *h, u64 phys)
{
	unsigned int cpu;
	u64 base = 0;

	flush_code_to_poc(mem, h->mem_size);
	probe_phys = phys + hv_header_arch_const(h)->vbar_probe_offset;
	entry_phys = phys + h->entry_offset;
	on_each_cpu(learn_stub_vbar, NULL, 1);
	for_each_online_cpu(cpu) {
		if (!base)
			base = stub_vbar[cpu];
		if (!stub_vbar[cpu] || stub_vbar[cpu] != base) {
			pr_err("jailhouse: CPU %u: hyp stub vectors at 0x%llx, expected 0x%llx\n",
			       cpu, stub_vbar[cpu], base);
			return -EIO;
		}
	}
	hv_header_arch(h)->stub_vectors = base;
	flush_code_to_poc(h, sizeof(*h));
	return 0;
}

long jh_arch_enter_cpu(int hv_cpu)
{
	if (stub_hvc(HVC_SET_VECTORS, entry_phys))
		return -EIO;
	/* hv_entry() returns an int: the upper half of x0 is not part of the answer */
	return (int)stub_hvc(HV_ENTRY_CODE, hv_cpu);
}

long jh_arch_leave_cpu(void)
{
	return jh_hypercall(HC_DISABLE, 0, 0);
}

u64 jh_arch_cpu_hw_id(void)
{
	return read_cpuid_mpidr() & MPIDR_HWID_BITMASK;
}
