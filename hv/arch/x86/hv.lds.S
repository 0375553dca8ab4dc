/* SPDX-License-Identifier: GPL-2.0 */
/* Position-independent image: linked at 0, relocated by the first CPU that enters. */
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(hv_header)

SECTIONS
{
	. = 0;
	.header : { KEEP(*(.header)) }
	.text : { *(.text .text.*) }
	. = ALIGN(16);
	.rodata : { *(.rodata .rodata.*) }
	.rela.dyn : {
		__rela_start = .;
		*(.rela .rela.*)
		__rela_end = .;
	}
	.data.rel.ro : { *(.data.rel.ro .data.rel.ro.*) }
	.got : { *(.got .got.*) }
	.dynamic : { *(.dynamic) }
	. = ALIGN(4096);
	.data : { *(.data .data.*) }
	.dynsym : { *(.dynsym) }
	.dynstr : { *(.dynstr) }
	.hash : { *(.hash) }
	.gnu.hash : { *(.gnu.hash) }
	__image_end = .;
	. = ALIGN(4096);
	/* everything below is zeroed by the driver, not part of jailhouse.bin */
	.console (NOLOAD) : { *(.console) }
	.bss (NOLOAD) : {
		/* this_cpu() is the stack pointer rounded down to PERCPU_SIZE */
		. = ALIGN(0x8000);
		*(.bss.percpu)
		*(.bss.page_aligned)
		*(.bss .bss.* COMMON)
	}
	. = ALIGN(4096);
	__core_end = .;
	/DISCARD/ : { *(.interp) *(.comment) *(.note*) *(.eh_frame*) }
}
