"""Inputs without end: a device or an include that never stops, a huge /incbin/. Each ends in a
clear error with exit status 1 or 2, quickly and in bounded memory, never a traceback or a
machine out of memory (reading /dev/zero used to grow until the kernel killed something)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SYSTEM


def _clean(rc: int, err: str, *expect: str) -> None:
    assert rc in (1, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    for e in expect:
        assert e in err, err


@pytest.mark.parametrize("argv, expect", [
    (["check", "/dev/zero"], "source /dev/zero is larger than 64 MiB"),
    (["check", SYSTEM, "/dev/zero"], "source /dev/zero is larger than 64 MiB"),
    (["dump", "/dev/zero"], "blob /dev/zero is larger than 64 MiB"),
    (["decompile", "/dev/zero"], "blob /dev/zero is larger than 64 MiB"),
    (["import", "/dev/zero"], "blob /dev/zero is larger than 64 MiB"),
    (["check", "--kconfig", "/dev/zero", SYSTEM], "Kconfig file /dev/zero is larger than 64 MiB"),
    (["dump", "/dev/null"], "would refuse this blob: truncated"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_endless_file(argv: list[str], expect: str, cli) -> None:
    rc, _, err = cli(*argv)
    _clean(rc, err, expect)


@pytest.mark.parametrize("body, tool", [
    ('#include "/dev/zero"\n', "cpp"),
    ('&hypervisor { c { x = /incbin/("/dev/zero", 0, 0x40000000); }; };\n', "dtc"),
], ids=["cpp-include-dev-zero", "dtc-incbin-1gib"])
def test_endless_include(body: str, tool: str, tmp_path: Path, cli) -> None:
    src = tmp_path / "endless.dtso"
    src.write_text("/dts-v1/;\n/plugin/;\n" + body)
    rc, _, err = cli("check", SYSTEM, str(src))
    _clean(rc, err, "[dts-syntax]")
    assert "out of memory" in err or "failed" in err, err


def test_missing_tool_is_an_error_of_the_machine_not_of_the_source(tmp_path: Path, monkeypatch, cli) -> None:
    """cpp and dtc run under a limiting shell: a tool that is not installed must still read as
    "cannot run cpp" (exit 2), not as the shell's "not found" blamed on the source."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "sh").symlink_to("/bin/sh")
    monkeypatch.setenv("PATH", str(bin_dir))
    rc, _, err = cli("check", SYSTEM)
    _clean(rc, err, "cannot run cpp: not found")
    assert rc == 2 and "[dts-syntax]" not in err
