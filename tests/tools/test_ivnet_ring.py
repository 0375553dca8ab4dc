"""The ivnet ring protocol's arithmetic (kmod/ivshmem/net.h, shared with the driver) on the
host under ASan/UBSan: geometry, streams through small rings across every wrap and across 2^32,
and a hostile writer's impossible entries refused. The driver itself is exercised by
tests/system/ivshmem-net.sh."""
from __future__ import annotations

import subprocess
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SANITIZE = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
            "-std=gnu11", "-Wall", "-Wextra", "-Werror"]


def test_ring_unit(tmp_path):
    exe = tmp_path / "test_ivnet_ring"
    res = subprocess.run(["gcc", *SANITIZE, f"-I{TOP / 'kmod'}", f"-I{TOP / 'hv' / 'tests'}", "-o", str(exe),
                          str(HERE / "test_ivnet_ring.c")], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    res = subprocess.run([str(exe)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "ivnet_ring: " in res.stdout and " 0 failed" in res.stdout
