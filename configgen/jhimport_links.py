"""Jailhouse ivshmem devices to configgen's inter-cell links (docs/ivshmem.md).

Upstream gives each ivshmem device 2 + peers memory regions from shmem_regions_start: the state
table, the R/W section (an empty `{ 0 }` slot when absent) and one output section per peer.  A
link here is one contiguous block with the same order: state table, R/W section, equal output
sections, all page multiples, mapped at the same address in every peer.  A device whose
regions do not have that shape cannot be expressed: it is reported and dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from configgen import jhformat as jh

PAGE = 0x1000
MAX_PEERS = 16


@dataclass
class Link:
    name: str
    phys: int
    state: int
    rw: int
    out: int
    peers: int
    protocol: str
    peer_names: dict[int, str] = field(default_factory=dict)
    bdf: str = ""

    @property
    def end(self) -> int:
        return self.phys + self.state + self.rw + self.peers * self.out


def protocol_name(p: int) -> Optional[str]:
    if p == jh.PROTO_VETH:
        return '"net"'
    if p == jh.PROTO_UNDEFINED:
        return '"undefined"'
    if 0x4000 <= p <= 0x7FFF:
        return f"<{p:#x}>"
    return None


def _geometry(d: jh.JhPci, mem: list[jh.JhMemory]) -> tuple[Optional[tuple[int, int, int, int]], str]:
    """(phys, state, rw, out) of the device's regions, or why they make no link."""
    if not 2 <= d.peers <= MAX_PEERS:
        return None, f"{d.peers} peers (links have 2 to {MAX_PEERS})"
    if d.dev_id >= d.peers:
        return None, f"its id {d.dev_id} is not below its {d.peers} peers"
    idx = list(d.regions)
    if idx[-1] >= len(mem):
        return None, f"its regions mem_regions[{idx[0]}-{idx[-1]}] lie beyond the {len(mem)} regions"
    regs = [mem[i] for i in idx]
    state, rw, outs = regs[0], regs[1], regs[2:]
    if any(r.phys != r.virt for r in regs if not r.empty):
        return None, "a region is mapped at another guest address (links are mapped 1:1)"
    if len({o.size for o in outs}) != 1 or outs[0].size == 0:
        return None, "its output sections differ in size"
    pos = state.phys
    for r in [state] + ([] if rw.empty or rw.size == 0 else [rw]) + outs:
        if r.phys != pos:
            return None, f"its regions are not contiguous (a gap or overlap at {pos:#x})"
        if r.size % PAGE or r.phys % PAGE:
            return None, f"the region at {r.phys:#x} size {r.size:#x} is no page multiple"
        pos += r.size
    rw_size = 0 if rw.empty else rw.size
    return (state.phys, state.size, rw_size, outs[0].size), ""


def from_system(root: jh.JhCell, msgs: "Msgs", where: str) -> tuple[list[Link], set[int]]:
    """The links of the root's ivshmem devices and the region indices they take over."""
    links: list[Link] = []
    taken: set[int] = set()
    names: set[str] = set()
    for d in root.ivshmem:
        proto = protocol_name(d.protocol)
        geo, why = (None, f"protocol {d.protocol:#x} (virtio over ivshmem has no equivalent)") if proto is None \
            else _geometry(d, root.memory)
        if geo is None or proto is None:
            # its memory stays the root's, as upstream lists it: nothing the root had is lost
            msgs.change(f"{where}: warning: ivshmem device {d.name} dropped: {why}; its memory regions stay "
                        "the root's")
            continue
        base = "net" if d.protocol == jh.PROTO_VETH else "link"
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base}{n}"
        names.add(name)
        ln = Link(name, *geo, d.peers, proto, {d.dev_id: root.name}, d.name)
        links.append(ln)
        taken.update(d.regions)
        if root.memory[d.shmem_regions_start + 1].empty:
            msgs.note(f"{where}: note: mem_regions[{d.shmem_regions_start + 1}] is an empty {{ 0 }} slot (upstream's "
                      "placeholder for an absent R/W section): dropped, link '" + name + "' has no R/W section")
        msgs.note(f"{where}: note: ivshmem device {d.name} (protocol {proto.strip(chr(34))}, {d.peers} peers) "
                  f"becomes link '{name}' at {ln.phys:#x}: its function is 00:xx.0 on the board's PCI host "
                  "(configgen derives slot, interrupt and BAR0), not Jailhouse's virtual PCI host")
    return links, taken


def attach_cell(cell: jh.JhCell, links: list[Link], msgs: "Msgs", where: str) -> tuple[set[int], list[str]]:
    """Name the cell as a peer of the links its ivshmem devices belong to; returns the region
    indices those take over and, for a cell imported without its system, what it had."""
    taken: set[int] = set()
    alone: list[str] = []
    for d in cell.ivshmem:
        taken.update(i for i in d.regions if i < len(cell.memory))
        state = cell.memory[d.shmem_regions_start] if d.shmem_regions_start < len(cell.memory) else None
        ln = next((ln for ln in links if state is not None and ln.phys == state.phys), None)
        if ln is None:
            what = f"state table at {state.phys:#x}" if state is not None else "no memory region"
            alone.append(f"ivshmem device {d.name}: peer {d.dev_id} of {d.peers}, {what}")
            continue
        if d.dev_id >= ln.peers or ln.peer_names.get(d.dev_id, cell.name) != cell.name:
            msgs.change(f"{where}: warning: ivshmem device {d.name} claims peer {d.dev_id} of link "
                        f"'{ln.name}', which is taken or out of range: dropped")
            continue
        ln.peer_names[d.dev_id] = cell.name
    return taken, alone


def against_system(cell: jh.JhCell, sys_links: list[tuple[str, int, list[str]]], msgs: "Msgs", where: str
                   ) -> list[str]:
    """A cell imported against an (imported) system: its ivshmem devices are ends of the
    system's links that list it; for a link that lists another name there, say what to rename."""
    alone = []
    for d in cell.ivshmem:
        state = cell.memory[d.shmem_regions_start] if d.shmem_regions_start < len(cell.memory) else None
        hit = next((ln for ln in sys_links if state is not None and ln[1] == state.phys), None)
        if hit is None:
            what = f"state table at {state.phys:#x}" if state is not None else "no memory region"
            alone.append(f"ivshmem device {d.name}: peer {d.dev_id} of {d.peers}, {what}")
            continue
        name, _addr, peers = hit
        if d.dev_id < len(peers) and peers[d.dev_id] == cell.name:
            msgs.note(f"{where}: note: ivshmem device {d.name} is the end of the system's link '{name}' (peer "
                      f"{d.dev_id}): its regions are the link's")
            continue
        was = f"'{peers[d.dev_id]}'" if d.dev_id < len(peers) else "nothing"
        msgs.change(f"{where}: warning: ivshmem device {d.name} is peer {d.dev_id} of the system's link '{name}', "
                    f"which lists {was} there: dropped with its memory (rename that peer to '{cell.name}' in the "
                    "system's link to make this cell its end; the end then needs nothing in the cell)")
    return alone


def lines(links: list[Link], msgs: "Msgs", where: str) -> list[str]:
    out = []
    for ln in links:
        missing = [i for i in range(ln.peers) if i not in ln.peer_names]
        for i in missing:
            ln.peer_names[i] = f"peer{i}"
        if missing:
            msgs.change(f"{where}: warning: link '{ln.name}': peers {', '.join(str(i) for i in missing)} belong to "
                        "no imported cell: named " + ", ".join(f"'peer{i}'" for i in missing) + " (import the "
                        "system together with its cells, or rename them to the cells' names)")
        peers = ", ".join(f'"{ln.peer_names[i]}"' for i in range(ln.peers))
        out += [f"/* Jailhouse ivshmem device {ln.bdf} */", f"{ln.name} {{", '\tcompatible = "hv,ivshmem-link";',
                f"\tpeers = {peers};", f"\tprotocol = {ln.protocol};",
                f"\tphysical-address = /bits/ 64 <{ln.phys:#x}>;"]
        if ln.state != PAGE:
            out.append(f"\tstate-table-size = /bits/ 64 <{ln.state:#x}>;")
        if ln.rw:
            out.append(f"\trw-section-size = /bits/ 64 <{ln.rw:#x}>;")
        out += [f"\toutput-section-size = /bits/ 64 <{ln.out:#x}>;", "};", ""]
    return out


class Msgs:
    """What the import changed (warnings: errors with --strict), notes and what the user must
    decide (always errors)."""

    def __init__(self) -> None:
        self.changes: list[str] = []
        self.notes: list[str] = []
        self.decide: list[str] = []

    def change(self, text: str) -> None:
        self.changes.append(text)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def must_decide(self, text: str) -> None:
        self.decide.append(text)
