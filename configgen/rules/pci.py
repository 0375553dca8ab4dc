"""PCI functions of non-root cells (both architectures): what the hypervisor's configuration
filter can give a cell. A function it takes must not be a bridge, must sit on bus 0 where the
cell's virtual host has no other bus (arm64), must not bus-master unless the cell is trusted
with DMA, must have BARs configgen can place (through the host's ranges), each BAR window must
be the cell's (identity) and hold no BAR of a function the cell does not own."""
from __future__ import annotations

from typing import Optional

from configgen import abi
from configgen import pci as pcidt
from configgen.diag import ERROR, Diagnostic, Note
from configgen.kconfig import Limits
from configgen.model import BoardDevice, Cell, PciUse, Range, System


def _bdf(u: PciUse) -> str:
    return f"{u.domain:04x}:{u.bdf >> 8:02x}:{(u.bdf >> 3) & 0x1f:02x}.{u.bdf & 7}"


def _functions(sysm: System) -> dict[tuple[int, int], BoardDevice]:
    return {(d.pci_domain, d.bdf): d for d in sysm.devices.values() if d.bdf is not None}


def _function(sysm: System, c: Cell, u: PciUse, dev: BoardDevice) -> list[Diagnostic]:
    """The function's own rules: bridge, bus, DMA, BAR translation."""
    what = f"cell '{c.name}' takes PCI function {_bdf(u)} ({dev.path})"
    note = (Note(dev.loc, "the function"),)
    if dev.pci_bridge or u.bridge:
        return [Diagnostic(ERROR, "pci-forbidden", f"{what}, a bridge: its bus numbers and windows reach beyond "
                                                   "the cell", u.loc,
                           "give the cell the functions behind the bridge, not the bridge", note)]
    out = []
    if getattr(sysm.arch, "pci_bus0_only", False) and u.bdf >> 8:
        out.append(Diagnostic(ERROR, "pci-bus", f"{what} on bus {u.bdf >> 8}: a cell's PCI host has bus 0 only",
                              u.loc, f"{sysm.arch.name} cells see their functions on bus 0 of a host of their own; "
                                     "pick a function on the root bus", note))
    if not dev.pci_no_dma and not c.flags & abi.CELL_DMA_TRUSTED:
        out.append(Diagnostic(ERROR, "pci-dma", f"{what}, which may bus-master (DMA into any memory: there is no "
                                                "IOMMU isolation), but the cell is not trusted with DMA", u.loc,
                              "mark the cell `dma-trusted;` if it may reach all memory, or mark the board's function "
                              "`hv,no-dma;` if it never bus-masters (the hypervisor keeps bus mastering off "
                              "otherwise)", note))
    if dev.pci_problem:
        out.append(Diagnostic(ERROR, "pci-window", f"{what}: {dev.pci_problem}", u.loc,
                              "describe the function's BARs with assigned-addresses inside the host's ranges "
                              "(memory windows identity)", note))
    return out


def _bar_windows(sysm: System, dev: BoardDevice) -> list[tuple[pcidt.Bar, Range, bool]]:
    """(BAR, its page-rounded window, is it ports) of each BAR configgen can place."""
    out = []
    for b in dev.bars:
        if getattr(sysm.arch, "port_io", False) and b.space == pcidt.SPACE_IO:
            out.append((b, Range(b.pci, b.size), True))
        elif b.cpu is not None:
            out.append((b, sysm.arch.page_round(Range(b.cpu, b.size)), False))
        elif getattr(sysm.arch, "port_io", False):  # x86 memory BARs: identity, mapped as they are
            out.append((b, Range(b.pci, b.size), False))
    return out


def cell_bar_pages(sysm: System, c: Cell) -> list[Range]:
    """The memory windows (pages) of the BARs of the cell's PCI functions: regions there are the
    cell's own, though they lie in the root's PCI host windows (rules/devices.py). From the board
    node's assigned-addresses, else (a decompiled board) the page each BAR value starts in."""
    funcs = _functions(sysm)
    out = []
    for u in c.pci:
        dev = funcs.get((u.domain, u.bdf))
        if dev is not None and dev.bars:
            out += [r for _, r, ports in _bar_windows(sysm, dev) if not ports]
            continue
        for i, v in enumerate(u.bars):
            cpu = _bar_cpu(sysm, u.bars, i)
            if cpu is not None:
                out.append(sysm.arch.page_round(Range(cpu, 1)))
    return out


def _bar_cpu(sysm: System, bars: tuple[int, ...], i: int) -> Optional[int]:
    """The CPU address a BAR value decodes at (I/O: through the arm PCI I/O window), if any."""
    v = bars[i]
    if not v or i and bars[i - 1] & 7 == 4:  # unused, or a 64-bit BAR's upper half
        return None
    if v & 1:
        io = sysm.platform.pci_io
        return io.start + (v & ~3) if io.size and not getattr(sysm.arch, "port_io", False) else None
    addr = v & ~0xF
    if v & 6 == 4 and i + 1 < len(bars):
        addr |= bars[i + 1] << 32
    return addr


def _covered(c: Cell, r: Range, ports: bool) -> bool:
    if ports:
        return any(u.base <= r.start and r.end <= u.end for u in c.ports)
    return any(g.phys == g.guest and g.phys <= r.start and r.end <= g.phys + g.size and g.flags & abi.MEM_IO
               for g in c.regions)


def _windows(sysm: System, c: Cell, u: PciUse, dev: BoardDevice, owned: set[tuple[int, int]],
             funcs: dict[tuple[int, int], BoardDevice]) -> list[Diagnostic]:
    """Each BAR window is the cell's (guest == physical) and holds no other function's BAR."""
    out = []
    for b, r, ports in _bar_windows(sysm, dev):
        where = f"ports [{r.start:#x}+{r.size:#x}]" if ports else f"[{r.start:#x}+{r.size:#x}]"
        if not _covered(c, r, ports):
            out.append(Diagnostic(ERROR, "pci-bar-unmapped",
                                  f"cell '{c.name}': BAR{b.index} of PCI function {_bdf(u)} ({b.kind}) lies at "
                                  f"{where}, which no {'port region' if ports else 'identity I/O region'} of the "
                                  "cell holds", u.loc,
                                  "take the function with devices = <&function> (configgen maps its BARs), or add "
                                  "the region with guest-address = physical-address"))
        for key, other in funcs.items():
            if key in owned:
                continue
            hit = _other_bar(sysm, other, r, ports)
            if hit is not None:
                out.append(Diagnostic(ERROR, "pci-bar-page",
                                      f"cell '{c.name}': BAR{b.index} of PCI function {_bdf(u)} shares {where} with "
                                      f"BAR{hit.index} of {other.path}, which the cell does not own", u.loc,
                                      "move one of the BARs (assigned-addresses) to a page of its own, or give the "
                                      "cell both functions", (Note(other.loc, "the other function"),)))
    return out


def _other_bar(sysm: System, other: BoardDevice, r: Range, ports: bool) -> Optional[pcidt.Bar]:
    for b, w, p in _bar_windows(sysm, other):
        if p == ports and w.start < r.end and r.start < w.end:
            return b
    return None


def _shared(sysm: System, c: Cell) -> list[Diagnostic]:
    """arm64: a PCI function is owned through its configuration space, by one cell; sharing its
    BAR pages (shared-devices) would give a cell a function's registers without the function."""
    if getattr(sysm.arch, "port_io", False):  # x86: shared-devices shares a function's MMIO only
        return []
    out = []
    for use in c.devices:
        dev = sysm.devices.get(use.path)
        if use.shared and dev is not None and dev.bdf is not None:
            out.append(Diagnostic(ERROR, "pci-forbidden", f"cell '{c.name}' shares PCI function {dev.path}: a "
                                                          "function has one owner", use.loc,
                                  "take it with devices = <&...> (it leaves the root while the cell exists), "
                                  "or leave it to the root", (Note(dev.loc, "the function"),)))
    return out


def _limit(sysm: System) -> list[Diagnostic]:
    """No more functions per cell than the hypervisor build takes (cfg_limits.h: arm64 8; the root
    lists every function node of the board with all-devices)."""
    maxdev = getattr(sysm.arch, "max_pci_devices", 0)
    out = []
    for c in [sysm.root] + sysm.cells:
        keys = list(dict.fromkeys((u.domain, u.bdf) for u in c.pci))
        if maxdev and len(keys) > maxdev:
            extra = next(u for u in c.pci if (u.domain, u.bdf) == keys[maxdev])
            out.append(Diagnostic(ERROR, "limit-pci", f"cell '{c.name}' has {len(keys)} PCI functions, "
                                                      f"{sysm.arch.name} takes {maxdev} per cell", extra.loc,
                                  "give the functions to fewer per cell, or leave function nodes the root need not "
                                  "list out of the board (the arm64 root keeps unlisted functions)"))
    return out


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    funcs = _functions(sysm)
    out: list[Diagnostic] = _limit(sysm)
    for c in sysm.cells:
        out += _shared(sysm, c)
        owned = {(u.domain, u.bdf) for u in c.pci}
        for u in c.pci:
            dev = funcs.get((u.domain, u.bdf))
            if dev is None or dev.root_only:  # pci-unknown, pci-forbidden (rules/ports.py)
                continue
            diags = _function(sysm, c, u, dev)
            out += diags
            if not any(d.rule in ("pci-forbidden", "pci-window") for d in diags):
                out += _windows(sysm, c, u, dev, owned, funcs)
    return out
