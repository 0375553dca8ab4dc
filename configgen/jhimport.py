"""Jailhouse configurations (revision 14, arm64) to configgen sources.

A system config becomes a system .dts (the board #included with --board, else a minimal board
rebuilt from what the blob records), a cell config a .dtso overlay.  Every memory region, CPU
and interrupt is kept.  With --board, a cell's I/O region that is exactly a board device becomes
a `devices`/`shared-devices` reference (taking the device's interrupts with it); everything else
stays a plain region or `spis` entry with a comment saying why.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Optional

from configgen import abi, arch
from configgen import jhformat as jh
from configgen.dtsource import SourceError, compile_file
from configgen.tree import Tree, load, translate_reg

_PROF = arch.by_name("arm64")  # Jailhouse configs imported are arm64 ones (jhformat refuses others)
PAGE = _PROF.page_size
_FIRST_SPI = _PROF.first_spi


@dataclass
class BoardDev:
    path: str
    label: Optional[str]
    regs: list[tuple[int, int]]
    spis: list[int]  # INTIDs
    pl011: bool


@dataclass
class Board:
    path: str
    cpus: list[tuple[Optional[str], str]]  # (label, path) in DT order = Linux logical CPU order
    devices: list[BoardDev]
    has_hypervisor: bool


@dataclass
class Out:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_board(path: str) -> Board:
    try:
        comp = compile_file(path, [], False)
    except SourceError as e:
        raise jh.JhError("the board does not compile:\n" + "\n".join(d.format() for d in e.diags)) from None
    t: Tree = load(comp.dtb)
    cpus = []
    cn = t.node("/cpus")
    for c in cn.children if cn else []:
        if c.string("device_type") == "cpu":
            cpus.append((t.label_of(c), c.path))
    devs = []
    for n in t.root.walk():
        if n.path.startswith(("/cpus", "/reserved-memory", "/__", "/chosen")) or "reg" not in n.props:
            continue
        if n.string("device_type") == "memory":
            continue
        regs = translate_reg(n)
        if not regs:
            continue
        spis = [i.intid for i in _PROF.device_irqs(n, t).irqs if i.kind == "spi"]
        devs.append(BoardDev(n.path, t.label_of(n), regs, spis, _PROF.console_type(n) == abi.CONSOLE_PL011))
    has_hyp = any("hv,hypervisor" in n.compatible for n in t.root.children)
    return Board(path, cpus, devs, has_hyp)


def _u64(v: int) -> str:
    return f"/bits/ 64 <{v:#x}>"


def _reg(a: int, s: int) -> str:
    return f"<{a >> 32:#x} {a & 0xFFFFFFFF:#x} {s >> 32:#x} {s & 0xFFFFFFFF:#x}>"


def _node_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9,._+-]", "-", s)[:31] or "cell"


def _page_round(a: int, s: int) -> tuple[int, int]:
    lo, hi = a & ~(PAGE - 1), (a + s + PAGE - 1) & ~(PAGE - 1)
    return lo, hi - lo


def _exact_device(board: Optional[Board], m: jh.JhMemory) -> Optional[BoardDev]:
    if board is None or m.phys != m.virt:
        return None
    hits = [d for d in board.devices if d.label and [_page_round(a, s) for a, s in d.regs] == [(m.phys, m.size)]]
    return hits[0] if len(hits) == 1 else None


def _covers(board: Optional[Board], m: jh.JhMemory) -> list[str]:
    if board is None:
        return []
    return [d.path for d in board.devices if any(m.phys < a + s and a < m.phys + m.size for a, s in d.regs)]


def _spi_text(intids: list[int]) -> str:
    return " ".join(str(i - _FIRST_SPI) for i in sorted(intids))


def _cpu_refs(cell: jh.JhCell, board: Optional[Board], o: Out, where: str) -> str:
    if board is not None and all(i < len(board.cpus) and board.cpus[i][0] for i in cell.cpus):
        return "cpus = <" + " ".join(f"&{board.cpus[i][0]}" for i in cell.cpus) + ">;"
    if board is not None:
        o.warnings.append(f"{where}: warning: CPUs {cell.cpus} cannot all be tied to labelled /cpus nodes of "
                          f"{board.path}; written as cpu-indices")
    return ("/* Jailhouse CPU numbers are Linux logical CPUs; here taken as indices in MPIDR order */\n"
            "cpu-indices = <" + " ".join(str(i) for i in cell.cpus) + ">;")


def _console(con: jh.JhConsole, board: Optional[Board], o: Out, where: str, what: str) -> list[str]:
    if con.type == 0:
        return []
    if con.type != jh.CON_PL011 or not con.flags & jh.CON_MMIO:
        name = jh.CON_TYPES[con.type] if con.type < len(jh.CON_TYPES) else str(con.type)
        o.warnings.append(f"{where}: warning: {what} of type {name} at {con.address:#x} dropped: configgen "
                          "supports PL011 consoles only")
        return [f"/* {what}: {name} at {con.address:#x} dropped (only PL011 is supported) */"]
    if board is not None:
        dev = next((d for d in board.devices if d.pl011 and d.label and d.regs[0][0] == con.address), None)
        if dev is not None:
            return [f"console = <&{dev.label}>;"]
    return ['console-type = "pl011";', f"console-address = {_u64(con.address)};",
            f"console-size = {_u64(con.size or PAGE)};"]


def _region(i: int, m: jh.JhMemory, board: Optional[Board], o: Out, where: str, is_root: bool) -> list[str]:
    comments = [f"Jailhouse mem_regions[{i}]"]
    dropped = [n for bit, n in jh.MEM_FLAG_NAMES.items() if m.flags & bit]
    known = (jh.MEM_READ | jh.MEM_WRITE | jh.MEM_EXECUTE | jh.MEM_IO | jh.MEM_COMM_REGION | jh.MEM_LOADABLE |
             jh.MEM_ROOTSHARED | sum(jh.MEM_FLAG_NAMES))
    if m.flags & ~known:
        dropped.append(f"{m.flags & ~known:#x}")
    if dropped:
        comments.append("flags without configgen equivalent dropped: " + "|".join(dropped))
        o.warnings.append(f"{where}: warning: mem_regions[{i}] at {m.phys:#x}: dropped Jailhouse flags "
                          + "|".join(dropped))
    if m.size % PAGE or m.virt % PAGE or (m.phys % PAGE and not m.flags & jh.MEM_COMM_REGION):
        comments.append("sub-page region: Jailhouse emulates it access by access; configgen maps whole pages")
        o.warnings.append(f"{where}: warning: mem_regions[{i}] at {m.phys:#x} size {m.size:#x} is not page "
                          "aligned (configgen will reject it: widen it to whole pages)")
    cover = _covers(board, m) if m.flags & jh.MEM_IO else []
    if cover:
        comments.append("covers " + ", ".join(cover[:4]) + (" ..." if len(cover) > 4 else ""))
    elif m.flags & jh.MEM_IO and board is not None:
        comments.append(f"no device of {os.path.basename(board.path)} lies here")
    kind = "comm" if m.flags & jh.MEM_COMM_REGION else "io" if m.flags & jh.MEM_IO else "ram"
    out = [f"/* {c} */" for c in comments] + [f"{kind}{i} {{"]
    if not m.flags & jh.MEM_COMM_REGION:
        out.append(f"\tphysical-address = {_u64(m.phys)};")
    if m.virt != m.phys or m.flags & jh.MEM_COMM_REGION:
        out.append(f"\tguest-address = {_u64(m.virt)};")
    out.append(f"\tsize = {_u64(m.size)};")
    access = "".join(c for c, b in (("r", jh.MEM_READ), ("w", jh.MEM_WRITE), ("x", jh.MEM_EXECUTE)) if m.flags & b)
    out.append(f'\taccess = "{access}";')
    for bit, prop in ((jh.MEM_IO, "io"), (jh.MEM_COMM_REGION, "comm-region"), (jh.MEM_LOADABLE, "loadable"),
                      (jh.MEM_ROOTSHARED, "root-shared")):
        if m.flags & bit:
            out.append(f"\t{prop};")
    if m.flags & jh.MEM_ROOTSHARED and not m.flags & (jh.MEM_IO | jh.MEM_COMM_REGION) and not is_root:
        out.append("\tshared;\t/* root-shared RAM: Jailhouse's way to share memory between cells */")
    out.append("};")
    return out


def _ivshmem_notes(cell: jh.JhCell, o: Out, where: str) -> dict[int, str]:
    """Jailhouse ivshmem devices are not imported yet: each is reported, and its shared memory
    regions are left out (configgen's links own their memory; see docs/configgen.md). Returns
    region index -> the device it belongs to."""
    out: dict[int, str] = {}
    for d in cell.ivshmem:
        name = f"ivshmem device {d.domain:04x}:{d.bdf >> 8:02x}:{d.bdf >> 3 & 31:02x}.{d.bdf & 7}"
        regions = [i for i in d.regions if 0 <= i < len(cell.memory)]
        span = f"mem_regions[{regions[0]}-{regions[-1]}]" if regions else "no memory region"
        o.warnings.append(f"{where}: warning: {name} (peer {d.dev_id} of {d.peers}, protocol {d.protocol:#x}) "
                          f"not imported yet: it and its shared memory ({span}) are dropped; describe the link in "
                          "the system's links node (docs/configgen.md, \"Inter-cell links\")")
        for i in regions:
            out.setdefault(i, name)
    return out


def _cell_body(cell: jh.JhCell, board: Optional[Board], o: Out, where: str, is_root: bool) -> list[str]:
    L = [f'compatible = "{"hv,root-cell" if is_root else "hv,cell"}";', f'cell-name = "{cell.name}";']
    L += _cpu_refs(cell, board, o, where).split("\n")
    intids = sorted({i for c in cell.irqchips for i in c.intids()})
    low = [i for i in intids if i < _FIRST_SPI]
    if low:
        o.warnings.append(f"{where}: warning: irqchip pins {low} are SGIs/PPIs, which every cell has: dropped")
    spis = [i for i in intids if i >= _FIRST_SPI]
    devices, shared_devices, region_lines = [], [], []
    link_regions = _ivshmem_notes(cell, o, where)
    for i, m in enumerate(cell.memory):
        if i in link_regions:
            region_lines += ["", f"/* Jailhouse mem_regions[{i}]: shared memory of {link_regions[i]}: not imported */"]
            continue
        dev = None if is_root or not m.flags & jh.MEM_IO else _exact_device(board, m)
        base = jh.MEM_READ | jh.MEM_WRITE | jh.MEM_IO
        if dev is not None and m.flags == base and set(dev.spis) <= set(spis):
            devices.append(dev)
            spis = [s for s in spis if s not in dev.spis]
            continue
        if dev is not None and m.flags == base | jh.MEM_ROOTSHARED:
            shared_devices.append(dev)
            continue
        region_lines += [""] + _region(i, m, board, o, where, is_root)
    if devices:
        L.append("devices = <" + " ".join(f"&{d.label}" for d in devices) + ">;")
    if shared_devices:
        L.append("shared-devices = <" + " ".join(f"&{d.label}" for d in shared_devices) + ">;")
    if spis and not is_root:
        L.append("/* interrupts not tied to a board device, as <GIC_SPI n> numbers */")
        L.append(f"spis = <{_spi_text(spis)}>;")
    L += _console(cell.console, board, o, where, "console")
    flags = cell.flags
    if flags & jh.CELL_PASSIVE_COMMREG:
        L.append("passive-comm-region;")
    elif not is_root:
        L.append("may-lock;\t/* Jailhouse lets every cell that takes part in messaging lock the system */")
    if flags & jh.CELL_VCONSOLE_ACTIVE:
        L.append("virtual-console-active;")
    elif flags & jh.CELL_VCONSOLE_PERMITTED:
        L.append("virtual-console-permitted;")
    for bit, name in ((jh.CELL_AARCH32, "AARCH32"), (jh.CELL_TEST_DEVICE, "TEST_DEVICE")):
        if flags & bit:
            L.append(f"/* Jailhouse cell flag {name} dropped */")
            o.warnings.append(f"{where}: warning: cell flag {name} has no configgen equivalent: dropped")
    if cell.cpu_reset_address or not is_root:
        L.append(f"cpu-reset-address = {_u64(cell.cpu_reset_address)};")
    if cell.msg_reply_timeout:
        # Jailhouse counts polls of no defined length; here it is microseconds, capped at 1 s.
        us = min(cell.msg_reply_timeout, abi.MSG_REPLY_LIMIT_US)
        L.append(f"msg-reply-timeout = {_u64(us)};	/* Jailhouse: {cell.msg_reply_timeout} polls */")
        if us != cell.msg_reply_timeout:
            o.warnings.append(f"{where}: warning: msg_reply_timeout {cell.msg_reply_timeout} polls "
                              f"taken as the limit, {us} us")
    for what, n in cell.counts.items():
        L.append(f"/* {n} Jailhouse {what} dropped: configgen has no equivalent */")
        o.warnings.append(f"{where}: warning: {n} {what} dropped (not supported by configgen)")
    return L + region_lines


def _indent(lines: list[str], tabs: int) -> list[str]:
    return [("\t" * tabs + l) if l else "" for l in lines]


def _minimal_board(s: jh.JhSystem, gic_lines: int) -> list[str]:
    r = s.root
    ram = sorted([(m.phys, m.phys + m.size) for m in r.memory if not m.flags & (jh.MEM_IO | jh.MEM_COMM_REGION)]
                 + [(s.hypervisor.phys, s.hypervisor.phys + s.hypervisor.size)])
    merged: list[tuple[int, int]] = []
    for a, e in ram:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((a, e))
    p = s.platform
    ncpus = max(r.cpus) + 1 if r.cpus else 1
    L = ["/ {", "\t#address-cells = <2>;", "\t#size-cells = <2>;", "\tinterrupt-parent = <&gic>;", ""]
    for a, e in merged:
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
    if p.pci_mmconfig_base:
        size = (p.pci_mmconfig_end_bus + 1) << 20
        L += [f"\tpcie@{p.pci_mmconfig_base:x} {{", '\t\tcompatible = "pci-host-ecam-generic";',
              '\t\tdevice_type = "pci";', "\t\t#address-cells = <3>;", "\t\t#size-cells = <2>;",
              f"\t\treg = {_reg(p.pci_mmconfig_base, size)};", '\t\tstatus = "disabled";', "\t};", ""]
    dc = s.debug_console
    if dc.type == jh.CON_PL011:
        L += [f"\tdebug_uart: serial@{dc.address:x} {{", '\t\tcompatible = "arm,pl011";',
              f"\t\treg = {_reg(dc.address, dc.size or PAGE)};", "\t};", ""]
    for i, m in enumerate(r.memory):
        if m.flags & jh.MEM_IO and not (dc.type == jh.CON_PL011 and m.phys <= dc.address < m.phys + m.size):
            L += [f"\t/* root mem_regions[{i}] */", f"\tmmio{i}: mmio@{m.phys:x} {{", '\t\tcompatible = "configgen,mmio";',
                  f"\t\treg = {_reg(m.phys, m.size)};", "\t};", ""]
    return L + ["};", ""]


def convert_system(s: jh.JhSystem, where: str, board: Optional[Board], include: str) -> Out:
    o = Out()
    intids = sorted({i for c in s.root.irqchips for i in c.intids()})
    gic_lines = max(64, ((max(intids) + 32) // 32) * 32) if intids else 64
    reserved = [i - _FIRST_SPI for i in range(_FIRST_SPI, min(gic_lines, _PROF.max_spi + 1)) if i not in set(intids)]
    L = ["// SPDX-License-Identifier: GPL-2.0",
         f"/* Imported by configgen from {os.path.basename(where)} (Jailhouse configuration revision 14, "
         "arm64 system). */", "/dts-v1/;", ""]
    if board is not None:
        if board.has_hypervisor:
            raise jh.JhError(f"{board.path} already has a hypervisor node: give the board .dts, not a system")
        L = L[:-2] + [f'#include "{include}"', ""]
    else:
        L += ["/* The board, rebuilt from what the Jailhouse blob records. */"] + _minimal_board(s, gic_lines)
    if s.platform.gic_version != 3:
        o.warnings.append(f"{where}: warning: GIC version {s.platform.gic_version}: configgen supports GICv3 only")
    # upstream irqchips are revision-2 interrupt resources already: (controller address, id, pin_base,
    # pins); configgen writes those of the GIC distributor, so another controller's pins would move
    other = sorted({c.address for c in s.root.irqchips if c.address != s.platform.gicd_base})
    if other:
        o.warnings.append(f"{where}: warning: root irqchips of controllers {', '.join(f'{a:#x}' for a in other)} "
                          f"other than the GIC distributor {s.platform.gicd_base:#x}: their pins are taken as GIC "
                          "INTIDs")
    for typ, base, size in s.platform.iommus:
        o.warnings.append(f"{where}: warning: IOMMU unit type {typ} at {base:#x} dropped (not supported)")
    hyp = s.hypervisor
    L += ["/ {", f"\thypervisor: hypervisor@{hyp.phys:x} {{", '\t\tcompatible = "hv,hypervisor";',
          f"\t\treg = {_reg(hyp.phys, hyp.size)};"]
    dc = s.debug_console
    if dc.type == jh.CON_PL011:
        label: Optional[str] = "debug_uart"
        if board is not None:
            label = next((d.label for d in board.devices if d.pl011 and d.label and d.regs[0][0] == dc.address), None)
        if label:
            L.append(f"\t\tdebug-console = <&{label}>;")
        else:
            o.warnings.append(f"{where}: warning: the debug console at {dc.address:#x} is no labelled PL011 node of "
                              "the board: left out")
    elif dc.type:
        o.warnings.append(f"{where}: warning: debug console type {dc.type} at {dc.address:#x} dropped: configgen "
                          "supports PL011 consoles only")
    L.append(f"\t\tgic-lines = <{gic_lines}>;\t/* from the root cell's irqchip pins */")
    if reserved:
        L.append(f"\t\treserved-spis = <{_spi_text([r + _FIRST_SPI for r in reserved])}>;\t/* not given to the root cell */")
    if s.flags & jh.SYS_VIRTUAL_DEBUG_CONSOLE:
        L.append("\t\tvirtual-debug-console;")
    L += ["", "\t\troot-cell {"] + _indent(_cell_body(s.root, board, o, where, True), 3) + ["\t\t};", "\t};", "};"]
    o.lines = L
    return o


def convert_cell(c: jh.JhCell, where: str, board: Optional[Board]) -> Out:
    o = Out()
    L = ["// SPDX-License-Identifier: GPL-2.0",
         f"/* Imported by configgen from {os.path.basename(where)} (Jailhouse configuration revision 14, "
         f"arm64 cell \"{c.name}\"). */", "/dts-v1/;", "/plugin/;", "", "&hypervisor {", f"\t{_node_name(c.name)} {{"]
    L += _indent(_cell_body(c, board, o, where, False), 2) + ["\t};", "};"]
    o.lines = L
    return o


def convert(data: bytes, where: str, board_path: Optional[str], output: Optional[str]) -> tuple[str, list[str]]:
    parsed = jh.parse(data)
    board = load_board(board_path) if board_path else None
    if isinstance(parsed, jh.JhSystem):
        include = ""
        if board_path:
            include = os.path.relpath(board_path, os.path.dirname(os.path.abspath(output))) if output else board_path
        o = convert_system(parsed, where, board, include)
    else:
        o = convert_cell(parsed, where, board)
    return "\n".join(o.lines) + "\n", o.warnings
