/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in "kernel" for tests/system/cell-linux-cli.sh: an arm64 Image header and a few
 * instructions that check what jailhouse cell linux promises a kernel (booting.rst): entered at
 * the first 2 MiB boundary of the cell's RAM (smp-demo: guest 0, so 0x200000; text_offset 0),
 * x0 = the DTB (its magic), x1 = x2 = x3 = 0. It says which through the hypervisor console
 * (the root reads it with jailhouse console) and idles. The test script carries the bytes
 * (STANDIN_HEX); tests/tools/test_cli_units.py checks they are this file's, assembled.
 */
	.text
_head:
	b	start			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	0x10000			/* image_size */
	.quad	0xa			/* flags: little endian, 4K pages, placed anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */
start:
	adr	x9, _head
	mov	x10, #0x200000
	cmp	x9, x10
	b.ne	bad
	orr	x11, x1, x2
	orr	x11, x11, x3
	cbnz	x11, bad
	ldr	w12, [x0]		/* d0 0d fe ed, read little endian */
	movz	w13, #0x0dd0
	movk	w13, #0xedfe, lsl #16
	cmp	w12, w13
	b.ne	bad
	adr	x5, ok
	b	print
bad:
	adr	x5, fail
print:
	ldrb	w1, [x5], #1
	cbz	w1, idle
	mov	x0, #8			/* HC_DEBUG_CONSOLE_PUTC */
	hvc	#0x4a48
	b	print
idle:
	wfi
	b	idle
ok:
	.asciz	"linux-cli stand-in: entered at 0x200000, x0 = DTB, x1-x3 = 0\n"
fail:
	.asciz	"linux-cli stand-in: BAD ENTRY\n"
