"""Set-up as a new machine meets it: every goal that builds or runs something runs `make deps`
before any rule that needs a package; the private apt state reads the machine's own sources;
one QEMU command line serves every boot."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
WORKING_GOALS = ["all", "demo", "check", "menuconfig", "bench", "check-system", "configs"]
SETUP_FREE_GOALS = ["help", "clean", "distclean", "check-fresh"]


def dry_make(goal: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    """`make -n GOAL` with a stand-in deps script that logs its runs; BUILD in tmp_path, so
    deps.mk is missing as on a fresh clone."""
    log = tmp_path / "deps-runs"
    fake = tmp_path / "deps.sh"
    fake.write_text(f"#!/bin/sh\necho FAKE-DEPS-RAN\necho ran >> {log}\n")
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "JAILHOUSE_DEPS_READY"}
    res = subprocess.run(["make", "-n", "-C", str(TOP), goal, f"DEPS={fake}",
                          f"BUILD={tmp_path / 'build'}"],
                         capture_output=True, text=True, env=env, timeout=120)
    runs = log.read_text().splitlines() if log.exists() else []
    return res, runs


@pytest.mark.parametrize("goal", WORKING_GOALS)
def test_goal_runs_deps_first(goal: str, tmp_path: Path) -> None:
    res, runs = dry_make(goal, tmp_path)
    # (a dry run of the recursive hv build may stop later: its generated files are missing)
    assert runs == ["ran"], res.stdout[-2000:] + res.stderr[-2000:]
    lines = [l for l in res.stdout.splitlines() if not l.startswith("make")]
    assert lines and lines[0] == "FAKE-DEPS-RAN", res.stdout[:2000]


@pytest.mark.parametrize("goal", SETUP_FREE_GOALS)
def test_setup_free_goal_installs_nothing(goal: str, tmp_path: Path) -> None:
    res, runs = dry_make(goal, tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    assert runs == []


def test_nested_make_does_not_run_deps_again(tmp_path: Path) -> None:
    """Tests and check.sh call make again; the top-level make's mark spares them the check."""
    res, runs = dry_make("configs", tmp_path)
    assert runs == ["ran"]
    env = {**os.environ, "JAILHOUSE_DEPS_READY": "1"}
    res = subprocess.run(["make", "-n", "-C", str(TOP), "configs", f"DEPS={tmp_path / 'deps.sh'}",
                          f"BUILD={tmp_path / 'build2'}"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert (tmp_path / "deps-runs").read_text().splitlines() == ["ran"]


def project_code() -> list[Path]:
    files = [TOP / "Makefile", *TOP.glob(".ci/*")]
    for folder in ("scripts", "tests", "bench", "tools", "configgen"):
        for p in (TOP / folder).rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts and (
                    p.suffix in (".py", ".sh") or os.access(p, os.X_OK)):
                files.append(p)
    return files


def test_one_qemu_command_builder() -> None:
    binary = "qemu-system-" + "aarch64"
    spelled = [str(p.relative_to(TOP)) for p in project_code()
               if p.name != "qemu_machine.py" and binary in p.read_text(errors="ignore")]
    assert spelled == [], "QEMU command lines outside tests/qemu_machine.py"


def test_no_mirror_address_in_the_project() -> None:
    mirror = re.compile(r"(deb|ftp[\w.-]*|security|snapshot)\.debian\.org|https?://[\w.-]*debian")
    named = [str(p.relative_to(TOP)) for p in project_code()
             if mirror.search(p.read_text(errors="ignore"))]
    assert named == []


def apt_sites(apt_config: str | None) -> tuple[set[str], set[str]]:
    env = {k: v for k, v in os.environ.items() if k != "APT_CONFIG"}
    if apt_config:
        env["APT_CONFIG"] = apt_config
    res = subprocess.run(["apt-get", "indextargets", "--format", "$(SITE) $(ARCHITECTURE)",
                          "Identifier: Packages"], capture_output=True, text=True, env=env,
                         check=True)
    pairs = [l.split() for l in res.stdout.splitlines() if l.strip()]
    return {p[0] for p in pairs}, {p[1] for p in pairs if len(p) > 1}


def test_private_apt_state_uses_the_machines_sources() -> None:
    cache = Path(os.environ.get("CACHE", TOP / ".cache"))
    conf = cache / "apt" / "apt.conf"
    if not conf.exists():
        pytest.skip("make deps has not run (no private apt state)")
    host_sites, _ = apt_sites(None)
    private_sites, archs = apt_sites(str(conf))
    assert private_sites == host_sites
    assert "arm64" in archs
    text = conf.read_text()
    assert "sources.list" in text and str(cache) in text
