"""The cells of a random partitioning (fuzzgen.py explains the scheme): CPUs, devices, comm page,
RAM from the pool, shared memory, raw I/O regions, SPIs, console, flags; then the overlay text,
with the source-level mistakes (syntax, references, structure, bindings) a wild choice makes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from fuzzgen import (BAD_DEVICE_LABELS, BOARD_SPIS, GIC_WINDOWS, IPA_LIMIT, MIB, PAGE, U64, Device, Draw, Node,
                     Space, cell_name, cells32, string, u64)
from fuzzsystem import Plan


@dataclass
class Shared:
    """A piece of pool RAM several cells map, each with `shared;`."""
    phys: int
    size: int
    members: set[int]


@dataclass
class CellState:
    index: int
    node: Node
    guest: Space = field(default_factory=lambda: Space(GIC_WINDOWS))
    uarts: list[Device] = field(default_factory=list)  # PL011s the cell maps
    spis: list[int] = field(default_factory=list)
    loadable: Optional[tuple[int, int]] = None  # guest start, size


def _page_round(s: int, n: int) -> tuple[int, int]:
    a = s // PAGE * PAGE
    return a, max(-(-(s + n) // PAGE) * PAGE - a, PAGE)


def _prop(node: Node, text: str) -> None:
    node.props.append(text)


# ------------------------------------------------------------------ CPUs and devices

def _cpus(d: Draw, plan: Plan, c: CellState, later: int) -> None:
    free = [i for i in plan.root_cpus if i not in plan.taken_cpus]
    most = len(free) - later - 1  # leave one for every later cell and one for the root
    chosen = d.rnd.sample(free, d.rnd.randint(1, most)) if most >= 1 else free[:1]
    if d.wild("cpu-conflict") and plan.taken_cpus:
        chosen.append(d.pick(sorted(plan.taken_cpus)))
    if d.wild("cpu-not-in-root"):
        chosen += [i for i in range(len(plan.cpus)) if i not in plan.root_cpus][:1]
    if d.wild("cpu-root-empty"):
        chosen = free
    plan.taken_cpus.update(chosen)
    if d.wild("cpu-none"):
        return
    if d.wild("cpu-unknown"):
        _prop(c.node, d.pick([f"cpu-indices = <{len(plan.cpus) + 3}>;", "cpus = <&uart0>;", "cpus = <&memory>;",
                              "cpus = <>;", "cpu-indices = <>;", "cpus = <0xffffffff>;"]))
        return
    chosen = sorted(set(chosen)) if d.chance(0.8) else chosen  # order and repeats do not matter
    if d.wild("binding-exclusive"):
        _prop(c.node, f"cpu-indices = {cells32(chosen)};")
    if d.chance(0.75):
        _prop(c.node, "cpus = <" + " ".join(f"&{plan.cpus[i][1]}" for i in chosen) + ">;")
    else:
        _prop(c.node, f"cpu-indices = {cells32(chosen)};")


def _usable(plan: Plan, dv: Device) -> bool:
    return dv.label in plan.root_mmio and dv.aligned and dv.enabled


def _devices(d: Draw, plan: Plan, c: CellState) -> None:
    excl: list[str] = []
    shared: list[str] = []
    for dv in plan.devices:
        if not _usable(plan, dv) or not d.chance(0.25):
            continue
        spis_ok = all(plan.spi_ok(s) and s not in plan.taken_spis for s in dv.spis)
        if dv.label not in plan.exclusive | plan.shared and spis_ok and d.chance(0.5):
            excl.append(dv.label)
            plan.exclusive.add(dv.label)
            plan.taken_spis.update(dv.spis)
        elif dv.label not in plan.exclusive and not dv.pci:
            shared.append(dv.label)
            plan.shared.add(dv.label)
        else:
            continue
        c.uarts += [dv] if dv.pl011 else []
        for s, n in dv.regs:
            c.guest.take(*_page_round(s, n))
    if d.wild("dev-bad"):
        excl.append(d.pick(BAD_DEVICE_LABELS + tuple(dv.label for dv in plan.devices)))
    if d.wild("dev-conflict") and plan.exclusive | plan.shared:
        excl.append(d.pick(sorted(plan.exclusive | plan.shared)))
    for prop, labels in (("devices", excl), ("shared-devices", shared)):
        if labels:
            _prop(c.node, f"{prop} = <" + " ".join(f"&{lb}" for lb in labels) + ">;")


# ------------------------------------------------------------------ memory

def _guest_for(d: Draw, c: CellState, phys: int, size: int) -> Optional[int]:
    """Identity when free (then no guest-address is written), else a free place in the 40-bit
    guest space: packed from 0, from 1 MiB or 1 GiB, anywhere, or right below the limit."""
    if d.chance(0.25) and phys + size <= IPA_LIMIT and c.guest.free(phys, size):
        c.guest.take(phys, size)
        return None
    if d.chance(0.05) and c.guest.free(IPA_LIMIT - size, size):
        c.guest.take(IPA_LIMIT - size, size)
        return IPA_LIMIT - size
    lo = d.pick([0, 0, 0x10_0000, 0x4000_0000, d.rnd.randrange(IPA_LIMIT) // PAGE * PAGE])
    align = d.pick([PAGE, PAGE, 2 * MIB])
    g = c.guest.place(d.rnd, size, lo, IPA_LIMIT, align)
    return g if g is not None else c.guest.place(d.rnd, size, 0, IPA_LIMIT)


def _region(d: Draw, plan: Plan, name: str, phys: Optional[int], guest: Optional[int], size: int,
            access: Optional[str], flags: list[str]) -> Node:
    props = []
    if phys is not None:
        props.append(f"physical-address = {u64(phys, plan.macro)};")
    if guest is not None:
        props.append(f"guest-address = {u64(guest, plan.macro)};")
    props.append(f"size = {u64(size, plan.macro)};")
    if access is not None:
        props.append(f"access = {string(access)};")
    return Node(name, props + [f"{f};" for f in flags])


def _comm(d: Draw, plan: Plan, c: CellState) -> None:
    if not d.chance(0.75):
        if d.chance(0.6):
            _prop(c.node, "passive-comm-region;")
        return
    g = 0x8000_0000 if c.guest.free(0x8000_0000, PAGE) else c.guest.place(d.rnd, PAGE, 0, IPA_LIMIT)
    if g is None:
        return
    c.guest.take(g, PAGE)
    size, phys, flags = PAGE, None, ["comm-region"]
    if d.wild("mem-comm-region"):
        size, phys, flags = d.pick([(2 * PAGE, None, flags), (PAGE, 0x4000_0000, flags),
                                    (PAGE, None, flags + ["loadable"]), (PAGE, None, flags + ["shared"])])
        if d.chance(0.3):
            c.node.children.append(_region(d, plan, "comm2", None, g + 2 * PAGE, PAGE, None, ["comm-region"]))
    c.node.children.append(_region(d, plan, d.pick(["comm", "comm-region", "mbox"]), phys, g, size,
                                   d.pick(["rw", "r", None]), flags))


def _ram_source(plan: Plan) -> list[tuple[int, int]]:
    return plan.pools or plan.root_ram


def _wild_phys(d: Draw, plan: Plan, phys: int, size: int) -> tuple[int, int]:
    """A RAM placement some memory rule refuses."""
    roots = sorted(plan.root_ram)
    seams = [a + n for (a, n), (b, _) in zip(roots, roots[1:]) if a + n == b]
    others = [s for s, _ in plan.cell_phys.used]
    non_pool = [s for s in plan.root_ram if s not in plan.pools]
    choices = [(phys + 0x800, size), (phys, size + 0x10), (plan.hyp[0], size), (0x3000_0000, size),
               (0x20_0000_0000, size), (U64 - PAGE, PAGE * 2), (phys, 0)]
    choices += [(s - PAGE, 2 * PAGE) for s in seams] + [(s, size) for s in others]
    choices += [(s[0], PAGE) for s in non_pool]
    return d.pick(choices)


def _ram(d: Draw, plan: Plan, c: CellState) -> None:
    """1-3 RAM regions from the pool; the first one loadable and executable."""
    for k in range(d.pick([1, 1, 2, 3])):
        size = d.pages(PAGE, 16 * MIB) if d.chance(0.8) else d.pick([PAGE, 2 * MIB, 64 * MIB])
        src = _ram_source(plan)
        if not src:
            return
        s, n = d.pick(src)
        phys = plan.cell_phys.place(d.rnd, size, s, s + n, d.pick([PAGE, PAGE, 2 * MIB]))
        if phys is None:
            size = PAGE
            phys = plan.cell_phys.place(d.rnd, size, s, s + n)
            if phys is None:
                continue
        if d.wild("mem-phys"):
            phys, size = _wild_phys(d, plan, phys, size)
        guest = _guest_for(d, c, phys, size)
        if d.wild("mem-guest"):
            guest = d.pick([IPA_LIMIT - PAGE, 0x800_0000, 0x900_0000 - PAGE, (guest or phys) + 0x10, U64 - PAGE,
                            0x8000_0000])
        flags, access = [], d.pick(["rw", "rwx", "r", None])
        if c.loadable is None:
            flags, access = ["loadable"], "rwx"
            c.loadable = (phys if guest is None else guest, size)
        flags += [f for f, p in (("preserved", 0.1), ("root-shared", 0.05), ("loadable", 0.1)) if d.chance(p)]
        if d.wild("mem-pool-invalid"):
            flags.append("cell-pool")
        if d.wild("binding-type"):
            access = d.pick(["wr", "rwxq", "RW"])
        c.node.children.append(_region(d, plan, f"ram{k}", phys, guest, size, access, list(dict.fromkeys(flags))))


def _many(d: Draw, plan: Plan, c: CellState) -> None:
    """Rarely, hundreds of adjacent page-sized regions (every one a node of the root DTB without a
    pool); when wild, more than the format allows."""
    if d.wild("limit-regions") and d.chance(0.3):
        count = 4097
    elif d.chance(0.03):
        count = d.rnd.randint(60, 600)
    else:
        return
    src = _ram_source(plan)
    s, n = d.pick(src) if src else (0, 0)
    phys = plan.cell_phys.place(d.rnd, count * PAGE, s, s + n) if n else None
    guest = c.guest.place(d.rnd, count * PAGE, 0, IPA_LIMIT)
    if phys is None or guest is None:
        return
    for i in range(count):
        c.node.children.append(Node(f"p{i}", [f"physical-address = /bits/ 64 <{phys + i * PAGE:#x}>;",
                                              f"guest-address = /bits/ 64 <{guest + i * PAGE:#x}>;",
                                              "size = /bits/ 64 <0x1000>;"]))


def shared_pieces(d: Draw, plan: Plan, ncells: int) -> list[Shared]:
    """Pool RAM for 2+ cells (rarely for one: a warning only)."""
    out: list[Shared] = []
    for _ in range(d.pick([0, 0, 1, 2]) if ncells >= 1 else 0):
        src = _ram_source(plan)
        s, n = d.pick(src) if src else (0, 0)
        size = d.pages(PAGE, max(min(2 * MIB, n // 4), PAGE))  # leaving the cells most of a small pool
        phys = plan.cell_phys.place(d.rnd, size, s, s + n) if n else None
        if phys is None:
            continue
        count = 1 if ncells == 1 or d.chance(0.05) else d.rnd.randint(2, ncells)
        out.append(Shared(phys, size, set(d.rnd.sample(range(ncells), count))))
    return out


def _shared(d: Draw, plan: Plan, c: CellState, pieces: list[Shared]) -> None:
    for j, p in enumerate(pieces):
        if c.index not in p.members:
            continue
        flags = ["shared"] + (["root-shared"] if d.chance(0.1) else [])
        if d.wild("mem-overlap"):
            flags.remove("shared")
        guest = _guest_for(d, c, p.phys, p.size)
        c.node.children.append(_region(d, plan, f"shm{j}", p.phys, guest, p.size, d.pick(["rw", "r", "rwx"]), flags))


def _raw_io(d: Draw, plan: Plan, c: CellState) -> None:
    """A device mapped as a plain `io` region (the form decompile writes), exclusively."""
    free = [dv for dv in plan.devices if _usable(plan, dv) and dv.label not in plan.exclusive | plan.shared
            and not dv.pci and all(plan.spi_ok(s) and s not in plan.taken_spis for s in dv.spis)]
    if not free or not d.chance(0.15):
        return
    dv = d.pick(free)
    plan.exclusive.add(dv.label)
    plan.taken_spis.update(dv.spis)
    c.uarts += [dv] if dv.pl011 else []
    for j, (s, n) in enumerate(dv.regs):
        a, size = _page_round(s, n)
        guest = _guest_for(d, c, a, size)
        c.node.children.append(_region(d, plan, f"{dv.label}-io{j}", a, guest, size, "rw", ["io"]))
    if dv.spis and d.chance(0.7):
        c.spis += list(dv.spis)


_WINDOWS = ((0x800_0000, 0x1_0000), (0x808_0000, 0x2_0000), (0x80a_0000, 0x2_0000), (0x40_1000_0000, PAGE),
            (0x1000_0000, PAGE), (0x80_0000_0000, 2 * MIB))  # GICD, ITS, GICR, ECAM, PCIe windows


def _window(d: Draw, plan: Plan, c: CellState) -> None:
    """An io region over what no cell may map: the GIC, the PCIe host's ECAM and windows."""
    if d.wild("dev-window"):
        s, n = d.pick(_WINDOWS)
        c.node.children.append(_region(d, plan, "window", s, _guest_for(d, c, s, n), n, "rw", ["io"]))


# ------------------------------------------------------------------ interrupts, console, scalars

def _spis(d: Draw, plan: Plan, c: CellState) -> None:
    device_spis = BOARD_SPIS | {s for dv in plan.devices for s in dv.spis}
    free = [s for s in range(0, 992) if plan.spi_ok(s) and s not in device_spis and s not in plan.taken_spis]
    mine = d.rnd.sample(free, min(len(free), d.pick([0, 0, 1, 2, 3])))
    plan.taken_spis.update(mine)
    c.spis += mine
    if d.wild("irq-range"):
        c.spis.append(d.pick([plan.gic_lines - 32, 988, 1000, 0xFFFF_FFFF]))
    if d.wild("irq-reserved") and plan.reserved_spis:
        c.spis.append(d.pick(sorted(plan.reserved_spis)))
    if d.wild("irq-conflict") and plan.taken_spis - set(c.spis):
        c.spis.append(d.pick(sorted(plan.taken_spis - set(c.spis))))
    if d.wild("irq-device-split"):
        c.spis.append(d.pick([1, 2, 7, 16, 47]))
    if c.spis:
        _prop(c.node, f"spis = {cells32(c.spis)};")


def _console(d: Draw, plan: Plan, c: CellState) -> None:
    if c.uarts and d.chance(0.6):
        _prop(c.node, f"console = <&{d.pick(c.uarts).label}>;")
    elif c.uarts and d.chance(0.3):
        s, n = d.pick(c.uarts).regs[0]
        c.node.props += ['console-type = "pl011";', f"console-address = {u64(s, plan.macro)};",
                         f"console-size = {u64(n, plan.macro)};"]
    elif d.chance(0.15):
        _prop(c.node, 'console-type = "none";')
    if d.wild("console"):  # instead of the console chosen above
        c.node.props = [p for p in c.node.props if not p.startswith("console")]
        _prop(c.node, d.pick(["console = <&uart0>;", "console = <&rtc>;", 'console-type = "vga";',
                              'console-type = "pl011"; console-address = /bits/ 64 <0x9000800>; '
                              'console-size = /bits/ 64 <0x1000>;', "console = <&cpu0>;", "console = <0x1234>;",
                              'console-type = "pl011"; console-size = /bits/ 64 <0x0>;']))


def _scalars(d: Draw, plan: Plan, c: CellState) -> None:
    for flag, p in (("may-lock", 0.3), ("virtual-console-permitted", 0.4), ("virtual-console-active", 0.2),
                    ("dma-trusted", 0.1)):
        if d.chance(p):
            _prop(c.node, f"{flag};")
    mode = d.pick([None, None, "direct", "trap"])  # arm64 non-root cells: direct is the default
    if d.wild("irq-delivery"):
        mode = d.pick(["bogus", "", "Direct"])
    if mode is not None:
        _prop(c.node, f'interrupt-delivery = "{mode}";')
    g, n = c.loadable or (0, 0)
    pc = d.pick([g, g, g + d.rnd.randrange(max(n, 1)) // PAGE * PAGE, g + max(n, 1) - 1])
    if d.wild("mem-no-loadable"):
        pc = d.pick([g + n, g - 1, U64 - 1])
    if pc or d.chance(0.5):
        _prop(c.node, f"cpu-reset-address = {u64(pc, plan.macro)};")
    t = d.pick([None, None, 0, d.rnd.randint(1, 1_000_000), 1_000_000])
    if d.wild("limit-reply-timeout"):
        t = d.pick([1_000_001, U64 - 1, 1 << 32])
    if t is not None:
        _prop(c.node, f"msg-reply-timeout = {u64(t, plan.macro)};")


# ------------------------------------------------------------------ source mistakes

def _binding_mistakes(d: Draw, c: CellState) -> None:
    node = c.node
    target = d.pick(node.children) if node.children and d.chance(0.5) else node
    if d.wild("binding-unknown-property"):
        target.props.append(d.pick(["fuzz-property = <1>;", "interrupts = <0 5 4>;", "status = \"okay\";"]))
    if d.wild("binding-type"):
        target.props.append(d.pick(["may-lock = <1>;", "cpu-reset-address = <0x0>;", "io = \"yes\";"]))
        if target is not node:
            target.props = [p if not p.startswith("size") else "size = <0x1000>;" for p in target.props]
    if d.wild("binding-required"):
        drop = d.pick(["compatible", "cell-name", "size", "physical-address"])
        target.props = [p for p in target.props if not p.startswith(drop + " ")]
    if d.wild("binding-unknown-node") and node.children:
        d.pick(node.children).children.append(Node("nested", ["size = /bits/ 64 <0x1000>;"]))


def _text_mistakes(d: Draw, text: str) -> str:
    if d.wild("dts-syntax"):
        i = d.pick([m.start() for m in re.finditer(r"[;{}<>]", text)])
        text = text[:i] + d.pick(["", "{", ";;", "<", "&"]) + text[i + 1:]
    if d.wild("ref-unresolved"):
        text = re.sub(r"&(uart0|rtc|cpu\d|gpio0|flash|hypervisor)\b", "&nosuchlabel", text, count=1)
    if d.wild("overlay-structure"):
        text += d.pick(["\n&uart0 {\n\tstatus = \"disabled\";\n};\n", "\n&hypervisor {\n\textra {\n\t\t"
                        "compatible = \"hv,cell\";\n\t};\n};\n", "\n&{/} {\n\tfuzz = <1>;\n};\n"])
    return text


def _overlay(plan: Plan, node: Node, index: int) -> str:
    lines = [f"/* fuzz-configgen cell {index} */", "/dts-v1/;", "/plugin/;"]
    lines += ["#include <hv-dt.h>"] if plan.macro else []
    lines += ["", "&hypervisor {"] + node.render(1) + ["};", ""]
    return "\n".join(lines)


def _cell(d: Draw, plan: Plan, index: int, later: int, pieces: list[Shared]) -> tuple[str, str]:
    name = cell_name(d, plan.names)
    node_name = f"c{index}-" + (re.sub(r"[^A-Za-z0-9,._+-]", "-", name)[:24] or "cell")
    c = CellState(index, Node(node_name, ['compatible = "hv,cell";', f"cell-name = {string(name)};"]))
    _cpus(d, plan, c, later)
    _devices(d, plan, c)
    _comm(d, plan, c)
    _ram(d, plan, c)
    if c.loadable is None:  # the pool is full: not a sound case (mem-no-loadable), say so
        d.wild_choices.append("pool-full")
    _shared(d, plan, c, pieces)
    _many(d, plan, c)
    _raw_io(d, plan, c)
    _window(d, plan, c)
    _spis(d, plan, c)
    _console(d, plan, c)
    _scalars(d, plan, c)
    _binding_mistakes(d, c)
    return f"cell{index}.dtso", _text_mistakes(d, _overlay(plan, c.node, index))


def build_cells(d: Draw, plan: Plan) -> list[tuple[str, str]]:
    """As many cells as the root's CPUs allow (one stays with the root), at most 4; a wild
    choice adds more."""
    n = d.rnd.randint(0, max(min(4, len(plan.root_cpus) - 1), 0))
    if d.wild("cells-many"):
        n += d.rnd.randint(1, 3)
    pieces = shared_pieces(d, plan, n)
    return [_cell(d, plan, i, n - i - 1, pieces) for i in range(n)]
