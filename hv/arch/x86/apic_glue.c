// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's side of the xAPIC and IOAPIC filters (apic.c, ioapic.c: pure units with
 * hooks): their MMIO handlers, the real registers they reach, the CPUs of a cell, IPIs, INIT
 * and SIPI turned into parking and starting vCPUs. No cell, the root included, maps the local
 * APIC or an IOAPIC.
 */
#include <asm/x86.h>

static spinlock_t ioapic_lock;

static hv_u32 lapic_hw_read(void *ctx, unsigned int reg)
{
	return apic_read(reg);
}

static void lapic_hw_write(void *ctx, unsigned int reg, hv_u32 value)
{
	apic_write(reg, value);
}

static const struct xapic_vcpu *cell_cpu(void *ctx, unsigned int n)
{
	struct per_cpu *cpu = ctx;
	unsigned int id;

	for_each_cpu(id, cpu->cell->cpu_set)
		if (!n--)
			return &per_cpu(id)->arch.xapic;
	return NULL;
}

/* The real ICR is this CPU's own: no other user while we are in the hypervisor. */
static void send_ipi(void *ctx, hv_u32 apic_id, enum xapic_ipi_mode mode, hv_u8 vector)
{
	struct per_cpu *target = cpu_by_hw_id(apic_id);

	if (mode == XAPIC_IPI_NMI) {
		/* NMIs are our doorbell: the guest's goes in at the target's next VMRUN */
		if (target) {
			__atomic_store_n(&target->arch.guest_nmi, 1, __ATOMIC_SEQ_CST);
			arch_send_event(target);
		}
		return;
	}
	while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
	apic_write(APIC_ICR_HI, apic_id << 24);
	apic_write(APIC_ICR, vector | APIC_ICR_ASSERT);
}

static void init_sipi(void *ctx, unsigned int cpu_id, enum xapic_start what, hv_u8 vector)
{
	struct per_cpu *target = per_cpu(cpu_id);

	stat_inc(target, EXIT_INIT_SIPI);
	if (what == XAPIC_START_SIPI) {
		x86_start_cpu(target, (u64)vector << 12, true);
		return;
	}
	if (!READ_ONCE(target->parked)) {
		__atomic_store_n(&target->arch.init_request, 1, __ATOMIC_SEQ_CST);
		arch_send_event(target);
	}
}

static void lapic_warn(void *ctx, const char *what, hv_u32 reg, hv_u32 value)
{
	struct per_cpu *cpu = ctx;

	guest_warn(cpu->cell, "CPU %u: xAPIC %s (register 0x%x, value 0x%x)\n", cpu->id, what,
		   reg, value);
}

static void xapic_hooks_of(struct per_cpu *cpu, struct xapic_hooks *h)
{
	*h = (struct xapic_hooks){ cpu, lapic_hw_read, lapic_hw_write, cell_cpu, send_ipi,
				   init_sipi, lapic_warn };
}

static enum mmio_result xapic_mmio(void *arg, struct mmio_access *acc)
{
	struct per_cpu *cpu = this_cpu();
	struct xapic_hooks h;
	hv_u32 v = acc->value;

	stat_inc(cpu, EXIT_XAPIC);
	xapic_hooks_of(cpu, &h);
	if (xapic_access(&cpu->arch.xapic, &h, acc->addr, acc->size, acc->write, &v))
		return MMIO_ERROR;
	if (!acc->write)
		acc->value = v;
	return MMIO_HANDLED;
}

/* --- IOAPIC ------------------------------------------------------------------------------ */

struct ioapic_ctx {
	struct per_cpu *cpu;
	unsigned int index;		/* which IOAPIC of the platform */
	volatile u32 *regs;
};

static hv_u32 io_read(void *ctx, unsigned int index)
{
	struct ioapic_ctx *c = ctx;
	hv_u32 v;

	spin_lock(&ioapic_lock);
	c->regs[0] = index;
	v = c->regs[4];
	spin_unlock(&ioapic_lock);
	return v;
}

static void io_write(void *ctx, unsigned int index, hv_u32 value)
{
	struct ioapic_ctx *c = ctx;

	spin_lock(&ioapic_lock);
	c->regs[0] = index;
	c->regs[4] = value;
	spin_unlock(&ioapic_lock);
}

static void io_eoi(void *ctx, hv_u8 vector)
{
	struct ioapic_ctx *c = ctx;

	c->regs[IOAPIC_EOI / 4] = vector;
}

static bool pin_owned(void *ctx, unsigned int pin)
{
	struct ioapic_ctx *c = ctx;

	return cell_owns_irq(c->cpu->cell, c->index * ARCH_IRQS_PER_IOAPIC + pin);
}

static bool dest_ok(void *ctx, bool logical, hv_u8 dest)
{
	struct ioapic_ctx *c = ctx;
	struct xapic_hooks h;

	xapic_hooks_of(c->cpu, &h);
	return xapic_irq_dest_in_cell(&h, logical, dest);
}

static void io_warn(void *ctx, const char *what, hv_u32 index, hv_u32 value)
{
	struct ioapic_ctx *c = ctx;

	guest_warn(c->cpu->cell, "CPU %u: IOAPIC %s (register 0x%x, value 0x%x)\n", c->cpu->id,
		   what, index, value);
}

static enum mmio_result ioapic_mmio(void *arg, struct mmio_access *acc)
{
	unsigned int index = (uintptr_t)arg;
	struct per_cpu *cpu = this_cpu();
	struct ioapic_ctx c = { cpu, index, (volatile u32 *)(uintptr_t)
				cfg_x86_platform(hv.config)->ioapics[index].address };
	struct ioapic_hooks h = { &c, io_read, io_write, io_eoi, pin_owned, dest_ok, io_warn };
	hv_u32 v = acc->value;

	if (ioapic_access(&cpu->cell->arch.ioapic[index], &h, acc->addr, acc->size, acc->write,
			  &v))
		return MMIO_ERROR;
	if (!acc->write)
		acc->value = v;
	return MMIO_HANDLED;
}

/*
 * A pin changes hands masked: the old owner's programming must not deliver to its CPUs any
 * more, the new owner programs it itself.
 */
void x86_ioapic_mask_pin(unsigned int index, unsigned int pin)
{
	struct ioapic_ctx c = { this_cpu(), index, (volatile u32 *)(uintptr_t)
				cfg_x86_platform(hv.config)->ioapics[index].address };

	io_write(&c, IOAPIC_REDIR_LOW(pin), io_read(&c, IOAPIC_REDIR_LOW(pin)) | IOAPIC_MASKED);
}

/* The emulated xAPIC page and IOAPICs of a cell; the hypervisor maps the IOAPICs for itself. */
int x86_apic_cell_init(struct cell *cell)
{
	const struct hvcfg_x86_platform *p = cfg_x86_platform(hv.config);
	u64 dev = PTE_RW | PTE_PCD | PTE_PWT | PTE_NX;
	unsigned int n;
	int err = mmio_register(cell, X86_LAPIC_BASE, PAGE_SIZE, xapic_mmio, NULL);

	for (n = 0; !err && n < p->num_ioapics && n < HVCFG_X86_MAX_IOAPICS; n++) {
		ioapic_cell_init(&cell->arch.ioapic[n]);
		err = pt_map(hv_pt, p->ioapics[n].address, p->ioapics[n].address, X86_IOAPIC_SIZE,
			     dev, false);
		if (!err)
			err = mmio_register(cell, p->ioapics[n].address, X86_IOAPIC_SIZE,
					    ioapic_mmio, (void *)(uintptr_t)n);
	}
	return err;
}

/* A vCPU's APIC view: the root's is what Linux set up, a cell's starts from reset values. */
void x86_apic_vcpu_init(struct per_cpu *cpu)
{
	bool root = cpu->cell == &hv.root;

	xapic_vcpu_init(&cpu->arch.xapic, cpu->hw_id, cpu->id,
			root ? apic_read(XAPIC_LDR) : 0,
			root ? apic_read(XAPIC_DFR) : XAPIC_DFR_FLAT, root);
}
