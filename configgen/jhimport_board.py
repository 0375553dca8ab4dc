"""What `configgen import` needs of a board (or system) .dts: its CPUs, its devices with their
MMIO ranges, ports, PCI functions and interrupts, and its PCI host's ECAM window."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from configgen import abi, arch
from configgen import jhformat as jh
from configgen.dtsource import SourceError, compile_file
from configgen.tree import Node, Tree, load, translate_reg

_SKIP = ("/cpus", "/reserved-memory", "/__", "/chosen", "/aliases")


@dataclass
class BoardDev:
    path: str
    label: Optional[str]
    regs: list[tuple[int, int]]  # MMIO (address, size)
    irqs: list[int]  # arm64: INTIDs of SPIs; x86: GSIs
    console: Optional[int] = None  # abi console type
    ports: list[tuple[int, int]] = field(default_factory=list)  # x86 (base, count)
    bdf: Optional[int] = None  # a PCI function on the host's bus
    controller: bool = False  # GIC / IOAPIC / local APIC: the hypervisor's own
    enabled: bool = True


@dataclass
class Board:
    path: str
    arch: str
    cpus: list[tuple[Optional[str], str]]  # (label, path) in DT order = Linux logical CPU order
    devices: list[BoardDev]
    has_hypervisor: bool
    ecam: list[tuple[int, int]] = field(default_factory=list)
    ram: list[tuple[int, int]] = field(default_factory=list)
    links: list[tuple[str, int, list[str]]] = field(default_factory=list)  # a system's: (name, address, peers)
    debug_console: Optional[str] = None  # a system's: the path of its hypervisor's debug console

    def labelled(self, pred) -> list[BoardDev]:  # type: ignore[no-untyped-def]
        return [d for d in self.devices if d.label and pred(d)]


def _ports(n: Node) -> list[tuple[int, int]]:
    p = n.parent
    vals = n.u32s("reg") or []
    if p is None or p.cells("#address-cells", 2) != 2 or p.cells("#size-cells", 1) != 1 or len(vals) % 3:
        return []
    return [(vals[i + 1], vals[i + 2]) for i in range(0, len(vals), 3) if vals[i] == 1]


def _bdf(n: Node) -> Optional[int]:
    p = n.parent
    if p is None or p.string("device_type") != "pci" or n.string("device_type") == "pci":
        return None
    vals = n.u32s("reg") or []
    return vals[0] >> 8 & 0xFFFF if vals else None


def _device(n: Node, t: Tree, prof: arch.Profile) -> Optional[BoardDev]:
    bdf = _bdf(n)
    ports = _ports(n)
    regs = [] if ports or bdf is not None else (translate_reg(n) or [])
    if not regs and not ports and bdf is None:
        return None
    try:
        irqs = [i.intid for i in prof.device_irqs(n, t).irqs if i.kind in ("spi", "gsi")]
    except Exception:  # a board whose interrupts configgen cannot read: no interrupts here
        irqs = []
    ctrl = "interrupt-controller" in n.props or any("apic" in c for c in n.compatible)
    dev = BoardDev(n.path, t.label_of(n), regs, irqs, prof.console_type(n), ports, bdf, ctrl,
                   n.string("status") in (None, "okay", "ok"))
    if n.string("device_type") == "pci" and regs:
        dev.controller = False
    return dev


def load_board(path: str) -> Board:
    try:
        comp = compile_file(path, [], False)
    except SourceError as e:
        raise jh.JhError("the board does not compile:\n" + "\n".join(d.format() for d in e.diags)) from None
    t: Tree = load(comp.dtb)
    prof = arch.select(t)
    cpus = []
    cn = t.node("/cpus")
    for c in cn.children if cn else []:
        if c.string("device_type") == "cpu":
            cpus.append((t.label_of(c), c.path))
    devs, ecam, ram = [], [], []
    for n in t.root.walk():
        if n.path.startswith(_SKIP) or "reg" not in n.props:
            continue
        if n.string("device_type") == "memory":
            ram += translate_reg(n) or []
            continue
        d = _device(n, t, prof)
        if d is None:
            continue
        if n.string("device_type") == "pci":
            ecam += d.regs
        devs.append(d)
    has_hyp = any("hv,hypervisor" in n.compatible for n in t.root.children)
    dbg = None
    for n in t.root.children:
        ph = n.u32s("debug-console") if "hv,hypervisor" in n.compatible else None
        target = t.by_phandle.get(ph[0]) if ph else None
        if target is not None:
            dbg = target.path
    return Board(path, prof.name, cpus, devs, has_hyp, ecam, ram, _links(t), dbg)


def _links(t: Tree) -> list[tuple[str, int, list[str]]]:
    out = []
    for n in t.root.walk():
        if "hv,ivshmem-link" not in n.compatible:
            continue
        addr = n.u32s("physical-address") or []
        if len(addr) == 2:
            out.append((n.name, addr[0] << 32 | addr[1], n.strings("peers") or []))
    return out


def is_pl011(d: BoardDev) -> bool:
    return d.console == abi.CONSOLE_PL011
