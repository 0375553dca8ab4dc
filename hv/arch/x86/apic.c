// SPDX-License-Identifier: GPL-2.0
/*
 * The xAPIC access filter (asm/apic.h): registers pass to the real APIC, the ICR is emulated
 * within the cell, LDR/DFR are tracked per vCPU and reach the hardware only in the form every
 * CPU keeps (flat model, LDR 0 or 1 << (24 + cpu_id)), LVTs never get SMI/INIT delivery.
 */
#include "include/asm/apic.h"

#define LDR_ID(ldr)		((ldr) >> 24)

void xapic_vcpu_init(struct xapic_vcpu *v, hv_u32 apic_id, unsigned int cpu_id, hv_u32 ldr,
		     hv_u32 dfr, bool allow_extint)
{
	*v = (struct xapic_vcpu){
		.apic_id = apic_id,
		.cpu_id = cpu_id,
		.ldr = ldr,
		.dfr = dfr,
		.allow_extint = allow_extint,
	};
}

/* --- interrupt command register ---------------------------------------------------------- */

/* Logical destination match as the APIC does it, with the target's own LDR and DFR. */
static bool logical_match(const struct xapic_vcpu *t, hv_u8 dest)
{
	hv_u8 id = LDR_ID(t->ldr);

	if (dest == XAPIC_BROADCAST)
		return true;
	if ((t->dfr >> 28) == 0xf)			/* flat: one bit per CPU */
		return id & dest;
	return (id >> 4) == (dest >> 4) && (id & dest & 0xf);	/* cluster */
}

static bool is_target(const struct xapic_vcpu *self, const struct xapic_vcpu *t, hv_u32 icr,
		      hv_u8 dest)
{
	switch (XAPIC_SHORTHAND(icr)) {
	case XAPIC_SH_SELF:
		return t->cpu_id == self->cpu_id;
	case XAPIC_SH_ALL:
		return true;
	case XAPIC_SH_OTHERS:
		return t->cpu_id != self->cpu_id;
	default:
		if (icr & XAPIC_DEST_LOGICAL)
			return logical_match(t, dest);
		return dest == XAPIC_BROADCAST || t->apic_id == dest;
	}
}

static void deliver(const struct xapic_vcpu *self, const struct xapic_hooks *h,
		    const struct xapic_vcpu *t, hv_u32 icr)
{
	hv_u8 vector = icr & 0xff;

	switch (icr & XAPIC_DM_MASK) {
	case XAPIC_DM_FIXED:
	case XAPIC_DM_LOWEST:	/* no priority arbitration: each target gets it */
		h->send_ipi(h->ctx, t->apic_id, XAPIC_IPI_FIXED, vector);
		break;
	case XAPIC_DM_NMI:
		h->send_ipi(h->ctx, t->apic_id, XAPIC_IPI_NMI, 0);
		break;
	default:		/* INIT, SIPI: start the cell's CPUs, never the sender */
		if (t->cpu_id == self->cpu_id) {
			h->warn(h->ctx, "INIT/SIPI to the sending CPU ignored", XAPIC_ICR_LOW, icr);
			break;
		}
		if ((icr & XAPIC_DM_MASK) == XAPIC_DM_INIT)
			h->init_sipi(h->ctx, t->cpu_id, XAPIC_START_INIT, 0);
		else
			h->init_sipi(h->ctx, t->cpu_id, XAPIC_START_SIPI, vector);
	}
}

/* Delivery modes the cell may send; INIT level de-assert is a no-op on this APIC generation. */
static bool mode_allowed(const struct xapic_hooks *h, hv_u32 icr)
{
	switch (icr & XAPIC_DM_MASK) {
	case XAPIC_DM_FIXED:
	case XAPIC_DM_LOWEST:
	case XAPIC_DM_NMI:
	case XAPIC_DM_SIPI:
		return true;
	case XAPIC_DM_INIT:
		return (icr & XAPIC_LEVEL_ASSERT) || !(icr & XAPIC_TRIGGER_LEVEL);
	case XAPIC_DM_SMI:
		h->warn(h->ctx, "SMI IPI refused", XAPIC_ICR_LOW, icr);
		return false;
	default:
		h->warn(h->ctx, "IPI delivery mode refused", XAPIC_ICR_LOW, icr);
		return false;
	}
}

/* The guest wrote ICR_LOW: send the command to the targets within the cell. */
static void send_icr(const struct xapic_vcpu *v, const struct xapic_hooks *h, hv_u32 icr)
{
	hv_u8 dest = v->icr_high >> 24;
	const struct xapic_vcpu *t;
	unsigned int n, hits = 0;

	if (!mode_allowed(h, icr))
		return;
	for (n = 0; (t = h->cell_cpu(h->ctx, n)) != NULL; n++) {
		if (!is_target(v, t, icr, dest))
			continue;
		hits++;
		deliver(v, h, t, icr);
	}
	if (!hits && XAPIC_SHORTHAND(icr) == XAPIC_SH_NONE)
		h->warn(h->ctx, "IPI to no CPU of the cell dropped", XAPIC_ICR_HIGH, v->icr_high);
}

/* --- the register page --------------------------------------------------------------------- */

static bool is_lvt(unsigned int reg)
{
	return reg == XAPIC_LVT_CMCI || (reg >= XAPIC_LVT_TIMER && reg <= XAPIC_LVT_ERROR);
}

static bool is_read_only(unsigned int reg)
{
	return reg == XAPIC_ID || reg == XAPIC_VERSION || reg == XAPIC_APR || reg == XAPIC_PPR ||
	       reg == XAPIC_RRD || (reg >= XAPIC_ISR && reg < XAPIC_ESR) ||
	       reg == XAPIC_TIMER_CCR;
}

static bool is_register(unsigned int reg)
{
	return (reg >= XAPIC_ID && reg <= XAPIC_VERSION) ||
	       (reg >= XAPIC_TPR && reg <= XAPIC_ESR) ||
	       (reg >= XAPIC_LVT_CMCI && reg <= XAPIC_TIMER_CCR) || reg == XAPIC_TIMER_DCR;
}

/*
 * LVT entries never deliver SMI or INIT (nor ExtINT unless the cell owns the PIC): such an
 * unmasked entry is written masked. Timer and error LVTs have no delivery mode.
 */
static hv_u32 filter_lvt(const struct xapic_vcpu *v, const struct xapic_hooks *h,
			 unsigned int reg, hv_u32 val)
{
	hv_u32 mode = val & XAPIC_DM_MASK;

	if (reg == XAPIC_LVT_TIMER || reg == XAPIC_LVT_ERROR || (val & XAPIC_LVT_MASKED))
		return val;
	if (mode == XAPIC_DM_FIXED || mode == XAPIC_DM_NMI)
		return val;
	if (mode == XAPIC_DM_EXTINT && v->allow_extint &&
	    (reg == XAPIC_LVT_LINT0 || reg == XAPIC_LVT_LINT1))
		return val;
	h->warn(h->ctx, "LVT delivery mode refused, entry masked", reg, val);
	return val | XAPIC_LVT_MASKED;
}

/* LDR: the hardware only ever holds 0 or this CPU's flat bit (see asm/apic.h). */
static void write_ldr(struct xapic_vcpu *v, const struct xapic_hooks *h, hv_u32 val)
{
	hv_u32 id = LDR_ID(val);

	v->ldr = val;
	if (id == 0 || (v->cpu_id < 8 && id == 1U << v->cpu_id))
		h->write(h->ctx, XAPIC_LDR, val);
	else
		h->warn(h->ctx, "LDR kept virtual", XAPIC_LDR, val);
}

static void write_dfr(struct xapic_vcpu *v, const struct xapic_hooks *h, hv_u32 val)
{
	v->dfr = val;
	if ((val >> 28) == 0xf)
		h->write(h->ctx, XAPIC_DFR, XAPIC_DFR_FLAT);
	else
		h->warn(h->ctx, "DFR cluster model kept virtual", XAPIC_DFR, val);
}

static void apic_write(struct xapic_vcpu *v, const struct xapic_hooks *h, unsigned int reg,
		       hv_u32 val)
{
	switch (reg) {
	case XAPIC_ICR_HIGH:
		v->icr_high = val;
		return;
	case XAPIC_ICR_LOW:
		v->icr_low = val;
		send_icr(v, h, val);
		return;
	case XAPIC_LDR:
		write_ldr(v, h, val);
		return;
	case XAPIC_DFR:
		write_dfr(v, h, val);
		return;
	}
	if (!is_register(reg)) {
		h->warn(h->ctx, "write to a reserved APIC register ignored", reg, val);
		return;
	}
	if (is_read_only(reg))
		return;
	if (is_lvt(reg))
		val = filter_lvt(v, h, reg, val);
	h->write(h->ctx, reg, val);
}

static hv_u32 apic_read(const struct xapic_vcpu *v, const struct xapic_hooks *h, unsigned int reg)
{
	switch (reg) {
	case XAPIC_ICR_HIGH:
		return v->icr_high;
	case XAPIC_ICR_LOW:
		return v->icr_low & ~XAPIC_DELIVERY_PENDING;
	case XAPIC_LDR:
		return v->ldr;
	case XAPIC_DFR:
		return v->dfr;
	}
	return is_register(reg) ? h->read(h->ctx, reg) : 0;
}

enum xapic_result xapic_access(struct xapic_vcpu *v, const struct xapic_hooks *h,
			       unsigned int offset, unsigned int size, bool write, hv_u32 *value)
{
	if (size != 4 || (offset & 0xf) || offset >= 0x1000)
		return XAPIC_REFUSED;
	if (write)
		apic_write(v, h, offset, *value);
	else
		*value = apic_read(v, h, offset);
	return XAPIC_OK;
}

bool xapic_irq_dest_in_cell(const struct xapic_hooks *h, bool logical, hv_u8 dest)
{
	const struct xapic_vcpu *t;
	unsigned int n;
	hv_u8 covered = 0;

	if (dest == XAPIC_BROADCAST || (logical && dest == 0))
		return false;
	for (n = 0; (t = h->cell_cpu(h->ctx, n)) != NULL; n++) {
		if (!logical && t->apic_id == dest)
			return true;
		if (logical && t->cpu_id < 8)
			covered |= 1U << t->cpu_id;
	}
	return logical && !(dest & ~covered);
}
