// SPDX-License-Identifier: GPL-2.0
/*
 * x86 setup: the hypervisor's own page tables and IDT, SVM on each CPU, the way back to Linux,
 * time, locks. The driver's trampoline enters x86_entry (entry.S), which calls
 * x86_cpu_entry() here on this CPU's stack with our GDT loaded.
 */
#include <asm/x86.h>
#include <asm/hv_header_arch.h>

#define R_X86_64_RELATIVE	8
#define TEMP_VA			X86_HV_WINDOW_VA
#define TEMP_PAGES		448UL
/* after the core's window: one page per CPU for its own use (Linux's page-table walk) */
#define CPU_WINDOW_VA		(TEMP_VA + TEMP_PAGES * PAGE_SIZE)

struct rela {
	u64 offset;
	u64 info;
	s64 addend;
};

struct idt_gate {
	u16 offset0;
	u16 selector;
	u16 flags;		/* IST 0, interrupt gate, DPL 0, present */
	u16 offset1;
	u32 offset2;
	u32 reserved;
};

extern struct rela __rela_start[], __rela_end[];
extern struct hv_header hv_header;
extern struct hv_console hv_console;

u64 *hv_pt;
static u64 *temp_pt;			/* the last level of the window: core's, then per CPU */
static struct idt_gate idt[256];
static u64 tsc_khz;

void arch_apply_relocations(void)
{
	u64 base = (uintptr_t)&hv_header;
	struct rela *r;

	for (r = __rela_start; r < __rela_end; r++)
		if ((u32)r->info == R_X86_64_RELATIVE)
			*(u64 *)(base + r->offset) = base + r->addend;
}

static void set_gate(unsigned int vector, void *handler)
{
	u64 addr = (uintptr_t)handler;

	idt[vector].offset0 = addr;
	idt[vector].selector = 0x10;
	idt[vector].flags = 0x8e00;
	idt[vector].offset1 = addr >> 16;
	idt[vector].offset2 = addr >> 32;
	idt[vector].reserved = 0;
}

static void load_idt(void)
{
	struct x86_dtr dtr = { sizeof(idt) - 1, (uintptr_t)idt };
	unsigned int n;

	/* every CPU writes the same gates: no ordering needed */
	for (n = 0; n < 32; n++)
		set_gate(n, x86_idt_stubs + 16 * n);
	for (n = 32; n < 256; n++)
		set_gate(n, x86_irq_stubs + 16 * (n - 32));
	set_gate(2, x86_nmi_stub);
	asm volatile("lidt %0" : : "m"(dtr));
}

struct exception_frame {
	u64 rax, rcx, rdx, rbx, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15;
	u64 vector, error, rip, cs, rflags, rsp, ss;
};

void x86_host_exception(struct exception_frame *f);
void x86_host_exception(struct exception_frame *f)
{
	pr_err("FATAL: hypervisor exception %llu on CPU %u: error 0x%llx RIP 0x%llx RSP 0x%llx "
	       "CR2 0x%llx\n", f->vector, this_cpu()->id, f->error, f->rip, f->rsp, read_cr(2));
	hv_panic_stop();
}

/* Back to Linux at its resume point (failed enable) or where it disabled us. */
static void __noreturn leave_to_linux(struct per_cpu *cpu, u64 cr3, u64 rsp, u64 rip, u64 rax)
{
	struct x86_dtr gdtr = cpu->arch.linux_gdtr, idtr = cpu->arch.linux_idtr;

	if (cpu->arch.svm_on) {
		stgi();
		wrmsr(MSR_VM_HSAVE_PA, 0);
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SVME);
		cpu->arch.svm_on = false;
	}
	asm volatile("lgdt %0; lidt %1" : : "m"(gdtr), "m"(idtr));
	x86_leave(cr3, rsp, rip, rax, cpu->arch.linux_leave);
}

/* HC_DISABLE: Linux continues natively where its VMMCALL returns, with its own state. */
void x86_leave_guest(struct per_cpu *cpu)
{
	struct vmcb *v = cpu_vmcb(cpu);

	cpu->arch.linux_gdtr = (struct x86_dtr){ v->gdtr.limit, v->gdtr.base };
	cpu->arch.linux_idtr = (struct x86_dtr){ v->idtr.limit, v->idtr.base };
	/* FS, GS, TR, LDTR, KernelGSBase, syscall MSRs */
	asm volatile("vmload %%rax" : : "a"(hv_virt_to_phys(v)) : "memory");
	write_cr(2, v->cr2);
	write_cr(0, v->cr0);
	write_cr(4, v->cr4);
	wrmsr(MSR_PAT, v->g_pat);
	wrmsr(MSR_EFER, v->efer);
	leave_to_linux(cpu, v->cr3, v->rsp, v->rip, 0);
}

void __noreturn x86_cpu_entry(unsigned int id);
void __noreturn x86_cpu_entry(unsigned int id)
{
	struct per_cpu *cpu = per_cpu(id);
	int err;

	load_idt();
	err = hv_entry(id);
	if (err)
		leave_to_linux(cpu, cpu->arch.linux_cr3, cpu->arch.linux_rsp,
			       cpu->arch.linux_resume, err);
	x86_run(cpu);
}

static int map_hv(void)
{
	const struct hv_header_arch *ha = hv_header_arch_const(hv.header);
	const struct hvcfg_console *con = &hv.config->debug_console;
	int err;

	err = pt_map(hv_pt, hv.phys_base, hv.phys_base, hv.header->mem_size, PTE_RW, true);
	if (!err)
		err = pt_map(hv_pt, ha->tramp_va, ha->tramp_phys, PAGE_SIZE, 0, false);
	if (!err)
		err = pt_map(hv_pt, X86_LAPIC_BASE, X86_LAPIC_BASE, PAGE_SIZE,
			     PTE_RW | PTE_PCD | PTE_PWT | PTE_NX, false);
	if (!err && con->type == HVCFG_CONSOLE_8250)
		err = pt_map(hv_pt, con->base & ~(PAGE_SIZE - 1), con->base & ~(PAGE_SIZE - 1),
			     PAGE_SIZE, PTE_RW | PTE_PCD | PTE_PWT | PTE_NX, false);
	if (err)
		return err;
	/* the window's last-level table: map one page, keep the table, clear the entry */
	err = pt_map(hv_pt, TEMP_VA, 0, PAGE_SIZE, PTE_RW | PTE_NX, false);
	if (err)
		return err;
	temp_pt = (u64 *)((uintptr_t)pt_leaf(hv_pt, TEMP_VA) & ~(PAGE_SIZE - 1));
	temp_pt[0] = 0;
	_Static_assert(TEMP_PAGES + CONFIG_MAX_CPUS <= 512, "window in one table");
	return 0;
}

#define PM_TIMER_HZ		3579545ULL
#define PM_TIMER_MASK		0xffffff	/* 24 bits at least */
#define CALIBRATION_TICKS	(PM_TIMER_HZ / 20)	/* 50 ms */

/*
 * A PM timer reading and the TSC at that moment: the TSC read on both sides, the tightest of
 * a few tries kept, so that a vCPU descheduled between the two reads (QEMU) does not count.
 */
static u32 pm_sample(u16 port, u64 *tsc)
{
	u64 t1, t2, best = ~0ULL;
	u32 pm = 0, p;
	unsigned int n;

	for (n = 0; n < 8; n++) {
		t1 = rdtsc();
		p = inl(port) & PM_TIMER_MASK;
		t2 = rdtsc();
		if (t2 - t1 < best) {
			best = t2 - t1;
			pm = p;
			*tsc = t1 + (t2 - t1) / 2;
		}
	}
	return pm;
}

/* TSC kHz over one interval of the PM timer, scaled by the ticks that really passed. */
static u64 tsc_khz_once(u16 port)
{
	u64 tsc0 = 0, tsc1 = 0;
	u32 pm0 = pm_sample(port, &tsc0), pm1, ticks;

	do {
		pm1 = pm_sample(port, &tsc1);
		ticks = (pm1 - pm0) & PM_TIMER_MASK;
	} while (ticks < CALIBRATION_TICKS);
	return (tsc1 - tsc0) * PM_TIMER_HZ / ((u64)ticks * 1000);
}

/* TSC frequency: the config's, or the median of three counts against the ACPI PM timer. */
static int calibrate_tsc(const struct hvcfg_x86_platform *p)
{
	u64 k[3], t;

	if (p->tsc_khz) {
		tsc_khz = p->tsc_khz;
		return 0;
	}
	if (!p->pm_timer_port) {
		pr_err("x86: neither tsc_khz nor a PM timer in the config: no clock\n");
		return -EINVAL;
	}
	k[0] = tsc_khz_once(p->pm_timer_port);
	k[1] = tsc_khz_once(p->pm_timer_port);
	k[2] = tsc_khz_once(p->pm_timer_port);
	if (k[0] > k[1])
		t = k[0], k[0] = k[1], k[1] = t;
	if (k[1] > k[2])
		t = k[1], k[1] = k[2], k[2] = t;
	if (k[0] > k[1])
		t = k[0], k[0] = k[1], k[1] = t;
	tsc_khz = k[1];
	return tsc_khz ? 0 : -EINVAL;
}

static int check_cpu(void)
{
	u32 a = 0x80000001, b, c = 0, d;
	u64 apic_base = rdmsr(MSR_APIC_BASE);

	cpuid(&a, &b, &c, &d);
	if (!(c & (1u << 2))) {
		pr_err("x86: no AMD SVM on this CPU\n");
		return -ENODEV;
	}
	a = 0x8000000a;
	c = 0;
	cpuid(&a, &b, &c, &d);
	if (!(d & 1)) {
		pr_err("x86: SVM without nested paging\n");
		return -ENODEV;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		pr_err("x86: SVM disabled by the firmware (VM_CR.SVMDIS)\n");
		return -ENODEV;
	}
	if (read_cr(4) & X86_CR4_LA57) {
		pr_err("x86: Linux runs with 5-level paging (LA57); only 4-level NPT is supported "
		       "(boot with no5lvl)\n");
		return -EOPNOTSUPP;
	}
	if ((apic_base & ~0xfffULL) != X86_LAPIC_BASE || apic_base & APIC_BASE_X2APIC ||
	    !(apic_base & APIC_BASE_ENABLE)) {
		pr_err("x86: local APIC not an xAPIC at 0x%llx (APIC_BASE 0x%llx)\n",
		       X86_LAPIC_BASE, apic_base);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* The parking guest: hlt in a loop at GPA 0, on a table that maps nothing else. */
u64 *parking_npt;

static int parking_init(void)
{
	u8 *page = page_alloc(&mem_pool, 1);

	parking_npt = pt_alloc_root();
	if (!page || !parking_npt)
		return -ENOMEM;
	memset(page, 0, PAGE_SIZE);
	page[0] = 0xf4;		/* hlt */
	page[1] = 0xeb;		/* jmp . - 3 */
	page[2] = 0xfd;
	return pt_map(parking_npt, 0, hv_virt_to_phys(page), PAGE_SIZE, PTE_US, false);
}

int arch_init(const struct hvcfg_system *sys)
{
	int err = check_cpu();

	if (err)
		return err;
	if ((uintptr_t)per_cpu_area & (PERCPU_SIZE - 1)) {
		pr_err("x86: per-CPU data not aligned to its size (link error)\n");
		return -EINVAL;
	}
	hv_pt = pt_alloc_root();
	if (!hv_pt)
		return -ENOMEM;
	err = map_hv();
	if (!err)
		err = parking_init();
	if (!err)
		err = calibrate_tsc(cfg_x86_platform(sys));
	if (err)
		pr_err("x86: setup failed (%d)\n", err);
	return err;
}

int arch_cpu_init(struct per_cpu *cpu)
{
	u64 cr4 = read_cr(4);
	int err = check_cpu();

	if (err)
		return err;
	/* our tables; Linux's global TLB entries go too, none of them is ours */
	write_cr(3, hv_virt_to_phys(hv_pt));
	write_cr(4, cr4 & ~X86_CR4_PGE);
	write_cr(4, cr4);
	cpu->hw_id = apic_read(APIC_ID) >> 24;
	cpu->arch.vmcb = page_alloc(&mem_pool, 1);
	cpu->arch.hsave = page_alloc(&mem_pool, 1);
	if (!cpu->arch.vmcb || !cpu->arch.hsave)
		return -ENOMEM;
	memset(cpu->arch.vmcb, 0, PAGE_SIZE);
	memset(cpu->arch.hsave, 0, PAGE_SIZE);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, hv_virt_to_phys(cpu->arch.hsave));
	cpu->arch.svm_on = true;
	vcpu_init_root(cpu);
	x86_apic_vcpu_init(cpu);
	return 0;
}

void arch_cpu_activate(struct per_cpu *cpu)
{
	cpu->arch.in_host = 1;
}

void arch_cpu_deactivate(struct per_cpu *cpu)
{
	cpu->state = CPU_OFF;
}

/* A management event: an NMI the receiver knows is ours by the flag. */
void arch_send_event(struct per_cpu *target)
{
	u32 hi;

	__atomic_store_n(&target->arch.event, 1, __ATOMIC_SEQ_CST);
	while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
	/* the guest may be between its two ICR writes: keep its destination */
	hi = apic_read(APIC_ICR_HI);
	apic_write(APIC_ICR_HI, (u32)target->hw_id << 24);
	apic_write(APIC_ICR, APIC_ICR_NMI | APIC_ICR_ASSERT);
	apic_write(APIC_ICR_HI, hi);
}

struct per_cpu *this_cpu(void)
{
	uintptr_t sp;

	asm volatile("mov %%rsp, %0" : "=r"(sp));
	return (struct per_cpu *)(sp & ~(uintptr_t)(PERCPU_SIZE - 1));
}

void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

void spin_lock(spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(lock->locked))
			cpu_relax();
}

void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

void arch_halt(void)
{
	x86_halt_loop();
}

u64 arch_time_us(void)
{
	u64 t = rdtsc();

	return t / tsc_khz * 1000 + t % tsc_khz * 1000 / tsc_khz;
}

void arch_udelay(unsigned long us)
{
	u64 start = rdtsc(), ticks = tsc_khz * us / 1000 + 1;

	while (rdtsc() - start < ticks)
		cpu_relax();
}

/* --- the window onto RAM ----------------------------------------------------------------- */

static void invlpg(u64 va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

unsigned long arch_temp_pages(void)
{
	return TEMP_PAGES;
}

/* Callers serialize (cell_lock); the window is the same on every CPU, flushed on each. */
void *arch_map_temp(u64 phys, unsigned long pages)
{
	unsigned long n;

	for (n = 0; n < pages && n < TEMP_PAGES; n++) {
		temp_pt[n] = (phys + n * PAGE_SIZE) | PTE_P | PTE_RW | PTE_NX;
		invlpg(TEMP_VA + n * PAGE_SIZE);
	}
	return (void *)TEMP_VA;
}

/*
 * Other CPUs never use the core's part of the window and flush it before they would (the
 * next map on another CPU flushes its own TLB entry), so a local flush suffices.
 */
void arch_unmap_temp(unsigned long pages)
{
	unsigned long n;

	for (n = 0; n < pages && n < TEMP_PAGES; n++) {
		temp_pt[n] = 0;
		invlpg(TEMP_VA + n * PAGE_SIZE);
	}
}

void arch_clean_dcache(void *addr, unsigned long size)
{
	/* x86 caches are coherent, DMA included */
}

void arch_zero_pages(void *addr, unsigned long size)
{
	memset(addr, 0, size);
}

/* This CPU's own window page: reads a page of RAM outside the hypervisor. */
void *x86_map_cpu_page(u64 phys)
{
	unsigned int id = this_cpu()->id;
	u64 va = CPU_WINDOW_VA + id * PAGE_SIZE;

	temp_pt[TEMP_PAGES + id] = (phys & PTE_ADDR) | PTE_P | PTE_NX;
	invlpg(va);
	return (void *)(va + (phys & (PAGE_SIZE - 1)));
}

u64 x86_tsc_khz(void)
{
	return tsc_khz;
}
