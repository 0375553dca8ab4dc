"""`make install` as a packager (DESTDIR) and a user see it: configs in /etc/jailhouse, demo
inmates in PREFIX/share/jailhouse/inmates, the inmate SDK, the Kconfig limits the installed
configgen applies by default, depmod, and man pages and completion naming real installed paths
(docs/install.md). Runs after `make all` (both arches in make check)."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from installs import TOP, Install, fake_depmod, make

KABI = (Path(os.environ.get("CACHE", TOP / ".cache")) / "KABI")


def demos(arch: str) -> list[str]:
    text = (TOP / f"inmates/lib/{arch}/lib.mk").read_text()
    return re.search(r"^DEMOS\s*:=\s*(.*)$", text, re.M).group(1).split()


@pytest.fixture
def arm64(installed_arm64: Install) -> tuple[Path, Path]:
    """(DESTDIR of the arm64 install with PREFIX=/usr, the log of its depmod)."""
    return installed_arm64.root, installed_arm64.depmod_log


def configgen(dest: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(dest / "usr/bin/configgen"), *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)


def test_configs_under_etc(arm64: tuple[Path, Path]) -> None:
    dest, _ = arm64
    built = TOP / "build/configs/qemu-arm64"
    cells = sorted(p.stem for p in (TOP / "dts/qemu-arm64").glob("*.dtso"))
    want = {"system.cell", "root.dtb"} | {f"{c}.cell" for c in cells} | {f"{c}.dtb" for c in cells}
    etc = dest / "etc/jailhouse"
    assert {p.name for p in etc.iterdir()} == want
    for name in want:
        assert (etc / name).read_bytes() == (built / name).read_bytes(), name


def test_demo_inmates_and_sdk(arm64: tuple[Path, Path]) -> None:
    dest, _ = arm64
    inmates = dest / "usr/share/jailhouse/inmates"
    assert sorted(p.name for p in inmates.iterdir()) == sorted(f"{d}.bin" for d in demos("arm64"))
    for d in demos("arm64"):
        assert (inmates / f"{d}.bin").read_bytes() == (TOP / f"build/inmates/{d}.bin").read_bytes()
    sdk = dest / "usr/lib/jailhouse/inmate"
    for f in ("inmate.mk", "arm64/libinmate.a", "arm64/inmate.lds", "arm64/include/inmate.h"):
        assert (sdk / f).is_file(), f
    for f in ("project.mk", "configs.mk", "installed.mk", "boards/qemu-arm64-virt.dts"):
        assert (dest / "usr/share/jailhouse" / f).is_file(), f
    assert "JH_ARCH := arm64" in (dest / "usr/share/jailhouse/installed.mk").read_text()


def test_installed_configgen_applies_the_build_limits(arm64: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    """The build's .config travels with configgen and is its default, not ./.config or 8/8."""
    dest, _ = arm64
    record = dest / "usr/lib/jailhouse/jailhouse.config"
    assert record.read_text() == (TOP / ".config").read_text()
    system = str(TOP / "dts/qemu-arm64/system.dts")
    saved = record.read_text()
    try:
        record.write_text(re.sub(r"^CONFIG_MAX_CPUS=.*$", "CONFIG_MAX_CPUS=2", saved, flags=re.M))
        (tmp_path / ".config").write_text("CONFIG_MAX_CPUS=64\n")  # a stray ./.config loses
        res = configgen(dest, "check", system, cwd=tmp_path)
        assert res.returncode == 1
        assert "CONFIG_MAX_CPUS=2" in res.stderr and str(record) in res.stderr, res.stderr
        res = configgen(dest, "check", "--kconfig", str(TOP / ".config"), system, cwd=tmp_path)
        assert res.returncode == 0, res.stderr
    finally:
        record.write_text(saved)
    res = configgen(dest, "check", system, "--sets", str(TOP / "dts/qemu-arm64/sets"), cwd=tmp_path)
    assert res.returncode == 0 and "set 'demo': ok" in res.stdout, res.stdout + res.stderr


def _named_paths(text: str) -> set[str]:
    return set(re.findall(r"(/(?:etc|usr)/[A-Za-z0-9_./*-]*jailhouse[A-Za-z0-9_./*-]*)", text))


def test_man_pages_and_completion_name_installed_paths(arm64: tuple[Path, Path]) -> None:
    dest, _ = arm64
    docs = [dest / "usr/share/man/man8/jailhouse.8", dest / "usr/share/man/man1/configgen.1",
            dest / "usr/share/bash-completion/completions/jailhouse",
            dest / "usr/share/bash-completion/completions/configgen"]
    named = set().union(*(_named_paths(p.read_text().replace("\\-", "-")) for p in docs))
    assert any(p.startswith("/etc/jailhouse") for p in named)
    assert "/usr/lib/jailhouse/jailhouse.config" in named  # configgen.1's PREFIX/... made real
    for p in named:
        p = p.rstrip(".")
        matches = list(dest.glob(p.lstrip("/"))) if "*" in p else [dest / p.lstrip("/")]
        assert matches and all(m.exists() for m in matches), p


def test_sysconfdir_and_prefix_follow_the_install(tmp_path: Path) -> None:
    if not (TOP / "build/configs/qemu-arm64/system.cell").exists():
        pytest.skip("arm64 not built")
    prog, _ = fake_depmod(tmp_path)
    res = make("install", f"DESTDIR={tmp_path}/root", "PREFIX=/opt/jh", "SYSCONFDIR=/opt/etc",
               f"DEPMOD={prog}")
    assert res.returncode == 0, res.stderr
    root = tmp_path / "root"
    assert (root / "opt/etc/jailhouse/system.cell").is_file()
    assert (root / "opt/jh/share/jailhouse/inmates/gic-demo.bin").is_file()
    man = (root / "opt/jh/share/man/man8/jailhouse.8").read_text()
    assert "/opt/etc/jailhouse" in man
    assert "/etc/jailhouse/" not in man.replace("/opt/etc/jailhouse", "")
    completion = (root / "opt/jh/share/bash-completion/completions/jailhouse").read_text()
    assert "/opt/etc/jailhouse" in completion


def test_depmod_runs_on_the_staged_tree(arm64: tuple[Path, Path]) -> None:
    dest, log = arm64
    kver = f"{KABI.read_text().strip()}-arm64"
    assert (dest / f"lib/modules/{kver}/extra/jailhouse.ko").is_file()
    assert log.read_text().split() == ["-b", str(dest), kver]


def test_depmod_without_destdir_and_missing(tmp_path: Path) -> None:
    prog, log = fake_depmod(tmp_path)
    script = str(TOP / "scripts/install-depmod.sh")
    res = subprocess.run([script, "", "6.1.0-99-arm64"], env={**os.environ, "DEPMOD": str(prog)},
                         capture_output=True, text=True)
    assert res.returncode == 0 and log.read_text().split() == ["6.1.0-99-arm64"]
    res = subprocess.run([script, str(tmp_path), "6.1.0-99-arm64"],
                         env={**os.environ, "DEPMOD": str(tmp_path / "no-depmod")},
                         capture_output=True, text=True)
    assert res.returncode == 0
    assert "not found" in res.stderr and "depmod 6.1.0-99-arm64" in res.stderr


def test_x86_install(installed_x86: Install) -> None:
    root, log = installed_x86
    etc = root / "etc/jailhouse"
    cells = sorted(p.stem for p in (TOP / "dts/qemu-x86").glob("*.dtso"))
    want = {"system.cell", "root.cmdline"} | {f"{c}.cell" for c in cells}
    assert {p.name for p in etc.iterdir()} == want
    built = TOP / "build/x86/configs/qemu-x86"
    assert (etc / "root.cmdline").read_text() == (built / "root.cmdline").read_text()
    inmates = root / "usr/share/jailhouse/inmates"
    assert sorted(p.name for p in inmates.iterdir()) == sorted(f"{d}.bin" for d in demos("x86"))
    assert (root / "usr/lib/jailhouse/inmate/x86/libinmate.a").is_file()
    assert "JH_ARCH := x86" in (root / "usr/share/jailhouse/installed.mk").read_text()
    record = root / "usr/lib/jailhouse/jailhouse.config"
    assert record.read_text() == (TOP / ".config-x86").read_text()
    assert log.read_text().split()[-1].endswith("-amd64")


def test_limits_precedence(tmp_path: Path) -> None:
    """--kconfig beats the installed record, which beats ./.config (configgen/kconfig.py)."""
    import sys
    sys.path.insert(0, str(TOP))
    from configgen.kconfig import load_limits
    record, own, cwd = tmp_path / "jailhouse.config", tmp_path / "own.config", tmp_path / "cwd"
    cwd.mkdir()
    record.write_text("CONFIG_MAX_CPUS=3\nCONFIG_MAX_CELLS=5\n")
    own.write_text("CONFIG_MAX_CPUS=6\n")
    (cwd / ".config").write_text("CONFIG_MAX_CPUS=7\n")
    lim = load_limits(None, str(cwd), installed=str(record))
    assert (lim.max_cpus, lim.max_cells, lim.source) == (3, 5, str(record))
    assert load_limits(str(own), str(cwd), installed=str(record)).max_cpus == 6
    assert load_limits(None, str(cwd), installed=str(tmp_path / "none")).max_cpus == 7
