"""An imported arm64 (or ARMv7, with its board) system: the board (#included with --board, else rebuilt from what the
blob records), the hypervisor node, the root cell and the links."""
from __future__ import annotations

import os
from typing import Optional

from configgen import jhformat as jh
from configgen import jhimport_links as jl
from configgen.jhimport_arm64 import FIRST_SPI, PAGE, _PROF, _reg, _spi_text, cell_body
from configgen.jhimport_board import Board, is_pl011
from configgen.jhimport_links import Msgs
from configgen.jhimport_mem import is_ram, merge, split


def indent(lines: list[str], tabs: int) -> list[str]:
    return [("\t" * tabs + ln) if ln else "" for ln in lines]


def _virtual_host(p: jh.JhPlatform, vpci_irq_base: int) -> list[str]:
    """Jailhouse's virtual PCI host as a board node: INTA-D of slot n go to SPI vpci_irq_base +
    (n + pin) % 4, the usual swizzle."""
    size = (p.pci_mmconfig_end_bus + 1) << 20
    imap = []
    for slot in range(4):
        for pin in range(1, 5):
            spi = vpci_irq_base + (slot + pin - 1) % 4
            imap.append(f"<{slot << 11:#x} 0x0 0x0 {pin} &gic 0x0 {spi} 4>")
    return [f"\tpcie@{p.pci_mmconfig_base:x} {{", '\t\tcompatible = "pci-host-ecam-generic";',
            '\t\tdevice_type = "pci";', "\t\t#address-cells = <3>;", "\t\t#size-cells = <2>;",
            "\t\t#interrupt-cells = <1>;", f"\t\treg = {_reg(p.pci_mmconfig_base, size)};",
            f"\t\tbus-range = <0x0 {p.pci_mmconfig_end_bus:#x}>;",
            "\t\t/* a 1 MiB window after the ECAM for the non-root link ends' BAR0 (not in the blob) */",
            f"\t\tranges = <0x02000000 0x0 {p.pci_mmconfig_base + size:#x} 0x0 {p.pci_mmconfig_base + size:#x} 0x0 0x100000>;",
            "\t\tinterrupt-map-mask = <0x1800 0x0 0x0 0x7>;",
            "\t\tinterrupt-map = " + ",\n\t\t\t".join(imap) + ";", "\t};", ""]


def minimal_board(s: jh.JhSystem, taken: set[int], msgs: Msgs, where: str, pool: list[tuple[int, int]],
                  has_links: bool = False) -> list[str]:
    r = s.root
    ram = merge([(m.phys, m.phys + m.size) for i, m in enumerate(r.memory) if is_ram(m)]
                + [(s.hypervisor.phys, s.hypervisor.phys + s.hypervisor.size)] + pool)
    p = s.platform
    ncpus = max(r.cpus) + 1 if r.cpus else 1
    L = ["/ {", "\t#address-cells = <2>;", "\t#size-cells = <2>;", "\tinterrupt-parent = <&gic>;", ""]
    for a, e in ram:
        L += [f"\tmemory@{a:x} {{", '\t\tdevice_type = "memory";', f"\t\treg = {_reg(a, e - a)};", "\t};", ""]
    L += ["\t/* Jailhouse records no MPIDRs: CPU n is assumed to have MPIDR n */", "\tcpus {",
          "\t\t#address-cells = <1>;", "\t\t#size-cells = <0>;"]
    for i in range(ncpus):
        L += ["", f"\t\tcpu{i}: cpu@{i:x} {{", '\t\t\tdevice_type = "cpu";', '\t\t\tcompatible = "arm,armv8";',
              f"\t\t\treg = <{i:#x}>;", '\t\t\tenable-method = "psci";', "\t\t};"]
    L += ["\t};", ""]
    maint = p.maintenance_irq or 25
    L += ["\t/* sizes are not in the Jailhouse blob: GICD 64 KiB, one 128 KiB GICR frame per CPU */",
          f"\tgic: interrupt-controller@{p.gicd_base:x} {{", '\t\tcompatible = "arm,gic-v3";',
          "\t\t#interrupt-cells = <3>;", "\t\tinterrupt-controller;",
          f"\t\treg = {_reg(p.gicd_base, 0x10000)}, {_reg(p.gicr_base, ncpus * 0x20000)};",
          f"\t\tinterrupts = <1 {maint - 16} 4>;", "\t};", ""]
    if p.pci_mmconfig_base and p.pci_is_virtual and has_links:
        msgs.note(f"{where}: note: the blob's virtual PCI host at {p.pci_mmconfig_base:#x} becomes the rebuilt "
                  "board's PCI host (the link ends live there; INTx to SPIs from vpci_irq_base, as upstream)")
        L += _virtual_host(p, r.vpci_irq_base)
    elif p.pci_mmconfig_base and p.pci_is_virtual:
        msgs.note(f"{where}: note: the blob's PCI host at {p.pci_mmconfig_base:#x} is Jailhouse's virtual one: "
                  "left out (configgen's link ends live on the board's PCI host)")
    elif p.pci_mmconfig_base:
        size = (p.pci_mmconfig_end_bus + 1) << 20
        L += [f"\tpcie@{p.pci_mmconfig_base:x} {{", '\t\tcompatible = "pci-host-ecam-generic";',
              '\t\tdevice_type = "pci";', "\t\t#address-cells = <3>;", "\t\t#size-cells = <2>;",
              f"\t\treg = {_reg(p.pci_mmconfig_base, size)};", '\t\tstatus = "disabled";', "\t};", ""]
    dc = s.debug_console
    if dc.type == jh.CON_PL011:
        L += [f"\tdebug_uart: serial@{dc.address:x} {{", '\t\tcompatible = "arm,pl011";',
              f"\t\treg = {_reg(dc.address, dc.size or PAGE)};", "\t};", ""]
    for i, m in enumerate(r.memory):
        if i in taken or m.empty or not m.flags & jh.MEM_IO:
            continue
        uart = [(dc.address, dc.address + (dc.size or PAGE))] if dc.type == jh.CON_PL011 else []
        for n, (a, e, inside) in enumerate(split(m.phys, m.phys + m.size, uart)):
            if not inside:  # the debug UART has its own node
                L += [f"\t/* root mem_regions[{i}] */", f"\tmmio{i}_{n}: mmio@{a:x} {{",
                      '\t\tcompatible = "configgen,mmio";', f"\t\treg = {_reg(a, e - a)};", "\t};", ""]
    return L + ["};", ""]


def _cut_gic(s: jh.JhSystem, taken: set[int], msgs: Msgs, where: str) -> None:
    """Root I/O regions over the GIC (upstream's big windows): the GIC is the hypervisor's, so
    the region is split around it."""
    p, r = s.platform, s.root
    ncpus = max(r.cpus) + 1 if r.cpus else 1
    gic = merge([(p.gicd_base, p.gicd_base + 0x10000), (p.gicr_base, p.gicr_base + ncpus * 0x20000)])
    for i, m in enumerate(list(r.memory)):
        if i in taken or m.empty or not m.flags & jh.MEM_IO or m.phys != m.virt:
            continue
        pieces = [(a, e) for a, e, inside in split(m.phys, m.phys + m.size, gic) if not inside]
        if len(pieces) == 1 and pieces[0] == (m.phys, m.phys + m.size):
            continue
        taken.add(i)
        msgs.change(f"{where}: warning: mem_regions[{i}] (MMIO {m.phys:#x}-{m.phys + m.size - 1:#x}) covers the GIC, "
                    "which the hypervisor owns: the GIC is cut out of it")
        r.memory += [jh.JhMemory(a, a, e - a, m.flags) for a, e in pieces]


def _debug_console(s: jh.JhSystem, board: Optional[Board], msgs: Msgs, where: str) -> list[str]:
    dc = s.debug_console
    if dc.type == jh.CON_PL011:
        label: Optional[str] = "debug_uart"
        if board is not None:
            label = next((d.label for d in board.labelled(is_pl011) if d.regs[0][0] == dc.address), None)
        if label:
            return [f"\t\tdebug-console = <&{label}>;"]
        msgs.change(f"{where}: warning: the debug console at {dc.address:#x} is no labelled PL011 node of the "
                    "board: left out")
    elif dc.type:
        msgs.change(f"{where}: warning: debug console type {dc.type} at {dc.address:#x} dropped: configgen "
                    "supports PL011 consoles only on arm64")
    return []


def system_lines(s: jh.JhSystem, where: str, board: Optional[Board], include: str, msgs: Msgs,
                 links: list[jl.Link], taken: set[int], pool: list[tuple[int, int]], arch: str = "arm64") -> list[str]:
    intids = sorted({i for c in s.root.irqchips for i in c.intids()})
    gic_lines = max(64, ((max(intids) + 32) // 32) * 32) if intids else 64
    if intids and max(intids) > _PROF.max_spi:
        gic_lines = _PROF.max_spi + 1
    reserved = [i for i in range(FIRST_SPI, gic_lines) if i not in set(intids)]
    L = ["// SPDX-License-Identifier: GPL-2.0",
         f"/* Imported by configgen from {os.path.basename(where)} (Jailhouse configuration revision "
         f"{s.revision}, {arch} system). */", "/dts-v1/;", ""]
    if board is not None:
        if board.has_hypervisor:
            raise jh.JhError(f"{board.path} already has a hypervisor node: give the board .dts, not a system")
        L = L[:-2] + [f'#include "{include}"', ""]
    else:
        _cut_gic(s, taken, msgs, where)
        L += ["/* The board, rebuilt from what the Jailhouse blob records. */"] + minimal_board(s, taken, msgs, where, pool, bool(links))
    want = 2 if arch == "arm" else 3  # the GIC each arm hypervisor drives
    if s.platform.gic_version != want:
        msgs.decide.append(f"{where}: GIC version {s.platform.gic_version}: configgen supports GICv{want} only on "
                           f"{arch}")
    other = sorted({c.address for c in s.root.irqchips if c.address != s.platform.gicd_base})
    if other:
        msgs.change(f"{where}: warning: root irqchips of controllers {', '.join(f'{a:#x}' for a in other)} other "
                    f"than the GIC distributor {s.platform.gicd_base:#x}: their pins are taken as GIC INTIDs")
    for typ, base, _size in s.platform.iommus:
        msgs.change(f"{where}: warning: IOMMU unit ({jh.IOMMU_TYPES.get(typ, typ)}) at {base:#x} dropped: configgen "
                    "does not program IOMMUs (cells must not be given DMA-capable devices)")
    hyp = s.hypervisor
    L += ["/ {", f"\thypervisor: hypervisor@{hyp.phys:x} {{", '\t\tcompatible = "hv,hypervisor";',
          f"\t\treg = {_reg(hyp.phys, hyp.size)};"]
    L += _debug_console(s, board, msgs, where)
    L.append(f"\t\tgic-lines = <{gic_lines}>;\t/* from the root cell's irqchip pins */")
    if reserved:
        L.append(f"\t\treserved-spis = <{_spi_text(reserved)}>;\t/* not given to the root cell */")
    if s.flags & jh.SYS_VIRTUAL_DEBUG_CONSOLE:
        L.append("\t\tvirtual-debug-console;")
    body = cell_body(s.root, board, msgs, where, True, taken, pool, 0, (hyp.phys, hyp.phys + hyp.size))
    L += ["", "\t\troot-cell {"] + indent(body, 3) + ["\t\t};"]
    link_lines = jl.lines(links, msgs, where)
    if link_lines:
        L += ["", "\t\tlinks {"] + indent(link_lines[:-1], 3) + ["\t\t};"]
    return L + ["\t};", "};"]


def cell_lines(c: jh.JhCell, where: str, board: Optional[Board], msgs: Msgs, taken: set[int],
               n_links: int, arch: str = "arm64") -> list[str]:
    from configgen.jhimport_arm64 import cell_body as body
    node = "".join(ch if ch.isalnum() or ch in ",._+-" else "-" for ch in c.name)[:31] or "cell"
    L = ["// SPDX-License-Identifier: GPL-2.0",
         f"/* Imported by configgen from {os.path.basename(where)} (Jailhouse configuration revision "
         f"{c.revision}, {arch} cell \"{c.name}\"). */", "/dts-v1/;", "/plugin/;", "", "&hypervisor {", f"\t{node} {{"]
    return L + indent(body(c, board, msgs, where, False, taken, [], n_links), 2) + ["\t};", "};"]
