"""A machine snapshot given as a tar archive (`jailhouse config collect FILE.tar`): unpacked
into a temporary directory for `configgen create --root`. Only regular files and directories
with relative names inside the archive are taken; anything else (links, devices, absolute or
`..` names, more than MAX_BYTES) makes the archive unusable: a snapshot never needs them."""
from __future__ import annotations

import contextlib
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterator

from configgen.diag import InputError

MAX_BYTES = 256 << 20


def _safe(member: tarfile.TarInfo) -> bool:
    name = PurePosixPath(member.name)
    return (member.isfile() or member.isdir()) and not name.is_absolute() and ".." not in name.parts


def _unpack(path: Path, dest: Path) -> None:
    try:
        with tarfile.open(path) as tar:
            members = tar.getmembers()
            bad = next((m.name for m in members if not _safe(m)), None)
            if bad is not None:
                raise InputError(f"--root {path}: '{bad}' is not a plain file or directory "
                                 "inside the snapshot")
            if sum(m.size for m in members) > MAX_BYTES:
                raise InputError(f"--root {path}: more than {MAX_BYTES >> 20} MiB: not a snapshot")
            for m in members:
                out = dest / m.name
                if m.isdir():
                    out.mkdir(parents=True, exist_ok=True)
                    continue
                out.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(m)
                out.write_bytes(src.read() if src else b"")
    except (tarfile.TarError, EOFError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InputError(f"--root {path}: not a readable tar archive ({first.rstrip(':')})") from None
    except OSError as e:
        raise InputError(f"--root {path}: {e.strerror or e}") from None


@contextlib.contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """The snapshot archive at path, unpacked; InputError if it is no usable snapshot."""
    with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
        _unpack(path, Path(tmp))
        yield Path(tmp)
