# Upstream-shaped Jailhouse configurations (tests/configgen/jailhouse/jh-upstream.c, revision 14:
# zero root-cell signature, a 16-CPU root, permissive and ECAM windows, ivshmem demo + net links)
# imported by `configgen import` with the board and compiled with configgen: the system, the
# inmate-demo cell and configgen's root DTB that tests/system/import-upstream.sh boots (arm64).
# The Jailhouse blobs and imported sources stay out of $(BUILD)/configs (whose *.cell files the
# system tests install by name); only the compiled outputs, named jh-import-*, go there.
ifeq ($(ARCH),arm64)
JH_IMPORT_WORK := $(BUILD)/import-upstream
JH_IMPORT_OUT := $(BUILD)/configs/import-upstream
JH_IMPORT_SRC := $(JH_IMPORT_WORK)/src
JH_IMPORT_BOARD := dts/boards/qemu-arm64-virt.dts

configs: $(JH_IMPORT_OUT)/jh-import-system.cell $(JH_IMPORT_OUT)/jh-import-inmate-demo.cell

$(JH_IMPORT_WORK)/r14/system.cell: tests/configgen/jailhouse/jh-upstream.c tests/configgen/jailhouse/jh-format.h
	@mkdir -p $(JH_IMPORT_WORK)/r12 $(JH_IMPORT_WORK)/r13 $(JH_IMPORT_WORK)/r14
	gcc -Wall -Wextra -Werror -o $(JH_IMPORT_WORK)/jh-upstream $<
	$(JH_IMPORT_WORK)/jh-upstream $(JH_IMPORT_WORK) > /dev/null

# import writes its warnings (what it changed and why) to import.log
$(JH_IMPORT_SRC)/system.dts: $(JH_IMPORT_WORK)/r14/system.cell $(CONFIGGEN_INPUTS)
	rm -rf $(JH_IMPORT_SRC)
	$(CONFIGGEN) import $< $(JH_IMPORT_WORK)/r14/inmate-demo.cell --board $(JH_IMPORT_BOARD) \
		-o $(JH_IMPORT_SRC) 2> $(JH_IMPORT_WORK)/import.log || { cat $(JH_IMPORT_WORK)/import.log; exit 1; }

$(JH_IMPORT_OUT)/jh-import-system.cell: $(JH_IMPORT_SRC)/system.dts
	@mkdir -p $(dir $@)
	$(CONFIGGEN) compile $(CONFIGGEN_KCONFIG) $< -o $@ --root-dtb $(JH_IMPORT_OUT)/jh-import-root.dtb \
		--cells $(JH_IMPORT_SRC)/inmate-demo.dtso

$(JH_IMPORT_OUT)/jh-import-inmate-demo.cell: $(JH_IMPORT_OUT)/jh-import-system.cell
	$(CONFIGGEN) compile $(CONFIGGEN_KCONFIG) $(JH_IMPORT_SRC)/system.dts $(JH_IMPORT_SRC)/inmate-demo.dtso -o $@

# Inmates for the imported inmate-demo cell (64 KiB of RAM, like upstream's), built the way a
# Jailhouse user builds them: with the staged inmate SDK's inmate.mk, the cell blob giving the
# base, size, CPU count and comm region. Named jh-import-* so that the system tests install them
# next to the in-tree ones: our gic-demo and the Jailhouse-API jh-compat-demo.
JH_IMPORT_CELL := $(JH_IMPORT_OUT)/jh-import-inmate-demo.cell
JH_IMPORT_INMATE = +@PYTHONPATH=$(TOP) $(MAKE) --no-print-directory \
	-f $(BUILD)/sdk/lib/jailhouse/inmate/inmate.mk O=$(BUILD)/inmates/jh-import \
	CROSS_COMPILE=$(CROSS_COMPILE) CELL=$(JH_IMPORT_CELL) INMATE=jh-import-$(1) \
	SOURCES=inmates/demos/arm-common/$(1).c API=$(2) >/dev/null

.PHONY: jh-import-inmates
all: jh-import-inmates
jh-import-inmates: sdk $(JH_IMPORT_CELL)
	$(call JH_IMPORT_INMATE,gic-demo,native)
	$(call JH_IMPORT_INMATE,jh-compat-demo,jailhouse)
endif

# ARMv7 has no upstream cell to import, but the same proof that a program for Jailhouse's inmate
# library builds the way a Jailhouse user builds it and runs: the staged SDK's inmate.mk with the
# blob of the qemu-arm cell it runs in (tests/system/cells-arm.sh). Named sdk-* so that the
# system tests install them next to the in-tree ones: the native gic-demo for the gic-demo cell,
# the Jailhouse-API jh-compat-demo for the smp-demo cell.
ifeq ($(ARCH),arm)
JH_SDK_INMATE = +@PYTHONPATH=$(TOP) $(MAKE) --no-print-directory \
	-f $(BUILD)/sdk/lib/jailhouse/inmate/inmate.mk O=$(BUILD)/inmates/sdk-built \
	CROSS_COMPILE=$(CROSS_COMPILE) CELL=$(CONFIG_OUT)/$(1).cell INMATE=sdk-$(2) \
	SOURCES=inmates/demos/arm-common/$(2).c API=$(3) >/dev/null

.PHONY: sdk-inmates
all: sdk-inmates
sdk-inmates: sdk $(CONFIG_OUT)/gic-demo.cell $(CONFIG_OUT)/smp-demo.cell
	$(call JH_SDK_INMATE,gic-demo,gic-demo,native)
	$(call JH_SDK_INMATE,smp-demo,jh-compat-demo,jailhouse)
endif
