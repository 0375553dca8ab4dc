"""One `make install` per architecture into a DESTDIR (PREFIX=/usr), shared by test_install.py and
test_project.py (session fixtures; conftest.py re-exports them). depmod is a stand-in that logs
its arguments."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

TOP = Path(__file__).resolve().parents[2]


class Install(NamedTuple):
    root: Path  # DESTDIR
    depmod_log: Path


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-C", str(TOP), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def fake_depmod(where: Path) -> tuple[Path, Path]:
    """A depmod that writes its arguments to a file: (the program, its log)."""
    prog, log = where / "depmod", where / "depmod.args"
    prog.write_text(f"#!/bin/sh\necho \"$@\" >> {log}\n")
    prog.chmod(0o755)
    return prog, log


def install(work: Path, *args: str) -> Install:
    prog, log = fake_depmod(work)
    res = make(*args, "install", f"DESTDIR={work}/root", "PREFIX=/usr", f"DEPMOD={prog}")
    assert res.returncode == 0, res.stdout + res.stderr
    return Install(work / "root", log)


@pytest.fixture(scope="session")
def installed_arm64(tmp_path_factory: pytest.TempPathFactory) -> Install:
    if not (TOP / "build/sdk/lib/jailhouse/inmate/arm64/libinmate.a").exists():
        pytest.skip("arm64 not built")
    return install(tmp_path_factory.mktemp("install-arm64"))


@pytest.fixture(scope="session")
def installed_x86(tmp_path_factory: pytest.TempPathFactory) -> Install:
    if not (TOP / "build/x86/sdk/lib/jailhouse/inmate/x86/libinmate.a").exists():
        pytest.skip("x86 not built")
    return install(tmp_path_factory.mktemp("install-x86"), "ARCH=x86")
