/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual interrupt engine (arm-common/vgic.c): interrupts for a CPU's guest wait in a
 * per-CPU queue until a list register is free; maintenance interrupts bring the CPU back when
 * a list register is wanted. The list registers are reached through a small GIC backend the
 * arch provides (gic_backend_*), so GICv3 by system registers (arm64 or AArch32 accessors) or a
 * memory-mapped GICv2 interface can carry it.
 */
#ifndef HV_ARM_COMMON_VGIC_H
#define HV_ARM_COMMON_VGIC_H

#include <asm/vgic_types.h>

#define VGIC_LR_PENDING		1	/* state bits of struct vgic_lr */
#define VGIC_LR_ACTIVE		2
#define VGIC_PRIO_DEFAULT	0xa0	/* every interrupt goes in with it */

/* A list register's content, whatever its encoding. */
struct vgic_lr {
	u32 intid;		/* virtual INTID */
	u32 pintid;		/* hw: the physical INTID the guest's deactivation ends */
	u8 priority;
	u8 group;
	u8 state;		/* VGIC_LR_PENDING | VGIC_LR_ACTIVE, 0: invalid */
	bool hw;
	bool eoi;		/* not hw: maintenance interrupt once the guest deactivates it */
};

/*
 * --- the GIC backend: asm/gic_backend.h of the arch (arm64: GICv3 ICH_* system registers,
 * inline), static inline or extern, providing:
 *   unsigned int gic_backend_num_lrs(void);
 *   u64 gic_backend_read_lr(unsigned int n);
 *   void gic_backend_write_lr(unsigned int n, u64 val);
 *   u32 gic_backend_empty_lrs(void);	ICH_ELRSR_EL2 style: bit n set when list register n
 *					holds nothing that must be kept
 *   u32 gic_backend_eoi_lrs(void);	ICH_EISR_EL2 style: bit n set when list register n was
 *					deactivated and asked for maintenance
 *   void gic_backend_set_underflow(bool on);	maintenance interrupt once at most one list
 *					register is valid (underflow), or not
 *   u64 gic_backend_lr_encode(const struct vgic_lr *lr);
 *   void gic_backend_lr_decode(u64 val, struct vgic_lr *lr);
 *   void gic_backend_deactivate(unsigned int pintid);	end a physical interrupt the hypervisor
 *					took and dropped the priority of (ICC_DIR)
 */
#include <asm/gic_backend.h>

/* --- the engine --- */
void vgic_cpu_init(struct per_cpu *cpu);
/* Queue an interrupt for the CPU's guest; any CPU may queue, the owner delivers. */
void vgic_set_pending(struct per_cpu *cpu, unsigned int intid);
/* Move queued interrupts into free list registers (on the CPU itself). */
void vgic_flush_pending(struct per_cpu *cpu);
/* The maintenance interrupt: an EOI to clean up, or list registers free again. */
void vgic_maintenance(struct per_cpu *cpu);
/* Every list register empty (also those the engine does not know of). */
void vgic_clear_lrs(struct per_cpu *cpu);
void vgic_clear_queue(struct per_cpu *cpu);
/* End the physical interrupts taken for the guest and not deactivated by it (see vgic.c). */
void vgic_end_taken(struct per_cpu *cpu, bool also_active);
/* Virtual SGIs still to be delivered, in list registers or queued: a bit per SGI. */
u32 vgic_pending_sgis(struct per_cpu *cpu);

#endif
