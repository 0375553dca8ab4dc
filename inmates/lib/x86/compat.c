// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * x86 functions of the Jailhouse compat API (compat/include/inmate.h, x86/compat/): Jailhouse's
 * timer, interrupt, IOAPIC, SMP and PCI calls expressed with the native library. Jailhouse's
 * inmates drive the x2APIC; this library runs the xAPIC, so CPU numbers are xAPIC IDs.
 */
#include "internal.h"

#define PCI_ADDR_PORT		0xcf8
#define PCI_DATA_PORT		0xcfc
#define PCI_CFG_STATUS		0x06
#define  PCI_STS_CAPS		(1 << 4)
#define PCI_CFG_CAP_PTR		0x34
#define PCI_CAP_MSI		0x05
#define MSI_ADDRESS		0xfee00000U

static unsigned int apic_timer_vector;

unsigned int jh_cpu_id(void)
{
	return cpu_apic_id();
}

/* As in Jailhouse, the caller unmasks interrupts (sti) when it is ready for them. */
void jh_arch_irq_init_done(void)
{
}

/* The local APIC delivers every vector; nothing to enable. */
void jh_irq_enable(unsigned int irq)
{
	(void)irq;
}

void irq_send_ipi(unsigned int apic_id, unsigned int vector)
{
	apic_send_ipi(apic_id, vector);
}

/* The library's identity map covers 0-4 GiB (3-4 GiB uncached) from the start. */
void jh_map_range(void *start, unsigned long size, unsigned int jh_type)
{
	(void)jh_type;
	if ((uintptr_t)start + size > (1ULL << 32))
		printk("inmate: map_range(%p, 0x%lx): only 0-4 GiB is mapped\n", start, size);
}

void arch_mmu_enable(void)
{
}

void ioapic_init(void)
{
}

void ioapic_pin_set_vector(unsigned int pin, unsigned int trigger_mode, unsigned int vector)
{
	ioapic_set_pin(pin, vector, cpu_apic_id(), trigger_mode);
}

static u64 ns_of(u64 ticks, u64 hz)
{
	return hz ? ticks / hz * NS_PER_SEC + ticks % hz * NS_PER_SEC / hz : 0;
}

unsigned long long pm_timer_read(void)
{
	return timer_ticks_to_ns(timer_ticks());
}

/* The TSC frequency: the comm region's calibration, else the library's. */
unsigned long tsc_init(void)
{
	struct hv_comm_region *comm = comm_region();
	u64 khz = comm ? hv_comm_x86(comm)->tsc_khz : 0;

	return khz ? khz * 1000 : timer_frequency();
}

unsigned long tsc_read_ns(void)
{
	return ns_of(rdtsc(), tsc_init());
}

unsigned long apic_timer_init(unsigned int vector)
{
	apic_timer_vector = vector;
	return apic_timer_frequency() / 1000;
}

void apic_timer_set(unsigned long long timeout_ns)
{
	u64 hz = apic_timer_frequency();
	u64 count = timeout_ns / NS_PER_SEC * hz + timeout_ns % NS_PER_SEC * hz / NS_PER_SEC;

	if (count > 0xffffffff)
		count = 0xffffffff;
	apic_write(APIC_TDCR, 0xb);	/* divide by 1, as the library calibrated it */
	apic_write(APIC_LVT_TIMER, apic_timer_vector);
	apic_write(APIC_TMICT, count ? count : 1);
}

/* --- SMP: every other CPU of the cell parks until smp_start_cpu() gives it work ---------- */

volatile u32 smp_num_cpus = 1;
u8 smp_cpu_ids[255];
static void (*volatile parked_entry[MAX_CPUS])(void);
static bool cpus_started;
static spinlock_t smp_lock;

static void park(unsigned int cpu)
{
	void (*entry)(void);

	spin_lock(&smp_lock);
	smp_cpu_ids[smp_num_cpus] = cpu_apic_id();
	smp_num_cpus = smp_num_cpus + 1;
	spin_unlock(&smp_lock);
	while (!(entry = parked_entry[cpu]))
		cpu_relax();
	parked_entry[cpu] = NULL;
	entry();
}

void smp_wait_for_all_cpus(void)
{
	struct hv_comm_region *comm = comm_region();
	unsigned int want = comm ? hv_comm_x86(comm)->num_cpus : 0;

	if (!cpus_started) {
		cpus_started = true;
		smp_cpu_ids[0] = cpu_apic_id();
		smp_start_cpus(park);
	}
	/* Without a count (bare metal) the CPUs that answer within a moment are all. */
	if (!want || want > MAX_CPUS) {
		smp_wait_online(MAX_CPUS, 200);
		return;
	}
	while (smp_num_cpus < want)
		cpu_relax();
}

void smp_start_cpu(unsigned int apic_id, void (*entry)(void))
{
	unsigned int cpu;

	for (cpu = 1; cpu < MAX_CPUS; cpu++) {
		if (cpu_online(cpu) && cpu_to_apic_id(cpu) == apic_id) {
			parked_entry[cpu] = entry;
			while (parked_entry[cpu])
				cpu_relax();
			return;
		}
	}
	printk("inmate: smp_start_cpu(%u): no such CPU parked (smp_wait_for_all_cpus first)\n",
	       apic_id);
}

/* --- PCI through the configuration ports ------------------------------------------------ */

static void pci_select(u16 bdf, unsigned int addr)
{
	outl(PCI_ADDR_PORT, 0x80000000U | (u32)bdf << 8 | (addr & 0xfc));
}

int jh_pci_init(void)
{
	return 0;
}

u32 pci_read_config(u16 bdf, unsigned int addr, unsigned int size)
{
	pci_select(bdf, addr);
	switch (size) {
	case 1:
		return inb(PCI_DATA_PORT + (addr & 3));
	case 2:
		return inw(PCI_DATA_PORT + (addr & 2));
	case 4:
		return inl(PCI_DATA_PORT);
	default:
		return ~0U;
	}
}

void pci_write_config(u16 bdf, unsigned int addr, u32 value, unsigned int size)
{
	pci_select(bdf, addr);
	switch (size) {
	case 1:
		outb(PCI_DATA_PORT + (addr & 3), value);
		break;
	case 2:
		outw(PCI_DATA_PORT + (addr & 2), value);
		break;
	case 4:
		outl(PCI_DATA_PORT, value);
		break;
	}
}

int jh_pci_find_device(u16 vendor, u16 device, u16 start_bdf)
{
	unsigned int bdf;

	for (bdf = start_bdf; bdf < 0x100; bdf++) {
		u32 id = pci_read_config(bdf, 0, 4);

		if ((id & 0xffff) == 0xffff)
			continue;
		if ((vendor == 0xffff || (id & 0xffff) == vendor) &&
		    (device == 0xffff || id >> 16 == device))
			return bdf;
	}
	return -1;
}

int jh_pci_find_cap(u16 bdf, u16 cap)
{
	unsigned int pos, guard;

	if (!(pci_read_config(bdf, PCI_CFG_STATUS, 2) & PCI_STS_CAPS))
		return -1;
	pos = pci_read_config(bdf, PCI_CFG_CAP_PTR, 1) & 0xfc;
	for (guard = 0; pos && guard < 48; guard++) {
		if (pci_read_config(bdf, pos, 1) == cap)
			return pos;
		pos = pci_read_config(bdf, pos + 1, 1) & 0xfc;
	}
	return -1;
}

/* MSI to this CPU: address 0xfee00000 | APIC ID << 12, data = vector, then enable. */
void pci_msi_set_vector(u16 bdf, unsigned int vector)
{
	int cap = jh_pci_find_cap(bdf, PCI_CAP_MSI);
	u16 ctrl;
	unsigned int data;

	if (cap < 0)
		return;
	ctrl = pci_read_config(bdf, cap + 2, 2);
	pci_write_config(bdf, cap + 4, MSI_ADDRESS | cpu_apic_id() << 12, 4);
	data = cap + ((ctrl & (1 << 7)) ? 12 : 8);
	if (ctrl & (1 << 7))
		pci_write_config(bdf, cap + 8, 0, 4);
	pci_write_config(bdf, data, vector, 2);
	pci_write_config(bdf, cap + 2, ctrl | 1, 2);
}

void pci_msix_set_vector(u16 bdf, unsigned int vector, u32 index)
{
	printk("inmate: pci_msix_set_vector(%x, %u, %u): MSI-X is not supported here, "
	       "use MSI\n", bdf, vector, index);
}
