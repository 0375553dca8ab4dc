"""The arm64 profile's part of `decompile`: what of the arm platform section sources can say, and
the board nodes and hypervisor properties that compile back to it (the GIC, its ITS, the CPUs
by MPIDR, gic-lines and reserved-spis)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from configgen import abi
from configgen.model import Platform

if TYPE_CHECKING:
    from configgen.arch.arm64 import Arm64Profile


def _reg(start: int, size: int) -> str:
    return f"<{start >> 32:#x} {start & 0xFFFFFFFF:#x} {size >> 32:#x} {size & 0xFFFFFFFF:#x}>"


def unrepresentable(prof: "Arm64Profile", pl: dict[str, Any], hw_ids: list[int]) -> str:
    """"" if sources can say this platform section and CPU table, else what they cannot."""
    if hw_ids != sorted(hw_ids):  # a source lists CPUs; configgen numbers them in MPIDR order
        return "CPU table not in MPIDR order (configgen writes it sorted, so every CPU index would change)"
    stride = Platform().gicr_stride  # what configgen writes
    if pl["gicr_stride"] != stride:
        return f"redistributor stride {pl['gicr_stride']:#x} (configgen writes {stride:#x})"
    if pl["gic_lines"] <= prof.first_spi:
        return f"gic_lines {pl['gic_lines']}: a GIC without SPIs"
    if pl["gic_version"] != abi.GIC_V3 or any(pl[f"gic{x}_{y}"] for x in "chv" for y in ("base", "size")):
        return f"a GICv{pl['gic_version']} (configgen describes GICv3 only)"
    if not pl["its_size"] and pl["its_base"]:
        return f"its base {pl['its_base']:#x} without a size"
    return ""


def board_nodes(prof: "Arm64Profile", pl: dict[str, Any], hw_ids: list[int]) -> tuple[list[str], list[str]]:
    """(properties of /, nodes under /) describing the CPUs and the GIC, tab-indented for /."""
    props = ["\tinterrupt-parent = <&gic>;"]
    L = ["\tcpus {", "\t\t#address-cells = <2>;", "\t\t#size-cells = <0>;"]
    for i, m in enumerate(hw_ids):
        L += ["", f"\t\tcpu{i}: cpu@{m:x} {{", '\t\t\tdevice_type = "cpu";', '\t\t\tcompatible = "arm,armv8";',
              f"\t\t\treg = <{m >> 32:#x} {m & 0xFFFFFFFF:#x}>;", "\t\t};"]
    L += ["\t};", ""]
    maint = pl["maintenance_irq"]
    L += [f"\tgic: interrupt-controller@{pl['gicd_base']:x} {{", '\t\tcompatible = "arm,gic-v3";',
          "\t\t#interrupt-cells = <3>;", "\t\tinterrupt-controller;", "\t\t#address-cells = <2>;",
          "\t\t#size-cells = <2>;", "\t\tranges;",
          f"\t\treg = {_reg(pl['gicd_base'], pl['gicd_size'])}, {_reg(pl['gicr_base'], pl['gicr_size'])};",
          f"\t\tinterrupts = <{1 if 16 <= maint < 32 else 0} {maint - 16 if maint < 32 else maint - 32} 4>;"]
    if pl["its_size"]:
        L += ["", f"\t\tits@{pl['its_base']:x} {{", '\t\t\tcompatible = "arm,gic-v3-its";', "\t\t\tmsi-controller;",
              f"\t\t\treg = {_reg(pl['its_base'], pl['its_size'])};", "\t\t};"]
    L += ["\t};", ""]
    return props, L


def hypervisor_props(prof: "Arm64Profile", pl: dict[str, Any], root_intids: list[int]) -> list[str]:
    """gic-lines, and reserved-spis for the SPIs the root cell was not given."""
    lines = pl["gic_lines"]
    have = set(root_intids)
    reserved = [i - prof.first_spi for i in range(prof.first_spi, min(lines, prof.max_spi + 1)) if i not in have]
    out = [f"\t\tgic-lines = <{lines}>;"]
    if reserved:
        out.append(f"\t\treserved-spis = <{' '.join(str(s) for s in reserved)}>;")
    return out
