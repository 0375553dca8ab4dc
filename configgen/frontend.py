"""From source files to a checked model: compile, bind-check, apply overlays, extract, run rules."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Optional

from configgen import bindings as bnd
from configgen import extract, overlay, rules
from configgen import tree as dtree
from configgen.diag import ERROR, Diagnostic
from configgen.dtsource import Compiled, SourceError, compile_file
from configgen.kconfig import Limits
from configgen.model import System


@dataclass
class Loaded:
    sysm: Optional[System]
    system_src: Optional[Compiled]
    system_tree: Optional[dtree.Tree]
    cell_paths: dict[str, str] = field(default_factory=dict)  # cell name -> overlay file
    diags: list[Diagnostic] = field(default_factory=list)
    sources: list[Compiled] = field(default_factory=list)  # every source compiled (system first)


def _compile(path: str, includes: list[str], is_overlay: bool) -> tuple[Optional[Compiled], list[Diagnostic]]:
    try:
        return compile_file(path, includes, is_overlay), []
    except SourceError as e:
        return None, e.diags


def _has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity == ERROR for d in diags)


def load(system_path: str, cell_paths: list[str], includes: list[str], b: bnd.Bindings,
         limits: Limits, arch_name: Optional[str] = None) -> Loaded:
    """Never raises for bad input content; InputError (exit 2) only for unreadable files.
    arch_name: the configgen.arch profile (default: the one the board selects)."""
    for p in [system_path] + cell_paths:
        if not os.path.exists(p):
            from configgen.diag import InputError
            raise InputError(f"cannot read {p}: no such file")
    workers = min(len(cell_paths) + 1, max(os.cpu_count() or 1, 1) * 2)
    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        sys_future = pool.submit(_compile, system_path, includes, False)
        cell_futures = [pool.submit(_compile, p, includes, True) for p in cell_paths]
        syscomp, diags = sys_future.result()
        cells_compiled = [f.result() for f in cell_futures]
    out = Loaded(None, syscomp, None, diags=list(diags),
                 sources=[c for c in [syscomp] + [c for c, _ in cells_compiled] if c is not None])
    for _, d in cells_compiled:
        out.diags += d
    if syscomp is None:
        return out
    systree = dtree.load(syscomp.dtb)
    out.system_tree = systree
    hyp = overlay.find_hypervisor(systree)
    out.diags += bnd.check_tree(systree.root.walk(), b, syscomp, hyp)
    if _has_errors(out.diags):
        return out
    sysm, d = extract.system(systree, syscomp, syscomp.path, arch_name)
    out.diags += d
    if sysm is None:
        return out
    for comp, _ in cells_compiled:
        if comp is None:
            continue
        src, d = overlay.apply(syscomp, systree, comp)
        out.diags += d
        if src is None:
            continue
        cnode = src.tree.node(src.cell_path)
        assert cnode is not None
        bd = bnd.check_tree(cnode.walk(), b, src, cnode)
        if cnode.compatible != ["hv,cell"] and not bd:
            bd.append(Diagnostic(ERROR, "binding-unknown-node", f"{src.cell_path}: a cell overlay must add a node "
                                 "with compatible \"hv,cell\"", src.node_loc(src.cell_path),
                                 "set compatible = \"hv,cell\";"))
        out.diags += bd
        if bd:
            continue
        c, d = extract.cell(cnode, src.tree, src, sysm, False)
        out.diags += d
        sysm.cells.append(c)
        out.cell_paths.setdefault(c.name, comp.path)
    out.sysm = sysm
    if _has_errors([d for d in out.diags if d.rule.startswith(("dts-", "binding-", "overlay-", "ref-"))]):
        return out
    out.diags += rules.check_all(sysm, limits)
    return out
