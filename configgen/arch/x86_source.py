"""The x86 profile's reading of a board: IOAPICs, the local APIC, IOMMU units, the PM timer and
the PCI MMCONFIG window -> the x86 platform section, the windows no cell maps and the ports the
hypervisor keeps (conventions: docs/bindings/README.md, "x86 boards")."""
from __future__ import annotations

from typing import TYPE_CHECKING

from configgen import abi
from configgen.arch import PlatformResult
from configgen.bindings import Locator
from configgen.diag import ERROR, Diagnostic, Loc
from configgen.model import Iommu, Platform, Range
from configgen.tree import Node, Tree, translate_reg

if TYPE_CHECKING:
    from configgen.arch.x86 import X86Profile

_C = abi.CONSTANTS


def _e(rule: str, msg: str, loc: Loc, hint: str = "") -> Diagnostic:
    return Diagnostic(ERROR, rule, msg, loc, hint)


def _ioapics(prof: "X86Profile", t: Tree, loc: Locator, plat: Platform, path: str) -> list[Diagnostic]:
    from configgen.arch.x86 import IOAPIC_COMPATS, X86_IOAPIC_MAX_PINS, X86_IOAPIC_SIZE, ioapic_of
    diags: list[Diagnostic] = []
    nodes = [n for n in t.root.walk() if n.enabled and any(c in n.compatible for c in IOAPIC_COMPATS)]
    hint = ("describe each IOAPIC as in the MADT: compatible = \"intel,ce4100-ioapic\", reg = <one page>, "
            "ioapic-id, gsi-base, ioapic-pins")
    if not nodes:
        diags.append(_e("platform-ioapic", "the board has no IOAPIC node (compatible \"intel,ce4100-ioapic\")",
                        Loc(path), hint))
        return diags
    if len(nodes) > _C["X86_MAX_IOAPICS"]:
        diags.append(_e("platform-ioapic", f"the board has {len(nodes)} IOAPICs, the format holds "
                                           f"{_C['X86_MAX_IOAPICS']}", loc.node_loc(nodes[-1].path), hint))
        nodes = nodes[:_C["X86_MAX_IOAPICS"]]
    for i, n in enumerate(nodes):
        io = ioapic_of(n, i)
        where = loc.prop_loc(n.path, "reg") if n.has("reg") else loc.node_loc(n.path)
        if io is None:
            diags.append(_e("platform-ioapic", f"{n.path}: no reg", where, hint))
            continue
        io.loc = where
        regs = translate_reg(n) or []
        if io.address % prof.page_size or regs[0][1] != X86_IOAPIC_SIZE:
            diags.append(_e("platform-ioapic", f"{n.path}: reg [{io.address:#x}+{regs[0][1]:#x}] is not one "
                                               "page on a page boundary", where, hint))
            continue
        if not 0 < io.pins <= X86_IOAPIC_MAX_PINS:
            diags.append(_e("platform-ioapic", f"{n.path}: ioapic-pins = {io.pins} is not in 1..{X86_IOAPIC_MAX_PINS}",
                            loc.prop_loc(n.path, "ioapic-pins"), hint))
            continue
        clash = next((o for o in plat.ioapics if o.id == io.id or
                      o.gsi_base < io.gsi_base + io.pins and io.gsi_base < o.gsi_base + o.pins), None)
        if clash is not None:
            diags.append(_e("platform-ioapic", f"{n.path}: id {io.id} or GSIs {io.gsi_base}..{io.gsi_base + io.pins - 1} "
                                               f"clash with {clash.path}", where, hint))
            continue
        plat.ioapics.append(io)
    if plat.ioapics:
        plat.x86_loc = plat.ioapics[0].loc
    return diags


def _lapic(prof: "X86Profile", t: Tree, loc: Locator, plat: Platform) -> list[Diagnostic]:
    from configgen.arch.x86 import LAPIC_COMPATS, X86_LAPIC_BASE
    plat.apic_mode = _C["X86_XAPIC"]
    node = next((n for n in t.root.walk() if any(c in n.compatible for c in LAPIC_COMPATS)), None)
    if node is None:
        return []
    regs = translate_reg(node) or []
    if not regs or regs[0][0] != X86_LAPIC_BASE:
        return [_e("platform-lapic", f"{node.path}: the local APIC is not at {X86_LAPIC_BASE:#x}",
                   loc.prop_loc(node.path, "reg") if node.has("reg") else loc.node_loc(node.path),
                   "the hypervisor drives the xAPIC at its architectural base; a relocated APIC is not supported")]
    if node.has("x2apic-only"):
        return [_e("platform-lapic", f"{node.path}: an x2APIC-only machine", loc.prop_loc(node.path, "x2apic-only"),
                   "this hypervisor build drives the xAPIC (MMIO) only")]
    hz = node.u32("clock-frequency") or 0
    plat.apic_khz = hz // 1000
    return []


def _iommus(t: Tree, loc: Locator, plat: Platform) -> list[Diagnostic]:
    from configgen.arch.x86 import IOMMU_TYPES
    diags = []
    for n in t.root.walk():
        typ = next((v for c, v in IOMMU_TYPES.items() if c in n.compatible), None)
        if typ is None or not n.enabled:
            continue
        regs = translate_reg(n) or []
        if not regs or len(plat.iommus) >= _C["X86_MAX_IOMMUS"]:
            diags.append(_e("platform-iommu", f"{n.path}: no reg, or more than {_C['X86_MAX_IOMMUS']} IOMMU units (the platform section holds {_C['X86_MAX_IOMMUS']})",
                            loc.node_loc(n.path), "describe each unit as in the DMAR/IVRS table: reg, pci-bdf"))
            continue
        plat.iommus.append(Iommu(n.path, regs[0][0], regs[0][1], typ, n.u32("pci-bdf") or 0,
                                 n.u32("cap-offset") or 0, loc.node_loc(n.path)))
    return diags


def _pm_timer(t: Tree, plat: Platform) -> None:
    from configgen.arch.x86 import PM_TIMER_COMPATS
    from configgen.extract import isa_ranges
    for n in t.root.walk():
        if n.enabled and any(c in n.compatible for c in PM_TIMER_COMPATS):
            isa = isa_ranges(n)
            if isa and isa[0]:
                plat.pm_timer_port = isa[0][0].start
                return


def _tsc(t: Tree, plat: Platform) -> None:
    cpus = t.node("/cpus")
    hz = cpus.u32("tsc-frequency") if cpus is not None else None
    plat.tsc_khz = (hz or 0) // 1000


def platform(prof: "X86Profile", t: Tree, loc: Locator, hyp: Node, path: str) -> PlatformResult:
    from configgen.arch.x86 import ROOT_PORTS, TRAPPED_PORTS, X86_IOAPIC_SIZE, X86_LAPIC_BASE
    plat = Platform(gic_version=0, maintenance_irq=0)
    diags = _ioapics(prof, t, loc, plat, path)
    diags += _lapic(prof, t, loc, plat)
    diags += _iommus(t, loc, plat)
    _pm_timer(t, plat)
    _tsc(t, plat)
    forbidden = [(Range(io.address, X86_IOAPIC_SIZE), f"{io.path} (an IOAPIC, which the hypervisor emulates)")
                 for io in plat.ioapics]
    forbidden.append((Range(X86_LAPIC_BASE, prof.page_size), "the local APIC page (the hypervisor emulates it)"))
    forbidden += [(Range(u.base, u.size), f"{u.path} (an IOMMU unit)") for u in plat.iommus]
    pci = next((n for n in t.root.walk() if "pci-host-ecam-generic" in n.compatible), None)
    if pci is not None:
        r = translate_reg(pci)
        if r and r[0][1]:
            forbidden.append((Range(*r[0]), f"{pci.path}'s MMCONFIG window (the hypervisor filters PCI "
                                            "configuration space by device owner)"))
    trapped = [(Range(b, n), why) for b, n, why in TRAPPED_PORTS]
    root_ports = [(Range(b, n), why) for b, n, why in ROOT_PORTS]
    return PlatformResult(plat, {}, forbidden, diags, trapped, root_ports)
