"""Inter-cell link rules (configgen/links.py builds the links and ends): the link table, its
memory, and every end of the cells in this build against its cell and the system."""
from __future__ import annotations

from configgen import abi
from configgen.diag import ERROR, Diagnostic, Loc, Note
from configgen.intervals import Cover, overlapping_pairs
from configgen.kconfig import Limits
from configgen.links import NUM_SLOTS, PROTOCOLS, well_formed
from configgen.model import Link, System

_U64 = 1 << 64
_NOT_RAM = abi.MEM_IO | abi.MEM_COMM_REGION


def _e(rule: str, msg: str, loc: Loc, hint: str, notes: tuple[Note, ...] = ()) -> Diagnostic:
    return Diagnostic(ERROR, rule, msg, loc, hint, notes)


def _span(ln: Link) -> str:
    return f"[{ln.phys:#x}-{ln.end - 1:#x}]" if ln.size else f"at {ln.phys:#x} (empty)"


def _valid_name(name: str) -> bool:
    return 0 < len(name) < abi.NAME_LEN and all(0x20 <= ord(ch) <= 0x7E for ch in name)


def _unsupported(sysm: System) -> list[Diagnostic]:
    if getattr(sysm.arch, "ivshmem_links", False):
        return []
    out = [_e("link-unsupported", f"link '{ln.name}': {sysm.arch.name} has no inter-cell links (ivshmem) yet",
              ln.loc, "remove the `links` node: only arm64 systems support inter-cell links")
           for ln in sysm.links]
    for c in [sysm.root] + sysm.cells:
        if c.ends and c.ends_raw:
            out.append(_e("link-unsupported", f"cell '{c.name}': {sysm.arch.name} has no inter-cell links "
                                              "(ivshmem) yet", c.ends[0].loc, "remove ivshmem-ends"))
    return out


def _table(sysm: System) -> list[Diagnostic]:
    out = []
    if len(sysm.links) > abi.MAX_IVSHMEM_LINKS:
        ln = sysm.links[abi.MAX_IVSHMEM_LINKS]
        out.append(_e("link-limit", f"{len(sysm.links)} links, the format holds {abi.MAX_IVSHMEM_LINKS}", ln.loc,
                      "merge links: one link can connect up to 16 cells"))
    for ln in sysm.links:
        out += _name_peers(sysm, ln) + _protocol(ln) + _sizes(sysm, ln)
    return out


def _name_peers(sysm: System, ln: Link) -> list[Diagnostic]:
    out = []
    if not _valid_name(ln.name):
        out.append(_e("link-name", f"link name '{ln.name}' is empty, longer than {abi.NAME_LEN - 1} bytes or not "
                                   "printable ASCII", ln.loc, "rename the link node (its name is the link's name)"))
    at = ln.at("peers")
    n = len(ln.peers)
    if not 2 <= n <= abi.IVSHMEM_MAX_PEERS:
        out.append(_e("link-peers", f"link '{ln.name}' has {n} peer(s); a link connects 2 to "
                                    f"{abi.IVSHMEM_MAX_PEERS} cells", at,
                      "list the cell-name of every cell the link connects"))
    seen: set[str] = set()
    for name in ln.peers:
        if not _valid_name(name):
            out.append(_e("link-peers", f"link '{ln.name}': peer '{name}' is not a valid cell name", at,
                          f"peers are cell-name values: 1 to {abi.NAME_LEN - 1} printable ASCII characters"))
        elif name in seen:
            out.append(_e("link-peers", f"link '{ln.name}' lists peer '{name}' twice", at,
                          "each cell is one peer of a link (its id is its position)"))
        seen.add(name)
    return out


def _protocol(ln: Link) -> list[Diagnostic]:
    if ln.protocol >= 0:
        return []
    return [_e("link-protocol", f"link '{ln.name}': protocol {ln.protocol_text} is unknown", ln.at("protocol"),
               f"use {', '.join(repr(p) for p in PROTOCOLS)} or a number <0x4000> .. <0x7fff>")]


def _sizes(sysm: System, ln: Link) -> list[Diagnostic]:
    page = sysm.arch.page_size
    bad = [f"{what} {v:#x}" for what, v in (("state-table-size", ln.state_size), ("rw-section-size", ln.rw_size),
                                             ("output-section-size", ln.out_size)) if v % page]
    out = []
    if bad:
        out.append(_e("link-size", f"link '{ln.name}': {', '.join(bad)} not a multiple of {page:#x}", ln.loc,
                      f"sizes are page multiples ({page:#x})"))
    if ln.state_size < 4 * max(len(ln.peers), 1) or ln.state_size >= 1 << 32:
        out.append(_e("link-size", f"link '{ln.name}': state table of {ln.state_size:#x} bytes for "
                                   f"{len(ln.peers)} peers (4 bytes each, below 4 GiB)",
                      ln.at("state-table-size"), "drop state-table-size (one page) or give a page multiple"))
    if ln.end > _U64 or ln.rw_size >= _U64 or ln.out_size >= _U64:
        out.append(_e("link-size", f"link '{ln.name}': its memory reaches beyond 2^64", ln.loc,
                      "check the sizes and the physical address"))
    return out


def _memory(sysm: System) -> list[Diagnostic]:
    page = sysm.arch.page_size
    pool = Cover([(r.start, r.end) for r in sysm.cell_pool])
    out = []
    for ln in sysm.links:
        at = ln.at("physical-address")
        if ln.state_size == 0 or ln.end > _U64:
            continue  # link-size
        if ln.phys % page:
            out.append(_e("link-memory", f"link '{ln.name}': physical-address {ln.phys:#x} is not page aligned",
                          at, f"use a multiple of {page:#x}"))
        elif ln.end <= _U64 and not pool.contains(ln.phys, ln.end):
            out.append(_e("link-memory", f"link '{ln.name}': its memory {_span(ln)} is not inside the root's cell "
                                         "pool", at, "place the link's memory in free space of the region marked "
                                                     "`cell-pool;` (the root gives it up to the link)"))
    return out


def _overlaps(sysm: System) -> list[Diagnostic]:
    out = []
    h = sysm.hyp_mem
    page = sysm.arch.page_size
    links = [ln for ln in sysm.links if well_formed(ln, page)]  # (the others: link-size, link-memory)
    items = [(ln.phys, ln.end, ln) for ln in links]
    for a, b in overlapping_pairs(items):
        out.append(_e("link-overlap", f"link '{b.name}' {_span(b)} overlaps link '{a.name}' {_span(a)}",
                      b.at("physical-address"), "give every link its own memory",
                      (Note(a.loc, f"link '{a.name}'"),)))
    for ln in links:
        if ln.size and ln.phys < h.end and h.start < ln.end:
            out.append(_e("link-overlap", f"link '{ln.name}' {_span(ln)} overlaps the hypervisor memory",
                          ln.at("physical-address"), "move the link's memory into the cell pool",
                          (Note(sysm.hyp_loc, "hypervisor memory"),)))
    regs = [(r.phys, min(r.phys + r.size, _U64), (c, r)) for c in [sysm.root] + sysm.cells for r in c.regions
            if not r.flags & abi.MEM_COMM_REGION and r.size]
    for ln in links:
        for s, e, (c, r) in regs:
            if ln.size and s < ln.end and ln.phys < e:
                out.append(_e("link-overlap", f"region '{r.name}' of cell '{c.name}' [{s:#x}-{e - 1:#x}] overlaps "
                                              f"the memory of link '{ln.name}' {_span(ln)}", r.loc,
                              "the link's memory belongs to the link: no cell maps it (the hypervisor maps it into "
                              "every peer); move the region", (Note(ln.loc, f"link '{ln.name}'"),)))
    return out


def _slots(sysm: System) -> list[Diagnostic]:
    board = {d.bdf >> 3 & 31: d.path for d in sysm.devices.values() if d.bdf is not None and d.bdf >> 8 == 0}
    out = []
    first: dict[int, Link] = {}
    for ln in sysm.links:
        if ln.slot is None:
            continue
        at = ln.at("pci-device")
        if not 0 < ln.slot < NUM_SLOTS:
            out.append(_e("link-slot", f"link '{ln.name}': pci-device {ln.slot:#x} is not a device number 1..31",
                          at, "drop pci-device (configgen picks a free one) or give 0x1..0x1f"))
        elif ln.slot in board:
            out.append(_e("link-slot", f"link '{ln.name}': device {ln.slot:#x} on bus 0 is the board's "
                                       f"{board[ln.slot]}", at, "drop pci-device or pick a free device number"))
        elif ln.slot in first:
            out.append(_e("link-slot", f"link '{ln.name}': device {ln.slot:#x} is link '{first[ln.slot].name}''s "
                                       "too", at, "give each link its own pci-device",
                          (Note(first[ln.slot].loc, f"link '{first[ln.slot].name}'"),)))
        else:
            first[ln.slot] = ln
    return out


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    if not getattr(sysm.arch, "ivshmem_links", False):
        return _unsupported(sysm)
    from configgen.rules import link_ends
    out = _table(sysm) + _memory(sysm) + _overlaps(sysm) + _slots(sysm)
    for c in [sysm.root] + sysm.cells:
        out += link_ends.check_cell(sysm, c)
    return out + link_ends.check_system(sysm)

