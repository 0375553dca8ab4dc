"""The platform part the hypervisor checks before it enables: the arch profile's rules (arm64: GIC
windows, maintenance PPI, CPU MPIDRs, configgen/arch/arm64_rules.py), consoles, and what must fit
the hypervisor's own (EL2) address space."""
from __future__ import annotations

from configgen import abi
from configgen.diag import ERROR, Diagnostic, Loc
from configgen.kconfig import Limits
from configgen.model import Console, System

def _page_aligned(sysm: System, start: int, size: int) -> bool:
    page = sysm.arch.page_size
    return size > 0 and start % page == 0 and size % page == 0


def _console(sysm: System, con: Console, what: str, fallback: Loc, el2: bool) -> list[Diagnostic]:
    if con.type == abi.CONSOLE_NONE:
        return []
    loc = con.loc or fallback
    if con.type == abi.CONSOLE_8250_PIO:  # ports, not mapped: inside the port space
        if not con.size or con.base + con.size > 0x10000:
            return [Diagnostic(ERROR, "console-window", f"{what} at ports [{con.base:#x}+{con.size:#x}] is not "
                                                        "inside the port space", loc,
                               "a port-I/O UART has 8 ports below 0x10000, e.g. COM1 at 0x3f8")]
        return []
    limit = sysm.arch.el2_va_limit
    if not _page_aligned(sysm, con.base, con.size):
        return [Diagnostic(ERROR, "console-window",
                           f"{what} [{con.base:#x}+{con.size:#x}] is not a whole number of pages", loc,
                           "a console UART's reg must start on a page and be page sized "
                           "(it is mapped page by page)")]
    if el2 and con.base + con.size > limit:
        return [Diagnostic(ERROR, "console-window",
                           f"{what} at {con.base:#x} lies beyond the hypervisor's address space "
                           f"({limit >> 30} GiB)", loc,
                           f"the hypervisor maps its debug console 1:1; pick a UART below {limit >> 30} GiB")]
    return []


def _cell_console_mapped(sysm: System) -> list[Diagnostic]:
    """A cell's console the cell cannot reach is a cell that prints nothing: it must be mapped."""
    out = []
    for c in [sysm.root] + sysm.cells:
        con = c.console
        if con.type == abi.CONSOLE_NONE or not con.size:
            continue
        end = con.base + con.size
        if con.type == abi.CONSOLE_8250_PIO:
            if any(u.base <= con.base and end <= u.end for u in c.ports):
                continue
            out.append(Diagnostic(ERROR, "console-unmapped",
                                  f"the console of cell '{c.name}' (ports [{con.base:#x}+{con.size:#x}]) is not among "
                                  "the cell's ports", con.loc or c.loc,
                                  "add the UART to the cell's devices, or use the console hypercall "
                                  "(virtual-console-active) without a console"))
            continue
        if any(r.flags & abi.MEM_IO and r.phys <= con.base and end <= r.phys + r.size for r in c.regions):
            continue
        out.append(Diagnostic(ERROR, "console-unmapped",
                              f"the console of cell '{c.name}' [{con.base:#x}+{con.size:#x}] is not mapped "
                              "into the cell", con.loc or c.loc,
                              "add the UART to the cell's devices (or shared-devices), or drop the console"))
    return out


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    out = sysm.arch.check(sysm)  # the arch's own: interrupt controller, CPU ids, what EL2 maps
    out += _console(sysm, sysm.debug_console, "the debug console", sysm.hyp_loc, True)
    for c in [sysm.root] + sysm.cells:
        out += _console(sysm, c.console, f"the console of cell '{c.name}'", c.loc, False)
    out += _cell_console_mapped(sysm)
    return out
