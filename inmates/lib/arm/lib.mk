# ARMv7 part of the inmate library and its programs (included by inmates/Makefile).
include $(SRC)/lib/arm/flags.mk
BAREMETAL_BASE ?= 0x40200000
# demos/arm-common/: the programs shared with arm64 (gic-demo, smp-demo)
ARCH_COMMON := arm-common

DEMOS := gic-demo uart-demo smp-demo deny-shutdown fault-demo
# Programs written against the Jailhouse compat API (lib/compat/include/inmate.h); the compat
# demo runs in the smp-demo cell, as on arm64.
COMPAT_PROGS := jh-compat-demo
DEMOS += $(COMPAT_PROGS)
jh-compat-demo_CELL := smp-demo
# Test inmates (tests/, tests/arm/), built like the demos. The attacker runs in the gic-demo
# cell, the bystander in smp-demo, as on arm64 (tests/system/hostile-cells-arm.sh).
TESTS := lib-selftest reset-check attack bystander
attack_CELL := gic-demo
bystander_CELL := smp-demo
# attack's second source: the ARMv7 trap-decoding attacks (cp15, banked registers, Thumb MMIO)
attack_EXTRA := attack-cp15

LIB := arm/head.S arm/setup.c arm-common/setup.c arm/exception.c cmdline.c string.c printk.c \
	spinlock.c arm-common/console.c arm/smp.c arm-common/psci.c arm-common/timer.c arm/gic.c \
	arm/div64.c comm.c compat.c arm-common/compat.c
