"""The arm64 profile: GICv3 platform, MPIDR CPU ids, GIC interrupt specifiers, the limits of the
arm64 hypervisor's address spaces (hv/arch/arm64/include/asm/cfg_limits.h via the generated ABI
module) and the arm platform section of the blob (config_arch_arm.h)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from configgen import abi, pci
from configgen.arch import DeviceIrqs, Irq, PlatformResult
from configgen.bindings import Locator
from configgen.diag import ERROR, Diagnostic, Loc
from configgen.model import BoardCpu, Platform, Range, System
from configgen.tree import Node, Tree, translate_reg

_C = abi.CONSTANTS
_IOMMU_COMPATS = ("arm,smmu-v3", "arm,mmu-500", "arm,smmu-v2", "arm,mmu-401", "arm,mmu-400")
GIC_V3_COMPATS = ("arm,gic-v3",)
GIC_V2_COMPATS = ("arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic", "arm,gic-v2")
GIC_COMPATS = GIC_V3_COMPATS + GIC_V2_COMPATS
# GIC binding (interrupt-controller/arm,gic-v3.yaml): <type number flags [ppi-partition]>
GIC_SPI, GIC_PPI, GIC_ESPI, GIC_EPPI = 0, 1, 2, 3
_FIRST_PPI = 16
# every console the format names, by the DT compatible that describes it
_CONSOLES = ((_C["CONSOLE_PL011"], "pl011", "arm,pl011"), (_C["CONSOLE_8250"], "8250", "ns16550a"))


def _e(rule: str, msg: str, loc: Loc, hint: str = "") -> Diagnostic:
    return Diagnostic(ERROR, rule, msg, loc, hint)


@dataclass(frozen=True)
class Arm64Profile:
    name: str = "arm64"
    arch_id: int = _C["ARCH_ARM64"]
    # a board whose top-level compatible (or whose CPUs' compatible) matches picks this profile
    board_compatibles: tuple[str, ...] = ("linux,dummy-virt", "arm,*", "qcom,*", "brcm,bcm27*", "brcm,bcm28*",
                                          "rockchip,*", "nvidia,tegra*", "fsl,imx8*", "xlnx,zynqmp*",
                                          "ti,j7*", "ti,am6*", "amlogic,*", "allwinner,sun50i*")
    # stage-2 granule and block (cfg_limits.h: "4 KiB granule"; the hypervisor maps itself and
    # stage 2 with 2 MiB blocks); the page is the unit of every region, window and console
    page_size: int = _C["ARM64_PAGE_SIZE"]
    block_size: int = _C["ARM64_BLOCK_SIZE"]
    ipa_bits: int = _C["ARM64_IPA_BITS"]
    el2_va_bits: int = _C["ARM64_EL2_VA_BITS"]
    # EL2's VA below its window onto other memory: what it maps 1:1 (its memory, the GIC, the
    # debug console) must end here
    el2_va_limit: int = _C["ARM64_EL2_WINDOW_VA"]
    hv_mem_align: int = _C["ARM64_HV_MEM_ALIGN"]
    hv_mem_span: int = _C["ARM64_HV_MEM_SPAN"]
    # (HVCFG_CONSOLE_*, source name, DT compatible) of the consoles the hypervisor drives
    console_types: tuple[tuple[int, str, str], ...] = tuple(
        t for t in _CONSOLES if _C.get("ARM64_CONSOLE_TYPES", 1 << _C["CONSOLE_PL011"]) >> t[0] & 1)
    pio_ports: int = _C.get("ARM64_PIO_PORTS", 0)  # port-I/O regions a cell may get (none)
    max_pci_devices: int = _C.get("ARM64_MAX_PCI_DEVICES", 0)
    pci_bus0_only: bool = True  # a cell's virtual ECAM window is bus 0 only (hv arm64 pci)
    # inter-cell links (ivshmem): supported; ends per cell the hypervisor takes
    ivshmem_links: bool = True
    max_ivshmem_ends: int = _C.get("ARM64_MAX_IVSHMEM_ENDS", _C["MAX_IVSHMEM_ENDS"])
    # HVCFG_CELL_* modes a non-root cell may ask for: IRQ_DIRECT (interrupt-delivery = "direct")
    cell_flags: int = _C.get("ARM64_CELL_FLAGS", 0)
    hw_id_name: str = "MPIDR"
    # CPU compatibles that pick this profile before any board compatible does (arch.select)
    cpu_compatibles: tuple[str, ...] = ()
    hyp_mode: str = "EL2"  # the hypervisor's privilege level, as messages name it
    # the hypervisor traps PCI configuration space (the ECAM window is in the platform section)
    pci_config_trap: bool = True
    cpu_address_cells: int = 2  # /cpus #address-cells of a guest DT
    timer_compatibles: tuple[str, ...] = ("arm,armv8-timer",)
    hw_id_mask: int = _C["ARM_MPIDR_MASK"]
    first_spi: int = _C["GIC_FIRST_SPI"]
    max_spi: int = _C["GIC_MAX_SPI"]
    num_intids: int = _C["GIC_NUM_INTIDS"]
    irqchip_pins: int = _C["IRQCHIP_PINS"]

    @property
    def ipa_limit(self) -> int:
        return 1 << self.ipa_bits

    def page_round(self, r: Range) -> Range:
        page = self.page_size
        start = r.start & ~(page - 1)
        return Range(start, ((r.end + page - 1) & ~(page - 1)) - start)

    # ------------------------------------------------------------------ CPUs
    def cpu_hw_id(self, node: Node) -> Optional[int]:
        """The MPIDR affinity of a /cpus node: reg of #address-cells (1 or 2) of its parent."""
        cells = node.parent.cells("#address-cells", 2) if node.parent else 2
        v = node.u32s("reg")
        if not v or cells not in (1, 2) or len(v) != cells:
            return None
        return v[0] if cells == 1 else (v[0] << 32) | v[1]

    def cpus(self, t: Tree, loc: Locator) -> tuple[list[BoardCpu], list[Diagnostic]]:
        out: list[BoardCpu] = []
        diags: list[Diagnostic] = []
        node = t.node("/cpus")
        for c in node.children if node else []:
            if c.string("device_type") != "cpu":
                continue
            hw = self.cpu_hw_id(c)
            if hw is None:
                cells = node.cells("#address-cells", 2) if node else 2
                diags.append(_e("cpu-mpidr", f"{c.path}: reg is not one MPIDR of #address-cells = {cells} "
                                             "cells", loc.prop_loc(c.path, "reg") if c.has("reg")
                                else loc.node_loc(c.path),
                                "a CPU node's reg is its MPIDR affinity in /cpus' #address-cells cells"))
                continue
            out.append(BoardCpu(hw, c.path, loc.node_loc(c.path)))
        out.sort(key=lambda c: c.hw_id)
        return out, diags

    # ------------------------------------------------------------------ interrupts
    def is_gic(self, node: Node) -> bool:
        return any(c in node.compatible for c in GIC_COMPATS)

    def _decode_gic(self, ctrl: Node, cells: list[int]) -> tuple[Optional[Irq], str]:
        kind, num = cells[0], cells[1]
        flags = cells[2] if len(cells) > 2 else 0
        if kind == GIC_SPI:
            if num > self.max_spi - self.first_spi:
                return None, f"SPI {num} lies beyond INTID {self.max_spi}"
            return Irq(num + self.first_spi, "spi", num, flags, ctrl.path, tuple(cells)), ""
        if kind == GIC_PPI:
            if num >= self.first_spi - _FIRST_PPI:
                return None, f"PPI {num} does not exist (PPIs are 0..15)"
            return Irq(num + _FIRST_PPI, "ppi", num, flags, ctrl.path, tuple(cells)), ""
        if kind in (GIC_ESPI, GIC_EPPI):
            return None, f"an extended {'SPI' if kind == GIC_ESPI else 'PPI'} ({num}), which configgen cannot assign"
        return None, f"interrupt type {kind} in a GIC specifier (0: SPI, 1: PPI)"

    def _specifiers(self, node: Node, t: Tree) -> tuple[list[tuple[Node, list[int]]], str]:
        """(controller, specifier) pairs of `interrupts-extended`, or of `interrupts` with the
        inherited interrupt-parent; a problem string when they cannot be split."""
        if node.has("interrupts-extended"):
            vals = node.u32s("interrupts-extended") or []
            out = []
            i = 0
            while i < len(vals):
                ctrl = t.by_phandle.get(vals[i])
                if ctrl is None:
                    return out, f"interrupts-extended names phandle {vals[i]:#x}, which is no node"
                n = ctrl.u32("#interrupt-cells")
                if n is None:
                    return out, _no_cells(ctrl)
                if i + 1 + n > len(vals):
                    return out, f"interrupts-extended is cut short in a specifier of {ctrl.path}"
                out.append((ctrl, vals[i + 1:i + 1 + n]))
                i += 1 + n
            return out, ""
        vals = node.u32s("interrupts")
        if not vals:
            return [], "" if not node.has("interrupts") else "interrupts is not a list of cells"
        ctrl = _interrupt_parent(node, t)
        if ctrl is None:
            return [], "it has interrupts but no interrupt-parent (not inherited either)"
        n = ctrl.u32("#interrupt-cells")
        if n is None:
            return [], _no_cells(ctrl)
        if n == 0 or len(vals) % n:
            return [], f"its interrupts ({len(vals)} cells) are no whole number of {ctrl.path}'s {n}-cell specifiers"
        return [(ctrl, vals[i:i + n]) for i in range(0, len(vals), n)], ""

    def device_irqs(self, node: Node, t: Tree) -> DeviceIrqs:
        """Each interrupt of a device decoded through its controller's binding (as a DT library such
        as Zephyr's edtlib does); interrupts of other controllers or nexus nodes are a problem."""
        host = pci.host_of(node)
        if host is not None and host.has("interrupt-map") and not node.has("interrupt-parent") \
                and not node.has("interrupts-extended"):
            # a PCI function: its INTx pin through the host's interrupt-map (Linux: of_irq_parse_pci)
            spec, problem = pci.map_intx(node, host, t.by_phandle)
            specs = [spec] if spec is not None else []
        else:
            specs, problem = self._specifiers(node, t)
        res = DeviceIrqs(problem=problem)
        for ctrl, cells in specs:
            if not self.is_gic(ctrl):
                if ctrl.has("interrupt-map"):
                    why = (f"its interrupts are routed through the interrupt-map of {ctrl.path}, which configgen "
                           "does not follow")
                elif ctrl.has("interrupt-controller"):
                    why = f"its interrupts go to {ctrl.path}, another interrupt controller than the GIC"
                else:
                    why = f"its interrupt parent {ctrl.path} is no interrupt controller"
                res.problem = res.problem or why
                continue
            if len(cells) < 2:
                res.problem = res.problem or f"{ctrl.path} has #interrupt-cells = {len(cells)} (the GIC needs 3 or 4)"
                continue
            irq, why = self._decode_gic(ctrl, cells)
            if irq is None:
                res.problem = res.problem or why
            else:
                res.irqs.append(irq)
        return res

    # ------------------------------------------------------------------ platform
    def forbidden_reason(self, node: Node) -> str:
        compat = node.compatible
        if self.is_gic(node) or node.has("interrupt-controller") and node.has("reg") \
                and not node.has("gpio-controller"):
            return "the interrupt controller (GIC distributor/redistributors)"
        if "arm,gic-v3-its" in compat or node.has("msi-controller"):
            return "the GIC ITS"
        if any(c in compat for c in _IOMMU_COMPATS) or node.has("#iommu-cells"):
            return "an IOMMU"
        return ""

    def pci_root_only(self, bdf: int) -> str:
        if bdf == 0:
            return "the PCI host bridge 00:00.0, which stays with the root cell"
        return ""

    def console_type(self, node: Node) -> Optional[int]:
        return next((typ for typ, _, compat in self.console_types if compat in node.compatible), None)

    def platform(self, t: Tree, loc: Locator, hyp: Node, path: str) -> PlatformResult:
        """The GIC node and the hypervisor's gic-lines/reserved-spis -> the arm platform section."""
        plat = Platform()
        diags: list[Diagnostic] = []
        gic = next((n for n in t.root.walk() if any(c in n.compatible for c in GIC_V3_COMPATS)), None)
        if gic is None:
            diags.append(_e("platform-gic", "the board has no GICv3 node (compatible \"arm,gic-v3\")", Loc(path),
                            "arm64 systems need a GICv3; use the board's own device tree"))
        else:
            regs = translate_reg(gic) or []
            plat.gic_loc = loc.prop_loc(gic.path, "reg")
            plat.maintenance_loc = loc.prop_loc(gic.path, "interrupts")
            if len(regs) < 2 or not regs[0][1] or not regs[1][1]:  # (the rules skip a GIC without both windows)
                diags.append(_e("platform-gic", f"{gic.path}: reg must give distributor and redistributor ranges "
                                                "(of nonzero size)",
                                plat.gic_loc, "reg = <distributor base size, redistributors base size>, as the "
                                              "board's firmware describes them"))
            else:
                plat.gicd, plat.gicr = Range(*regs[0]), Range(*regs[1])
            # the GIC's own interrupt (maintenance PPI) is a specifier of its own binding
            vals = gic.u32s("interrupts") or []
            n = gic.cells("#interrupt-cells", 3)
            if n >= 2 and len(vals) >= n:
                irq, _ = self._decode_gic(gic, vals[:n])
                if irq is not None:
                    plat.maintenance_irq = irq.intid
            for c in gic.children:
                if "arm,gic-v3-its" in c.compatible:
                    r = translate_reg(c)
                    if r and r[0][1]:  # a window of size 0 is none: the blob says so with base 0 too
                        plat.its = Range(*r[0])
                    break
        diags += self._gic_lines(loc, hyp, plat)
        reserved: dict[int, Loc] = {plat.maintenance_irq: plat.maintenance_loc or Loc(path)}
        for n in hyp.u32s("reserved-spis") or []:
            reserved[n + self.first_spi] = loc.prop_loc(hyp.path, "reserved-spis")
        forbidden = [(r, what) for r, what in ((plat.gicd, "GIC distributor"), (plat.gicr, "GIC redistributors"),
                                               (plat.its, "GIC ITS")) if r.size]
        host = next((n for n in t.root.walk() if "pci-host-ecam-generic" in n.compatible and n.enabled), None)
        ecam = (translate_reg(host) or [(0, 0)])[0] if host is not None else (0, 0)
        if ecam[1]:  # every cell's configuration accesses go through the hypervisor's filter
            forbidden.append((Range(*ecam), f"{host.path}'s ECAM window (the hypervisor emulates PCI "
                                            "configuration space for every cell)"))
        return PlatformResult(plat, reserved, forbidden, diags)

    def _gic_lines(self, loc: Locator, hyp: Node, plat: Platform) -> list[Diagnostic]:
        """gic-lines of the hypervisor node (required on arm; the binding serves x86 too)."""
        plat.gic_lines = hyp.u32("gic-lines") or 0
        plat.gic_lines_loc = loc.prop_loc(hyp.path, "gic-lines")
        if not hyp.has("gic-lines"):
            return [_e("binding-required", f"{hyp.path}: missing required property 'gic-lines' (hv,hypervisor)",
                       loc.node_loc(hyp.path), "add `gic-lines` (a uint32: QEMU virt implements 288)")]
        if plat.gic_lines % 32 or not 32 < plat.gic_lines <= self.num_intids:
            return [_e("platform-gic", f"gic-lines = {plat.gic_lines} is not a multiple of 32 in 64..{self.num_intids}",
                       plat.gic_lines_loc, "QEMU virt implements 288 (256 SPIs)")]
        return []

    def guest_gic(self, p: Platform, num_cpus: int) -> tuple[list[str], list[int]]:
        """(compatible, reg as 64-bit address/size pairs) of a cell's GIC: the distributor and the
        redistributor frames of every CPU of the system."""
        gicr_size = min(p.gicr.size, num_cpus * p.gicr_stride) if p.gicr.size else num_cpus * p.gicr_stride
        return ["arm,gic-v3"], [p.gicd.start, p.gicd.size, p.gicr.start, gicr_size]

    def root_intids(self, plat: Platform) -> range:
        """Every pin a cell could own: the SPIs the GIC implements."""
        return range(self.first_spi, min(plat.gic_lines, self.max_spi + 1))

    # ------------------------------------------------------------------ rules
    def check(self, sysm: System) -> list[Diagnostic]:
        from configgen.arch import arm64_rules
        return arm64_rules.check(self, sysm)

    # ------------------------------------------------------------------ blob
    def pack_platform(self, p: Platform) -> bytes:
        arm = abi.ARM_PLATFORM.pack({
            "gicd_base": p.gicd.start, "gicd_size": p.gicd.size, "gicr_base": p.gicr.start,
            "gicr_size": p.gicr.size, "its_base": p.its.start, "its_size": p.its.size,
            "pci_io_base": p.pci_io.start, "pci_io_size": p.pci_io.size,
            "gicc_base": p.gicc.start, "gicc_size": p.gicc.size, "gich_base": p.gich.start,
            "gich_size": p.gich.size, "gicv_base": p.gicv.start, "gicv_size": p.gicv.size,
            "gicr_stride": p.gicr_stride, "gic_lines": p.gic_lines, "maintenance_irq": p.maintenance_irq,
            "gic_version": p.gic_version})
        return arm.ljust(_C["ARCH_PLATFORM_SIZE"], b"\0")

    def unpack_platform(self, raw: bytes) -> dict[str, Any]:
        return abi.ARM_PLATFORM.unpack(bytes(raw))

    def dump_platform(self, pl: dict[str, Any]) -> list[str]:
        """The arm section for `configgen dump`."""
        out = [f"GIC:              v{pl['gic_version']}, {pl['gic_lines']} lines, maintenance INTID "
               f"{pl['maintenance_irq']}",
               f"  GICD            {pl['gicd_base']:#x} size {pl['gicd_size']:#x}"]
        if pl["gic_version"] != abi.GIC_V2 or any(pl[f] for f in ("gicr_base", "gicr_size", "gicr_stride",
                                                                    "its_base", "its_size")):
            out += [f"  GICR            {pl['gicr_base']:#x} size {pl['gicr_size']:#x} stride {pl['gicr_stride']:#x}",
                    f"  ITS             {pl['its_base']:#x} size {pl['its_size']:#x}"]
        if pl.get("pci_io_size"):
            out.append(f"PCI I/O window:   {pl['pci_io_base']:#x} size {pl['pci_io_size']:#x} (port 0 at the base)")
        for x in "chv":  # GICv2 interfaces (none on a GICv3)
            if pl[f"gic{x}_base"] or pl[f"gic{x}_size"]:
                out.append(f"  GIC{x.upper()}            {pl[f'gic{x}_base']:#x} size {pl[f'gic{x}_size']:#x}")
        return out

    # ------------------------------------------------------------------ decompile (arm64_source.py)
    def unrepresentable(self, pl: dict[str, Any], hw_ids: list[int]) -> str:
        from configgen.arch import arm64_source
        return arm64_source.unrepresentable(self, pl, hw_ids)

    def board_nodes(self, pl: dict[str, Any], hw_ids: list[int]) -> tuple[list[str], list[str]]:
        from configgen.arch import arm64_source
        return arm64_source.board_nodes(self, pl, hw_ids)

    def hypervisor_props(self, pl: dict[str, Any], root_intids: list[int]) -> list[str]:
        from configgen.arch import arm64_source
        return arm64_source.hypervisor_props(self, pl, root_intids)

    def cell_props(self, c: Any, indent: str, is_root: bool) -> list[str]:
        """The cell's SPIs (non-root: the root owns every SPI) and PCI functions, raw."""
        out = []
        spis = [i - self.first_spi for i in c.intids if i >= self.first_spi]
        if spis and not is_root:
            out.append(f"{indent}spis = <{' '.join(str(s) for s in spis)}>;")
        return out + pci.source_props(c.pci_devices, indent)

    def ports_pci_layout_ok(self, pio: list[dict[str, int]], devices: list[dict[str, int]]) -> str:
        if pio:
            return f"{len(pio)} port-I/O regions (arm64 has no port I/O)"
        return pci.layout_ok(devices, abi.PCI_NO_IOMMU, (abi.PCI_DEVICE, abi.PCI_BRIDGE))

    def platform_tail_zero(self, raw: bytes) -> bool:
        return not any(bytes(raw)[abi.ARM_PLATFORM.size:])

    def irqchips(self, intids: list[int], p: Platform) -> list[dict[str, Any]]:
        """The cell's SPIs as hvcfg_irqchip entries of the distributor, like Jailhouse writes its GIC
        irqchips: pin_base 32 + 128 k, only entries with a pin, in ascending pin_base."""
        pins = self.irqchip_pins
        chips: dict[int, list[int]] = {}
        for i in sorted(set(intids)):
            if self.first_spi <= i <= self.max_spi:
                base = self.first_spi + (i - self.first_spi) // pins * pins
                bm = chips.setdefault(base, [0] * (pins // 64))
                bm[(i - base) // 64] |= 1 << ((i - base) % 64)
        return [{"address": p.gicd.start, "id": 0, "pin_base": b, "pin_bitmap": bm} for b, bm in sorted(chips.items())]

    def irqchip_layout_ok(self, entries: list[dict[str, Any]], platform: Optional[dict[str, Any]]) -> str:
        """"" if the entries are exactly what irqchips() writes (for decompile), else why not; platform:
        the unpacked section when known (a system blob), for the distributor's address."""
        pins, prev = self.irqchip_pins, -1
        gicd = platform["gicd_base"] if platform is not None else None
        for e in entries:
            if gicd is not None and e["address"] != gicd:
                return f"an interrupt resource of controller {e['address']:#x}, not the GIC distributor {gicd:#x}"
            if e["id"] or (e["pin_base"] - self.first_spi) % pins or e["pin_base"] <= prev \
                    or not any(e["pin_bitmap"]):
                return (f"interrupt resource at pin {e['pin_base']} (id {e['id']}) is not in the form configgen "
                        f"writes (pin_base {self.first_spi} + {pins} k, ascending, non-empty, id 0)")
            prev = e["pin_base"]
        addrs = {e["address"] for e in entries}
        if len(addrs) > 1:
            return "interrupt resources of more than one controller"
        return ""


def _no_cells(ctrl: Node) -> str:
    return f"its interrupt parent {ctrl.path} has no #interrupt-cells"


def _interrupt_parent(node: Node, t: Tree) -> Optional[Node]:
    """interrupt-parent of the node or its nearest ancestor that has one (devicetree spec 2.4.1)."""
    n: Optional[Node] = node
    while n is not None:
        if n.has("interrupt-parent"):
            ph = n.u32("interrupt-parent")
            return t.by_phandle.get(ph) if ph is not None else None
        n = n.parent
    return None


PROFILE = Arm64Profile()
