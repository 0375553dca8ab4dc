"""The x86-64 profile (AMD SVM + NPT hypervisor, issue #15): local APIC ids as CPU ids, IOAPIC
pins as interrupts (a cell's interrupts are GSIs: gsi-base + pin), port I/O and PCI functions by
BDF, the limits of hv/arch/x86/include/asm/cfg_limits.h and the x86 platform section of the blob
(config_arch_x86.h). How a board describes x86 hardware in a device tree: docs/bindings/README.md
("x86 boards"); the rules of its own: configgen/arch/x86_rules.py."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from configgen import abi
from configgen.arch import DeviceIrqs, Irq, PlatformResult
from configgen.bindings import Locator
from configgen.diag import ERROR, Diagnostic, Loc
from configgen.model import BoardCpu, IoApic, Platform, Range, System
from configgen.tree import Node, Tree, translate_reg

_C = abi.CONSTANTS
# hv/arch/x86/include/asm/cfg_limits.h and cfg_x86.h; the generated ABI module does not carry the
# x86 limits yet (scripts/gen-abi.py reads the arm64 header), so these are the header's values and
# tests/configgen/test_x86.py checks them against it.
X86_PAGE_SIZE = 1 << 12
X86_LARGE_PAGE_SIZE = 1 << 21
X86_GPA_BITS = 48
X86_HV_VA_BITS = 47
X86_HV_WINDOW_VA = (1 << X86_HV_VA_BITS) - (1 << 30)
X86_HV_MEM_SPAN = 1 << 30
X86_LAPIC_BASE = 0xFEE00000
X86_XAPIC_BROADCAST = 0xFF
X86_IOAPIC_MAX_PINS = 240
X86_IOAPIC_SIZE = 0x1000
X86_PM_TIMER_PORTS = 4
X86_CELL_FLAGS = 0  # no cell modes: a cell's interrupts reach its CPUs without the hypervisor

IOAPIC_COMPATS = ("intel,ce4100-ioapic",)
LAPIC_COMPATS = ("intel,ce4100-lapic",)
PM_TIMER_COMPATS = ("acpi,pm-timer",)
IOMMU_TYPES = {"amd,iommu": _C["X86_IOMMU_AMD"], "intel,vtd": _C["X86_IOMMU_INTEL"]}
UART_COMPATS = ("ns16550a", "ns16550", "pnpPNP,501")
_CONSOLES = ((_C["CONSOLE_8250"], "8250", "ns16550a"), (_C["CONSOLE_8250_PIO"], "8250-pio", "ns16550a"))

# Ports the hypervisor traps in every cell, the root included: PCI configuration mechanism #1
# (it filters configuration space by device owner, as it traps the MMCONFIG window) and the reset
# control register 0xcf9 between its halves.
TRAPPED_PORTS = ((0xCF8, 8, "the PCI configuration ports 0xcf8-0xcff (the hypervisor filters configuration "
                            "space by device owner; 0xcf9 resets the machine)"),)
# Ports only the root cell may own: a non-root cell there could reset the machine, reroute every
# interrupt, raise SMIs or DMA anywhere.
ROOT_PORTS = ((0x20, 2, "the master PIC (interrupt routing of the whole machine)"),
              (0x64, 1, "the keyboard controller's command port (0xfe resets the machine)"),
              (0x92, 1, "port 0x92 (fast reset and A20)"),
              (0xA0, 2, "the slave PIC (interrupt routing of the whole machine)"),
              (0xB2, 2, "the APM/SMI ports 0xb2-0xb3 (writes raise SMIs)"),
              (0x4D0, 2, "the PIC edge/level registers (ELCR)"),
              (0x510, 12, "QEMU fw_cfg 0x510-0x51b (its DMA writes anywhere in RAM)"))


def _e(rule: str, msg: str, loc: Loc, hint: str = "") -> Diagnostic:
    return Diagnostic(ERROR, rule, msg, loc, hint)


def _interrupt_parent(node: Node, t: Tree) -> Optional[Node]:
    n: Optional[Node] = node
    while n is not None:
        if n.has("interrupt-parent"):
            ph = n.u32("interrupt-parent")
            return t.by_phandle.get(ph) if ph is not None else None
        n = n.parent
    return None


def ioapic_of(node: Node, index: int) -> Optional[IoApic]:
    """An IOAPIC node as the platform section holds it: reg (one page), ioapic-id (default: its
    index), gsi-base (default 0) and ioapic-pins (default 24, the number of ICH9's)."""
    regs = translate_reg(node) or []
    if not regs:
        return None
    pins = node.u32("ioapic-pins")
    return IoApic(node.path, regs[0][0], node.u32("ioapic-id") if node.has("ioapic-id") else index,
                  node.u32("gsi-base") or 0, 24 if pins is None else pins, source_id=node.u32("source-id") or 0)


@dataclass(frozen=True)
class X86Profile:
    name: str = "x86"
    arch_id: int = _C["ARCH_X86_64"]
    board_compatibles: tuple[str, ...] = ("x86,*", "qemu,q35", "qemu,pc", "intel,x86*", "amd,x86*")
    page_size: int = X86_PAGE_SIZE
    block_size: int = X86_LARGE_PAGE_SIZE
    ipa_bits: int = X86_GPA_BITS
    el2_va_bits: int = X86_HV_VA_BITS
    el2_va_limit: int = X86_HV_WINDOW_VA
    hv_mem_align: int = X86_LARGE_PAGE_SIZE
    hv_mem_span: int = X86_HV_MEM_SPAN
    console_types: tuple[tuple[int, str, str], ...] = _CONSOLES
    pio_ports: int = _C["PIO_PORTS"]
    max_pci_devices: int = _C["MAX_PCI_DEVICES"]
    ivshmem_links: bool = False  # the x86 hypervisor refuses links and ends (not supported yet)
    cell_flags: int = X86_CELL_FLAGS  # no interrupt-delivery = "direct": x86 cells have it already
    hw_id_name: str = "APIC id"
    first_spi: int = 0  # a cell may own any IOAPIC pin (GSI)
    max_spi: int = X86_IOAPIC_MAX_PINS * _C["X86_MAX_IOAPICS"] - 1
    num_intids: int = X86_IOAPIC_MAX_PINS * _C["X86_MAX_IOAPICS"]
    irqchip_pins: int = _C["IRQCHIP_PINS"]
    port_io: bool = True  # PCI I/O windows are ports, not memory
    pci_ecam_trapped: bool = True  # the MMCONFIG window is the hypervisor's, the root's included

    @property
    def ipa_limit(self) -> int:
        return 1 << self.ipa_bits

    def page_round(self, r: Range) -> Range:
        page = self.page_size
        start = r.start & ~(page - 1)
        return Range(start, ((r.end + page - 1) & ~(page - 1)) - start)

    # ------------------------------------------------------------------ CPUs
    def cpu_hw_id(self, node: Node) -> Optional[int]:
        """The local APIC id of a /cpus node: its one-cell reg."""
        v = node.u32s("reg")
        if not v or len(v) != 1 or (node.parent and node.parent.cells("#address-cells", 1) != 1):
            return None
        return v[0]

    def cpus(self, t: Tree, loc: Locator) -> tuple[list[BoardCpu], list[Diagnostic]]:
        out: list[BoardCpu] = []
        diags: list[Diagnostic] = []
        node = t.node("/cpus")
        for c in node.children if node else []:
            if c.string("device_type") != "cpu":
                continue
            hw = self.cpu_hw_id(c)
            if hw is None:
                diags.append(_e("cpu-apic-id", f"{c.path}: reg is not one cell holding the local APIC id",
                                loc.prop_loc(c.path, "reg") if c.has("reg") else loc.node_loc(c.path),
                                "x86 CPU nodes: /cpus has #address-cells = <1>, reg = <APIC id>"))
                continue
            out.append(BoardCpu(hw, c.path, loc.node_loc(c.path)))
        out.sort(key=lambda c: c.hw_id)
        return out, diags

    # ------------------------------------------------------------------ interrupts
    def device_irqs(self, node: Node, t: Tree) -> DeviceIrqs:
        """interrupts = <pin flags> through an IOAPIC (#interrupt-cells = <2>) -> GSIs."""
        vals = node.u32s("interrupts")
        if not vals:
            return DeviceIrqs()
        ctrl = _interrupt_parent(node, t)
        if ctrl is None or not any(c in ctrl.compatible for c in IOAPIC_COMPATS):
            what = ctrl.path if ctrl is not None else "no interrupt-parent"
            return DeviceIrqs(problem=f"its interrupts go to {what}, not to an IOAPIC")
        n = ctrl.u32("#interrupt-cells") or 2
        if len(vals) % n:
            return DeviceIrqs(problem=f"its interrupts are no whole number of {ctrl.path}'s {n}-cell specifiers")
        base = ctrl.u32("gsi-base") or 0
        pins = ctrl.u32("ioapic-pins")
        pins = 24 if pins is None else pins
        res = DeviceIrqs()
        for i in range(0, len(vals), n):
            pin = vals[i]
            if pin >= pins:
                res.problem = res.problem or f"IOAPIC pin {pin} does not exist on {ctrl.path} ({pins} pins)"
                continue
            flags = vals[i + 1] if n > 1 else 0
            res.irqs.append(Irq(base + pin, "gsi", pin, flags, ctrl.path, tuple(vals[i:i + n])))
        return res

    def irq_name(self, intid: int) -> str:
        return f"GSI {intid}"

    def irq_valid(self, intid: int, plat: Platform) -> bool:
        return any(io.gsi_base <= intid < io.gsi_base + io.pins for io in plat.ioapics)

    def irq_range_text(self, plat: Platform) -> tuple[str, str]:
        """(what exists, hint) for irq-range."""
        have = ", ".join(f"{io.gsi_base}..{io.gsi_base + io.pins - 1} ({io.path})" for io in plat.ioapics)
        return (f"the IOAPICs have GSIs {have or 'none'}",
                "gsis are IOAPIC pins counted from each IOAPIC's gsi-base (q35: one IOAPIC, GSIs 0..23)")

    # ------------------------------------------------------------------ platform
    def forbidden_reason(self, node: Node) -> str:
        compat = node.compatible
        if any(c in compat for c in IOAPIC_COMPATS):
            return "an IOAPIC, which the hypervisor emulates"
        if any(c in compat for c in LAPIC_COMPATS):
            return "the local APIC, which the hypervisor emulates"
        if any(c in compat for c in IOMMU_TYPES) or node.has("#iommu-cells"):
            return "an IOMMU"
        return ""

    def pci_root_only(self, bdf: int) -> str:
        if bdf == 0:
            return "the PCI host bridge 00:00.0, which stays with the root cell"
        return ""

    def console_type(self, node: Node) -> Optional[int]:
        from configgen.extract import isa_ranges
        if not any(c in node.compatible for c in UART_COMPATS):
            return None
        isa = isa_ranges(node)
        if isa is not None:
            return _C["CONSOLE_8250_PIO"] if isa[0] else None
        return _C["CONSOLE_8250"]

    def platform(self, t: Tree, loc: Locator, hyp: Node, path: str) -> PlatformResult:
        from configgen.arch import x86_source
        return x86_source.platform(self, t, loc, hyp, path)

    def root_intids(self, plat: Platform) -> list[int]:
        """Every GSI of every IOAPIC: the root owns them all."""
        return [g for io in plat.ioapics for g in range(io.gsi_base, io.gsi_base + io.pins)]

    # ------------------------------------------------------------------ rules
    def check(self, sysm: System) -> list[Diagnostic]:
        from configgen.arch import x86_rules
        return x86_rules.check(self, sysm)

    # ------------------------------------------------------------------ blob
    def pack_platform(self, p: Platform) -> bytes:
        x86 = abi.X86_PLATFORM.pack({
            "pm_timer_port": p.pm_timer_port, "apic_mode": p.apic_mode or _C["X86_XAPIC"],
            "num_ioapics": len(p.ioapics), "num_iommus": len(p.iommus),
            "tsc_khz": p.tsc_khz, "apic_khz": p.apic_khz,
            "ioapics": [{"address": io.address, "id": io.id, "gsi_base": io.gsi_base, "pins": io.pins,
                         "source_id": io.source_id} for io in p.ioapics[:_C["X86_MAX_IOAPICS"]]],
            "iommus": [{"base": u.base, "size": u.size, "bdf": u.bdf, "type": u.type, "cap_offset": u.cap_offset}
                       for u in p.iommus[:_C["X86_MAX_IOMMUS"]]]})
        return x86.ljust(_C["ARCH_PLATFORM_SIZE"], b"\0")

    def unpack_platform(self, raw: bytes) -> dict[str, Any]:
        return abi.X86_PLATFORM.unpack(bytes(raw))

    def platform_tail_zero(self, raw: bytes) -> bool:
        return not any(bytes(raw)[abi.X86_PLATFORM.size:])

    def dump_platform(self, pl: dict[str, Any]) -> list[str]:
        mode = {_C["X86_XAPIC"]: "xAPIC", _C["X86_X2APIC"]: "x2APIC"}.get(pl["apic_mode"], f"mode {pl['apic_mode']}")
        out = [f"APIC:             {mode}, TSC {pl['tsc_khz']} kHz, APIC timer {pl['apic_khz']} kHz (0: calibrate)",
               f"PM timer:         port {pl['pm_timer_port']:#x}"]
        for io in pl["ioapics"][:pl["num_ioapics"]]:
            out.append(f"  IOAPIC          {io['address']:#x} id {io['id']} GSIs {io['gsi_base']}.."
                       f"{io['gsi_base'] + io['pins'] - 1} source {io['source_id']:#06x}")
        for u in pl["iommus"][:pl["num_iommus"]]:
            kind = {_C["X86_IOMMU_AMD"]: "AMD-Vi", _C["X86_IOMMU_INTEL"]: "VT-d"}.get(u["type"], str(u["type"]))
            out.append(f"  IOMMU           {kind} {u['base']:#x} size {u['size']:#x} bdf {u['bdf']:#06x}")
        return out

    def irqchips(self, intids: list[int], p: Platform) -> list[dict[str, Any]]:
        """GSIs as hvcfg_irqchip entries: per IOAPIC (address, id), pin_base 0, 128, ..."""
        pins = self.irqchip_pins
        chips: dict[tuple[int, int, int], list[int]] = {}
        for g in sorted(set(intids)):
            io = next((io for io in p.ioapics if io.gsi_base <= g < io.gsi_base + io.pins), None)
            if io is None:
                continue
            pin = g - io.gsi_base
            base = pin // pins * pins
            bm = chips.setdefault((io.address, io.id, base), [0] * (pins // 64))
            bm[(pin - base) // 64] |= 1 << ((pin - base) % 64)
        return [{"address": a, "id": i, "pin_base": b, "pin_bitmap": bm} for (a, i, b), bm in sorted(chips.items())]

    def irqchip_layout_ok(self, entries: list[dict[str, Any]], platform: Optional[dict[str, Any]]) -> str:
        from configgen.arch import x86_decompile
        return x86_decompile.irqchip_layout_ok(self, entries, platform)

    # ------------------------------------------------------------------ decompile (x86_decompile.py)
    def unrepresentable(self, pl: dict[str, Any], hw_ids: list[int]) -> str:
        from configgen.arch import x86_decompile
        return x86_decompile.unrepresentable(self, pl, hw_ids)

    def ports_pci_layout_ok(self, pio: list[dict[str, int]], pci: list[dict[str, int]]) -> str:
        from configgen.arch import x86_decompile
        return x86_decompile.ports_pci_layout_ok(pio, pci)

    def cell_props(self, c: Any, indent: str, is_root: bool) -> list[str]:
        from configgen.arch import x86_decompile
        return x86_decompile.cell_props(self, c, indent, is_root)

    def decompile_system(self, p: Any) -> str:
        from configgen.arch import x86_decompile
        return x86_decompile.decompile_system(self, p)

    def board_nodes(self, pl: dict[str, Any], hw_ids: list[int]) -> tuple[list[str], list[str]]:
        raise NotImplementedError("x86 systems are decompiled by decompile_system()")

    def hypervisor_props(self, pl: dict[str, Any], root_intids: list[int]) -> list[str]:
        return []


PROFILE = X86Profile()
