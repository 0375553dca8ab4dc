"""CPUs exist, go to at most one non-root cell, come from the root, and root keeps one."""
from __future__ import annotations

from configgen.diag import ERROR, Diagnostic, Note
from configgen.kconfig import Limits
from configgen.model import Cell, System


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    root = sysm.root
    root_set = set(root.cpus)
    owner: dict[int, Cell] = {}
    for c in [root] + sysm.cells:
        if not c.cpus and c.cpus_loc is None:  # (a cpus list of unknown CPUs is cpu-unknown)
            out.append(Diagnostic(ERROR, "cpu-none", f"cell '{c.name}' has no CPUs", c.cpus_loc or c.loc,
                                  "add cpus = <&cpuN>; with CPUs of the board"))
    for c in sysm.cells:
        for i in sorted(set(c.cpus)):
            cpu = sysm.cpus[i]
            loc = c.cpus_loc or c.loc
            if i not in root_set:
                out.append(Diagnostic(ERROR, "cpu-not-in-root",
                                      f"cell '{c.name}' takes {cpu.path}, which the root cell '{root.name}' "
                                      f"({root.cpus_loc or root.loc}) does not own", loc,
                                      "non-root cells take their CPUs from the root cell; add it to the root's cpus",
                                      (Note(root.cpus_loc or root.loc, "root cell CPUs"),)))
            prev = owner.get(i)
            if prev is not None:
                out.append(Diagnostic(ERROR, "cpu-conflict",
                                      f"{cpu.path} is given to cell '{c.name}' and to cell '{prev.name}' "
                                      f"({prev.cpus_loc or prev.loc})", loc,
                                      "a CPU belongs to one non-root cell at a time; pick another CPU",
                                      (Note(prev.cpus_loc or prev.loc, f"'{prev.name}' takes it here"),)))
            else:
                owner[i] = c
    if root_set and root_set <= set(owner):
        takers = sorted({owner[i].name for i in root_set})
        notes = tuple(Note(c.cpus_loc or c.loc, f"'{c.name}' takes CPUs here") for c in sysm.cells
                      if c.name in takers)
        out.append(Diagnostic(ERROR, "cpu-root-empty",
                              f"the root cell '{root.name}' keeps no CPU: cells {', '.join(takers)} take all of them",
                              root.cpus_loc or root.loc, "leave at least one CPU (e.g. cpu0) to the root cell",
                              notes))
    return out
