// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3. In trap mode (the root, cells without HVCFG_CELL_IRQ_DIRECT) physical interrupts are
 * taken at EL2, their priority dropped, and handed to the guest through a list register with
 * the HW bit, so the guest's deactivation reaches the physical interrupt without another exit;
 * guest SGIs are purely virtual. In direct mode a cell's CPUs take their Group 1 interrupts
 * themselves (gic_vcpu.c). Either way the hypervisor's own SGIs are Group 0 (FIQ at EL2), and
 * the distributor and the redistributors are trapped: accesses go through only for interrupts
 * and CPUs the cell owns, and never give a cell a priority that could hold off those SGIs.
 * What happens when interrupts and CPUs change owner is in gic_owner.c.
 */

#include <asm/gic_regs.h>
#include <asm/cfg_arm.h>
#include <asm/vgic.h>

static u8 *gicr;
static u32 gicr_stride, gicr_frames;
void *gicd;
u32 gic_maintenance_irq;

/* Until the distributor has applied disables and group changes; bounded, it is hardware. */
void gic_dist_wait_rwp(void)
{
	unsigned int n;

	for (n = 0; n < RWP_POLLS && mmio_read(gicd + GICD_CTLR, 4) & GICD_CTLR_RWP; n++)
		cpu_relax();
}

bool gic_reserved_private(unsigned int irq)
{
	return irq == SGI_INJECT || irq == SGI_EVENT || irq == gic_maintenance_irq;
}

/*
 * The access widths GICv3 defines: 32-bit for every register, 64-bit for the 64-bit ones,
 * bytes for the priority (and, in the distributor, target) bytes. Other widths are
 * UNPREDICTABLE on hardware (QEMU drops them): a non-root cell's is never forwarded, it is an
 * invalid access that stops the cell. Alignment is checked before (mmio_dispatch).
 */
static bool in_range(u64 off, u64 start, u64 end)
{
	return off >= start && off < end;
}

static bool gicd_width_ok(u64 off, unsigned int size)
{
	if (size == 4)
		return true;
	if (size == 8)
		return in_range(off, GICD_IROUTER, GICD_IROUTER_END);
	return size == 1 && in_range(off, GICD_IPRIORITYR, GICD_ICFGR);	/* + ITARGETSR */
}

static bool gicr_width_ok(u64 off, unsigned int size)
{
	if (size == 4)
		return true;
	if (size == 8)
		return off == GICR_TYPER || off == GICR_PROPBASER || off == GICR_PENDBASER;
	return size == 1 && in_range(off, GICR_SGI_BASE + GICR_IPRIORITYR0,
				     GICR_SGI_BASE + GICR_IPRIORITYR0 + 32);
}

static enum mmio_result bad_width(struct cell *cell, const char *what, u64 off,
				  struct mmio_access *acc)
{
	guest_warn(cell, "%s: %u-byte %s at 0x%llx: not an access width of that register\n", what,
		   acc->size, acc->write ? "write" : "read", off);
	return MMIO_ERROR;
}

static bool cell_has_mpidr(const struct cell *cell, u64 mpidr)
{
	struct per_cpu *cpu = cpu_by_hw_id(mpidr & MPIDR_AFF_MASK);

	return cpu && cpu->cell == cell;
}

static enum mmio_result gicd_access(void *arg, struct mmio_access *acc)
{
	struct cell *cell = arg;
	u64 off = acc->addr;
	unsigned int irq;

	if (cell != &hv.root && !gicd_width_ok(off, acc->size))
		return bad_width(cell, "GICD", off, acc);
	if (off >= GICD_IROUTER && off < GICD_IROUTER_END) {
		irq = (off - GICD_IROUTER) / 8;
		if (!cell_owns_irq(cell, irq) || irq < 32) {
			/* quiet for Linux's set-up: every SPI routed to its boot CPU */
			if (acc->write && !(acc->size == 8 && !(acc->value & GICD_IROUTER_IRM) &&
					    cell_has_mpidr(cell, acc->value & MPIDR_AFF_MASK)))
				guest_warn(cell, "GICD: IROUTER%u of an interrupt it does not own: ignored\n",
					   irq);
			acc->value = 0;
			return MMIO_HANDLED;
		}
		if (!acc->write) {
			acc->value = mmio_read(gicd + off, acc->size);
			return MMIO_HANDLED;
		}
		/* routing only to the cell's own CPUs, never "any CPU" (IRM) */
		if (acc->size == 8 && !(acc->value & GICD_IROUTER_IRM) &&
		    cell_has_mpidr(cell, acc->value & MPIDR_AFF_MASK))
			mmio_write(gicd + off, 8, acc->value);
		else
			guest_warn(cell, "GICD: IROUTER%u <- 0x%llx refused\n", irq, acc->value);
		return MMIO_HANDLED;
	}
	if (off < 0x80 || off >= GICD_ID_START) {
		/* global registers: visible, but the distributor setup belongs to the hypervisor */
		if (acc->write && off >= 0x10)
			guest_warn(cell, "GICD: write to global register 0x%llx ignored\n", off);
		acc->value = acc->write ? 0 : mmio_read(gicd + off, acc->size);
		/* LPIs need the root's ITS and tables: no other cell has any */
		if (!acc->write && cell != &hv.root)
			acc->value &= ~gic_reg_bits(off, acc->size, GICD_TYPER, GICD_TYPER_LPIS);
		return MMIO_HANDLED;
	}
	if (gic_irq_reg_access(cell, gicd, off, acc, "GICD", false) == MMIO_HANDLED)
		return MMIO_HANDLED;
	if (acc->write)
		guest_warn(cell, "GICD: write to 0x%llx ignored\n", off);
	acc->value = 0;
	return MMIO_HANDLED;
}

static struct per_cpu *frame_owner(unsigned int frame)
{
	u64 typer = mmio_read(gicr + frame * gicr_stride + GICR_TYPER, 8) >> 32;
	u64 mpidr = (typer & 0xffffff) | ((typer & 0xff000000UL) << 8);

	return cpu_by_hw_id(mpidr);
}

static bool gicr_ident(u64 off)
{
	return off == GICR_IIDR || (off >= GICR_TYPER && off < GICR_TYPER + 8) ||
	       (off >= GICR_ID_START && off < GICR_SGI_BASE);
}

/* GICR_TYPER's LPI bits, hidden from non-root cells like GICD_TYPER.LPIS */
static u64 gicr_lpi_bits(u64 off, unsigned int size)
{
	return gic_reg_bits(off, size, GICR_TYPER, GICR_TYPER_PLPIS | GICR_TYPER_DIRECTLPI);
}

static enum mmio_result gicr_access(void *arg, struct mmio_access *acc)
{
	unsigned int frame = acc->addr / gicr_stride;
	u64 off = acc->addr % gicr_stride;
	struct per_cpu *owner = frame < gicr_frames ? frame_owner(frame) : NULL;
	u8 *base = gicr + frame * gicr_stride;
	struct cell *cell = arg;

	if (cell != &hv.root && !gicr_width_ok(off, acc->size))
		return bad_width(cell, "GICR", off, acc);
	if (!owner || owner->cell != cell) {
		if (acc->write)
			guest_warn(cell, "GICR: write to 0x%llx in the redistributor of CPU %d ignored\n",
				   off, owner ? (int)owner->id : -1);
		/*
		 * Only the identification of existing frames stays readable, so guests can walk
		 * them; the rest (the root's LPI table addresses, say) is not theirs to see.
		 */
		acc->value = !acc->write && frame < gicr_frames && gicr_ident(off) ?
			     mmio_read(base + off, acc->size) : 0;
		if (cell != &hv.root)
			acc->value &= ~gicr_lpi_bits(off, acc->size);
		return MMIO_HANDLED;
	}
	/* the LPI tables of its own frame are the root's, left by Linux: not shown either */
	if (!acc->write && cell != &hv.root && off >= GICR_PROPBASER && off < GICR_PENDBASER + 8) {
		acc->value = 0;
		return MMIO_HANDLED;
	}
	if (off >= GICR_SGI_BASE &&
	    gic_irq_reg_access(cell, base + GICR_SGI_BASE, off - GICR_SGI_BASE, acc, "GICR",
			       true) == MMIO_HANDLED)
		return MMIO_HANDLED;
	/*
	 * A cell's own frame outside the interrupt registers: reads only. LPI tables
	 * (PROPBASER, PENDBASER, EnableLPIs) would let the GIC write wherever the cell points
	 * it, and a sleeping redistributor would keep the hypervisor's own SGIs from arriving.
	 * Waking it (what inmates do at start) is harmless.
	 */
	if (acc->write && cell != &hv.root) {
		if (off != GICR_WAKER || acc->value & GICR_WAKER_SLEEP)
			guest_warn(cell, "GICR: write 0x%llx to 0x%llx of its redistributor ignored\n",
				   acc->value, off);
		return MMIO_HANDLED;
	}
	if (acc->write)
		mmio_write(base + off, acc->size, acc->value);
	else
		acc->value = mmio_read(base + off, acc->size);
	if (!acc->write && cell != &hv.root)
		acc->value &= ~gicr_lpi_bits(off, acc->size);
	return MMIO_HANDLED;
}

int gic_init(const struct hvcfg_system *sys)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(sys);
	u32 ctlr;

	gicd = (void *)(uintptr_t)p->gicd_base;
	gicr = (u8 *)(uintptr_t)p->gicr_base;
	gicr_stride = p->gicr_stride;
	/* only frames up to the one marked Last exist; reading past them would abort at EL2 */
	for (gicr_frames = 0; gicr_frames < p->gicr_size / p->gicr_stride; gicr_frames++)
		if (mmio_read(gicr + gicr_frames * gicr_stride + GICR_TYPER, 8) & GICR_TYPER_LAST) {
			gicr_frames++;
			break;
		}
	gic_maintenance_irq = p->maintenance_irq;
	ctlr = mmio_read(gicd + GICD_CTLR, 4);
	if (!(ctlr & GICD_CTLR_ARE_NS)) {
		pr_err("GICv3: affinity routing is off, not supported\n");
		return -ENODEV;
	}
	/*
	 * With two security states Group 0 is Secure and out of our reach: the management SGIs
	 * would have no group that a cell cannot mask. Without EL3 firmware (QEMU's virt) DS=1.
	 */
	if (!(ctlr & GICD_CTLR_DS)) {
		pr_err("GICv3: GICD_CTLR.DS=0 (Group 0 is Secure), not supported\n");
		return -ENODEV;
	}
	/* Linux enables both groups (Group 0 is its "G1" bit with DS=1); make sure. Stays on. */
	if (!(ctlr & GICD_CTLR_GRP0)) {
		mmio_write(gicd + GICD_CTLR, 4, ctlr | GICD_CTLR_GRP0);
		gic_dist_wait_rwp();
	}
	return 0;
}

/*
 * The ITS is not emulated. The root, which owns every LPI while it is the only cell, may use
 * it through this window (Linux touches it on CPU hotplug); other cells never see it.
 */
static enum mmio_result its_access(void *arg, struct mmio_access *acc)
{
	void *addr = (u8 *)(uintptr_t)cfg_arm_platform(hv.config)->its_base + acc->addr;

	if (arg != &hv.root)
		return MMIO_UNHANDLED;
	if (acc->write)
		mmio_write(addr, acc->size, acc->value);
	else
		acc->value = mmio_read(addr, acc->size);
	return MMIO_HANDLED;
}

int gic_cell_init(struct cell *cell)
{
	const struct hvcfg_arm_platform *p = cfg_arm_platform(hv.config);
	int err = mmio_register(cell, p->gicd_base, p->gicd_size, gicd_access, cell);

	if (!err)
		err = mmio_register(cell, p->gicr_base, p->gicr_size, gicr_access, cell);
	if (!err && p->its_size && cell == &hv.root)
		err = mmio_register(cell, p->its_base, p->its_size, its_access, cell);
	return err;
}


static void *my_redist(struct per_cpu *cpu)
{
	unsigned int n;

	for (n = 0; n < gicr_frames; n++)
		if (frame_owner(n) == cpu)
			return gicr + n * gicr_stride;
	return NULL;
}

int gic_cpu_init(struct per_cpu *cpu)
{
	if (!(read_sysreg(ICC_SRE_EL2) & ICC_SRE_SRE)) {
		pr_err("CPU %u: GICv3 system register interface is off\n", cpu->id);
		return -ENODEV;
	}
	vgic_cpu_init(cpu);
	cpu->arch.gicr = my_redist(cpu);
	if (!cpu->arch.gicr) {
		pr_err("CPU %u: no redistributor for MPIDR 0x%llx\n", cpu->id, cpu->hw_id);
		return -ENODEV;
	}
	gic_hv_sgis_claim(cpu);
	return 0;
}

