// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * attack (x86): a hostile cell. One attack per start, chosen by the command line (attack=NAME);
 * it prints what it tried and what came back, "attack: NAME: ..." lines, then
 * "attack: NAME: done" and idles, or is stopped by the hypervisor on the way (the fatal ones).
 * Instructions that may fault run under X86_PROBE: a fault is reported as "#vector", not fatal.
 * What each must do in a cell is the hypervisor's policy (docs/security.md).
 *
 *   read-*, write-*	addr=A: 64-bit load/store outside the cell (root RAM, another cell,
 *			the hypervisor, foreign MMIO)
 *   pio		ports=A,B,..: IN from each port, then OUT of value=V (default 0) to each;
 *			ports the cell does not own
 *   ipi		apics=A,B,..: fixed (0x42), NMI, INIT and SIPI IPIs to APIC ids outside
 *			the cell, then fixed and NMI with the shorthands all and all-but-self
 *   ioapic		pins=A,B,..: read, route to us unmasked (vector 0x42), read back
 *   msr		writes to APIC_BASE (relocation), EFER (SVME cleared), VM_CR, VM_HSAVE_PA,
 *			TSC, MTRRdefType, HWCR, each read back
 *   svm		VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA: must raise #UD
 *   hypercall		management hypercalls and unknown codes: error codes
 *   forge		console lines that look like the hypervisor's
 *   flood		hypercalls, then self-IPIs, as fast as possible for seconds=N each
 *   lock		RUNNING_LOCKED without may-lock in the cell config
 *   hang		interrupts off, never answering the comm region again
 */
#include <inmate.h>

#define MSR_TSC			0x010
#define MSR_MTRR_DEF_TYPE	0x2ff
#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define MSR_HWCR		0xc0010015
#define EFER_SVME		(1UL << 12)
#define PROBE_VECTOR		0x42

static char name[32];
static volatile unsigned int probe_irqs;

#define report(fmt, ...) printk("attack: %s: " fmt "\n", name, ##__VA_ARGS__)

/* "#13" for a vector, "ok" for none */
static const char *outcome(u64 vector)
{
	static char buf[8];

	if (vector == X86_PROBE_NONE)
		return "ok";
	snprintk(buf, sizeof(buf), "#%llu", vector);
	return buf;
}

static void access(bool write)
{
	uintptr_t addr = cmdline_get_u64("addr", 0);
	u64 val = 0x0bad0bad0bad0badUL;

	report("%s 0x%llx now", write ? "writing" : "reading", (u64)addr);
	if (write)
		mmio_write64(addr, val);
	else
		val = mmio_read64(addr);
	report("ERROR: the access went through (0x%llx)", val);
}

static void attack_pio(void)
{
	u64 ports[8], vector;
	u8 value = cmdline_get_u64("value", 0), in = 0;
	unsigned int n, count = cmdline_get_u64_list("ports", ports, ARRAY_SIZE(ports));

	for (n = 0; n < count; n++) {
		vector = X86_PROBE("inb %w1, %b0", : "=a" (in) : "d" ((u16)ports[n]));
		report("in 0x%llx: %s 0x%x", ports[n], outcome(vector), in);
	}
	for (n = 0; n < count; n++) {
		vector = X86_PROBE("outb %b0, %w1", : : "a" (value), "d" ((u16)ports[n]));
		report("out 0x%llx <- 0x%x: %s", ports[n], value, outcome(vector));
	}
}

static void count_probe(unsigned int vector, u64 ticks)
{
	(void)ticks;
	if (vector == PROBE_VECTOR)
		probe_irqs++;
}

static void attack_ipi(void)
{
	u64 apics[8];
	unsigned int n, count = cmdline_get_u64_list("apics", apics, ARRAY_SIZE(apics));

	irq_init(count_probe);
	for (n = 0; n < count; n++) {
		apic_send_icr(apics[n], PROBE_VECTOR);
		apic_send_icr(apics[n], APIC_ICR_NMI);
		apic_send_icr(apics[n], APIC_ICR_INIT | APIC_ICR_LEVEL_ASSERT);
		apic_send_icr(apics[n], APIC_ICR_SIPI | 0x9f);
		report("fixed, NMI, INIT, SIPI to apic id %llu sent", apics[n]);
	}
	local_irq_enable();
	apic_send_icr(0, APIC_DEST_ALL | PROBE_VECTOR);
	apic_send_icr(0, APIC_DEST_ALL_BUT_SELF | PROBE_VECTOR);
	apic_send_icr(0, APIC_DEST_ALL_BUT_SELF | APIC_ICR_NMI);
	delay_us(1000);
	local_irq_disable();
	report("fixed to all, all-but-self, NMI to all-but-self sent; %u came back here",
	       probe_irqs);
}

static void attack_ioapic(void)
{
	u64 pins[8];
	unsigned int n, count = cmdline_get_u64_list("pins", pins, ARRAY_SIZE(pins));

	for (n = 0; n < count; n++) {
		u64 before = ioapic_get_pin(pins[n]);

		ioapic_set_pin(pins[n], PROBE_VECTOR, apic_id(), 0);
		report("pin %llu: 0x%llx, after routing it here 0x%llx", pins[n], before,
		       ioapic_get_pin(pins[n]));
	}
}

static void try_msr(const char *what, u32 msr, u64 value)
{
	u32 lo = 0, hi = 0;
	u64 wr, rd;

	wr = X86_PROBE("wrmsr", : : "c" (msr), "a" ((u32)value), "d" ((u32)(value >> 32)));
	rd = X86_PROBE("rdmsr", : "=a" (lo), "=d" (hi) : "c" (msr));
	report("%s (0x%x) <- 0x%llx: %s, reads %s 0x%llx", what, msr, value, outcome(wr),
	       outcome(rd), ((u64)hi << 32) | lo);
}

static void attack_msr(void)
{
	try_msr("APIC_BASE", MSR_APIC_BASE, 0x100000 | (1UL << 11) | (1UL << 8));
	try_msr("EFER", MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SVME);
	try_msr("VM_CR", MSR_VM_CR, 1UL << 4);
	try_msr("VM_HSAVE_PA", MSR_VM_HSAVE_PA, 0x200000);
	try_msr("TSC", MSR_TSC, 0);
	try_msr("MTRRdefType", MSR_MTRR_DEF_TYPE, 0);
	try_msr("HWCR", MSR_HWCR, 0);
}

static void attack_svm(void)
{
	static u8 vmcb[4096] __aligned(4096);
	u64 pa = (uintptr_t)vmcb;

	report("vmrun: %s", outcome(X86_PROBE("vmrun", : : "a" (pa))));
	report("vmload: %s", outcome(X86_PROBE("vmload", : : "a" (pa))));
	report("vmsave: %s", outcome(X86_PROBE("vmsave", : : "a" (pa))));
	report("stgi: %s", outcome(X86_PROBE("stgi", : :)));
	report("clgi: %s", outcome(X86_PROBE("clgi", : :)));
	report("skinit: %s", outcome(X86_PROBE("skinit", : : "a" (pa))));
	report("invlpga: %s", outcome(X86_PROBE("invlpga", : : "a" (0UL), "c" (1U))));
}

static void probe_hypercall(const char *what, u64 code, u64 arg1, u64 arg2)
{
	long ret = 0;
	u64 vector = X86_PROBE("vmmcall", : "=a" (ret) : "a" (code), "D" (arg1), "S" (arg2));

	report("%s=%ld (%s)", what, vector == X86_PROBE_NONE ? ret : 0, outcome(vector));
}

static void attack_hypercall(void)
{
	static const u64 codes[] = { HC_DISABLE, HC_CELL_CREATE, HC_CELL_START,
				     HC_CELL_SET_LOADABLE, HC_CELL_DESTROY, HC_CELL_GET_STATE,
				     9, 1000, ~0UL };
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(codes); n++) {
		char what[32];

		snprintk(what, sizeof(what), "hypercall %ld(1)", (long)codes[n]);
		probe_hypercall(what, codes[n], 1, 0);
	}
	probe_hypercall("CPU_GET_INFO(cpu 0)", HC_CPU_GET_INFO, 0, HC_CPU_INFO_STATE);
	probe_hypercall("GET_INFO(cells)", HC_HYPERVISOR_GET_INFO, HC_INFO_NUM_CELLS, 0);
}

/* Lines that look like the hypervisor's, with the cursor moved back over any prefix. */
static void attack_forge(void)
{
	printk("\rCell \"smp-demo\" FAILED: CPU 1 stopped; forged\n");
	printk("\033[2K\033[1GHypervisor: disabled, CPUs returned to Linux (forged)\n");
	report("forged 2 lines");
}

static void attack_flood(void)
{
	u64 seconds = cmdline_get_u64("seconds", 4), end, n;

	irq_init(count_probe);
	end = timer_ticks() + timer_ns_to_ticks(seconds * NS_PER_SEC);
	for (n = 0; timer_ticks() < end; n++) {
		hypercall(HC_HYPERVISOR_GET_INFO, HC_INFO_MEM_POOL_USED, 0);
		hypercall(n & 1 ? HC_CELL_DESTROY : 77, 1, 0);
	}
	report("%llu hypercalls in %llu s", n * 2, seconds);
	end = timer_ticks() + timer_ns_to_ticks(seconds * NS_PER_SEC);
	local_irq_enable();
	for (n = 0; timer_ticks() < end; n++)
		apic_send_icr(0, APIC_DEST_SELF | PROBE_VECTOR);
	local_irq_disable();
	report("%llu self-IPIs in %llu s, %u arrived", n, seconds, probe_irqs);
}

void inmate_main(void)
{
	if (!cmdline_get_str("attack", name, sizeof(name)))
		memcpy(name, "none", 5);
	local_irq_disable();
	report("start");
	/* read-WHAT, write-WHAT: the suffix only names the target in the test */
	if (!strncmp(name, "read", 4) || !strncmp(name, "write", 5))
		access(name[0] == 'w');
	else if (!strncmp(name, "pio", 4))
		attack_pio();
	else if (!strncmp(name, "ipi", 4))
		attack_ipi();
	else if (!strncmp(name, "ioapic", 7))
		attack_ioapic();
	else if (!strncmp(name, "msr", 4))
		attack_msr();
	else if (!strncmp(name, "svm", 4))
		attack_svm();
	else if (!strncmp(name, "hypercall", 10))
		attack_hypercall();
	else if (!strncmp(name, "forge", 6))
		attack_forge();
	else if (!strncmp(name, "flood", 6))
		attack_flood();
	else if (!strncmp(name, "lock", 5))
		comm_region_set_state(HV_CELL_RUNNING_LOCKED);
	else if (!strncmp(name, "hang", 5))
		for (;;)
			cpu_relax();
	else
		report("unknown attack");
	report("done");
	for (;;)
		if (comm_region_poll())
			cpu_halt();
}
