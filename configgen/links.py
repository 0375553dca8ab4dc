"""Inter-cell links (ivshmem): the system's `links` node into the model, the values configgen
derives for every end, and each cell's ends.

Every derived value is a function of the system alone (links in source order, peers in list
order), so a cell compiled on its own gets the same end as when compiled with all the others:
  * slot (device number, the same for every end of a link): pci-device, else the lowest >= 0x10
    that no board function on bus 0 and no other link uses and, when the root is a peer, whose
    INTA the board's interrupt-map routes to an SPI no board device uses (root ends may share
    a line with each other, never with a device);
  * the root's irq: its slot's INTA through the board's interrupt-map;
  * a non-root end's irq: the lowest SPI that no board device, no INTx line of the PCI host,
    no reserved SPI and no earlier end uses (the cell takes it from the root like any SPI);
  * bar0: root 0 (Linux assigns it); non-root: one page per link from the top of the host's
    32-bit memory window down, skipping the board functions' BARs;
  * guest_start: the link's physical address (identity).
A value that cannot be derived is reported only when an end needs it (the system alone does
not know which of its peers will be compiled).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from configgen import abi, pci
from configgen.bindings import Locator
from configgen.diag import ERROR, Diagnostic, Loc, Note
from configgen.model import Cell, Link, LinkEnd, Range, Region, System
from configgen.tree import Node, Tree

CONTAINER = "links"
COMPATIBLE = "hv,ivshmem-link"
PROTOCOLS = {"undefined": abi.IVSHMEM_PROTO_UNDEFINED, "net": abi.IVSHMEM_PROTO_NET,
             "echo": abi.IVSHMEM_PROTO_ECHO}
USER_PROTOCOLS = range(abi.IVSHMEM_PROTO_USER_FIRST, abi.IVSHMEM_PROTO_USER_LAST + 1)
FIRST_SLOT = 0x10
NUM_SLOTS = 32
# the raw form of a cell's ends (decompile): 7 cells per end
RAW_PROP = "ivshmem-ends"
RAW_FIELDS = ("link", "peer_id", "bdf", "irq", "bar0", "guest_hi", "guest_lo")
_NOT_RAM = abi.MEM_IO | abi.MEM_COMM_REGION
_INTA = 1


def _e(rule: str, msg: str, loc: Loc, hint: str = "", notes: tuple[Note, ...] = ()) -> Diagnostic:
    return Diagnostic(ERROR, rule, msg, loc, hint, notes)


@dataclass
class Derived:
    """What configgen derives for one link, or why it cannot (reported when an end needs it)."""

    slot: Optional[int] = None
    slot_problem: str = ""
    root_irq: Optional[int] = None  # the slot's INTA SPI (INTID)
    root_irq_problem: str = ""
    irqs: dict[int, int] = field(default_factory=dict)  # non-root peer id -> INTID
    irq_problem: str = ""
    bar0: Optional[int] = None
    bar0_problem: str = ""


def well_formed(ln: Link, page: int) -> bool:
    """Page-aligned memory of page-multiple sections that fits the address space: the link's
    other rules (and its ends) are only checked then (link-size/link-memory say what is wrong)."""
    return (not ln.phys % page and not (ln.state_size % page or ln.rw_size % page or ln.out_size % page)
            and ln.state_size > 0 and ln.end <= 1 << 64)


def protocol_value(node: Node) -> tuple[int, str]:
    """(protocol number, "" ) or (-1, what was written) for a name or number configgen does not know."""
    if not node.has("protocol"):
        return abi.IVSHMEM_PROTO_UNDEFINED, ""
    name = node.string("protocol")
    if name == "":
        return -1, '""'
    if name is not None and name.isprintable():
        return (PROTOCOLS[name], "") if name in PROTOCOLS else (-1, f'"{name}"')
    v = node.u32("protocol")
    if v is None:
        return -1, "a value that is neither a string nor one 32-bit cell"
    if v in PROTOCOLS.values() or v in USER_PROTOCOLS:
        return v, ""
    return -1, f"{v:#x}"


def parse(hyp: Node, loc: Locator, sysm: System) -> list[Diagnostic]:
    """sysm.links from the hypervisor's `links` node (its other children without compatible are
    unknown nodes)."""
    diags: list[Diagnostic] = []
    for child in hyp.children:
        if child.compatible:
            continue
        if child.name != CONTAINER:
            diags.append(_e("binding-unknown-node", f"{child.path}: no binding for this node (compatible missing)",
                            loc.node_loc(child.path), "hypervisor nodes need compatible \"hv,root-cell\" or "
                            "\"hv,cell\"; links go into the `links` node"))
            continue
        sysm.links_loc = loc.node_loc(child.path)
        for node in child.children:
            if COMPATIBLE not in node.compatible:
                continue  # binding-required/unknown-node reported it
            sysm.links.append(_link(node, loc, sysm.arch.page_size))
    return diags


def _link(node: Node, loc: Locator, page: int) -> Link:
    p = node.path
    proto, bad = protocol_value(node)
    state = node.u64("state-table-size")
    ln = Link(node.name, node.strings("peers") or [], node.u64("physical-address") or 0,
              page if state is None else state, node.u64("rw-section-size") or 0,
              node.u64("output-section-size") or 0, proto, loc.node_loc(p), node.u32("pci-device"))
    ln.protocol_text = bad
    for prop in ("peers", "protocol", "physical-address", "state-table-size", "rw-section-size",
                 "output-section-size", "pci-device"):
        if node.has(prop):
            ln.prop_locs[prop] = loc.prop_loc(p, prop)
    return ln


# ------------------------------------------------------------------ derivation

def _host(t: Tree) -> Optional[Node]:
    return next((n for n in t.root.walk() if "pci-host-ecam-generic" in n.compatible and n.enabled), None)


def _intx_spi(host: Node, t: Tree, slot: int, first_spi: int) -> tuple[Optional[int], str]:
    """The INTID the host's interrupt-map routes slot's INTA to."""
    spec, problem = pci.map_intx_bdf(slot << 3, _INTA, host, t.by_phandle)
    if spec is None:
        return None, problem or f"{host.path} has no interrupt-map entry for slot {slot:#x}"
    ctrl, cells = spec
    if len(cells) < 2 or cells[0] != 0:
        return None, f"{host.path}'s interrupt-map routes slot {slot:#x} INTA to no SPI of {ctrl.path}"
    return cells[1] + first_spi, ""


def _device_intids(sysm: System) -> set[int]:
    return {i for d in sysm.devices.values() for i in d.intids}


def _map_intids(host: Optional[Node], t: Tree, first_spi: int) -> set[int]:
    """Every SPI the host's interrupt-map routes an INTx to (functions QEMU adds without a node
    in the board's tree use them too)."""
    out: set[int] = set()
    for slot in range(NUM_SLOTS) if host is not None else ():
        for pin in range(1, 5):
            assert host is not None
            spec, _ = pci.map_intx_bdf(slot << 3, pin, host, t.by_phandle)
            if spec is not None and len(spec[1]) >= 2 and spec[1][0] == 0:
                out.add(spec[1][1] + first_spi)
    return out


def derive(sysm: System, t: Tree) -> dict[int, Derived]:
    """Link index -> its derived values (see the module comment)."""
    out = {i: Derived() for i in range(len(sysm.links))}
    host = _host(t)
    prof = sysm.arch
    root = sysm.root.name
    board_slots = {d.bdf >> 3 & 31 for d in sysm.devices.values() if d.bdf is not None and d.bdf >> 8 == 0}
    dev_intids = _device_intids(sysm)
    fixed = {ln.slot for ln in sysm.links if ln.slot is not None}
    taken: set[int] = set(fixed)
    for i, ln in enumerate(sysm.links):
        d = out[i]
        if host is None or not sysm.platform.pci_ecam.size:
            d.slot_problem = "the board has no PCI host with an ECAM window for the link's PCI functions"
            continue
        if ln.slot is not None:
            d.slot = ln.slot
        else:
            d.slot = _free_slot(ln, root in ln.peers, host, t, board_slots | taken,
                                dev_intids | set(sysm.reserved_intids), prof.first_spi)
            if d.slot is None:
                d.slot_problem = ("no free device number on bus 0 (>= 0x10, free of board functions and other "
                                  "links" + (", its INTA on an SPI no board device uses and the hypervisor does not "
                                             "reserve)" if root in ln.peers else ")"))
                continue
            taken.add(d.slot)
        d.root_irq, d.root_irq_problem = _intx_spi(host, t, d.slot, prof.first_spi)
    used = dev_intids | set(sysm.reserved_intids) | _map_intids(host, t, prof.first_spi)
    used |= {d.root_irq for d in out.values() if d.root_irq is not None}
    _assign_spis(sysm, out, used)
    _assign_bar0(sysm, out, host)
    return out


def _free_slot(ln: Link, root_peer: bool, host: Node, t: Tree, taken: set[int], dev_intids: set[int],
               first_spi: int) -> Optional[int]:
    for slot in range(FIRST_SLOT, NUM_SLOTS):
        if slot in taken:
            continue
        if root_peer:
            spi, _ = _intx_spi(host, t, slot, first_spi)
            if spi is None or spi in dev_intids:
                continue
        return slot
    return None


def _assign_spis(sysm: System, out: dict[int, Derived], used: set[int]) -> None:
    prof = sysm.arch
    last = min(sysm.platform.gic_lines, prof.max_spi + 1)
    nxt = prof.first_spi
    for i, ln in enumerate(sysm.links):
        for pid, name in enumerate(ln.peers):
            if name == sysm.root.name:
                continue
            while nxt < last and nxt in used:
                nxt += 1
            if nxt >= last:
                out[i].irq_problem = f"no SPI below {last} is free of board devices and other link ends"
                break
            out[i].irqs[pid] = nxt
            used.add(nxt)


def _assign_bar0(sysm: System, out: dict[int, Derived], host: Optional[Node]) -> None:
    page = sysm.arch.page_size
    win = next((w for w in pci.host_windows(host) if w.space == pci.SPACE_MEM32 and w.pci == w.cpu),
               None) if host is not None else None
    bars = [Range(b.cpu, b.size) for d in sysm.devices.values() for b in d.bars
            if b.cpu is not None and b.space != pci.SPACE_IO]
    top = (win.cpu + win.size) & ~(page - 1) if win is not None else 0
    for i in range(len(sysm.links)):
        if win is None:
            out[i].bar0_problem = "the board's PCI host has no identity 32-bit memory window for BAR0"
            continue
        top -= page
        while top >= win.cpu and any(b.start < top + page and top < b.end for b in bars):
            top -= page
        if top < win.cpu or top + page > 1 << 32:
            out[i].bar0_problem = f"no free page left in the 32-bit memory window of {host.path if host else '-'}"
            continue
        out[i].bar0 = top


# ------------------------------------------------------------------ ends

def attach(sysm: System, t: Tree, cell: Cell, derived: dict[int, Derived]) -> list[Diagnostic]:
    """cell.ends from the links that list its name (unless it gives them raw); a non-root end's
    SPI joins the cell's interrupts."""
    if cell.ends_raw or not getattr(sysm.arch, "ivshmem_links", False):
        return []  # (an architecture without links: link-unsupported says so, once)
    diags: list[Diagnostic] = []
    for i, ln in enumerate(sysm.links):
        if cell.name not in ln.peers or not well_formed(ln, sysm.arch.page_size):
            continue
        if not cell.is_root and cell.name == sysm.root.name:
            continue  # the root's name twice: name-duplicate; that peer is the root's
        pid = ln.peers.index(cell.name)
        d = derived[i]
        at = ln.at("peers")
        why = d.slot_problem or (d.root_irq_problem if cell.is_root else
                                 d.bar0_problem if d.bar0 is None else
                                 d.irq_problem if pid not in d.irqs else "")
        if why:
            rule = ("link-slot" if d.slot_problem else "link-irq" if why in (d.root_irq_problem, d.irq_problem)
                    else "link-guest-range")
            diags.append(_e(rule, f"link '{ln.name}': the end of cell '{cell.name}' (peer {pid}): {why}",
                            at if cell.is_root else cell.name_loc,
                            "give the link a free pci-device, or free the resource on the board",
                            (Note(at, f"link '{ln.name}' lists the cell"),)))
            continue
        assert d.slot is not None
        irq = d.root_irq if cell.is_root else d.irqs.get(pid)
        if irq is None:
            continue  # (every case without an interrupt has its problem reported above)
        bar0 = 0 if cell.is_root else d.bar0 or 0
        # a non-root cell's end is reported at the cell (its cell-name makes it a peer)
        where = at if cell.is_root else cell.name_loc
        cell.ends.append(LinkEnd(i, pid, ln.phys, irq, bar0, d.slot << 3, where))
        if not cell.is_root:
            cell.intids.setdefault(irq, where)
    return diags


def raw_ends(node: Node, loc: Locator, cell: Cell) -> list[Diagnostic]:
    """The raw form decompile writes: ivshmem-ends = <link peer bdf irq bar0 guest-hi guest-lo>..."""
    if not node.has(RAW_PROP):
        return []
    at = loc.prop_loc(node.path, RAW_PROP)
    cell.ends_raw = True
    vals = node.u32s(RAW_PROP) or []
    n = len(RAW_FIELDS)
    if not vals or len(vals) % n:
        return [_e("binding-type", f"{node.path}: {RAW_PROP} must hold {n} cells per end "
                                   f"<{' '.join(RAW_FIELDS)}>", at, "ivshmem-ends is written by decompile; "
                                                                   "list the cell in a link's peers instead")]
    for i in range(0, len(vals), n):
        link, peer, bdf, irq, bar0, ghi, glo = vals[i:i + n]
        cell.ends.append(LinkEnd(link, peer, ghi << 32 | glo, irq, bar0, bdf, at))
    return []


def split_pool(sysm: System) -> None:
    """Record the declared cell pool, then cut every link's memory out of the root's pool regions:
    no root region may overlap a link (the hypervisor maps the link itself)."""
    pools = [r for r in sysm.root.regions if r.flags & abi.MEM_CELL_POOL and not r.flags & _NOT_RAM]
    sysm.cell_pool = [Range(r.phys, r.size) for r in pools]
    holes = [Range(ln.phys, ln.size) for ln in sysm.links if well_formed(ln, sysm.arch.page_size)]
    if not holes:
        return
    out: list[Region] = []
    for r in sysm.root.regions:
        if r not in pools:
            out.append(r)
            continue
        pieces = [Range(r.phys, r.size)]
        for h in holes:
            nxt = []
            for p in pieces:
                if h.end <= p.start or p.end <= h.start:
                    nxt.append(p)
                    continue
                if p.start < h.start:
                    nxt.append(Range(p.start, h.start - p.start))
                if h.end < p.end:
                    nxt.append(Range(h.end, p.end - h.end))
            pieces = nxt
        out += [Region(r.name, p.start, p.start, p.size, r.flags, r.loc) for p in sorted(pieces, key=lambda x: x.start)]
    sysm.root.regions = out


def end_size(sysm: System, e: LinkEnd) -> int:
    return sysm.links[e.link].size if 0 <= e.link < len(sysm.links) else 0
