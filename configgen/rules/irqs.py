"""Interrupts: SPIs only, within the GIC's lines, not reserved, one non-root owner each."""
from __future__ import annotations

from configgen import abi
from configgen.diag import ERROR, Diagnostic, Note
from configgen.kconfig import Limits
from configgen.model import Cell, System
from configgen.rules._ownership import devices_taken_by


def _with_device(sysm: System) -> list[Diagnostic]:
    """An SPI of a device the root keeps stays with the root: its driver needs it."""
    by_intid: dict[int, list[str]] = {}
    for dev in sysm.devices.values():
        if dev.enabled:
            for intid in dev.intids:
                by_intid.setdefault(intid, []).append(dev.path)
    out = []
    for c in sysm.cells:
        taken = devices_taken_by(sysm, c)
        for intid, loc in sorted(c.intids.items()):
            kept = [p for p in by_intid.get(intid, []) if p not in taken]
            if kept:
                dev = sysm.devices[kept[0]]
                out.append(Diagnostic(ERROR, "irq-device-split",
                                      f"cell '{c.name}' takes SPI {intid - abi.FIRST_SPI} (INTID {intid}) of {dev.path}, "
                                      "which stays with the root: its driver would never get an interrupt", loc,
                                      "a device's interrupt goes with the device: give the cell the device too "
                                      "(devices = <&...>), or leave both to the root", (Note(dev.loc, "the device"),)))
    return out


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    out: list[Diagnostic] = _with_device(sysm)
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
