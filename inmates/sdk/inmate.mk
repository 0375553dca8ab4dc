# Build an inmate outside the jailhouse tree against the installed inmate SDK.
#
# In your Makefile:
#     CELL := my-cell.cell          # the compiled cell blob the inmate runs in
#     INMATE := hello               # output: $(O)/hello.bin (for `jailhouse cell load`), .elf
#     SOURCES := hello.c util.c     # C and assembler (.S) sources
#     API := native                 # or `jailhouse`: Jailhouse's <inmate.h> (porting)
#     include /usr/local/lib/jailhouse/inmate/inmate.mk
#
# The link address, the size limit, the CPU count (one stack each) and the comm region come
# from the cell blob (its first loadable region, its CPU set and its comm region), read by
# cell-make-vars.py; the architecture too. Give
# INMATE_BASE= and COMM_REGION= (and ARCH=) instead of CELL to build without a blob.
# Other variables: O (output directory, default .), CROSS_COMPILE, EXTRA_CFLAGS, PYTHON, V=1.
# ARCH: arm64, arm (ARMv7) or x86; a cross compiler is picked for the ARM ones off their hosts.
# Targets: all (default), clean.

# Where this file is, unless given (evaluated now: later includes change MAKEFILE_LIST).
ifeq ($(origin JAILHOUSE_SDK),undefined)
JAILHOUSE_SDK := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
endif
PYTHON ?= $(or $(wildcard /usr/bin/python3),python3)
O ?= .
API ?= native

ifeq ($(strip $(INMATE)),)
$(error inmate.mk: set INMATE (the program's name) before including inmate.mk)
endif
ifeq ($(strip $(SOURCES)),)
$(error inmate.mk: set SOURCES (the program's source files) before including inmate.mk)
endif

# The cell's addresses, regenerated on every run: a new blob relinks what it changes only.
JH_CELL_MK := $(O)/.$(INMATE).cell.mk
ifneq ($(strip $(CELL)),)
JH_CELL_ERR := $(shell mkdir -p $(O) && \
	$(PYTHON) $(JAILHOUSE_SDK)/cell-make-vars.py --name JH_CELL $(CELL) \
		> $(JH_CELL_MK).tmp 2> $(JH_CELL_MK).err && \
	{ cmp -s $(JH_CELL_MK).tmp $(JH_CELL_MK) || mv -f $(JH_CELL_MK).tmp $(JH_CELL_MK); } || \
	cat $(JH_CELL_MK).err; rm -f $(JH_CELL_MK).tmp $(JH_CELL_MK).err)
ifneq ($(strip $(JH_CELL_ERR)),)
$(error $(JH_CELL_ERR))
endif
include $(JH_CELL_MK)
INMATE_BASE ?= $(JH_CELL_INMATE_BASE)
INMATE_SIZE ?= $(JH_CELL_INMATE_SIZE)
INMATE_CPUS ?= $(JH_CELL_CPUS)
COMM_REGION ?= $(JH_CELL_COMM_REGION)
ARCH ?= $(JH_CELL_ARCH)
else ifeq ($(strip $(INMATE_BASE)),)
$(error inmate.mk: set CELL to the compiled cell blob the inmate runs in (or INMATE_BASE=, \
COMM_REGION= and ARCH= by hand))
endif

ARCH ?= arm64
JH_ARCH_DIR := $(JAILHOUSE_SDK)/$(ARCH)
ifeq ($(wildcard $(JH_ARCH_DIR)/libinmate.a),)
$(error inmate.mk: no $(ARCH) inmate library in $(JAILHOUSE_SDK) (installed: \
$(or $(notdir $(patsubst %/libinmate.a,%,$(wildcard $(JAILHOUSE_SDK)/*/libinmate.a))),none)))
endif
ifneq ($(JH_CELL_ARCH),)
ifneq ($(JH_CELL_ARCH),$(ARCH))
$(error inmate.mk: cell $(CELL) is $(JH_CELL_ARCH), but ARCH=$(ARCH))
endif
endif

ifeq ($(ARCH),arm64)
ifneq ($(shell uname -m),aarch64)
CROSS_COMPILE ?= aarch64-linux-gnu-
endif
endif
ifeq ($(ARCH),arm)
ifeq ($(filter armv7%,$(shell uname -m)),)
CROSS_COMPILE ?= arm-linux-gnueabihf-
endif
endif
CC := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy

include $(JH_ARCH_DIR)/flags.mk
include $(JAILHOUSE_SDK)/flags.mk

ifeq ($(API),jailhouse)
JH_API_INCLUDES := -I$(JH_ARCH_DIR)/compat -I$(JH_ARCH_DIR)/include
else ifeq ($(API),native)
JH_API_INCLUDES := -I$(JH_ARCH_DIR)/include
else
$(error inmate.mk: API=$(API): use native or jailhouse)
endif

ifeq ($(V),1)
JH_Q :=
else
JH_Q := @
endif

JH_CFLAGS := $(INMATE_CFLAGS) $(JH_API_INCLUDES) $(EXTRA_CFLAGS) -MMD -MP
JH_DEFS := $(call inmate_cell_defs,$(COMM_REGION),$(INMATE))
JH_OBJS := $(patsubst %,$(O)/%.o,$(basename $(SOURCES)))
JH_DEFAULTS := $(O)/.$(INMATE)-defaults.o
JH_ELF := $(O)/$(INMATE).elf
JH_BIN := $(O)/$(INMATE).bin
JH_LDFLAGS := $(call inmate_link_flags,$(JH_ARCH_DIR)/inmate.lds,$(INMATE_BASE),$(INMATE_SIZE),$\
	$(INMATE_CPUS))

.PHONY: all clean
all: $(JH_BIN)

$(O)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(JH_Q)$(CC) $(JH_CFLAGS) -c $< -o $@

$(O)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(JH_Q)$(CC) $(INMATE_ASFLAGS) $(JH_API_INCLUDES) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@

# The library's per-cell part: its comm region address.
$(JH_DEFAULTS): $(JH_ARCH_DIR)/defaults.c $(wildcard $(JH_CELL_MK))
	@echo "  CC      defaults.c (comm region $(COMM_REGION))"
	$(JH_Q)$(CC) $(INMATE_CFLAGS) -I$(JH_ARCH_DIR)/src -I$(JH_ARCH_DIR)/include $(JH_DEFS) \
		-c $< -o $@

$(JH_ELF): $(JH_OBJS) $(JH_DEFAULTS) $(JH_ARCH_DIR)/libinmate.a $(JH_ARCH_DIR)/inmate.lds \
		$(wildcard $(JH_CELL_MK))
	@echo "  LD      $@ (at $(INMATE_BASE))"
	$(JH_Q)$(CC) $(JH_LDFLAGS) -o $@ $(JH_OBJS) $(JH_DEFAULTS) \
		-Wl,--whole-archive $(JH_ARCH_DIR)/libinmate.a -Wl,--no-whole-archive

$(JH_BIN): $(JH_ELF)
	@echo "  OBJCOPY $@"
	$(JH_Q)$(OBJCOPY) -O binary $< $@

clean:
	rm -f $(JH_OBJS) $(JH_OBJS:.o=.d) $(JH_DEFAULTS) $(JH_ELF) $(JH_BIN) $(JH_CELL_MK)

-include $(JH_OBJS:.o=.d)
