"""The hypervisor's own blob validator (hv/core/config_check.c, config_cross.c), loaded with ctypes.

configgen runs it on every blob it writes (a refusal there is a configgen bug: its rules let
through what the hypervisor refuses) and on every blob it reads (dump, decompile, import), so a
blob configgen calls good is one the hypervisor and the driver accept: one C implementation, no
Python copy to drift.  The library is build/host/libhvcfg.so in the source tree (`make`), next
to this file when installed (`make install`), or wherever HVCFG_LIBRARY says (configgen/hostbuild.py).
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from configgen import abi, hostbuild
from configgen.diag import ERROR, Diagnostic, Loc
from configgen.model import Cell, System

LIB_NAME = "libhvcfg.so"
LIB_VERSION = 1  # HVCFG_LIB_VERSION in tools/libhvcfg/hvcfg.c
LIB_ENV = "HVCFG_LIBRARY"


class LibraryMissing(hostbuild.BuildOutputMissing):
    """The validator library cannot be loaded: exit status 2, with how to build it."""


_BUILD_HINT = hostbuild.build_hint(LIB_ENV)


@dataclass(frozen=True)
class Refusal:
    code: int
    name: str  # stable name of the result ("ipa", "root-mem", ...)
    errno: int  # negative, as the hypervisor and driver return it
    text: str  # the hypervisor's, driver's and CLI's words
    detail: int  # the offending value (address, index, INTID...)

    def __str__(self) -> str:
        return f"{self.text} (detail {self.detail:#x})"


def candidates() -> list[Path]:
    return hostbuild.candidates(LIB_NAME, LIB_ENV)


_lib: Optional[ctypes.CDLL] = None
_libs: dict[str, Optional[ctypes.CDLL]] = {}

# Until the host library checks x86 blobs itself (it is built with the arm64 limits and the arm
# validator), x86 blobs go to an x86 build of the same C sources when one exists: HVCFG_LIBRARY_X86,
# else build/host/libhvcfg-x86.so (tests/configgen/x86lib.py builds it); without one they are not
# validated, and configgen says so once.
X86_LIB_NAME = "libhvcfg-x86.so"
X86_LIB_ENV = "HVCFG_LIBRARY_X86"
_skipped_note = False


def _load() -> ctypes.CDLL:
    global _lib
    if _lib is not None:
        return _lib
    path = hostbuild.find(LIB_NAME, LIB_ENV, "the hypervisor's config validator", LibraryMissing)
    _lib = _open(path)
    return _lib


def _load_x86() -> Optional[ctypes.CDLL]:
    if "x86" not in _libs:
        path = next((p for p in hostbuild.candidates(X86_LIB_NAME, X86_LIB_ENV) if p.is_file()), None)
        _libs["x86"] = _open(path) if path is not None else None
    return _libs["x86"]


def _open(path: Path) -> ctypes.CDLL:
    try:
        lib = ctypes.CDLL(str(path))
        lib.hvcfg_lib_version.restype = ctypes.c_uint
        lib.hvcfg_format_revision.restype = ctypes.c_uint
        version, revision = lib.hvcfg_lib_version(), lib.hvcfg_format_revision()
        lib.hvcfg_num_results.restype = ctypes.c_uint
        lib.hvcfg_result_text.restype = ctypes.c_char_p
        lib.hvcfg_result_text.argtypes = [ctypes.c_uint]
        lib.hvcfg_result_name.restype = ctypes.c_char_p
        lib.hvcfg_result_name.argtypes = [ctypes.c_uint]
        lib.hvcfg_result_errno.restype = ctypes.c_int
        lib.hvcfg_result_errno.argtypes = [ctypes.c_uint]
        out = [ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_uint64)]
        lib.hvcfg_check_system.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32] + out
        lib.hvcfg_check_cell.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32,
                                         ctypes.c_uint32] + out
        lib.hvcfg_check_cell_in_system.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                                   ctypes.c_size_t, ctypes.c_uint32] + out
        for f in (lib.hvcfg_check_system, lib.hvcfg_check_cell, lib.hvcfg_check_cell_in_system):
            f.restype = ctypes.c_int
    except (OSError, AttributeError) as e:
        raise LibraryMissing(f"cannot use the config validator {path} ({e})", _BUILD_HINT) from None
    if version != LIB_VERSION or revision != abi.REVISION:
        raise LibraryMissing(f"the config validator {path} is interface {version}, format revision {revision}; "
                             f"this configgen needs interface {LIB_VERSION}, revision {abi.REVISION}", _BUILD_HINT)
    return lib


def result_text(code: int) -> str:
    return (_load().hvcfg_result_text(code) or b"unknown error").decode("ascii", "replace")


def result_name(code: int) -> str:
    return (_load().hvcfg_result_name(code) or b"unknown").decode("ascii", "replace")


def result_texts() -> dict[int, str]:
    """Every refusal reason by code, as the hypervisor, driver and CLI print them."""
    lib = _load()
    return {c: result_text(c) for c in range(lib.hvcfg_num_results())}


def _run(fn, *args) -> Optional[Refusal]:  # type: ignore[no-untyped-def]
    code, detail = ctypes.c_uint32(), ctypes.c_uint64()
    err = fn(*args, ctypes.byref(code), ctypes.byref(detail))
    if err == 0:
        return None
    return Refusal(code.value, result_name(code.value), err, result_text(code.value), detail.value)


def _blob_arch(data: bytes) -> int:
    return int.from_bytes(data[6:8], "little") if len(data) >= 8 else 0


def _checked(name: str, data: bytes, *args) -> Optional[Refusal]:  # type: ignore[no-untyped-def]
    """Run hvcfg_<name> of the host library; an x86 blob it refuses as another architecture goes to
    the x86 build (or is let through unchecked, with a note, when there is none)."""
    global _skipped_note
    refusal = _run(getattr(_load(), name), *args)
    if refusal is None or refusal.name != "arch" or _blob_arch(data) != abi.ARCH_X86_64:
        return refusal
    lib = _load_x86()
    if lib is not None:
        return _run(getattr(lib, name), *args)
    if not _skipped_note:
        _skipped_note = True
        import sys
        print(f"configgen: note: x86 blobs are not validated: the host library checks another architecture "
              f"and no {X86_LIB_NAME} was found (set {X86_LIB_ENV})", file=sys.stderr)
    return None


def _max_cpus(max_cpus: Optional[int]) -> int:
    return min(max_cpus if max_cpus is not None else abi.MAX_CPUS, abi.MAX_CPUS)


def check_system(data: bytes, max_cpus: Optional[int] = None) -> Optional[Refusal]:
    """None if the hypervisor (built for max_cpus CPUs, default the format's) accepts the system blob."""
    return _checked("hvcfg_check_system", data, data, len(data), _max_cpus(max_cpus))


def check_cell(data: bytes, max_cpus: Optional[int] = None, num_cpus: int = 0) -> Optional[Refusal]:
    """A cell blob on its own (num_cpus: the system's CPU count, 0 if unknown), as the driver checks it."""
    return _checked("hvcfg_check_cell", data, data, len(data), _max_cpus(max_cpus), num_cpus)


def check_cell_in_system(system: bytes, cell: bytes, max_cpus: Optional[int] = None) -> Optional[Refusal]:
    """Both blobs, and the cell against the system, as the hypervisor's cell create checks them."""
    return _checked("hvcfg_check_cell_in_system", system, system, len(system), cell, len(cell),
                    _max_cpus(max_cpus))


def check_blob(data: bytes, max_cpus: Optional[int] = None) -> Optional[Refusal]:
    """A blob read from a file: a system or a cell blob by its signature (anything else: the system check says why)."""
    if len(data) >= 4 and int.from_bytes(data[:4], "little") == abi.SIGNATURE_CELL:
        return check_cell(data, max_cpus)
    return check_system(data, max_cpus)


# ------------------------------------------------------------------ blobs configgen wrote

RULE = "internal-validator"
HINT = ("configgen's rules let through a configuration the hypervisor refuses, so nothing was written: "
        "this is a bug in configgen, please report it with these sources")


def _region_loc(cell: Cell, addr: int) -> Optional[Loc]:
    for r in cell.regions:
        if addr in (r.phys, r.guest):
            return r.loc
    return None


def _system_loc(sysm: System, addr: int) -> Optional[Loc]:
    p = sysm.platform
    if addr == sysm.hyp_mem.start:
        return sysm.hyp_loc
    if addr in (p.gicd.start, p.gicr.start, p.its.start, p.gicc.start, p.gich.start, p.gicv.start):
        return p.gic_loc
    if addr == sysm.debug_console.base and sysm.debug_console.loc:
        return sysm.debug_console.loc
    return None


def locate(r: Refusal, sysm: System, cell: Cell) -> Loc:
    """The best source location for a refusal of the blob of `cell` (sysm.root: the system blob)."""
    d, p = r.detail, sysm.platform
    loc: Optional[Loc] = None
    if r.name in ("region", "ipa", "root-mem", "pool", "hv-overlap", "reserved"):
        loc = _region_loc(cell, d)
    elif r.name in ("hv-mem", "el2-va"):
        loc = _system_loc(sysm, d) or sysm.hyp_loc
    elif r.name == "platform" and p.ioapics:  # x86: an IOAPIC or the section as a whole
        loc = next((io.loc for io in p.ioapics if d in (io.address, io.gsi_base, io.pins)), None) or p.x86_loc
    elif r.name == "platform":
        loc = cell.intids.get(d) or (p.gic_lines_loc if d == p.gic_lines else
                                     p.maintenance_loc if d == p.maintenance_irq else
                                     p.gic_loc if d != p.pci_ecam.start else None)
    elif r.name == "root-irq":
        loc = cell.intids.get(d)
    elif r.name == "irq":  # an interrupt resource: detail is a pin, an entry's pin_base, id or controller
        pins = sorted(i for i in cell.intids if d <= i < d + sysm.arch.irqchip_pins)
        loc = cell.intids.get(d) or (cell.intids[pins[0]] if pins else None) or \
            (p.gic_loc if d == p.gicd.start else None)
    elif r.name == "unsupported":
        loc = p.gic_loc or p.x86_loc
    elif r.name == "pio":
        loc = next((u.loc for u in cell.ports if u.base == d), None) or cell.loc
    elif r.name == "root-pio":  # detail: the first port the root lacks
        loc = next((u.loc for u in cell.ports if u.base <= d < u.base + u.length), None) or cell.loc
    elif r.name == "root-pci":
        loc = next((u.loc for u in cell.pci if u.bdf == d), None) or cell.loc
    elif r.name == "pci":
        loc = next((u.loc for u in cell.pci if u.bdf == d), None) or cell.loc
    elif r.name in ("cpu", "root-cpu"):
        loc = cell.cpus_loc
    elif r.name == "console":
        loc = cell.console.loc if cell is not sysm.root else sysm.debug_console.loc
    elif r.name == "name":
        loc = cell.name_loc
    return loc or cell.loc


def emitted(sysm: System, system_blob: bytes, max_cpus: int, cell: Optional[Cell] = None,
            cell_blob: Optional[bytes] = None) -> Optional[Diagnostic]:
    """None if the hypervisor takes the blobs configgen is about to write, else the internal error."""
    refusal, target = check_system(system_blob, max_cpus), sysm.root
    if refusal is None and cell is not None and cell_blob is not None:
        refusal, target = check_cell_in_system(system_blob, cell_blob, max_cpus), cell
    if refusal is None:
        return None
    return Diagnostic(ERROR, RULE, f"the hypervisor would refuse this blob: {refusal}",
                      locate(refusal, sysm, target), HINT)
