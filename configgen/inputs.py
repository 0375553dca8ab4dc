"""Bounded input: every file configgen reads and every tool it runs has a ceiling.

A hostile or mistaken input (`/dev/zero` as a blob, `#include "/dev/zero"`, a 4 GiB
`/incbin/`) must end in a clear error, not in a machine out of memory or a command that never
returns. Files are read up to a limit (pipes and devices too, so `<(...)` keeps working); cpp
and dtc run with an address-space and CPU-time limit and a wall-clock timeout.
"""
from __future__ import annotations

import shutil
import subprocess
from typing import Optional

from configgen.diag import InputError

MiB = 1 << 20
SOURCE_LIMIT = 64 * MiB  # a .dts/.dtso, .config or binding; 8,192 regions are < 1 MiB
BLOB_LIMIT = 64 * MiB  # a binary configuration or a DTB
TOOL_MEMORY = 1 << 30  # address space of cpp and dtc
TOOL_CPU_S = 60
TOOL_WALL_S = 90


def read_bounded(path: str, what: str, limit: int, disp: Optional[str] = None) -> bytes:
    """The bytes of `path` (a regular file, pipe or device), or InputError if unreadable or
    larger than `limit`."""
    disp = disp or path
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except IsADirectoryError:
        raise InputError(f"cannot read {what} {disp}: is a directory") from None
    except OSError as e:
        raise InputError(f"cannot read {what} {disp}: {e.strerror}") from None
    except MemoryError:
        raise InputError(f"cannot read {what} {disp}: out of memory") from None
    if len(data) > limit:
        raise InputError(f"{what} {disp} is larger than {limit // MiB} MiB",
                         "is this the right file? configgen reads no input that large")
    return data


def run_tool(cmd: list[str], stdin: Optional[bytes] = None) -> subprocess.CompletedProcess:
    """Run cpp or dtc with bounded memory and time; InputError if it cannot run or overruns."""
    if shutil.which(cmd[0]) is None:  # else the shell's "not found" would read as a source error
        raise InputError(f"cannot run {cmd[0]}: not found")
    # the limits are set by a shell in the child: preexec_fn is unsafe with the loader's threads
    limited = ["sh", "-c", f'ulimit -v {TOOL_MEMORY // 1024} && ulimit -t {TOOL_CPU_S} && exec "$@"', cmd[0]] + cmd
    try:
        res = subprocess.run(limited, input=stdin, capture_output=True, timeout=TOOL_WALL_S)
    except subprocess.TimeoutExpired:
        raise InputError(f"{cmd[0]} did not finish within {TOOL_WALL_S} s",
                         "does the source include a pipe or a device?") from None
    except (OSError, subprocess.SubprocessError) as e:
        raise InputError(f"cannot run {cmd[0]}: {e}") from None
    if len(res.stdout) > BLOB_LIMIT:
        raise InputError(f"{cmd[0]} produced more than {BLOB_LIMIT // MiB} MiB",
                         "look for /incbin/ or #include of a large file")
    return res
