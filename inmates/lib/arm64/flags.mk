# arm64 flags of the inmate library and its programs (see lib/flags.mk); installed with the SDK.
COMM_REGION ?= 0x80000000
ARCH_CFLAGS := -mgeneral-regs-only -mstrict-align -mno-outline-atomics -mcmodel=small
ARCH_LDFLAGS :=
# In a cell PSCI goes through smc (trapped by the hypervisor), bare-metal to QEMU's hvc.
ARCH_CELL_DEFS = -DINMATE_PSCI_SMC=1
ARCH_BM_DEFS = -DINMATE_PSCI_SMC=0
