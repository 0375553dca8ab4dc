"""Validation rules: pure functions from the model to diagnostics.

RULES lists every rule id configgen can report, with its severity and a one-line summary;
docs/config-format.md and the tests (one bad sample per rule) are built around it.
"""
from __future__ import annotations

from configgen.diag import Diagnostic
from configgen.kconfig import Limits
from configgen.model import System
from configgen.rules import cpus, devices, irqs, links, memory, names, pci, platform, pool, ports

RULES: dict[str, tuple[str, str]] = {
    # source and schema
    "dts-syntax": ("error", "cpp or dtc rejects the source"),
    "ref-unresolved": ("error", "a reference names a label or node the system does not define"),
    "overlay-structure": ("error", "a cell overlay must add exactly one node to &hypervisor and nothing else"),
    "binding-unknown-node": ("error", "a node in the hypervisor's namespace matches no binding"),
    "binding-unknown-property": ("error", "a property the node's binding does not define"),
    "binding-type": ("error", "a property value of the wrong type"),
    "binding-required": ("error", "a required property or node is missing"),
    "binding-exclusive": ("error", "two properties given that exclude each other"),
    "platform-gic": ("error", "the board's GICv3 description is missing or unusable"),
    "console-unsupported": ("error", "a console that is not a PL011 UART"),
    "console-window": ("error", "a console UART not page aligned and sized, or the debug console beyond EL2's "
                                "address space"),
    "console-unmapped": ("error", "a cell's console UART that the cell does not map"),
    # names and limits
    "name-invalid": ("error", "cell name empty, longer than 31 bytes or not printable ASCII"),
    "name-duplicate": ("error", "two cells with the same name"),
    "limit-cpus": ("error", "more CPUs than CONFIG_MAX_CPUS or the format allows"),
    "limit-cells": ("error", "more cells than CONFIG_MAX_CELLS"),
    "limit-regions": ("error", "more memory regions in a cell than the format allows"),
    "limit-pci": ("error", "more PCI functions in a cell than the hypervisor takes (cfg_limits.h: arm64 8)"),
    "limit-reply-timeout": ("error", "msg-reply-timeout longer than the hypervisor waits (1 s)"),
    # CPUs
    "cpu-unknown": ("error", "a CPU reference that is not a CPU of the board"),
    "cpu-mpidr": ("error", "a CPU whose reg is not an MPIDR affinity value, or one that another CPU has too"),
    "cpu-none": ("error", "a cell without CPUs"),
    "cpu-conflict": ("error", "a CPU given to more than one non-root cell"),
    "cpu-not-in-root": ("error", "a non-root cell's CPU the root cell does not own"),
    "cpu-root-empty": ("error", "the non-root cells take every CPU of the root cell"),
    # memory
    "mem-unaligned": ("error", "region start, guest address or size not a multiple of 4 KiB (or size 0)"),
    "mem-overlap": ("error", "physical overlap between cells (or inside one) unless both sides are shared"),
    "mem-guest-overlap": ("error", "guest-physical overlap inside a cell"),
    "mem-hypervisor-overlap": ("error", "a region, the GIC or the debug console overlaps the hypervisor's "
                                        "memory"),
    "mem-hypervisor-placement": ("error", "hypervisor memory not 2 MiB aligned, across a 1 GiB "
                                          "boundary or above 511 GiB"),
    "mem-outside-board": ("error", "RAM outside the board's memory, or MMIO outside its devices"),
    "mem-not-from-root": ("error", "a non-root region that no single root region of the same kind (RAM or "
                                   "MMIO) holds"),
    "mem-root-identity": ("error", "a root region whose guest address is not its physical address"),
    "mem-guest-range": ("error", "a guest range beyond the 40-bit guest-physical space or over the GIC "
                                 "windows the hypervisor emulates"),
    "mem-pool-invalid": ("error", "cell-pool on a region that is not root-cell RAM"),
    "mem-outside-pool": ("error", "non-root RAM outside the system's cell pool"),
    "mem-pool-missing": ("warning", "cells with RAM, but no cell pool declared in the system"),
    "mem-root-uncovered": ("error", "board RAM that neither a root cell RAM region nor a reservation (the "
                                    "hypervisor memory, a link, the board's no-map reserved-memory) covers"),
    "mem-comm-region": ("error", "comm region misplaced: not one page, several, flags, or in the root cell"),
    "mem-no-loadable": ("error", "cpu-reset-address not inside a loadable, executable region"),
    "mem-comm-missing": ("warning", "a cell that takes part in messaging has no comm region"),
    "mem-shared-unused": ("warning", "a region marked shared that no other cell shares"),
    # interrupts
    "irq-range": ("error", "an interrupt beyond the GIC's lines (or not an SPI)"),
    "irq-reserved": ("error", "an interrupt the hypervisor reserves"),
    "irq-conflict": ("error", "an SPI given to more than one non-root cell"),
    "irq-device-split": ("error", "a cell takes the SPI of a board device the root keeps"),
    "irq-delivery": ("error", 'interrupt-delivery neither "direct" nor "trap", or "direct" for the root cell or '
                              "on x86 (whose cells get their interrupts directly already)"),
    "irq-parent": ("error", "a cell takes a device whose interrupts do not go to the GIC directly (another "
                            "controller, an interrupt-map) or cannot be decoded"),
    # devices
    "dev-invalid": ("error", "a device reference that is not a memory-mapped board device"),
    "dev-forbidden": ("error", "GIC, ITS or IOMMU mapped directly into a cell, or a PCI host into a non-root cell"),
    "dev-conflict": ("error", "a board device given to more than one cell without both sharing it"),
    # x86: platform, CPUs, start
    "platform-ioapic": ("error", "the board's IOAPIC description is missing or unusable (x86)"),
    "platform-lapic": ("error", "the local APIC is not an xAPIC at 0xfee00000 (x86)"),
    "platform-iommu": ("error", "an IOMMU unit without reg, or more units than the format holds (x86)"),
    "cpu-apic-id": ("error", "a CPU whose reg is not an xAPIC id, or one that another CPU has too (x86)"),
    "cpu-boot": ("error", "the boot CPU (CPU 0) not with the root cell, or given to a non-root cell (x86)"),
    "mem-reset-real-mode": ("error", "a cell's cpu-reset-address at or above 1 MiB: its CPU starts in real "
                                     "mode (x86)"),
    # x86: port I/O and PCI functions
    "pio-range": ("error", "a port-I/O region that is empty, beyond port 0xffff, or on an architecture "
                           "without port I/O"),
    "pio-forbidden": ("error", "ports the hypervisor traps (PCI configuration 0xcf8-0xcff) in any cell, or ports "
                               "only the root may own (reset, keyboard controller, PICs, SMI, fw_cfg, the "
                               "hypervisor's console) in a non-root cell"),
    "pio-overlap": ("error", "ports given to more than one non-root cell"),
    "pio-not-in-root": ("error", "a non-root cell's ports that the root cell does not own"),
    "pci-unknown": ("error", "a PCI function (BDF) the board does not have"),
    "pci-forbidden": ("error", "the PCI host bridge or a PCI bridge given to a non-root cell, or PCI functions "
                               "on an architecture that assigns none"),
    "pci-conflict": ("error", "a PCI function given to more than one non-root cell"),
    "pci-not-in-root": ("error", "a non-root cell's PCI function that the root cell does not own"),
    # PCI functions of non-root cells (both architectures: configgen/rules/pci.py)
    "pci-dma": ("error", "a PCI function that may bus-master (no hv,no-dma) in a cell not marked dma-trusted"),
    "pci-bus": ("error", "a PCI function not on bus 0 given to a non-root cell (arm64: the cell's host has bus 0 "
                         "only)"),
    "pci-window": ("error", "a non-root cell's PCI function whose BARs configgen cannot place (assigned-addresses "
                            "outside the host's ranges, a memory window that is not identity)"),
    "pci-bar-unmapped": ("error", "a BAR window of a non-root cell's PCI function outside the cell's identity I/O "
                                  "regions (or port regions)"),
    "pci-bar-page": ("error", "a BAR window (page) of a non-root cell's PCI function shared with a BAR of a "
                              "function the cell does not own"),
    # inter-cell links (configgen/rules/links.py, link_ends.py)
    "link-unsupported": ("error", "inter-cell links on an architecture without them (x86)"),
    "link-name": ("error", "a link name empty, longer than 31 bytes or not printable ASCII"),
    "link-peers": ("error", "a link without 2..16 distinct valid peer names, or an end naming a link or peer "
                            "that does not exist or that another cell holds"),
    "link-protocol": ("error", 'a protocol other than "net", "echo", "undefined" or 0x4000..0x7fff'),
    "link-size": ("error", "link sizes not page multiples, a state table under 4 bytes per peer, memory beyond "
                           "2^64"),
    "link-memory": ("error", "link memory not page aligned or not inside the root's cell pool"),
    "link-overlap": ("error", "link memory overlapping the hypervisor, another link or any cell's memory region"),
    "link-slot": ("error", "a link's device number taken by a board function or another link, none free, not "
                           "00:dd.0, or no PCI host"),
    "link-irq": ("error", "no free SPI for an end, an end's interrupt not the cell's or a board device's, a root "
                          "end's INTx line shared with a board device"),
    "link-limit": ("error", "more links than the format holds, or more ends in a cell than the hypervisor takes"),
    "link-guest-range": ("error", "an end's memory or BAR0 over the cell's regions, the GIC or the ECAM window, or "
                                  "beyond the guest space"),
}


def check_all(sysm: System, limits: Limits) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for mod in (names, platform, cpus, memory, pool, irqs, devices, ports, pci, links):
        out.extend(mod.check(sysm, limits))
    return out
