# The configurations of one board directory: the rules the top-level Makefile (dts/$(BOARD)/)
# and out-of-tree projects (mk/project.mk, installed as $(PREFIX)/share/jailhouse/) share.
#
# A board directory holds system.dts, the cells (*.dtso) and `sets`, the groups of cells that
# run together (configgen/sets.py, docs/configgen.md "Cell sets"). Without a sets file all its
# cells are one set.
#
# Set before including:
#   JH_BOARD_DIR        the board directory
#   JH_CONFIG_OUT       where the outputs go
#   JH_CONFIGGEN        the configgen command
#   JH_CONFIGGEN_FLAGS  options of every configgen run (--kconfig FILE ...), may be empty
#   JH_CONFIG_ARCH      arm64 (root DTB, a guest DTB per cell) or x86 (root kernel parameters)
#   JH_CONFIG_DEPS      further prerequisites of every output (configgen's own files), may be empty
# Defines:
#   JH_SYSTEM_BLOB JH_ROOT_OUTPUT JH_CELLS JH_CELL_BLOBS JH_CELL_DTBS, and JH_CONFIG_FILES: all
#   of them, what `configs` builds and `install` installs.
#
# The system compile checks every set on its own and reserves (root DTB no-map nodes, x86
# memmap=) the memory of the cells of all sets; each cell blob (and guest DTB) is compiled with
# the cells of each set it is in.

# make splits file names at blanks: a path with one cannot be a target or prerequisite
ifneq ($(words $(JH_BOARD_DIR) $(JH_CONFIG_OUT)),2)
$(error configs.mk: error: "$(JH_BOARD_DIR)" or "$(JH_CONFIG_OUT)" has a space in its path, which make \
cannot handle: move the board directory (and the output, O=) to a path without spaces)
endif
JH_SETS_FILE := $(wildcard $(JH_BOARD_DIR)/sets)
JH_CELL_SOURCES := $(sort $(wildcard $(JH_BOARD_DIR)/*.dtso))
JH_CELLS := $(patsubst $(JH_BOARD_DIR)/%.dtso,%,$(JH_CELL_SOURCES))
# (a cell's outputs are named after its file: system.dtso or root.dtso would be the system's)
ifneq ($(filter system root,$(JH_CELLS)),)
$(error configs.mk: error: $(JH_BOARD_DIR): a cell may not be named $(filter system root,$(JH_CELLS)).dtso (its blob or DT \
would be the system's $(if $(filter system,$(JH_CELLS)),system.cell,root.dtb)): rename the file)
endif
JH_SYSTEM_BLOB := $(JH_CONFIG_OUT)/system.cell
JH_CELL_BLOBS := $(JH_CELLS:%=$(JH_CONFIG_OUT)/%.cell)
ifeq ($(JH_CONFIG_ARCH),x86)
JH_ROOT_OUTPUT := $(JH_CONFIG_OUT)/root.cmdline
JH_ROOT_OPTION := --root-cmdline $(JH_ROOT_OUTPUT)
JH_CELL_DTBS :=
else
JH_ROOT_OUTPUT := $(JH_CONFIG_OUT)/root.dtb
JH_ROOT_OPTION := --root-dtb $(JH_ROOT_OUTPUT)
JH_CELL_DTBS := $(JH_CELL_BLOBS:.cell=.dtb)
endif
JH_SETS_OPTION := $(if $(JH_SETS_FILE),--sets $(JH_SETS_FILE),$(if $(JH_CELL_SOURCES),--cells $(JH_CELL_SOURCES)))
JH_CONFIG_FILES := $(JH_SYSTEM_BLOB) $(JH_ROOT_OUTPUT) $(JH_CELL_BLOBS) $(JH_CELL_DTBS)
JH_BOARD_INPUTS := $(wildcard $(JH_BOARD_DIR)/*.dts $(JH_BOARD_DIR)/*.dtsi $(JH_BOARD_DIR)/*.h) \
	$(JH_CELL_SOURCES) $(JH_SETS_FILE)

# (one run writes both: a grouped target, so a missing root DTB is made again too)
$(JH_SYSTEM_BLOB) $(JH_ROOT_OUTPUT) &: $(JH_BOARD_INPUTS) $(JH_CONFIG_DEPS)
	@mkdir -p $(dir $(JH_SYSTEM_BLOB))
	$(JH_CONFIGGEN) compile $(JH_CONFIGGEN_FLAGS) $(JH_BOARD_DIR)/system.dts -o $(JH_SYSTEM_BLOB) \
		$(JH_ROOT_OPTION) $(JH_SETS_OPTION)

$(JH_CONFIG_OUT)/%.cell: $(JH_BOARD_DIR)/%.dtso $(JH_SYSTEM_BLOB)
	$(JH_CONFIGGEN) compile $(JH_CONFIGGEN_FLAGS) $(JH_BOARD_DIR)/system.dts $< -o $@ $(JH_SETS_OPTION)

# The device tree of each cell's guest, installed next to its blob: `jailhouse cell linux
# CELL.cell` takes CELL.dtb by default (every arm64 cell gets one: cheap, and any cell may boot
# Linux).
ifneq ($(JH_CONFIG_ARCH),x86)
$(JH_CONFIG_OUT)/%.dtb: $(JH_BOARD_DIR)/%.dtso $(JH_CONFIG_OUT)/%.cell
	$(JH_CONFIGGEN) guest-dt $(JH_CONFIGGEN_FLAGS) $(JH_BOARD_DIR)/system.dts $< -o $@ $(JH_SETS_OPTION)
endif
