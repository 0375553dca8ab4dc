"""Partitioning limits from Kconfig: CONFIG_MAX_CPUS and CONFIG_MAX_CELLS."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Optional

from configgen.diag import InputError

DEFAULT_MAX_CPUS = 8
DEFAULT_MAX_CELLS = 8


@dataclass(frozen=True)
class Limits:
    max_cpus: int = DEFAULT_MAX_CPUS
    max_cells: int = DEFAULT_MAX_CELLS
    source: str = "built-in defaults"


def _kconfig_defaults(path: str) -> dict[str, int]:
    try:
        import kconfiglib
    except ImportError:  # pragma: no cover - Debian python3-kconfiglib is a dependency
        return {}
    try:
        kconf = kconfiglib.Kconfig(path, warn=False, warn_to_stderr=False)
    except Exception:  # any Kconfig parse problem: fall back to the built-in defaults
        return {}
    out = {}
    for name in ("MAX_CPUS", "MAX_CELLS"):
        sym = kconf.syms.get(name)
        if sym is not None and sym.str_value.isdigit():
            out[name] = int(sym.str_value)
    return out


def _parse_dotconfig(text: str) -> dict[str, int]:
    out = {}
    for m in re.finditer(r"^CONFIG_(MAX_CPUS|MAX_CELLS)=(\d+)\s*$", text, re.M):
        out[m.group(1)] = int(m.group(2))
    return out


def load_limits(kconfig_file: Optional[str], cwd: str = ".") -> Limits:
    """--kconfig FILE, else ./.config, else ./Kconfig defaults, else 8/8."""
    values: dict[str, int] = {}
    source = "built-in defaults"
    dotconfig = kconfig_file or os.path.join(cwd, ".config")
    if kconfig_file or os.path.exists(dotconfig):
        try:
            with open(dotconfig, encoding="utf-8", errors="replace") as fh:
                values = _parse_dotconfig(fh.read())
        except OSError as e:
            raise InputError(f"cannot read Kconfig file {dotconfig}: {e.strerror}") from None
        source = dotconfig
    kconfig_path = os.path.join(cwd, "Kconfig")
    if len(values) < 2 and os.path.exists(kconfig_path):
        defaults = _kconfig_defaults(kconfig_path)
        for k, v in defaults.items():
            values.setdefault(k, v)
        if not kconfig_file and not os.path.exists(dotconfig):
            source = kconfig_path
    return Limits(values.get("MAX_CPUS", DEFAULT_MAX_CPUS), values.get("MAX_CELLS", DEFAULT_MAX_CELLS), source)
