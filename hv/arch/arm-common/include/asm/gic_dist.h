/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-interrupt registers of a GIC distributor as cells see them (arm-common/gic_dist.c),
 * shared by arm64's GICv3 (GICD and the redistributors' SGI frames) and ARMv7's GICv2 (GICD,
 * whose first 32 interrupts are banked per CPU): a cell reads and changes only the bits of the
 * interrupts it owns, and a CPU's private ones but the hypervisor's.
 */
#ifndef HV_ARM_COMMON_GIC_DIST_H
#define HV_ARM_COMMON_GIC_DIST_H

/* offsets GICv2 and GICv3 distributors share */
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00

/*
 * Priorities. The hypervisor's SGIs are at the top priority; every priority a cell gives its
 * interrupts is at least GIC_PRIO_CELL_MIN, so that an interrupt a cell acknowledged and never
 * ended cannot keep them out where the guest touches the physical interface (arm64's direct
 * mode). GIC_PRIO_DEFAULT is Linux's default for everything it configures.
 */
#define GIC_PRIO_HV		0x00
#define GIC_PRIO_CELL_MIN	0x80
#define GIC_PRIO_DEFAULT	0xa0

static inline u64 mmio_read(void *addr, unsigned int size)
{
	switch (size) {
	case 1: return *(volatile u8 *)addr;
	case 2: return *(volatile u16 *)addr;
	case 4: return *(volatile u32 *)addr;
	default: return *(volatile u64 *)addr;
	}
}

static inline void mmio_write(void *addr, unsigned int size, u64 val)
{
	switch (size) {
	case 1: *(volatile u8 *)addr = (u8)val; break;
	case 2: *(volatile u16 *)addr = (u16)val; break;
	case 4: *(volatile u32 *)addr = (u32)val; break;
	default: *(volatile u64 *)addr = val; break;
	}
}

/* read-modify-writes of distributor registers several CPUs share */
extern spinlock_t gic_dist_lock;
void gic_reg_update(void *reg, u32 field, u32 value);

/* The bits of a 32-bit register at reg, as they appear in an access of size at off. */
u64 gic_reg_bits(u64 off, unsigned int size, u64 reg, u64 bits);

/*
 * An access to the per-interrupt registers (IGROUPR to ICFGR and the three after it: GICv3's
 * IGRPMODR and both versions' NSACR) of the register block at base. "what" names the block in
 * warnings. banked: interrupts 0-31 of the block are the accessing CPU's own (GICv2's GICD,
 * GICv3's SGI frame), owned but for the hypervisor's; without it they are none of the cell's
 * (GICv3's GICD). MMIO_UNHANDLED outside those registers.
 */
enum mmio_result gic_irq_reg_access(struct cell *cell, void *base, u64 off,
				    struct mmio_access *acc, const char *what, bool banked);

/* --- provided by the arch --- */
/* a private interrupt of the hypervisor's (its SGIs, the maintenance interrupt) */
bool gic_reserved_private(unsigned int irq);
/* the root enables/disables SPIs (ISENABLER/ICENABLER write, bits it does not own now) */
void gic_note_root_enable(u64 off, u32 value, unsigned int first);

#endif
