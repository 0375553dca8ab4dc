from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SAMPLES = REPO / "dts" / "qemu-arm64"
SYSTEM = "dts/qemu-arm64/system.dts"
CELLS = ["dts/qemu-arm64/gic-demo.dtso", "dts/qemu-arm64/smp-demo.dtso"]

from fuzzlib import run_in_process as run_cli  # noqa: E402  (one in-process runner for tests and fuzzer)


@pytest.fixture
def cli():
    return run_cli
