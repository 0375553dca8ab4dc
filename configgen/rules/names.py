"""Names unique and valid; counts within the format's and Kconfig's limits."""
from __future__ import annotations

from configgen import abi
from configgen.diag import ERROR, Diagnostic, Note
from configgen.kconfig import Limits
from configgen.model import System


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, object] = {}
    for c in [sysm.root] + sysm.cells:
        raw = c.name.encode("utf-8", "replace")
        if not raw or len(raw) >= abi.NAME_LEN or not all(0x20 <= b < 0x7F for b in raw):
            out.append(Diagnostic(ERROR, "name-invalid",
                                  f"cell name \"{c.name}\" must be 1..{abi.NAME_LEN - 1} printable ASCII characters",
                                  c.name_loc, "shorten the cell-name"))
        other = seen.get(c.name)
        if other is not None:
            out.append(Diagnostic(ERROR, "name-duplicate",
                                  f"cell name \"{c.name}\" is used twice: here and at {other.name_loc}",  # type: ignore[attr-defined]
                                  c.name_loc, "every cell needs its own cell-name",
                                  (Note(other.name_loc, "first used here"),)))  # type: ignore[attr-defined]
        else:
            seen[c.name] = c
    max_cpus = min(limits.max_cpus, abi.MAX_CPUS)
    if len(sysm.cpus) > max_cpus:
        extra = sysm.cpus[max_cpus]
        out.append(Diagnostic(ERROR, "limit-cpus",
                              f"the board has {len(sysm.cpus)} CPUs, more than CONFIG_MAX_CPUS={limits.max_cpus} "
                              f"({limits.source}; format limit {abi.MAX_CPUS}); first excess CPU {extra.path}",
                              extra.loc, "raise CONFIG_MAX_CPUS (make menuconfig) or remove CPUs from the board"))
    ncells = 1 + len(sysm.cells)
    if ncells > limits.max_cells:
        extra_cell = sysm.cells[limits.max_cells - 1]
        out.append(Diagnostic(ERROR, "limit-cells",
                              f"{ncells} cells (root included) exceed CONFIG_MAX_CELLS={limits.max_cells} "
                              f"({limits.source}); first excess cell '{extra_cell.name}'",
                              extra_cell.loc, "raise CONFIG_MAX_CELLS or check fewer cells together"))
    for c in sysm.cells:
        if c.msg_reply_timeout > abi.MSG_REPLY_LIMIT_US:
            out.append(Diagnostic(ERROR, "limit-reply-timeout",
                                  f"cell '{c.name}': msg-reply-timeout {c.msg_reply_timeout} us is longer "
                                  f"than the hypervisor ever waits ({abi.MSG_REPLY_LIMIT_US} us)", c.loc,
                                  f"set msg-reply-timeout to at most {abi.MSG_REPLY_LIMIT_US} (microseconds), "
                                  "or leave it out for the limit"))
    for c in [sysm.root] + sysm.cells:
        if len(c.regions) > abi.MAX_MEM_REGIONS:
            out.append(Diagnostic(ERROR, "limit-regions",
                                  f"cell '{c.name}' has {len(c.regions)} memory regions, the format allows "
                                  f"{abi.MAX_MEM_REGIONS}", c.regions[abi.MAX_MEM_REGIONS].loc,
                                  "merge adjacent regions"))
    return out
