"""Links and link ends in dump and decompile (configgen/show.py).

A blob does not record the peers' cell names: decompile names the root after the root cell at
its peer id and the other peers "peerN"; every cell's ends are written raw (ivshmem-ends), so
nothing is derived again. The root's cell-pool regions that the links' memory cut apart are
joined back over the links between them (compiling splits them at the same places)."""
from __future__ import annotations

import re
from typing import Any

from configgen import abi
from configgen.blob import Parsed, ParsedCell
from configgen.links import PROTOCOLS, RAW_PROP

_NODE_NAME = re.compile(r"[A-Za-z0-9,._+-]{1,31}")
_PROTOCOL_NAMES = {v: k for k, v in PROTOCOLS.items()}


class LinkNotRepresentable(Exception):
    pass


def _dts_string(text: str) -> str:
    """A DTS string literal (quotes and backslashes escaped), as show.py writes cell names."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _size(f: dict[str, Any]) -> int:
    return f["state_size"] + f["rw_size"] + f["out_size"] * f["num_peers"]


def end_text(e: dict[str, int]) -> str:
    bdf = e["bdf"]
    return (f"link {e['link']} peer {e['peer_id']} {bdf >> 8:02x}:{bdf >> 3 & 31:02x}.{bdf & 7} irq {e['irq']} "
            f"bar0 {e['bar0']:#x} at {e['guest_start']:#x}")


def dump_lines(p: Parsed) -> list[str]:
    out = [f"ivshmem links:    {len(p.links)}"]
    for i, ln in enumerate(p.links):
        f = ln.fields
        proto = _PROTOCOL_NAMES.get(f["protocol"], "user" if f["protocol"] >= abi.IVSHMEM_PROTO_USER_FIRST else "?")
        out.append(f"  {i} {ln.name}: {f['phys_start']:#x} size {_size(f):#x} (state {f['state_size']:#x}, "
                   f"rw {f['rw_size']:#x}, output {f['out_size']:#x} x {f['num_peers']} peers), "
                   f"protocol {f['protocol']:#06x} ({proto})")
    return out


def check_ends(c: ParsedCell, what: str) -> None:
    key = [(e["link"], e["peer_id"]) for e in c.ends]
    if key != sorted(set(key)):
        raise LinkNotRepresentable(f"{what}: link ends not in the order configgen writes them")


def check_links(p: Parsed) -> None:
    for ln in p.links:
        if not _NODE_NAME.fullmatch(ln.name):
            raise LinkNotRepresentable(f"link name {ln.name!r} is no device-tree node name")
    names = [ln.name for ln in p.links]
    if len(set(names)) != len(names):
        raise LinkNotRepresentable("two links with one name")


def raw_ends(c: ParsedCell, indent: str) -> list[str]:
    if not c.ends:
        return []
    vals = " ".join(f"{e['link']} {e['peer_id']} {e['bdf']:#x} {e['irq']} {e['bar0']:#x} "
                    f"{e['guest_start'] >> 32:#x} {e['guest_start'] & 0xFFFFFFFF:#x}" for e in c.ends)
    return [f"{indent}{RAW_PROP} = <{vals}>;"]


def _peers(p: Parsed, index: int) -> list[str]:
    n = p.links[index].fields["num_peers"]
    root = p.cell.name
    names = [f"peer{i}" for i in range(n)]
    for e in p.cell.ends:
        if e["link"] == index and e["peer_id"] < n:
            names[e["peer_id"]] = root
    return [nm if nm == root or nm not in names[:i] + [root] else f"{nm}-" for i, nm in enumerate(names)]


def link_nodes(p: Parsed, indent: str) -> list[str]:
    if not p.links:
        return []
    out = ["", f"{indent}links {{"]
    for i, ln in enumerate(p.links):
        f = ln.fields
        peers = ", ".join(_dts_string(n) for n in _peers(p, i))
        proto = _PROTOCOL_NAMES.get(f["protocol"])
        out += [f"{indent}\t{ln.name} {{", f'{indent}\t\tcompatible = "hv,ivshmem-link";',
                f"{indent}\t\tpeers = {peers};",
                f'{indent}\t\tprotocol = "{proto}";' if proto else f"{indent}\t\tprotocol = <{f['protocol']:#x}>;",
                f"{indent}\t\tphysical-address = /bits/ 64 <{f['phys_start']:#x}>;",
                f"{indent}\t\tstate-table-size = /bits/ 64 <{f['state_size']:#x}>;",
                f"{indent}\t\trw-section-size = /bits/ 64 <{f['rw_size']:#x}>;",
                f"{indent}\t\toutput-section-size = /bits/ 64 <{f['out_size']:#x}>;", f"{indent}\t}};"]
    return out + [f"{indent}}};"]


def joined_pool(p: Parsed, regions: list[dict[str, int]]) -> list[dict[str, int]]:
    """The root's regions with each run "pool piece, link, (link...), pool piece" joined into one
    pool region again (links at either end of a piece join it too); pieces that touch without a
    link between them stay apart, as the source had them."""
    links = [(ln.fields["phys_start"], ln.fields["phys_start"] + _size(ln.fields)) for ln in p.links
             if _size(ln.fields)]
    starts = {s: e for s, e in links}
    ends = {e: s for s, e in links}
    pool = [r for r in regions if r["flags"] & abi.MEM_CELL_POOL]
    out = [r for r in regions if not r["flags"] & abi.MEM_CELL_POOL]
    runs: list[tuple[int, int, int, dict[str, int]]] = []  # (start, end over links, own end, region)
    for r in sorted(pool, key=lambda r: r["phys_start"]):
        s, own = r["phys_start"], r["phys_start"] + r["size"]
        while s in ends:
            s = ends[s]
        e = own
        while e in starts:
            e = starts[e]
        if runs and runs[-1][3]["flags"] == r["flags"] and runs[-1][1] > runs[-1][2] and runs[-1][1] == r["phys_start"]:
            ps, _, _, pr = runs[-1]
            runs[-1] = (ps, e, own, pr)
            continue
        runs.append((s, e, own, r))
    out += [{**r, "phys_start": s, "guest_start": s, "size": e - s} for s, e, _, r in runs]
    return sorted(out, key=lambda r: (r["guest_start"], r["phys_start"], r["size"], r["flags"]))
