"""Device tree -> model: resolve references into CPU indices, regions, interrupts, consoles."""
from __future__ import annotations

import re
from typing import Any, Optional

from configgen import abi, arch, links, pci
from configgen.bindings import Locator
from configgen.diag import ERROR, Diagnostic, Loc
from configgen.model import BoardCpu, BoardDevice, Cell, Console, DeviceUse, PciUse, PortUse, Range, Region, System
from configgen.tree import Node, Tree, bus_windows, translate_reg

_SKIP_ROOTS = ("/cpus", "/reserved-memory", "/__symbols__", "/__fixups__", "/__local_fixups__", "/chosen",
               "/aliases")


def _e(rule: str, msg: str, loc: Loc, hint: str = "") -> Diagnostic:
    return Diagnostic(ERROR, rule, msg, loc, hint)


def _is_pci_host(node: Node) -> bool:
    return "pci-host-ecam-generic" in node.compatible or node.string("device_type") == "pci"


# PCI bus binding: phys.hi = npt000ss bbbbbbbb dddddfff rrrrrrrr (ss: 1 I/O, 2 32-bit, 3 64-bit memory)
_PCI_SPACE_IO = 1


def _on_isa(node: Node) -> bool:
    """A child of an ISA (or LPC) bus node, whose reg is <space address size> (space 1: I/O ports)."""
    bus = node.parent
    return bus is not None and ("isa" in bus.compatible or bus.string("device_type") == "isa")


def isa_ranges(node: Node) -> Optional[tuple[list[Range], list[Range]]]:
    """(I/O port ranges, memory ranges) of an ISA device's reg; None if it is no ISA device."""
    if not _on_isa(node):
        return None
    bus = node.parent
    assert bus is not None
    ac, sc = bus.cells("#address-cells", 2), bus.cells("#size-cells", 1)
    vals = node.u32s("reg") or []
    if ac != 2 or sc != 1 or not vals or len(vals) % 3:
        return [], []
    ports, mem = [], []
    for i in range(0, len(vals), 3):
        (ports if vals[i] & 1 else mem).append(Range(vals[i + 1], vals[i + 2]))
    return ports, mem


def _pci_function(node: Node) -> Optional[int]:
    """bus/device/function of a node under a PCI host (PCI bus binding: reg's first phys.hi)."""
    bus = node.parent
    if bus is None or not _is_pci_host(bus) or bus.cells("#address-cells", 3) != 3:
        return None
    vals = node.u32s("reg")
    return (vals[0] >> 8) & 0xFFFF if vals else None


def _pci_assigned(node: Node) -> tuple[list[Range], list[Range]]:
    """(I/O ports, memory) of a PCI function's assigned-addresses (its BARs; identity to the CPU)."""
    vals = node.u32s("assigned-addresses") or []
    ports, mem = [], []
    for i in range(0, len(vals) - len(vals) % 5, 5):
        addr, size = (vals[i + 1] << 32) | vals[i + 2], (vals[i + 3] << 32) | vals[i + 4]
        if size:
            (ports if (vals[i] >> 24) & 3 == _PCI_SPACE_IO else mem).append(Range(addr, size))
    return ports, mem


def _pci_host_ranges(node: Node) -> tuple[list[Range], list[Range]]:
    """(I/O windows as ports, memory windows) of a PCI host on a port-I/O architecture, whose
    I/O space is not memory-mapped: ranges = <phys.hi mid lo  cpu-address  size.hi lo>."""
    parent = node.parent
    rng = node.u32s("ranges") or []
    pac = parent.cells("#address-cells", 2) if parent else 2
    step = 3 + pac + 2
    ports, mem = [], []
    if pac not in (1, 2) or len(rng) % step:
        return ports, mem
    for i in range(0, len(rng), step):
        hi = rng[i]
        cpu = rng[i + 3] if pac == 1 else (rng[i + 3] << 32) | rng[i + 4]
        size = (rng[i + 3 + pac] << 32) | rng[i + 4 + pac]
        if not size:
            continue
        if (hi >> 24) & 3 == _PCI_SPACE_IO:
            ports.append(Range((rng[i + 1] << 32) | rng[i + 2], size))
        else:
            mem.append(Range(cpu, size))
    return ports, mem


def _root_only_reason(node: Node) -> str:
    if _is_pci_host(node):
        return ("a PCI host, which stays the root's with its configuration window (ECAM) and address windows: "
                "the hypervisor does not partition PCI configuration space")
    return ""


def board(t: Tree, loc: Locator, hyp_path: str, prof: Any = None
          ) -> tuple[list[BoardCpu], list[Range], dict[str, BoardDevice], list[Diagnostic]]:
    """The board's CPUs (in hardware-id order), RAM and devices (interrupts decoded through their
    controllers by the arch profile, default: the one the board's compatible selects)."""
    prof = prof or arch.select(t)
    cpus, diags = prof.cpus(t, loc)
    ram: list[Range] = []
    devices: dict[str, BoardDevice] = {}
    for node in t.root.walk():
        if node.path == "/" or node.path.startswith(_SKIP_ROOTS) or node.path.startswith(hyp_path):
            continue
        if node.string("device_type") == "memory":
            for a, s in translate_reg(node) or []:
                ram.append(Range(a, s))
            continue
        if "reg" not in node.props:
            continue
        dev = _special_device(node, t, loc, prof)
        if dev is not None:
            devices[node.path] = dev
            continue
        regs = translate_reg(node)
        if regs is None:
            continue
        windows = (bus_windows(node) or []) if _is_pci_host(node) else []
        irqs = prof.device_irqs(node, t)
        devices[node.path] = BoardDevice(node.path, [Range(a, s) for a, s in regs], irqs.intids,
                                         loc.node_loc(node.path), prof.forbidden_reason(node), node.enabled,
                                         _root_only_reason(node), [Range(a, s) for a, s in windows if s],
                                         irqs.irqs, irqs.problem)
    return cpus, ram, devices, diags


def _mmio_pci_function(node: Node, t: Tree, loc: Locator, prof: Any) -> Optional[BoardDevice]:
    """A PCI function on an architecture without port I/O (arm64): its BARs through the host's
    ranges (I/O space at the I/O window, memory identity) as page-rounded MMIO, its INTx through
    the host's interrupt-map (arch profile)."""
    bdf = pci.function_bdf(node)
    host = pci.host_of(node)
    if bdf is None or host is None:
        return None
    raw, problem = pci.bars(node)
    bars, why = pci.translate(raw, host)
    problem = problem or why
    regs = _merged([prof.page_round(Range(b.cpu, b.size)) for b in bars if b.cpu is not None])
    irqs = prof.device_irqs(node, t)
    return BoardDevice(node.path, regs, irqs.intids, loc.node_loc(node.path), prof.forbidden_reason(node),
                       node.enabled, prof.pci_root_only(bdf), irqs=irqs.irqs, irq_problem=irqs.problem, bdf=bdf,
                       pci_domain=host.u32("linux,pci-domain") or 0, pci_bridge=node.string("device_type") == "pci",
                       bars=bars, pci_no_dma=node.has("hv,no-dma"), pci_problem=problem, pci_host=host.path)


def _special_device(node: Node, t: Tree, loc: Locator, prof: Any) -> Optional[BoardDevice]:
    """Devices not addressed by CPU-physical reg: ISA devices (ports), PCI functions (BDF), and a
    PCI host on a port-I/O architecture (its configuration window is the hypervisor's, its I/O
    window ports). None for every other node (arm64 reads a PCI host through its parents'
    ranges; its functions: _mmio_pci_function)."""
    if not getattr(prof, "port_io", False):
        return _mmio_pci_function(node, t, loc, prof)
    isa = isa_ranges(node)
    if isa is not None:
        ports, mem = isa
        irqs = prof.device_irqs(node, t)
        return BoardDevice(node.path, mem, irqs.intids, loc.node_loc(node.path), prof.forbidden_reason(node),
                           node.enabled, irqs=irqs.irqs, irq_problem=irqs.problem, ports=ports)
    bdf = _pci_function(node)
    if bdf is not None:
        ports, mem = _pci_assigned(node)
        irqs = prof.device_irqs(node, t)
        bars, problem = pci.bars(node)
        return BoardDevice(node.path, mem, irqs.intids, loc.node_loc(node.path), prof.forbidden_reason(node),
                           node.enabled, prof.pci_root_only(bdf),
                           irqs=irqs.irqs, irq_problem=irqs.problem, ports=ports, bdf=bdf,
                           pci_domain=node.u32("linux,pci-domain") or 0,
                           pci_bridge=node.string("device_type") == "pci", bars=bars,
                           pci_no_dma=node.has("hv,no-dma"), pci_problem=problem,
                           pci_host=node.parent.path if node.parent else None)
    if _is_pci_host(node):
        ports, mem = _pci_host_ranges(node)
        return BoardDevice(node.path, [], [], loc.node_loc(node.path), "", node.enabled,
                           _root_only_reason(node), mem, port_windows=ports)
    return None


def _console_from_node(node: Optional[Node], where: Loc, what: str, prof: Any) -> tuple[Console, list[Diagnostic]]:
    kinds = " or ".join(compat for _, _, compat in prof.console_types)
    if node is None:
        return Console(), [_e("console-unsupported", f"{what} references no node", where,
                              "reference the UART node by its label, e.g. <&uart0>")]
    isa = isa_ranges(node) if getattr(prof, "port_io", False) else None
    regs = ([(r.start, r.size) for r in isa[0]] if isa is not None else
            translate_reg(node) if "reg" in node.props else None)
    typ = prof.console_type(node)
    if typ is None or not regs:
        return Console(), [_e("console-unsupported", f"{what} {node.path} is not a {kinds} UART with a reg",
                              where, f"only {kinds} consoles are supported on {prof.name}")]
    return Console(typ, regs[0][0], regs[0][1], where), []


def system(t: Tree, loc: Locator, path: str, arch_name: Optional[str] = None
           ) -> tuple[Optional[System], list[Diagnostic]]:
    """arch_name: the profile to use (configgen.arch), default: the one the board selects."""
    from configgen.overlay import find_hypervisor
    hyp = find_hypervisor(t)
    if hyp is None:
        return None, [_e("binding-required", "the system has no hypervisor node (compatible \"hv,hypervisor\")",
                         Loc(path), "add `hypervisor: hypervisor@ADDR { compatible = \"hv,hypervisor\"; ... }`")]
    prof = arch.select(t, arch_name)
    cpus, ram, devices, diags = board(t, loc, hyp.path, prof)
    pr = prof.platform(t, loc, hyp, path)
    plat = pr.platform
    diags += pr.diags
    pci_host = next((n for n in t.root.walk() if "pci-host-ecam-generic" in n.compatible), None)
    if pci_host is not None and getattr(prof, "pci_config_trap", True):  # (ARMv7: the root's own)
        r = translate_reg(pci_host)
        if r and r[0][1]:
            plat.pci_ecam = Range(*r[0])
        if plat.pci_ecam.size and not getattr(prof, "port_io", False):  # arm: I/O space is memory-mapped
            plat.pci_io = pci.io_window(pci_host) or Range(0, 0)
    hreg = translate_reg(hyp) or [(0, 0)]
    hyp_mem = Range(*hreg[0])
    dc = Console()
    if hyp.has("debug-console"):
        dc_ph = hyp.u32("debug-console")
        dc, d = _console_from_node(t.by_phandle.get(dc_ph) if dc_ph is not None else None,
                                   loc.prop_loc(hyp.path, "debug-console"), "debug-console", prof)
        diags += d
    reserved = pr.reserved_intids
    forbidden = []
    for dev in devices.values():
        if dev.forbidden:
            forbidden += [(r, f"{dev.path} ({dev.forbidden})") for r in dev.regs]
    forbidden += pr.forbidden
    root_windows = [(r, f"{dev.path} ({dev.root_only})") for dev in devices.values() if dev.root_only
                    for r in dev.regs + dev.windows if r.size]
    flags = abi.SYS_VIRTUAL_DEBUG_CONSOLE if hyp.has("virtual-debug-console") else 0
    roots = [c for c in hyp.children if "hv,root-cell" in c.compatible]
    if len(roots) != 1:
        diags.append(_e("binding-required", f"the hypervisor node needs exactly one \"hv,root-cell\" child, "
                                            f"found {len(roots)}", loc.node_loc(hyp.path),
                        "keep one `root-cell { compatible = \"hv,root-cell\"; ... };` in the hypervisor node"))
        return None, diags
    sysm = System(path, cpus, ram, devices, plat, hyp_mem, loc.prop_loc(hyp.path, "reg"), dc, flags, reserved,
                  forbidden, Cell("", True, Loc(path), Loc(path)), root_windows=root_windows, arch=prof)
    sysm.board_no_map = board_no_map(t)
    sysm.trapped_ports = list(pr.trapped_ports)
    sysm.root_ports = list(pr.root_ports)
    if dc.type == abi.CONSOLE_8250_PIO and dc.size:  # the hypervisor prints there at any time
        sysm.root_ports.append((Range(dc.base, dc.size), "the hypervisor's debug console"))
    root, d = cell(roots[0], t, loc, sysm, True)
    diags += d
    sysm.root = root
    diags += links.parse(hyp, loc, sysm)
    links.split_pool(sysm)
    sysm.link_plan = links.derive(sysm, t)
    diags += links.attach(sysm, t, root, sysm.link_plan)
    return sysm, diags


def board_no_map(t: Tree) -> list[Range]:
    """The board's /reserved-memory children with no-map and a fixed reg (enabled ones): RAM Linux
    never maps nor uses. Dynamic reservations (size, alloc-ranges) and reusable ones stay Linux's."""
    res = t.node("/reserved-memory")
    if res is None:
        return []
    out = []
    for child in res.children:
        if child.enabled and child.has("no-map"):
            out += [Range(a, n) for a, n in translate_reg(child) or [] if n]
    return out


def _u64(node: Node, prop: str, default: int = 0) -> int:
    v = node.u64(prop)
    return default if v is None else v


def _merged(ranges: list[Range]) -> list[Range]:
    out: list[Range] = []
    for r in sorted(ranges, key=lambda r: r.start):
        if out and r.start <= out[-1].end:
            last = out[-1]
            out[-1] = Range(last.start, max(last.end, r.end) - last.start)
        else:
            out.append(r)
    return out


def _without(ranges: list[Range], holes: list[Range]) -> list[Range]:
    """ranges minus every hole (both sorted or not; ranges disjoint)."""
    out = list(ranges)
    for h in holes:
        nxt: list[Range] = []
        for r in out:
            if h.end <= r.start or r.end <= h.start:
                nxt.append(r)
                continue
            if r.start < h.start:
                nxt.append(Range(r.start, h.start - r.start))
            if h.end < r.end:
                nxt.append(Range(h.end, r.end - h.end))
        out = nxt
    return sorted(out, key=lambda r: r.start)


def cell(node: Node, t: Tree, loc: Locator, sysm: System, is_root: bool) -> tuple[Cell, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    p = node.path
    c = Cell(node.string("cell-name") or "", is_root, loc.node_loc(p), loc.prop_loc(p, "cell-name"))
    # CPUs
    index_by_path = {cpu.path: i for i, cpu in enumerate(sysm.cpus)}
    if node.has("cpus"):
        c.cpus_loc = loc.prop_loc(p, "cpus")
        for ph in node.u32s("cpus") or []:
            target = t.by_phandle.get(ph)
            if target is None or target.path not in index_by_path:
                what = target.path if target else f"phandle {ph:#x}"
                diags.append(_e("cpu-unknown", f"cell '{c.name}': {what} is not a CPU of the board's /cpus",
                                c.cpus_loc, "reference /cpus nodes, e.g. <&cpu1 &cpu2>"))
            else:
                c.cpus.append(index_by_path[target.path])
    if node.has("cpus") and node.has("cpu-indices"):
        diags.append(_e("binding-exclusive", f"cell '{c.name}' gives both cpus and cpu-indices",
                        loc.prop_loc(p, "cpu-indices"), "name the CPUs one way: cpus = <&cpuN ...>"))
    elif node.has("cpu-indices"):
        c.cpus_loc = loc.prop_loc(p, "cpu-indices")
        for i in node.u32s("cpu-indices") or []:
            if i >= len(sysm.cpus):
                diags.append(_e("cpu-unknown", f"cell '{c.name}': CPU index {i} does not exist, the board has "
                                               f"{len(sysm.cpus)} CPUs", c.cpus_loc,
                                "indices count the board's CPUs in MPIDR order from 0"))
            else:
                c.cpus.append(i)
    # memory regions
    for child in node.children:
        cp = child.path
        access = child.string("access")
        access = "rw" if access is None else access
        if not re.fullmatch(r"r?w?x?", access):
            diags.append(_e("binding-type", f"{cp}: access = \"{access}\" must be r, w, x in that order",
                            loc.prop_loc(cp, "access"), "e.g. access = \"rwx\";"))
            continue
        flags = sum(f for ch, f in (("r", abi.MEM_READ), ("w", abi.MEM_WRITE), ("x", abi.MEM_EXECUTE))
                    if ch in access)
        for prop, f in abi.MEM_FLAG_PROPS.items():
            if child.has(prop):
                flags |= f
        phys = child.u64("physical-address")
        if phys is None:
            if not flags & abi.MEM_COMM_REGION:
                diags.append(_e("binding-required", f"{cp}: missing required property 'physical-address'",
                                loc.node_loc(cp), "only the comm region has no physical address"))
                continue
            phys = 0
        elif flags & abi.MEM_COMM_REGION:
            diags.append(_e("mem-comm-region", f"cell '{c.name}': comm region {child.name} must not have a "
                                               "physical-address (the hypervisor provides the page)",
                            loc.prop_loc(cp, "physical-address"), "drop physical-address"))
            continue
        guest = _u64(child, "guest-address", phys)
        c.regions.append(Region(child.name, phys, guest, _u64(child, "size"), flags, loc.node_loc(cp)))
    # devices
    for prop, shared in (("devices", False), ("shared-devices", True)):
        if not node.has(prop):
            continue
        ploc = loc.prop_loc(p, prop)
        for ph in node.u32s(prop) or []:
            target = t.by_phandle.get(ph)
            dev = sysm.devices.get(target.path) if target is not None else None
            if dev is None:
                what = target.path if target else f"phandle {ph:#x}"
                diags.append(_e("dev-invalid", f"cell '{c.name}': {what} is not a board device with a reg",
                                ploc, "reference memory-mapped board devices (e.g. &uart0); "
                                      "use memory regions or spis for anything else"))
                continue
            c.devices.append(DeviceUse(dev.path, shared, ploc, dev.loc))
            if dev.forbidden or dev.root_only and not is_root:
                continue  # reported by the device rules; never mapped
            flags = abi.MEM_READ | abi.MEM_WRITE | abi.MEM_IO
            if shared:
                flags |= abi.MEM_SHARED | abi.MEM_ROOTSHARED
            for r in dev.regs + dev.windows:
                if dev.bdf is not None and any(g.device and g.phys == r.start and g.size == r.size and g.flags == flags
                                               for g in c.regions):
                    continue  # two functions' BARs in one page: one region
                c.regions.append(Region(f"device {dev.path}", r.start, r.start, r.size, flags, ploc, dev.path))
            if not shared:  # ports and PCI functions have no sharing flag: only exclusive use
                c.ports += [PortUse(r.start, r.size, ploc, dev.path) for r in dev.ports + dev.port_windows]
                if dev.bdf is not None:
                    bars = () if is_root else tuple(pci.bar_values(dev.bars))
                    c.pci.append(PciUse(dev.pci_domain, dev.bdf, ploc, dev.path, dev.pci_bridge, bars))
            if not shared:
                for intid in dev.intids:
                    if intid >= sysm.arch.first_spi or intid in sysm.reserved_intids:
                        c.intids.setdefault(intid, ploc)
    if is_root and node.has("all-devices"):
        ploc = loc.prop_loc(p, "all-devices")
        ranges = [sysm.arch.page_round(r) for d in sysm.devices.values() if d.enabled and not d.forbidden
                  for r in d.regs + d.windows if r.size]
        # a window that holds a device no cell maps (an IOMMU inside a PCI window) leaves it out
        holes = [sysm.arch.page_round(w) for w, _ in sysm.forbidden_windows if w.size]
        for r in _without(_merged(ranges), holes):
            c.regions.append(Region("board devices", r.start, r.start, r.size,
                                    abi.MEM_READ | abi.MEM_WRITE | abi.MEM_IO, ploc, "<all-devices>"))
        ports = [r for d in sysm.devices.values() if d.enabled and not d.forbidden
                 for r in d.ports + d.port_windows if r.size]
        for r in _without(_merged(ports), [w for w, _ in sysm.trapped_ports]):
            c.ports.append(PortUse(r.start, r.size, ploc, "<all-devices>"))
        # (where the hypervisor does not trap configuration space, ARMv7, the root drives its PCI
        # host and functions as plain devices: no function is listed)
        for d in sysm.devices.values():
            if d.enabled and not d.forbidden and d.bdf is not None and getattr(sysm.arch, "pci_config_trap", True):
                c.pci.append(PciUse(d.pci_domain, d.bdf, ploc, d.path, d.pci_bridge))
    if node.has("spis"):
        ploc = loc.prop_loc(p, "spis")
        for n in node.u32s("spis") or []:
            c.intids.setdefault(n + sysm.arch.first_spi, ploc)
    if node.has("gsis"):
        ploc = loc.prop_loc(p, "gsis")
        for n in node.u32s("gsis") or []:
            c.intids.setdefault(n, ploc)
    if node.has("pio-regions"):
        ploc = loc.prop_loc(p, "pio-regions")
        vals = node.u32s("pio-regions") or []
        if len(vals) % 2:
            diags.append(_e("binding-type", f"{p}: pio-regions must be <base length> pairs", ploc,
                            "e.g. pio-regions = <0x2f8 8>;"))
        for i in range(0, len(vals) - len(vals) % 2, 2):
            c.ports.append(PortUse(vals[i], vals[i + 1], ploc))
    if node.has("ioapic-pins"):  # x86 raw form (decompile): <IOAPIC-id pin> pairs
        ploc = loc.prop_loc(p, "ioapic-pins")
        vals = node.u32s("ioapic-pins") or []
        for i in range(0, len(vals) - len(vals) % 2, 2):
            io = next((io for io in sysm.platform.ioapics if io.id == vals[i]), None)
            if io is None or vals[i + 1] >= io.pins:
                diags.append(_e("irq-range", f"cell '{c.name}': IOAPIC {vals[i]} pin {vals[i + 1]} does not exist",
                                ploc, "ioapic-pins are <IOAPIC-id pin> pairs of the board's IOAPICs"))
                continue
            c.intids.setdefault(io.gsi_base + vals[i + 1], ploc)
    if node.has("pci-devices"):
        ploc = loc.prop_loc(p, "pci-devices")
        bridges = {(d.pci_domain, d.bdf) for d in sysm.devices.values() if d.bdf is not None and d.pci_bridge}
        funcs = node.u32s("pci-devices") or []
        bars = node.u32s("pci-bars") or []
        if node.has("pci-bars") and len(bars) != pci.NUM_BARS * len(funcs):
            diags.append(_e("binding-type", f"{p}: pci-bars must hold {pci.NUM_BARS} values per pci-devices entry "
                                            f"({pci.NUM_BARS * len(funcs)}), it has {len(bars)}",
                            loc.prop_loc(p, "pci-bars"), "pci-bars is written by decompile; take functions with "
                                                         "devices = <&function> instead"))
            bars = []
        for i, v in enumerate(funcs):
            fb = tuple(bars[i * pci.NUM_BARS:(i + 1) * pci.NUM_BARS]) if bars else ()
            c.pci.append(PciUse(v >> 16, v & 0xFFFF, ploc, bridge=(v >> 16, v & 0xFFFF) in bridges, bars=fb))
    if is_root:
        for i in sysm.arch.root_intids(sysm.platform):
            if i not in sysm.reserved_intids:
                c.intids.setdefault(i, c.loc)
    # console
    if node.has("console"):
        ph = node.u32("console")
        target = t.by_phandle.get(ph) if ph is not None else None
        dev = sysm.devices.get(target.path) if target is not None else None
        if dev is not None and dev.bdf is not None and not is_root:
            # a PCI UART: the OS inside drives it (guest-dt's stdout-path); the hypervisor's
            # console field (inmates' comm page) stays none
            c.console_pci = dev.path
            c.console = Console(loc=loc.prop_loc(p, "console"))
        else:
            c.console, d = _console_from_node(target, loc.prop_loc(p, "console"), f"console of cell '{c.name}'",
                                              sysm.arch)
            diags += d
    elif node.has("console-type"):
        typ = node.string("console-type")
        types = {"none": abi.CONSOLE_NONE, **{name: v for v, name, _ in sysm.arch.console_types}}
        if typ not in types:
            diags.append(_e("console-unsupported", f"console-type \"{typ}\" is not one of {', '.join(types)}",
                            loc.prop_loc(p, "console-type"), "console-type = \"pl011\" with console-address "
                                                             "and console-size, or \"none\"; or console = <&uart>"))
        else:
            c.console = Console(types[typ], _u64(node, "console-address"), _u64(node, "console-size"))
    # flags and scalars
    for prop, f in ((("passive-comm-region", abi.CELL_PASSIVE_COMMREG), ("may-lock", abi.CELL_MAY_LOCK),
                     ("dma-trusted", abi.CELL_DMA_TRUSTED),
                     ("virtual-console-permitted", abi.CELL_VCONSOLE_PERMITTED),
                     ("virtual-console-active", abi.CELL_VCONSOLE_ACTIVE | abi.CELL_VCONSOLE_PERMITTED))):
        if node.has(prop):
            c.flags |= f
    if node.has(abi.IRQ_DELIVERY_PROP):  # its values are checked by the irq-delivery rule
        c.irq_delivery = node.string(abi.IRQ_DELIVERY_PROP) or ""
        c.irq_delivery_loc = loc.prop_loc(p, abi.IRQ_DELIVERY_PROP)
    # direct where the arch has it, for non-root cells, unless the cell says "trap"
    if not is_root and sysm.arch.cell_flags & abi.CELL_IRQ_DIRECT and c.irq_delivery in (None, "direct"):
        c.flags |= abi.CELL_IRQ_DIRECT
    c.cpu_reset_address = _u64(node, "cpu-reset-address")
    c.reset_loc = loc.prop_loc(p, "cpu-reset-address") if node.has("cpu-reset-address") else c.loc
    c.msg_reply_timeout = _u64(node, "msg-reply-timeout")
    diags += links.raw_ends(node, loc, c)
    if not is_root:  # (the root's: extract.system, once the links are known)
        diags += links.attach(sysm, t, c, sysm.link_plan)
    return c, diags
