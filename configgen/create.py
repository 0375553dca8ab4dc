"""`configgen create`: a system .dts for the machine it runs on, or for a snapshot of one.

x86 (a machine with ACPI tables and no device tree, or --arch x86): configgen/create_x86.py.
Inputs under ROOT (default /): sys/firmware/fdt (else the proc/device-tree directory, read with
`dtc -I fs`), proc/iomem (as root: addresses are zeros otherwise) and
sys/devices/system/cpu/online.  The hypervisor is carved from the top of the highest System RAM
range, the pool for non-root cells right below it (reserved no-map, owned by root); everything
else goes to the root cell.  The text comes from the Jinja2 template templates/system.dts.j2.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import jinja2

from configgen import arch
from configgen.diag import InputError
from configgen.inputs import BLOB_LIMIT, read_bounded, run_tool
from configgen.tree import Node, Tree, load, translate_reg

TEMPLATES = Path(__file__).resolve().parent / "templates"
_DROP_CHOSEN = ("kaslr-seed", "rng-seed", "linux,initrd-start", "linux,initrd-end", "bootargs",
                "linux,elfcorehdr", "linux,usable-memory-range")
_SIZE = re.compile(r"(?i)^\s*(0x[0-9a-f]+|\d+)\s*([kmg]i?b?)?\s*$")


def parse_size(text: str, what: str) -> int:
    m = _SIZE.match(text)
    if not m:
        raise InputError(f"{what}: '{text}' is not a size (e.g. 8M, 120M, 1G, 0x800000)")
    n = int(m.group(1), 0)
    unit = (m.group(2) or "").lower()[:1]
    return n << {"": 0, "k": 10, "m": 20, "g": 30}[unit]


@dataclass
class IomemEntry:
    start: int
    end: int  # inclusive, as printed
    name: str
    depth: int


def parse_iomem(text: str, where: str) -> list[IomemEntry]:
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = re.match(r"^(\s*)([0-9a-fA-F]+)-([0-9a-fA-F]+)\s*:\s*(.*)$", line)
        if not m:
            raise InputError(f"{where}:{i}: not an iomem line: {line.strip()[:60]!r}")
        out.append(IomemEntry(int(m.group(2), 16), int(m.group(3), 16), m.group(4).strip(), len(m.group(1)) // 2))
    if out and all(e.start == 0 and e.end == 0 for e in out):
        raise InputError(f"{where}: every address reads 0: read /proc/iomem as root")
    return out


def parse_cpulist(text: str) -> list[int]:
    out: list[int] = []
    for part in text.strip().split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            raise ValueError(part)
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def _read(path: Path) -> bytes:
    return read_bounded(str(path), "file", BLOB_LIMIT)


def read_dtb(root: Path) -> tuple[bytes, str]:
    fdt, fs = root / "sys/firmware/fdt", root / "proc/device-tree"
    if fdt.is_file():
        return _read(fdt), str(fdt)
    if fs.is_dir():
        r = run_tool(["dtc", "-q", "-I", "fs", "-O", "dtb", str(fs)])
        if r.returncode:
            raise InputError(f"dtc cannot read {fs}: {r.stderr.decode(errors='replace').strip()}")
        return r.stdout, str(fs)
    raise InputError(f"no device tree under {root}: neither {fdt} nor {fs}")


# ------------------------------------------------------------------------ the board as DTS

def _printable_strings(v: bytes) -> Optional[list[str]]:
    if not v or v[-1] != 0 or b"\0\0" in v or v[0] == 0:
        return None
    try:
        s = v[:-1].decode("ascii")
    except UnicodeDecodeError:
        return None
    if not all(32 <= ord(c) < 127 for c in s.replace("\0", "")):
        return None
    return s.split("\0")


def prop_value(name: str, v: bytes) -> str:
    if not v:
        return ""
    if not name.startswith("#") and name not in ("reg", "phandle", "ranges", "interrupts"):
        strs = _printable_strings(v)
        if strs is not None and (len(v) % 4 or len(strs) > 1 or len(strs[0]) >= 2):
            return ", ".join('"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"' for s in strs)
    if len(v) % 4 == 0:
        return "<" + " ".join(f"{int.from_bytes(v[i:i + 4], 'big'):#x}" for i in range(0, len(v), 4)) + ">"
    return "[" + " ".join(f"{b:02x}" for b in v) + "]"


def _ident(s: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_]", "_", s)
    return s if re.match(r"[A-Za-z_]", s) else "n_" + s


def assign_labels(t: Tree) -> dict[str, str]:
    """path -> label: the DTB's own (__symbols__), else cpuN, gic, its, uartN, rtc, NAME_ADDR."""
    labels: dict[str, str] = {}
    used: set[str] = set()

    def give(path: str, label: str) -> None:
        if path in labels:
            return
        base, n = _ident(label), 1
        label = base
        while label in used:
            n += 1
            label = f"{base}_{n}"
        labels[path] = label
        used.add(label)

    for label, path in t.symbols.items():
        give(path, label)
    cpus = t.node("/cpus")
    for i, c in enumerate([c for c in (cpus.children if cpus else []) if c.string("device_type") == "cpu"]):
        give(c.path, f"cpu{i}")
    counters: dict[str, int] = {}
    for n in t.root.walk():
        if n.path == "/" or n.path.startswith(("/__", "/cpus")):
            continue
        compat = n.compatible
        if "arm,gic-v3" in compat:
            give(n.path, "gic")
        elif "arm,gic-v3-its" in compat:
            give(n.path, "its")
        elif "arm,pl011" in compat or "ns16550a" in compat:
            k = counters.get("uart", 0)
            counters["uart"] = k + 1
            give(n.path, f"uart{k}")
        elif "arm,pl031" in compat:
            give(n.path, "rtc")
        elif "pci-host-ecam-generic" in compat:
            give(n.path, "pcie")
        elif "reg" in n.props or n.has("phandle"):
            give(n.path, n.name.replace("@", "_"))
    return labels


def board_data(t: Tree, labels: dict[str, str], pool: Optional[tuple[int, int]],
               extra_memory: list[tuple[int, int]]) -> dict:
    def conv(n: Node) -> dict:
        d: dict = {"name": n.name, "label": labels.get(n.path), "props": [], "children": [], "comments": []}
        for k, v in n.props.items():
            if n.path == "/chosen" and k in _DROP_CHOSEN:
                continue
            d["props"].append({"name": k, "value": prop_value(k, v)})
        return d

    root = conv(t.root)
    todo = [(t.root, root)]  # iterative: a device tree may nest deeper than Python recurses
    while todo:
        n, d = todo.pop()
        for c in n.children:
            if not c.path.startswith("/__"):
                d["children"].append(conv(c))
                todo.append((c, d["children"][-1]))
    ac, sc = t.root.cells("#address-cells", 2), t.root.cells("#size-cells", 1)

    def reg(start: int, size: int) -> str:
        cells = [start >> 32, start & 0xFFFFFFFF][-ac:] + [size >> 32, size & 0xFFFFFFFF][-sc:]
        return "<" + " ".join(f"{c:#x}" for c in cells) + ">"

    for a, e in extra_memory:
        root["children"].append({"name": f"memory@{a:x}", "label": None, "children": [],
                                 "comments": ["from /proc/iomem System RAM: the device tree has no memory nodes "
                                              "(UEFI boot)"],
                                 "props": [{"name": "device_type", "value": '"memory"'},
                                           {"name": "reg", "value": reg(a, e - a)}]})
    if pool is not None:
        res = next((c for c in root["children"] if c["name"] == "reserved-memory"), None)
        if res is None:
            ac, sc = t.root.cells("#address-cells", 2), t.root.cells("#size-cells", 1)
            res = {"name": "reserved-memory", "label": None, "comments": [], "children": [], "props": [
                {"name": "#address-cells", "value": f"<{ac:#x}>"}, {"name": "#size-cells", "value": f"<{sc:#x}>"},
                {"name": "ranges", "value": ""}]}
            root["children"].append(res)
        rn = t.node("/reserved-memory")
        ac = rn.cells("#address-cells", 2) if rn else t.root.cells("#address-cells", 2)
        sc = rn.cells("#size-cells", 1) if rn else t.root.cells("#size-cells", 1)
        start, size = pool[0], pool[1] - pool[0]
        cells = [start >> 32, start & 0xFFFFFFFF][-ac:] + [size >> 32, size & 0xFFFFFFFF][-sc:]
        res["children"].append({"name": f"cell-pool@{start:x}", "label": "cell_pool", "children": [],
                                "comments": ["memory for non-root cells: never used by root Linux"],
                                "props": [{"name": "reg", "value": "<" + " ".join(f"{c:#x}" for c in cells) + ">"},
                                          {"name": "no-map", "value": ""}]})
    return root


def board_lines(root: dict) -> list[dict]:
    """The nested board data as the template's flat list of lines (kind open, comment, prop,
    blank or close, with the indentation), built iteratively: a blank line before each child."""
    out: list[dict] = []
    stack: list[tuple[str, dict, int]] = [("node", root, 0)]  # (what, node, depth)
    while stack:
        what, n, depth = stack.pop()
        ind = "\t" * depth
        if what != "node":
            out.append({"kind": what, "ind": ind})
            continue
        out.append({"kind": "open", "ind": ind, "label": n["label"], "name": n["name"]})
        out += [{"kind": "comment", "ind": ind, "text": c} for c in n["comments"]]
        out += [{"kind": "prop", "ind": ind, "name": p["name"], "value": p["value"]} for p in n["props"]]
        stack.append(("close", n, depth))
        for c in reversed(n["children"]):
            stack += [("node", c, depth + 1), ("blank", c, 0)]
    return out


# ------------------------------------------------------------------------------ the plan

@dataclass
class PlanRow:
    start: int
    end: int
    what: str

    @property
    def size(self) -> int:
        return self.end - self.start

    @property
    def size_text(self) -> str:
        from configgen.memmap import human
        return human(self.size)


@dataclass
class Plan:
    hyp: tuple[int, int]
    pool: Optional[tuple[int, int]]
    root_ram: list[tuple[int, int]]
    rows: list[PlanRow] = field(default_factory=list)


def plan_memory(ram: list[tuple[int, int]], hyp_size: int, cell_size: int,
                prof: Optional[arch.Profile] = None) -> Plan:
    """ram: (start, end-exclusive) System RAM ranges; carved on the profile's block boundaries
    (default profile: arm64, 2 MiB block mappings)."""
    from configgen.memmap import human
    prof = prof or arch.by_name(arch.DEFAULT)
    ALIGN = max(prof.block_size, prof.hv_mem_align)
    for what, v in (("--hypervisor-size", hyp_size), ("--cell-size", cell_size)):
        if v % ALIGN:
            raise InputError(f"{what} must be a multiple of {human(ALIGN)} (block mappings), got {v:#x}")
    if hyp_size <= 0:
        raise InputError("--hypervisor-size must not be 0")
    ram = sorted(ram)
    if not ram:
        raise InputError("no System RAM found")
    carve = hyp_size + cell_size
    fits = [i for i, (a, e) in enumerate(ram) if (e & ~(ALIGN - 1)) - carve >= a + ALIGN]
    if not fits:
        big = max(ram, key=lambda r: r[1] - r[0])
        raise InputError(f"no RAM range is large enough for {hyp_size:#x} of hypervisor and {cell_size:#x} of cell "
                         f"memory (largest: {big[0]:#x}-{big[1] - 1:#x}); the highest RAM range "
                         f"{ram[-1][0]:#x}-{ram[-1][1] - 1:#x} is too small")
    k = fits[-1]  # the highest range that fits
    top_start, top_end = ram[k][0], ram[k][1] & ~(ALIGN - 1)
    hyp = (top_end - hyp_size, top_end)
    pool = (hyp[0] - cell_size, hyp[0]) if cell_size else None
    low = pool[0] if pool else hyp[0]
    root_ram = ram[:k] + [(top_start, low)] + ram[k + 1:]
    rows = [PlanRow(a, e, "root Linux") for a, e in root_ram]
    if pool:
        rows.append(PlanRow(pool[0], pool[1], "pool for non-root cells (reserved no-map, owned by root)"))
    rows.append(PlanRow(hyp[0], hyp[1], "hypervisor"))
    if ram[k][1] > top_end:
        rows.append(PlanRow(top_end, ram[k][1], "left unused (alignment)"))
    rows.sort(key=lambda r: r.start)
    root_ram = [(a, e) for a, e in root_ram if e > a]
    return Plan(hyp, pool, root_ram, rows)


def _gic_lines(t: Tree, prof: arch.Profile) -> int:
    """From the highest SPI any node's interrupts name (decoded through their controllers)."""
    top = 0
    for n in t.root.walk():
        if n.has("interrupts") or n.has("interrupts-extended"):
            top = max([top] + [i.intid for i in prof.device_irqs(n, t).irqs if i.kind == "spi"])
    return max(64, (top // 32 + 1) * 32)


def is_acpi_machine(root: Path) -> bool:
    """No device tree but ACPI tables: a PC (x86), whose board part create writes itself."""
    return (not (root / "sys/firmware/fdt").is_file() and not (root / "proc/device-tree").is_dir()
            and (root / "sys/firmware/acpi/tables/APIC").is_file())


def generate(root_dir: str, hyp_size: int, cell_size: int, gic_lines: int,
             arch_name: Optional[str] = None, hyp_addr: Optional[int] = None) -> tuple[str, list[str]]:
    root = Path(root_dir)
    if root.is_file():  # a snapshot archive (jailhouse config collect FILE.tar)
        from configgen import snapshot
        with snapshot.unpacked(root) as tree:
            text, notes = generate(str(tree), hyp_size, cell_size, gic_lines, arch_name, hyp_addr)
            # name the archive, not the temporary directory, in the output and the notes
            return (text.replace(str(tree), root_dir),
                    [n.replace(str(tree), root_dir) for n in notes])
    if not root.is_dir():
        raise InputError(f"--root {root_dir}: no such directory or snapshot archive")
    if arch_name == "x86" or (arch_name is None and is_acpi_machine(root)):
        from configgen import create_x86
        return create_x86.generate(root, hyp_size, cell_size, hyp_addr)
    if hyp_addr is not None:
        raise InputError("--hypervisor-address: x86 only (arm64 carves the hypervisor from the top of RAM)")
    dtb, src = read_dtb(root)
    try:
        t = load(dtb)
    except Exception as e:  # libfdt rejects the blob
        raise InputError(f"{src}: not a valid device tree blob ({e})") from None
    prof = arch.select(t, arch_name)
    notes: list[str] = []
    iomem_path = root / "proc/iomem"
    ram: list[tuple[int, int]] = []
    if iomem_path.is_file():
        entries = parse_iomem(_read(iomem_path).decode(errors="replace"), str(iomem_path))
        ram = [(e.start, e.end + 1) for e in entries if e.depth == 0 and e.name == "System RAM"]
    else:
        notes.append(f"note: {iomem_path} missing: RAM taken from the device tree's memory nodes")
    dt_ram = [(a, a + sz) for n in t.root.children if n.string("device_type") == "memory"
              for a, sz in translate_reg(n) or []]
    extra_memory: list[tuple[int, int]] = []
    if not ram:
        ram = dt_ram
    elif not dt_ram:
        extra_memory = ram
        notes.append("note: the device tree has no memory nodes (UEFI boot?): added from /proc/iomem")
    plan = plan_memory(ram, hyp_size, cell_size, prof)
    labels = assign_labels(t)
    cpus_node = t.node("/cpus")
    cpu_paths = [c.path for c in (cpus_node.children if cpus_node else []) if c.string("device_type") == "cpu"]
    if not cpu_paths:
        raise InputError(f"{src}: the device tree has no /cpus/cpu nodes")
    online_path = root / "sys/devices/system/cpu/online"
    online = list(range(len(cpu_paths)))
    if online_path.is_file():
        try:
            online = parse_cpulist(_read(online_path).decode(errors="replace"))
        except ValueError:
            raise InputError(f"{online_path}: not a CPU list") from None
        offline = [i for i in range(len(cpu_paths)) if i not in online]
        if offline:
            notes.append(f"note: CPUs {offline} are offline: left out of the root cell "
                         "(jailhouse enable needs every root CPU online)")
    root_cpus = [labels[p] for i, p in enumerate(cpu_paths) if i in online]
    # debug console: /chosen stdout-path, if the hypervisor drives it (arm64: a PL011)
    debug_console = None
    chosen = t.node("/chosen")
    sp = (chosen.string("stdout-path") or "") if chosen else ""
    sp = sp.split(":", 1)[0]
    aliases = t.node("/aliases")
    if sp and not sp.startswith("/") and aliases is not None:
        sp = aliases.string(sp) or ""
    con = t.node(sp) if sp else None
    if con is not None and prof.console_type(con) is not None:
        debug_console = labels.get(con.path)
    else:
        kinds = " or ".join(name.upper() for _, name, _ in prof.console_types)
        notes.append(f"note: /chosen stdout-path is no {kinds} UART: no debug console")
    why = "from the device tree's highest SPI; pass --gic-lines with GICD_TYPER's count to give root all SPIs"
    if gic_lines:
        if gic_lines % 32 or not 64 <= gic_lines <= prof.num_intids:
            raise InputError(f"--gic-lines {gic_lines}: a multiple of 32 in 64..{prof.num_intids}")
        why = "given on the command line"
    else:
        gic_lines = _gic_lines(t, prof)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    env.globals["cells"] = lambda v: f"{v >> 32:#x} {v & 0xFFFFFFFF:#x}"
    root_ram = [{"name": "linux-ram" if i == 0 else f"linux-ram{i}", "start": a, "size": e - a}
                for i, (a, e) in enumerate(plan.root_ram)]
    if plan.pool:
        root_ram.append({"name": "cell-pool", "start": plan.pool[0], "size": plan.pool[1] - plan.pool[0],
                         "cell_pool": True})
    shown_labels = sorted(set(labels.values()) - set(t.symbols))
    text = env.get_template("system.dts.j2").render(
        source=f"{src}, {iomem_path}" if iomem_path.is_file() else src, plan=plan.rows,
        labels=shown_labels[:12] + (["..."] if len(shown_labels) > 12 else []),
        notes=[n.removeprefix("note: ") for n in notes] + ["/chosen: boot-time properties (bootargs, initrd, "
                                                          "seeds) dropped; the boot loader sets them."],
        board=board_lines(board_data(t, labels, plan.pool, extra_memory)), hyp={"start": plan.hyp[0], "size": plan.hyp[1] - plan.hyp[0]},
        debug_console=debug_console, gic_lines=gic_lines, gic_lines_why=why, root_name="root-linux",
        root_cpus=root_cpus, root_ram=root_ram)
    return text, notes
