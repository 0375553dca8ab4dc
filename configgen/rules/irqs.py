"""Interrupts: SPIs only, within the GIC's lines, not reserved, one non-root owner each."""
from __future__ import annotations

from configgen import abi
from configgen.diag import ERROR, Diagnostic, Note
from configgen.kconfig import Limits
from configgen.model import Cell, System


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    lines = sysm.platform.gic_lines
    owner: dict[int, Cell] = {}
    for c in sysm.cells:
        for intid, loc in sorted(c.intids.items()):
            spi = intid - abi.FIRST_SPI
            if intid in sysm.reserved_intids:
                rloc = sysm.reserved_intids[intid]
                out.append(Diagnostic(ERROR, "irq-reserved",
                                      f"cell '{c.name}' takes INTID {intid}, which the hypervisor reserves ({rloc})",
                                      loc, "leave hypervisor interrupts alone; pick another SPI",
                                      (Note(rloc, "reserved here"),)))
                continue
            if intid < abi.FIRST_SPI or intid >= min(lines, abi.MAX_SPI_INTID + 1):
                out.append(Diagnostic(ERROR, "irq-range",
                                      f"cell '{c.name}' takes SPI {spi} (INTID {intid}), but the GIC implements "
                                      f"SPIs 0..{min(lines, abi.MAX_SPI_INTID + 1) - abi.FIRST_SPI - 1} (gic-lines = {lines}, "
                                      f"{sysm.platform.gic_lines_loc})", loc,
                                      "spis are numbered from 0 like the DT's <GIC_SPI n ...> specifiers",
                                      (Note(sysm.platform.gic_lines_loc, "gic-lines defined here"),)))
                continue
            prev = owner.get(intid)
            if prev is not None:
                ploc = prev.intids[intid]
                out.append(Diagnostic(ERROR, "irq-conflict",
                                      f"SPI {spi} (INTID {intid}) is given to cell '{c.name}' and to cell "
                                      f"'{prev.name}' ({ploc})", loc,
                                      "an interrupt line has one owner; share the device with shared-devices "
                                      "(MMIO only) or give it to one cell", (Note(ploc, f"'{prev.name}' takes it here"),)))
            else:
                owner[intid] = c
    return out
