"""YAML bindings (docs/bindings/*.yaml) and the node checker: unknown property, wrong type,
missing required property, unknown node in the hypervisor's namespace."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Protocol

import yaml

from configgen.diag import ERROR, Diagnostic, InputError, Invalid, Loc
from configgen.dtsource import display_path
from configgen.inputs import SOURCE_LIMIT, read_bounded
from configgen.tree import Node

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "docs" / "bindings"
TYPES = ("string", "string-array", "boolean", "uint32", "uint32-array", "uint64", "uint64-array",
         "phandle", "phandles", "reg", "any")
ALWAYS_ALLOWED = {"phandle", "linux,phandle", "status"}


class Locator(Protocol):
    def node_loc(self, path: str) -> Loc: ...

    def prop_loc(self, path: str, prop: str) -> Loc: ...


@dataclass
class Schema:
    name: str
    properties: dict[str, dict]
    additional: bool
    child: Optional["Schema"] = None


@dataclass
class Bindings:
    by_compatible: dict[str, Schema] = field(default_factory=dict)
    by_device_type: dict[str, Schema] = field(default_factory=dict)

    def for_node(self, node: Node) -> Optional[Schema]:
        for c in node.compatible:
            if c in self.by_compatible:
                return self.by_compatible[c]
        dt = node.string("device_type")
        if dt and dt in self.by_device_type:
            return self.by_device_type[dt]
        return None


MAX_NESTING = 64  # bindings nest 3 levels; libyaml recurses (and crashes) on very deep nesting
_HINT = "fix the binding (file format: docs/bindings/README.md)"


@dataclass(frozen=True)
class _File:
    name: str  # file name inside the bindings directory
    loc: str  # as displayed
    data: dict
    text: str


def _invalid(f: str, line: int, msg: str, hint: str = _HINT) -> Invalid:
    return Invalid([Diagnostic(ERROR, "binding-invalid", msg, Loc(f, line), hint)])


def _key_line(text: str, key: str, indented: bool = False) -> int:
    """Line of the first `key:` (indented: below the top level), 1 if not found."""
    m = re.search(r"^%s['\"]?%s['\"]?\s*:" % (r"[ \t]+" if indented else "", re.escape(key)), text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _too_deep(text: str) -> Optional[int]:
    """Line where flow brackets or indentation nest deeper than MAX_NESTING, checked before
    libyaml sees the text (a cheap over-estimate: brackets inside strings count too)."""
    depth = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        body = line.lstrip(" ")
        if len(line) - len(body) > 8 * MAX_NESTING:
            return lineno
        for ch in body:
            depth = depth + 1 if ch in "[{" else max(depth - 1, 0) if ch in "]}" else depth
            if depth > MAX_NESTING:
                return lineno
    return None


def _read(path: Path) -> _File:
    disp = display_path(str(path))
    raw = read_bounded(str(path), "binding", SOURCE_LIMIT, disp)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _invalid(disp, raw.count(b"\n", 0, e.start) + 1, "binding is not UTF-8 text",
                       "YAML files are UTF-8: re-encode it (iconv -t UTF-8)") from None
    deep = _too_deep(text)
    if deep is not None:
        raise _invalid(disp, deep, f"binding nests deeper than {MAX_NESTING} levels")
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise _invalid(disp, mark.line + 1 if mark else 1, f"invalid YAML: {what}") from None
    if not isinstance(data, dict):
        raise _invalid(disp, 1, "binding is not a YAML mapping", "a binding maps compatible:, properties: ...")
    return _File(path.name, disp, data, text)


def _chain(first: _File, directory: Path) -> list[_File]:
    """The binding and the child bindings it includes, one after the other (iteratively);
    an include that comes back to a file of the chain is an error."""
    chain = [first]
    while (inc := chain[-1].data.get("include-child-binding")) is not None:
        cur = chain[-1]
        line = _key_line(cur.text, "include-child-binding")
        if not isinstance(inc, str) or not inc.endswith(".yaml") or os.sep in inc or inc.startswith("."):
            raise _invalid(cur.loc, line, f"include-child-binding {inc!r} is not a .yaml file name",
                           "name a file of the bindings directory, e.g. _memory-region.yaml")
        names = [f.name for f in chain]
        if inc in names:
            raise _cycle(chain[names.index(inc):])
        if not (directory / inc).is_file():
            raise _invalid(cur.loc, line, f"include-child-binding {inc}: no such file in {display_path(str(directory))}",
                           "name a file of the bindings directory")
        chain.append(_read(directory / inc))
    return chain


def _cycle(files: list[_File]) -> Invalid:
    """The error for files[0] -> ... -> files[-1] -> files[0], told the same way whichever file of
    the cycle the chain started from (so it is reported once)."""
    k = min(range(len(files)), key=lambda i: files[i].name)
    rot = files[k:] + files[:k]
    last = rot[-1]
    cycle = " -> ".join([f.name for f in rot] + [rot[0].name])
    return _invalid(last.loc, _key_line(last.text, "include-child-binding"), f"include-child-binding cycle: {cycle}",
                    f"a binding must not include itself or a binding that includes it: remove "
                    f"include-child-binding from {last.name}")


def _one_schema(f: _File, child: Optional[Schema]) -> Schema:
    props = f.data.get("properties") or {}
    if not isinstance(props, dict):
        raise _invalid(f.loc, _key_line(f.text, "properties"), "'properties' must be a mapping")
    for pname, spec in props.items():
        if not isinstance(spec, dict) or spec.get("type") not in TYPES:
            raise _invalid(f.loc, _key_line(f.text, str(pname), indented=True),
                           f"property {pname} has no valid type", f"give it `type:` one of {', '.join(TYPES)}")
    additional = f.data.get("additional-properties", True)
    if not isinstance(additional, bool):
        raise _invalid(f.loc, _key_line(f.text, "additional-properties"), "additional-properties must be "
                       "true or false")
    return Schema(f.name, props, additional, child)


def _schema(first: _File, directory: Path) -> Schema:
    schema: Optional[Schema] = None
    for f in reversed(_chain(first, directory)):
        schema = _one_schema(f, schema)
    assert schema is not None
    return schema


def load(directory: Optional[str] = None) -> Bindings:
    """Every binding of the directory; InputError (exit 2) if unreadable, Invalid (exit 1, with
    diagnostics for every broken file) if a binding is malformed."""
    d = Path(directory) if directory else DEFAULT_DIR
    if not d.is_dir():
        raise InputError(f"bindings directory {d} not found", "give the directory with --bindings DIR")
    b = Bindings()
    diags: list[Diagnostic] = []
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".yaml") or fn.startswith("_"):
            continue
        try:
            f = _read(d / fn)
            sch = _schema(f, d)
            if "compatible" in f.data:
                b.by_compatible[str(f.data["compatible"])] = sch
            elif "device-type" in f.data:
                b.by_device_type[str(f.data["device-type"])] = sch
            else:
                raise _invalid(f.loc, 1, "binding names neither compatible nor device-type",
                               "add `compatible: VENDOR,DEVICE` (or `device-type: TYPE`)")
        except Invalid as e:
            diags += e.diags
    if diags:
        raise Invalid(list(dict.fromkeys(diags)))
    return b


def type_ok(node: Node, prop: str, typ: str) -> bool:
    v = node.props[prop]
    if typ == "any":
        return True
    if typ == "boolean":
        return len(v) == 0
    if typ in ("string", "string-array"):
        s = node.strings(prop)
        if not s or any(not x or not x.isprintable() for x in s):
            return False
        return typ == "string-array" or len(s) == 1
    if typ in ("uint32", "phandle"):
        return len(v) == 4
    if typ == "uint32-array":
        return len(v) > 0 and len(v) % 4 == 0
    if typ == "phandles":
        return len(v) > 0 and len(v) % 4 == 0
    if typ == "uint64":
        return len(v) == 8
    if typ == "uint64-array":
        return len(v) > 0 and len(v) % 8 == 0
    if typ == "reg":
        parent = node.parent
        if parent is None:
            return False
        cells = parent.cells("#address-cells", 2) + parent.cells("#size-cells", 1)
        return cells > 0 and len(v) > 0 and len(v) % (4 * cells) == 0
    return False


_TYPE_WORDS = {
    "string": "a single string", "string-array": "a list of strings", "boolean": "an empty (boolean) property",
    "uint32": "one 32-bit cell <n>", "uint32-array": "32-bit cells <a b ...>",
    "uint64": "one 64-bit value /bits/ 64 <n>", "uint64-array": "64-bit values /bits/ 64 <a b ...>",
    "phandle": "one reference <&label>", "phandles": "references <&a &b ...>",
    "reg": "address/size pairs per the parent's #address-cells/#size-cells",
}


def check_node(node: Node, schema: Schema, loc: Locator) -> list[Diagnostic]:
    out = []
    for pname, spec in schema.properties.items():
        if spec.get("required") and pname not in node.props:
            out.append(Diagnostic(ERROR, "binding-required",
                                  f"{node.path}: missing required property '{pname}' ({schema.name})",
                                  loc.node_loc(node.path), f"add `{pname}` ({_TYPE_WORDS[spec['type']]})"))
    for pname in node.props:
        spec = schema.properties.get(pname)
        if spec is None:
            if not schema.additional and pname not in ALWAYS_ALLOWED:
                known = ", ".join(sorted(schema.properties))
                out.append(Diagnostic(ERROR, "binding-unknown-property",
                                      f"{node.path}: unknown property '{pname}' ({schema.name})",
                                      loc.prop_loc(node.path, pname), f"known properties: {known}"))
            continue
        if not type_ok(node, pname, spec["type"]):
            out.append(Diagnostic(ERROR, "binding-type",
                                  f"{node.path}: property '{pname}' must be {_TYPE_WORDS[spec['type']]}",
                                  loc.prop_loc(node.path, pname), f"see docs/bindings/{schema.name}"))
    return out


def check_tree(nodes: Iterable[Node], b: Bindings, loc: Locator, namespace: Optional[Node]) -> list[Diagnostic]:
    """Check board nodes that have a binding, and every node of the hypervisor namespace."""
    out: list[Diagnostic] = []
    ns_prefix = namespace.path.rstrip("/") + "/" if namespace is not None else None
    unknown: set[int] = set()  # ids of unknown nodes: their subnodes are not reported again
    for node in nodes:
        if node.parent is not None and id(node.parent) in unknown:
            unknown.add(id(node))
            continue
        schema = b.for_node(node)
        in_ns = ns_prefix is not None and (node is namespace or node.path.startswith(ns_prefix))
        if schema is None and in_ns and node.parent is not None and not node.compatible:
            pschema = b.for_node(node.parent)
            if pschema is not None and pschema.child is not None:
                schema = pschema.child
        if schema is None:
            if in_ns:
                unknown.add(id(node))
                out.append(Diagnostic(ERROR, "binding-unknown-node",
                                      f"{node.path}: no binding for this node "
                                      f"(compatible {', '.join(node.compatible) or 'missing'})",
                                      loc.node_loc(node.path),
                                      "hypervisor nodes need compatible \"hv,root-cell\" or \"hv,cell\"; "
                                      "children of a cell are memory regions"))
            continue
        out.extend(check_node(node, schema, loc))
    return out
