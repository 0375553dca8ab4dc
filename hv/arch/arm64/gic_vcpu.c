// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 virtual CPU interface of each CPU: interrupts taken at EL2 wait in a per-CPU queue
 * until a list register is free. SPIs and PPIs go in with the HW bit (the guest's deactivation
 * ends the physical interrupt), SGIs are purely virtual, and LPIs, which have no active state,
 * are ended at EL2 and go in as plain virtual LPIs.
 */
#include <asm/gic_regs.h>

static u64 read_lr(unsigned int n)
{
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	case 8: return read_sysreg(S3_4_C12_C13_0);
	case 9: return read_sysreg(S3_4_C12_C13_1);
	case 10: return read_sysreg(S3_4_C12_C13_2);
	case 11: return read_sysreg(S3_4_C12_C13_3);
	case 12: return read_sysreg(S3_4_C12_C13_4);
	case 13: return read_sysreg(S3_4_C12_C13_5);
	case 14: return read_sysreg(S3_4_C12_C13_6);
	default: return read_sysreg(S3_4_C12_C13_7);
	}
}

static void write_lr(unsigned int n, u64 v)
{
	switch (n) {
	case 0: write_sysreg(S3_4_C12_C12_0, v); break;
	case 1: write_sysreg(S3_4_C12_C12_1, v); break;
	case 2: write_sysreg(S3_4_C12_C12_2, v); break;
	case 3: write_sysreg(S3_4_C12_C12_3, v); break;
	case 4: write_sysreg(S3_4_C12_C12_4, v); break;
	case 5: write_sysreg(S3_4_C12_C12_5, v); break;
	case 6: write_sysreg(S3_4_C12_C12_6, v); break;
	case 7: write_sysreg(S3_4_C12_C12_7, v); break;
	case 8: write_sysreg(S3_4_C12_C13_0, v); break;
	case 9: write_sysreg(S3_4_C12_C13_1, v); break;
	case 10: write_sysreg(S3_4_C12_C13_2, v); break;
	case 11: write_sysreg(S3_4_C12_C13_3, v); break;
	case 12: write_sysreg(S3_4_C12_C13_4, v); break;
	case 13: write_sysreg(S3_4_C12_C13_5, v); break;
	case 14: write_sysreg(S3_4_C12_C13_6, v); break;
	default: write_sysreg(S3_4_C12_C13_7, v); break;
	}
}

static bool is_lpi(unsigned int irq)
{
	return irq >= GIC_FIRST_LPI;
}

/* Remote CPUs queue SGIs here too: the word first, then its summary bit. */
static void set_pending(struct per_cpu *cpu, unsigned int irq)
{
	unsigned int word = irq / 64;

	__atomic_fetch_or(&cpu->arch.pending[word], 1UL << (irq % 64), __ATOMIC_RELEASE);
	__atomic_fetch_or(&cpu->arch.pending_words[word / 64], 1UL << (word % 64),
			  __ATOMIC_RELEASE);
}

static void clear_pending(struct per_cpu *cpu, unsigned int irq)
{
	__atomic_fetch_and(&cpu->arch.pending[irq / 64], ~(1UL << (irq % 64)), __ATOMIC_RELEASE);
}

/*
 * Claim the next non-empty word of the queue from INTID word "from" on: its summary bit is cleared before
 * the word is read, so a bit queued meanwhile sets it again. Returns the word's index, or
 * GIC_QUEUE_WORDS when the queue is empty.
 */
static unsigned int next_pending_word(struct per_cpu *cpu, unsigned int from)
{
	unsigned int n, bit;
	u64 sum;

	for (n = from / 64; n < ARRAY_SIZE(cpu->arch.pending_words); n++) {
		sum = READ_ONCE(cpu->arch.pending_words[n]);
		if (n == from / 64)
			sum &= ~0UL << (from % 64);
		if (!sum)
			continue;
		bit = __builtin_ctzll(sum);
		__atomic_fetch_and(&cpu->arch.pending_words[n], ~(1UL << bit), __ATOMIC_ACQ_REL);
		return n * 64 + bit;
	}
	return GIC_QUEUE_WORDS;
}

/* A word that still holds INTIDs after its turn stays marked in the summary. */
static void keep_pending_word(struct per_cpu *cpu, unsigned int word)
{
	if (READ_ONCE(cpu->arch.pending[word]))
		__atomic_fetch_or(&cpu->arch.pending_words[word / 64], 1UL << (word % 64),
				  __ATOMIC_RELEASE);
}

/* Only SPIs and PPIs have a physical interrupt to deactivate through the HW bit. */
static u64 new_lr(unsigned int irq)
{
	u64 lr = irq | LR_PRIO_DEFAULT | LR_GROUP1 | LR_STATE_PENDING;

	if (irq >= 16 && irq < SPURIOUS_FIRST)
		lr |= LR_HW | ((u64)irq << LR_PINTID_SHIFT);
	return lr;
}

/*
 * Move queued interrupts into free list registers. An INTID must never sit in two list
 * registers: while it is still in one, it waits (a virtual SGI then asks for an EOI
 * maintenance interrupt, a HW interrupt cannot fire again before its deactivation anyway).
 */
void gic_flush_pending(struct per_cpu *cpu)
{
	unsigned int n, irq, word;
	u64 lrs[16], no_lr = 0;

	for (n = 0; n < cpu->arch.num_lrs; n++) {
		lrs[n] = read_lr(n);
		if (!(lrs[n] & LR_STATE_MASK) && lrs[n]) {
			write_lr(n, 0);		/* done; also clears its EOI maintenance */
			lrs[n] = 0;
		}
	}
	for (word = next_pending_word(cpu, 0); word < GIC_QUEUE_WORDS;
	     word = next_pending_word(cpu, word + 1)) {
		u64 bits = READ_ONCE(cpu->arch.pending[word]);

		for (; bits; bits &= bits - 1) {
			unsigned int free = ~0U;

			irq = word * 64 + __builtin_ctzll(bits);
			for (n = 0; n < cpu->arch.num_lrs; n++) {
				if (lrs[n] && (u32)lrs[n] == irq)
					break;
				if (!lrs[n] && free == ~0U)
					free = n;
			}
			if (n < cpu->arch.num_lrs) {
				/* still pending there: the two merge, as in a real GIC */
				if ((lrs[n] & LR_STATE_MASK) == LR_STATE_PENDING)
					clear_pending(cpu, irq);
				/* active: its EOI maintenance interrupt brings us back */
				else if (!(lrs[n] & LR_HW) && !(lrs[n] & LR_EOI))
					write_lr(n, lrs[n] | LR_EOI);
				continue;
			}
			if (free == ~0U) {
				no_lr++;
				continue;
			}
			lrs[free] = new_lr(irq);
			write_lr(free, lrs[free]);
			clear_pending(cpu, irq);
		}
		keep_pending_word(cpu, word);
	}
	/*
	 * Underflow maintenance only while all list registers are taken: it fires once at most
	 * one is left, so it cannot keep firing while we wait for the guest.
	 */
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | (no_lr ? ICH_HCR_UIE : 0));
}

void gic_send_sgi(u64 mpidr, unsigned int sgi)
{
	u64 aff0 = mpidr & 0xff;
	u64 val = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
		  ((mpidr >> 8) & 0xff) << 16 | (aff0 >> 4) << 44 | (u64)sgi << 24 |
		  (1UL << (aff0 & 0xf));

	dsb(ish);
	write_sysreg(ICC_SGI1R_EL1, val);
	isb();
}

/* ICC_SGI1R_EL1 written by a guest: deliver to the addressed CPUs of its own cell only. */
void gic_handle_sgir(struct per_cpu *cpu, u64 val)
{
	unsigned int sgi = (val >> 24) & 0xf, n;
	u64 targets = val & 0xffff, rs = (val >> 44) & 0xf;
	u64 aff = (val >> 16 & 0xff) << 8 | (val >> 32 & 0xff) << 16 | (val >> 48 & 0xffUL) << 32;
	bool irm = val & (1UL << 40);
	unsigned int addressed = 0, delivered = 0;

	stat_inc(cpu, EXIT_VSGI);
	for (n = 0; n < 16; n++)
		addressed += (targets >> n) & 1;
	for_each_cpu(n, cpu->cell->cpu_set) {
		struct per_cpu *target = per_cpu(n);
		u64 aff0 = target->hw_id & 0xff;

		/* IRM: every CPU but the sender, and here "every" ends at the cell */
		if (irm ? target == cpu : ((target->hw_id & ~0xffUL) != aff ||
		    aff0 >> 4 != rs || !((targets >> (aff0 & 0xf)) & 1)))
			continue;
		set_pending(target, sgi);
		delivered++;
		if (target != cpu)
			gic_send_sgi(target->hw_id, SGI_INJECT);
	}
	if (!irm && delivered < addressed)
		guest_warn(cpu->cell, "SGI %u to %u CPU(s) outside the cell dropped (ICC_SGI1R 0x%llx)\n",
			   sgi, addressed - delivered, val);
	gic_flush_pending(cpu);
}

static void handle_own_irq(struct per_cpu *cpu, unsigned int irq)
{
	if (irq == gic_maintenance_irq) {
		/* the level-triggered cause must be gone before the deactivation */
		gic_flush_pending(cpu);
		stat_inc(cpu, EXIT_MAINTENANCE);
	} else {
		stat_inc(cpu, EXIT_MANAGEMENT);
	}
	write_sysreg(ICC_EOIR1_EL1, irq);
	write_sysreg(ICC_DIR_EL1, irq);
}

/* INTIDs 1020-1023 say "nothing (more) to acknowledge"; every other one must be ended. */
static bool is_special(unsigned int irq)
{
	return irq >= SPURIOUS_FIRST && irq < SPURIOUS_END;
}

/*
 * Physical LPIs belong to the root, which keeps the ITS; it routes them to its own CPUs. One
 * that arrives elsewhere (the root pointed a collection at a CPU a cell holds) is ended and
 * dropped, as is any INTID beyond what the queue and the virtual interface carry, or one of
 * the extended ranges, which the hypervisor never enables.
 */
static bool lpi_for_guest(struct per_cpu *cpu, unsigned int irq)
{
	if (irq < GIC_QUEUE_INTIDS && cpu->cell == &hv.root)
		return true;
	guest_warn(&hv.root, "LPI %u on CPU %u (cell \"%s\") dropped: %s\n", irq, cpu->id,
		   cpu->cell->desc->name, cpu->cell == &hv.root ? "INTID beyond 16 bits" :
		   "the root's ITS routes it to a CPU it does not hold");
	return false;
}

void gic_handle_irq(struct per_cpu *cpu)
{
	unsigned int irq;

	for (;;) {
		irq = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (is_special(irq))
			break;
		if (irq < 16 || irq == gic_maintenance_irq) {
			handle_own_irq(cpu, irq);
			continue;
		}
		/*
		 * Priority drop now. An SPI or PPI stays active until the guest's deactivation
		 * ends it (HW bit); an LPI has no active state, so this ends it.
		 */
		write_sysreg(ICC_EOIR1_EL1, irq);
		stat_inc(cpu, EXIT_VIRQ);
		if (is_lpi(irq) ? !lpi_for_guest(cpu, irq) : irq >= SPURIOUS_FIRST) {
			if (!is_lpi(irq))
				write_sysreg(ICC_DIR_EL1, irq);
			continue;
		}
		set_pending(cpu, irq);
	}
	gic_flush_pending(cpu);
}

/* A parked CPU has no guest: end whatever arrives, remember nothing but the events. */
void gic_drain_irqs(struct per_cpu *cpu)
{
	unsigned int irq;

	for (;;) {
		irq = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (is_special(irq))
			break;
		write_sysreg(ICC_EOIR1_EL1, irq);
		if (!is_lpi(irq))
			write_sysreg(ICC_DIR_EL1, irq);
		stat_inc(cpu, irq < 16 ? EXIT_MANAGEMENT : EXIT_VIRQ);
	}
}

static void gic_lrs_reset(struct per_cpu *cpu)
{
	unsigned int n;

	for (n = 0; n < cpu->arch.num_lrs; n++)
		write_lr(n, 0);
	write_sysreg(ICH_AP0R0_EL2, 0);
	write_sysreg(ICH_AP1R0_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, 0);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
}

/*
 * Physical interrupts this CPU took for its guest and did not see deactivated: those in list
 * registers (HW bit) and those still queued. With also_active, the ones the guest is handling
 * as well: it never will now, and an active SPI would reach no later owner.
 */
static void end_taken_irqs(struct per_cpu *cpu, bool also_active)
{
	unsigned int n;
	u64 lr;

	for (n = 0; n < cpu->arch.num_lrs; n++) {
		lr = read_lr(n);
		if (!(lr & LR_HW) || !(lr & LR_STATE_MASK))
			continue;
		if (also_active || lr & LR_STATE_PENDING)
			write_sysreg(ICC_DIR_EL1, (lr >> LR_PINTID_SHIFT) & 0x1fff);
	}
	/* queued SPIs and PPIs: their words are all below the first LPI's */
	for (n = 16; n < SPURIOUS_FIRST; n++)
		if ((cpu->arch.pending[n / 64] >> (n % 64)) & 1)
			write_sysreg(ICC_DIR_EL1, n);
	isb();
}

static void forget_guest_irqs(struct per_cpu *cpu)
{
	unsigned int n;

	gic_lrs_reset(cpu);
	for (n = 0; n < ARRAY_SIZE(cpu->arch.pending_words); n++)
		cpu->arch.pending_words[n] = 0;
	for (n = 0; n < ARRAY_SIZE(cpu->arch.pending); n++)
		cpu->arch.pending[n] = 0;
}

/*
 * The guest is gone (park): what it took is ended, and the interface is back to the state
 * Linux expects of a freshly started one.
 */
void gic_cpu_reset(struct per_cpu *cpu)
{
	end_taken_irqs(cpu, true);
	forget_guest_irqs(cpu);
}

void gic_cpu_activate(struct per_cpu *cpu)
{
	u8 *sgi_base = (u8 *)cpu->arch.gicr + GICR_SGI_BASE;
	u64 ctlr = read_sysreg(ICC_CTLR_EL1);
	u64 vmcr, active, sgis;

	/*
	 * Not gic_cpu_reset(): CPUs that activated before us may already have queued virtual
	 * SGIs for us (their kick is still pending). Wiping them loses Linux IPIs, and a lost
	 * function-call IPI leaves its queue non-empty, so Linux never sends another one.
	 */
	gic_lrs_reset(cpu);
	/* the virtual interface continues where Linux left the physical one */
	vmcr = (read_sysreg(ICC_PMR_EL1) & 0xff) << 24 | (read_sysreg(ICC_BPR1_EL1) & 7) << 18 |
	       (ctlr & ICC_CTLR_EOIMODE ? 1UL << 9 : 0) | (ctlr & 1 ? 1UL << 4 : 0) |
	       (read_sysreg(ICC_IGRPEN1_EL1) & 1) << 1;
	write_sysreg(ICH_VMCR_EL2, vmcr);
	/*
	 * Every priority reaches the hypervisor, which queues it: masking is the guest's, by its
	 * virtual PMR. Linux's 0xf0 here would keep an SPI a cell set to 0xf8 from ever arriving.
	 * Deactivation puts Linux's value back from the virtual one.
	 */
	write_sysreg(ICC_PMR_EL1, 0xff);
	cpu->arch.saved_icc_ctlr = ctlr;
	write_sysreg(ICC_CTLR_EL1, ctlr | ICC_CTLR_EOIMODE);
	/*
	 * We are entered from an IPI handler: its SGI is physically active, and Linux's coming
	 * deactivation will hit the virtual interface instead. End it here.
	 */
	active = mmio_read(sgi_base + GICR_ISACTIVER0, 4) & 0xffff;
	mmio_write(sgi_base + GICR_ICACTIVER0, 4, active);
	/*
	 * IPIs Linux sent before their sender entered the hypervisor are still pending physically;
	 * from now on they would be taken as our own SGIs and ended. They become virtual. SGI 0
	 * and 1 may instead be kicks of CPUs that activated before us: a spurious reschedule or
	 * function-call IPI is harmless, and those two stay pending so the kick is served too.
	 */
	sgis = mmio_read(sgi_base + GICR_ISPENDR0, 4) & 0xffff;
	mmio_write(sgi_base + GICR_ICPENDR0, 4, sgis & ~(1U << SGI_INJECT | 1U << SGI_EVENT));
	for (; sgis; sgis &= sgis - 1)
		set_pending(cpu, __builtin_ctzll(sgis));
	mmio_write(sgi_base + GICR_ISENABLER0, 4,
		   1U << SGI_INJECT | 1U << SGI_EVENT | 1U << gic_maintenance_irq);
	isb();
	gic_flush_pending(cpu);
}

void gic_cpu_deactivate(struct per_cpu *cpu)
{
	u8 *sgi_base = (u8 *)cpu->arch.gicr + GICR_SGI_BASE;
	u64 vmcr = read_sysreg(ICH_VMCR_EL2), lr, ctlr;
	unsigned int n, sgis = 0;

	/*
	 * Undelivered ones: a HW interrupt fires again once deactivated, SGIs are re-sent. Those
	 * Linux is handling it deactivates itself, on the physical interface from now on.
	 */
	end_taken_irqs(cpu, false);
	for (n = 0; n < cpu->arch.num_lrs; n++) {
		lr = read_lr(n);
		if (lr & LR_STATE_PENDING && !(lr & LR_HW) && (u32)lr < 16)
			sgis |= 1U << (u32)lr;
	}
	sgis |= cpu->arch.pending[0] & 0xffff;
	forget_guest_irqs(cpu);
	write_sysreg(ICH_HCR_EL2, 0);
	mmio_write(sgi_base + GICR_ICENABLER0, 4, 1U << gic_maintenance_irq);
	write_sysreg(ICC_PMR_EL1, vmcr >> 24 & 0xff);
	write_sysreg(ICC_BPR1_EL1, vmcr >> 18 & 7);
	write_sysreg(ICC_IGRPEN1_EL1, vmcr >> 1 & 1);
	ctlr = cpu->arch.saved_icc_ctlr & ~ICC_CTLR_EOIMODE;
	write_sysreg(ICC_CTLR_EL1, ctlr | (vmcr & (1UL << 9) ? ICC_CTLR_EOIMODE : 0));
	isb();
	for (n = 0; n < 16; n++)
		if ((sgis >> n) & 1)
			gic_send_sgi(cpu->hw_id, n);
}
