# arm64 part of the inmate library and its programs (included by inmates/Makefile).
include $(SRC)/lib/arm64/flags.mk
BAREMETAL_BASE ?= 0x40200000
# demos/arm-common/: the programs shared with ARMv7 (gic-demo, smp-demo)
ARCH_COMMON := arm-common

DEMOS := gic-demo uart-demo smp-demo deny-shutdown fault-demo ivshmem-demo
# ivshmem-demo.bin also runs in the ivshmem-demo-2 cell: both cells load their image at guest 0
# and have their comm region at the same guest address
# Programs written against the Jailhouse compat API (lib/compat/include/inmate.h); the compat
# demo runs in the smp-demo cell, which may veto its shutdown (cell-jh-compat.sh).
COMPAT_PROGS := jh-compat-demo
DEMOS += $(COMPAT_PROGS)
jh-compat-demo_CELL := smp-demo
# Test inmates (tests/): built like the demos, with the same outputs.
TESTS := lib-selftest reset-check attack bystander pci-cell
# hostile-cells.sh: the attacker runs in the gic-demo cell, the bystander in smp-demo
attack_CELL := gic-demo
# irq-handover.sh runs it in smp-demo too, on both of its CPUs: stacks for two
CPUS_attack := 2
bystander_CELL := smp-demo
# pci-cell.sh: a gic-demo cell given the pci-serial function
pci-cell_CELL := gic-demo
# attack's second source: its attacks on direct interrupt delivery
attack_EXTRA := attack-direct
# ivshmem-demo's hostile modes (hostile-ivshmem.sh)
ivshmem-demo_EXTRA := ivshmem-hostile

LIB := arm64/head.S arm64/setup.c arm-common/setup.c arm64/exception.c arm64/mmu.c cmdline.c \
	string.c printk.c spinlock.c arm-common/console.c arm64/smp.c arm-common/psci.c \
	arm-common/timer.c arm64/gic.c arm64/pci.c comm.c compat.c arm-common/compat.c \
	arm64/compat.c
