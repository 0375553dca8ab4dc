"""The platform part the hypervisor checks before it enables: GIC windows, maintenance PPI,
CPU MPIDRs, consoles, and what must fit its own (EL2) address space."""
from __future__ import annotations

from typing import Optional

from configgen import abi
from configgen.diag import ERROR, Diagnostic, Loc
from configgen.kconfig import Limits
from configgen.model import Console, Range, System

PAGE = 0x1000
_MPIDR_AFF = 0xff00ffffff  # Aff3 and Aff2..Aff0; everything else must be 0


def _page_aligned(start: int, size: int) -> bool:
    return size > 0 and start % PAGE == 0 and size % PAGE == 0


def _gic(sysm: System) -> list[Diagnostic]:
    p = sysm.platform
    loc = p.gic_loc or sysm.root.loc
    out = []
    if not p.gicd.size or not p.gicr.size:
        return out  # no usable GIC: reported by the extraction
    for what, r in (("distributor", p.gicd), ("redistributor", p.gicr), ("ITS", p.its)):
        if r.size and not _page_aligned(r.start, r.size):
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


def _cpus(sysm: System) -> list[Diagnostic]:
    out = []
    seen: dict[int, str] = {}
    for cpu in sysm.cpus:
        if cpu.mpidr & ~_MPIDR_AFF:
            out.append(Diagnostic(ERROR, "cpu-mpidr",
                                  f"{cpu.path}: reg {cpu.mpidr:#x} is not an MPIDR affinity value", cpu.loc,
                                  "reg holds Aff3 (bits 39:32) and Aff2..Aff0 (bits 23:0) only"))
        elif cpu.mpidr in seen:
            out.append(Diagnostic(ERROR, "cpu-mpidr",
                                  f"{cpu.path}: MPIDR {cpu.mpidr:#x} is already that of {seen[cpu.mpidr]}", cpu.loc,
                                  "every CPU node needs its own reg (MPIDR)"))
        else:
            seen[cpu.mpidr] = cpu.path
    return out


def _console(con: Console, what: str, fallback: Loc, el2: bool) -> list[Diagnostic]:
    if con.type == abi.CONSOLE_NONE:
        return []
    loc = con.loc or fallback
    if not _page_aligned(con.base, con.size):
        return [Diagnostic(ERROR, "console-window",
                           f"{what} [{con.base:#x}+{con.size:#x}] is not a whole number of pages", loc,
                           "a console UART's reg must start on a page and be page sized "
                           "(it is mapped page by page)")]
    if el2 and con.base + con.size > abi.EL2_VA_LIMIT:
        return [Diagnostic(ERROR, "console-window",
                           f"{what} at {con.base:#x} lies beyond the hypervisor's address space (511 GiB)", loc,
                           "the hypervisor maps its debug console 1:1; pick a UART below "
                           f"{abi.EL2_VA_LIMIT >> 30} GiB")]
    return []


def _el2_windows(sysm: System) -> list[Diagnostic]:
    p = sysm.platform
    out = []
    items: list[tuple[str, Range, Optional[Loc]]] = [("GIC distributor", p.gicd, p.gic_loc),
                                                     ("GIC redistributors", p.gicr, p.gic_loc),
                                                     ("GIC ITS", p.its, p.gic_loc)]
    for what, r, loc in items:
        if r.size and r.end > abi.EL2_VA_LIMIT:
            out.append(Diagnostic(ERROR, "platform-gic",
                                  f"the {what} [{r.start:#x}+{r.size:#x}] lies beyond the hypervisor's address "
                                  "space (511 GiB)", loc or sysm.root.loc,
                                  "the hypervisor maps the GIC 1:1 at EL2; such a board is not supported"))
    return out


def _cell_console_mapped(sysm: System) -> list[Diagnostic]:
    """A cell's console the cell cannot reach is a cell that prints nothing: it must be mapped."""
    out = []
    for c in [sysm.root] + sysm.cells:
        con = c.console
        if con.type == abi.CONSOLE_NONE or not con.size:
            continue
        end = con.base + con.size
        if any(r.flags & abi.MEM_IO and r.phys <= con.base and end <= r.phys + r.size for r in c.regions):
            continue
        out.append(Diagnostic(ERROR, "console-unmapped",
                              f"the console of cell '{c.name}' [{con.base:#x}+{con.size:#x}] is not mapped "
                              "into the cell", con.loc or c.loc,
                              "add the UART to the cell's devices (or shared-devices), or drop the console"))
    return out


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    out = _gic(sysm) + _cpus(sysm) + _el2_windows(sysm)
    out += _console(sysm.debug_console, "the debug console", sysm.hyp_loc, True)
    for c in [sysm.root] + sysm.cells:
        out += _console(c.console, f"the console of cell '{c.name}'", c.loc, False)
    out += _cell_console_mapped(sysm)
    return out
