"""The device tree an OS inside a cell boots with, derived from the same model as the cell's blob.

What the guest sees (all in guest-physical terms):
  * /cpus: only the cell's CPUs, real MPIDRs (the hypervisor does not virtualise them),
    enable-method "psci"; /psci with method "smc" (the hypervisor traps SMC and emulates PSCI);
  * one /memory node per RAM region at its guest address; shared regions and the comm page as
    /reserved-memory no-map nodes (compatible "hv,shared-memory" / "hv,comm-region");
  * the GICv3 at its real addresses: the hypervisor traps and filters GICD and every GICR frame,
    so the guest gets the distributor and the redistributor frames of all the system's CPUs
    (Linux walks the frames until GICR_TYPER.Last, which the hypervisor sets on the system's
    last CPU); no ITS, no maintenance interrupt;
  * the architected timer (PPIs, always per CPU);
  * every board device the cell maps, with the interrupts the cell owns (a shared device keeps
    its interrupt with root, so its node has none) and the fixed clocks it references; devices
    lying wholly inside one of the cell's plain I/O regions count too (at their guest address).
"""
from __future__ import annotations

import re
import struct
from typing import Optional

from configgen import abi, guestdt_pci
from configgen.arch.arm64 import GIC_COMPATS
from configgen.fdtwrite import WNode, build, cells64
from configgen.model import BoardDevice, Cell, System
from configgen.intervals import merge
from configgen.tree import Node, Tree, translate_reg

# properties whose values hold phandles we cannot carry into the guest
# (every #...-cells property of a kept node survives: a GPIO controller's #gpio-cells, a clock's
# #clock-cells ... say how others reference it, and the guest may reference it)
_PHANDLE_PROPS = re.compile(r"^(.*-gpios?|gpios|dmas|iommus|iommu-map|msi-parent|msi-map|resets|power-domains|"
                            r"pinctrl-\d+|phys|interrupts-extended|interrupt-map|memory-region|operating-points-v2|"
                            r"nvmem-cells|assigned-clocks|assigned-clock-parents|assigned-clock-rates|"
                            r"thermal-sensors|dma-ranges|interrupt-map-mask|hv,.*)$")
# the kernel command line when the cell's console is a PCI UART: Linux's 8250_pci driver names
# it ttyS0 (no legacy ports on arm64; no earlycon: the function decodes nothing until the driver
# enables it, the hypervisor starts the cell with decoding off); cma=0: a distribution kernel
# reserves 64 MiB for CMA by default (Debian's), half of a small cell's RAM, and nothing in a
# cell needs it
PCI_CONSOLE_BOOTARGS = "console=ttyS0 cma=0"


def _ram_kind(flags: int) -> str:
    if flags & abi.MEM_COMM_REGION:
        return "comm"
    if flags & abi.MEM_IO:
        return "io"
    if flags & abi.MEM_SHARED:
        return "shared"
    return "ram"


def _find_gic(t: Tree) -> Optional[Node]:
    return next((n for n in t.root.walk() if any(c in n.compatible for c in GIC_COMPATS)), None)


def _find_compat(t: Tree, compat: str) -> Optional[Node]:
    return next((n for n in t.root.walk() if compat in n.compatible and n.enabled), None)


def _copy_props(n: Node, skip: tuple[str, ...] = ()) -> list[tuple[str, bytes]]:
    out = []
    for k, v in n.props.items():
        if k in skip or k in ("phandle", "linux,phandle", "status", "reg", "interrupts", "interrupt-parent",
                              "clocks", "clock-names"):
            continue
        if _PHANDLE_PROPS.match(k):
            continue
        out.append((k, v))
    return out


def _clock_refs(n: Node, t: Tree) -> Optional[list[tuple[int, Node]]]:
    """(phandle, node) of every clock `n` references; None if one is not a plain fixed clock."""
    vals = n.u32s("clocks") or []
    out: list[tuple[int, Node]] = []
    i = 0
    while i < len(vals):
        target = t.by_phandle.get(vals[i])
        if target is None or "reg" in target.props:
            return None
        out.append((vals[i], target))
        i += 1 + target.cells("#clock-cells", 0)
    return out


def _clock_wnode(target: Node, phandle: int) -> WNode:
    w = WNode(target.name, _copy_props(target) + [("phandle", struct.pack(">I", phandle))])
    if target.has("clocks"):
        w.set("clocks", target.props["clocks"])
    return w


def _clock_nodes(dev: Node, t: Tree, seen: dict[int, WNode]) -> bool:
    """Copy the fixed clocks `dev` references, and the clocks they reference, into `seen` (each
    after its parents); False if one is not a plain fixed clock. Iterative, and a clock loop
    (a clock referencing itself or a clock that references it) is copied once."""
    refs = _clock_refs(dev, t)
    if refs is None:
        return False
    stack: list[tuple[Optional[int], Node, list[tuple[int, Node]], list[int]]] = [(None, dev, refs, [0])]
    active: set[int] = set()
    while stack:
        ph, node, rs, pos = stack[-1]
        if pos[0] < len(rs):
            cph, target = rs[pos[0]]
            pos[0] += 1
            if cph in seen or cph in active:
                continue
            sub = _clock_refs(target, t)
            if sub is None:
                return False
            active.add(cph)
            stack.append((cph, target, sub, [0]))
            continue
        stack.pop()
        if ph is not None:
            active.discard(ph)
            seen[ph] = _clock_wnode(node, ph)
    return True


def _device_interrupts(dev: BoardDevice, owned: set[int], shared: bool) -> Optional[list[int]]:
    """The device's interrupts the guest sees, as 3-cell specifiers of the guest's GIC: its PPIs, and
    the SPIs the cell owns (decoded through the board's controller: configgen/arch)."""
    if shared:
        return None
    out: list[int] = []
    for irq in dev.irqs:
        if irq.kind == "ppi" or irq.kind == "spi" and irq.intid in owned:
            out += [0 if irq.kind == "spi" else 1, irq.number, irq.flags]
    return out or None


def guest_tree(sysm: System, cell: Cell, t: Tree) -> WNode:
    board = t.root
    root = WNode("")
    root.set("#address-cells", 2).set("#size-cells", 2)
    compat = board.strings("compatible")
    model = board.string("model") or "board"
    root.set("model", f"{model} (cell {cell.name})")
    if compat:
        root.set("compatible", compat)
    gic = _find_gic(t)
    gic_ph = gic.u32("phandle") if gic is not None else None
    gic_ph = gic_ph if gic_ph is not None else 1
    root.set("interrupt-parent", gic_ph)

    chosen = root.add(WNode("chosen"))
    aliases: Optional[WNode] = None

    # CPUs and PSCI
    cpus = root.add(WNode("cpus"))
    cpu_cells = getattr(sysm.arch, "cpu_address_cells", 2)
    cpus.set("#address-cells", cpu_cells).set("#size-cells", 0)
    for idx in sorted(cell.cpus):
        bc = sysm.cpus[idx]
        src = t.node(bc.path)
        w = cpus.add(WNode(f"cpu@{bc.hw_id:x}"))
        w.set("device_type", "cpu")
        if src is not None and src.strings("compatible"):
            w.set("compatible", src.strings("compatible") or [])
        w.set("reg", cells64([bc.hw_id]) if cpu_cells == 2 else [bc.hw_id]).set("enable-method", "psci")
    psci = root.add(WNode("psci"))
    psci.set("compatible", ["arm,psci-1.0", "arm,psci-0.2"]).set("method", "smc")

    # memory
    ram = merge([(r.guest, r.guest + r.size) for r in cell.regions if _ram_kind(r.flags) == "ram" and r.size])
    for s, e in ram:
        m = root.add(WNode(f"memory@{s:x}"))
        m.set("device_type", "memory").set("reg", cells64([s, e - s]))
    special = [r for r in cell.regions if _ram_kind(r.flags) in ("shared", "comm") and r.size]
    if special:
        res = root.add(WNode("reserved-memory"))
        res.set("#address-cells", 2).set("#size-cells", 2).set("ranges", b"")
        for r in sorted(special, key=lambda r: r.guest):
            kind = _ram_kind(r.flags)
            n = res.add(WNode(f"{'comm-region' if kind == 'comm' else 'shared-memory'}@{r.guest:x}"))
            n.set("compatible", "hv,comm-region" if kind == "comm" else "hv,shared-memory")
            n.set("reg", cells64([r.guest, r.size])).set("no-map", b"")

    # timer
    timer = next((n for c in getattr(sysm.arch, "timer_compatibles", ("arm,armv8-timer",))
                  for n in [_find_compat(t, c)] if n is not None), None)
    if timer is not None:
        w = root.add(WNode("timer"))
        w.props = _copy_props(timer)
        # its PPIs as 3-cell specifiers of the guest's GIC, whatever form the board's GIC uses
        ppis = [v for irq in sysm.arch.device_irqs(timer, t).irqs if irq.kind == "ppi"
                for v in (1, irq.number, irq.flags)]
        if ppis:
            w.set("interrupts", ppis)

    # GIC: the profile's (v3: distributor + every CPU's redistributor frames, v2: GICD + GICC)
    p = sysm.platform
    compat, reg = sysm.arch.guest_gic(p, len(sysm.cpus))
    g = root.add(WNode(f"interrupt-controller@{p.gicd.start:x}"))
    g.set("compatible", compat).set("#interrupt-cells", 3).set("interrupt-controller", b"")
    g.set("#address-cells", 2).set("#size-cells", 2).set("ranges", b"")
    if p.gicr.size or p.gic_version == 3:
        g.set("#redistributor-regions", 1)
    g.set("reg", cells64(reg))
    g.set("phandle", gic_ph)

    # devices
    clocks: dict[int, WNode] = {}
    dev_nodes: list[WNode] = []
    owned = set(cell.intids)
    console_path = ""
    # devices: those referenced by the cell, plus board devices lying wholly inside one of the
    # cell's plain I/O regions (raw regions, e.g. from decompile or import), at their guest address
    uses: list[tuple[str, bool, int]] = [(u.path, u.shared, 0) for u in cell.devices]
    referenced = {u.path for u in cell.devices}
    for r in cell.regions:
        if not r.flags & abi.MEM_IO or r.flags & abi.MEM_COMM_REGION or r.device:
            continue
        for dev in sysm.devices.values():
            if dev.path in referenced or dev.forbidden or not dev.enabled or not dev.regs:
                continue
            if all(r.phys <= g.start and g.end <= r.phys + r.size for g in dev.regs):
                uses.append((dev.path, bool(r.flags & abi.MEM_SHARED), r.guest - r.phys))
                referenced.add(dev.path)
    for path, shared, offset in uses:
        dev = sysm.devices.get(path)
        src = t.node(path)
        if dev is None or src is None or dev.forbidden or dev.bdf is not None:  # PCI: under the host below
            continue
        regs = [(a + offset, sz) for a, sz in translate_reg(src) or []]
        if not regs:
            continue
        w = WNode(f"{src.unit_name}@{regs[0][0]:x}")
        w.props = _copy_props(src)
        w.set("reg", cells64([v for a, sz in regs for v in (a, sz)]))
        ints = _device_interrupts(dev, owned, shared)
        if ints:
            w.set("interrupts", ints)
        if src.has("clocks") and _clock_nodes(src, t, clocks):
            w.set("clocks", src.props["clocks"])
            if src.has("clock-names"):
                w.set("clock-names", src.props["clock-names"])
        dev_nodes.append(w)
        if cell.console.type == abi.CONSOLE_PL011 and any(a - offset == cell.console.base for a, _ in regs):
            console_path = "/" + w.name
    for w in clocks.values():
        root.add(w)
    for w in sorted(dev_nodes, key=lambda w: w.name):
        root.add(w)
    if console_path:
        aliases = WNode("aliases")
        aliases.set("serial0", console_path)
        root.children.insert(1, aliases)
        chosen.set("stdout-path", console_path)
    _pci(sysm, cell, t, root, chosen, gic_ph)
    return root


def _pci(sysm: System, cell: Cell, t: Tree, root: WNode, chosen: WNode, gic_ph: int) -> None:
    """The cell's own PCI host (configgen/guestdt_pci.py); /chosen: probe only (the BARs are the
    config's), and stdout-path plus a default command line when the console is a PCI UART."""
    host = guestdt_pci.host_node(sysm, cell, t, gic_ph)
    if host is None:
        return
    node, paths = host
    root.add(node)
    chosen.set("linux,pci-probe-only", 1)
    con = paths.get(cell.console_pci or "")
    dev = sysm.devices.get(cell.console_pci or "")
    if con is None or dev is None:
        return
    chosen.set("stdout-path", con)
    chosen.set("bootargs", PCI_CONSOLE_BOOTARGS)


def build_dtb(sysm: System, cell: Cell, t: Tree) -> bytes:
    return build(guest_tree(sysm, cell, t))
