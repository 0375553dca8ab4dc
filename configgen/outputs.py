"""Output files: never over an input, never into a directory's place, never a stray temporary.

An output is written to a temporary file in its directory and renamed over the target, so a
reader sees the old file or the new one; the temporary is removed on every failure.
"""
from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path
from typing import Iterable, Optional

from configgen.diag import InputError
from configgen.dtsource import display_path

_LINEMARKER = re.compile(r'^#\s*(?:line\s+)?\d+\s+"((?:[^"\\]|\\.)*)"', re.M)
_INPUT_ARGS = ("system", "cell", "blob", "jailhouse", "board", "kconfig", "sets")
_OUTPUT_ARGS = (("output", "-o"), ("root_dtb", "--root-dtb"), ("root_cmdline", "--root-cmdline"))


def same_file(a: str, b: str) -> bool:
    """True if both paths name the same file (existing or not)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def included_files(preprocessed: str) -> set[str]:
    """Every file a preprocessed source came from (cpp's linemarkers), builtins excluded."""
    names = {re.sub(r"\\(.)", r"\1", m.group(1)) for m in _LINEMARKER.finditer(preprocessed)}
    return {n for n in names if n and not n.startswith("<")}


def explicit_inputs(args: argparse.Namespace, bindings_dir: Optional[Path]) -> list[str]:
    """The input files named on the command line, and the binding files read."""
    out = [v for a in _INPUT_ARGS if isinstance(v := getattr(args, a, None), str)]
    out += [v for v in getattr(args, "cells", None) or [] if isinstance(v, str)]
    d = Path(getattr(args, "bindings", None) or bindings_dir or "")
    if str(d) and d.is_dir():
        out += [str(p) for p in sorted(d.glob("*.yaml"))]
    return out


def outputs_of(args: argparse.Namespace) -> list[tuple[str, str]]:
    """(option, path) of every output the command line names."""
    return [(opt, v) for a, opt in _OUTPUT_ARGS if isinstance(v := getattr(args, a, None), str)]


def refuse_clobber(outputs: list[tuple[str, str]], inputs: Iterable[str]) -> None:
    """InputError (exit 2) if an output is a directory, an input, or another output."""
    ins = list(dict.fromkeys(inputs))
    for i, (opt, path) in enumerate(outputs):
        if not path:
            raise InputError(f"{opt}: empty file name", f"name the file to write, e.g. {opt} out.cfg")
        if os.path.isdir(path):
            raise InputError(f"{opt} {path}: is a directory",
                             f"name the file to write, e.g. {opt} {os.path.join(path, 'out.cfg')}")
        for src in ins:
            if same_file(path, src):
                raise InputError(f"{opt} {path}: refusing to overwrite the input file {display_path(src)}",
                                 "write the output to another file")
        for opt2, other in outputs[:i]:
            if same_file(path, other):
                raise InputError(f"{opt} {path}: the same file as {opt2} {other}",
                                 f"give {opt} and {opt2} different files")


def write_atomic(path: str, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same directory; InputError on failure."""
    if os.path.isdir(path):
        raise InputError(f"cannot write {path}: is a directory", "name a file, not a directory")
    d = os.path.dirname(path) or "."
    tmp: Optional[str] = None
    try:
        os.makedirs(d, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".configgen-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
