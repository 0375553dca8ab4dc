"""The ARMv7 profile's part of `decompile`: what of a GICv2 platform section sources can say, and the
board nodes that compile back to it (the CPUs by MPIDR, the GICv2 with its four windows); the
hypervisor properties are arm64's (gic-lines, reserved-spis)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from configgen import abi
from configgen.arch.arm64_source import _reg

if TYPE_CHECKING:
    from configgen.arch.arm import ArmProfile


def unrepresentable(prof: "ArmProfile", pl: dict[str, Any], hw_ids: list[int]) -> str:
    """"" if sources can say this platform section and CPU table, else what they cannot."""
    if hw_ids != sorted(hw_ids):
        return "CPU table not in MPIDR order (configgen writes it sorted, so every CPU index would change)"
    if pl["gic_lines"] <= prof.first_spi:
        return f"gic_lines {pl['gic_lines']}: a GIC without SPIs"
    if pl["gic_version"] != abi.GIC_V2:
        return f"a GICv{pl['gic_version']} (configgen describes ARMv7 with a GICv2 only)"
    if any(pl[f"{w}_{y}"] for w in ("gicr", "its") for y in ("base", "size")) or pl["gicr_stride"]:
        return "GICv3 redistributors or an ITS beside a GICv2"
    if not 16 <= pl["maintenance_irq"] < 32:
        return f"maintenance interrupt INTID {pl['maintenance_irq']} (not a PPI)"
    return ""


def board_nodes(prof: "ArmProfile", pl: dict[str, Any], hw_ids: list[int]) -> tuple[list[str], list[str]]:
    """(properties of /, nodes under /) describing the CPUs and the GICv2, tab-indented for /."""
    props = ["\tinterrupt-parent = <&gic>;"]
    L = ["\tcpus {", "\t\t#address-cells = <1>;", "\t\t#size-cells = <0>;"]
    for i, m in enumerate(hw_ids):
        L += ["", f"\t\tcpu{i}: cpu@{m:x} {{", '\t\t\tdevice_type = "cpu";', '\t\t\tcompatible = "arm,cortex-a15";',
              f"\t\t\treg = <{m:#x}>;", "\t\t};"]
    L += ["\t};", ""]
    regs = ", ".join(_reg(pl[f"gic{x}_base"], pl[f"gic{x}_size"]) for x in "dchv")
    L += [f"\tgic: interrupt-controller@{pl['gicd_base']:x} {{", '\t\tcompatible = "arm,cortex-a15-gic";',
          "\t\t#interrupt-cells = <3>;", "\t\tinterrupt-controller;", "\t\t#address-cells = <2>;",
          "\t\t#size-cells = <2>;", f"\t\treg = {regs};",
          f"\t\tinterrupts = <1 {pl['maintenance_irq'] - 16} 4>;", "\t};", ""]
    return props, L
