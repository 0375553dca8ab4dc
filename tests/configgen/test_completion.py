"""bash completion (tools/completion/) and man pages (docs/man/) stay in sync with the CLIs."""
from __future__ import annotations

import argparse
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from configgen.cli import _parser

COMP = REPO / "tools/completion"
MAN = REPO / "docs/man"


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    p = _parser()
    action = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _options(sp: argparse.ArgumentParser) -> set[str]:
    return {o for a in sp._actions for o in a.option_strings}


def _jailhouse_commands() -> list[str]:
    """Commands listed by usage() in tools/jailhouse.c."""
    src = (REPO / "tools/jailhouse.c").read_text()
    usage = src[src.index("static void usage"):]
    usage = usage[:usage.index("}")]
    return re.findall(r'"  ([a-z][a-z-]*)\b', usage)


def test_configgen_completion_knows_every_command_and_option() -> None:
    text = (COMP / "configgen.bash").read_text()
    cmds = re.search(r'local cmds="([^"]*)"', text).group(1).split()
    subs = _subparsers()
    assert sorted(cmds) == sorted(subs)
    common = re.search(r'local common="([^"]*)"', text).group(1).split()
    for name, sp in subs.items():
        m = re.search(rf"^\t{re.escape(name)}\) opts=\"([^\"]*)\"", text, re.M)
        assert m, name
        opts = set(m.group(1).replace("$common", " ".join(common)).split())
        assert opts == _options(sp), (name, opts ^ _options(sp))


def _complete(script: Path, func: str, words: list[str], cwd: Path, path: str = "") -> list[str]:
    line = " ".join(f"'{w}'" for w in words)
    cmd = (f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; {func}; "
           'printf "%s\\n" "${COMPREPLY[@]}"')
    env = dict(os.environ, PATH=f"{path}:{os.environ['PATH']}" if path else os.environ["PATH"])
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=cwd, env=env)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return sorted(l for l in r.stdout.splitlines() if l)


def test_configgen_completion_in_bash(tmp_path: Path) -> None:
    for f in ("system.dts", "cell.dtso", "blob.cfg", "notes.txt"):
        (tmp_path / f).write_text("")
    (tmp_path / "sub").mkdir()
    s = COMP / "configgen.bash"
    assert _complete(s, "_configgen", ["configgen", "gu"], tmp_path) == ["guest-dt"]
    assert _complete(s, "_configgen", ["configgen", "c"], tmp_path) == ["check", "compile", "create"]
    assert _complete(s, "_configgen", ["configgen", "map", ""], tmp_path) == ["cell.dtso", "sub/", "system.dts"]
    assert _complete(s, "_configgen", ["configgen", "dump", ""], tmp_path) == ["blob.cfg", "sub/"]
    assert _complete(s, "_configgen", ["configgen", "create", "--h"], tmp_path) == ["--help", "--hypervisor-address",
                                                                             "--hypervisor-size"]
    assert "--root-dtb" in _complete(s, "_configgen", ["configgen", "compile", "x.dts", "--"], tmp_path)


def test_jailhouse_completion_in_bash(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "jailhouse").write_text("#!/bin/sh\ncat <<'E'\nUsage: jailhouse COMMAND\n\nCommands:\n"
                                    "  enable SYSTEM.cell   x\n  disable   y\n  console [-f]  z\n  cell ...  c\n"
                                    "  --help   h\nE\n")
    (fake / "jailhouse").chmod(0o755)
    (tmp_path / "a.cell").write_text("")
    (tmp_path / "b.txt").write_text("")
    s = COMP / "jailhouse.bash"
    got = _complete(s, "_jailhouse", ["jailhouse", ""], tmp_path, str(fake))
    assert got == ["--help", "--version", "cell", "console", "disable", "enable"]
    assert _complete(s, "_jailhouse", ["jailhouse", "enable", ""], tmp_path, str(fake))[:1] == ["a.cell"]
    assert _complete(s, "_jailhouse", ["jailhouse", "console", "-"], tmp_path, str(fake)) == ["--follow", "-f"]
    # without a jailhouse on PATH the built-in list is used
    got = _complete(s, "_jailhouse", ["/nonexistent/jailhouse", "st"], tmp_path)
    assert got == ["status"]


def _fake_cells(tmp_path: Path) -> dict[str, str]:
    """A sysfs tree with two cells, one with a space in its name."""
    for cid, name in ((1, "gic-demo"), (2, "my cell")):
        d = tmp_path / "sysfs" / "cells" / str(cid)
        d.mkdir(parents=True)
        (d / "name").write_text(name + "\n")
    return {"JAILHOUSE_SYSFS": str(tmp_path / "sysfs")}


def _complete_env(words: list[str], cwd: Path, env: dict[str, str]) -> list[str]:
    line = " ".join(f"'{w}'" for w in words)
    cmd = (f"source {COMP / 'jailhouse.bash'}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
           '_jailhouse; printf "%s\\n" "${COMPREPLY[@]}"')
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=cwd,
                       env=dict(os.environ, **env))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return sorted(l for l in r.stdout.splitlines() if l)


@pytest.mark.parametrize("sub", ["load", "start", "shutdown", "destroy", "stats"])
def test_jailhouse_completion_names_the_cells(tmp_path: Path, sub: str) -> None:
    env = _fake_cells(tmp_path)
    jh = "/nonexistent/jailhouse"
    assert _complete_env([jh, "cell", sub, ""], tmp_path, env) == ["--name", "gic-demo", "my cell"]
    assert _complete_env([jh, "cell", sub, "g"], tmp_path, env) == ["gic-demo"]
    assert _complete_env([jh, "cell", sub, "--name", "my"], tmp_path, env) == ["my cell"]


def test_jailhouse_completion_of_the_parity_commands(tmp_path: Path) -> None:
    env = _fake_cells(tmp_path)
    (tmp_path / "sys.cell").write_text("")
    (tmp_path / "snap.tar").write_text("")
    jh = "/nonexistent/jailhouse"
    assert _complete_env([jh, "cell", "stats", "gic-demo", "-"], tmp_path, env) == \
        ["--count", "--once", "-n"]
    assert _complete_env([jh, "cell", "stats", "--name", "gic-demo", "--o"], tmp_path, env) == \
        ["--once"]
    assert _complete_env([jh, "hardware", ""], tmp_path, env) == ["--help", "check"]
    assert _complete_env([jh, "hardware", "check", "--arch", ""], tmp_path, env) == ["arm64", "x86"]
    assert _complete_env([jh, "hardware", "check", "--"], tmp_path, env) == \
        ["--arch", "--help", "--root"]
    assert "sys.cell" in _complete_env([jh, "hardware", "check", "s"], tmp_path, env)
    assert _complete_env([jh, "config", ""], tmp_path, env) == ["--help", "check", "collect",
                                                                 "create"]
    assert _complete_env([jh, "config", "collect", "sn"], tmp_path, env) == ["snap.tar"]
    assert _complete_env([jh, "config", "check", "s"], tmp_path, env)[:1] == ["sys.cell"]
    assert _complete_env([jh, "config", "create", "--mem"], tmp_path, env) == \
        ["--mem-hv", "--mem-inmates"]
    assert _complete_env([jh, "config", "create", "-r", "sn"], tmp_path, env) == ["snap.tar"]
    assert _complete_env([jh, "h"], tmp_path, env) == ["hardware"]


def test_jailhouse_completion_fallback_lists_every_command() -> None:
    text = (COMP / "jailhouse.bash").read_text()
    fallback = re.search(r'cmds="([^"]*)"', text).group(1).split()
    assert set(_jailhouse_commands()) <= set(fallback)


@pytest.mark.parametrize("page", ["configgen.1", "jailhouse.8"])
def test_man_pages_render_without_warnings(page: str) -> None:
    r = subprocess.run(["groff", "-man", "-ww", "-z", str(MAN / page)], capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C.UTF-8"))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    r = subprocess.run(["man", "-l", "-P", "cat", str(MAN / page)], capture_output=True, text=True,
                       env=dict(os.environ, MANWIDTH="100", LC_ALL="C.UTF-8"))
    assert r.returncode == 0 and "SYNOPSIS" in r.stdout


def _man_text(page: str) -> str:
    return (MAN / page).read_text().replace("\\-", "-")


def test_configgen_man_page_covers_the_cli() -> None:
    text = _man_text("configgen.1")
    for name, sp in _subparsers().items():
        assert f".B {name}" in text or f"configgen {name}" in text, name
        for opt in _options(sp) - {"-h"}:
            assert opt in text, (name, opt)


def test_jailhouse_man_page_covers_the_cli() -> None:
    text = _man_text("jailhouse.8")
    for cmd in _jailhouse_commands():
        assert f"jailhouse {cmd}" in text or f".B {cmd}" in text or f".BI {cmd}" in text, cmd
