# Compiler and linker flags of the inmate library and of every inmate built with it, in the
# tree (inmates/Makefile) and out of it (the SDK's inmate.mk): defined here once. The
# architecture's own come from lib/$(ARCH)/flags.mk (ARCH_CFLAGS, ARCH_LDFLAGS, COMM_REGION).
INMATE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -ffreestanding -fno-pie -fno-pic \
	-fno-stack-protector -fno-common -fno-asynchronous-unwind-tables -fno-unwind-tables \
	$(ARCH_CFLAGS)
INMATE_ASFLAGS := -D__ASSEMBLER__ $(ARCH_ASFLAGS)
INMATE_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	$(ARCH_LDFLAGS)

# The per-cell parts, alike for every build: the library's defaults object gets the comm region
# address, $(call inmate_cell_defs,COMM-REGION,PROGRAM); the image is linked at the cell's base
# and checked against its size, with one stack per CPU of the cell,
# $(call inmate_link_flags,LINKER-SCRIPT,BASE[,SIZE[,CPUS]]).
inmate_comma := ,
inmate_cell_defs = -DINMATE_COMM_REGION=$(1) $(call ARCH_CELL_DEFS,$(2))
inmate_link_flags = $(INMATE_LDFLAGS) -Wl,-T,$(1) -Wl,--defsym=INMATE_BASE=$(2) \
	$(if $(3),-Wl$(inmate_comma)--defsym=INMATE_SIZE=$(3)) \
	$(if $(4),-Wl$(inmate_comma)--defsym=INMATE_CPUS=$(4))
