// SPDX-License-Identifier: GPL-2.0
/*
 * The xAPIC access filter (hv/arch/x86/apic.c) on a fake 4-CPU system whose root owns CPUs 0
 * and 2 and a cell CPUs 1 and 3: register pass-through and refusals, ICR destinations
 * (physical, logical flat and cluster, shorthands, broadcast, foreign CPUs dropped), delivery
 * modes (fixed, lowest, NMI, INIT/SIPI routed to the hypervisor, SMI/ExtINT refused), LVT
 * filtering, LDR/DFR tracking and the hardware-destination check the IOAPIC filter uses.
 */
#include <string.h>
#include "test.h"
#include "../arch/x86/apic.c"

enum ev_kind { EV_READ, EV_WRITE, EV_IPI, EV_START, EV_WARN };

struct event {
	enum ev_kind kind;
	hv_u32 a, b, c;
};

static struct event evs[32];
static unsigned int nevs;
static struct xapic_vcpu cpus[4];
static hv_u32 hw_regs[0x400 / 4];	/* the real APIC of the accessing CPU */
static unsigned int cell_mask;		/* CPUs of the accessing cell */

static void record(enum ev_kind kind, hv_u32 a, hv_u32 b, hv_u32 c)
{
	if (nevs < 32)
		evs[nevs++] = (struct event){ kind, a, b, c };
}

static hv_u32 hw_read(void *ctx, unsigned int reg)
{
	record(EV_READ, reg, 0, 0);
	return hw_regs[reg / 4];
}

static void hw_write(void *ctx, unsigned int reg, hv_u32 value)
{
	record(EV_WRITE, reg, value, 0);
	hw_regs[reg / 4] = value;
}

static const struct xapic_vcpu *cell_cpu(void *ctx, unsigned int n)
{
	unsigned int cpu;

	for (cpu = 0; cpu < 4; cpu++)
		if ((cell_mask & (1U << cpu)) && n-- == 0)
			return &cpus[cpu];
	return NULL;
}

static void send_ipi(void *ctx, hv_u32 apic_id, enum xapic_ipi_mode mode, hv_u8 vector)
{
	record(EV_IPI, apic_id, mode, vector);
}

static void init_sipi(void *ctx, unsigned int cpu_id, enum xapic_start what, hv_u8 vector)
{
	record(EV_START, cpu_id, what, vector);
}

static void warn(void *ctx, const char *what, hv_u32 reg, hv_u32 value)
{
	record(EV_WARN, reg, value, 0);
}

static const struct xapic_hooks hooks = {
	NULL, hw_read, hw_write, cell_cpu, send_ipi, init_sipi, warn
};

/* Flat logical mode as root Linux sets it: LDR 1 << cpu. */
static void reset(unsigned int mask)
{
	unsigned int cpu;

	for (cpu = 0; cpu < 4; cpu++)
		xapic_vcpu_init(&cpus[cpu], cpu, cpu, 1U << (24 + cpu), XAPIC_DFR_FLAT, cpu == 0);
	memset(hw_regs, 0, sizeof(hw_regs));
	cell_mask = mask;
	nevs = 0;
}

static enum xapic_result wr(unsigned int cpu, unsigned int reg, hv_u32 val)
{
	return xapic_access(&cpus[cpu], &hooks, reg, 4, true, &val);
}

static hv_u32 rd(unsigned int cpu, unsigned int reg)
{
	hv_u32 val = 0xdeadbeef;

	CHECK(xapic_access(&cpus[cpu], &hooks, reg, 4, false, &val) == XAPIC_OK);
	return val;
}

static bool ev(unsigned int i, enum ev_kind kind, hv_u32 a, hv_u32 b, hv_u32 c)
{
	return i < nevs && evs[i].kind == kind && evs[i].a == a && evs[i].b == b && evs[i].c == c;
}

/* Sends ICR high then low from cpu, with the events of that alone. */
static void icr(unsigned int cpu, hv_u32 high, hv_u32 low)
{
	CHECK(wr(cpu, XAPIC_ICR_HIGH, high) == XAPIC_OK);
	nevs = 0;
	CHECK(wr(cpu, XAPIC_ICR_LOW, low) == XAPIC_OK);
}

static void check_registers(void)
{
	hv_u32 val = 0;

	reset(0x5);
	hw_regs[XAPIC_VERSION / 4] = 0x50014;
	hw_regs[XAPIC_ID / 4] = 0x02000000;
	CHECK(rd(2, XAPIC_VERSION) == 0x50014 && ev(0, EV_READ, XAPIC_VERSION, 0, 0));
	CHECK(rd(2, XAPIC_ID) == 0x02000000);
	CHECK(rd(2, XAPIC_LDR) == 1U << 26 && rd(2, XAPIC_DFR) == XAPIC_DFR_FLAT);
	CHECK(rd(2, 0x040) == 0 && rd(2, 0x3f0) == 0 && rd(2, 0x800) == 0);	/* reserved */
	/* Refused: not 32 bits, not 16-byte aligned, off the page. */
	CHECK(xapic_access(&cpus[2], &hooks, XAPIC_TPR, 1, false, &val) == XAPIC_REFUSED);
	CHECK(xapic_access(&cpus[2], &hooks, XAPIC_TPR, 8, true, &val) == XAPIC_REFUSED);
	CHECK(xapic_access(&cpus[2], &hooks, XAPIC_TPR + 4, 4, false, &val) == XAPIC_REFUSED);
	CHECK(xapic_access(&cpus[2], &hooks, 0x1000, 4, false, &val) == XAPIC_REFUSED);

	/* Pass-through writes. */
	nevs = 0;
	wr(2, XAPIC_EOI, 0);
	wr(2, XAPIC_TPR, 0x20);
	wr(2, XAPIC_SVR, 0x1ff);
	wr(2, XAPIC_ESR, 0);
	wr(2, XAPIC_TIMER_DCR, 0xb);
	wr(2, XAPIC_TIMER_ICR, 1000000);
	wr(2, XAPIC_LVT_TIMER, 0x200ec);
	wr(2, XAPIC_LVT_ERROR, 0xfe);
	CHECK(nevs == 8 && ev(0, EV_WRITE, XAPIC_EOI, 0, 0) && ev(1, EV_WRITE, XAPIC_TPR, 0x20, 0));
	CHECK(ev(5, EV_WRITE, XAPIC_TIMER_ICR, 1000000, 0));
	CHECK(ev(7, EV_WRITE, XAPIC_LVT_ERROR, 0xfe, 0));
	/* Read-only and reserved registers ignore writes, never reach the hardware. */
	nevs = 0;
	wr(2, XAPIC_ID, 0x05000000);
	wr(2, XAPIC_VERSION, 0);
	wr(2, XAPIC_PPR, 0);
	wr(2, XAPIC_ISR + 0x30, 1);
	wr(2, XAPIC_IRR + 0x70, 1);
	wr(2, XAPIC_TIMER_CCR, 5);
	CHECK(nevs == 0);
	wr(2, 0x3a0, 1);
	CHECK(nevs == 1 && ev(0, EV_WARN, 0x3a0, 1, 0));
	CHECK(xapic_msr_is_x2apic(0x802) && xapic_msr_is_x2apic(0x8ff));
	CHECK(!xapic_msr_is_x2apic(0x1b) && !xapic_msr_is_x2apic(0x900));
	CHECK(xapic_apic_base_write_ok(0xfee00900, 0xfee00900));
	CHECK(!xapic_apic_base_write_ok(0xfee00900, 0xfee00d00));	/* x2APIC */
	CHECK(!xapic_apic_base_write_ok(0xfee00900, 0xfee00100));	/* disable */
}

static void check_lvt(void)
{
	reset(0x5);
	nevs = 0;
	wr(0, XAPIC_LVT_LINT0, 0x700);			/* ExtINT: the root owns the PIC */
	wr(0, XAPIC_LVT_LINT1, 0x400);			/* NMI */
	CHECK(nevs == 2 && ev(0, EV_WRITE, XAPIC_LVT_LINT0, 0x700, 0));
	CHECK(ev(1, EV_WRITE, XAPIC_LVT_LINT1, 0x400, 0));
	nevs = 0;
	wr(2, XAPIC_LVT_LINT0, 0x700);			/* not on a CPU without the PIC */
	CHECK(nevs == 2 && ev(0, EV_WARN, XAPIC_LVT_LINT0, 0x700, 0));
	CHECK(ev(1, EV_WRITE, XAPIC_LVT_LINT0, 0x10700, 0));
	nevs = 0;
	wr(0, XAPIC_LVT_PERF, 0x200);			/* SMI */
	wr(0, XAPIC_LVT_THERMAL, 0x500);		/* INIT */
	wr(0, XAPIC_LVT_CMCI, 0x700);			/* ExtINT off LINTx */
	CHECK(nevs == 6 && ev(1, EV_WRITE, XAPIC_LVT_PERF, 0x10200, 0));
	CHECK(ev(3, EV_WRITE, XAPIC_LVT_THERMAL, 0x10500, 0));
	CHECK(ev(5, EV_WRITE, XAPIC_LVT_CMCI, 0x10700, 0));
	nevs = 0;
	wr(0, XAPIC_LVT_PERF, 0x10200);			/* masked: harmless */
	wr(0, XAPIC_LVT_PERF, 0x4fe);
	CHECK(nevs == 2 && ev(0, EV_WRITE, XAPIC_LVT_PERF, 0x10200, 0));
}

static void check_ldr_dfr(void)
{
	reset(0xa);
	nevs = 0;
	wr(1, XAPIC_LDR, 1U << 25);			/* its own flat bit: to the hardware */
	wr(1, XAPIC_LDR, 0);
	wr(1, XAPIC_DFR, XAPIC_DFR_FLAT);
	CHECK(nevs == 3 && ev(0, EV_WRITE, XAPIC_LDR, 1U << 25, 0));
	CHECK(ev(1, EV_WRITE, XAPIC_LDR, 0, 0));
	CHECK(ev(2, EV_WRITE, XAPIC_DFR, XAPIC_DFR_FLAT, 0));
	nevs = 0;
	wr(1, XAPIC_LDR, 0xff000000);			/* would catch everyone's: virtual */
	CHECK(nevs == 1 && evs[0].kind == EV_WARN && rd(1, XAPIC_LDR) == 0xff000000);
	nevs = 0;
	wr(1, XAPIC_DFR, 0x0fffffff);			/* cluster: virtual */
	CHECK(nevs == 1 && evs[0].kind == EV_WARN && rd(1, XAPIC_DFR) == 0x0fffffff);
	CHECK(cpus[1].ldr == 0xff000000 && cpus[1].dfr == 0x0fffffff);
}

static void check_icr(void)
{
	reset(0x5);					/* the root: CPUs 0 and 2 */
	/* Physical, fixed, to CPU 2; the ICR reads back idle. */
	icr(0, 2U << 24, 0x40fd);
	CHECK(nevs == 1 && ev(0, EV_IPI, 2, XAPIC_IPI_FIXED, 0xfd));
	CHECK(rd(0, XAPIC_ICR_LOW) == 0x40fd && rd(0, XAPIC_ICR_HIGH) == 2U << 24);
	icr(0, 2U << 24, 0x50fd);			/* delivery-pending bit: never seen set */
	CHECK(rd(0, XAPIC_ICR_LOW) == 0x40fd);
	/* Physical to a CPU of another cell: dropped with a warning. */
	icr(0, 1U << 24, 0x40fd);
	CHECK(nevs == 1 && evs[0].kind == EV_WARN);
	icr(0, 7U << 24, 0x4400);			/* no such CPU, NMI */
	CHECK(nevs == 1 && evs[0].kind == EV_WARN);
	/* Physical broadcast: the cell's CPUs only. */
	icr(0, 0xffU << 24, 0x40f0);
	CHECK(nevs == 2 && ev(0, EV_IPI, 0, XAPIC_IPI_FIXED, 0xf0) &&
	      ev(1, EV_IPI, 2, XAPIC_IPI_FIXED, 0xf0));
	/* Logical flat: 0x0f names CPUs 0-3, only 0 and 2 are the cell's. */
	icr(0, 0x0fU << 24, 0x48fb);
	CHECK(nevs == 2 && ev(0, EV_IPI, 0, XAPIC_IPI_FIXED, 0xfb) &&
	      ev(1, EV_IPI, 2, XAPIC_IPI_FIXED, 0xfb));
	icr(0, 0x02U << 24, 0x48fb);			/* CPU 1: foreign */
	CHECK(nevs == 1 && evs[0].kind == EV_WARN);
	icr(2, 0x04U << 24, 0x4cfb);			/* NMI to itself by logical id */
	CHECK(nevs == 1 && ev(0, EV_IPI, 2, XAPIC_IPI_NMI, 0));
	/* Lowest priority as fixed. */
	icr(0, 0x04U << 24, 0x49ec);
	CHECK(nevs == 1 && ev(0, EV_IPI, 2, XAPIC_IPI_FIXED, 0xec));
	/* Shorthands (the destination field ignored). */
	icr(0, 0x02U << 24, 0x440fd);			/* self */
	CHECK(nevs == 1 && ev(0, EV_IPI, 0, XAPIC_IPI_FIXED, 0xfd));
	icr(0, 0, 0x840fd);				/* all including self */
	CHECK(nevs == 2 && ev(0, EV_IPI, 0, XAPIC_IPI_FIXED, 0xfd) &&
	      ev(1, EV_IPI, 2, XAPIC_IPI_FIXED, 0xfd));
	icr(2, 0, 0xc4400);				/* all excluding self, NMI */
	CHECK(nevs == 1 && ev(0, EV_IPI, 0, XAPIC_IPI_NMI, 0));
	/* SMI, ExtINT and the reserved mode are refused. */
	icr(0, 2U << 24, 0x4200);
	CHECK(nevs == 1 && evs[0].kind == EV_WARN);
	icr(0, 2U << 24, 0x4700);
	CHECK(nevs == 1 && evs[0].kind == EV_WARN);
	icr(0, 2U << 24, 0x4300);
	CHECK(nevs == 1 && evs[0].kind == EV_WARN);
}

/* Cluster model (virtual): cluster 1, members by bit; broadcast 0xff. */
static void check_icr_cluster(void)
{
	reset(0xf);
	cpus[1].dfr = cpus[3].dfr = 0x0fffffff;
	cpus[1].ldr = 0x11000000;
	cpus[3].ldr = 0x12000000;
	cell_mask = 0xa;
	icr(1, 0x12U << 24, 0x8f1);
	CHECK(nevs == 1 && ev(0, EV_IPI, 3, XAPIC_IPI_FIXED, 0xf1));
	icr(1, 0x13U << 24, 0x8f1);
	CHECK(nevs == 2 && ev(0, EV_IPI, 1, XAPIC_IPI_FIXED, 0xf1) &&
	      ev(1, EV_IPI, 3, XAPIC_IPI_FIXED, 0xf1));
	icr(1, 0x23U << 24, 0x8f1);			/* cluster 2: nobody */
	CHECK(nevs == 1 && evs[0].kind == EV_WARN);
	icr(1, 0xffU << 24, 0x8f1);
	CHECK(nevs == 2);
}

/* INIT/SIPI: Linux's wakeup sequence and a real-mode inmate's, routed to the hypervisor. */
static void check_init_sipi(void)
{
	reset(0xa);					/* the cell: CPUs 1 and 3 */
	icr(1, 3U << 24, 0xc500);			/* INIT, level assert */
	CHECK(nevs == 1 && ev(0, EV_START, 3, XAPIC_START_INIT, 0));
	icr(1, 3U << 24, 0x8500);			/* INIT level de-assert: nothing */
	CHECK(nevs == 0);
	icr(1, 3U << 24, 0x0600 | 0x9a);		/* SIPI, start page 0x9a000 */
	CHECK(nevs == 1 && ev(0, EV_START, 3, XAPIC_START_SIPI, 0x9a));
	icr(1, 0, 0xc4500);				/* INIT to all others */
	CHECK(nevs == 1 && ev(0, EV_START, 3, XAPIC_START_INIT, 0));
	icr(1, 0, 0xc4608);				/* SIPI to all others */
	CHECK(nevs == 1 && ev(0, EV_START, 3, XAPIC_START_SIPI, 0x08));
	icr(1, 0, 0x84500);				/* all including self: self skipped */
	CHECK(nevs == 2 && evs[0].kind == EV_WARN && ev(1, EV_START, 3, XAPIC_START_INIT, 0));
	icr(1, 0x08U << 24, 0x4d00);			/* logical flat CPU 3 */
	CHECK(nevs == 1 && ev(0, EV_START, 3, XAPIC_START_INIT, 0));
	icr(1, 2U << 24, 0x4500);			/* a root CPU: never */
	CHECK(nevs == 1 && evs[0].kind == EV_WARN);
	icr(1, 0, 0xc4200);				/* SMI to all others */
	CHECK(nevs == 1 && evs[0].kind == EV_WARN);
	CHECK(nevs == 1);
}

static void check_irq_dest(void)
{
	reset(0xa);
	CHECK(xapic_irq_dest_in_cell(&hooks, false, 1));
	CHECK(xapic_irq_dest_in_cell(&hooks, false, 3));
	CHECK(!xapic_irq_dest_in_cell(&hooks, false, 0));
	CHECK(!xapic_irq_dest_in_cell(&hooks, false, 0xff));
	CHECK(xapic_irq_dest_in_cell(&hooks, true, 0x02));
	CHECK(xapic_irq_dest_in_cell(&hooks, true, 0x0a));
	CHECK(!xapic_irq_dest_in_cell(&hooks, true, 0x03));
	CHECK(!xapic_irq_dest_in_cell(&hooks, true, 0x10));	/* no CPU 4 in the cell */
	CHECK(!xapic_irq_dest_in_cell(&hooks, true, 0));
	CHECK(!xapic_irq_dest_in_cell(&hooks, true, 0xff));
	/* The guest's virtual LDR does not matter: the hardware's is by CPU id. */
	cpus[1].ldr = 0xff000000;
	CHECK(!xapic_irq_dest_in_cell(&hooks, true, 0x01));
}

int main(void)
{
	check_registers();
	check_lvt();
	check_ldr_dfr();
	check_icr();
	check_icr_cluster();
	check_init_sipi();
	check_irq_dest();
	return test_report("test_x86_apic");
}
