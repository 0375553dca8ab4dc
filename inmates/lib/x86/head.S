/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86 entry: the cell's first CPU starts in real mode at the image base (cpu_reset_address
 * R: CS.base = R & 0xf0000, IP = R & 0xffff), further CPUs at the SIPI trampoline (base +
 * 0x2000: CS.base = base + 0x2000, IP = 0). Both go 16 -> 32 -> 64 bit through our own GDT and
 * identity page tables (2 MiB pages, 0-4 GiB; 3-4 GiB, the APICs' and devices' range,
 * uncached). Bare-metal, QEMU's multiboot loader enters mb_entry in 32-bit protected mode; it
 * copies the multiboot command line into the command-line page and drops back to real mode at
 * the image base, so the rest of the start is the cell's.
 *
 * %ebp carries the kind of CPU through the 16- and 32-bit code: 0 the first CPU, 1 an AP.
 */
#include "internal.h"

#define MB_MAGIC		0x1badb002
#define MB_FLAGS		0x00010000	/* the address fields below are valid */
#define MB_BOOT_MAGIC		0x2badb002	/* in %eax at mb_entry */
#define MB_INFO_CMDLINE		(1 << 2)

#define CR0_PE			(1 << 0)
#define CR0_NE			(1 << 5)
#define CR0_WP			(1 << 16)
#define CR0_NW			(1 << 29)
#define CR0_CD			(1 << 30)
#define CR0_PG			(1 << 31)
#define CR0_RESET		0x60000010	/* CD, NW, ET */
#define CR4_PAE			(1 << 5)
#define MSR_EFER		0xc0000080
#define EFER_LME		(1 << 8)
#define MSR_GS_BASE		0xc0000101

#define PTE_P			0x001
#define PTE_RW			0x002
#define PTE_PWT			0x008
#define PTE_PCD			0x010
#define PTE_PS			0x080
/* PD entries from here on (3 GiB) are uncached: local APIC, IOAPIC, PCI MMIO, flash. */
#define PD_UNCACHED_FIRST	1536

	.section .boot, "ax"
	.code16
	.global	_start
_start:
	cli
	/* CS:IP = (R & 0xf0000) >> 4 : R & 0xffff; from here on CS = base >> 4 */
	ljmp	$__base_seg, $(entry16 - _start)

	.balign	4
multiboot_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	multiboot_header	/* header_addr */
	.long	__image_start		/* load_addr */
	.long	__load_end		/* load_end_addr */
	.long	__image_end		/* bss_end_addr: QEMU zeroes up to here */
	.long	mb_entry		/* entry_addr */

/* First CPU only: keep the state it started with for reset-check (struct x86_entry_state). */
#define ES(off)		%cs:(entry_state - _start + (off))
entry16:
	movl	%eax, ES(0)
	movl	%ebx, ES(4)
	movl	%ecx, ES(8)
	movl	%edx, ES(12)
	movl	%esi, ES(16)
	movl	%edi, ES(20)
	movl	%ebp, ES(24)
	movl	%esp, ES(28)
	movw	%ds, ES(36)
	movw	%es, ES(38)
	movw	%fs, ES(40)
	movw	%gs, ES(42)
	movw	%ss, ES(44)
	movw	%cs, %ax
	movw	%ax, %ss
	movw	$(entry_stack_top - _start), %sp
	pushfl
	popl	%eax
	movl	%eax, ES(32)
	movl	%cr0, %eax
	movl	%eax, ES(48)
	movl	%cr3, %eax
	movl	%eax, ES(52)
	movl	%cr4, %eax
	movl	%eax, ES(56)
	movl	$MSR_EFER, %ecx
	rdmsr
	movl	%eax, ES(64)
	movl	%edx, ES(68)
	movl	$MSR_GS_BASE, %ecx
	rdmsr
	movl	%eax, ES(72)
	movl	%edx, ES(76)
	xorl	%ebp, %ebp
common16:
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	gdt_desc - _start
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$GDT_CODE32, $start32

/* An AP, from the trampoline (CS = base >> 4 by now). */
ap_entry16:
	movl	$1, %ebp
	jmp	common16

/* Bare-metal: from mb_entry in 16-bit protected mode (CS.base = image base), to real mode. */
/*
 * Bare-metal: from mb_entry in 16-bit protected mode (CS.base = image base), to real mode in
 * the state a cell starts in (common.md's cell-start contract): CR0 0x60000010, segments 0 with
 * 64 KiB limits, GPRs 0, RFLAGS 2.
 */
to_real16:
	movw	$GDT_DATA16, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	$CR0_RESET, %eax
	movl	%eax, %cr0
	movw	$__base_seg, %ax
	movw	%ax, %ss
	movw	$(entry_stack_top - _start), %sp
	pushl	$2
	popfl
	/* no flag-changing instruction from here on */
	movw	$0, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	$0, %eax
	movl	$0, %ebx
	movl	$0, %ecx
	movl	$0, %edx
	movl	$0, %esi
	movl	$0, %edi
	movl	$0, %ebp
	movl	$0, %esp
	ljmp	$__base_seg, $0

	.code32
/* QEMU multiboot: 32-bit protected mode, flat segments, paging off, %ebx = multiboot info. */
mb_entry:
	cli
	cld
	cmpl	$MB_BOOT_MAGIC, %eax
	jne	3f
	testl	$MB_INFO_CMDLINE, (%ebx)
	jz	3f
	movl	16(%ebx), %esi
	/* QEMU passes "<kernel file> <-append>": skip the file name and the blanks after it. */
1:	lodsb
	testb	%al, %al
	jz	3f
	cmpb	$0x20, %al
	jne	1b
1:	cmpb	$0x20, (%esi)
	jne	2f
	incl	%esi
	jmp	1b
2:	movl	$__cmdline_start, %edi
	movl	$0xfff, %ecx
1:	lodsb
	stosb
	testb	%al, %al
	jz	3f
	loop	1b
	movb	$0, (%edi)
3:	/* A 16-bit code segment based at the image, so its offsets fit into 16 bits. */
	movl	$__image_start, %eax
	movw	%ax, gdt + GDT_CODE16 + 2
	shrl	$16, %eax
	movb	%al, gdt + GDT_CODE16 + 4
	lgdt	gdt_desc
	ljmp	$GDT_CODE16, $(to_real16 - _start)

start32:
	movl	$GDT_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	testl	%ebp, %ebp
	jnz	2f

	/* first CPU: BSS (page tables, stacks and all) and the identity map */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl

	movl	$pdpt, %eax
	orl	$(PTE_P | PTE_RW), %eax
	movl	%eax, pml4
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$12, %eax
	addl	$(pd + PTE_P + PTE_RW), %eax
	movl	%eax, pdpt(, %ecx, 8)
	incl	%ecx
	cmpl	$4, %ecx
	jb	1b
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PTE_P | PTE_RW | PTE_PS), %eax
	cmpl	$PD_UNCACHED_FIRST, %ecx
	jb	3f
	orl	$(PTE_PCD | PTE_PWT), %eax
3:	movl	%eax, pd(, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	1b

2:	/* every CPU: long mode on the shared tables, caches on (a cell starts with CD=NW=1) */
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	andl	$~(CR0_CD | CR0_NW), %eax
	orl	$(CR0_PG | CR0_WP | CR0_NE | CR0_PE), %eax
	movl	%eax, %cr0
	ljmp	$GDT_CODE64, $start64

	.code64
start64:
	testl	%ebp, %ebp
	jnz	ap64
	leaq	stacks + STACK_SIZE(%rip), %rsp
	call	c_entry
	jmp	park

/* An AP takes the first free stack (bit n of stack_busy: logical CPU n). */
ap64:
	movl	$1, %ebx
1:	lock btsl %ebx, stack_busy(%rip)
	jnc	2f
	incl	%ebx
	cmpl	$MAX_CPUS, %ebx
	jb	1b
	lock incl stray_cpus(%rip)
	jmp	park
2:	leal	1(%ebx), %eax
	imull	$STACK_SIZE, %eax
	leaq	stacks(%rip), %rsp
	addq	%rax, %rsp
	movl	%ebx, %edi
	call	secondary_c_entry
	cli
	lock btrl %ebx, stack_busy(%rip)
park:
	cli
1:	hlt
	jmp	1b

	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* GDT_CODE32: flat, 32-bit */
	.quad	0x00cf92000000ffff	/* GDT_DATA: flat */
	.quad	0x00af9a000000ffff	/* GDT_CODE64 */
	.quad	0x00009a000000ffff	/* GDT_CODE16: base patched by mb_entry, 64 KiB */
	.quad	0x000092000000ffff	/* GDT_DATA16: base 0, 64 KiB (real-mode limits) */
gdt_end:
	.balign	8
	.word	0
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.balign	8
	.global	entry_state
entry_state:
	.skip	ENTRY_STATE_SIZE
	.balign	16
	.skip	32
entry_stack_top:

/* SIPI target: CS.base = this page, IP = 0. */
	.section .trampoline, "ax"
	.code16
	.global	ap_trampoline
ap_trampoline:
	cli
	ljmp	$__base_seg, $(ap_entry16 - _start)

/*
 * Vector entry stubs, ISR_STUB_SIZE bytes each: an error code (0 where the CPU pushes none),
 * then the TSC first thing (interrupt latency measurements), then the vector.
 */
	.text
	.code64
	.altmacro
.macro	isr vec
	.balign	ISR_STUB_SIZE
	/* the CPU pushes an error code for #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX */
	.if	(\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || \
		(\vec == 29) || (\vec == 30)
	.else
	pushq	$0
	.endif
	pushq	%rax
	pushq	%rdx
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
	movl	$\vec, %edx
	jmp	isr_common
.endm

	.balign	ISR_STUB_SIZE
	.global	isr_stubs
isr_stubs:
	.set	vec, 0
	.rept	NUM_VECTORS
	isr	%vec
	.set	vec, vec + 1
	.endr
	.noaltmacro

/* %rax = TSC at entry, %rdx = vector; builds struct exception_frame. */
isr_common:
	pushq	%rbx
	pushq	%rcx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	$0
	pushq	%rax
	pushq	%rdx
	movq	%rsp, %rdi
	cld
	call	exception_c
	addq	$24, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rcx
	popq	%rbx
	popq	%rdx
	popq	%rax
	addq	$8, %rsp
	iretq

	.bss
	.balign	4096
pml4:
	.skip	4096
pdpt:
	.skip	4096
pd:
	.skip	4 * 4096
