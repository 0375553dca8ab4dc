"""Cell overlays: structure checks, reference resolution and application (as libfdt's
fdt_overlay_apply does it, but linear in the overlay's size)."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Optional

from configgen import tree as dtree
from configgen.diag import ERROR, Diagnostic, Loc
from configgen.dtsource import Compiled

HYPERVISOR_COMPAT = "hv,hypervisor"
_META = ("__fixups__", "__local_fixups__", "__symbols__")


@dataclass
class CellSource:
    """A cell node taken from system+overlay, with locations mapped back to the overlay."""

    compiled: Compiled
    tree: dtree.Tree  # merged tree
    cell_path: str  # path of the cell node in the merged tree
    overlay_path: str  # path of the same node inside the overlay DTB

    def _opath(self, path: str) -> str:
        if path.startswith(self.cell_path):
            return self.overlay_path + path[len(self.cell_path):]
        return path

    def node_loc(self, path: str) -> Loc:
        return self.compiled.node_loc(self._opath(path))

    def prop_loc(self, path: str, prop: str) -> Loc:
        return self.compiled.prop_loc(self._opath(path), prop)


def _err(rule: str, msg: str, loc: Loc, hint: str = "") -> Diagnostic:
    return Diagnostic(ERROR, rule, msg, loc, hint)


def find_hypervisor(t: dtree.Tree) -> Optional[dtree.Node]:
    for n in t.root.children:
        if HYPERVISOR_COMPAT in n.compatible:
            return n
    return None


def apply(system: Compiled, systree: dtree.Tree, ov: Compiled) -> tuple[Optional[CellSource], list[Diagnostic]]:
    otree = dtree.load(ov.dtb)
    frags = [n for n in otree.root.children if n.name not in _META]
    hint = "a cell overlay is one fragment `&hypervisor { my-cell { compatible = \"hv,cell\"; ... }; };`"
    if len(frags) != 1 or not frags[0].child("__overlay__"):
        return None, [_err("overlay-structure", f"expected exactly one fragment in a cell overlay, found {len(frags)}",
                           ov.node_loc(frags[1].path if len(frags) > 1 else "/"), hint)]
    frag = frags[0]
    over = frag.child("__overlay__")
    assert over is not None
    fixups = otree.node("/__fixups__")
    hyp = find_hypervisor(systree)
    if hyp is None:
        return None, [_err("overlay-structure", "the system has no node with compatible \"hv,hypervisor\"",
                           Loc(system.path), "the system needs `hypervisor: hypervisor@ADDR { compatible = "
                                             "\"hv,hypervisor\"; ... };`")]
    target: Optional[str] = frag.string("target-path")
    if target is None and fixups is not None:
        for label in fixups.props:
            refs = fixups.strings(label) or []
            if any(r.startswith(frag.path + ":target:") for r in refs):
                target = systree.symbols.get(label)
                if target is None:
                    return None, [_err("ref-unresolved", f"overlay target '&{label}' is not a label of the system",
                                       ov.node_loc(frag.path), "label the hypervisor node `hypervisor:` in the system")]
    if target != hyp.path:
        where = ov.srcmap.nodes.get(over.path) or ov.node_loc(frag.path)
        return None, [_err("overlay-structure", f"cell overlay targets '{target}', not the hypervisor node {hyp.path}",
                           where, hint)]
    diags: list[Diagnostic] = []
    if over.props or len(over.children) != 1:
        diags.append(_err("overlay-structure",
                          "a cell overlay must add exactly one node (the cell) to the hypervisor node "
                          "and set no properties there", ov.node_loc(over.path), hint))
        return None, diags
    cell_name = over.children[0].name
    if hyp.child(cell_name) is not None:
        return None, [_err("overlay-structure", f"node '{cell_name}' already exists in {hyp.path}",
                           ov.node_loc(over.children[0].path), "give the cell node another name")]

    # Reject unresolved labels with a location; resolve labels and path references
    # (<&{/cpus/cpu@1}>) to the system's phandles in the overlay's own nodes.
    next_ph = max(systree.by_phandle, default=0) + 1
    added: dict[int, dtree.Node] = {}
    patches: list[tuple[str, str, str, int]] = []  # (overlay path, property, offset, phandle)
    for label in list(fixups.props) if fixups is not None else []:
        refs = fixups.strings(label) or []  # type: ignore[union-attr]
        path = label if label.startswith("/") else systree.symbols.get(label)
        node = systree.node(path) if path else None
        if node is None:
            for ref in refs:
                npath, _, rest = ref.partition(":")
                prop = rest.partition(":")[0]
                loc = ov.prop_loc(npath, prop)
                rule = "cpu-unknown" if prop in ("cpus",) else "ref-unresolved"
                mpath = npath.replace(over.path, hyp.path, 1)
                diags.append(_err(rule, f"'{prop}' of {mpath} references '&{label}', which the system "
                                        "does not define", loc,
                                  "use a label of the board or system (see dts/boards/*.dts)"))
            continue
        ph = struct.unpack(">I", node.props["phandle"])[0] if len(node.props.get("phandle", b"")) == 4 else None
        if ph is None:
            ph = next_ph
            next_ph += 1
            added[ph] = node
        for ref in refs:
            npath, _, rest = ref.partition(":")
            prop, _, off = rest.partition(":")
            patches.append((npath, prop, off, ph))
    if diags:
        return None, diags
    cell = over.children[0]
    bad = _merge_cell(otree, cell, patches, next_ph - 1)
    if bad:
        return None, [_err("overlay-structure", f"cannot apply the overlay: {bad}", Loc(ov.path), hint)]
    cell_path = hyp.path.rstrip("/") + "/" + cell_name
    sub_paths, sub_phandles = _graft(cell, dtree.Node(hyp.name, hyp.path), cell_path)
    # phandles of the cell's references point into the system, which the overlay cannot change
    by_phandle = dict(systree.by_phandle)
    by_phandle.update(added)
    by_phandle.update(sub_phandles)
    merged = dtree.Tree(cell, {**systree.by_path, **sub_paths}, by_phandle, systree.symbols)
    return CellSource(ov, merged, cell_path, over.path + "/" + cell.name), []


def _put_u32(node: dtree.Node, prop: str, off: str, fn) -> Optional[str]:  # type: ignore[no-untyped-def]
    """Rewrite the u32 at byte `off` of a property with fn(old); the problem if there is none."""
    val = node.props.get(prop)
    if val is None or not off.isdigit() or int(off) + 4 > len(val):
        return f"no 32-bit cell at offset {off} of '{prop}' in {node.path}"
    o = int(off)
    old = struct.unpack_from(">I", val, o)[0]
    node.props[prop] = val[:o] + struct.pack(">I", fn(old) & 0xFFFFFFFF) + val[o + 4:]
    return None


def _merge_cell(otree: dtree.Tree, cell: dtree.Node, patches: list[tuple[str, str, str, int]],
                delta: int) -> Optional[str]:
    """What fdt_overlay_apply does to an overlay, in linear time: phandles the overlay defines
    move above the system's (`delta`), local references (__local_fixups__) follow them, external
    references (__fixups__) become the system's phandles. Returns the problem, if any."""
    stack = [cell]
    while stack:
        n = stack.pop()
        for prop in ("phandle", "linux,phandle"):
            if prop in n.props and _put_u32(n, prop, "0", lambda v: v + delta):
                return f"malformed {prop} in {n.path}"
        stack.extend(n.children)
    local = otree.node("/__local_fixups__")
    todo = [(local, "")] if local is not None else []
    while todo:
        fx, rel = todo.pop()
        target = otree.node(rel or "/")
        if target is None:
            return f"__local_fixups__ names {rel}, which the overlay lacks"
        for prop, raw in fx.props.items():
            for i in range(0, len(raw) - len(raw) % 4, 4):
                problem = _put_u32(target, prop, str(struct.unpack_from(">I", raw, i)[0]), lambda v: v + delta)
                if problem:
                    return problem
        todo.extend((c, rel + "/" + c.name) for c in fx.children)
    for npath, prop, off, ph in patches:
        node = otree.node(npath)
        problem = _put_u32(node, prop, off, lambda _v, ph=ph: ph) if node is not None else f"no node {npath}"
        if problem:
            return problem
    return None


def _graft(cell: dtree.Node, parent: dtree.Node, cell_path: str) -> tuple[dict[str, dtree.Node],
                                                                          dict[int, dtree.Node]]:
    """Move the overlay's cell node under the system's hypervisor node (paths rewritten);
    returns its subtree by path and by phandle."""
    cell.parent = parent
    by_path: dict[str, dtree.Node] = {}
    by_phandle: dict[int, dtree.Node] = {}
    stack = [(cell, cell_path)]
    while stack:
        n, path = stack.pop()
        n.path = path
        by_path[path] = n
        ph = n.props.get("phandle")
        if ph is not None and len(ph) == 4:
            by_phandle[struct.unpack(">I", ph)[0]] = n
        stack.extend((c, path + "/" + c.name) for c in n.children)
    return by_path, by_phandle
