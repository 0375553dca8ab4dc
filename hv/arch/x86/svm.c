// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU loop: VMRUN, dispatch of the exit (exits.c), then what the core asked for: park,
 * start, leave. GIF stays 0 in the hypervisor, so interrupts and NMIs wait in the local APIC
 * for the guest (V_INTR_MASKING 0: the guest's IF decides); only an NMI exit opens GIF briefly
 * to take the NMI that caused it. Management events are NMIs with a flag that says they are
 * ours; an NMI without it was the guest's and goes back to it.
 *
 * A root CPU that halts with interrupts off is offline in Linux: it parks, like PSCI CPU_OFF
 * on arm64. A halt with interrupts on is idle: the guest halts natively until an interrupt,
 * which exits (INTR intercept, for that one run) before the guest takes it.
 */
#include <asm/x86.h>

#define START_SIPI	1	/* start_context: CS = start >> 4, IP 0 */
#define NMI_WAIT_LOOPS	100000

static spinlock_t park_lock;


static bool is_root(const struct per_cpu *cpu)
{
	return cpu->cell == &hv.root;
}

/*
 * This CPU's VM_HSAVE_PA must still be its own page (seen once under load in cell-race-x86: a
 * root CPU's VMCB held a VMRUN host image, which VMRUN stores at VM_HSAVE_PA): else its VMRUN
 * would write the hypervisor's state into another page. Then name every CPU's pages and stop.
 * Only the hypervisor writes VM_HSAVE_PA (guests' accesses are intercepted); nothing a guest
 * controls (such as its CR3) is judged here, so no guest can stop the hypervisor with it.
 * Checked whenever a CPU changes hands (setup_control()), not on every exit: an rdmsr per
 * VMRUN would tax every interrupt's path.
 */
static void check_own_hsave(struct per_cpu *cpu)
{
	u64 hsave = rdmsr(MSR_VM_HSAVE_PA);
	unsigned int n;

	if (hsave == hv_virt_to_phys(cpu->arch.hsave))
		return;
	pr_err("FATAL: CPU %u: VM_HSAVE_PA is 0x%llx, not its host save area 0x%llx (VMCB 0x%llx)\n",
	       cpu->id, hsave, hv_virt_to_phys(cpu->arch.hsave), hv_virt_to_phys(cpu_vmcb(cpu)));
	for (n = 0; n < hv.num_cpus; n++)
		pr_err("  CPU %u: VMCB 0x%llx, host save area 0x%llx, state %u, parking %u\n", n,
		       hv_virt_to_phys(per_cpu(n)->arch.vmcb),
		       hv_virt_to_phys(per_cpu(n)->arch.hsave), per_cpu(n)->state,
		       per_cpu(n)->arch.parking);
	hv_panic_stop();
}

/*
 * Intercepts, bitmaps, NPT and ASID of what the CPU runs next: its cell or the parking guest;
 * and its own host save page checked.
 */
static void setup_control(struct per_cpu *cpu)
{
	struct vmcb *v = cpu_vmcb(cpu);
	struct cell *cell = cpu->cell;

	v->cr_intercepts = 0;
	v->dr_intercepts = 0;
	v->exc_intercepts = 0;
	v->intercepts1 = INTERCEPT1_NMI | INTERCEPT1_INIT | INTERCEPT1_SHUTDOWN;
	if (!cpu->arch.parking) {
		v->intercepts1 |= INTERCEPT1_CPUID | INTERCEPT1_INVD | INTERCEPT1_INVLPGA |
				  INTERCEPT1_IOIO | INTERCEPT1_MSR;
		if (is_root(cpu))
			v->intercepts1 |= INTERCEPT1_HLT;
	}
	v->intercepts2 = INTERCEPT2_VMRUN | INTERCEPT2_VMMCALL | INTERCEPT2_VMLOAD |
			 INTERCEPT2_VMSAVE | INTERCEPT2_STGI | INTERCEPT2_CLGI | INTERCEPT2_SKINIT;
	v->iopm_base_pa = hv_virt_to_phys(cell->arch.iopm);
	v->msrpm_base_pa = hv_virt_to_phys(cell->arch.msrpm);
	v->tsc_offset = 0;
	v->asid = cpu->arch.parking ? CONFIG_MAX_CELLS + 1 : cell->id + 1;
	v->tlb_control = TLB_CONTROL_FLUSH_ALL;
	v->int_ctl = 0;
	v->nested_ctl = NESTED_CTL_NP_ENABLE;
	v->n_cr3 = hv_virt_to_phys(cpu->arch.parking ? parking_npt : cell->arch.npt);
	v->clean = 0;
	check_own_hsave(cpu);
}

void x86_inject_exception(struct per_cpu *cpu, unsigned int vector, bool err, u32 code)
{
	cpu_vmcb(cpu)->event_inj = EVENT_VALID | EVENT_TYPE_EXC | vector |
				   (err ? EVENT_ERR_VALID | (u64)code << 32 : 0);
}

void x86_fatal(struct per_cpu *cpu, const char *what)
{
	struct vmcb *v = cpu_vmcb(cpu);

	fatal_trap_report(cpu, what, v->exit_code, v->rip, v->exit_info2,
			  v->exit_code == EXIT_CODE_NPF ? v->exit_info2 : NO_GPA);
	if (!is_root(cpu)) {
		cell_cpu_failed(cpu);
		return;
	}
#ifdef CONFIG_FATAL_TRAP_PANIC
	hv_panic_stop();
#else
	/* the root cannot be stopped alone: Linux gets a #GP where it did it */
	x86_inject_exception(cpu, 13, true, 0);
#endif
}

/* Take the NMI behind an NMI exit; returns whether it was a management event. */
static bool take_nmi(struct per_cpu *cpu)
{
	u32 before = READ_ONCE(cpu->arch.nmi_count);
	unsigned int n;

	stgi();
	for (n = 0; n < NMI_WAIT_LOOPS && READ_ONCE(cpu->arch.nmi_count) == before; n++)
		cpu_relax();
	clgi();
	return __atomic_exchange_n(&cpu->arch.event, 0, __ATOMIC_SEQ_CST);
}

void x86_handle_nmi(struct per_cpu *cpu)
{
	if (take_nmi(cpu)) {
		stat_inc(cpu, EXIT_MANAGEMENT);
		return;
	}
	/* the guest's NMI, after an event the exit interrupted (x86_run injects it when free) */
	if (!cpu->arch.parking)
		__atomic_store_n(&cpu->arch.guest_nmi, 1, __ATOMIC_SEQ_CST);
}

/* Stop in the parking guest until a start (cell start, SIPI) comes. */
void x86_park(struct per_cpu *cpu)
{
	vcpu_wipe_cpu_state(cpu);
	vcpu_park_state(cpu);
	setup_control(cpu);
	spin_lock(&park_lock);
	WRITE_ONCE(cpu->state, cpu->failed ? CPU_FAILED : CPU_PARKED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(cpu->parked, true);
	spin_unlock(&park_lock);
}

static void start(struct per_cpu *cpu)
{
	WRITE_ONCE(cpu->parked, false);
	/* the CPU may have changed hands while parked: the control area follows its cell */
	vcpu_reset(cpu, cpu->start_address, cpu->start_context == START_SIPI);
	x86_apic_vcpu_init(cpu);
	cpu->arch.guest_nmi = 0;
	setup_control(cpu);
	cpu->state = CPU_RUNNING;
}

/* SIPI (or the root's start of a CPU it gets back): only a parked CPU starts. */
void x86_start_cpu(struct per_cpu *target, u64 start_addr, bool sipi)
{
	bool send = false;

	spin_lock(&park_lock);
	if (target->state == CPU_PARKED && READ_ONCE(target->parked) &&
	    !READ_ONCE(target->park_request)) {
		target->start_address = start_addr;
		target->start_context = sipi ? START_SIPI : 0;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		WRITE_ONCE(target->state, CPU_START_PENDING);
		send = true;
	}
	spin_unlock(&park_lock);
	if (send) {
		stat_inc(target, EXIT_INIT_SIPI);
		arch_send_event(target);
	}
}

/* Flush at the next VMRUN; the TLB cannot hold anything while the CPU is in the hypervisor. */
void arch_flush_cell_tlb(struct cell *cell)
{
	struct per_cpu *self = this_cpu();
	unsigned int n;

	for_each_cpu(n, cell->cpu_set) {
		__atomic_store_n(&per_cpu(n)->arch.flush, 1, __ATOMIC_SEQ_CST);
		if (per_cpu(n) != self && per_cpu(n)->state != CPU_OFF)
			arch_send_event(per_cpu(n));
	}
	for_each_cpu(n, cell->cpu_set)
		while (per_cpu(n) != self && per_cpu(n)->state != CPU_OFF &&
		       __atomic_load_n(&per_cpu(n)->arch.flush, __ATOMIC_SEQ_CST) &&
		       !__atomic_load_n(&per_cpu(n)->arch.in_host, __ATOMIC_SEQ_CST))
			cpu_relax();
}

static void after_exit(struct per_cpu *cpu)
{
	if (unlikely(hv.panicked))
		arch_halt();
	if (cpu->leave) {
		arch_cpu_deactivate(cpu);
		x86_leave_guest(cpu);
	}
	if (__atomic_exchange_n(&cpu->arch.init_request, 0, __ATOMIC_SEQ_CST) &&
	    !cpu->arch.parking)
		x86_park(cpu);		/* INIT: wait for a SIPI */
	if (READ_ONCE(cpu->park_request) && !cpu->arch.parking)
		x86_park(cpu);
	if (cpu->arch.parking && READ_ONCE(cpu->state) == CPU_START_PENDING &&
	    !READ_ONCE(cpu->park_request))
		start(cpu);
}

void x86_run(struct per_cpu *cpu)
{
	struct vmcb *v = cpu_vmcb(cpu);
	uint64_t *regs = cpu->arch.regs;

	setup_control(cpu);
	for (;;) {
		__atomic_store_n(&cpu->arch.in_host, 0, __ATOMIC_SEQ_CST);
		if (__atomic_exchange_n(&cpu->arch.flush, 0, __ATOMIC_SEQ_CST))
			v->tlb_control = TLB_CONTROL_FLUSH_ALL;
		if (cpu->arch.guest_nmi && !(v->event_inj & EVENT_VALID) && !cpu->arch.parking &&
		    __atomic_exchange_n(&cpu->arch.guest_nmi, 0, __ATOMIC_SEQ_CST))
			v->event_inj = EVENT_VALID | EVENT_TYPE_NMI | 2;
		v->rax = regs[0];
		v->rsp = regs[4];
		svm_vmrun(regs, hv_virt_to_phys(v));
		__atomic_store_n(&cpu->arch.in_host, 1, __ATOMIC_SEQ_CST);
		regs[0] = v->rax;
		regs[4] = v->rsp;
		v->tlb_control = 0;
		/* an event the exit interrupted is delivered again */
		v->event_inj = v->exit_int_info & EVENT_VALID ? v->exit_int_info : 0;
		stat_inc(cpu, EXIT_TOTAL);
		x86_exit_dispatch(cpu);
		after_exit(cpu);
	}
}
