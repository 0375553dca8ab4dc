"""An immutable-ish Python view of a flattened device tree, read with libfdt."""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Iterator, Optional

import libfdt


@dataclass(eq=False, repr=False)  # identity comparison, shallow repr: no recursion on deep trees
class Node:
    name: str
    path: str
    parent: Optional["Node"] = None
    props: dict[str, bytes] = field(default_factory=dict)
    children: list["Node"] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Node({self.path!r})"

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


_BEGIN, _END, _PROP, _NOP, _FEND = 1, 2, 3, 4, 9


def load(dtb: bytes, subtree: str = "/") -> Tree:
    """Read a DTB (or only the subtree at `subtree`, keeping its real path).

    libfdt validates the blob and locates the subtree; the structure block is then walked
    directly (one pass, no per-property library calls: 10x faster on large cells)."""
    fdt = libfdt.Fdt(dtb)  # raises FdtException on a malformed header
    start = 0 if subtree == "/" else fdt.path_offset(subtree)
    data = bytes(dtb)
    off_struct = fdt.off_dt_struct()
    strings_off = fdt.off_dt_strings()
    end_struct = off_struct + fdt.size_dt_struct()
    by_path: dict[str, Node] = {}
    by_phandle: dict[int, Node] = {}
    unpack = struct.unpack_from
    pos = off_struct + start
    stack: list[Node] = []
    root: Optional[Node] = None
    names: dict[int, str] = {}
    while pos < end_struct:
        tag = unpack(">I", data, pos)[0]
        pos += 4
        if tag == _BEGIN:
            nul = data.index(b"\0", pos)
            name = data[pos:nul].decode("ascii", "replace")
            pos = (nul + 4) & ~3
            if not stack:
                if subtree == "/":
                    node = Node("", "/")
                else:
                    ppath, _, _ = subtree.rstrip("/").rpartition("/")
                    node = Node(name, subtree, Node("", ppath or "/"))
                root = node
            else:
                parent = stack[-1]
                node = Node(name, (parent.path.rstrip("/") + "/" + name), parent)
                parent.children.append(node)
            by_path[node.path] = node
            stack.append(node)
        elif tag == _PROP:
            ln, nameoff = unpack(">II", data, pos)
            pos += 8
            pname = names.get(nameoff)
            if pname is None:
                so = strings_off + nameoff
                pname = data[so:data.index(b"\0", so)].decode("ascii", "replace")
                names[nameoff] = pname
            val = data[pos:pos + ln]
            pos = (pos + ln + 3) & ~3
            node = stack[-1]
            node.props[pname] = val
            if pname == "phandle" and ln == 4:
                by_phandle[unpack(">I", val)[0]] = node
        elif tag == _END:
            stack.pop()
            if not stack:
                break
        elif tag == _NOP:
            continue
        else:  # FDT_END or garbage
            break
    assert root is not None
    symbols: dict[str, str] = {}
    sym = by_path.get("/__symbols__")
    if sym:
        for k in sym.props:
            v = sym.string(k)
            if v:
                symbols[k] = v
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
    return _translate_up(parent, pairs)


def bus_windows(node: Node) -> Optional[list[tuple[int, int]]]:
    """The CPU-physical windows a bus forwards to its children (its own `ranges`), e.g. a PCI
    host's I/O and memory windows; None if it has none or they do not reach the CPU."""
    parent = node.parent
    rng = node.u32s("ranges")
    if parent is None or not rng:
        return None
    cac, csc, pac = node.cells("#address-cells", 2), node.cells("#size-cells", 1), parent.cells("#address-cells", 2)
    step = cac + pac + csc
    if cac < 1 or csc < 1 or pac < 1 or len(rng) % step:
        return None
    pairs = [(_join(rng[i + cac:i + cac + pac][-2:]), _join(rng[i + cac + pac:i + step]))
             for i in range(0, len(rng), step)]
    return _translate_up(parent, pairs)


def _translate_up(child: Node, pairs: list[tuple[int, int]]) -> Optional[list[tuple[int, int]]]:
    """Addresses on the bus `child` as CPU-physical ones, through each bus's `ranges`."""
    bus = child.parent
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
