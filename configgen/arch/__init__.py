"""Architecture profiles: what configgen knows about one HVCFG_ARCH_* (issue #14).

The generic code (extract, rules, blob, create, show) never names a CPU id format, an interrupt
controller or an address-space limit; it asks the profile the system was built with
(System.arch) or the one a blob's header names (by_id). A profile is one object holding:

  identity      name ("arm64"), arch_id (HVCFG_ARCH_*), board_compatibles (fnmatch patterns
                of a board's top-level compatible that select it)
  limits        page_size, block_size, ipa_bits, ipa_limit, el2_va_bits, el2_va_limit,
                hv_mem_align, hv_mem_span (from the generated ABI module: the hypervisor build's
                own cfg_limits.h), console_types (HVCFG_CONSOLE_* it drives -> source name),
                hw_id_name ("MPIDR"), first_spi / max_spi / num_intids (the interrupt pins cells own)
  extraction    cpu_hw_id(node), platform(tree, locator, hyp_node, path) -> PlatformResult,
                device_irqs(node, tree) -> DeviceIrqs, forbidden_reason(node), console_type(node)
  rules         check(sysm) -> diagnostics of the arch's own rules (CPU ids, interrupt
                controller windows, what EL2 maps 1:1)
  blob          pack_platform(platform) -> bytes of hvcfg_platform.arch,
                unpack_platform(bytes) -> dict, irqchips(intids, platform) -> hvcfg_irqchip
                entries, intids(entries) -> pins owned

A new architecture adds configgen/arch/<name>.py with a PROFILE object of that shape and one
line in PROFILES below.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from configgen.tree import Tree


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


class UnknownArch(Exception):
    """An architecture name or id no profile implements."""


def _profiles() -> dict[str, object]:
    from configgen.arch import arm64
    return {arm64.PROFILE.name: arm64.PROFILE}


DEFAULT = "arm64"


def names() -> list[str]:
    return sorted(_profiles())


def by_name(name: str):  # type: ignore[no-untyped-def]
    prof = _profiles().get(name)
    if prof is None:
        raise UnknownArch(f"unknown architecture '{name}' (configgen knows: {', '.join(names())})")
    return prof


def by_id(arch_id: int):  # type: ignore[no-untyped-def]
    for prof in _profiles().values():
        if prof.arch_id == arch_id:  # type: ignore[attr-defined]
            return prof
    raise UnknownArch(f"unknown architecture {arch_id}")


def select(t: Optional["Tree"], explicit: Optional[str] = None):  # type: ignore[no-untyped-def]
    """The profile for a board: an explicit name wins, else the board's top-level compatible, else
    the compatibles of its CPU nodes, else DEFAULT (the only architecture the hypervisor runs on)."""
    if explicit:
        return by_name(explicit)
    if t is not None:
        compats = list(t.root.compatible)
        cpus = t.node("/cpus")
        cpu_compats = [c for n in (cpus.children if cpus else []) for c in n.compatible]
        for group in (compats, cpu_compats):
            for prof in _profiles().values():
                pats = prof.board_compatibles  # type: ignore[attr-defined]
                if any(fnmatch.fnmatchcase(c, p) for c in group for p in pats):
                    return prof
    return by_name(DEFAULT)
