/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Image header, the way in from the driver's trampoline (asm/hv_header_arch.h), the host IDT
 * stubs, VMRUN and the way back to Linux.
 *
 * Way in: the trampoline jumps here on the boot page table with interrupts off. We switch to
 * this CPU's stack, keep what Linux needs back (CR3, RSP, the trampoline's routines, GDTR,
 * IDTR, selectors), load our GDT and call x86_cpu_entry(), which never returns.
 * Way out: x86_leave() jumps to the trampoline's leave routine with its register convention.
 */
#include <hv.h>
#include <generated/asm-offsets.h>	/* HDR_*, PC_*: from the C structures */

/* the same slots as Linux's __KERNEL_CS and __KERNEL_DS */
#define HV_CS		0x10
#define HV_DS		0x18

	.section .header, "a"
	.globl	hv_header
	/* struct hv_header, each field at its offset (.org cannot go back: order is checked) */
	.macro	hdr_field offset, directive, value
	.org	hv_header + \offset
	\directive	\value
	.endm
hv_header:
	.org	hv_header + HDR_SIGNATURE
	.ascii	HV_IMAGE_SIGNATURE
	hdr_field HDR_ABI_VERSION, .long, HV_IMAGE_ABI
	hdr_field HDR_HEADER_SIZE, .long, HDR_SIZE
	hdr_field HDR_IMAGE_SIZE, .quad, __image_end-hv_header
	hdr_field HDR_CORE_SIZE, .quad, __core_end-hv_header
	hdr_field HDR_ENTRY_OFFSET, .quad, x86_entry-hv_header
	hdr_field HDR_CONSOLE_OFFSET, .quad, hv_console-hv_header
	hdr_field HDR_MAX_CPUS, .long, CONFIG_MAX_CPUS
	hdr_field HDR_ARCH, .long, HDR_ARCH_ID
	hdr_field HDR_BOOT_PT_OFFSET, .quad, boot_pt-hv_header
	hdr_field HDR_BOOT_PT_PAGES, .long, BOOT_PT_PAGES
	.org	hv_header + HDR_SIZE		/* the driver fills in the rest: zeros */

	.text
	.code64
/* rdi = CPU id, rsi = Linux CR3, rdx = Linux RSP, rcx = leave, r8 = resume point */
	.globl	x86_entry
x86_entry:
	cmp	$CONFIG_MAX_CPUS, %rdi
	jae	9f
	lea	per_cpu_area(%rip), %rax
	mov	%rdi, %r9
	imul	$PERCPU_SIZE, %r9
	add	%r9, %rax
	lea	PERCPU_STACK_SIZE(%rax), %rsp
	mov	%rsi, PC_LINUX_CR3(%rax)
	mov	%rdx, PC_LINUX_RSP(%rax)
	mov	%rcx, PC_LINUX_LEAVE(%rax)
	mov	%r8, PC_LINUX_RESUME(%rax)
	pushfq
	popq	PC_LINUX_RFLAGS(%rax)
	sgdt	PC_LINUX_GDTR(%rax)
	sidt	PC_LINUX_IDTR(%rax)
	movw	%cs, PC_LINUX_CS(%rax)
	movw	%ss, PC_LINUX_SS(%rax)
	movw	%ds, PC_LINUX_DS(%rax)
	movw	%es, PC_LINUX_ES(%rax)

	lea	hv_gdt(%rip), %rcx
	sub	$16, %rsp
	movw	$(hv_gdt_end - hv_gdt - 1), (%rsp)
	mov	%rcx, 2(%rsp)
	lgdt	(%rsp)
	add	$16, %rsp
	lea	1f(%rip), %rcx
	pushq	$HV_CS
	push	%rcx
	lretq
1:	mov	$HV_DS, %ecx
	mov	%ecx, %ss
	xor	%ecx, %ecx
	mov	%ecx, %ds
	mov	%ecx, %es
	call	x86_cpu_entry			/* rdi: CPU id; never returns */
	ud2

9:	/* an id we have no stack for: straight back, nothing touched */
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%r8, %rdx
	mov	$-EINVAL, %rax
	jmp	*%rcx

/* void x86_leave(u64 cr3, u64 rsp, u64 rip, u64 rax, u64 leave) */
	.globl	x86_leave
x86_leave:
	mov	%rcx, %rax
	jmp	*%r8

/*
 * void svm_vmrun(u64 *regs, u64 vmcb_pa): the guest's registers from regs (architectural
 * order; RAX and RSP are the VMCB's), VMLOAD, VMRUN, VMSAVE, registers back. GIF is 0 here
 * and after: the caller decides when it opens.
 */
	.globl	svm_vmrun
svm_vmrun:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi
	push	%rsi
	mov	%rsi, %rax
	vmload	%rax
	mov	1*8(%rdi), %rcx
	mov	2*8(%rdi), %rdx
	mov	3*8(%rdi), %rbx
	mov	5*8(%rdi), %rbp
	mov	6*8(%rdi), %rsi
	mov	8*8(%rdi), %r8
	mov	9*8(%rdi), %r9
	mov	10*8(%rdi), %r10
	mov	11*8(%rdi), %r11
	mov	12*8(%rdi), %r12
	mov	13*8(%rdi), %r13
	mov	14*8(%rdi), %r14
	mov	15*8(%rdi), %r15
	mov	7*8(%rdi), %rdi
	vmrun	%rax
	push	%rdi
	mov	16(%rsp), %rdi			/* regs */
	popq	7*8(%rdi)
	mov	%rcx, 1*8(%rdi)
	mov	%rdx, 2*8(%rdi)
	mov	%rbx, 3*8(%rdi)
	mov	%rbp, 5*8(%rdi)
	mov	%rsi, 6*8(%rdi)
	mov	%r8, 8*8(%rdi)
	mov	%r9, 9*8(%rdi)
	mov	%r10, 10*8(%rdi)
	mov	%r11, 11*8(%rdi)
	mov	%r12, 12*8(%rdi)
	mov	%r13, 13*8(%rdi)
	mov	%r14, 14*8(%rdi)
	mov	%r15, 15*8(%rdi)
	pop	%rax				/* vmcb_pa */
	vmsave	%rax
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

/* NMIs taken in the hypervisor (GIF opened on purpose): counted, nothing else. */
	.globl	x86_nmi_stub
x86_nmi_stub:
	push	%rax
	mov	%rsp, %rax
	and	$~(PERCPU_SIZE - 1), %rax
	lock incl PC_NMI_COUNT(%rax)
	pop	%rax
	iretq

/* Exceptions in the hypervisor: a bug. 32 stubs of 16 bytes, vector and error code pushed. */
	.balign	16
	.globl	x86_idt_stubs
x86_idt_stubs:
	vector = 0
	.rept	32
	.balign	16
	.if	vector != 8 && (vector < 10 || vector > 14) && vector != 17 && vector != 21 && \
		vector != 29 && vector != 30
	pushq	$0
	.endif
	pushq	$vector
	jmp	exception_common
	vector = vector + 1
	.endr

exception_common:
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%r11
	push	%r10
	push	%r9
	push	%r8
	push	%rdi
	push	%rsi
	push	%rbp
	push	%rbx
	push	%rdx
	push	%rcx
	push	%rax
	mov	%rsp, %rdi
	and	$~15, %rsp
	call	x86_host_exception
	ud2

/*
 * Interrupts 32-255 in the hypervisor: only while a CPU changes hands, to drain what its last
 * owner left pending in the local APIC. Ended at once, 16 bytes each.
 */
	.balign	16
	.globl	x86_irq_stubs
x86_irq_stubs:
	.rept	224
	.balign	16
	push	%rax
	mov	$0xfee000b0, %eax		/* xAPIC EOI */
	movl	$0, (%rax)
	pop	%rax
	iretq
	.endr

	.globl	x86_halt_loop
x86_halt_loop:
	cli
1:	hlt
	jmp	1b

	.data
	.balign	16
	.globl	hv_gdt
hv_gdt:
	.quad	0
	.quad	0
	.quad	0x00af9b000000ffff		/* HV_CS: 64-bit code, accessed */
	.quad	0x00cf93000000ffff		/* HV_DS: data, accessed */
hv_gdt_end:

	.section .bss.page_aligned, "aw", @nobits
	.balign	4096
boot_pt:
	.space	4096 * BOOT_PT_PAGES
