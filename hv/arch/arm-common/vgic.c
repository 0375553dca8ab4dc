// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual interrupt engine: interrupts taken for a CPU's guest wait in a per-CPU queue until
 * a list register is free. SPIs and PPIs go in with the HW bit (the guest's deactivation ends
 * the physical interrupt), SGIs and LPIs as purely virtual ones. Only list registers that may
 * hold something are read (used_lrs, the backend's empty mask): a flush costs what is live, not
 * what the GIC implements. The list registers are reached through the arch's GIC backend.
 */
#include <asm/arm_arch.h>
#include <asm/vgic.h>

#define VGIC_FIRST_SPECIAL	1020	/* 1020-1023: no interrupt; nothing below has HW */

#define for_each_lr(n, mask) \
	for (u32 __m = (mask); __m && ((n) = __builtin_ctz(__m), 1); __m &= __m - 1)

void vgic_cpu_init(struct per_cpu *cpu)
{
	unsigned int n = gic_backend_num_lrs();

	cpu->arch.vgic.num_lrs = n < VGIC_MAX_LRS ? n : VGIC_MAX_LRS;
}

static u32 all_lrs(const struct per_cpu *cpu)
{
	return (1U << cpu->arch.vgic.num_lrs) - 1;
}

/* Remote CPUs queue SGIs here too: the word first, then its summary bit, then the top bit. */
void vgic_set_pending(struct per_cpu *cpu, unsigned int intid)
{
	struct vgic_cpu *v = &cpu->arch.vgic;
	unsigned int word = intid / 64;

	__atomic_fetch_or(&v->pending[word], 1ULL << (intid % 64), __ATOMIC_RELEASE);
	__atomic_fetch_or(&v->pending_words[word / 64], 1ULL << (word % 64), __ATOMIC_RELEASE);
	__atomic_fetch_or(&v->pending_top, 1ULL << (word / 64), __ATOMIC_RELEASE);
}

static void clear_pending(struct per_cpu *cpu, unsigned int intid)
{
	__atomic_fetch_and(&cpu->arch.vgic.pending[intid / 64], ~(1ULL << (intid % 64)),
			   __ATOMIC_RELEASE);
}

/*
 * Claim the next non-empty word of the queue from INTID word "from" on, among the summary
 * words "top" names: its summary bit is cleared before the word is read, so a bit queued
 * meanwhile sets it again. Returns the word's index, or VGIC_QUEUE_WORDS when there is none.
 */
static unsigned int next_pending_word(struct vgic_cpu *v, u64 top, unsigned int from)
{
	unsigned int n, bit;
	u64 sum;

	for (top &= ~0ULL << (from / 64); top; top &= top - 1) {
		n = __builtin_ctzll(top);
		sum = READ_ONCE(v->pending_words[n]);
		if (n == from / 64)
			sum &= ~0ULL << (from % 64);
		if (!sum)
			continue;
		bit = __builtin_ctzll(sum);
		__atomic_fetch_and(&v->pending_words[n], ~(1ULL << bit), __ATOMIC_ACQ_REL);
		return n * 64 + bit;
	}
	return VGIC_QUEUE_WORDS;
}

/* A word that still holds INTIDs after its turn stays marked in the summary. */
static void keep_pending_word(struct vgic_cpu *v, unsigned int word)
{
	if (READ_ONCE(v->pending[word]))
		__atomic_fetch_or(&v->pending_words[word / 64], 1ULL << (word % 64),
				  __ATOMIC_RELEASE);
}

/*
 * The summary words claimed at the start of a flush that still mark words (interrupts that
 * wait, or queued meanwhile) stay marked at the top. A CPU queueing after the claim sets its
 * top bit itself.
 */
static void keep_pending_top(struct vgic_cpu *v, u64 top)
{
	for (; top; top &= top - 1)
		if (READ_ONCE(v->pending_words[__builtin_ctzll(top)]))
			__atomic_fetch_or(&v->pending_top, top & -top, __ATOMIC_RELEASE);
}

/* Only SPIs and PPIs have a physical interrupt to deactivate through the HW bit. */
static void new_lr(unsigned int intid, struct vgic_lr *lr)
{
	bool hw = intid >= 16 && intid < VGIC_FIRST_SPECIAL;

	*lr = (struct vgic_lr){ .intid = intid, .pintid = hw ? intid : 0, .hw = hw, .group = 1,
				.priority = VGIC_PRIO_DEFAULT, .state = VGIC_LR_PENDING };
}

/*
 * The list registers still in use, decoded into lrs[]. Those the guest finished with an EOI
 * maintenance request are emptied now (that also ends their maintenance interrupt).
 */
static u32 live_lrs(struct per_cpu *cpu, struct vgic_lr *lrs)
{
	u32 live = cpu->arch.vgic.used_lrs & ~gic_backend_empty_lrs() & all_lrs(cpu);
	u32 done;
	unsigned int n;

	if (!live)
		return 0;
	done = live & gic_backend_eoi_lrs();
	for_each_lr(n, done)
		gic_backend_write_lr(n, 0);
	live &= ~done;
	for_each_lr(n, live)
		gic_backend_lr_decode(gic_backend_read_lr(n), &lrs[n]);
	return live;
}

/*
 * One queued INTID: into a free list register, or merged with the one already holding it.
 * Returns false when it has to wait for a list register.
 */
static bool deliver(struct per_cpu *cpu, unsigned int intid, struct vgic_lr *lrs, u32 *live)
{
	unsigned int n;
	u32 free;

	for_each_lr(n, *live) {
		if (lrs[n].intid != intid)
			continue;
		/* still pending there: the two merge, as in a real GIC */
		if (lrs[n].state == VGIC_LR_PENDING) {
			clear_pending(cpu, intid);
		} else if (!lrs[n].hw && !lrs[n].eoi) {
			/* active: its EOI maintenance interrupt brings us back */
			lrs[n].eoi = true;
			gic_backend_write_lr(n, gic_backend_lr_encode(&lrs[n]));
		}
		return true;
	}
	free = all_lrs(cpu) & ~*live;
	if (!free)
		return false;
	n = __builtin_ctz(free);
	new_lr(intid, &lrs[n]);
	gic_backend_write_lr(n, gic_backend_lr_encode(&lrs[n]));
	*live |= 1U << n;
	clear_pending(cpu, intid);
	return true;
}

/*
 * Move queued interrupts into free list registers. An INTID must never sit in two list
 * registers: while it is still in one, it waits (a virtual SGI then asks for an EOI
 * maintenance interrupt, a HW interrupt cannot fire again before its deactivation anyway).
 */
void vgic_flush_pending(struct per_cpu *cpu)
{
	struct vgic_cpu *v = &cpu->arch.vgic;
	struct vgic_lr lrs[VGIC_MAX_LRS];
	unsigned int word;
	bool waiting = false;
	u32 live = live_lrs(cpu, lrs);
	/* claimed before the summary words are read: see keep_pending_top() */
	u64 top = READ_ONCE(v->pending_top) ? __atomic_exchange_n(&v->pending_top, 0,
								  __ATOMIC_ACQ_REL) : 0;

	for (word = next_pending_word(v, top, 0); word < VGIC_QUEUE_WORDS;
	     word = next_pending_word(v, top, word + 1)) {
		u64 bits = READ_ONCE(v->pending[word]);

		for (; bits; bits &= bits - 1)
			if (!deliver(cpu, word * 64 + __builtin_ctzll(bits), lrs, &live))
				waiting = true;
		keep_pending_word(v, word);
	}
	keep_pending_top(v, top);
	v->used_lrs = live;
	/*
	 * Underflow maintenance only while all list registers are taken: it fires once at most
	 * one is left, so it cannot keep firing while we wait for the guest.
	 */
	gic_backend_set_underflow(waiting);
}

/* Both causes, an EOI request and an underflow, are resolved by a flush. */
void vgic_maintenance(struct per_cpu *cpu)
{
	vgic_flush_pending(cpu);
}

void vgic_clear_lrs(struct per_cpu *cpu)
{
	unsigned int n;

	for (n = 0; n < cpu->arch.vgic.num_lrs; n++)
		gic_backend_write_lr(n, 0);
	cpu->arch.vgic.used_lrs = 0;
}

void vgic_clear_queue(struct per_cpu *cpu)
{
	struct vgic_cpu *v = &cpu->arch.vgic;
	unsigned int n;

	v->pending_top = 0;
	for (n = 0; n < ARRAY_SIZE(v->pending_words); n++)
		v->pending_words[n] = 0;
	for (n = 0; n < ARRAY_SIZE(v->pending); n++)
		v->pending[n] = 0;
}

/*
 * Physical interrupts this CPU took for its guest and did not see deactivated: those in list
 * registers (HW bit) and those still queued. With also_active, the ones the guest is handling
 * as well: it never will now, and an active SPI would reach no later owner.
 */
void vgic_end_taken(struct per_cpu *cpu, bool also_active)
{
	struct vgic_lr lr;
	unsigned int n;

	for_each_lr(n, cpu->arch.vgic.used_lrs & all_lrs(cpu)) {
		gic_backend_lr_decode(gic_backend_read_lr(n), &lr);
		if (!lr.hw || !lr.state)
			continue;
		if (also_active || lr.state & VGIC_LR_PENDING)
			gic_backend_deactivate(lr.pintid);
	}
	/* queued SPIs and PPIs: their words are all below the first LPI's */
	for (n = 16; n < VGIC_FIRST_SPECIAL; n++)
		if ((cpu->arch.vgic.pending[n / 64] >> (n % 64)) & 1)
			gic_backend_deactivate(n);
	isb();
}

u32 vgic_pending_sgis(struct per_cpu *cpu)
{
	struct vgic_lr lr;
	unsigned int n;
	u32 sgis = 0;

	for_each_lr(n, cpu->arch.vgic.used_lrs & all_lrs(cpu)) {
		gic_backend_lr_decode(gic_backend_read_lr(n), &lr);
		if (lr.state & VGIC_LR_PENDING && !lr.hw && lr.intid < 16)
			sgis |= 1U << lr.intid;
	}
	return sgis | (cpu->arch.vgic.pending[0] & 0xffff);
}
