# ARMv7 flags of the inmate library and its programs (see lib/flags.mk); installed with the SDK.
# ARM state by default; a file may be built as Thumb-2 (-mthumb: the vectors are ARM, the
# exception return restores the interrupted state). Hard-float ABI like Debian armhf, but no
# FP/SIMD register is ever used (-mgeneral-regs-only). Unaligned accesses fault with the MMU
# off, so the compiler must not produce them. armv7ve: Cortex-A15's udiv/sdiv, virt (hvc).
COMM_REGION ?= 0x80000000
ARCH_CFLAGS := -march=armv7ve+fp -mtune=cortex-a15 -marm -mfloat-abi=hard -mgeneral-regs-only \
	-mno-unaligned-access -mabi=aapcs-linux
ARCH_ASFLAGS := -march=armv7ve+fp -marm
ARCH_LDFLAGS := -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack
# In a cell PSCI goes through smc (trapped by the hypervisor), bare-metal to QEMU's hvc.
ARCH_CELL_DEFS = -DINMATE_PSCI_SMC=1
ARCH_BM_DEFS = -DINMATE_PSCI_SMC=0
