"""The build system as a user drives it: Kconfig targets, menuconfig in a terminal, incremental
builds, install. Runs after `make all` in make check; uses a private KCONFIG_CONFIG so the
developer's .config is never touched."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-C", str(TOP), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def config_values(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.startswith("CONFIG_") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


@pytest.fixture
def private_config(tmp_path: Path) -> Path:
    return tmp_path / "config"


def test_defconfig_writes_the_arch_defaults(private_config: Path) -> None:
    res = make("defconfig", env={"KCONFIG_CONFIG": str(private_config)})
    assert res.returncode == 0, res.stderr
    values = config_values(private_config)
    assert values["CONFIG_ARCH_ARM64"] == "y"
    assert values["CONFIG_MAX_CPUS"] == "8"
    assert values["CONFIG_FATAL_TRAP_STOP_CELL"] == "y"


def test_olddefconfig_fills_in_and_savedefconfig_minimises(private_config: Path) -> None:
    private_config.write_text("CONFIG_MAX_CELLS=16\n")
    env = {"KCONFIG_CONFIG": str(private_config)}
    assert make("olddefconfig", env=env).returncode == 0
    values = config_values(private_config)
    assert values["CONFIG_MAX_CELLS"] == "16"
    assert values["CONFIG_EXIT_STATS"] == "y"
    res = make("savedefconfig", env=env)
    assert res.returncode == 0, res.stderr
    saved = (TOP / "defconfig").read_text()
    (TOP / "defconfig").unlink()
    assert "CONFIG_MAX_CELLS=16" in saved
    assert "CONFIG_EXIT_STATS" not in saved  # a default stays out of a minimal config


def test_out_of_range_value_is_rejected_by_kconfig(private_config: Path) -> None:
    private_config.write_text("CONFIG_MAX_CELLS=999\n")
    res = make("olddefconfig", env={"KCONFIG_CONFIG": str(private_config)})
    assert res.returncode == 0
    assert config_values(private_config)["CONFIG_MAX_CELLS"] == "8"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for_screen(session: str, text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-t", session, "-p")
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"'{text}' never appeared on the screen:\n{screen}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is installed by make deps")
def test_menuconfig_in_a_terminal(private_config: Path) -> None:
    """Drive menuconfig like a user: jump to MAX_CPUS, type a new value, save, quit."""
    assert make("defconfig", env={"KCONFIG_CONFIG": str(private_config)}).returncode == 0
    session = f"menuconfig-test-{os.getpid()}"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40",
         f"KCONFIG_CONFIG={private_config} make -C {TOP} menuconfig; sleep 30")
    try:
        wait_for_screen(session, "Partitioning limits")
        tmux("send-keys", "-t", session, "/")
        wait_for_screen(session, "Jump to")
        tmux("send-keys", "-t", session, "MAX_CPUS", "Enter")
        wait_for_screen(session, "Maximum number of CPUs")
        tmux("send-keys", "-t", session, "Enter")
        wait_for_screen(session, "Maximum number of CPUs")
        tmux("send-keys", "-t", session, "C-u")
        tmux("send-keys", "-t", session, "C-a", "C-k", "4", "Enter")
        wait_for_screen(session, "(4) Maximum number of CPUs")
        tmux("send-keys", "-t", session, "q")
        wait_for_screen(session, "Save configuration?")
        tmux("send-keys", "-t", session, "y")
        wait_for_screen(session, "saved to")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    # (kconfiglib moves the old file to .old before writing the new one: read only once saved)
    assert config_values(private_config)["CONFIG_MAX_CPUS"] == "4"


def test_second_build_compiles_nothing() -> None:
    first = make("all")
    assert first.returncode == 0, first.stdout + first.stderr
    second = make("all")
    assert second.returncode == 0
    compiled = [l for l in second.stdout.splitlines()
                if "gcc " in l or l.strip().startswith(("CC", "LD", "AS"))]
    assert compiled == []


def test_install_honours_destdir_and_prefix(tmp_path: Path) -> None:
    res = make("install", f"DESTDIR={tmp_path}", "PREFIX=/usr")
    assert res.returncode == 0, res.stdout + res.stderr
    kabi = (Path(os.environ.get("CACHE", TOP / ".cache")) / "KABI").read_text().strip()
    assert (tmp_path / "usr/sbin/jailhouse").stat().st_mode & 0o111
    assert (tmp_path / f"lib/modules/{kabi}-arm64/extra/jailhouse.ko").is_file()
    assert (tmp_path / "usr/share/bash-completion/completions/jailhouse").is_file()
    assert (tmp_path / "usr/share/man/man8/jailhouse.8").is_file()
    if not (TOP / "configgen" / "__main__.py").exists():
        return
    assert (tmp_path / "usr/lib/jailhouse/configgen/__main__.py").is_file()
    assert (tmp_path / "usr/share/man/man1/configgen.1").is_file()
    assert (tmp_path / "usr/share/bash-completion/completions/configgen").is_file()
    if (TOP / "hv" / "Makefile").exists():
        assert (tmp_path / "lib/firmware/jailhouse.bin").is_file()
    # The installed configgen works from anywhere: bindings and dts/include travel with it.
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "usr/lib/jailhouse")}
    res = subprocess.run([str(tmp_path / "usr/bin/configgen"), "--help"], capture_output=True,
                         text=True, env=env)
    assert res.returncode == 0 and "usage" in res.stdout.lower()
    res = subprocess.run([str(tmp_path / "usr/bin/configgen"), "check",
                          str(TOP / "dts/qemu-arm64/system.dts"),
                          str(TOP / "dts/qemu-arm64/gic-demo.dtso")],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize("cell", ["gic-demo", "smp-demo"])
def test_inmates_link_where_their_cell_loads_them(cell: str) -> None:
    """The link address comes from the compiled cell (dts/qemu-arm64/CELL.dtso), not a constant."""
    from elftools.elf.elffile import ELFFile

    configs = TOP / "build/configs/qemu-arm64"
    elf_path = TOP / f"build/inmates/{cell}.elf"
    if not elf_path.exists():
        pytest.skip("inmates not built")
    fragment = subprocess.run(["/usr/bin/python3", str(TOP / "scripts/cell-make-vars.py"),
                               str(configs / f"{cell}.cell")],
                              capture_output=True, text=True, check=True).stdout
    values = dict(line.split(" := ") for line in fragment.splitlines() if " := " in line)
    with elf_path.open("rb") as f:
        entry = ELFFile(f).header["e_entry"]
    assert entry == int(values[f"{cell}_INMATE_BASE"], 16)
    assert (configs / f"{cell}.mk").read_text() == fragment


def test_cell_make_vars_rejects_a_system_blob() -> None:
    res = subprocess.run(["/usr/bin/python3", str(TOP / "scripts/cell-make-vars.py"),
                          str(TOP / "build/configs/qemu-arm64/system.cell")],
                         capture_output=True, text=True)
    assert res.returncode == 1 and "not a cell blob" in res.stderr


def test_inmate_link_address_follows_a_changed_cell(tmp_path: Path) -> None:
    """Move gic-demo's loadable region and the inmate build follows it."""
    from elftools.elf.elffile import ELFFile

    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "gic-demo.mk").write_text("gic-demo_INMATE_BASE := 0x200000\n"
                                         "gic-demo_INMATE_SIZE := 0x100000\n"
                                         "gic-demo_COMM_REGION := 0x90000000\n")
    res = subprocess.run(["make", "-C", str(TOP / "inmates"), f"O={tmp_path}/inmates",
                          f"CONFIGS={configs}", f"CONFIG_INCLUDE={TOP}/build/include",
                          f"{tmp_path}/inmates/gic-demo.elf"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    with (tmp_path / "inmates/gic-demo.elf").open("rb") as f:
        assert ELFFile(f).header["e_entry"] == 0x200000


def test_inmates_rebuild_a_build_tree_of_an_older_source_layout(tmp_path: Path) -> None:
    """A build tree from before the library split (demos/gic-demo.c, now demos/arm-common/) names
    moved sources in its .d files: the build rebuilds that object instead of stopping with
    "No rule to make target", and the next build compiles nothing."""
    out = tmp_path / "inmates"

    def build() -> subprocess.CompletedProcess:
        return subprocess.run(["make", "-C", str(TOP / "inmates"), f"O={out}",
                               f"CONFIGS={tmp_path}", f"CONFIG_INCLUDE={TOP}/build/include",
                               f"{out}/gic-demo.elf"],
                              capture_output=True, text=True, timeout=300)

    assert build().returncode == 0
    dep = out / "demos/gic-demo.d"
    # what the old layout's compiler wrote: the source and a header at their old places
    dep.write_text(f"{out}/demos/gic-demo.o: {TOP}/inmates/demos/gic-demo.c \\\n"
                   f" {TOP}/inmates/lib/gic.h\n{TOP}/inmates/lib/gic.h:\n")
    res = build()
    assert res.returncode == 0, res.stdout + res.stderr
    assert "demos/gic-demo.o" in res.stdout
    assert TOP.as_posix() + "/inmates/demos/arm-common/gic-demo.c" in dep.read_text()
    again = build()
    assert again.returncode == 0 and "CC" not in again.stdout, again.stdout
