"""The arm64 profile's own rules: the GIC windows and maintenance PPI, CPU MPIDRs, and what EL2
maps 1:1 (the rules of the hypervisor's arm64 platform code, before it enables)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from configgen.diag import ERROR, Diagnostic, Loc
from configgen.model import Range, System

if TYPE_CHECKING:
    from configgen.arch.arm64 import Arm64Profile


def page_aligned(prof: "Arm64Profile", start: int, size: int) -> bool:
    return size > 0 and start % prof.page_size == 0 and size % prof.page_size == 0


def _gic(prof: "Arm64Profile", sysm: System) -> list[Diagnostic]:
    p = sysm.platform
    loc = p.gic_loc or sysm.root.loc
    out = []
    if not p.gicd.size or not p.gicr.size:
        return out  # no usable GIC: reported by the extraction
    for what, r in (("distributor", p.gicd), ("redistributor", p.gicr), ("ITS", p.its)):
        if r.size and not page_aligned(prof, r.start, r.size):
            out.append(Diagnostic(ERROR, "platform-gic",
                                  f"the GIC {what} [{r.start:#x}+{r.size:#x}] is not page aligned", loc,
                                  "the hypervisor traps it page by page; take the addresses from the firmware's "
                                  "device tree unchanged"))
    frames = p.gicr.size // p.gicr_stride if p.gicr_stride else 0
    if frames < len(sysm.cpus):
        out.append(Diagnostic(ERROR, "platform-gic",
                              f"the redistributor range [{p.gicr.start:#x}+{p.gicr.size:#x}] holds {frames} frames "
                              f"of {p.gicr_stride:#x} bytes, but the board has {len(sysm.cpus)} CPUs", loc,
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
    items: list[tuple[str, Range, Optional[Loc]]] = [("GIC distributor", p.gicd, p.gic_loc),
                                                     ("GIC redistributors", p.gicr, p.gic_loc),
                                                     ("GIC ITS", p.its, p.gic_loc)]
    for what, r, loc in items:
        if r.size and r.end > prof.el2_va_limit:
            out.append(Diagnostic(ERROR, "platform-gic",
                                  f"the {what} [{r.start:#x}+{r.size:#x}] lies beyond the hypervisor's address "
                                  f"space ({prof.el2_va_limit >> 30} GiB)", loc or sysm.root.loc,
                                  "the hypervisor maps the GIC 1:1 at EL2; such a board is not supported"))
    return out


def check(prof: "Arm64Profile", sysm: System) -> list[Diagnostic]:
    return _gic(prof, sysm) + _cpus(prof, sysm) + _el2_windows(prof, sysm)
