"""Jailhouse arm64 configurations to configgen sources (system .dts, cell .dtso bodies).

With a board, the root cell is rewritten into what configgen accepts: CPUs the board lacks are
clipped, MMIO windows become the board devices they cover (`all-devices` when they cover all of
them), the physical PCI ECAM window is dropped (the hypervisor emulates configuration space and
the root gets the PCI host as a board device).  A non-root cell's I/O region that is a board
device becomes a `devices`/`shared-devices` reference.  Every change is a warning with its reason.
"""
from __future__ import annotations

import os
from typing import Optional

from configgen import abi, arch
from configgen import jhformat as jh
from configgen import jhimport_mem as mem
from configgen.jhimport_board import Board, BoardDev, is_pl011
from configgen.jhimport_links import Msgs

_PROF = arch.by_name("arm64")
PAGE = _PROF.page_size
FIRST_SPI = _PROF.first_spi


def _reg(a: int, s: int) -> str:
    return f"<{a >> 32:#x} {a & 0xFFFFFFFF:#x} {s >> 32:#x} {s & 0xFFFFFFFF:#x}>"


def _page_round(a: int, s: int) -> tuple[int, int]:
    lo, hi = a & ~(PAGE - 1), (a + s + PAGE - 1) & ~(PAGE - 1)
    return lo, hi - lo


def _spi_text(intids: list[int]) -> str:
    return " ".join(str(i - FIRST_SPI) for i in sorted(intids))


def _overlaps(d: BoardDev, a: int, e: int) -> bool:
    return any(a < ra + rs and ra < e for ra, rs in d.regs)


def cpu_lines(cell: jh.JhCell, board: Optional[Board], msgs: Msgs, where: str, is_root: bool) -> list[str]:
    cpus = cell.cpus
    if board is not None:
        extra = [c for c in cpus if c >= len(board.cpus)]
        if extra and is_root:
            msgs.change(f"{where}: warning: root CPUs {_ranges(extra)} do not exist on {os.path.basename(board.path)} "
                        f"({len(board.cpus)} CPUs): clipped (upstream lists more CPUs than most boards have)")
            cpus = [c for c in cpus if c < len(board.cpus)]
        elif extra:
            msgs.decide.append(f"{where}: CPUs {_ranges(extra)} do not exist on {board.path} "
                               f"({len(board.cpus)} CPUs): give the cell CPUs the board has")
            cpus = [c for c in cpus if c < len(board.cpus)]
        if all(board.cpus[i][0] for i in cpus):
            return ["cpus = <" + " ".join(f"&{board.cpus[i][0]}" for i in cpus) + ">;"]
    return ["/* Jailhouse CPU numbers are Linux logical CPUs; here taken as indices in MPIDR order */",
            "cpu-indices = <" + " ".join(str(i) for i in cpus) + ">;"]


def _ranges(v: list[int]) -> str:
    out, i = [], 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[j + 1] == v[j] + 1:
            j += 1
        out.append(str(v[i]) if i == j else f"{v[i]}-{v[j]}")
        i = j + 1
    return ",".join(out)


def console_lines(con: jh.JhConsole, board: Optional[Board], msgs: Msgs, where: str) -> list[str]:
    if con.type == 0:
        return []
    if con.type != jh.CON_PL011 or not con.flags & jh.CON_MMIO:
        name = jh.CON_TYPES[con.type] if con.type < len(jh.CON_TYPES) else str(con.type)
        msgs.change(f"{where}: warning: console of type {name} at {con.address:#x} dropped: configgen supports "
                    "PL011 consoles on arm64 (the cell keeps the console hypercall)")
        return [f"/* console: {name} at {con.address:#x} dropped (only PL011 is supported) */"]
    if board is not None:
        dev = next((d for d in board.labelled(is_pl011) if d.regs[0][0] == con.address), None)
        if dev is not None:
            return [f"console = <&{dev.label}>;"]
    return ['console-type = "pl011";', f"console-address = {mem.u64(con.address)};",
            f"console-size = {mem.u64(con.size or PAGE)};"]


def _root_io(root: jh.JhCell, taken: set[int], board: Board, msgs: Msgs, where: str) -> list[str]:
    """The root's I/O regions as board devices: all-devices when they cover every device."""
    candidates = [d for d in board.devices if d.enabled and not d.controller and d.regs]
    covered: list[BoardDev] = []
    for i, m in enumerate(root.memory):
        if i in taken or m.empty or not m.flags & jh.MEM_IO:
            continue
        taken.add(i)
        what = f"mem_regions[{i}] (MMIO {m.phys:#x}-{m.phys + m.size - 1:#x})"
        if any(m.phys < a + s and a < m.phys + m.size for a, s in board.ecam):
            msgs.change(f"{where}: warning: {what} is the board's PCI ECAM window: dropped (the hypervisor emulates "
                        "PCI configuration space; the root gets the PCI host as a board device)")
            covered += [d for d in candidates if d not in covered and _overlaps(d, m.phys, m.phys + m.size)]
            continue
        hit = [d for d in candidates if _overlaps(d, m.phys, m.phys + m.size)]
        if not hit:
            msgs.change(f"{where}: warning: {what} covers no device of {os.path.basename(board.path)}: dropped")
            continue
        covered += [d for d in hit if d not in covered]
        if len(hit) > 1 or m.size > 0x10000:
            names = ", ".join(d.label or d.path for d in hit[:5]) + (f" and {len(hit) - 5} more" if len(hit) > 5 else "")
            msgs.change(f"{where}: warning: {what} turned into the board devices it covers ({names}): configgen "
                        "gives cells devices, not address windows")
    if not covered:
        return []
    extra = [d.label or d.path for d in candidates if d not in covered]
    if extra:
        msgs.change(f"{where}: warning: the root gets every board device (all-devices), also "
                    + ", ".join(f"'{x}'" for x in extra[:6]) + (" ..." if len(extra) > 6 else "")
                    + ", which its upstream windows did not cover (configgen's root takes the board whole)")
    return ["all-devices;\t/* the board devices the upstream root's MMIO windows covered, and the rest */"]


def _cell_io(cell: jh.JhCell, i: int, m: jh.JhMemory, board: Optional[Board], msgs: Msgs, where: str
             ) -> Optional[BoardDev]:
    """The labelled board device a non-root I/O region stands for (page-rounded match, or a
    sub-page region inside one device)."""
    if board is None or m.phys != m.virt:
        return None
    lo, size = _page_round(m.phys, m.size)
    hits = [d for d in board.labelled(lambda d: d.regs and not d.controller)
            if [_page_round(a, s) for a, s in d.regs] == [(lo, size)]]
    if len(hits) == 1:
        if (lo, size) != (m.phys, m.size):
            msgs.change(f"{where}: warning: mem_regions[{i}] at {m.phys:#x} size {m.size:#x} is a sub-page part of "
                        f"{hits[0].path}: the cell gets the device's whole page")
        return hits[0]
    return None


def cell_body(cell: jh.JhCell, board: Optional[Board], msgs: Msgs, where: str, is_root: bool,
              taken: set[int], pool: list[tuple[int, int]], n_links: int = 0,
              hyp: Optional[tuple[int, int]] = None) -> list[str]:
    L = [f'compatible = "{"hv,root-cell" if is_root else "hv,cell"}";', f'cell-name = "{cell.name}";']
    L += cpu_lines(cell, board, msgs, where, is_root)
    intids = sorted({i for c in cell.irqchips for i in c.intids()})
    low = [i for i in intids if i < FIRST_SPI]
    if low:
        msgs.note(f"{where}: note: irqchip pins {low} are SGIs/PPIs, which every cell has: dropped")
    spis = [i for i in intids if i >= FIRST_SPI]
    if not is_root and n_links:
        vpci = range(cell.vpci_irq_base + FIRST_SPI, cell.vpci_irq_base + FIRST_SPI + 4)
        owned = {s for d in (board.devices if board else []) for s in d.irqs}
        gone = [s for s in spis if s in vpci and s not in owned]
        if gone:
            msgs.note(f"{where}: note: SPIs {_spi_text(gone)} were the virtual PCI INTx of the cell's ivshmem "
                      "devices: dropped (configgen derives each link end's interrupt)")
            spis = [s for s in spis if s not in gone]
    devices, shared, regions = [], [], []
    if is_root and board is not None:
        L += _root_io(cell, taken, board, msgs, where)
    for i, m in enumerate(cell.memory):
        if i in taken or m.empty:
            continue
        if is_root and mem.is_ram(m):
            continue  # written by root_ram with the pool cut out
        dev = None if is_root or not m.flags & jh.MEM_IO else _cell_io(cell, i, m, board, msgs, where)
        base = jh.MEM_READ | jh.MEM_WRITE | jh.MEM_IO
        fl = m.flags & ~jh.MEM_IO_WIDTHS & ~jh.MEM_IO_UNALIGNED
        if dev is not None and fl & ~jh.MEM_ROOTSHARED == base:
            if fl & jh.MEM_ROOTSHARED:
                shared.append(dev)
                lost = [x for x in spis if x in dev.irqs]
                if lost:
                    msgs.change(f"{where}: warning: SPIs {_spi_text(lost)} of {dev.label}, which the cell shares "
                                "with the root: dropped (a shared device's interrupt stays with the root)")
                    spis = [x for x in spis if x not in lost]
            else:
                devices.append(dev)
                spis = [s for s in spis if s not in dev.irqs]
            continue
        regions += [""] + mem.cell_region(i, m, msgs, where, PAGE)
    if is_root:
        regions += mem.root_ram(cell, taken, pool, msgs, where, PAGE, board, hyp)
    labels = [d.label for d in devices] + pci_lines(cell, board, msgs, where, is_root)
    if labels:
        L.append("devices = <" + " ".join(f"&{lb}" for lb in labels) + ">;")
    if shared:
        L.append("shared-devices = <" + " ".join(f"&{d.label}" for d in shared) + ">;")
    if spis and not is_root:
        L += ["/* interrupts not tied to a board device, as <GIC_SPI n> numbers */", f"spis = <{_spi_text(spis)}>;"]
    L += console_lines(cell.console, board, msgs, where)
    L += flag_lines(cell, msgs, where, is_root)
    return L + regions


def flag_lines(cell: jh.JhCell, msgs: Msgs, where: str, is_root: bool) -> list[str]:
    L = []
    if cell.flags & jh.CELL_PASSIVE_COMMREG:
        L.append("passive-comm-region;")
    elif not is_root:
        L.append("may-lock;\t/* Jailhouse lets every cell that takes part in messaging lock the system */")
    if cell.flags & jh.CELL_VCONSOLE_ACTIVE:
        L.append("virtual-console-active;")
    elif cell.flags & jh.CELL_VCONSOLE_PERMITTED:
        L.append("virtual-console-permitted;")
    if cell.flags & jh.CELL_AARCH32:
        # Dropping it would start the cell's 32-bit code in AArch64 state: not a change to make
        # for the user.
        msgs.must_decide(f"{where}: cell flag AARCH32: the hypervisor runs cells in AArch64 state only\n"
                         "build the cell's software for arm64 and import the cell without the flag")
    if cell.flags & jh.CELL_TEST_DEVICE:
        L.append("/* Jailhouse cell flag TEST_DEVICE dropped */")
        msgs.change(f"{where}: warning: cell flag TEST_DEVICE has no configgen equivalent: dropped")
    if cell.cpu_reset_address or not is_root:
        L.append(f"cpu-reset-address = {mem.u64(cell.cpu_reset_address)};")
    if cell.msg_reply_timeout:
        # Jailhouse counts polls of no defined length; here it is microseconds, capped at 1 s.
        us = min(cell.msg_reply_timeout, abi.MSG_REPLY_LIMIT_US)
        L.append(f"msg-reply-timeout = {mem.u64(us)};\t/* Jailhouse: {cell.msg_reply_timeout} polls */")
        if us != cell.msg_reply_timeout:
            msgs.change(f"{where}: warning: msg_reply_timeout {cell.msg_reply_timeout} polls taken as the limit, "
                        f"{us} us")
    for what, n in cell.counts.items():
        L.append(f"/* {n} Jailhouse {what} dropped: configgen has no equivalent */")
        msgs.change(f"{where}: warning: {n} {what} dropped (not supported by configgen)")
    return L


def pci_lines(cell: jh.JhCell, board: Optional[Board], msgs: Msgs, where: str, is_root: bool) -> list[str]:
    """Physical PCI devices: the board's function with that BDF, else reported."""
    refs = []
    for d in cell.pci:
        if d.type == jh.PCI_TYPE_IVSHMEM:
            continue
        kind = "bridge" if d.type == jh.PCI_TYPE_BRIDGE else "device"
        dev = next((b for b in board.devices if b.bdf == d.bdf) , None) if board else None
        if dev is not None and dev.label and not is_root:
            refs.append(dev.label)
            continue
        if dev is not None and is_root:
            continue  # the root has every board function through all-devices / the PCI host
        msgs.change(f"{where}: warning: PCI {kind} {d.name} dropped: "
                    + ("the board has no function there" if board else "no board given (--board) to find it on"))
    return refs
