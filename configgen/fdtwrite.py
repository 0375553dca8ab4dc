"""A tiny flattened-device-tree writer: plain data in, DTB bytes out (version 17)."""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Iterable, Union

PropValue = Union[bytes, str, list[str], list[int], int]


@dataclass
class WNode:
    """A node to write. Property values: bytes (raw), str / list[str] (strings), int (one u32),
    list[int] (u32 cells); use cells64() for 64-bit pairs."""

    name: str
    props: list[tuple[str, bytes]] = field(default_factory=list)
    children: list["WNode"] = field(default_factory=list)

    def set(self, name: str, value: PropValue) -> "WNode":
        self.props = [(n, v) for n, v in self.props if n != name]
        self.props.append((name, encode(value)))
        return self

    def add(self, child: "WNode") -> "WNode":
        self.children.append(child)
        return child

    def get(self, name: str) -> bytes | None:
        return next((v for n, v in self.props if n == name), None)


def encode(value: PropValue) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode() + b"\0"
    if isinstance(value, int):
        return struct.pack(">I", value)
    if value and isinstance(value[0], str):
        return b"".join(s.encode() + b"\0" for s in value)  # type: ignore[union-attr]
    return struct.pack(">%dI" % len(value), *value)  # type: ignore[arg-type]


def cells64(values: Iterable[int]) -> bytes:
    """Each value as two u32 cells (the #address-cells = #size-cells = 2 encoding)."""
    return b"".join(struct.pack(">Q", v) for v in values)


def build(root: WNode, boot_cpuid: int = 0) -> bytes:
    strings = bytearray()
    offsets: dict[str, int] = {}
    struct_blk = bytearray()

    def name_off(name: str) -> int:
        if name not in offsets:
            offsets[name] = len(strings)
            strings.extend(name.encode() + b"\0")
        return offsets[name]

    def pad() -> None:
        struct_blk.extend(b"\0" * (-len(struct_blk) % 4))

    def begin(node: WNode) -> None:
        struct_blk.extend(struct.pack(">I", 1))
        struct_blk.extend(node.name.encode() + b"\0")
        pad()
        for pname, val in node.props:
            struct_blk.extend(struct.pack(">III", 3, len(val), name_off(pname)))
            struct_blk.extend(val)
            pad()

    # depth-first with an explicit stack: None closes the node opened before its children
    stack: list[WNode | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            struct_blk.extend(struct.pack(">I", 2))
            continue
        begin(node)
        stack.append(None)
        stack.extend(reversed(node.children))
    struct_blk.extend(struct.pack(">I", 9))
    hdr_size, rsv = 40, b"\0" * 16
    off_rsv = hdr_size
    off_struct = off_rsv + len(rsv)
    off_strings = off_struct + len(struct_blk)
    total = off_strings + len(strings)
    header = struct.pack(">10I", 0xD00DFEED, total, off_struct, off_strings, off_rsv, 17, 16, boot_cpuid,
                         len(strings), len(struct_blk))
    return header + rsv + bytes(struct_blk) + bytes(strings)
