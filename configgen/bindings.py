"""YAML bindings (docs/bindings/*.yaml) and the node checker: unknown property, wrong type,
missing required property, unknown node in the hypervisor's namespace."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Protocol

import yaml

from configgen.diag import ERROR, Diagnostic, InputError, Loc
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


def _schema(name: str, data: dict, directory: Path) -> Schema:
    props = data.get("properties") or {}
    if not isinstance(props, dict):
        raise InputError(f"binding {name}: 'properties' must be a mapping")
    for pname, spec in props.items():
        if not isinstance(spec, dict) or spec.get("type") not in TYPES:
            raise InputError(f"binding {name}: property {pname} has no valid type")
    child = None
    if data.get("include-child-binding"):
        cname = data["include-child-binding"]
        child = _schema(cname, _read(directory / cname), directory)
    return Schema(name, props, bool(data.get("additional-properties", True)), child)


def _read(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as e:
        raise InputError(f"cannot read binding {path}: {e}") from None
    if not isinstance(data, dict):
        raise InputError(f"binding {path} is not a mapping")
    return data


def load(directory: Optional[str] = None) -> Bindings:
    d = Path(directory) if directory else DEFAULT_DIR
    if not d.is_dir():
        raise InputError(f"bindings directory {d} not found (use --bindings DIR)")
    b = Bindings()
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".yaml") or fn.startswith("_"):
            continue
        data = _read(d / fn)
        sch = _schema(fn, data, d)
        if "compatible" in data:
            b.by_compatible[str(data["compatible"])] = sch
        elif "device-type" in data:
            b.by_device_type[str(data["device-type"])] = sch
        else:
            raise InputError(f"binding {fn} names neither compatible nor device-type")
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
    for node in nodes:
        schema = b.for_node(node)
        in_ns = ns_prefix is not None and (node is namespace or node.path.startswith(ns_prefix))
        if schema is None and in_ns and node.parent is not None and not node.compatible:
            pschema = b.for_node(node.parent)
            if pschema is not None and pschema.child is not None:
                schema = pschema.child
        if schema is None:
            if in_ns:
                out.append(Diagnostic(ERROR, "binding-unknown-node",
                                      f"{node.path}: no binding for this node "
                                      f"(compatible {', '.join(node.compatible) or 'missing'})",
                                      loc.node_loc(node.path),
                                      "hypervisor nodes need compatible \"hv,root-cell\" or \"hv,cell\"; "
                                      "children of a cell are memory regions"))
            continue
        out.extend(check_node(node, schema, loc))
    return out
