// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting a fatal trap, and what one of the root cell leads to. A non-root cell fails alone
 * (cell.c). The root cannot be stopped alone, so its fatal traps are reflected into Linux,
 * which may recover: a bad driver access costs that driver. A root that keeps faulting does
 * not recover; typically Linux uses RAM the root cell's regions leave out, and every CPU faults
 * on it again and again. That ends in one clear stop instead of an endless stream.
 */
#include <hv.h>
#include <arch.h>

#define ROOT_FAULT_BURST	16		/* fatal traps of the root ... */
#define ROOT_FAULT_WINDOW_US	10000000	/* ... within this long: not recovering */

/* serialises the reports, so that nothing is printed after the stop message */
static spinlock_t fault_lock;
static u64 window_start;
static unsigned int in_window;
static u64 last_gpa = NO_GPA;	/* of the root's last stage-2 fault: named in the stop */

static unsigned int count_root_fault(void)
{
	u64 now = arch_time_us();

	if (!in_window || now - window_start > ROOT_FAULT_WINDOW_US) {
		window_start = now;
		in_window = 0;
		last_gpa = NO_GPA;
	}
	return ++in_window;
}

void fatal_trap_report(struct per_cpu *cpu, const char *what, u64 esr, u64 pc, u64 far, u64 gpa)
{
	unsigned int count;

	spin_lock(&fault_lock);
	if (hv.panicked) {
		spin_unlock(&fault_lock);
		arch_halt();
	}
	if (gpa == NO_GPA)
		pr_err("FATAL: %s on CPU %u (cell \"%s\"): ESR 0x%llx PC 0x%llx FAR 0x%llx\n",
		       what, cpu->id, cpu->cell->desc->name, esr, pc, far);
	else
		pr_err("FATAL: %s on CPU %u (cell \"%s\"): guest-physical 0x%llx, ESR 0x%llx "
		       "PC 0x%llx FAR 0x%llx\n", what, cpu->id, cpu->cell->desc->name, gpa, esr,
		       pc, far);
	count = cpu->cell == &hv.root ? count_root_fault() : 0;
	if (count && gpa != NO_GPA)
		last_gpa = gpa;
	if (count < ROOT_FAULT_BURST) {
		spin_unlock(&fault_lock);
		return;
	}
	pr_err("FATAL: the root cell took %u fatal traps within %u ms and is not recovering\n",
	       count, ROOT_FAULT_WINDOW_US / 1000);
	if (last_gpa != NO_GPA)
		pr_err("Hint: the last was at guest-physical 0x%llx, outside the root cell's "
		       "memory regions: if that is RAM Linux uses, extend the regions over it or "
		       "keep Linux off it (reserved-memory no-map, memmap=, mem=; configgen: "
		       "mem-root-uncovered)\n", last_gpa);
	hv.panicked = 1;	/* before the unlock: later reports halt silently */
	spin_unlock(&fault_lock);
	hv_panic_stop();
}
