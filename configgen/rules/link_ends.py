"""Rules for the link ends of each cell (derived or raw): limits, the link and peer they name,
their function's address, interrupt, BAR0 and guest range against the cell's own resources."""
from __future__ import annotations

from configgen import abi
from configgen.diag import ERROR, Diagnostic, Loc, Note
from configgen.intervals import overlapping_pairs
from configgen.model import Cell, LinkEnd, Range, System

_U64 = 1 << 64


def _e(rule: str, msg: str, loc: Loc, hint: str, notes: tuple[Note, ...] = ()) -> Diagnostic:
    return Diagnostic(ERROR, rule, msg, loc, hint, notes)


def _bdf(bdf: int) -> str:
    return f"{bdf >> 8:02x}:{bdf >> 3 & 31:02x}.{bdf & 7}"


def _what(sysm: System, c: Cell, e: LinkEnd) -> str:
    name = sysm.links[e.link].name if 0 <= e.link < len(sysm.links) else f"#{e.link}"
    return f"cell '{c.name}': its end of link '{name}' (peer {e.peer_id}, {_bdf(e.bdf)})"


def _limits(sysm: System, c: Cell) -> list[Diagnostic]:
    limit = min(abi.MAX_IVSHMEM_ENDS, getattr(sysm.arch, "max_ivshmem_ends", abi.MAX_IVSHMEM_ENDS))
    if len(c.ends) <= limit:
        return []
    return [_e("link-limit", f"cell '{c.name}' has {len(c.ends)} link ends, the hypervisor takes {limit}",
               c.ends[limit].loc, "connect the cell through fewer links (a link connects up to 16 cells)")]


def _names(sysm: System, c: Cell) -> list[Diagnostic]:
    """What only the raw form can get wrong: the link and peer an end names, duplicates."""
    out = []
    seen: set[tuple[int, int]] = set()
    for e in c.ends:
        if not 0 <= e.link < len(sysm.links):
            out.append(_e("link-peers", f"cell '{c.name}': an end names link {e.link}, the system has "
                                        f"{len(sysm.links)}", e.loc, "compile the cell against its own system"))
            continue
        n = len(sysm.links[e.link].peers)
        if e.peer_id >= n:
            out.append(_e("link-peers", f"{_what(sysm, c, e)}: peer id {e.peer_id}, the link has {n} peers",
                          e.loc, "peer ids count the link's peers from 0"))
        if (e.link, e.peer_id) in seen:
            out.append(_e("link-peers", f"{_what(sysm, c, e)} is listed twice", e.loc, "one end per peer"))
        seen.add((e.link, e.peer_id))
    return out


def _functions(sysm: System, c: Cell) -> list[Diagnostic]:
    out = []
    if c.ends and not sysm.platform.pci_ecam.size:
        out.append(_e("link-slot", f"cell '{c.name}' has link ends but the board has no PCI ECAM window to show "
                                   "them in", c.ends[0].loc, "links need a board with a PCI host "
                                                            "(pci-host-ecam-generic)"))
    real = {u.bdf: u for u in c.pci if u.domain == 0}
    seen: dict[int, LinkEnd] = {}
    for e in c.ends:
        if e.bdf >> 8 or e.bdf & 7 or not e.bdf:
            out.append(_e("link-slot", f"{_what(sysm, c, e)}: a link's function is device 1..31, function 0 of "
                                       "bus 0", e.loc, "use 00:dd.0"))
        elif e.bdf in real:
            out.append(_e("link-slot", f"{_what(sysm, c, e)} is at the address of the cell's PCI function "
                                       f"{real[e.bdf].device or _bdf(e.bdf)}", e.loc,
                          "give the link another pci-device", (Note(real[e.bdf].loc, "the function"),)))
        elif e.bdf in seen:
            out.append(_e("link-slot", f"{_what(sysm, c, e)} has the address of another of its ends", e.loc,
                          "give each link its own pci-device", (Note(seen[e.bdf].loc, "the other end"),)))
        seen.setdefault(e.bdf, e)
    return out


def _irqs(sysm: System, c: Cell) -> list[Diagnostic]:
    prof = sysm.arch
    last = min(sysm.platform.gic_lines, prof.max_spi + 1)
    dev = {i: d.path for d in sysm.devices.values() for i in d.intids}
    out = []
    for e in c.ends:
        if not prof.first_spi <= e.irq < last:
            out.append(_e("link-irq", f"{_what(sysm, c, e)}: interrupt {e.irq} is no SPI of the GIC "
                                      f"({prof.first_spi}..{last - 1})", e.loc, "an end's interrupt is an SPI"))
        elif e.irq in sysm.reserved_intids:
            out.append(_e("link-irq", f"{_what(sysm, c, e)}: interrupt {e.irq} is one the hypervisor reserves",
                          e.loc, "give the link a pci-device whose INTA the interrupt-map routes to another line"
                          if c.is_root else "drop the SPI from reserved-spis"))
        elif e.irq not in c.intids:
            out.append(_e("link-irq", f"{_what(sysm, c, e)}: interrupt {e.irq} is not one of the cell's", e.loc,
                          "give the cell the SPI too (spis)"))
        elif c.is_root and e.irq in dev:
            out.append(_e("link-irq", f"{_what(sysm, c, e)}: its INTx line (INTID {e.irq}) is the board device "
                                      f"{dev[e.irq]}'s too", e.loc, "give the link a pci-device whose INTA the "
                                                                    "interrupt-map routes to a free line"))
        elif not c.is_root and e.irq in dev:
            out.append(_e("link-irq", f"{_what(sysm, c, e)}: interrupt {e.irq} belongs to the board device "
                                      f"{dev[e.irq]}", e.loc, "an end's SPI must be free of board devices"))
    return out


def _guest(sysm: System, c: Cell) -> list[Diagnostic]:
    prof = sysm.arch
    page = prof.page_size
    p = sysm.platform
    fixed = [(w, what) for w, what in ((p.gicd, "GIC distributor"), (p.gicr, "GIC redistributors"),
                                       (p.pci_ecam, "PCI ECAM window")) if w.size and not c.is_root]
    # (the root's regions are identity: an overlap there is link-overlap's)
    regions = [(r.guest, min(r.guest + r.size, _U64), r) for r in c.regions if r.size and not c.is_root]
    out = []
    for e in c.ends:
        size = sysm.links[e.link].size if 0 <= e.link < len(sysm.links) else 0
        g = Range(e.guest, size)
        if e.guest % page or g.end > prof.ipa_limit:
            out.append(_e("link-guest-range", f"{_what(sysm, c, e)}: guest range [{g.start:#x}+{g.size:#x}] is not "
                                              f"page aligned or ends beyond the {prof.ipa_bits}-bit guest space",
                          e.loc, "the link's memory appears at its physical address"))
            continue
        items = [(g.start, g.end, None)] + regions if size else regions
        for a, b in overlapping_pairs(items):
            r = b if a is None else a if b is None else None
            if r is not None:
                out.append(_e("link-guest-range", f"{_what(sysm, c, e)}: the link's memory at guest "
                                                  f"[{g.start:#x}+{g.size:#x}] overlaps the cell's region '{r.name}'",
                              e.loc, "move the region's guest-address (the link appears at its physical address)",
                              (Note(r.loc, f"region '{r.name}'"),)))
        for w, what in fixed:
            if size and g.start < w.end and w.start < g.end:
                out.append(_e("link-guest-range", f"{_what(sysm, c, e)}: the link's memory lies where the cell sees "
                                                  f"the {what}", e.loc, "move the link's memory"))
        out += _bar0(sysm, c, e, regions, fixed)
    return out


def _bar0(sysm: System, c: Cell, e: LinkEnd, regions: list, fixed: list) -> list[Diagnostic]:
    page = sysm.arch.page_size
    if not e.bar0:
        return []
    if e.bar0 % page:
        return [_e("link-guest-range", f"{_what(sysm, c, e)}: BAR0 {e.bar0:#x} is not page aligned", e.loc,
                   "BAR0 is a page")]
    for s, t, r in regions:
        if s < e.bar0 + page and e.bar0 < t:
            return [_e("link-guest-range", f"{_what(sysm, c, e)}: BAR0 {e.bar0:#x} lies in the cell's region "
                                           f"'{r.name}'", e.loc, "BAR0's page must be free in the cell",
                       (Note(r.loc, f"region '{r.name}'"),))]
    for w, what in fixed:
        if w.start < e.bar0 + page and e.bar0 < w.end:
            return [_e("link-guest-range", f"{_what(sysm, c, e)}: BAR0 {e.bar0:#x} lies in the {what}", e.loc,
                       "BAR0's page must be free in the cell")]
    return []


def check_cell(sysm: System, c: Cell) -> list[Diagnostic]:
    if not c.ends:
        return []
    return _limits(sysm, c) + _names(sysm, c) + _functions(sysm, c) + _irqs(sysm, c) + _guest(sysm, c)


def check_system(sysm: System) -> list[Diagnostic]:
    """A (link, peer) is one cell's: the root's, or one non-root cell's of this build."""
    holder = {(e.link, e.peer_id): sysm.root for e in sysm.root.ends}
    out = []
    for c in sysm.cells:
        for e in c.ends:
            other = holder.get((e.link, e.peer_id))
            if other is not None and other is not c:
                out.append(_e("link-peers", f"{_what(sysm, c, e)}: cell '{other.name}' holds that peer too", e.loc,
                              "each peer of a link is one cell"))
            holder.setdefault((e.link, e.peer_id), c)
    return out
