"""PCI functions of a board's device tree (PCI bus binding, IEEE 1275 + devicetree spec): which
node is a function, its bus/device/function, its BARs (assigned-addresses) translated to CPU
addresses through the host's ranges, and its INTx pin through the host's interrupt-map.

A function node is a child of a PCI host (compatible "pci-host-ecam-generic" or device_type
"pci") with #address-cells = 3; each 3-cell PCI address is phys.hi phys.mid phys.lo with
phys.hi = npt000ss bbbbbbbb dddddfff rrrrrrrr (ss: 1 I/O, 2 32-bit, 3 64-bit memory; p:
prefetchable; r: the configuration register, 0x10 + 4 i for BAR i).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from configgen.model import Range
from configgen.tree import Node

SPACE_IO, SPACE_MEM32, SPACE_MEM64 = 1, 2, 3
NUM_BARS = 6
_BAR0_REG = 0x10


def is_host(node: Node) -> bool:
    return "pci-host-ecam-generic" in node.compatible or node.string("device_type") == "pci"


def host_of(node: Node) -> Optional[Node]:
    """The PCI host (or bridge) a function node sits under, if its addresses are PCI's."""
    bus = node.parent
    if bus is None or not is_host(bus) or bus.cells("#address-cells", 3) != 3:
        return None
    return bus


def function_bdf(node: Node) -> Optional[int]:
    """bus << 8 | device << 3 | function of a node under a PCI host (reg's first phys.hi)."""
    if host_of(node) is None:
        return None
    vals = node.u32s("reg")
    return (vals[0] >> 8) & 0xFFFF if vals else None


@dataclass(frozen=True)
class Bar:
    index: int  # BAR register 0..5
    space: int  # SPACE_*
    prefetch: bool
    pci: int  # address on the PCI bus (an I/O port for SPACE_IO)
    size: int
    cpu: Optional[int] = None  # CPU address through the host's ranges (None: not translated)

    @property
    def kind(self) -> str:
        return {SPACE_IO: "I/O", SPACE_MEM32: "32-bit memory", SPACE_MEM64: "64-bit memory"}.get(self.space, "?")


def bars(node: Node) -> tuple[list[Bar], str]:
    """The function's BARs from assigned-addresses (ROM and non-BAR registers left out), and a
    problem text when the property cannot be read."""
    vals = node.u32s("assigned-addresses") or []
    if node.has("assigned-addresses") and (not vals or len(vals) % 5):
        return [], "its assigned-addresses is not a list of <phys.hi mid lo size.hi lo> entries"
    out: list[Bar] = []
    for i in range(0, len(vals), 5):
        hi = vals[i]
        reg, space = hi & 0xFF, (hi >> 24) & 3
        size = (vals[i + 3] << 32) | vals[i + 4]
        if not size or space == 0 or not _BAR0_REG <= reg < _BAR0_REG + 4 * NUM_BARS or reg % 4:
            continue
        out.append(Bar((reg - _BAR0_REG) // 4, space, bool(hi >> 30 & 1), (vals[i + 1] << 32) | vals[i + 2], size))
    return sorted(out, key=lambda b: b.index), ""


@dataclass(frozen=True)
class Window:
    space: int
    pci: int
    cpu: int
    size: int


def host_windows(host: Node) -> list[Window]:
    """The host's ranges: <phys.hi mid lo  cpu-address  size.hi lo> (cpu-address in the parent's
    #address-cells, 1 or 2)."""
    parent = host.parent
    rng = host.u32s("ranges") or []
    pac = parent.cells("#address-cells", 2) if parent else 2
    step = 3 + pac + 2
    if pac not in (1, 2) or len(rng) % step:
        return []
    out = []
    for i in range(0, len(rng), step):
        cpu = rng[i + 3] if pac == 1 else (rng[i + 3] << 32) | rng[i + 4]
        size = (rng[i + 3 + pac] << 32) | rng[i + 4 + pac]
        if size:
            out.append(Window((rng[i] >> 24) & 3, (rng[i + 1] << 32) | rng[i + 2], cpu, size))
    return out


def io_window(host: Node) -> Optional[Range]:
    """CPU address of I/O port 0 and the size of the I/O window (pci_io_base/size), or None if
    the host has no I/O window starting at port 0."""
    w = next((w for w in host_windows(host) if w.space == SPACE_IO), None)
    return Range(w.cpu, w.size) if w is not None and w.pci == 0 else None


def translate(bar_list: list[Bar], host: Node) -> tuple[list[Bar], str]:
    """Each BAR with its CPU address (I/O: through the I/O window; memory: identity, required),
    and the first problem met ("" if none)."""
    windows = host_windows(host)
    bad = next((w for w in windows if w.space != SPACE_IO and w.pci != w.cpu), None)
    if bad is not None:
        return bar_list, (f"{host.path} maps PCI memory {bad.pci:#x} to CPU {bad.cpu:#x}: only identity memory "
                          "windows are supported (the hypervisor fixes BARs at their CPU addresses)")
    out, problem = [], ""
    for b in bar_list:
        io = b.space == SPACE_IO  # (a 32-bit BAR may sit in a 64-bit window and the other way round)
        w = next((w for w in windows if (w.space == SPACE_IO) == io
                  and w.pci <= b.pci and b.pci + b.size <= w.pci + w.size), None)
        if w is None:
            problem = problem or (f"its BAR{b.index} ({b.kind} {b.pci:#x}+{b.size:#x}) lies in no window of "
                                  f"{host.path}'s ranges")
            out.append(b)
            continue
        out.append(Bar(b.index, b.space, b.prefetch, b.pci, b.size, w.cpu + b.pci - w.pci))
    return out, problem


def bar_values(bar_list: list[Bar]) -> list[int]:
    """hvcfg_pci_device.bar[]: each BAR register's value as in configuration space (the PCI address
    with its type bits; a 64-bit BAR's upper half in the next register)."""
    out = [0] * NUM_BARS
    for b in bar_list:
        if b.space == SPACE_IO:
            out[b.index] = (b.pci & 0xFFFFFFFC) | 1
            continue
        pf = 8 if b.prefetch else 0
        if b.space == SPACE_MEM64:
            out[b.index] = (b.pci & 0xFFFFFFF0) | 4 | pf
            if b.index + 1 < NUM_BARS:
                out[b.index + 1] = b.pci >> 32
        else:
            out[b.index] = (b.pci & 0xFFFFFFF0) | pf
    return out


def intx_pin(node: Node) -> int:
    """The function's interrupt pin (1 INTA .. 4 INTD) from `interrupts`, 0 if none."""
    v = node.u32s("interrupts")
    return v[0] if v and len(v) == 1 and 1 <= v[0] <= 4 else 0


def map_intx(node: Node, host: Node, by_phandle: dict[int, Node]) -> tuple[Optional[tuple[Node, list[int]]], str]:
    """(interrupt controller, its specifier) the function's INTx reaches through the host's
    interrupt-map / interrupt-map-mask (devicetree spec 2.4.3: child unit address of the
    host's #address-cells, then the child specifier, the parent's phandle, the parent's unit
    address (its #address-cells) and specifier (its #interrupt-cells)); problem text if not."""
    pin = intx_pin(node)
    if not pin:
        return None, "its interrupts is not one INTx pin (1..4)" if node.has("interrupts") else ""
    reg = node.u32s("reg") or [0, 0, 0]
    if len(reg) < 3:
        return None, f"{host.path}'s interrupt-map is not of the PCI form (3 address cells, 1 interrupt cell)"
    return _map_lookup(reg[:3], pin, host, by_phandle)


def map_intx_bdf(bdf: int, pin: int, host: Node, by_phandle: dict[int, Node]
                 ) -> tuple[Optional[tuple[Node, list[int]]], str]:
    """map_intx for a function that has no node (a link's end): bus/device/function and pin."""
    return _map_lookup([bdf << 8, 0, 0], pin, host, by_phandle)


def _map_lookup(reg: list[int], pin: int, host: Node, by_phandle: dict[int, Node]
                ) -> tuple[Optional[tuple[Node, list[int]]], str]:
    imap = host.u32s("interrupt-map")
    if not imap:
        return None, f"{host.path} has no interrupt-map"
    ac, ic = host.cells("#address-cells", 3), host.cells("#interrupt-cells", 1)
    mask = host.u32s("interrupt-map-mask") or [0xFFFFFFFF] * (ac + ic)
    if ac != 3 or ic != 1 or len(mask) != ac + ic:
        return None, f"{host.path}'s interrupt-map is not of the PCI form (3 address cells, 1 interrupt cell)"
    key = [v & m for v, m in zip(reg[:3] + [pin], mask)]
    i = 0
    while i + ac + ic + 1 <= len(imap):
        child = imap[i:i + ac + ic]
        parent = by_phandle.get(imap[i + ac + ic])
        if parent is None:
            return None, f"{host.path}'s interrupt-map names phandle {imap[i + ac + ic]:#x}, which is no node"
        pac = parent.cells("#address-cells", 0)
        pic = parent.u32("#interrupt-cells")
        if pic is None:
            return None, f"{host.path}'s interrupt-map names {parent.path}, which has no #interrupt-cells"
        start = i + ac + ic + 1 + pac
        if start + pic > len(imap):
            return None, f"{host.path}'s interrupt-map is cut short"
        if child == key:
            return (parent, imap[start:start + pic]), ""
        i = start + pic
    return None, f"{host.path}'s interrupt-map has no entry for its INTx (pin {pin})"



def source_props(devices: list[dict[str, Any]], indent: str) -> list[str]:
    """A blob's PCI functions in the raw cell form decompile writes: pci-devices (domain << 16 |
    BDF each) and, when any BAR is set, pci-bars (6 values per function, in the same order)."""
    if not devices:
        return []
    funcs = " ".join(f"{d['domain'] << 16 | d['bdf']:#x}" for d in devices)
    out = [f"{indent}pci-devices = <{funcs}>;"]
    if any(any(d.get("bar") or []) for d in devices):
        bars = " ".join(f"{b:#x}" for d in devices for b in (d.get("bar") or [0] * NUM_BARS))
        out.append(f"{indent}pci-bars = <{bars}>;")
    return out


def layout_ok(devices: list[dict[str, Any]], no_iommu: int, types: tuple[int, ...]) -> str:
    """"" if the functions are what configgen writes: sorted, unique, known type, behind no IOMMU."""
    keys = [(d["domain"], d["bdf"]) for d in devices]
    if keys != sorted(set(keys)):
        return "PCI functions not in the order configgen writes them"
    for d in devices:
        if d["iommu"] != no_iommu or d["type"] not in types:
            return (f"PCI function {d['bdf']:#06x} of type {d['type']} behind IOMMU unit {d['iommu']} "
                    "(configgen writes none)")
    return ""
