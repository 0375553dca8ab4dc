/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trampoline page (hv/arch/x86/include/asm/hv_header_arch.h): the one page of the module's
 * text that the hypervisor maps at the same virtual address as Linux does, so code in it keeps
 * running while CR3 changes between Linux's page tables and the driver's boot page table (enter)
 * or the hypervisor's and Linux's (leave). Page aligned in a section of its own, at most a page;
 * objtool does not see it (OBJECT_FILES_NON_STANDARD in Kbuild).
 */
	.section .text.jh_tramp, "ax"
	.balign 4096
	.globl jh_tramp_start
jh_tramp_start:

/*
 * long jh_tramp_enter(u64 hv_cpu, u64 boot_cr3, u64 entry_phys), interrupts off: save RFLAGS
 * (the hypervisor does not restore them when it leaves) and the callee-saved registers, switch
 * to the boot page table and jump into the hypervisor with rdi = hv_cpu, rsi = Linux's CR3,
 * rdx = Linux's RSP, rcx = &leave, r8 = &resume.
 */
	.globl jh_tramp_enter
	.type jh_tramp_enter, @function
jh_tramp_enter:
	pushfq
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsi, %r10
	mov	%rdx, %r11
	mov	%cr3, %rsi
	mov	%rsp, %rdx
	lea	jh_tramp_leave(%rip), %rcx
	lea	jh_tramp_resume(%rip), %r8
	mov	%r10, %cr3
	jmp	*%r11
	.size jh_tramp_enter, . - jh_tramp_enter

/* Where Linux goes on (as the guest, or natively after a failure): RAX is the result. */
jh_tramp_resume:
	endbr64
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	popfq
	ret

/* The hypervisor leaves to Linux: rdi = CR3, rsi = RSP, rdx = RIP, rax = the value to keep. */
jh_tramp_leave:
	endbr64
	mov	%rdi, %cr3
	mov	%rsi, %rsp
	jmp	*%rdx

/*
 * long jh_tramp_disable(void): HC_DISABLE (0). When the hypervisor leaves, it comes back after
 * the VMMCALL with every register but RAX, RSP and RIP clobbered and RFLAGS not restored: the
 * callee-saved registers and RFLAGS come back from the stack.
 */
	.globl jh_tramp_disable
	.type jh_tramp_disable, @function
jh_tramp_disable:
	pushfq
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	xor	%eax, %eax
	xor	%edi, %edi
	xor	%esi, %esi
	vmmcall
	endbr64			/* the leave routine jumps here when the hypervisor left */
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	popfq
	ret
	.size jh_tramp_disable, . - jh_tramp_disable

	.globl jh_tramp_end
jh_tramp_end:
	.if jh_tramp_end - jh_tramp_start > 4096
	.error "the trampoline does not fit one page"
	.endif
