"""Inter-cell links of a random partitioning (fuzzsystem.py adds them after the cells): 0..3
links in the cell pool's free space between the root, the cells of the case and cells not in
it; wild ones break one rule each (peers, sizes, alignment, protocol, slot, memory)."""
from __future__ import annotations

from typing import Optional

from fuzzgen import MIB, PAGE, Draw, Node, string, u64
from fuzzsystem import Plan

_PROTOCOLS = ['"net"', '"echo"', '"undefined"', "<0x4000>", "<0x7fff>", "<0x4321>"]
_BAD_PROTOCOLS = ['"ethernet"', "<0x2>", "<0x8000>", "<0xffffffff>", '""', "<1 2>"]


def _peers(d: Draw, plan: Plan, cells: list[str], k: int) -> list[str]:
    peers = [plan.root_name] if d.chance(0.7) and plan.root_name else []
    peers += d.rnd.sample(cells, d.rnd.randint(0, len(cells)))
    while len(peers) < 2:
        peers.append(f"later-{k}-{len(peers)}")  # a cell compiled another time
    d.rnd.shuffle(peers)
    if d.wild("link-peers"):
        peers = d.pick([peers[:1], peers + peers[:1], [""] + peers, [f"p{i}" for i in range(17)], ["x" * 32, "y"]])
    return peers


def _link(d: Draw, plan: Plan, cells: list[str], k: int) -> Optional[Node]:
    peers = _peers(d, plan, cells, k)
    out, rw, state = d.pick([0, PAGE, 16 * PAGE, MIB]), d.pick([0, 0, PAGE]), PAGE
    size = state + rw + out * len(peers)
    pool = d.pick(plan.pools)
    phys = plan.cell_phys.place(d.rnd, size, pool[0], pool[0] + pool[1])
    if phys is None:
        return None
    name = d.pick(["echo", "net", f"l{k}", "n" * 31])
    if d.wild("link-name"):
        name = "n" * 32
    props = ['compatible = "hv,ivshmem-link";', "peers = " + ", ".join(string(p) for p in peers) + ";",
             f"physical-address = {u64(phys, plan.macro)};"]
    if d.wild("link-memory"):
        props[-1] = f"physical-address = {u64(d.pick([phys + 0x800, plan.hyp[0], 0x4000_0000, 0]), plan.macro)};"
    if out or d.chance(0.3):
        props.append(f"output-section-size = {u64(out, plan.macro)};")
    if rw:
        props.append(f"rw-section-size = {u64(rw, plan.macro)};")
    if d.chance(0.2):
        props.append(f"state-table-size = {u64(state, plan.macro)};")
    if d.wild("link-size"):
        props.append(d.pick(["state-table-size = /bits/ 64 <0x0>;", "rw-section-size = /bits/ 64 <0x1800>;",
                             "output-section-size = /bits/ 64 <0xffffffffffff0000>;"]))
    if d.chance(0.7):
        props.append(f"protocol = {d.pick(_BAD_PROTOCOLS if d.wild('link-protocol') else _PROTOCOLS)};")
    if d.wild("link-slot"):  # the board's function, none, beyond 31, INTA on the pci-serial's line
        props.append(f"pci-device = <{d.pick([0x2, 0x0, 0x20, 0x12])}>;")
    elif d.chance(0.2):
        props.append(f"pci-device = <{d.pick([0x10, 0x13, 0x1f])}>;")
    return Node(f"{name}", props)


def build_links(d: Draw, plan: Plan, cells: list[str]) -> Optional[Node]:
    """The links node (label ivshmem_links), or None (most cases have no links)."""
    if not plan.pools or not (d.chance(0.3) or d.wild("links")):
        return None
    node = Node("links", label="ivshmem_links")
    names: set[str] = set()
    for k in range(d.rnd.randint(1, 3)):
        link = _link(d, plan, cells, k)
        if link is not None and link.name not in names:  # (a node name twice is a dtc error)
            names.add(link.name)
            node.children.append(link)
    return node
