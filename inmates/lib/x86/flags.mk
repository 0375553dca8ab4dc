# x86 flags of the inmate library and its programs (see lib/flags.mk); installed with the SDK.
COMM_REGION ?= 0x100000
ARCH_CFLAGS := -m64 -mno-red-zone -mgeneral-regs-only -mcmodel=small -fcf-protection=none
ARCH_LDFLAGS := -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack
