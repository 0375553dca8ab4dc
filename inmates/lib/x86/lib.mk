# x86 part of the inmate library and its programs (included by inmates/Makefile).
include $(SRC)/lib/x86/flags.mk
# Bare-metal: QEMU's multiboot loader puts its e820 map and info at 0x9000-0x9fff; the image
# (< 1 MiB, real-mode entry and SIPI trampoline) goes above that, below the EBDA (0x9fc00).
BAREMETAL_BASE ?= 0x10000

DEMOS := uart-demo apic-demo smp-demo deny-shutdown fault-demo
# Test inmates (tests/, tests/x86/), built like the demos.
TESTS := lib-selftest reset-check attack bystander
# hostile cells: the attacker runs in the apic-demo cell, the bystander in smp-demo
attack_CELL := apic-demo
bystander_CELL := smp-demo

LIB := x86/head.S x86/setup.c x86/exception.c x86/console.c x86/apic.c x86/timer.c x86/smp.c \
	$(GENERIC_LIB) compat.c x86/compat.c

# uart-demo owns COM2 in its cell (dts/qemu-x86): its UART when the comm region names none.
uart_demo_uart = $(if $(filter uart-demo,$(1)),-DINMATE_UART_PORT=0x2f8 -DINMATE_UART_OWNED=1)
ARCH_CELL_DEFS = $(call uart_demo_uart,$(1))
ARCH_BM_DEFS =
