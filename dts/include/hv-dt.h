/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Helpers for system and cell device trees (found by configgen's cpp with -I dts/include).
 * Only numbers: the format itself is described by docs/bindings/ and docs/config-format.md.
 */
#ifndef HV_DT_H
#define HV_DT_H

#define SZ_4K	0x1000
#define SZ_64K	0x10000
#define SZ_1M	0x100000
#define SZ_2M	0x200000
#define SZ_8M	0x800000
#define SZ_16M	0x1000000
#define SZ_64M	0x4000000

/* 64-bit property values: ADDR64(0x7f000000) -> /bits/ 64 <0x7f000000> */
#define ADDR64(x)	/bits/ 64 <(x)>

/* GIC interrupt specifier cells, as in Linux' dt-bindings/interrupt-controller/arm-gic.h */
#define GIC_SPI	0
#define GIC_PPI	1

/* Jailhouse-style inmate conventions used by our demo cells */
#define INMATE_LOAD_ADDR	0x0
#define INMATE_COMM_ADDR	0x80000000

/*
 * x86 cells (dts/qemu-x86/): the inmate is linked and loaded at guest 0 and starts there in real
 * mode (cpu-reset-address below 1 MiB); the comm page follows the first MiB.
 */
#define X86_INMATE_LOAD_ADDR	0x0
#define X86_INMATE_COMM_ADDR	0x100000

/* IOAPIC interrupt specifier flags (<pin flags>) */
#define IOAPIC_EDGE	1
#define IOAPIC_LEVEL	2

#endif
