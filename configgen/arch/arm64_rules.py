"""The arm profiles' own rules (arm64 and ARMv7): the GIC windows and maintenance PPI, CPU MPIDRs, and
what the hypervisor maps 1:1 (the rules of the hypervisor's arm platform code, before it enables)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from configgen.diag import ERROR, Diagnostic, Loc
from configgen.memmap import human
from configgen.model import Range, System

if TYPE_CHECKING:
    from configgen.arch.arm64 import Arm64Profile


def page_aligned(prof: "Arm64Profile", start: int, size: int) -> bool:
    return size > 0 and start % prof.page_size == 0 and size % prof.page_size == 0


def gic_windows(sysm: System) -> list[tuple[str, Range]]:
    """The GIC's windows by name: GICv3 distributor, redistributors, ITS; GICv2 GICD/GICC/GICH/GICV."""
    p = sysm.platform
    if p.gic_version == 2:
        return [("distributor", p.gicd), ("CPU interface (GICC)", p.gicc),
                ("virtual interface control (GICH)", p.gich), ("virtual CPU interface (GICV)", p.gicv)]
    return [("distributor", p.gicd), ("redistributor", p.gicr), ("ITS", p.its)]


def _gic(prof: "Arm64Profile", sysm: System) -> list[Diagnostic]:
    p = sysm.platform
    loc = p.gic_loc or sysm.root.loc
    out = []
    if not p.gicd.size or not (p.gicr.size or p.gicc.size):
        return out  # no usable GIC: reported by the extraction
    wins = gic_windows(sysm)
    for i, (what, r) in enumerate(wins):
        if r.size and not page_aligned(prof, r.start, r.size):
            out.append(Diagnostic(ERROR, "platform-gic",
                                  f"the GIC {what} [{r.start:#x}+{r.size:#x}] is not page aligned", loc,
                                  "the hypervisor traps it page by page; take the addresses from the firmware's "
                                  "device tree unchanged"))
        other = next((w for w, o in wins[:i] if r.size and o.size and r.start < o.end and o.start < r.end), None)
        if other is not None:
            out.append(Diagnostic(ERROR, "platform-gic",
                                  f"the GIC {what} [{r.start:#x}+{r.size:#x}] overlaps the GIC {other}", loc,
                                  "each interface of the GIC has its own window; take the addresses from the "
                                  "firmware's device tree unchanged"))
    if p.gic_version == 2:
        for what, r, least in (("CPU interface (GICC)", p.gicc, 0x2000),
                                ("virtual CPU interface (GICV)", p.gicv, 0x2000)):
            if r.size < least:
                out.append(Diagnostic(ERROR, "platform-gic",
                                      f"the GIC {what} [{r.start:#x}+{r.size:#x}] is smaller than {least:#x} bytes",
                                      loc, "a GICv2 CPU interface is 8 KiB (GICC_DIR is in its second page)"))
    else:
        frames = p.gicr.size // p.gicr_stride if p.gicr_stride else 0
        if frames < len(sysm.cpus):
            out.append(Diagnostic(ERROR, "platform-gic",
                                  f"the redistributor range [{p.gicr.start:#x}+{p.gicr.size:#x}] holds {frames} "
                                  f"frames of {p.gicr_stride:#x} bytes, but the board has {len(sysm.cpus)} CPUs", loc,
                                  "one redistributor frame per CPU: size = CPUs x 0x20000 on GICv3"))
    if not 16 <= p.maintenance_irq <= 31:
        out.append(Diagnostic(ERROR, "platform-gic",
                              f"the GIC maintenance interrupt is INTID {p.maintenance_irq}, not a PPI (16-31)",
                              p.maintenance_loc or loc, "interrupts = <1 9 4> (PPI 9, INTID 25) on most boards"))
    return out


def _cpus(prof: "Arm64Profile", sysm: System) -> list[Diagnostic]:
    out = []
    seen: dict[int, str] = {}
    for cpu in sysm.cpus:
        if cpu.hw_id & ~prof.hw_id_mask:
            out.append(Diagnostic(ERROR, "cpu-mpidr",
                                  f"{cpu.path}: reg {cpu.hw_id:#x} is not an MPIDR affinity value", cpu.loc,
                                  "reg holds Aff2..Aff0 (bits 23:0) only" if prof.hw_id_mask >> 32 == 0 else
                                  "reg holds Aff3 (bits 39:32) and Aff2..Aff0 (bits 23:0) only"))
        elif cpu.hw_id in seen:
            out.append(Diagnostic(ERROR, "cpu-mpidr",
                                  f"{cpu.path}: MPIDR {cpu.hw_id:#x} is already that of {seen[cpu.hw_id]}", cpu.loc,
                                  "every CPU node needs its own reg (MPIDR)"))
        else:
            seen[cpu.hw_id] = cpu.path
    return out


def _el2_windows(prof: "Arm64Profile", sysm: System) -> list[Diagnostic]:
    p = sysm.platform
    out = []
    items: list[tuple[str, Range, Optional[Loc]]] = [
        ("GIC redistributors" if what == "redistributor" else f"GIC {what}", r, p.gic_loc)
        for what, r in gic_windows(sysm)]
    for what, r, loc in items:
        if r.size and r.end > prof.el2_va_limit:
            out.append(Diagnostic(ERROR, "platform-gic",
                                  f"the {what} [{r.start:#x}+{r.size:#x}] lies beyond the hypervisor's address "
                                  f"space ({human(prof.el2_va_limit)})", loc or sysm.root.loc,
                                  f"the hypervisor maps the GIC 1:1 at {prof.hyp_mode}; such a board is not "
                                  "supported"))
    return out


def check(prof: "Arm64Profile", sysm: System) -> list[Diagnostic]:
    return _gic(prof, sysm) + _cpus(prof, sysm) + _el2_windows(prof, sysm)
