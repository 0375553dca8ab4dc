"""The DTB root Linux boots with: the board (system minus the hypervisor's nodes) plus
/reserved-memory no-map nodes for the hypervisor, the cell pool and every cell's memory;
devices that non-root cells take from the root are disabled, whatever form the cell uses."""
from __future__ import annotations

import re
import struct

import libfdt

from configgen import abi
from configgen.model import System
from configgen.intervals import Cover
from configgen.rules._ownership import devices_taken_by

_QUIET = (libfdt.NOTFOUND,)
_POOL = "\0pool"  # owner tag of the cell pool: no cell name contains NUL


def _board_no_map(fdt: libfdt.Fdt, res: int) -> Cover:
    """What the board's own /reserved-memory keeps from Linux already (no-map children)."""
    ac = fdt.getprop(res, "#address-cells", _QUIET)
    sc = fdt.getprop(res, "#size-cells", _QUIET)
    ac = ac.as_uint32() if not isinstance(ac, int) else 2
    sc = sc.as_uint32() if not isinstance(sc, int) else 2
    out: list[tuple[int, int]] = []
    off = fdt.first_subnode(res, _QUIET)
    while off >= 0:
        reg = fdt.getprop(off, "reg", _QUIET)
        if not isinstance(reg, int) and not isinstance(fdt.getprop(off, "no-map", _QUIET), int) and ac and sc:
            cells = struct.unpack(f">{len(reg) // 4}I", bytes(reg)[:len(reg) // 4 * 4])
            for i in range(0, len(cells) - ac - sc + 1, ac + sc):
                a = int.from_bytes(b"".join(c.to_bytes(4, "big") for c in cells[i:i + ac]), "big")
                s = int.from_bytes(b"".join(c.to_bytes(4, "big") for c in cells[i + ac:i + ac + sc]), "big")
                if s:
                    out.append((a, a + s))
        off = fdt.next_subnode(off, _QUIET)
    return Cover(out)


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


def taken_devices(sysm: System) -> list[str]:
    """Board devices some non-root cell takes from the root: root Linux must never probe them.
    Not PCI functions: the driver lets go of them when the cell is created and rescans for them
    when it is destroyed, so root Linux drives them whenever no cell holds them."""
    taken = set().union(*(devices_taken_by(sysm, c) for c in sysm.cells))
    return sorted(p for p in taken if sysm.devices.get(p) is None or sysm.devices[p].bdf is None)


def _hide_msi_frames(fdt: libfdt.Fdt, compats: tuple[str, ...]) -> None:
    """Nodes the arch keeps from root Linux although its drivers probe them whatever their status
    (ARMv7: GICv2m frames, found by the GIC driver through msi-controller): disabled, and no
    longer MSI controllers."""
    if not compats:
        return
    stack = [0]
    while stack:
        off = stack.pop()
        sub = fdt.first_subnode(off, _QUIET)
        while sub >= 0:
            stack.append(sub)
            sub = fdt.next_subnode(sub, _QUIET)
        prop = fdt.getprop(off, "compatible", _QUIET)
        if isinstance(prop, int) or not set(bytes(prop).decode("latin-1").split("\0")) & set(compats):
            continue
        fdt.setprop_str(off, "status", "disabled")
        if not isinstance(fdt.getprop(off, "msi-controller", _QUIET), int):
            fdt.delprop(off, "msi-controller")


def build(system_dtb: bytes, sysm: System, hyp_path: str) -> bytes:
    owners: list[tuple[int, int, str]] = [(sysm.hyp_mem.start, sysm.hyp_mem.end, "hypervisor")]
    # the pool as declared (the links' memory cut out of the root's regions is inside it) and
    # every link's memory: root Linux must never use it
    owners += [(r.start, r.end, _POOL) for r in sysm.cell_pool if r.size]
    owners += [(ln.phys, ln.end, _POOL) for ln in sysm.links if ln.size]
    for c in sysm.cells:
        for r in c.regions:
            if r.flags & (abi.MEM_IO | abi.MEM_COMM_REGION) or not r.size:
                continue
            owners.append((r.phys, r.phys + r.size, c.name))
    taken = taken_devices(sysm)
    fdt = libfdt.Fdt(bytearray(system_dtb))
    # room for what is added below, whatever the number of cell regions: at most one no-map node
    # per owner range (name of at most 48 bytes, reg, no-map: under 128 bytes) and one status
    # property per taken device (a fixed room ran out at a few hundred regions outside the pool)
    fdt.resize(len(system_dtb) + 4096 + 128 * len(owners) + 32 * len(taken))
    for path in (hyp_path, "/__symbols__", "/__fixups__", "/__local_fixups__"):
        off = fdt.path_offset(path, _QUIET)
        if off >= 0:
            fdt.del_node(off)
    for path in taken:
        off = fdt.path_offset(path, _QUIET)
        if off >= 0:
            fdt.setprop_str(off, "status", "disabled")
    _hide_msi_frames(fdt, getattr(sysm.arch, "root_hidden_compatibles", ()))
    res = fdt.path_offset("/reserved-memory", _QUIET)
    if res < 0:
        res = fdt.add_subnode(0, "reserved-memory")
        fdt.setprop_u32(res, "#address-cells", 2)
        fdt.setprop_u32(res, "#size-cells", 2)
        fdt.setprop(res, "ranges", b"")
    reserved = _board_no_map(fdt, res)
    for start, end in _merge_overlapping([(s, e) for s, e, _ in owners]):
        if reserved.contains(start, end):
            continue  # the board reserves it already: a second node would overlap (Linux complains)
        names = sorted({n for s, e, n in owners if s < end and start < e})
        label = ("hypervisor" if "hypervisor" in names else "cell-pool" if _POOL in names else
                 "cell-" + _node_name("+".join(names)))
        off = fdt.add_subnode(res, f"{_node_name(label)}@{start:x}")
        fdt.setprop(off, "reg", struct.pack(">QQ", start, end - start))
        fdt.setprop(off, "no-map", b"")
    fdt.pack()
    return bytes(fdt.as_bytearray())
