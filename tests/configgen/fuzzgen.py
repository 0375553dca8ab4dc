"""Random partitionings of the QEMU virt board for the configgen fuzzer (see fuzzlib.py).

A case is a system .dts (the board by absolute #include, the hypervisor, the root cell and
sometimes extra RAM, CPUs and devices) plus 0-4 cell overlays. It is valid by construction: each
choice (placement, size, reference, flag, number) is drawn from the values the rules accept,
boundary values included, except that with the case's *wildness* probability a choice is drawn
from values some rule refuses instead. Wildness 0 cases should be accepted; higher wildness hits
the rules, usually one or two at a time, so that the diagnostics of many rules are exercised on
otherwise sound systems. Cells are built in fuzzcells.py.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence, TypeVar

REPO = Path(__file__).resolve().parents[2]
BOARD = REPO / "dts" / "boards" / "qemu-arm64-virt.dts"

PAGE = 0x1000
MIB = 1 << 20
GIB = 1 << 30
IPA_LIMIT = 1 << 40
U64 = 1 << 64

T = TypeVar("T")


# ------------------------------------------------------------------ the board (qemu-arm64-virt.dts)

@dataclass(frozen=True)
class Device:
    label: str
    regs: tuple[tuple[int, int], ...]  # CPU-physical (start, size)
    spis: tuple[int, ...] = ()
    pl011: bool = False
    enabled: bool = True
    bdf: int = -1  # a PCI function's: taken whole by one cell (devices), never shared or as a raw region

    @property
    def pci(self) -> bool:
        return self.bdf >= 0

    @property
    def aligned(self) -> bool:
        return all(s % PAGE == 0 and n % PAGE == 0 and n for s, n in self.regs)


BOARD_RAM = (0x4000_0000, 0x4000_0000)
BOARD_CPUS = ((0, "cpu0"), (1, "cpu1"), (2, "cpu2"), (3, "cpu3"))  # (MPIDR, label)
BOARD_DEVICES = (
    Device("uart0", ((0x900_0000, PAGE),), (1,), pl011=True),
    Device("rtc", ((0x901_0000, PAGE),), (2,)),
    Device("gpio0", ((0x903_0000, PAGE),), (7,)),
    Device("flash", ((0, 0x400_0000), (0x400_0000, 0x400_0000))),
    # the pci-serial 00:02.0: its I/O BAR page through the host's I/O window, its INTx SPI
    Device("pci_serial", ((0x3EFF_1000, PAGE),), (5,), bdf=0x10),
)
BOARD_SPIS = frozenset({1, 2, 5, 7} | set(range(16, 48)))  # SPIs of the board's devices
# references a cell may not take: unaligned, the GIC, PCI, nodes without reg, CPUs, RAM
BAD_DEVICE_LABELS = ("fw_cfg", "virtio_mmio0", "virtio_mmio31", "pcie", "gic", "its", "cpu0", "memory", "psci",
                     "pmu", "timer", "apb_pclk", "gpio_keys", "platform_bus")
GIC_WINDOWS = ((0x800_0000, 0x1_0000), (0x80a_0000, 0xf6_0000))  # the cells see the GIC there
GIC_LINES = 288


# ------------------------------------------------------------------ drawing

class Draw:
    """The case's random source and its wildness: the probability of an invalid choice, except for
    the kinds of choice the case focuses on (each kind with probability `focus`, decided when first
    asked), which go wrong half the time, so that every case tends to hit a few rules hard."""

    def __init__(self, rnd: random.Random, wildness: float, focus: float = 0.0):
        self.rnd = rnd
        self.wildness = wildness
        self.focus = focus
        self.focused: dict[str, bool] = {}
        self.wild_choices: list[str] = []  # what went wild, for the finding's notes

    def wild(self, what: str) -> bool:
        if what not in self.focused:
            self.focused[what] = self.focus > 0 and self.rnd.random() < self.focus
        p = 0.5 if self.focused[what] else self.wildness
        if p > 0 and self.rnd.random() < p:
            self.wild_choices.append(what)
            return True
        return False

    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.rnd.randrange(len(seq))]

    def pages(self, lo: int, hi: int) -> int:
        """A page multiple in [lo, hi], log-uniform so that small and large sizes both occur."""
        lo_p, hi_p = max(lo // PAGE, 1), max(hi // PAGE, 1)
        bits = self.rnd.uniform(lo_p.bit_length() - 1, hi_p.bit_length())
        return min(max(int(2 ** bits), lo_p), hi_p) * PAGE


class Space:
    """The used half-open ranges of one address space, to place things without overlap."""

    def __init__(self, used: Sequence[tuple[int, int]] = ()):
        self.used: list[tuple[int, int]] = [(s, s + n) for s, n in used]

    def free(self, start: int, size: int) -> bool:
        return all(start + size <= s or e <= start for s, e in self.used)

    def take(self, start: int, size: int) -> None:
        self.used.append((start, start + size))

    def place(self, rnd: random.Random, size: int, lo: int, hi: int, align: int = PAGE) -> Optional[int]:
        """A free aligned start in [lo, hi - size] (taken), random or packed from lo; None if full."""
        first = -(-lo // align) * align
        last = (hi - size) // align * align
        if last < first:
            return None
        for _ in range(6 if rnd.random() < 0.6 else 0):
            start = first + rnd.randrange((last - first) // align + 1) * align
            if self.free(start, size):
                self.take(start, size)
                return start
        start = first
        for s, e in sorted(self.used):
            if start + size <= s:
                break
            if e > start:
                start = -(-e // align) * align
        if start > last:
            return None
        self.take(start, size)
        return start


# ------------------------------------------------------------------ source text

@dataclass
class Node:
    name: str
    props: list[str] = field(default_factory=list)  # formatted "name = value;" lines
    children: list["Node"] = field(default_factory=list)
    label: str = ""

    def render(self, indent: int) -> list[str]:
        tab = "\t" * indent
        head = f"{self.label}: {self.name}" if self.label else self.name
        out = [f"{tab}{head} {{"] + [f"{tab}\t{p}" for p in self.props]
        for c in self.children:
            out += [""] + c.render(indent + 1)
        return out + [f"{tab}}};"]


def u64(v: int, macro: bool = False) -> str:
    v &= U64 - 1
    return f"ADDR64({v:#x})" if macro else f"/bits/ 64 <{v:#x}>"


def reg(start: int, size: int) -> str:
    return cells32([start >> 32, start, size >> 32, size])


def string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def refs(labels: Sequence[str]) -> str:
    return "<" + " ".join(f"&{lb}" for lb in labels) + ">"


def cells32(values: Sequence[int]) -> str:
    return "<" + " ".join(f"{v & 0xFFFF_FFFF:#x}" for v in values) + ">"


_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. ,:;!#$%&'()*+/<=>?@[]^`{|}~\"\\"


def cell_name(d: Draw, used: set[str]) -> str:
    """A unique valid cell name (1..31 printable ASCII, quotes and backslashes included), or a
    wild one: too long, empty, not ASCII, or a duplicate."""
    if used and d.wild("name-duplicate"):
        return d.pick(sorted(used))
    if d.wild("name-invalid"):
        return d.pick(["", "x" * 32, "caf\u00e9", "tab\there", "a" * 100])
    for _ in range(20):
        kind = d.rnd.randrange(4)
        if kind == 0:
            name = d.pick(["linux", "rtos", "gic-demo", "smp-demo", "root-linux", "bare", "c"])
        elif kind == 1:
            name = "".join(d.pick(_NAME_CHARS) for _ in range(d.rnd.randint(1, 31)))
        elif kind == 2:
            name = "n" * 31  # the longest name that fits
        else:
            name = f"cell-{d.rnd.randrange(1000)}"
        if name not in used:
            used.add(name)
            return name
    name = f"cell-{len(used)}-{d.rnd.randrange(1 << 30)}"
    used.add(name)
    return name


# ------------------------------------------------------------------ the case

@dataclass
class Case:
    """One input of the fuzzer: file names (relative to the case directory) and texts."""
    seed: int
    kind: str  # "gen", "gen-mutated", "sample-mutated"
    system: tuple[str, str]
    cells: list[tuple[str, str]]
    kconfig: Optional[str] = None  # .config text, given with --kconfig
    wildness: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def pristine(self) -> bool:
        """Generated with no wild choice and unmutated: the rules should accept it."""
        return self.kind == "gen" and not self.notes

    def write(self, directory: Path) -> tuple[Path, list[Path], Optional[Path]]:
        directory.mkdir(parents=True, exist_ok=True)
        sysp = directory / self.system[0]
        sysp.write_text(self.system[1], encoding="utf-8", errors="surrogateescape")
        cells = []
        for name, text in self.cells:
            p = directory / name
            p.write_text(text, encoding="utf-8", errors="surrogateescape")
            cells.append(p)
        kc = None
        if self.kconfig is not None:
            kc = directory / "fuzz.config"
            kc.write_text(self.kconfig)
        return sysp, cells, kc

