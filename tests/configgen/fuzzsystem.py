"""The system part of a random partitioning: board extras, hypervisor, root cell (fuzzgen.py
explains the scheme; fuzzcells.py adds the cells)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Optional

from configgen.rules.pool import ROOT_RAM_MIN
from fuzzgen import (BOARD, BOARD_CPUS, BOARD_DEVICES, BOARD_RAM, BOARD_SPIS, GIB, GIC_LINES,
                     IPA_LIMIT, MIB, PAGE, U64, Case, Device, Draw, Node, Space, cell_name, cells32, reg, refs,
                     string, u64)


HV_LIMIT = (1 << 39) - GIB  # the hypervisor's memory, GIC and console end below its EL2 mapping window


@dataclass
class Plan:
    """What the system offers the cells, and what the cells have taken so far."""
    cpus: list[tuple[int, str]]  # (MPIDR, label) in MPIDR order: the CPU index is the position
    ram: list[tuple[int, int]]  # board RAM, merged (start, end)
    devices: list[Device]  # board devices, extra ones included
    macro: bool  # write ADDR64() (needs #include <hv-dt.h>) or /bits/ 64
    gic_lines: int = GIC_LINES
    reserved_spis: set[int] = field(default_factory=set)
    hyp: tuple[int, int] = (0, 0)  # start, size
    root_cpus: list[int] = field(default_factory=list)
    root_mmio: list[str] = field(default_factory=list)  # labels of devices the root maps
    root_ram: list[tuple[int, int]] = field(default_factory=list)  # start, size
    pools: list[tuple[int, int]] = field(default_factory=list)  # the root's cell-pool regions
    names: set[str] = field(default_factory=set)
    root_name: str = ""
    cell_phys: Space = field(default_factory=Space)  # RAM the cells took
    taken_cpus: set[int] = field(default_factory=set)
    taken_spis: set[int] = field(default_factory=set)
    exclusive: set[str] = field(default_factory=set)  # devices a cell took exclusively
    shared: set[str] = field(default_factory=set)  # devices cells share with root

    def device(self, label: str) -> Optional[Device]:
        return next((dv for dv in self.devices if dv.label == label), None)

    def spi_ok(self, spi: int) -> bool:
        """An SPI the root owns (below gic-lines, not reserved)."""
        return 0 <= spi < min(self.gic_lines, 1020) - 32 and spi not in self.reserved_spis


# ------------------------------------------------------------------ board extras

def _extra_ram(d: Draw) -> list[tuple[int, int]]:
    out = []
    if d.chance(0.25):
        # below 4 GiB, above, adjacent to the board's RAM, ending at 511 GiB (where the hypervisor must end)
        out.append(d.pick([(0x1_0000_0000, 0x4000_0000), (0x2_0000_0000, 0x1000_0000), (0x8000_0000, 0x800_0000),
                           (0x60_0000_0000, 0x1000_0000), (HV_LIMIT - 0x1000_0000, 0x1000_0000)]))
    if d.wild("ram-odd"):
        # beyond the 40-bit IPA space, at the end of the 64-bit space, overlapping the board's RAM,
        # unaligned, in the PCIe 64-bit window (0x8000000000..2^40)
        out.append(d.pick([(IPA_LIMIT, 0x1000_0000), (U64 - 0x20_0000, 0x20_0000), (0x7000_0000, 0x2000_0000),
                           (0x3000_0000, 0x1001_0000), (0x8_0000_0000, 0x1000), (IPA_LIMIT - 0x1000_0000, 0x1000_0000),
                           (HV_LIMIT, 0x1000_0000)]))
    return out


def _ram_node(start: int, size: int) -> Node:
    return Node(f"memory@{start:x}", ['device_type = "memory";', f"reg = {reg(start, size)};"])


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted((s, min(s + n, U64)) for s, n in ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _extra_cpus(d: Draw) -> list[tuple[int, str]]:
    # the board's /cpus has #address-cells = <1>: an MPIDR with Aff3 needs two cells there (cpu-mpidr)
    mpidrs = d.rnd.sample([0x100, 0x101, 0x1_0000, 0xff_ffff, 0x80_0000], d.rnd.choice([0, 0, 0, 1, 2]))
    if d.wild("cpu-mpidr"):
        mpidrs.append(d.pick([0x100_0000, 0x1, 0x1_0000_0000_0000, 0x8000_0000, 0x1_0000_0000, 0xff_00ff_ffff]))
    if d.wild("limit-cpus"):
        mpidrs += [0x200 + i for i in range(d.rnd.randint(5, 9))]
    return [(m, f"xcpu{i}") for i, m in enumerate(mpidrs)]


def _cpu_node(mpidr: int, label: str) -> Node:
    regv = cells32([mpidr]) if mpidr < 1 << 32 else cells32([mpidr >> 32, mpidr & 0xFFFF_FFFF])
    return Node(f"cpu@{mpidr:x}", ['device_type = "cpu";', 'compatible = "arm,cortex-a57";', f"reg = {regv};",
                                   'enable-method = "psci";'], label=label)


def _extra_devices(d: Draw, gic_lines: int) -> tuple[list[Node], list[Device]]:
    """0-3 devices at 0x9100000.. (flat) or in a simple-bus at 0x9200000 (translated)."""
    nodes: list[Node] = []
    devs: list[Device] = []
    bus = Node("bus@9200000", ['compatible = "simple-bus";', "#address-cells = <1>;", "#size-cells = <1>;",
                               "ranges = <0x0 0x0 0x9200000 0x100000>;"], label="fuzzbus")
    spis = d.rnd.sample(range(48, 250), 6)
    for i in range(d.rnd.choice([0, 0, 1, 2, 3])):
        size = d.pick([PAGE, PAGE, 2 * PAGE, 0x1_0000])
        if d.wild("device-unaligned"):
            size = d.pick([0x200, 0x1800, 0])
        irq = [spis[i]] if d.chance(0.7) else []
        if d.wild("device-irq"):
            irq = [d.pick([gic_lines - 32, 1000, 2000, spis[i]])]
        pl011 = d.chance(0.35)
        enabled = not d.wild("device-disabled")
        compat = '"arm,pl011", "arm,primecell"' if pl011 else '"fuzz,device"'
        props = [f"compatible = {compat};"]
        ints = "interrupts = <" + " ".join(f"0 {s} 4" for s in irq) + ">;" if irq else ""
        if irq and d.chance(0.25):  # the same SPIs named with interrupts-extended (decoded through &gic)
            ints = "interrupts-extended = <" + " ".join(f"&gic 0 {s} 4" for s in irq) + ">;"
        if irq and d.wild("irq-parent"):  # behind another interrupt controller: no SPI configgen can give
            if not any(n.label == "fuzzintc" for n in nodes):
                nodes.append(Node("fuzz-intc@9300000", ['compatible = "fuzz,intc";', f"reg = {reg(0x930_0000, PAGE)};",
                                                        "interrupt-controller;", "#interrupt-cells = <2>;",
                                                        "interrupts = <0 40 4>;"], label="fuzzintc"))
            ints = f"interrupt-parent = <&fuzzintc>; interrupts = <{irq[0]} 4>;"
            irq = []
        if d.chance(0.3):  # behind a simple-bus: the reg is translated through its ranges
            unit = 0x1000 + i * 0x1_0000
            start, parent = 0x920_0000 + unit, bus
            props.append(f"reg = <{unit:#x} {size:#x}>;")
        else:
            unit = start = 0x910_0000 + i * 0x1_0000
            parent = None
            props.append(f"reg = {reg(start, size)};")
        devs.append(Device(f"fuzzdev{i}", ((start, size),), tuple(irq), pl011, enabled))
        props += [ints] if ints else []
        props += ['status = "disabled";'] if not enabled else []
        node = Node(f"fuzz@{unit:x}", props, label=f"fuzzdev{i}")
        (parent.children if parent else nodes).append(node)
    if bus.children:
        nodes.append(bus)
    return nodes, devs


# valid edits of the board: (text, label, replacement device or None)
_TWEAKS = [
    ("&its {\n\treg = <0x0 0x8080000 0x0 0x0>;\n};", "", None),  # a window of size 0 is none
    ("&pcie {\n\tstatus = \"disabled\";\n};", "", None),
    ("&gic {\n\tinterrupts = <1 12 4>;\n};", "", None),  # another maintenance PPI
    ("&rtc {\n\tstatus = \"disabled\";\n};", "rtc", Device("rtc", ((0x901_0000, PAGE),), (2,), enabled=False)),
    ("&gpio0 {\n\tinterrupts = <0 7 4 0 9 4>;\n};", "gpio0", Device("gpio0", ((0x903_0000, PAGE),), (7, 9))),
    ("&uart0 {\n\tstatus = \"disabled\";\n};", "uart0", Device("uart0", ((0x900_0000, PAGE),), (1,), True, False)),
    # last, and only when no edit above names them (the PCIe host's msi-map references the ITS)
    ("/delete-node/ &pcie;\n/delete-node/ &its;", "", None),
]
# ... and invalid ones: GIC windows of size 0, too few redistributor frames, unaligned, a
# maintenance SPI, an unaligned UART
_BAD_TWEAKS = [
    "&gic {\n\treg = <0x0 0x8000000 0x0 0x0 0x0 0x80a0000 0x0 0xf60000>;\n};",
    "&gic {\n\treg = <0x0 0x8000000 0x0 0x10000 0x0 0x80a0000 0x0 0x0>;\n};",
    "&gic {\n\treg = <0x0 0x8000000 0x0 0x10000 0x0 0x80a0000 0x0 0x60000>;\n};",
    "&gic {\n\treg = <0x0 0x8000800 0x0 0x10000 0x0 0x80a0000 0x0 0xf60000>;\n};",
    "&gic {\n\tinterrupts = <0 9 4>;\n};",
    "&its {\n\treg = <0x0 0x8080800 0x0 0x20000>;\n};",
    "&uart0 {\n\treg = <0x0 0x9000000 0x0 0x800>;\n};",
    "&gic {\n\treg = <0x7f 0xc0000000 0x0 0x10000 0x0 0x80a0000 0x0 0xf60000>;\n};",
]


def _board_tweaks(d: Draw, plan: Plan) -> list[str]:
    out = []
    for text, label, dev in _TWEAKS:
        if d.chance(0.04) and not (text.startswith("/delete-node/") and any("&its" in t or "&pcie" in t for t in out)):
            out.append(text)
            if dev is not None:
                plan.devices = [dev if dv.label == label else dv for dv in plan.devices]
    if d.wild("board-tweak"):
        out.append(d.pick(_BAD_TWEAKS))
    return out


# ------------------------------------------------------------------ hypervisor and root

def _hypervisor(d: Draw, plan: Plan) -> tuple[int, int]:
    """2 MiB aligned, 2-16 MiB, inside board RAM, in one 1 GiB slot, below 511 GiB: at the top
    or the bottom of a RAM range, or anywhere in it."""
    size = 2 * MIB * d.rnd.randint(1, 8)
    s, e = d.pick([(s, min(e, HV_LIMIT)) for s, e in plan.ram if s < HV_LIMIT] or [BOARD_RAM])
    lo, hi = -(-s // (2 * MIB)) * 2 * MIB, (e - size) // (2 * MIB) * 2 * MIB
    start = d.pick([lo, hi, lo + 2 * MIB * d.rnd.randrange(max((hi - lo) // (2 * MIB), 0) + 1)])
    if start // GIB != (start + size - 1) // GIB:  # move it to one side of the slot boundary
        boundary = (start + size - 1) // GIB * GIB
        start = boundary if boundary + size <= e else boundary - size
    if d.wild("mem-hypervisor-placement"):
        start, size = d.pick([(start + PAGE, size), (start, size + PAGE), (GIB * 2 - 2 * MIB, 4 * MIB),
                              (HV_LIMIT, 2 * MIB), (HV_LIMIT - MIB, 2 * MIB), (start, 0)])
    if d.wild("hyp-outside-board"):
        start = d.pick([0x3000_0000, 0x1000_0000, 0x800_0000])
    return start, size


def _root_ram(d: Draw, plan: Plan) -> list[Node]:
    """Root RAM regions covering the board RAM but the hypervisor, split in 1-3 pieces each; some
    of them cell pools."""
    hs, he = plan.hyp[0], plan.hyp[0] + plan.hyp[1]
    gaps = []
    for s, e in plan.ram:
        for gs, ge in ((s, min(e, hs)), (max(s, he), e)) if s < he and hs < e else ((s, e),):
            if ge > gs:
                gaps.append((gs, ge))
    pieces = []
    for s, e in gaps:
        slots = (e - s) // (2 * MIB)
        cuts = sorted({s + d.rnd.randrange(1, slots) * 2 * MIB for _ in range(d.pick([0, 1, 2]))} if slots > 1 else [])
        bounds = [s] + cuts + [e]
        pieces += [(a, b - a) for a, b in zip(bounds, bounds[1:])]
    pool_count = 0 if d.chance(0.12) else d.pick([1, 1, 2])
    pool_idx = set(d.rnd.sample(range(len(pieces)), min(pool_count, len(pieces))))
    kept = sum(n for i, (_, n) in enumerate(pieces) if i not in pool_idx)
    if pool_idx and kept < ROOT_RAM_MIN and not d.wild("mem-root-ram-min"):
        pool_idx = set()  # root Linux keeps its RAM: no pool rather than one that takes it all
    nodes = []
    for i, (s, n) in enumerate(pieces):
        if i in pool_idx:
            plan.pools.append((s, n))
        if d.wild("mem-root-uncovered"):
            continue
        props = [f"physical-address = {u64(s, plan.macro)};", f"size = {u64(n, plan.macro)};",
                 f'access = "{d.pick(["rwx", "rwx", "rw"])}";']
        if d.wild("mem-root-identity"):
            props.insert(1, f"guest-address = {u64(s + GIB, plan.macro)};")
        if d.chance(0.05):
            props.append(d.pick(["preserved;", "loadable;", "root-shared;"]))
        if i in pool_idx:
            props.append("cell-pool;")
        plan.root_ram.append((s, n))
        nodes.append(Node(d.pick(["ram", "linux-ram", "memory", "pool"]) + f"{i}", props))
    if d.wild("root-overlap"):
        s, n = d.pick(plan.root_ram or [(hs, PAGE)])
        nodes.append(Node("overlap", [f"physical-address = {u64(s + n // 2 // PAGE * PAGE, plan.macro)};",
                                      f"size = {u64(max(n, 2 * PAGE), plan.macro)};"]))
    return nodes


def _root_mmio(d: Draw, plan: Plan, root: Node) -> None:
    """all-devices, or explicit io regions for the devices (identity mapped, page rounded)."""
    if d.chance(0.85):
        root.props.append("all-devices;")
        plan.root_mmio = [dv.label for dv in plan.devices if dv.enabled]
        return
    usable = [dv for dv in plan.devices if dv.enabled and not d.wild("root-drops-device")]
    functions = []
    for dv in plan.devices if d.chance(0.5) else usable:
        if dv.pci:  # a PCI function: listed by BDF, besides its BAR page
            functions.append(dv.bdf)
        for j, (s, n) in enumerate(dv.regs):
            a, b = s // PAGE * PAGE, -(-(s + n) // PAGE) * PAGE
            root.children.append(Node(f"{dv.label}-io{j}", [f"physical-address = {u64(a, plan.macro)};",
                                                             f"size = {u64(max(b - a, PAGE), plan.macro)};", "io;"]))
        plan.root_mmio.append(dv.label)
    if functions:
        root.props.append(f"pci-devices = {cells32(functions)};")
    if d.wild("mem-pool-invalid") and root.children:
        root.children[-1].props.append("cell-pool;")


def _cpu_list(d: Draw, plan: Plan, indices: list[int]) -> str:
    if d.chance(0.75):
        return f"cpus = {refs([plan.cpus[i][1] for i in indices])};"
    return f"cpu-indices = {cells32(indices)};"


def _root(d: Draw, plan: Plan) -> Node:
    plan.root_name = cell_name(d, plan.names)
    root = Node("root-cell", ['compatible = "hv,root-cell";', f"cell-name = {string(plan.root_name)};"],
                label="root_cell")
    n = len(plan.cpus)
    plan.root_cpus = list(range(n)) if d.chance(0.6) else sorted(d.rnd.sample(range(n), d.rnd.randint(1, n)))
    if d.wild("cpu-none"):
        plan.root_cpus = []
    else:
        root.props.append(_cpu_list(d, plan, plan.root_cpus))
    root.children += _root_ram(d, plan)
    _root_mmio(d, plan, root)
    uarts = [lb for lb in plan.root_mmio if (dv := plan.device(lb)) and dv.pl011 and dv.aligned]
    if uarts and d.chance(0.5):
        root.props.append(f"console = <&{d.pick(uarts)}>;")
    elif d.chance(0.1):
        root.props.append('console-type = "none";')
    if d.wild("mem-comm-region"):
        root.children.append(Node("comm", ["size = /bits/ 64 <0x1000>;", "comm-region;"]))
    if d.wild("root-cells"):
        root.props.append("spis = <5>;")
    return root


def _hypervisor_node(d: Draw, plan: Plan, root: Node) -> Node:
    hs, hn = plan.hyp
    hyp = Node(f"hypervisor@{hs:x}", ['compatible = "hv,hypervisor";', f"reg = {reg(hs, hn)};"], label="hypervisor")
    uarts = [dv.label for dv in plan.devices if dv.pl011 and dv.aligned]
    if d.wild("hv-console-overlap"):  # a disabled UART inside the hypervisor's memory (see build_case)
        hyp.props.append("debug-console = <&hvuart>;")
    elif d.chance(0.8):
        hyp.props.append(f"debug-console = <&{d.pick(uarts)}>;")
    elif d.wild("console-unsupported"):
        hyp.props.append(f"debug-console = <&{d.pick(['rtc', 'gpio0', 'flash', 'cpu1', 'memory'])}>;")
    if d.chance(0.5):
        hyp.props.append("virtual-debug-console;")
    hyp.props.append(f"gic-lines = <{plan.gic_lines}>;")
    if plan.reserved_spis:
        hyp.props.append(f"reserved-spis = {cells32(sorted(plan.reserved_spis))};")
    hyp.children.append(root)
    if d.wild("two-roots"):
        hyp.children.append(Node("root2", ['compatible = "hv,root-cell";', 'cell-name = "second";']))
    return hyp


def _gic(d: Draw, plan: Plan) -> None:
    plan.gic_lines = d.pick([GIC_LINES] * 6 + [96, 128, 1024])
    if d.wild("platform-gic"):
        plan.gic_lines = d.pick([0, 32, 100, 1056, 4096])
    if d.chance(0.2):
        spis = [s for s in range(0, 64) if s not in BOARD_SPIS]
        plan.reserved_spis = set(d.rnd.sample(spis, d.rnd.randint(1, 4)))


def _system_text(plan: Plan, extras: list[Node], hyp: Node, comment: str) -> str:
    lines = [f"/* {comment} */", f'#include "{BOARD}"']
    if plan.macro:
        lines.append("#include <hv-dt.h>")
    lines += ["", "/ {"]
    for n in extras + [hyp]:
        lines += n.render(1) + [""]
    return "\n".join(lines[:-1] + ["};", ""])


def build_case(seed: int, d: Draw) -> Case:
    from fuzzcells import build_cells
    extra_ram = _extra_ram(d)
    extra_cpus = _extra_cpus(d)
    plan = Plan(sorted(list(BOARD_CPUS) + extra_cpus), _merged([BOARD_RAM] + extra_ram), list(BOARD_DEVICES),
                d.chance(0.5))
    _gic(d, plan)
    dev_nodes, extra_devs = _extra_devices(d, plan.gic_lines)
    plan.devices += extra_devs
    tweaks = _board_tweaks(d, plan)
    plan.hyp = _hypervisor(d, plan)
    root = _root(d, plan)
    hyp = _hypervisor_node(d, plan, root)
    extras = [_ram_node(s, n) for s, n in extra_ram] + dev_nodes
    if any("&hvuart" in p for p in hyp.props):
        extras.append(Node(f"pl011@{plan.hyp[0] + PAGE:x}", ['compatible = "arm,pl011";',
                                                              f"reg = {reg(plan.hyp[0] + PAGE, PAGE)};",
                                                              'status = "disabled";'], label="hvuart"))
    if extra_cpus:
        extras.append(Node("cpus", children=[_cpu_node(m, lb) for m, lb in extra_cpus]))
    names = set(plan.names)
    cells = build_cells(d, plan)
    from fuzzlinks import build_links
    links = build_links(d, plan, sorted(plan.names - names))
    if links is not None:
        hyp.children.append(links)
    system = _system_text(plan, extras, hyp, f"fuzz-configgen case {seed}, wildness {d.wildness}, focus {d.focus}")
    system += "".join(f"\n{t}\n" for t in tweaks)
    return Case(seed, "gen", ("system.dts", system), cells, _kconfig(d, len(plan.cpus), len(cells) + 1),
                d.wildness, list(d.wild_choices))


def _kconfig(d: Draw, ncpus: int, ncells: int) -> Optional[str]:
    """Mostly none (./Kconfig defaults); sometimes other limits that fit, rarely ones that do
    not or values out of their range."""
    if d.wild("limit-cells") and ncells >= 3:
        return f"CONFIG_MAX_CELLS={d.rnd.randint(2, ncells - 1)}\n"
    if not d.chance(0.12):
        return None
    if d.wild("kconfig"):
        return d.pick(["CONFIG_MAX_CPUS=0\n", "CONFIG_MAX_CELLS=1\n", "CONFIG_MAX_CPUS=65\n", "CONFIG_MAX_CPUS=abc\n",
                       f"CONFIG_MAX_CPUS={max(ncpus - 1, 1)}\n", f"CONFIG_MAX_CELLS={max(ncells - 1, 2)}\n"])
    cpus, cells = d.rnd.randint(max(ncpus, 1), 64), d.rnd.randint(max(ncells, 2), 255)
    return f"CONFIG_MAX_CPUS={cpus}\nCONFIG_MAX_CELLS={cells}\n"


def generate(seed: int, wildness: Optional[float] = None, focus: Optional[float] = None) -> Case:
    """The random partitioning of seed; wildness and focus (see Draw) drawn from the seed unless
    given: nearly half the cases sound, the others with a few kinds of mistakes."""
    rnd = random.Random(seed)
    sound = rnd.random() < 0.45
    if wildness is None:
        wildness = 0.0 if sound else rnd.choice([0.0, 0.01, 0.02, 0.05])
    if focus is None:
        focus = 0.0 if sound else rnd.choice([0.02, 0.05, 0.1])
    return build_case(seed, Draw(rnd, wildness, focus))
