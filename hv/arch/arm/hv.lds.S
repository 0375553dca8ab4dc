/* SPDX-License-Identifier: GPL-2.0 */
/* Position-independent image: linked at 0, relocated by the first CPU that enters. */
OUTPUT_FORMAT("elf32-littlearm")
OUTPUT_ARCH(arm)
ENTRY(hv_header)

SECTIONS
{
	. = 0;
	.header : { KEEP(*(.header)) }
	.text : { *(.text .text.*) }
	. = ALIGN(16);
	.rodata : { *(.rodata .rodata.*) }
	.rel.dyn : {
		__rel_start = .;
		*(.rel .rel.*)
		__rel_end = .;
	}
	.data.rel.ro : { *(.data.rel.ro .data.rel.ro.*) }
	.got : { *(.got .got.*) }
	.dynamic : { *(.dynamic) }
	.ARM.exidx : { *(.ARM.exidx*) }
	. = ALIGN(4096);
	__rw_start = .;		/* everything before is read-only once relocated */
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
		*(.bss.page_aligned)
		*(.bss.percpu)
		*(.bss .bss.* COMMON)
	}
	. = ALIGN(4096);
	__core_end = .;
	/DISCARD/ : { *(.interp) *(.comment) *(.note*) *(.eh_frame*) *(.ARM.attributes) }
}
