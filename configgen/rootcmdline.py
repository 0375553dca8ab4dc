"""The root's kernel parameters on x86, where root Linux boots from firmware (e820), not from a
device tree configgen could write: memmap=SIZE$ADDR for the hypervisor memory, every cell pool
and every non-root cell's RAM outside the pools, so Linux never uses what the hypervisor and the
cells will own (the x86 counterpart of the root DTB's no-map /reserved-memory)."""
from __future__ import annotations

from configgen import abi
from configgen.intervals import merge
from configgen.model import System

_NOT_RAM = abi.MEM_IO | abi.MEM_COMM_REGION


def reserved(sysm: System) -> list[tuple[int, int]]:
    """(start, end) ranges root Linux must not use, merged where they touch."""
    ranges = [(sysm.hyp_mem.start, sysm.hyp_mem.end)] if sysm.hyp_mem.size else []
    ranges += [(r.phys, r.phys + r.size) for r in sysm.root.regions
               if r.flags & abi.MEM_CELL_POOL and not r.flags & _NOT_RAM]
    ranges += [(r.phys, r.phys + r.size) for c in sysm.cells for r in c.regions
               if not r.flags & (_NOT_RAM | abi.MEM_ROOTSHARED) and r.size]
    return merge(ranges)


def build(sysm: System) -> str:
    """One line: `memmap=0x5000000$0x3a000000` (kernel-parameters.txt: memmap=nn$ss marks the
    range reserved). Escape the `$` when passing it through a shell or a boot loader config."""
    return " ".join(f"memmap={e - s:#x}${s:#x}" for s, e in reserved(sysm)) + "\n"
