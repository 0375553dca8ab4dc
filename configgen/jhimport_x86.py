"""Jailhouse x86 configurations to configgen's x86 sources (this hypervisor runs on AMD SVM).

A PC's devices, ports and interrupts are not in the blob, so an x86 import needs the board
(--board, e.g. dts/boards/qemu-x86-q35.dts).  The root cell becomes `all-devices` plus its RAM
as far as the board has RAM there; the port whitelist, MMIO regions and IOAPIC pins of the root
are the board's devices then.  Intel-only items (VT-d units, the VT-d interrupt limit) are
dropped.  Links are not supported on x86 yet (link-unsupported): ivshmem devices are dropped
and their memory stays with the root.  A cell's ports, MMIO regions and PCI functions become
the board devices that have them; the rest stays as raw `pio-regions`/`gsis` or is reported.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Optional

from configgen import jhformat as jh
from configgen import jhimport_mem as mem
from configgen.jhimport_arm64 import _ranges, flag_lines
from configgen.jhimport_board import Board, BoardDev
from configgen.jhimport_links import Msgs
from configgen.jhimport_system import indent

if TYPE_CHECKING:
    from configgen.jhimport import Result

PAGE = 0x1000


def _cpus(cell: jh.JhCell, board: Board, msgs: Msgs, where: str, is_root: bool) -> list[str]:
    extra = [c for c in cell.cpus if c >= len(board.cpus)]
    cpus = [c for c in cell.cpus if c < len(board.cpus)]
    if extra and is_root:
        msgs.change(f"{where}: warning: root CPUs {_ranges(extra)} do not exist on {os.path.basename(board.path)} "
                    f"({len(board.cpus)} CPUs): clipped")
    elif extra:
        msgs.decide.append(f"{where}: CPUs {_ranges(extra)} do not exist on {board.path} ({len(board.cpus)} CPUs): "
                           "give the cell CPUs the board has")
    if all(board.cpus[i][0] for i in cpus):
        return ["cpus = <" + " ".join(f"&{board.cpus[i][0]}" for i in cpus) + ">;"]
    return ["cpu-indices = <" + " ".join(str(i) for i in cpus) + ">;"]


def _port_dev(board: Board, base: int, length: int) -> Optional[BoardDev]:
    return next((d for d in board.devices if d.label and any(b <= base and base + length <= b + n for b, n in d.ports)),
                None)


def _console(con: jh.JhConsole, board: Board, msgs: Msgs, where: str, what: str) -> Optional[BoardDev]:
    if con.type == 0:
        return None
    if con.type == jh.CON_8250:
        if con.flags & jh.CON_MMIO:
            dev = next((d for d in board.devices if d.label and d.regs and d.regs[0][0] == con.address), None)
        else:
            dev = _port_dev(board, con.address, 1)
        if dev is not None:
            return dev
    name = jh.CON_TYPES[con.type] if con.type < len(jh.CON_TYPES) else str(con.type)
    msgs.change(f"{where}: warning: {what} ({name} at {con.address:#x}) is no labelled UART of the board: dropped")
    return None


def _ivshmem_dropped(cell: jh.JhCell, msgs: Msgs, where: str, is_root: bool) -> set[int]:
    taken: set[int] = set()
    for d in cell.ivshmem:
        idx = [i for i in d.regions if i < len(cell.memory)]
        msgs.change(f"{where}: warning: ivshmem device {d.name} dropped: configgen's x86 systems have no inter-cell "
                    "links yet (link-unsupported); its memory "
                    + ("stays root RAM" if is_root else f"(mem_regions{idx}) is dropped with it"))
        if not is_root:
            taken.update(idx)
    return taken


def _pci(cell: jh.JhCell, board: Board, msgs: Msgs, where: str, is_root: bool) -> list[BoardDev]:
    out = []
    for d in cell.pci:
        if d.type == jh.PCI_TYPE_IVSHMEM:
            continue
        dev = next((b for b in board.devices if b.bdf == d.bdf and d.domain == 0), None)
        if dev is None:
            msgs.change(f"{where}: warning: PCI {'bridge' if d.type == jh.PCI_TYPE_BRIDGE else 'device'} {d.name} "
                        f"dropped: {os.path.basename(board.path)} has no function there")
        elif not is_root and dev.label:
            out.append(dev)
        elif not is_root:
            msgs.change(f"{where}: warning: PCI device {d.name} is {dev.path}, which has no label: dropped")
    return out


def _root_ram(root: jh.JhCell, board: Board, taken: set[int], msgs: Msgs, where: str) -> None:
    """Root RAM regions cut to the board's RAM (upstream's first region runs over the VGA hole)."""
    ram = mem.merge([(a, a + s) for a, s in board.ram])
    for i, m in enumerate(list(root.memory)):
        if i in taken or not mem.is_ram(m) or m.phys != m.virt:
            continue
        pieces = mem.split(m.phys, m.phys + m.size, ram)
        if all(inside for _, _, inside in pieces):
            continue
        taken.add(i)
        out = [f"{a:#x}-{e - 1:#x}" for a, e, inside in pieces if not inside]
        msgs.change(f"{where}: warning: mem_regions[{i}] RAM {m.phys:#x}-{m.phys + m.size - 1:#x}: {', '.join(out)} "
                    "is no RAM on the board: left out (board devices there come with all-devices)")
        root.memory += [jh.JhMemory(a, a, e - a, m.flags) for a, e, inside in pieces if inside]


def _root(s: jh.JhSystem, board: Board, msgs: Msgs, where: str, pool: list[tuple[int, int]]) -> list[str]:
    r = s.root
    taken: set[int] = set()
    mem.drop_empty(r, msgs, where, taken)
    _ivshmem_dropped(r, msgs, where, True)
    io = [i for i, m in enumerate(r.memory) if i not in taken and m.flags & jh.MEM_IO]
    taken.update(io)
    if io or r.pio or r.irqchips:
        msgs.change(f"{where}: warning: the root's {len(io)} MMIO regions, {len(r.pio)} port ranges and IOAPIC pins "
                    "become all-devices: the root gets every board device, its ports and GSIs (configgen describes "
                    "devices, not windows and whitelists)")
    stray = [f"{b:#x}+{n}" for b, n in r.pio if _port_dev(board, b, 1) is None]
    if stray:
        msgs.change(f"{where}: warning: root ports {', '.join(stray[:8])} belong to no board device: dropped")
    _pci(r, board, msgs, where, True)
    _root_ram(r, board, taken, msgs, where)
    L = ['compatible = "hv,root-cell";', f'cell-name = "{r.name}";'] + _cpus(r, board, msgs, where, True)
    con = _console(r.console, board, msgs, where, "the root's console")
    if con is not None:
        L.append(f"console = <&{con.label}>;")
    L.append("all-devices;\t/* the upstream root's MMIO regions, ports, PCI functions and GSIs */")
    L += flag_lines(r, msgs, where, True)
    hyp = (s.hypervisor.phys, s.hypervisor.phys + s.hypervisor.size)
    return L + mem.root_ram(r, taken, pool, msgs, where, PAGE, board, hyp)


def system_lines(s: jh.JhSystem, where: str, board: Board, include: str, msgs: Msgs,
                 pool: list[tuple[int, int]]) -> list[str]:
    p = s.platform
    for typ, base, _size in p.iommus:
        why = ("Intel-only (this hypervisor runs on AMD SVM)" if typ == 2 else "configgen does not program IOMMUs")
        msgs.change(f"{where}: warning: IOMMU unit {jh.IOMMU_TYPES.get(typ, typ)} at {base:#x} dropped: {why}")
    if p.vtd_interrupt_limit:
        msgs.note(f"{where}: note: vtd_interrupt_limit {p.vtd_interrupt_limit} dropped (VT-d interrupt remapping)")
    if p.pci_mmconfig_base and not any(a == p.pci_mmconfig_base for a, _ in board.ecam):
        msgs.change(f"{where}: warning: MMCONFIG at {p.pci_mmconfig_base:#x} is not the board's PCI host's: the "
                    "board's is used")
    hyp = s.hypervisor
    L = ["// SPDX-License-Identifier: GPL-2.0",
         f"/* Imported by configgen from {os.path.basename(where)} (Jailhouse configuration revision "
         f"{s.revision}, x86 system). */", "/dts-v1/;", f'#include "{include}"', "", "/ {",
         f"\thypervisor: hypervisor@{hyp.phys:x} {{", '\t\tcompatible = "hv,hypervisor";',
         f"\t\treg = <{hyp.phys >> 32:#x} {hyp.phys & 0xFFFFFFFF:#x} {hyp.size >> 32:#x} {hyp.size & 0xFFFFFFFF:#x}>;"]
    dc = _console(s.debug_console, board, msgs, where, "the debug console")
    if dc is not None:
        L.append(f"\t\tdebug-console = <&{dc.label}>;")
    if s.flags & jh.SYS_VIRTUAL_DEBUG_CONSOLE:
        L.append("\t\tvirtual-debug-console;")
    L += ["", "\t\troot-cell {"] + indent(_root(s, board, msgs, where, pool), 3) + ["\t\t};", "\t};", "};"]
    return L


def cell_lines(c: jh.JhCell, where: str, board: Board, msgs: Msgs, dbg: Optional[BoardDev] = None) -> list[str]:
    taken = _ivshmem_dropped(c, msgs, where, False)
    mem.drop_empty(c, msgs, where, taken)
    devs: list[BoardDev] = []
    regions: list[str] = []
    ram = mem.merge([(a, a + s) for a, s in board.ram])
    for i, m in enumerate(c.memory):
        if i in taken:
            continue
        dev = None
        if mem.is_ram(m) and not all(inside for *_, inside in mem.split(m.phys, m.phys + m.size, ram)):
            fn = [d for d in _pci(c, board, Msgs(), where, False)]
            msgs.change(f"{where}: warning: mem_regions[{i}] at {m.phys:#x} size {m.size:#x} is R/W memory outside "
                        "the board's RAM (upstream lists PCI BARs so): dropped"
                        + (" (the cell's PCI functions bring their BARs)" if fn else " (give the cell the device)"))
            continue
        if m.flags & jh.MEM_IO and m.phys == m.virt:
            lo, hi = m.phys & ~(PAGE - 1), (m.phys + m.size + PAGE - 1) & ~(PAGE - 1)
            dev = next((d for d in board.devices if d.label and not d.controller and d.regs and
                        all(lo <= a and a + s <= hi for a, s in d.regs) and d.regs[0][0] < m.phys + m.size), None)
        if dev is not None:
            devs.append(dev)
            continue
        regions += [""] + mem.cell_region(i, m, msgs, where, PAGE)
    raw_ports = []
    for b, n in c.pio:
        dev = _port_dev(board, b, n)
        if dev is not None and dbg is not None and dev.path == dbg.path:
            msgs.change(f"{where}: warning: ports {b:#x}+{n} are {dev.label}, the hypervisor's debug console: "
                        "dropped (the cell can print through the console hypercall)")
            continue
        if dev is None:
            raw_ports.append((b, n))
        elif dev not in devs:
            devs.append(dev)
    devs += [d for d in _pci(c, board, msgs, where, False) if d not in devs]
    gsis = sorted({i for ch in c.irqchips for i in ch.intids()} - {g for d in devs for g in d.irqs})
    if dbg is not None and set(dbg.irqs) & set(gsis):
        msgs.change(f"{where}: warning: GSIs {sorted(set(dbg.irqs) & set(gsis))} are the interrupts of {dbg.label}, the "
                    "hypervisor's debug console: dropped")
        gsis = [g for g in gsis if g not in dbg.irqs]
    con = _console(c.console, board, msgs, where, "the console")
    node = "".join(ch if ch.isalnum() or ch in ",._+-" else "-" for ch in c.name)[:31] or "cell"
    L = ['compatible = "hv,cell";', f'cell-name = "{c.name}";'] + _cpus(c, board, msgs, where, False)
    if devs:
        L.append("devices = <" + " ".join(f"&{d.label}" for d in devs) + ">;")
    if raw_ports:
        msgs.note(f"{where}: note: ports {', '.join(f'{b:#x}+{n}' for b, n in raw_ports)} belong to no board device: "
                  "kept as pio-regions")
        L.append("pio-regions = <" + " ".join(f"{b:#x} {n}" for b, n in raw_ports) + ">;")
    if gsis:
        L.append(f"gsis = <{' '.join(str(g) for g in gsis)}>;\t/* IOAPIC pins no board device of the cell has */")
    if con is not None and con in devs:
        L.append(f"console = <&{con.label}>;")
    elif con is not None:
        msgs.change(f"{where}: warning: the console {con.label} is no device of the cell: dropped")
    L += flag_lines(c, msgs, where, False)
    head = ["// SPDX-License-Identifier: GPL-2.0",
            f"/* Imported by configgen from {os.path.basename(where)} (Jailhouse configuration revision "
            f"{c.revision}, x86 cell \"{c.name}\"). */", "/dts-v1/;", "/plugin/;", "", "&hypervisor {", f"\t{node} {{"]
    return head + indent(L + regions, 2) + ["\t};", "};"]


def convert(system: Optional[tuple[str, jh.JhSystem]], cells: list[tuple[str, jh.JhCell]], board: Optional[Board],
            board_path: Optional[str], output: Optional[str], many: bool, res: "Result",
            linux_mem: Optional[int] = None) -> "Result":
    from configgen.jhimport import _include, _stem
    msgs = res.msgs
    if board is None:
        first = system[0] if system else cells[0][0]
        msgs.decide.append(f"{first}: an x86 import needs the board (--board BOARD.dts, e.g. "
                           "dts/boards/qemu-x86-q35.dts): a PC's devices, ports and interrupts are not in the blob")
        return res
    cell_taken = []
    ram = mem.merge([(a, a + s) for a, s in board.ram])
    for _p, c in cells:
        # upstream x86 cells list PCI BARs as plain R/W memory: only board RAM goes to the pool
        t: set[int] = {i for d in c.ivshmem for i in d.regions}
        t |= {i for i, m in enumerate(c.memory) if not all(inside for *_, inside in mem.split(m.phys, m.phys + m.size, ram))}
        cell_taken.append(t)
    dbg = next((d for d in board.devices if d.path == board.debug_console), None)
    if system is not None and system[1].debug_console.type:
        dbg = _console(system[1].debug_console, board, Msgs(), "", "")
    if system is not None:
        from configgen.jhimport import _mem_pool
        extra = _mem_pool(system[1].root, set(), linux_mem, msgs, system[0]) if linux_mem is not None else []
        extra = [(lo, hi) for a, e in extra for lo, hi, inside in mem.split(a, e, ram) if inside]
        # no single span on x86: the board's RAM has holes (the VGA window, PCI BARs)
        pool = mem.pool_ranges([c for _, c in cells], cell_taken, extra, span=False)
        out = os.path.join(output, _stem(system[0]) + ".dts") if many else output
        lines = system_lines(system[1], system[0], board, _include(board_path or board.path, out), msgs, pool)
        res.outputs.append((out, "\n".join(lines) + "\n"))
    for p, c in cells:
        out = os.path.join(output, _stem(p) + ".dtso") if many else output
        res.outputs.append((out, "\n".join(cell_lines(c, p, board, msgs, dbg)) + "\n"))
    return res
