"""The ARMv7 profile (HVCFG_ARCH_ARM32): the arm64 profile's GIC interrupt specifiers, MPIDR CPU ids
and blob section, with what differs on 32-bit ARM: a GICv2 (distributor, CPU interface GICC, virtual
interface control GICH, virtual CPU interface GICV, no redistributors or ITS), MPIDR Aff2..Aff0 only,
the limits of the ARMv7 hypervisor (hv/arch/arm/include/asm/cfg_limits.h: 40-bit stage 2, a 32-bit
HYP address space), no PCI functions or inter-cell links for cells and no PCI configuration trap
(root Linux keeps the PCIe host as an ordinary device)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from configgen import abi
from configgen.arch import PlatformResult
from configgen.arch.arm64 import GIC_V2_COMPATS, Arm64Profile, _e
from configgen.bindings import Locator
from configgen.diag import Diagnostic, Loc
from configgen.model import Platform, Range, System
from configgen.tree import Node, Tree, translate_reg

_C = abi.CONSTANTS
# the GICv2 binding's reg (interrupt-controller/arm,gic.yaml): distributor, CPU interface, and with
# the virtualization extensions the virtual interface control and the virtual CPU interface
_V2_WINDOWS = ("distributor (GICD)", "CPU interface (GICC)", "virtual interface control (GICH)",
               "virtual CPU interface (GICV)")
# ARMv7 cores with the virtualization extensions (HYP mode): their CPU nodes select this profile
# even on a board whose top-level compatible an arm64 board shares (QEMU's "linux,dummy-virt")
ARMV7_CPUS = ("arm,cortex-a7", "arm,cortex-a12", "arm,cortex-a15", "arm,cortex-a17", "brcm,brahma-b15")


@dataclass(frozen=True)
class ArmProfile(Arm64Profile):
    name: str = "arm"
    arch_id: int = _C["ARCH_ARM32"]
    board_compatibles: tuple[str, ...] = ARMV7_CPUS + ("allwinner,sun7i*", "allwinner,sun8i*", "nvidia,tegra124",
                                                       "ti,am57*", "ti,dra7*", "ti,omap5*")
    cpu_compatibles: tuple[str, ...] = ARMV7_CPUS
    page_size: int = _C["ARM32_PAGE_SIZE"]
    block_size: int = _C["ARM32_BLOCK_SIZE"]
    ipa_bits: int = _C["ARM32_IPA_BITS"]
    el2_va_bits: int = _C["ARM32_HYP_VA_BITS"]
    el2_va_limit: int = _C["ARM32_HYP_WINDOW_VA"]
    hv_mem_align: int = _C["ARM32_HV_MEM_ALIGN"]
    hv_mem_span: int = _C["ARM32_HV_MEM_SPAN"]
    console_types: tuple[tuple[int, str, str], ...] = tuple(
        t for t in ((_C["CONSOLE_PL011"], "pl011", "arm,pl011"), (_C["CONSOLE_8250"], "8250", "ns16550a"))
        if _C["ARM32_CONSOLE_TYPES"] >> t[0] & 1)
    pio_ports: int = _C["ARM32_PIO_PORTS"]
    max_pci_devices: int = _C["ARM32_MAX_PCI_DEVICES"]
    ivshmem_links: bool = bool(_C["ARM32_MAX_IVSHMEM_ENDS"])
    max_ivshmem_ends: int = _C["ARM32_MAX_IVSHMEM_ENDS"]
    cell_flags: int = _C["ARM32_CELL_FLAGS"]
    hw_id_mask: int = _C["ARM32_MPIDR_MASK"]
    # the hypervisor's privilege level, as messages name it
    hyp_mode: str = "HYP"
    # PCI configuration space is the root's own (no trap): the platform section names no ECAM
    pci_config_trap: bool = False
    # CPU nodes of a guest DT: a 32-bit kernel reads one reg cell (Linux arm: of_property_read_u32)
    cpu_address_cells: int = 1
    timer_compatibles: tuple[str, ...] = ("arm,armv7-timer", "arm,armv8-timer")
    # board nodes the root DTB hides from root Linux (rootdtb.py): GICv2m frames, which Linux' GIC
    # driver probes whatever their status, and no cell may map
    root_hidden_compatibles: tuple[str, ...] = ("arm,gic-v2m-frame",)

    # ------------------------------------------------------------------ platform
    def forbidden_reason(self, node: Node) -> str:
        if "arm,gic-v2m-frame" in node.compatible:
            return "a GICv2m MSI frame (its writes raise any SPI; the hypervisor does not emulate it)"
        if self.is_gic(node):
            return "the interrupt controller (GICv2 distributor, CPU and virtual interfaces)"
        return super().forbidden_reason(node)

    def platform(self, t: Tree, loc: Locator, hyp: Node, path: str) -> PlatformResult:
        """The GICv2 node and the hypervisor's gic-lines/reserved-spis -> the arm platform section."""
        plat = Platform(gic_version=_C["GIC_V2"], gicr_stride=0)
        diags: list[Diagnostic] = []
        gic = next((n for n in t.root.walk() if any(c in n.compatible for c in GIC_V2_COMPATS)), None)
        if gic is None:
            diags.append(_e("platform-gic", "the board has no GICv2 node (compatible \"arm,cortex-a15-gic\", "
                                            "\"arm,gic-400\", ...)", Loc(path),
                            "ARMv7 systems need a GICv2 with the virtualization extensions; use the board's own "
                            "device tree"))
        else:
            self._gic_v2(t, loc, gic, plat, diags)
        diags += self._gic_lines(loc, hyp, plat)
        reserved: dict[int, Loc] = {plat.maintenance_irq: plat.maintenance_loc or Loc(path)}
        for n in hyp.u32s("reserved-spis") or []:
            reserved[n + self.first_spi] = loc.prop_loc(hyp.path, "reserved-spis")
        forbidden = [(r, f"GIC {what}") for r, what in zip(gic_windows(plat), _V2_WINDOWS) if r.size]
        return PlatformResult(plat, reserved, forbidden, diags)

    def _gic_v2(self, t: Tree, loc: Locator, gic: Node, plat: Platform, diags: list[Diagnostic]) -> None:
        regs = translate_reg(gic) or []
        plat.gic_loc = loc.prop_loc(gic.path, "reg")
        plat.maintenance_loc = loc.prop_loc(gic.path, "interrupts")
        if len(regs) < 4 or not all(s for _, s in regs[:4]):
            diags.append(_e("platform-gic", f"{gic.path}: reg must give the distributor, CPU interface, virtual "
                                            "interface control and virtual CPU interface (of nonzero size)",
                            plat.gic_loc, "reg = <GICD base size, GICC base size, GICH base size, GICV base size>: "
                                          "without GICH and GICV the GIC has no virtualization extensions"))
        else:
            plat.gicd, plat.gicc, plat.gich, plat.gicv = (Range(*r) for r in regs[:4])
        vals = gic.u32s("interrupts") or []
        n = gic.cells("#interrupt-cells", 3)
        plat.maintenance_irq = 0
        if n >= 2 and len(vals) >= n:
            irq, _ = self._decode_gic(gic, vals[:n])
            if irq is not None:
                plat.maintenance_irq = irq.intid
        if not plat.maintenance_irq:
            diags.append(_e("platform-gic", f"{gic.path}: no maintenance interrupt (interrupts)",
                            plat.maintenance_loc if gic.has("interrupts") else loc.node_loc(gic.path),
                            "a GICv2 with virtualization extensions names its maintenance PPI: "
                            "interrupts = <1 9 0xf04> on QEMU virt"))

    # ------------------------------------------------------------------ rules
    def check(self, sysm: System) -> list[Diagnostic]:
        from configgen.arch import arm64_rules
        return arm64_rules.check(self, sysm)

    # ------------------------------------------------------------------ decompile (arm_source.py)
    def unrepresentable(self, pl: dict[str, Any], hw_ids: list[int]) -> str:
        from configgen.arch import arm_source
        return arm_source.unrepresentable(self, pl, hw_ids)

    def board_nodes(self, pl: dict[str, Any], hw_ids: list[int]) -> tuple[list[str], list[str]]:
        from configgen.arch import arm_source
        return arm_source.board_nodes(self, pl, hw_ids)

    # ------------------------------------------------------------------ guest DT
    def guest_gic(self, p: Platform, num_cpus: int) -> tuple[list[str], list[int]]:
        """(compatible, reg as 64-bit address/size pairs) of a cell's GIC: the distributor and, at the
        GICC address, the CPU interface (backed by GICV in the cell's stage 2, as far as both reach)."""
        return ["arm,cortex-a15-gic"], [p.gicd.start, p.gicd.size, p.gicc.start, min(p.gicc.size, p.gicv.size)]


def gic_windows(p: Platform) -> tuple[Range, Range, Range, Range]:
    """The GICv2 windows in binding order: GICD, GICC, GICH, GICV."""
    return p.gicd, p.gicc, p.gich, p.gicv


PROFILE = ArmProfile()
