"""Architecture profiles: what configgen knows about one HVCFG_ARCH_* (issue #14).

The generic code (extract, rules, blob, create, show) never names a CPU id format, an interrupt
controller or an address-space limit; it asks the profile the system was built with
(System.arch) or the one a blob's header names (by_id). A profile is one object holding:

  identity      name ("arm64"), arch_id (HVCFG_ARCH_*), board_compatibles (fnmatch patterns
                of a board's top-level compatible that select it), optionally cpu_compatibles
                (CPU compatibles that select it first: "arm" for ARMv7 cores)
  limits        page_size, block_size, ipa_bits, ipa_limit, el2_va_bits, el2_va_limit,
                hv_mem_align, hv_mem_span, cell_flags (from the generated ABI module: the
                hypervisor build's own cfg_limits.h), console_types (HVCFG_CONSOLE_* it drives -> source name),
                hw_id_name ("MPIDR"), first_spi / max_spi / num_intids (the interrupt pins cells own)
  extraction    cpu_hw_id(node), platform(tree, locator, hyp_node, path) -> PlatformResult,
                device_irqs(node, tree) -> DeviceIrqs, forbidden_reason(node), console_type(node)
  rules         check(sysm) -> diagnostics of the arch's own rules (CPU ids, interrupt
                controller windows, what EL2 maps 1:1)
  blob          pack_platform(platform) -> bytes of hvcfg_platform.arch (zero tail),
                unpack_platform(bytes) -> dict, platform_tail_zero(bytes), dump_platform(dict),
                irqchips(pins, platform) -> hvcfg_irqchip entries (the order configgen writes),
                irqchip_layout_ok(entries, platform) -> "" or why decompile could not say them
  decompile     unrepresentable(platform, hw_ids) -> "" or why, board_nodes(platform, hw_ids) ->
                (root properties, nodes: CPUs, interrupt controller), hypervisor_props(platform,
                root pins) -> the hypervisor node's arch properties

The Profile protocol below spells it out. A new architecture adds configgen/arch/<name>.py with a
PROFILE object of that shape (its limits read from the generated ABI module, i.e. from the
hypervisor's own cfg_limits.h) and one line in _profiles().
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Protocol, runtime_checkable

from configgen.diag import Diagnostic, Loc
from configgen.model import BoardCpu, Platform, Range, System

if TYPE_CHECKING:
    from configgen.bindings import Locator
    from configgen.tree import Node, Tree


@dataclass(frozen=True)
class Irq:
    """One interrupt specifier decoded through its controller's binding."""

    intid: int  # the controller's pin (arm: the GIC INTID)
    kind: str  # arch-defined kind ("spi", "ppi" on arm)
    number: int  # number within its kind, as the specifier writes it
    flags: int  # trigger/level cell (0 if the binding has none)
    controller: str  # path of the interrupt controller
    cells: tuple[int, ...]  # the raw specifier


@dataclass
class DeviceIrqs:
    """A device's interrupts: those on the system's main interrupt controller, and why others are not."""

    irqs: list[Irq] = field(default_factory=list)
    problem: str = ""  # "" or why (some of) the device's interrupts cannot be given to a cell

    @property
    def intids(self) -> list[int]:
        return [i.intid for i in self.irqs]


@dataclass
class PlatformResult:
    """What a profile extracts for the platform section from the board and the hypervisor node."""

    platform: Platform
    reserved_intids: dict[int, Loc]  # pins the hypervisor keeps (arm: the maintenance PPI, reserved-spis)
    forbidden: list[tuple[Range, str]]  # windows no cell maps directly (arm: GICD/GICR/ITS)
    diags: list[Diagnostic] = field(default_factory=list)
    trapped_ports: list[tuple[Range, str]] = field(default_factory=list)  # ports no cell owns (x86: PCI config)
    root_ports: list[tuple[Range, str]] = field(default_factory=list)  # ports only the root owns


@runtime_checkable
class Profile(Protocol):
    """What configgen asks an architecture (see the module docstring); arm64.Arm64Profile is one."""

    name: str
    arch_id: int
    board_compatibles: tuple[str, ...]
    page_size: int
    block_size: int
    ipa_bits: int
    el2_va_bits: int
    el2_va_limit: int
    hv_mem_align: int
    hv_mem_span: int
    console_types: tuple[tuple[int, str, str], ...]  # (HVCFG_CONSOLE_*, source name, DT compatible)
    hw_id_name: str
    cell_flags: int  # HVCFG_CELL_* modes non-root cells may ask for (IRQ_DIRECT)
    first_spi: int
    max_spi: int
    num_intids: int
    irqchip_pins: int

    @property
    def ipa_limit(self) -> int: ...
    def page_round(self, r: Range) -> Range: ...
    def cpu_hw_id(self, node: "Node") -> Optional[int]: ...
    def cpus(self, t: "Tree", loc: "Locator") -> tuple[list[BoardCpu], list[Diagnostic]]: ...
    def device_irqs(self, node: "Node", t: "Tree") -> DeviceIrqs: ...
    def forbidden_reason(self, node: "Node") -> str: ...
    def console_type(self, node: "Node") -> Optional[int]: ...
    def platform(self, t: "Tree", loc: "Locator", hyp: "Node", path: str) -> PlatformResult: ...
    def root_intids(self, plat: Platform) -> range: ...
    def check(self, sysm: System) -> list[Diagnostic]: ...
    def pack_platform(self, p: Platform) -> bytes: ...
    def unpack_platform(self, raw: bytes) -> dict[str, Any]: ...
    def platform_tail_zero(self, raw: bytes) -> bool: ...
    def dump_platform(self, pl: dict[str, Any]) -> list[str]: ...
    def unrepresentable(self, pl: dict[str, Any], hw_ids: list[int]) -> str: ...
    def board_nodes(self, pl: dict[str, Any], hw_ids: list[int]) -> tuple[list[str], list[str]]: ...
    def hypervisor_props(self, pl: dict[str, Any], root_intids: list[int]) -> list[str]: ...
    def irqchips(self, intids: list[int], p: Platform) -> list[dict[str, Any]]: ...
    def irqchip_layout_ok(self, entries: list[dict[str, Any]], platform: Optional[dict[str, Any]]) -> str: ...


class UnknownArch(Exception):
    """An architecture name or id no profile implements."""


def _profiles() -> dict[str, Profile]:
    from configgen.arch import arm, arm64, x86
    return {arm64.PROFILE.name: arm64.PROFILE, arm.PROFILE.name: arm.PROFILE, x86.PROFILE.name: x86.PROFILE}


DEFAULT = "arm64"


def names() -> list[str]:
    return sorted(_profiles())


def by_name(name: str) -> Profile:
    prof = _profiles().get(name)
    if prof is None:
        raise UnknownArch(f"unknown architecture '{name}' (configgen knows: {', '.join(names())})")
    return prof


def by_id(arch_id: int) -> Profile:
    for prof in _profiles().values():
        if prof.arch_id == arch_id:
            return prof
    raise UnknownArch(f"unknown architecture {arch_id}")


def select(t: Optional["Tree"], explicit: Optional[str] = None) -> Profile:
    """The profile for a board: an explicit name wins, else a CPU compatible a profile claims
    (cpu_compatibles: ARMv7 cores on a board whose top-level compatible arm64 shares, QEMU's
    "linux,dummy-virt"), else the board's top-level compatible, else the compatibles of its CPU
    nodes, else DEFAULT."""
    if explicit:
        return by_name(explicit)
    if t is not None:
        compats = list(t.root.compatible)
        cpus = t.node("/cpus")
        cpu_compats = [c for n in (cpus.children if cpus else []) for c in n.compatible]
        for prof in _profiles().values():
            if any(c in getattr(prof, "cpu_compatibles", ()) for c in cpu_compats):
                return prof
        for group in (compats, cpu_compats):
            for prof in _profiles().values():
                pats = prof.board_compatibles
                if any(fnmatch.fnmatchcase(c, p) for c in group for p in pats):
                    return prof
    return by_name(DEFAULT)
