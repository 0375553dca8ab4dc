"""An immutable-ish Python view of a flattened device tree, read with libfdt."""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Iterator, Optional

import libfdt


@dataclass
class Node:
    name: str
    path: str
    parent: Optional["Node"] = None
    props: dict[str, bytes] = field(default_factory=dict)
    children: list["Node"] = field(default_factory=list)

    # ---- typed property access (None when absent or malformed) ----
    def has(self, prop: str) -> bool:
        return prop in self.props

    def u32s(self, prop: str) -> Optional[list[int]]:
        v = self.props.get(prop)
        if v is None or len(v) % 4:
            return None
        return list(struct.unpack(">%dI" % (len(v) // 4), v))

    def u32(self, prop: str) -> Optional[int]:
        v = self.u32s(prop)
        return v[0] if v and len(v) == 1 else None

    def u64s(self, prop: str) -> Optional[list[int]]:
        v = self.props.get(prop)
        if v is None or len(v) % 8:
            return None
        return list(struct.unpack(">%dQ" % (len(v) // 8), v))

    def u64(self, prop: str) -> Optional[int]:
        v = self.u64s(prop)
        return v[0] if v and len(v) == 1 else None

    def strings(self, prop: str) -> Optional[list[str]]:
        v = self.props.get(prop)
        if not v or v[-1] != 0:
            return None
        try:
            return v[:-1].decode("ascii").split("\0")
        except UnicodeDecodeError:
            return None

    def string(self, prop: str) -> Optional[str]:
        v = self.strings(prop)
        return v[0] if v and len(v) == 1 else None

    @property
    def compatible(self) -> list[str]:
        return self.strings("compatible") or []

    @property
    def unit_name(self) -> str:
        return self.name.split("@", 1)[0]

    def child(self, name: str) -> Optional["Node"]:
        for c in self.children:
            if c.name == name:
                return c
        return None

    def walk(self) -> Iterator["Node"]:
        stack = [self]
        while stack:
            n = stack.pop()
            yield n
            stack.extend(reversed(n.children))

    def cells(self, prop: str, default: int) -> int:
        v = self.u32(prop)
        return default if v is None else v

    @property
    def enabled(self) -> bool:
        st = self.string("status")
        return st is None or st in ("okay", "ok")


@dataclass
class Tree:
    root: Node
    by_path: dict[str, Node]
    by_phandle: dict[int, Node]
    symbols: dict[str, str]  # label -> path

    def node(self, path: str) -> Optional[Node]:
        return self.by_path.get(path)

    def label_of(self, node: Node) -> Optional[str]:
        for label, path in self.symbols.items():
            if path == node.path:
                return label
        return None


def load(dtb: bytes) -> Tree:
    fdt = libfdt.Fdt(dtb)
    quiet = (libfdt.NOTFOUND,)
    by_path: dict[str, Node] = {}
    by_phandle: dict[int, Node] = {}
    root = Node("", "/")

    def fill(node: Node, off: int) -> None:
        poff = fdt.first_property_offset(off, quiet)
        while poff >= 0:
            p = fdt.get_property_by_offset(poff)
            node.props[p.name] = bytes(p)
            poff = fdt.next_property_offset(poff, quiet)
        ph = node.props.get("phandle")
        if ph is not None and len(ph) == 4:
            by_phandle[struct.unpack(">I", ph)[0]] = node
        by_path[node.path] = node
        coff = fdt.first_subnode(off, quiet)
        while coff >= 0:
            name = fdt.get_name(coff)
            child = Node(name, (node.path.rstrip("/") + "/" + name), node)
            node.children.append(child)
            fill(child, coff)
            coff = fdt.next_subnode(coff, quiet)

    fill(root, 0)
    symbols: dict[str, str] = {}
    sym = by_path.get("/__symbols__")
    if sym:
        for k in sym.props:
            s = sym.string(k)
            if s:
                symbols[k] = s
    return Tree(root, by_path, by_phandle, symbols)


def translate_reg(node: Node) -> Optional[list[tuple[int, int]]]:
    """`reg` of a node as CPU-physical (address, size) pairs, through the parents' `ranges`."""
    parent = node.parent
    if parent is None:
        return None
    ac, sc = parent.cells("#address-cells", 2), parent.cells("#size-cells", 1)
    vals = node.u32s("reg")
    if vals is None or ac < 1 or ac > 3 or sc < 0 or sc > 2 or len(vals) % (ac + sc):
        return None
    pairs = []
    for i in range(0, len(vals), ac + sc):
        addr = _join(vals[i:i + ac][-2:])
        size = _join(vals[i + ac:i + ac + sc]) if sc else 0
        pairs.append((addr, size))
    # walk up through the ranges of each bus
    child, bus = parent, parent.parent
    while bus is not None:
        if "ranges" not in child.props:
            return None  # not memory-mapped
        rng = child.u32s("ranges")
        if rng:
            cac, csc = child.cells("#address-cells", 2), child.cells("#size-cells", 1)
            pac = bus.cells("#address-cells", 2)
            step = cac + pac + csc
            if cac < 1 or csc < 1 or pac < 1 or len(rng) % step:
                return None
            windows = [(_join(rng[i:i + cac][-2:]), _join(rng[i + cac:i + cac + pac][-2:]),
                        _join(rng[i + cac + pac:i + step])) for i in range(0, len(rng), step)]
            out = []
            for a, s in pairs:
                for cbase, pbase, wsize in windows:
                    if cbase <= a and a + s <= cbase + wsize:
                        out.append((a - cbase + pbase, s))
                        break
                else:
                    return None
            pairs = out
        child, bus = bus, bus.parent
    return pairs


def _join(cells: list[int]) -> int:
    v = 0
    for c in cells:
        v = (v << 32) | c
    return v
