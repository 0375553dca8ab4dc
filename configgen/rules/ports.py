"""Port I/O and PCI functions (x86): inside the port space, one non-root owner, taken from the
root, never the ports and functions the hypervisor or the root must keep."""
from __future__ import annotations

from typing import Optional

from configgen.diag import ERROR, Diagnostic, Note
from configgen.kconfig import Limits
from configgen.model import Cell, PciUse, PortUse, Range, System
from configgen.intervals import Cover, overlapping_pairs


def _p(u: PortUse) -> str:
    return f"ports {u.base:#x}-{u.end - 1:#x}" if u.length > 1 else f"port {u.base:#x}"


def _bdf(u: PciUse) -> str:
    return f"{u.domain:04x}:{u.bdf >> 8:02x}:{(u.bdf >> 3) & 0x1f:02x}.{u.bdf & 7}"


def _range(sysm: System) -> list[Diagnostic]:
    limit = sysm.arch.pio_ports if hasattr(sysm.arch, "pio_ports") else 0
    out = []
    for c in [sysm.root] + sysm.cells:
        for u in c.ports:
            if not u.length or u.end > limit:
                why = (f"{sysm.arch.name} grants no port I/O" if not limit else
                       "it is empty" if not u.length else f"the port space ends at {limit - 1:#x}")
                out.append(Diagnostic(ERROR, "pio-range", f"cell '{c.name}' owns {_p(u) if u.length else 'no port'}"
                                                          f" ({u.base:#x}+{u.length:#x}): {why}", u.loc,
                                      "pio-regions are <first-port count> pairs inside 0..0xffff"))
    return out


def _hit(windows: list[tuple[Range, str]], u: PortUse) -> Optional[str]:
    return next((why for r, why in windows if u.base < r.end and r.start < u.end), None)


def _forbidden(sysm: System) -> list[Diagnostic]:
    out = []
    for c in [sysm.root] + sysm.cells:
        for u in c.ports:
            why = _hit(sysm.trapped_ports, u) or (None if c.is_root else _hit(sysm.root_ports, u))
            if why is not None:
                out.append(Diagnostic(ERROR, "pio-forbidden", f"cell '{c.name}' owns {_p(u)}, which reach {why}",
                                      u.loc, "the hypervisor traps these ports in every cell" if _hit(
                                          sysm.trapped_ports, u) else "these ports stay with the root cell; "
                                      "give the cell other ports or the console hypercall"))
    return out


def _owners(sysm: System) -> list[Diagnostic]:
    items = [(u.base, u.end, (c, u)) for c in sysm.cells for u in c.ports if u.length]
    out = []
    for (ca, ua), (cb, ub) in overlapping_pairs(items):
        if ua.device is not None and ua.device == ub.device and ca is not cb:
            continue  # the same device twice: dev-conflict says so
        out.append(Diagnostic(ERROR, "pio-overlap", f"cell '{cb.name}' owns {_p(ub)}, which overlap {_p(ua)} of "
                                                    f"cell '{ca.name}' ({ua.loc})", ub.loc,
                              "a port has one non-root owner; give each cell its own ports",
                              (Note(ua.loc, f"'{ca.name}' owns them here"),)))
    root = Cover([(u.base, u.end) for u in sysm.root.ports])
    for c in sysm.cells:
        for u in c.ports:
            if u.length and not root.contains(u.base, u.end):
                out.append(Diagnostic(ERROR, "pio-not-in-root",
                                      f"cell '{c.name}' owns {_p(u)}, which the root cell '{sysm.root.name}' does "
                                      "not own", u.loc, "non-root cells take their ports from the root cell "
                                                        "(all-devices gives it every board port)",
                                      (Note(sysm.root.loc, "root cell"),)))
    return out


def _pci(sysm: System) -> list[Diagnostic]:
    board = {(d.pci_domain, d.bdf): d for d in sysm.devices.values() if d.bdf is not None}
    maxdev = getattr(sysm.arch, "max_pci_devices", 0)
    out = []
    owner: dict[tuple[int, int], tuple[Cell, PciUse]] = {}
    root = {(u.domain, u.bdf) for u in sysm.root.pci}
    for c in [sysm.root] + sysm.cells:
        for u in c.pci:
            key = (u.domain, u.bdf)
            dev = board.get(key)
            if not maxdev:
                out.append(Diagnostic(ERROR, "pci-forbidden", f"cell '{c.name}' owns PCI function {_bdf(u)}, but "
                                                              f"{sysm.arch.name} assigns no PCI functions", u.loc,
                                      "map the device's windows as memory regions instead"))
                continue
            if dev is None:
                out.append(Diagnostic(ERROR, "pci-unknown", f"cell '{c.name}' owns PCI function {_bdf(u)}, which "
                                                            "the board does not have", u.loc,
                                      "reference a PCI function node of the board (devices = <&...>), or fix the "
                                      "bus/device/function (pci-devices = <domain << 16 | bus << 8 | dev << 3 | fn>)"))
                continue
            if c.is_root:
                continue
            if dev.root_only:
                out.append(Diagnostic(ERROR, "pci-forbidden", f"cell '{c.name}' owns PCI function {_bdf(u)}, "
                                                              f"{dev.root_only}", u.loc,
                                      "leave it to the root cell", (Note(dev.loc, "board node"),)))
                continue
            if key not in root:
                out.append(Diagnostic(ERROR, "pci-not-in-root", f"cell '{c.name}' owns PCI function {_bdf(u)}, "
                                                                f"which the root cell '{sysm.root.name}' does not own",
                                      u.loc, "non-root cells take PCI functions from the root cell",
                                      (Note(sysm.root.loc, "root cell"),)))
            prev = owner.get(key)
            if prev is not None and prev[0] is not c:
                if not (u.device is not None and u.device == prev[1].device):  # dev-conflict says so
                    out.append(Diagnostic(ERROR, "pci-conflict",
                                          f"PCI function {_bdf(u)} is given to cell '{c.name}' and to cell "
                                          f"'{prev[0].name}' ({prev[1].loc})", u.loc,
                                          "a PCI function has one non-root owner",
                                          (Note(prev[1].loc, f"'{prev[0].name}' takes it here"),)))
            else:
                owner[key] = (c, u)
    return out


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    if not any(c.ports or c.pci for c in [sysm.root] + sysm.cells):
        return []
    return _range(sysm) + _forbidden(sysm) + _owners(sysm) + _pci(sysm)
