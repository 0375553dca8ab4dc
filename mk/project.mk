# An out-of-tree project: a board, a system, any number of cell sets and one's own inmates in a
# directory of one's own, built with the installed tools (docs/install.md, "Projects"). The
# project's Makefile:
#
#     INMATES := hello                    # inmates to build (none: configs only)
#     hello_CELL := my-cell               # the cell it runs in (default: its own name)
#     include /usr/share/jailhouse/project.mk
#
# Optional: NAME_SOURCES (default NAME.c), NAME_API (native, or jailhouse for Jailhouse's
# inmate API), CONFIG_DIR (system.dts, sets and the cells' .dtso; default .), O (output
# directory; default build), ARCH (default: the installation's), CROSS_COMPILE.
# Outputs: $(O)/system.cell, root.dtb (x86: root.cmdline), CELL.cell, CELL.dtb (arm64 guest DT),
# $(O)/inmates/NAME.bin. Targets: all (default), configs, inmates, check (every set, one line
# each), install (DESTDIR=ROOT: configs to /etc/jailhouse, inmates to
# /usr/share/jailhouse/inmates of the target root), clean.
#
# The same file works from a source tree (include TREE/mk/project.mk, after `make` in TREE):
# then configgen, the .config and the inmate SDK are the tree's.

JH_HOME := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

.PHONY: all configs inmates check install clean
all: configs inmates

ifneq ($(wildcard $(JH_HOME)/../configgen/__main__.py),)
# the source tree: mk/ beside configgen/
JH_TREE := $(abspath $(JH_HOME)/..)
ARCH ?= arm64
JH_TREE_BUILD := $(JH_TREE)/build$(if $(filter x86,$(ARCH)),/x86)
export PYTHONPATH := $(JH_TREE)$(if $(PYTHONPATH),:$(PYTHONPATH))
JH_CONFIGGEN := /usr/bin/python3 -m configgen
JH_CONFIGGEN_FLAGS := --kconfig $(JH_TREE)/.config$(if $(filter x86,$(ARCH)),-x86)
JH_SDK := $(JH_TREE_BUILD)/sdk/lib/jailhouse/inmate
JH_CONFIG_DEPS := $(wildcard $(JH_TREE)/.config$(if $(filter x86,$(ARCH)),-x86))
JH_MISSING := $(if $(wildcard $(JH_TREE)/build/host/libhvcfg.so),,the tree's configgen library \
	(run make in $(JH_TREE)))
else
# installed: PREFIX/share/jailhouse, with installed.mk (the architecture) beside this file
JH_PREFIX := $(abspath $(JH_HOME)/../..)
include $(JH_HOME)/installed.mk
ARCH ?= $(JH_ARCH)
JH_CONFIGGEN := $(JH_PREFIX)/bin/configgen
JH_CONFIGGEN_FLAGS :=
JH_SDK := $(JH_PREFIX)/lib/jailhouse/inmate
JH_CONFIG_DEPS := $(wildcard $(JH_PREFIX)/lib/jailhouse/jailhouse.config)
JH_MISSING := $(if $(wildcard $(JH_CONFIGGEN)),,configgen ($(JH_CONFIGGEN)))
endif
ifneq ($(JH_MISSING),)
$(error project.mk: error: no $(JH_MISSING))
endif

CONFIG_DIR ?= .
O ?= build
ifeq ($(wildcard $(CONFIG_DIR)/system.dts),)
$(error project.mk: error: no system.dts in $(abspath $(CONFIG_DIR)) (set CONFIG_DIR to the directory \
with system.dts, sets and the cells' .dtso))
endif

JH_BOARD_DIR := $(abspath $(CONFIG_DIR))
JH_CONFIG_OUT := $(abspath $(O))
JH_CONFIG_ARCH := $(ARCH)
include $(JH_HOME)/configs.mk

configs: $(JH_CONFIG_FILES)

check:
	$(JH_CONFIGGEN) check $(JH_CONFIGGEN_FLAGS) $(JH_BOARD_DIR)/system.dts \
		$(if $(JH_SETS_FILE),--sets $(JH_SETS_FILE),$(JH_CELL_SOURCES))

# --- inmates: each built by the SDK's inmate.mk at the addresses of its cell's blob -------------
JH_INMATE_OUT := $(JH_CONFIG_OUT)/inmates
jh_cell_of = $(or $($(1)_CELL),$(1))
jh_sources_of = $(or $($(1)_SOURCES),$(1).c)

define jh_inmate_rule
.PHONY: inmate-$(1)
inmates: inmate-$(1)
inmate-$(1): $(JH_CONFIG_OUT)/$(call jh_cell_of,$(1)).cell
	@test -f $(JH_SDK)/inmate.mk || { echo "project.mk: error: no inmate SDK in $(JH_SDK)$(if $(JH_TREE), \
		(run make$(if $(filter x86,$(ARCH)), ARCH=x86) in $(JH_TREE)))" >&2; exit 2; }
	$$(MAKE) -f $(JH_SDK)/inmate.mk INMATE=$(1) SOURCES="$(call jh_sources_of,$(1))" \
		CELL=$(JH_CONFIG_OUT)/$(call jh_cell_of,$(1)).cell O=$(JH_INMATE_OUT) ARCH=$(ARCH) \
		API=$(or $($(1)_API),native) $(if $(CROSS_COMPILE),CROSS_COMPILE=$(CROSS_COMPILE))
endef
$(foreach i,$(INMATES),$(if $(filter $(call jh_cell_of,$(i)),$(JH_CELLS)),,$(error project.mk: error: \
	inmate $(i) runs in cell $(call jh_cell_of,$(i)), but $(JH_BOARD_DIR) has no \
	$(call jh_cell_of,$(i)).dtso (set $(i)_CELL))))
$(foreach i,$(INMATES),$(eval $(call jh_inmate_rule,$(i))))

# --- install into a target root ------------------------------------------------------------------
install: all
	install -d $(DESTDIR)/etc/jailhouse
	install -m 0644 $(JH_CONFIG_FILES) $(DESTDIR)/etc/jailhouse/
	$(if $(INMATES),install -d $(DESTDIR)/usr/share/jailhouse/inmates && \
		install -m 0644 $(INMATES:%=$(JH_INMATE_OUT)/%.bin) $(DESTDIR)/usr/share/jailhouse/inmates/)

clean:
	rm -f $(JH_CONFIG_FILES)
	rm -rf $(JH_INMATE_OUT)
