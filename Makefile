# Top-level build. `make` builds every part for ARCH (default arm64); `make help` lists targets.
# ARCH=x86 builds natively (CROSS_COMPILE empty) into build/x86/ with its own .config-x86;
# ARCH=arm (ARMv7, Debian armhf) cross-builds into build/arm/ with its own .config-arm.
ARCH ?= arm64
PYTHON := /usr/bin/python3
PREFIX ?= /usr
DESTDIR ?=

TOP := $(CURDIR)
CACHE ?= $(TOP)/.cache
ifeq ($(ARCH),x86)
CROSS_COMPILE :=
BUILD := $(TOP)/build/x86
KFLAVOUR := amd64
KROOT := $(CACHE)/root-amd64
KCONFIG_CONFIG ?= $(TOP)/.config-x86
# kbuild writes its objects beside the sources: x86 builds kmod/ in a tree of symlinks
# ($(KMOD_TREE)/kmod, with $(KMOD_TREE)/hv -> hv so the sources' "../hv/" includes resolve).
KMOD_TREE := $(BUILD)/kmod-tree
KMOD_DIR := $(KMOD_TREE)/kmod
else ifeq ($(ARCH),arm)
CROSS_COMPILE ?= arm-linux-gnueabihf-
BUILD := $(TOP)/build/arm
KFLAVOUR := armmp-lpae
KROOT := $(CACHE)/root-armhf
KCONFIG_CONFIG ?= $(TOP)/.config-arm
KMOD_TREE := $(BUILD)/kmod-tree
KMOD_DIR := $(KMOD_TREE)/kmod
else
CROSS_COMPILE ?= aarch64-linux-gnu-
BUILD := $(TOP)/build
KFLAVOUR := arm64
KROOT := $(CACHE)/root
KCONFIG_CONFIG ?= $(TOP)/.config
KMOD_DIR := $(TOP)/kmod
endif
KDIR ?= $(KROOT)/usr/src/linux-headers-$(KABI)-$(KFLAVOUR)
# Only for kconfiglib: kbuild reads a variable of the same name for the kernel's own .config.
KCONFIGLIB := KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(PYTHON) -m
export CACHE

CONFIG_HEADER := $(BUILD)/include/generated/config.h
DEFCONFIG := $(TOP)/hv/arch/$(ARCH)/defconfig
HV_IMAGE := $(BUILD)/hv/jailhouse.bin
MODULE := $(KMOD_DIR)/jailhouse.ko
CLI := $(BUILD)/tools/jailhouse
TARGET_CC := $(CROSS_COMPILE)gcc

.PHONY: all hv kmod tools hostlib guest-kernel configs inmates sdk deps defconfig olddefconfig savedefconfig menuconfig check \
	check-system check-fresh bench demo demo-linux install clean distclean help FORCE
# The hypervisor and the inmates join the default build once they have their Makefiles (x86: its
# hypervisor once hv/arch/x86/Makefile.objs exists, its configs once dts/qemu-x86 does, its
# inmates once the inmate library has an x86 part, inmates/lib/x86/lib.mk).
ifeq ($(ARCH),x86)
PARTS := $(if $(wildcard hv/arch/x86/Makefile.objs),hv) kmod tools hostlib \
	$(if $(wildcard dts/qemu-x86/system.dts),configs \
		$(if $(wildcard inmates/lib/x86/lib.mk),inmates))
else ifeq ($(ARCH),arm)
PARTS := $(if $(wildcard hv/arch/arm/Makefile.objs),hv) kmod tools hostlib guest-kernel \
	$(if $(wildcard dts/qemu-arm/system.dts),configs \
		$(if $(wildcard inmates/lib/arm/lib.mk),inmates))
else
PARTS := $(if $(wildcard hv/Makefile),hv) kmod tools hostlib configs $(if $(wildcard inmates/Makefile),inmates)
endif
all: $(PARTS) $(if $(filter inmates,$(PARTS)),sdk)

help:
	@echo "make [all]          build hypervisor, module and CLI for ARCH=$(ARCH) (arm64, arm or x86), the host validator library"
	@echo "make hostlib        only what configgen needs: the host validator library, the format module"
	@echo "make deps           install Debian packages, fetch the arm64, armhf (and amd64) kernels into $(CACHE)"
	@echo "make menuconfig     choose hypervisor features (also: defconfig olddefconfig savedefconfig)"
	@echo "make demo           boot QEMU and run the demo (ARCH=x86: the x86 demo)"
	@echo "make demo-linux     boot QEMU and run a second Linux in a cell (arm64)"
	@echo "make check          run every test; make check-system T=NAME runs one system test"
	@echo "make check-fresh    run make demo and make check in a new minimal Debian 12 root (root)"
	@echo "make bench          run the benchmarks in bench/ and print their figures"
	@echo "make install        install into DESTDIR/PREFIX (PREFIX=/usr; docs/install.md)"
	@echo "make sdk            stage the inmate SDK in build/sdk (out-of-tree projects against this tree)"
	@echo "make clean          remove build outputs (distclean: also .config and the cache)"

# --- dependencies -----------------------------------------------------------------------------
# Set-up comes first: every goal but these runs scripts/deps.sh before make reads a rule that
# needs python3, a compiler or the kernel headers. GNU make remakes an included makefile before
# anything else and reads itself anew when it changed; deps.mk changes only when the kernel ABI
# does, so a second run re-reads nothing. Nested makes (tests, check.sh) inherit the READY mark.
SETUP_FREE_GOALS := help clean distclean deps check-fresh
DEPS ?= $(TOP)/scripts/deps.sh
ifneq ($(filter-out $(SETUP_FREE_GOALS),$(or $(MAKECMDGOALS),all)),)
ifndef JAILHOUSE_DEPS_READY
include $(BUILD)/deps.mk
ifeq ($(MAKE_RESTARTS),)
$(BUILD)/deps.mk: FORCE
	@$(DEPS)
	@mkdir -p $(dir $@)
	@echo "KABI := $$(cat $(CACHE)/KABI)" > $@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
endif
endif
endif
export JAILHOUSE_DEPS_READY := 1
KABI ?= $(shell cat $(CACHE)/KABI 2>/dev/null)

deps:
	@$(DEPS)

# --- Kconfig ----------------------------------------------------------------------------------
defconfig:
	@$(KCONFIGLIB) defconfig --kconfig Kconfig $(DEFCONFIG)

olddefconfig:
	@$(KCONFIGLIB) olddefconfig Kconfig

savedefconfig:
	@$(KCONFIGLIB) savedefconfig --kconfig Kconfig --out $(TOP)/defconfig
	@echo "wrote defconfig (copy it to $(DEFCONFIG) to make it the default)"

menuconfig:
	@$(KCONFIGLIB) menuconfig Kconfig

$(KCONFIG_CONFIG):
	@$(KCONFIGLIB) defconfig --kconfig Kconfig $(DEFCONFIG)

$(CONFIG_HEADER): $(KCONFIG_CONFIG) Kconfig $(wildcard hv/arch/*/Kconfig)
	@mkdir -p $(dir $@)
	@$(KCONFIGLIB) olddefconfig Kconfig >/dev/null
	@$(KCONFIGLIB) genconfig --header-path $@ Kconfig

# --- parts ------------------------------------------------------------------------------------

# Test variants of the hypervisor: the configured one with one option changed, booted by the
# system tests that show what a build without that option does (e.g. cell-requests.sh).
HV_VARIANTS := no-exit-stats
hv: $(CONFIG_HEADER) $(HV_VARIANTS:%=$(BUILD)/variants/%/include/generated/config.h)
	@$(MAKE) -C hv O=$(BUILD)/hv ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE) \
		CONFIG_INCLUDE=$(BUILD)/include
	@for v in $(HV_VARIANTS); do \
		$(MAKE) -C hv O=$(BUILD)/variants/$$v/hv ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE) \
			CONFIG_INCLUDE=$(BUILD)/variants/$$v/include || exit 1; \
	done
$(BUILD)/variants/no-exit-stats/include/generated/config.h: $(CONFIG_HEADER)
	@mkdir -p $(dir $@)
	grep -v '^#define CONFIG_EXIT_STATS ' $< > $@

# (the tree of symlinks is made even under make -n, '+': the kbuild run below, which make -n runs
# too, needs it)
kmod: $(CONFIG_HEADER)
ifdef KMOD_TREE
	+@mkdir -p $(KMOD_DIR)
	+@ln -sfn $(TOP)/hv $(KMOD_TREE)/hv
	+@cd kmod && find . \( -name '*.[chS]' -o -name Kbuild \) ! -name '*.mod.c' | \
		while read -r f; do mkdir -p $(KMOD_DIR)/$${f%/*} && ln -sf $(TOP)/kmod/$$f $(KMOD_DIR)/$$f; done
	+@find $(KMOD_DIR) -xtype l -delete
endif
	@$(MAKE) -C $(KDIR) M=$(KMOD_DIR) ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE) \
		CONFIG_INCLUDE=$(BUILD)/include modules

# ARMv7: the system tests' kernel, Debian's zImage unwrapped into a uImage (the same kernel
# proper; QEMU skips the XZ decompressor, ~10 s per boot under TCG). It is loaded at the virt
# board's RAM base plus the TEXT_OFFSET the headers and the kernel's config give.
GUEST_KERNEL := $(BUILD)/linux/uImage
GUEST_ZIMAGE := $(KROOT)/boot/vmlinuz-$(KABI)-$(KFLAVOUR)
VIRT_RAM_BASE := 0x40000000
guest-kernel: $(GUEST_KERNEL)
$(GUEST_KERNEL): $(GUEST_ZIMAGE) scripts/unwrap-zimage.py
	@$(PYTHON) scripts/unwrap-zimage.py $< $(KROOT)/boot/config-$(KABI)-$(KFLAVOUR) \
		$(KROOT)/usr/src/linux-headers-$(KABI)-common/arch/arm/Makefile $(VIRT_RAM_BASE) $@

# Guest-side test tools, put into every system test's initramfs.
TEST_TOOLS := $(BUILD)/tests/bin/jh-ioctl
# the link character device's abuse test (tests/system/hostile-ivshmem.sh), once it exists
TEST_TOOLS += $(if $(wildcard tests/guest/ivshmem-abuse.c),$(BUILD)/tests/bin/ivshmem-abuse)
# ARMv7: a static kexec loader (tests/system/kexec-arm.sh), with the CLI's DTB editor
ifeq ($(ARCH),arm)
TEST_TOOLS += $(BUILD)/tests/bin/kexec-load
endif
# The root-side echo tool for inter-cell links (tools/ivshmem-echo, docs/ivshmem.md).
# (joins the build once its sources exist)
IVSHMEM_ECHO := $(if $(wildcard tools/ivshmem-echo/*.c),$(BUILD)/tools/ivshmem-echo)
tools: $(CLI) $(IVSHMEM_ECHO) $(TEST_TOOLS)

$(BUILD)/tools/ivshmem-echo: $(wildcard tools/ivshmem-echo/*.c tools/ivshmem-echo/*.h) kmod/ivshmem/ivshmem_ioctl.h \
		hv/include/ivshmem.h hv/include/ivshmem_echo.h hv/include/config_format.h
	@mkdir -p $(dir $@)
	$(TARGET_CC) -static -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -I$(TOP)/kmod \
		-I$(TOP)/hv/include -o $@ $(filter %.c,$^)

KEXEC_LOAD_SRC := tests/guest/kexec-load.c tools/fdt_edit.c tools/fdt_parse.c tools/fdt_memory.c
$(BUILD)/tests/bin/kexec-load: $(KEXEC_LOAD_SRC) tools/fdt_edit.h tools/fdt_parse.h
	@mkdir -p $(dir $@)
	$(TARGET_CC) -static -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -I$(TOP)/tools \
		-o $@ $(KEXEC_LOAD_SRC)

$(BUILD)/tests/bin/%: tests/guest/%.c kmod/jailhouse_ioctl.h $(wildcard kmod/ivshmem/ivshmem_ioctl.h) \
		hv/include/ivshmem.h
	@mkdir -p $(dir $@)
	$(TARGET_CC) -static -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -I$(TOP)/kmod \
		-I$(TOP)/hv/include -o $@ $<

# The hypervisor's config validator for the host (configgen/validator.py loads it with ctypes and
# runs it on every blob configgen writes or reads): the same C the hypervisor and driver run.
HOST_CC ?= gcc
# It checks the blobs of every architecture (by the blob header's arch): the arm validator as is
# (with the arm64 or, tools/libhvcfg/limits_arm32.c, the ARMv7 limits), the x86 one in its own
# namespace (tools/libhvcfg/check_x86.c). Host outputs: build/host for every ARCH.
HVCFG_LIB := $(TOP)/build/host/libhvcfg.so
HVCFG_LIB_SRC := tools/libhvcfg/hvcfg.c hv/core/config_check.c hv/core/config_cross.c hv/core/sha256.c \
	hv/arch/arm-common/config_check_arm.c tools/libhvcfg/check_x86.c tools/libhvcfg/limits_arm32.c
# configgen's view of the binary format (configgen/abi.py loads it; found like libhvcfg.so):
# generated from the header by compiling it, so config_format.h stays its only definition.
HVCFG_ABI := $(TOP)/build/host/hvcfg_abi.py
hostlib: $(HVCFG_LIB) $(HVCFG_ABI)
$(HVCFG_LIB): $(HVCFG_LIB_SRC) hv/core/config_ivshmem.c hv/core/config_results.c $(wildcard hv/include/*.h hv/arch/*/include/asm/cfg_limits.h \
		hv/arch/arm-common/include/asm/*.h hv/arch/x86/include/asm/*.h hv/arch/x86/*.c)
	@mkdir -p $(dir $@)
	$(HOST_CC) -shared -fPIC -fvisibility=hidden -O2 -g -std=gnu11 -Wall -Wextra -Werror \
		-I$(TOP)/hv/include -o $@.tmp $(HVCFG_LIB_SRC) && mv $@.tmp $@

$(HVCFG_ABI): scripts/gen-abi.py hv/include/config_format.h hv/include/abi_types.h \
		hv/include/config_arch_arm.h hv/include/config_arch_x86.h hv/include/ivshmem.h \
		hv/arch/arm64/include/asm/cfg_limits.h hv/arch/arm/include/asm/cfg_limits.h
	@mkdir -p $(dir $@)
	$(PYTHON) scripts/gen-abi.py --cc $(HOST_CC) -o $@

# Device-tree partitioning of the board: system blob, root DTB, one blob per cell overlay, checked
# per cell set (dts/$(BOARD)/sets: the cells that run together; mk/configs.mk, the rules
# out-of-tree projects share through mk/project.mk).
BOARD ?= qemu-$(ARCH)
CONFIGGEN := $(PYTHON) -m configgen
CONFIG_OUT := $(BUILD)/configs/$(BOARD)
CONFIGGEN_INPUTS := $(shell find dts configgen docs/bindings -name '*.dts*' -o -name '*.py' \
	-o -name '*.yaml' -o -name '*.h' -o -name sets 2>/dev/null) $(KCONFIG_CONFIG) $(HVCFG_LIB) $(HVCFG_ABI)
CONFIGGEN_KCONFIG := --kconfig $(KCONFIG_CONFIG)
JH_BOARD_DIR := dts/$(BOARD)
JH_CONFIG_OUT := $(CONFIG_OUT)
JH_CONFIGGEN := $(CONFIGGEN)
JH_CONFIGGEN_FLAGS := $(CONFIGGEN_KCONFIG)
JH_CONFIG_ARCH := $(ARCH)
JH_CONFIG_DEPS := $(CONFIGGEN_INPUTS)
include mk/configs.mk
CELL_BLOBS := $(JH_CELL_BLOBS)
CELL_MAKE_VARS := $(CELL_BLOBS:.cell=.mk)

configs: $(JH_CONFIG_FILES) $(CELL_MAKE_VARS)

# upstream-shaped Jailhouse configs imported and compiled (tests/system/import-upstream.sh)
include mk/import-upstream.mk

ifeq ($(ARCH),arm64)

# The root DTB with the RTC left on: the root drives the PL031 until a cell takes it, and gets
# it back (tests/system/irq-handover.sh).
configs: $(CONFIG_OUT)/root-drives-rtc.dtb
$(CONFIG_OUT)/root-drives-rtc.dtb: $(CONFIG_OUT)/system.cell
	cp $(CONFIG_OUT)/root.dtb $@.tmp
	fdtput -t s $@.tmp /pl031@9010000 status okay
	mv $@.tmp $@

# A root DTB (as an older configgen made it) that reserves smp-demo's RAM but not the whole
# cell pool: Linux uses gic-demo's RAM, so creating gic-demo must be refused
# (tests/system/cell-requests.sh).
configs: $(CONFIG_OUT)/root-unreserved.dtb
$(CONFIG_OUT)/root-unreserved.dtb: $(CONFIG_OUT)/system.cell
	cp $(CONFIG_OUT)/root.dtb $@.tmp
	fdtput -t x $@.tmp /reserved-memory/cell-pool@68000000 reg 0 0x78000000 0 0x4000000
	fdtput -c $@.tmp /reserved-memory/cell-shared@7f700000
	fdtput -t x $@.tmp /reserved-memory/cell-shared@7f700000 reg 0 0x7f700000 0 0x100000
	fdtput -t s $@.tmp /reserved-memory/cell-shared@7f700000 no-map ""
	mv $@.tmp $@

# A system generated from the snapshot of a live QEMU guest (configgen create) and a guest DT,
# both booted by system tests.
LIVE_OUT := $(BUILD)/configs/live
SNAPSHOT := tests/configgen/fixtures/qemu-arm64-snapshot
configs: $(LIVE_OUT)/create-system.cell $(LIVE_OUT)/guest-linux.dtb

$(LIVE_OUT)/create-system.cell: $(CONFIGGEN_INPUTS) $(shell find $(SNAPSHOT) -type f 2>/dev/null)
	@mkdir -p $(dir $@)
	$(CONFIGGEN) create --root $(SNAPSHOT) --gic-lines 288 --cell-size 376M -o $(LIVE_OUT)/create-system.dts
	$(CONFIGGEN) compile $(LIVE_OUT)/create-system.dts -o $@ --root-dtb $(LIVE_OUT)/create-root.dtb

GUEST_LINUX := tests/configgen/fixtures/guest-linux
$(LIVE_OUT)/guest-linux.dtb: $(CONFIGGEN_INPUTS) $(GUEST_LINUX).dtso $(GUEST_LINUX)-system.dts
	@mkdir -p $(dir $@)
	$(CONFIGGEN) guest-dt $(GUEST_LINUX)-system.dts $(GUEST_LINUX).dtso -o $@

else ifeq ($(ARCH),x86)

# A system generated from the x86 snapshot fixture (configgen create), its memory plan the
# hand-written one's (hypervisor 16 MiB at 0x3a000000, the 64 MiB cell pool above it), and the
# root's memmap= reservations; booted by tests/system/configgen-create-x86.sh, which also
# compares the fixture with the test machine.
LIVE_OUT := $(BUILD)/configs/live
SNAPSHOT := tests/configgen/fixtures/qemu-x86-snapshot
configs: $(LIVE_OUT)/create-system.cell

# (the PCI functions' sysfs names have colons: escaped for make)
$(LIVE_OUT)/create-system.cell: $(CONFIGGEN_INPUTS) \
		$(subst :,\:,$(shell find $(SNAPSHOT) -type f 2>/dev/null))
	@mkdir -p $(dir $@)
	$(CONFIGGEN) create --arch x86 --root $(SNAPSHOT) --hypervisor-address 0x3a000000 \
		--hypervisor-size 16M --cell-size 64M -o $(LIVE_OUT)/create-system.dts
	$(CONFIGGEN) compile $(CONFIGGEN_KCONFIG) $(LIVE_OUT)/create-system.dts -o $@ \
		--root-cmdline $(LIVE_OUT)/create-root.cmdline

endif

# Link addresses of the inmates, read back from the compiled cells.
$(CONFIG_OUT)/%.mk: $(CONFIG_OUT)/%.cell scripts/cell-make-vars.py
	@$(PYTHON) scripts/cell-make-vars.py $< > $@.tmp && mv $@.tmp $@

inmates: $(CONFIG_HEADER) configs
	@$(MAKE) -C inmates O=$(BUILD)/inmates ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE) \
		CONFIG_INCLUDE=$(BUILD)/include CONFIGS=$(CONFIG_OUT)

# The inmate SDK (inmates/sdk/inmate.mk: headers, libinmate.a, linker script), installed by
# `install` and staged in $(BUILD)/sdk for out-of-tree projects built against this tree
# (mk/project.mk).
SDK_MAKE = $(MAKE) -C inmates install-sdk O=$(BUILD)/inmates ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE) \
	CONFIG_INCLUDE=$(BUILD)/include
SDK_INSTALL = $(if $(filter inmates,$(PARTS)),$(SDK_MAKE) DESTDIR=$(DESTDIR) PREFIX=$(PREFIX))
sdk: inmates
	+@$(SDK_MAKE) DESTDIR=$(BUILD)/sdk PREFIX= >/dev/null

$(CLI): $(wildcard tools/*.c tools/*.h kmod/*.h hv/include/*.h hv/arch/arm-common/*.c hv/arch/x86/*.c) \
		hv/arch/$(ARCH)/include/asm/exit_reasons.h $(CONFIG_HEADER)
	@mkdir -p $(dir $@)
	$(TARGET_CC) -static -O2 -Wall -Wextra -Werror -std=gnu11 -I$(TOP)/kmod -I$(TOP)/hv/include \
		-I$(TOP)/hv/arch/$(ARCH)/include -I$(BUILD)/include -o $@ $(filter tools/%.c,$^)

# --- tests and demo ---------------------------------------------------------------------------
check:
	@$(TOP)/tests/check.sh

check-fresh:
	@$(TOP)/tests/fresh-machine.sh

check-system: all
	@$(PYTHON) $(TOP)/tests/run-system.py $(if $(T),$(T))

# Every bench/ script prints its figures.
bench: all
	@for b in bench/*; do [ -f "$$b" ] && [ -x "$$b" ] && { echo "== $$b"; "$$b" || exit 1; }; done; true

# The arch's demo script: tests/system/demo.sh (arm64), demo-x86.sh (x86), demo-arm.sh (ARMv7).
DEMO := demo$(if $(filter-out arm64,$(ARCH)),-$(ARCH))
demo: all
	@test -f tests/system/$(DEMO).sh || { echo "no demo for ARCH=$(ARCH) (tests/system/$(DEMO).sh)" >&2; exit 2; }
	@$(PYTHON) $(TOP)/tests/run-system.py --demo $(DEMO)

# A second Linux (Debian's arm64 kernel) in the cell linux-demo, its console shown live beside
# the root's (tests/system/demo-linux.sh, docs/linux-cell.md).
demo-linux: all
	@test "$(ARCH)" = arm64 || { echo "demo-linux: arm64 only" >&2; exit 2; }
	@$(PYTHON) $(TOP)/tests/run-system.py --demo demo-linux

# --- install ----------------------------------------------------------------------------------
# What goes where: docs/install.md. Firmware, modules and /etc/jailhouse are where Linux and the
# jailhouse tool look, whatever PREFIX; DESTDIR stages the whole tree (packaging, tests).
SYSCONFDIR ?= /etc
JH_ETC := $(SYSCONFDIR)/jailhouse
JH_SHARE := $(PREFIX)/share/jailhouse
JH_LIB := $(PREFIX)/lib/jailhouse
KVER := $(KABI)-$(KFLAVOUR)
DEPMOD ?= depmod
# the cell images: the demos of the arch's inmate library (its tests stay in the build)
INMATE_DEMOS := $(if $(filter inmates,$(PARTS)),$(shell sed -n 's/^DEMOS *:= *//p' inmates/lib/$(ARCH)/lib.mk))
# Installed man pages and completion name the installed places.
INSTALL_PATHS := sed -e 's|/etc/jailhouse|$(JH_ETC)|g' -e 's|/usr/share/jailhouse|$(JH_SHARE)|g' \
	-e 's|PREFIX/share/jailhouse|$(JH_SHARE)|g' -e 's|PREFIX/lib/jailhouse|$(JH_LIB)|g'

install: all
	$(if $(filter hv,$(PARTS)),install -D -m 0644 $(HV_IMAGE) $(DESTDIR)/lib/firmware/jailhouse.bin)
	install -D -m 0644 $(MODULE) $(DESTDIR)/lib/modules/$(KVER)/extra/jailhouse.ko
	install -D -m 0755 $(CLI) $(DESTDIR)$(PREFIX)/sbin/jailhouse
	$(if $(wildcard kmod/ivshmem),install -D -m 0644 $(KMOD_DIR)/jailhouse_ivshmem.ko \
		$(DESTDIR)/lib/modules/$(KVER)/extra/jailhouse_ivshmem.ko)
	$(if $(IVSHMEM_ECHO),install -D -m 0755 $(IVSHMEM_ECHO) $(DESTDIR)$(PREFIX)/sbin/ivshmem-echo)
	$(if $(wildcard docs/man/ivshmem-echo.8),install -D -m 0644 docs/man/ivshmem-echo.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/ivshmem-echo.8)
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/man/man8
	$(INSTALL_PATHS) tools/completion/jailhouse.bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/jailhouse
	$(INSTALL_PATHS) docs/man/jailhouse.8 > $(DESTDIR)$(PREFIX)/share/man/man8/jailhouse.8
	$(if $(filter configs,$(PARTS)),install -d $(DESTDIR)$(JH_ETC) && \
		install -m 0644 $(JH_CONFIG_FILES) $(DESTDIR)$(JH_ETC)/)
	$(if $(INMATE_DEMOS),install -d $(DESTDIR)$(JH_SHARE)/inmates && \
		install -m 0644 $(INMATE_DEMOS:%=$(BUILD)/inmates/%.bin) $(DESTDIR)$(JH_SHARE)/inmates/)
	+$(if $(SDK_INSTALL),$(SDK_INSTALL))
ifneq ($(wildcard configgen/__main__.py),)
	rm -rf $(DESTDIR)$(JH_LIB)/configgen
	install -d $(DESTDIR)$(JH_LIB)
	cp -r configgen $(DESTDIR)$(JH_LIB)/
	install -m 0644 $(HVCFG_LIB) $(DESTDIR)$(JH_LIB)/configgen/libhvcfg.so
	install -m 0644 $(HVCFG_ABI) $(DESTDIR)$(JH_LIB)/configgen/hvcfg_abi.py
	install -d $(DESTDIR)$(JH_LIB)/docs $(DESTDIR)$(JH_LIB)/dts
	cp -r docs/bindings $(DESTDIR)$(JH_LIB)/docs/
	cp -r dts/include $(DESTDIR)$(JH_LIB)/dts/
	find $(DESTDIR)$(JH_LIB) -name __pycache__ -prune -exec rm -rf {} +
	install -m 0644 $(KCONFIG_CONFIG) $(DESTDIR)$(JH_LIB)/jailhouse.config
	install -D -m 0755 scripts/configgen.sh $(DESTDIR)$(PREFIX)/bin/configgen
	$(INSTALL_PATHS) tools/completion/configgen.bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/configgen
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	$(INSTALL_PATHS) docs/man/configgen.1 > $(DESTDIR)$(PREFIX)/share/man/man1/configgen.1
	install -d $(DESTDIR)$(JH_SHARE)
	install -m 0644 mk/project.mk mk/configs.mk $(DESTDIR)$(JH_SHARE)/
	install -d $(DESTDIR)$(JH_SHARE)/boards
	install -m 0644 $(wildcard dts/boards/*.dts) $(DESTDIR)$(JH_SHARE)/boards/
	printf '# written by make install: the architecture this installation is for\nJH_ARCH := %s\n' \
		$(ARCH) > $(DESTDIR)$(JH_SHARE)/installed.mk
endif
	@DEPMOD=$(DEPMOD) $(TOP)/scripts/install-depmod.sh "$(DESTDIR)" $(KVER)

clean:
	rm -rf $(BUILD)
	-[ -d $(KDIR) ] && [ -d $(KMOD_DIR) ] && $(MAKE) -C $(KDIR) M=$(KMOD_DIR) ARCH=$(ARCH) clean >/dev/null
	rm -f $(MODULE) $(KMOD_DIR)/jailhouse_ivshmem.ko

distclean: clean
	rm -rf $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old $(TOP)/defconfig $(CACHE)
	rm -rf $(TOP)/.config-x86 $(TOP)/.config-x86.old $(TOP)/.config-arm $(TOP)/.config-arm.old
