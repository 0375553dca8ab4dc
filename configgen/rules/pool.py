"""The cell pool: the root RAM that non-root cells are carved from. The root DTB reserves it
whole, so a cell built after the root booted can never take RAM Linux uses."""
from __future__ import annotations

from configgen import abi
from configgen.diag import ERROR, WARNING, Diagnostic, Note
from configgen.kconfig import Limits
from configgen.model import Cell, Region, System
from configgen.intervals import Cover

_NOT_RAM = abi.MEM_IO | abi.MEM_COMM_REGION
# Root Linux needs RAM of its own to boot: the root DTB reserves the cell pool whole, so what the
# root keeps is its RAM outside the pool (configgen import --mem refuses less, too).
ROOT_RAM_MIN = 32 << 20


def _desc(c: Cell, r: Region) -> str:
    return f"region '{r.name}' of cell '{c.name}' [{r.phys:#x}-{r.phys + r.size - 1:#x}]"


def _misplaced(sysm: System) -> list[Diagnostic]:
    out = []
    for c in [sysm.root] + sysm.cells:
        for r in c.regions:
            if not r.flags & abi.MEM_CELL_POOL:
                continue
            if c.is_root and not r.flags & _NOT_RAM:
                continue
            why = "a non-root cell" if not c.is_root else "an MMIO region"
            out.append(Diagnostic(ERROR, "mem-pool-invalid", f"{_desc(c, r)} is marked cell-pool in {why}", r.loc,
                                  "cell-pool marks the root cell's RAM region that the cells are carved from"))
    return out


def _outside(sysm: System) -> list[Diagnostic]:
    pools = [r for r in sysm.root.regions if r.flags & abi.MEM_CELL_POOL and not r.flags & _NOT_RAM]
    # the pool as declared: the links' memory cut out of it (configgen/links.py) is still pool
    cover = Cover([(r.start, r.end) for r in sysm.cell_pool] or [(r.phys, r.phys + r.size) for r in pools])
    notes = tuple(Note(r.loc, f"cell pool '{r.name}'") for r in pools)
    ram = [(c, r) for c in sysm.cells for r in c.regions if not r.flags & _NOT_RAM and r.size]
    if not pools:
        if not ram:
            return []
        c, r = ram[0]
        return [Diagnostic(WARNING, "mem-pool-missing",
                           f"the system declares no cell pool: the root DTB reserves only the RAM of the cells "
                           f"compiled with it; {_desc(c, r)} is one", r.loc,
                           "mark the root RAM region the cells are carved from `cell-pool;`: the root DTB then "
                           "reserves it whole, and a cell built later cannot take RAM root Linux uses",
                           (Note(sysm.root.loc, "root cell"),))]
    return [Diagnostic(ERROR, "mem-outside-pool",
                       f"{_desc(c, r)} lies outside the cell pool, in RAM root Linux may use", r.loc,
                       "place the cell's RAM inside a root region marked `cell-pool;`", notes)
            for c, r in ram if not cover.contains(r.phys, r.phys + r.size)]


def _root_keeps(sysm: System) -> list[Diagnostic]:
    pools = [r for r in sysm.root.regions if r.flags & abi.MEM_CELL_POOL and not r.flags & _NOT_RAM]
    if not pools:
        return []
    cover = Cover([(r.start, r.end) for r in sysm.cell_pool] or [(r.phys, r.phys + r.size) for r in pools])
    ram = [r for r in sysm.root.regions if not r.flags & (_NOT_RAM | abi.MEM_CELL_POOL)]
    kept = sum(ge - gs for r in ram for gs, ge in cover.gaps(r.phys, r.phys + r.size))
    if kept >= ROOT_RAM_MIN:
        return []
    return [Diagnostic(ERROR, "mem-root-ram-min",
                       f"the root cell '{sysm.root.name}' keeps {kept >> 20} MiB of RAM outside the cell pool "
                       f"(at least {ROOT_RAM_MIN >> 20} MiB): the root DTB reserves the pool whole and root "
                       "Linux would not boot", sysm.root.loc,
                       "shrink the cell pool or give the root cell a RAM region outside it",
                       tuple(Note(r.loc, f"cell pool '{r.name}'") for r in {r.name: r for r in pools}.values()))]


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    return _misplaced(sysm) + _outside(sysm) + _root_keeps(sysm)
