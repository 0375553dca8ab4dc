# Compiler and linker flags of the inmate library and of every inmate built with it, in the
# tree (inmates/Makefile) and out of it (the SDK's inmate.mk): defined here once. The
# architecture's own come from lib/$(ARCH)/flags.mk (ARCH_CFLAGS, ARCH_LDFLAGS, COMM_REGION).
INMATE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -ffreestanding -fno-pie -fno-pic \
	-fno-stack-protector -fno-common -fno-asynchronous-unwind-tables -fno-unwind-tables \
	$(ARCH_CFLAGS)
INMATE_ASFLAGS := -D__ASSEMBLER__ $(ARCH_ASFLAGS)
INMATE_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	$(ARCH_LDFLAGS)
