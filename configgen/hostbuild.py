"""Where configgen finds what `make hostlib` builds from the hypervisor's C sources.

Two build outputs carry the C definitions into configgen so that no Python copy of them can
drift: libhvcfg.so (the hypervisor's validator, configgen/validator.py) and hvcfg_abi.py (the
binary format, generated from hv/include/config_format.h, configgen/abi.py).  Both are looked
up the same way: the environment variable if set, else next to this package (`make install`
puts them there), else build/host/ of the source tree this package lives in.
"""
from __future__ import annotations

import os
from pathlib import Path

from configgen.diag import InputError

HERE = Path(__file__).resolve().parent
SOURCE_TREE = HERE.parent  # the repository root when configgen runs from a checkout


class BuildOutputMissing(InputError):
    """A build output is missing or unusable: exit status 2, with how to build it."""


def build_hint(env: str) -> str:
    return (f"build it with `make` (or `make hostlib`) in the source tree, install it with `make install`, "
            f"or point {env} at it")


def candidates(name: str, env: str) -> list[Path]:
    value = os.environ.get(env)
    if value:
        return [Path(value)]
    return [HERE / name, SOURCE_TREE / "build" / "host" / name]


def find(name: str, env: str, what: str, error: type[BuildOutputMissing] = BuildOutputMissing) -> Path:
    paths = candidates(name, env)
    path = next((p for p in paths if p.is_file()), None)
    if path is None:
        raise error(f"{what} {name} is missing (looked for {', '.join(str(p) for p in paths)})", build_hint(env))
    return path
