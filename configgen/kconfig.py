"""Partitioning limits from Kconfig: CONFIG_MAX_CPUS and CONFIG_MAX_CELLS.

Values come from --kconfig FILE, else the .config `make install` recorded beside the installed
configgen package (PREFIX/lib/jailhouse/jailhouse.config: the limits of the installed
hypervisor), else ./.config, else the defaults of ./Kconfig, else 8 and 8.
Every value given is checked against the `range` of its symbol in ./Kconfig (without a
Kconfig: 1..256 CPUs, the format's limit, and 2..255 cells, the VMID space); a value outside
it, or no decimal number at all, is a `kconfig-value` error at the .config's line.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Optional

from configgen import abi
from configgen.diag import ERROR, Diagnostic, InputError, Invalid, Loc
from configgen.inputs import SOURCE_LIMIT, read_bounded

DEFAULT_MAX_CPUS = 8
DEFAULT_MAX_CELLS = 8
SYMBOLS = ("MAX_CPUS", "MAX_CELLS")
# what `make install` writes next to the package (never present in the source tree)
INSTALLED_CONFIG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "jailhouse.config")
BUILTIN_RANGES = {"MAX_CPUS": (1, abi.MAX_CPUS), "MAX_CELLS": (2, 255)}


@dataclass(frozen=True)
class Limits:
    max_cpus: int = DEFAULT_MAX_CPUS
    max_cells: int = DEFAULT_MAX_CELLS
    source: str = "built-in defaults"


@dataclass(frozen=True)
class Symbol:
    """What ./Kconfig says about one symbol."""

    default: Optional[int]
    low: int
    high: int
    where: str  # "Kconfig:27" or "built-in"


@dataclass(frozen=True)
class Setting:
    """One CONFIG_NAME=VALUE line of a .config."""

    name: str
    text: str
    line: int


def _int(text: str) -> Optional[int]:
    t = text.strip()
    return int(t) if re.fullmatch(r"-?\d{1,20}", t) else None


def _active_range(sym: object) -> Optional[tuple[int, int]]:
    import kconfiglib
    for low, high, cond in getattr(sym, "ranges", []):
        if kconfiglib.expr_value(cond):
            lo, hi = _int(low.str_value), _int(high.str_value)
            if lo is not None and hi is not None:
                return lo, hi
    return None


def kconfig_symbols(path: str) -> dict[str, Symbol]:
    """Defaults and ranges of SYMBOLS in the Kconfig at `path` (kconfiglib); built-in ranges where
    the file is missing, unreadable or says nothing."""
    out = {name: Symbol(None, lo, hi, "built-in") for name, (lo, hi) in BUILTIN_RANGES.items()}
    if not os.path.exists(path):
        return out
    try:
        import kconfiglib
        kconf = kconfiglib.Kconfig(path, warn=False, warn_to_stderr=False)
    except Exception:  # kconfiglib missing or any Kconfig parse problem: built-in values
        return out
    for name in SYMBOLS:
        sym = kconf.syms.get(name)
        if sym is None:
            continue
        rng = _active_range(sym)
        node = sym.nodes[0] if sym.nodes else None
        where = f"{os.path.normpath(node.filename)}:{node.linenr}" if node is not None else path
        lo, hi = rng if rng is not None else (out[name].low, out[name].high)
        out[name] = Symbol(_int(sym.str_value), lo, hi, where if rng is not None else "built-in")
    return out


def parse_dotconfig(text: str) -> dict[str, Setting]:
    """The last CONFIG_MAX_CPUS / CONFIG_MAX_CELLS line of each (as Kconfig does), unparsed."""
    out: dict[str, Setting] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        m = re.match(r"^CONFIG_(MAX_CPUS|MAX_CELLS)=(.*)$", raw.rstrip())
        if m:
            out[m.group(1)] = Setting(m.group(1), m.group(2), lineno)
    return out


def check_setting(s: Setting, sym: Symbol, file: str) -> tuple[Optional[int], Optional[Diagnostic]]:
    """The value of one .config line, or a `kconfig-value` diagnostic naming symbol, value and range."""
    value = _int(s.text)
    lo, hi = max(sym.low, 1), sym.high
    where = f"range {lo}..{hi}" + (f" ({sym.where})" if sym.where != "built-in" else "")
    hint = f"set CONFIG_{s.name} to a decimal number in {lo}..{hi} (make menuconfig, or edit {file})"
    if value is None:
        return None, Diagnostic(ERROR, "kconfig-value", f"CONFIG_{s.name}={s.text.strip()} is not a decimal "
                                f"number; it must lie in its {where}", Loc(file, s.line), hint)
    if not lo <= value <= hi:
        return None, Diagnostic(ERROR, "kconfig-value", f"CONFIG_{s.name}={value} is outside its {where}",
                                Loc(file, s.line), hint)
    return value, None


def load_limits(kconfig_file: Optional[str], cwd: str = ".",
                installed: str = INSTALLED_CONFIG) -> Limits:
    """--kconfig FILE, else the installed record, else ./.config, else ./Kconfig defaults, else 8/8.

    Raises Invalid (exit 1) for a value outside its Kconfig range, InputError (exit 2) when the
    file cannot be read."""
    if not kconfig_file and os.path.isfile(installed):
        kconfig_file = installed
    dotconfig = kconfig_file or os.path.join(cwd, ".config")
    kconfig_path = os.path.join(cwd, "Kconfig")
    symbols = kconfig_symbols(kconfig_path)
    values: dict[str, int] = {}
    source = "built-in defaults"
    if kconfig_file or os.path.exists(dotconfig):
        if os.path.isdir(dotconfig):
            raise InputError(f"cannot read Kconfig file {dotconfig}: is a directory",
                             "give --kconfig the .config file itself")
        settings = parse_dotconfig(read_bounded(dotconfig, "Kconfig file", SOURCE_LIMIT).decode("utf-8", "replace"))
        diags = []
        for name, s in settings.items():
            value, d = check_setting(s, symbols[name], dotconfig)
            if d is not None:
                diags.append(d)
            elif value is not None:
                values[name] = value
        if diags:
            raise Invalid(diags)
        source = dotconfig
    if len(values) < len(SYMBOLS):
        for name, sym in symbols.items():
            if sym.default is not None and max(sym.low, 1) <= sym.default <= sym.high:
                values.setdefault(name, sym.default)
        if not kconfig_file and not os.path.exists(dotconfig) and os.path.exists(kconfig_path):
            source = kconfig_path
    return Limits(values.get("MAX_CPUS", DEFAULT_MAX_CPUS), values.get("MAX_CELLS", DEFAULT_MAX_CELLS), source)
