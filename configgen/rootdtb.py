"""The DTB root Linux boots with: the board (system minus the hypervisor's nodes) plus
/reserved-memory no-map nodes for the hypervisor and every cell's memory; devices that
non-root cells take exclusively are disabled."""
from __future__ import annotations

import re
import struct

import libfdt

from configgen import abi
from configgen.model import System

_QUIET = (libfdt.NOTFOUND,)


def _node_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9,._+-]", "-", s)[:31] or "cell"


def _merge_overlapping(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge ranges that overlap (shared regions); adjacent ones keep their own node."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def build(system_dtb: bytes, sysm: System, hyp_path: str) -> bytes:
    fdt = libfdt.Fdt(bytearray(system_dtb))
    fdt.resize(len(system_dtb) + 16384 + 256 * (len(sysm.cells) + 4) * 8)
    for path in (hyp_path, "/__symbols__", "/__fixups__", "/__local_fixups__"):
        off = fdt.path_offset(path, _QUIET)
        if off >= 0:
            fdt.del_node(off)
    taken = sorted({u.path for c in sysm.cells for u in c.devices if not u.shared})
    for path in taken:
        off = fdt.path_offset(path, _QUIET)
        if off >= 0:
            fdt.setprop_str(off, "status", "disabled")
    owners: list[tuple[int, int, str]] = [(sysm.hyp_mem.start, sysm.hyp_mem.end, "hypervisor")]
    for c in sysm.cells:
        for r in c.regions:
            if r.flags & (abi.MEM_IO | abi.MEM_COMM_REGION) or not r.size:
                continue
            owners.append((r.phys, r.phys + r.size, c.name))
    res = fdt.path_offset("/reserved-memory", _QUIET)
    if res < 0:
        res = fdt.add_subnode(0, "reserved-memory")
        fdt.setprop_u32(res, "#address-cells", 2)
        fdt.setprop_u32(res, "#size-cells", 2)
        fdt.setprop(res, "ranges", b"")
    for start, end in _merge_overlapping([(s, e) for s, e, _ in owners]):
        names = sorted({n for s, e, n in owners if s < end and start < e})
        label = "hypervisor" if "hypervisor" in names else "cell-" + _node_name("+".join(names))
        off = fdt.add_subnode(res, f"{_node_name(label)}@{start:x}")
        fdt.setprop(off, "reg", struct.pack(">QQ", start, end - start))
        fdt.setprop(off, "no-map", b"")
    fdt.pack()
    return bytes(fdt.as_bytearray())
