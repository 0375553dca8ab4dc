"""Cell overlays: structure checks, reference resolution and application with libfdt."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Optional

import libfdt

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


def _skeleton(target: str, phandles: dict[str, int], labels: dict[str, str], max_ph: int,
              extra: int) -> bytearray:
    fdt = libfdt.Fdt.create_empty_tree(4096 + 2 * extra + 256 * (len(phandles) + len(labels)))

    def ensure(path: str) -> int:
        off = 0
        for part in [p for p in path.split("/") if p]:
            nxt = fdt.subnode_offset(off, part, (libfdt.NOTFOUND,))
            off = nxt if nxt >= 0 else fdt.add_subnode(off, part)
        return off

    ensure(target)
    for path, ph in phandles.items():
        fdt.setprop_u32(ensure(path), "phandle", ph)
    if max_ph not in phandles.values():
        fdt.setprop_u32(ensure("/__configgen_max_phandle__"), "phandle", max_ph)
    if labels:
        sym = ensure("/__symbols__")
        for label, path in labels.items():
            fdt.setprop_str(sym, label, path)
    return fdt.as_bytearray()


def _restore_order(merged: Optional[dtree.Node], source: dtree.Node) -> None:
    """libfdt adds overlay subnodes in front of their siblings; put them back in source order.
    Iterative: an overlay may nest nodes deeper than Python's recursion limit."""
    stack: list[tuple[Optional[dtree.Node], dtree.Node]] = [(merged, source)]
    while stack:
        m, src = stack.pop()
        if m is None:
            continue
        rank = {c.name: i for i, c in enumerate(src.children)}
        m.children.sort(key=lambda c: rank.get(c.name, -1))
        by_name = {c.name: c for c in m.children}
        stack.extend((by_name.get(c.name), c) for c in src.children)


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
                           Loc(system.path))]
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

    # Reject unresolved labels with a location before libfdt does it without one; resolve
    # path references (<&{/cpus/cpu@1}>) ourselves since libfdt only knows labels.
    obuf = bytearray(ov.dtb)
    ofdt = libfdt.Fdt(obuf)
    next_ph = max(systree.by_phandle, default=0) + 1
    added: dict[int, dtree.Node] = {}
    phandles: dict[str, int] = {}  # path -> phandle of every system node the overlay needs
    labels: dict[str, str] = {}  # label -> path, for the skeleton's __symbols__
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
        phandles[node.path] = ph
        if not label.startswith("/"):
            labels[label] = node.path
            continue
        for ref in refs:
            npath, prop, off = ref.split(":")
            noff = ofdt.path_offset(npath)
            val = bytearray(ofdt.getprop(noff, prop))
            val[int(off):int(off) + 4] = struct.pack(">I", ph)
            ofdt.setprop(noff, prop, bytes(val))
        ofdt.delprop(ofdt.path_offset("/__fixups__"), label)
    if diags:
        return None, diags
    obuf = ofdt.as_bytearray()
    # libfdt applies the overlay to a skeleton of the system: the target node, every node the
    # overlay references (same path and phandle) and the system's highest phandle. The cell
    # node that results is the same as on the full tree, at a fraction of the cost.
    base = _skeleton(hyp.path, phandles, labels, next_ph - 1, len(obuf))
    rc = libfdt.fdt_overlay_apply(base, obuf)
    if rc != 0:
        return None, [_err("overlay-structure", f"libfdt cannot apply the overlay: {libfdt.fdt_strerror(rc)}",
                           Loc(ov.path))]
    cell_path = hyp.path.rstrip("/") + "/" + cell_name
    sub = dtree.load(bytes(base), cell_path)
    # phandles of the cell's references point into the system, which the overlay cannot change
    by_phandle = dict(systree.by_phandle)
    by_phandle.update(added)
    by_phandle.update(sub.by_phandle)
    merged = dtree.Tree(sub.root, {**systree.by_path, **sub.by_path}, by_phandle, systree.symbols)
    _restore_order(merged.node(cell_path), over.children[0])
    return CellSource(ov, merged, cell_path, over.children[0].path), []
