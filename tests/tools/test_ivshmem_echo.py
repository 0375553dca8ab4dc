"""ivshmem-echo on the host: the C unit tests of its command line, slots, checksum and test
pattern (under ASan/UBSan), and the tool itself (built for the host) on what it can meet without
a link: bad arguments (exit 2, usage), a missing device and a device that is no link end
(exit 1, a clear message, never a crash). The round trips themselves are system tests
(tests/system/ivshmem-echo.sh)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TOOL = TOP / "tools" / "ivshmem-echo"
SANITIZE = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
            "-std=gnu11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror"]
INCLUDES = [f"-I{p}" for p in (TOOL, TOP / "hv" / "include", TOP / "kmod", TOP / "hv" / "tests")]


def run(cmd: list[str | Path]) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=TOP,
                          timeout=60)


@pytest.fixture(scope="module")
def bins(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("ivshmem-echo")
    out = {"unit": d / "test_ivshmem_echo", "tool": d / "ivshmem-echo"}
    res = run(["gcc", *SANITIZE, *INCLUDES, "-o", out["unit"], HERE / "test_ivshmem_echo.c",
               TOOL / "args.c", TOOL / "msg.c"])
    assert res.returncode == 0, res.stderr
    res = run(["gcc", *SANITIZE, *INCLUDES, "-o", out["tool"], *sorted(TOOL.glob("*.c"))])
    assert res.returncode == 0, res.stderr
    return out


def test_unit(bins):
    res = run([bins["unit"]])
    assert res.returncode == 0, res.stdout + res.stderr
    assert "ivshmem_echo: " in res.stdout and " 0 failed" in res.stdout


@pytest.mark.parametrize("args,message", [
    ([], "no device given"),
    (["/dev/ivshmem0"], "--ping PEER or --serve"),
    (["/dev/ivshmem0", "--ping", "16"], "a peer id from 0 to 15"),
    (["/dev/ivshmem0", "--ping", "1", "-n", "0"], "a count from 1"),
    (["/dev/ivshmem0", "--ping", "1", "-s", "big"], "a size from 0"),
    (["/dev/ivshmem0", "--serve", "-t", "-1"], "seconds from 1"),
    (["/dev/ivshmem0", "--serve", "--ping", "1"], "only one of --ping and --serve"),
    (["/dev/ivshmem0", "--serve", "--bogus"], "unknown option '--bogus'"),
])
def test_bad_arguments(bins, args, message):
    res = run([bins["tool"], *args])
    assert res.returncode == 2, res.stdout + res.stderr
    assert message in res.stderr and "usage: ivshmem-echo" in res.stderr


def test_help(bins):
    res = run([bins["tool"], "--help"])
    assert res.returncode == 0 and "usage: ivshmem-echo DEV --ping PEER" in res.stdout


def test_missing_device(bins, tmp_path):
    res = run([bins["tool"], tmp_path / "ivshmem9", "--ping", "1"])
    assert res.returncode == 1
    assert "ivshmem9: cannot open: No such file or directory" in res.stderr


def test_not_a_link_end(bins):
    res = run([bins["tool"], "/dev/null", "--serve", "-t", "1"])
    assert res.returncode == 1
    assert "/dev/null: not an ivshmem link end" in res.stderr
