"""Interrupts: SPIs only, within the GIC's lines, not reserved, one non-root owner each; how
they reach a cell's CPUs (interrupt-delivery)."""
from __future__ import annotations

from configgen import abi
from configgen.diag import ERROR, Diagnostic, Note
from configgen.kconfig import Limits
from configgen.model import Cell, System
from configgen.rules._ownership import devices_taken_by


def _name(sysm: System, intid: int) -> str:
    """How messages name an interrupt: arm "SPI n (INTID m)", x86 "GSI n"."""
    if hasattr(sysm.arch, "irq_name"):
        return sysm.arch.irq_name(intid)
    return f"SPI {intid - sysm.arch.first_spi} (INTID {intid})"


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
                                      f"cell '{c.name}' takes {_name(sysm, intid)} of {dev.path}, "
                                      "which stays with the root: its driver would never get an interrupt", loc,
                                      "a device's interrupt goes with the device: give the cell the device too "
                                      "(devices = <&...>), or leave both to the root", (Note(dev.loc, "the device"),)))
    return out


def _parent(sysm: System) -> list[Diagnostic]:
    """A device a cell takes whose interrupts configgen cannot hand over (they do not go to the
    GIC directly, or cannot be decoded): the cell would get the device but never its interrupt."""
    out = []
    for c in sysm.cells:
        for use in c.devices:
            dev = sysm.devices.get(use.path)
            if use.shared or dev is None or not dev.irq_problem or dev.forbidden or dev.root_only:
                continue
            out.append(Diagnostic(ERROR, "irq-parent",
                                  f"cell '{c.name}' takes {dev.path}, but configgen cannot give it the device's "
                                  f"interrupts: {dev.irq_problem}", use.loc,
                                  _PCI_PARENT_HINT if dev.bdf is not None else
                                  "route the device's interrupt to the GIC in the board's device tree, or share "
                                  "the device (shared-devices: MMIO only) and give SPIs with spis",
                                  (Note(dev.loc, "the device"),)))
    return out


_PCI_PARENT_HINT = ("a PCI function's interrupts = <PIN> (1..4 = INTA..INTD) goes through its host's interrupt-map "
                    "to the GIC: give the host an interrupt-map (and interrupt-map-mask) with an entry for the function")
_DIRECT_HINT = ('interrupt-delivery = "direct"; (the default: the cell\'s interrupts reach its CPUs with no '
                'exit) or "trap"; (each one passes through the hypervisor)')


def _delivery_error(sysm: System, c: Cell, value: str) -> tuple[str, str]:
    """(message, hint) for an interrupt-delivery this cell cannot have, or ("", "")."""
    has_direct = bool(sysm.arch.cell_flags & abi.CELL_IRQ_DIRECT)
    if value == "trap" or value == "direct" and has_direct and not c.is_root:
        return "", ""
    what = f"cell '{c.name}': interrupt-delivery \"{value}\""
    if c.is_root:
        return (f"{what}: the root cell always runs in trap mode",
                "the hypervisor sees the root's interrupts (it hands them to cells): leave the property out, "
                'or write interrupt-delivery = "trap";')
    if not has_direct:
        return (f"{what}: {sysm.arch.name} has no such mode",
                f"{sysm.arch.name} cells get their interrupts directly already (the hypervisor intercepts no "
                "physical interrupt of a cell's CPU): leave the property out, or write "
                'interrupt-delivery = "trap";')
    return f'{what} is neither "direct" nor "trap"', _DIRECT_HINT


def _delivery(sysm: System) -> list[Diagnostic]:
    """interrupt-delivery: "direct" (arm64 non-root cells, their default) or "trap"; the root and
    x86 cells only "trap", which they are anyway."""
    out = []
    for c in [sysm.root] + sysm.cells:
        if c.irq_delivery is None:
            continue
        msg, hint = _delivery_error(sysm, c, c.irq_delivery)
        if msg:
            out.append(Diagnostic(ERROR, "irq-delivery", msg, c.irq_delivery_loc or c.loc, hint))
    return out


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    out: list[Diagnostic] = _with_device(sysm) + _parent(sysm) + _delivery(sysm)
    lines = sysm.platform.gic_lines
    first = sysm.arch.first_spi
    owner: dict[int, Cell] = {}
    for c in sysm.cells:
        for intid, loc in sorted(c.intids.items()):
            spi = intid - first
            if intid in sysm.reserved_intids:
                rloc = sysm.reserved_intids[intid]
                out.append(Diagnostic(ERROR, "irq-reserved",
                                      f"cell '{c.name}' takes INTID {intid}, which the hypervisor reserves ({rloc})",
                                      loc, "leave hypervisor interrupts alone; pick another SPI",
                                      (Note(rloc, "reserved here"),)))
                continue
            if hasattr(sysm.arch, "irq_valid"):
                if not sysm.arch.irq_valid(intid, sysm.platform):
                    have, hint = sysm.arch.irq_range_text(sysm.platform)
                    out.append(Diagnostic(ERROR, "irq-range", f"cell '{c.name}' takes {_name(sysm, intid)}, but "
                                                              f"{have}", loc, hint))
                    continue
            elif intid < first or intid >= min(lines, sysm.arch.max_spi + 1):
                out.append(Diagnostic(ERROR, "irq-range",
                                      f"cell '{c.name}' takes SPI {spi} (INTID {intid}), but the GIC implements "
                                      f"SPIs 0..{min(lines, sysm.arch.max_spi + 1) - first - 1} (gic-lines = {lines}, "
                                      f"{sysm.platform.gic_lines_loc})", loc,
                                      "spis are numbered from 0 like the DT's <GIC_SPI n ...> specifiers",
                                      (Note(sysm.platform.gic_lines_loc, "gic-lines defined here"),)))
                continue
            prev = owner.get(intid)
            if prev is not None:
                ploc = prev.intids[intid]
                out.append(Diagnostic(ERROR, "irq-conflict",
                                      f"{_name(sysm, intid)} is given to cell '{c.name}' and to cell "
                                      f"'{prev.name}' ({ploc})", loc,
                                      "an interrupt line has one owner; share the device with shared-devices "
                                      "(MMIO only) or give it to one cell", (Note(ploc, f"'{prev.name}' takes it here"),)))
            else:
                owner[intid] = c
    return out
