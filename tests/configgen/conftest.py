from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SAMPLES = REPO / "dts" / "qemu-arm64"
SYSTEM = "dts/qemu-arm64/system.dts"
CELLS = ["dts/qemu-arm64/gic-demo.dtso", "dts/qemu-arm64/smp-demo.dtso"]


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run configgen in-process from the repository root; returns (status, stdout, stderr)."""
    from configgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(REPO)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                rc = main(list(argv))
            except SystemExit as e:  # argparse usage errors
                rc = int(e.code or 0)
    finally:
        os.chdir(old)
    return rc, out.getvalue(), err.getvalue()


@pytest.fixture
def cli():
    return run_cli
