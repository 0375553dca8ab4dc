"""The PCI host a cell with PCI functions sees in its guest device tree (configgen/guestdt.py).

The hypervisor gives such a cell a virtual ECAM window at the real one's address, bus 0 only,
showing only the cell's functions at their real BDF with their BARs fixed to the config's
values; memory BARs are identity-mapped, I/O BARs reach the cell through the host's I/O window
(pci_io_base + port). So the guest's host node is pci-host-ecam-generic with:
  * reg: the ECAM base, 1 MiB (bus 0), bus-range <0 0>;
  * ranges: I/O space from port 0 up to the end of the cell's last I/O BAR page (CPU
    pci_io_base + port: Linux numbers the first I/O window's ports from 0, so port = bus
    address), and one identity memory window per memory BAR page range; no memory BAR, no
    memory window (Linux only warns);
  * interrupt-map (mask <0x1800 0 0 7>, QEMU's): each function's INTx pin to its SPI on the
    guest GIC, as the board's interrupt-map resolves it (configgen/pci.py);
  * no msi-map / msi-parent: the hypervisor hides MSI and MSI-X (no doorbell DMA);
  * a child node per function (reg = its configuration address, compatible).
Linux must not move the fixed BARs: /chosen linux,pci-probe-only = <1> (guestdt.py).

A cell's ends of inter-cell links (configgen/links.py) are functions of the same host (the
hypervisor emulates them in the virtual ECAM window; a cell with ends only gets the host too):
a child node each (110a:4106 at 00:dd.0), a 32-bit memory window over its BAR0 page (probe-only
keeps the BAR where the config put it) and an interrupt-map entry INTA -> its SPI, level high.
With ends the map's mask takes the whole device number (<0xf800 0 0 7>): an end's slot may share
its low bits with a function's.
"""
from __future__ import annotations

from typing import Optional

from configgen import abi, pci
from configgen.arch import Profile
from configgen.fdtwrite import WNode
from configgen.model import BoardDevice, Cell, LinkEnd, Range, System
from configgen.tree import Tree

_SPACE_CODE = {pci.SPACE_IO: 0x01000000, pci.SPACE_MEM32: 0x02000000, pci.SPACE_MEM64: 0x03000000}
_INTX_MASK = [0x1800, 0, 0, 7]
_INTX_MASK_SLOT = [0xF800, 0, 0, 7]  # with link ends: the whole device number
_IVSHMEM_COMPAT = f"pci{abi.IVSHMEM_VENDOR_ID:x},{abi.IVSHMEM_DEVICE_ID:x}"
_LEVEL_HIGH = 4


def cell_functions(sysm: System, cell: Cell) -> list[BoardDevice]:
    """The board nodes of the cell's PCI functions (devices = <&function>, or the raw
    pci-devices form, by BDF), in BDF order."""
    board = {(d.pci_domain, d.bdf): d for d in sysm.devices.values() if d.bdf is not None}
    out = {}
    for u in cell.pci:
        dev = board.get((u.domain, u.bdf))
        if dev is not None:
            out[(u.domain, u.bdf)] = dev
    return [out[k] for k in sorted(out)]


def _ranges(prof: Profile, funcs: list[BoardDevice], io_base: int, ends: list[LinkEnd]) -> list[int]:
    page_round = prof.page_round
    bars = [b for f in funcs for b in f.bars if b.cpu is not None]
    bars += [pci.Bar(0, pci.SPACE_MEM32, False, e.bar0, prof.page_size, e.bar0) for e in ends if e.bar0]
    out: list[int] = []
    io = [b for b in bars if b.space == pci.SPACE_IO]
    if io:
        end = max(page_round(Range(b.pci, b.size)).end for b in io)
        out += [_SPACE_CODE[pci.SPACE_IO], 0, 0, io_base >> 32, io_base & 0xFFFFFFFF, 0, end]
    for b in sorted((b for b in bars if b.space != pci.SPACE_IO), key=lambda b: b.pci):
        r = page_round(Range(b.pci, b.size))
        hi = _SPACE_CODE[b.space] | (0x40000000 if b.prefetch else 0)
        out += [hi, r.start >> 32, r.start & 0xFFFFFFFF, r.start >> 32, r.start & 0xFFFFFFFF,
                r.size >> 32, r.size & 0xFFFFFFFF]
    return out


def _interrupt_map(funcs: list[BoardDevice], t: Tree, gic_ph: int, owned: set[int], ends: list[LinkEnd],
                   first_spi: int) -> list[int]:
    slot_mask = (_INTX_MASK_SLOT if ends else _INTX_MASK)[0]
    out: list[int] = []
    for e in ends:
        out += [e.bdf << 8 & slot_mask, 0, 0, 1, gic_ph, 0, 0, 0, e.irq - first_spi, _LEVEL_HIGH]
    for f in funcs:
        node = t.node(f.path)
        pin = pci.intx_pin(node) if node is not None else 0
        spi = next((i for i in f.irqs if i.kind == "spi" and i.intid in owned), None)
        if not pin or spi is None:
            continue
        out += [f.bdf << 8 & slot_mask, 0, 0, pin, gic_ph, 0, 0, 0, spi.number, spi.flags or _LEVEL_HIGH]
    return out


def host_node(sysm: System, cell: Cell, t: Tree, gic_ph: int) -> Optional[tuple[WNode, dict[str, str]]]:
    """(the pcie node, function board path -> guest node path), or None if the cell has no
    functions and no link ends (or the board no ECAM window)."""
    funcs = cell_functions(sysm, cell)
    ends = sorted(cell.ends, key=lambda e: e.bdf)
    ecam = sysm.platform.pci_ecam
    if not (funcs or ends) or not ecam.size:
        return None
    w = WNode(f"pcie@{ecam.start:x}")
    w.set("compatible", "pci-host-ecam-generic").set("device_type", "pci")
    w.set("reg", [ecam.start >> 32, ecam.start & 0xFFFFFFFF, 0, min(ecam.size, 1 << 20)])
    w.set("bus-range", [0, 0]).set("#address-cells", 3).set("#size-cells", 2).set("#interrupt-cells", 1)
    w.set("linux,pci-domain", funcs[0].pci_domain if funcs else 0)
    rng = _ranges(sysm.arch, funcs, sysm.platform.pci_io.start, ends)
    w.set("ranges", rng if rng else b"")
    imap = _interrupt_map(funcs, t, gic_ph, set(cell.intids), ends, sysm.arch.first_spi)
    if imap:
        w.set("interrupt-map-mask", _INTX_MASK_SLOT if ends else _INTX_MASK).set("interrupt-map", imap)
    paths: dict[str, str] = {}
    for f in funcs:
        src = t.node(f.path)
        assert f.bdf is not None
        slot, fn = f.bdf >> 3 & 0x1F, f.bdf & 7
        unit = src.unit_name if src is not None else "pci"
        child = w.add(WNode(f"{unit}@{slot:x},{fn:x}"))
        if src is not None and src.strings("compatible"):
            child.set("compatible", src.strings("compatible") or [])
        child.set("reg", [f.bdf << 8, 0, 0, 0, 0])
        paths[f.path] = f"/{w.name}/{child.name}"
    for e in ends:
        child = w.add(WNode(f"ivshmem@{e.bdf >> 3 & 0x1F:x},{e.bdf & 7:x}"))
        child.set("compatible", [_IVSHMEM_COMPAT])
        child.set("reg", [e.bdf << 8, 0, 0, 0, 0])
    return w, paths
