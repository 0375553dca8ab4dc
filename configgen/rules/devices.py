"""Devices: one owner unless shared; GIC, ITS and IOMMUs never mapped; PCI hosts the root's only."""
from __future__ import annotations

from configgen import abi
from configgen.diag import ERROR, Diagnostic, Note
from configgen.kconfig import Limits
from configgen.model import Cell, DeviceUse, System
from configgen.intervals import overlapping_pairs
from configgen.rules.pci import cell_bar_pages


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    users: dict[str, tuple[Cell, DeviceUse]] = {}
    for c in [sysm.root] + sysm.cells:
        for use in c.devices:
            dev = sysm.devices[use.path]
            if dev.forbidden:
                out.append(Diagnostic(ERROR, "dev-forbidden",
                                      f"cell '{c.name}' maps {dev.path}, {dev.forbidden}, which is never mapped "
                                      f"directly into a cell (board node at {dev.loc})", use.loc,
                                      "the hypervisor emulates it; remove it from the cell's devices",
                                      (Note(dev.loc, "board node"),)))
                continue
            if c.is_root:
                continue
            if dev.root_only:
                out.append(Diagnostic(ERROR, "dev-forbidden",
                                      f"cell '{c.name}' maps {dev.path}, {dev.root_only} (board node at {dev.loc})",
                                      use.loc, "leave the device to the root cell",
                                      (Note(dev.loc, "board node"),)))
                continue
            prev = users.get(use.path)
            if prev is None:
                users[use.path] = (c, use)
                continue
            pc, puse = prev
            if pc is c:
                continue
            if not (use.shared and puse.shared):
                out.append(Diagnostic(ERROR, "dev-conflict",
                                      f"{dev.path} is given to cell '{c.name}' and to cell '{pc.name}' ({puse.loc})",
                                      use.loc, "list it under shared-devices in both cells, or give it to one cell",
                                      (Note(puse.loc, f"'{pc.name}' takes it here"),)))
    # explicit regions (and anything else) overlapping the never-mapped windows
    items = [(r.start, r.end, ("w", what, None, None)) for r, what in sysm.forbidden_windows if r.size]
    items += [(r.start, r.end, ("o", what, None, None)) for r, what in sysm.root_windows if r.size]
    for c in [sysm.root] + sysm.cells:
        for r in c.regions:
            if not r.flags & abi.MEM_COMM_REGION and not r.device:
                items.append((r.phys, r.phys + r.size, ("r", "", c, r)))
    reported: set[int] = set()
    for a, b in overlapping_pairs(items):
        if (a[0] == "r") == (b[0] == "r"):
            continue
        win, reg = (a, b) if b[0] == "r" else (b, a)
        c, r = reg[2], reg[3]
        if id(r) in reported or win[0] == "o" and c.is_root:
            continue
        reported.add(id(r))
        if win[0] == "o" and any(b.start <= r.phys and r.phys + r.size <= b.end for b in cell_bar_pages(sysm, c)):
            continue  # a BAR page of one of the cell's PCI functions (the raw form decompile writes)
        if win[0] == "o":
            out.append(Diagnostic(ERROR, "dev-forbidden",
                                  f"region '{r.name}' of cell '{c.name}' [{r.phys:#x}+{r.size:#x}] overlaps {win[1]}",
                                  r.loc, "shrink or move the region out of the root's PCI windows"))
            continue
        out.append(Diagnostic(ERROR, "dev-forbidden",
                              f"region '{r.name}' of cell '{c.name}' [{r.phys:#x}+{r.size:#x}] maps {win[1]}, "
                              "which is never mapped directly into a cell", r.loc,
                              "the hypervisor emulates these windows; shrink or move the region"))
    return out
