"""Out-of-tree projects (mk/project.mk, docs/install.md "Projects"): a board, a system, two cell
sets whose cells are alternatives sharing a CPU, and an own inmate (tests/build/project/), built
with ONLY an installed tree (DESTDIR + PREFIX): the source tree is hidden under an empty tmpfs
while it builds (a private mount namespace), so any read of it fails. Also from the source tree
itself, and the errors a user meets (a set conflict, a missing cell, a missing system)."""
from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from installs import TOP, Install
FIXTURE = Path(__file__).resolve().parent / "project"
BOARD = "qemu-arm64-virt.dts"


@pytest.fixture
def share(installed_arm64: Install) -> Path:
    """PREFIX/share/jailhouse of the arm64 install (DESTDIR, PREFIX=/usr)."""
    return installed_arm64.root / "usr/share/jailhouse"


def project(where: Path, board_from: Path) -> Path:
    proj = where / "proj"
    shutil.copytree(FIXTURE, proj)
    shutil.copy(board_from / BOARD, proj / BOARD)
    return proj


CLONE_NEWNS, MS_REC, MS_PRIVATE = 0x20000, 0x4000, 0x40000
CANNOT_HIDE = 124  # the child's exit status when it cannot hide the tree safely


def _no_shared_mounts() -> bool:
    try:
        with open("/proc/self/mountinfo") as f:
            return " shared:" not in f.read()
    except OSError:
        return False


def _hide_tree() -> None:
    """(in the child, as root) A new mount namespace with an empty tmpfs over the source tree:
    any read of it fails. Only when no mount there propagates back to the parent's namespace:
    "/" made private, or (a chroot, where "/" is no mount point) no mount shared already, as
    under unshare(1). The mount(2) calls themselves: the minimal Debian root make check runs in
    has no mount(8), and a chroot may not create a user namespace."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS):
        os._exit(CANNOT_HIDE)
    if libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) and not _no_shared_mounts():
        os._exit(CANNOT_HIDE)
    if libc.mount(b"tmpfs", str(TOP).encode(), b"tmpfs", 0, None):
        os._exit(CANNOT_HIDE)


def _unshare_hidden(cmd: list[str]) -> list[str]:
    """`cmd` under unshare(1) in a user namespace (not root; its mounts are private), or []
    when this machine has none."""
    if not shutil.which("unshare") or not shutil.which("mount") or \
            subprocess.run(["unshare", "-r", "-m", "true"], capture_output=True).returncode:
        return []
    script = f'mount -t tmpfs none "{TOP}" || exit {CANNOT_HIDE}; exec "$@"'
    return ["unshare", "-r", "-m", "sh", "-c", script, "sh", *cmd]


def _hidden(cmd: list[str]) -> tuple[list[str], object]:
    """(command, preexec_fn) that run `cmd` with the source tree hidden."""
    if os.geteuid() == 0:
        return cmd, _hide_tree
    return _unshare_hidden(cmd), None


def can_hide_tree() -> bool:
    cmd, preexec = _hidden(["true"])
    return bool(cmd) and subprocess.run(cmd, preexec_fn=preexec).returncode == 0


def run_make(proj: Path, *args: str, hide_tree: bool = False) -> subprocess.CompletedProcess:
    """make in the project; with hide_tree, the source tree hidden where this machine allows it
    (else in plain sight: test_the_hidden_tree_is_hidden says so by its skip)."""
    cmd, preexec = ["make", "-j2", "-C", str(proj), *args], None
    if hide_tree and can_hide_tree():
        cmd, preexec = _hidden(cmd)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MAKEFLAGS", "MFLAGS")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, cwd=proj,
                          preexec_fn=preexec)


def configgen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["/usr/bin/python3", "-m", "configgen", *args], capture_output=True,
                          text=True, cwd=TOP)


def _entry(elf: Path) -> int:
    from elftools.elf.elffile import ELFFile
    with elf.open("rb") as f:
        return ELFFile(f).header["e_entry"]


def test_project_builds_from_the_installed_tree_alone(share: Path, tmp_path: Path) -> None:
    proj = project(tmp_path, share / "boards")
    res = run_make(proj, f"JAILHOUSE_SHARE={share}", hide_tree=True)
    assert res.returncode == 0, res.stdout + res.stderr
    out = proj / "build"
    for name in ("system.cell", "root.dtb", "alpha.cell", "alpha.dtb", "beta.cell", "beta.dtb",
                 "gamma.cell", "gamma.dtb", "inmates/hello.bin"):
        assert (out / name).is_file(), name
    # the own inmate links where its cell (alpha) loads it: guest 0x200000
    assert _entry(out / "inmates/hello.elf") == 0x200000
    # the root DTB covers every set: beta (set with-beta only) takes the RTC from root Linux
    dtb = subprocess.run(["fdtget", str(out / "root.dtb"), "/pl031@9010000", "status"],
                         capture_output=True, text=True)
    assert dtb.stdout.strip() == "disabled"
    # every set checked, one line each (the installed configgen, the tree still hidden)
    res = run_make(proj, f"JAILHOUSE_SHARE={share}", "check", hide_tree=True)
    assert res.returncode == 0, res.stderr
    assert "set 'with-alpha': ok: alpha, gamma" in res.stdout
    assert "set 'with-beta': ok: beta, gamma" in res.stdout
    # install into a target root
    res = run_make(proj, f"JAILHOUSE_SHARE={share}", "install", f"DESTDIR={tmp_path}/target",
                   hide_tree=True)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "target/etc/jailhouse/beta.cell").is_file()
    assert (tmp_path / "target/usr/share/jailhouse/inmates/hello.bin").is_file()


def test_the_hidden_tree_is_hidden(tmp_path: Path) -> None:
    """The same project pointed at the source tree fails to build while the tree is hidden: the
    build above could not have read it."""
    if not can_hide_tree():
        pytest.skip("this machine allows no private mount namespace: the builds ran unhidden")
    proj = project(tmp_path, TOP / "dts/boards")
    res = run_make(proj, f"JAILHOUSE_SHARE={TOP}/mk", hide_tree=True)
    assert res.returncode != 0 and "project.mk: No such file or directory" in res.stderr, res.stderr


def test_installed_text_files_never_name_the_source_tree(share: Path) -> None:
    root = share.parents[2]
    for p in root.rglob("*"):
        if p.is_file() and p.suffix not in (".so", ".a", ".ko", ".bin", ".cell", ".dtb", ".o"):
            data = p.read_bytes()
            if b"\0" not in data:
                assert str(TOP).encode() not in data, p


def test_project_against_the_source_tree(tmp_path: Path) -> None:
    if not (TOP / "build/sdk/lib/jailhouse/inmate/arm64/libinmate.a").exists():
        pytest.skip("arm64 inmates not built")
    proj = project(tmp_path, TOP / "dts/boards")
    res = run_make(proj, f"JAILHOUSE_SHARE={TOP}/mk")
    assert res.returncode == 0, res.stdout + res.stderr
    assert _entry(proj / "build/inmates/hello.elf") == 0x200000
    assert "--kconfig" in res.stdout  # the tree's .config


def test_set_conflict_is_named(tmp_path: Path) -> None:
    proj = project(tmp_path, TOP / "dts/boards")
    with (proj / "sets").open("a") as f:
        f.write("everything: alpha \\\n    beta gamma\n")
    res = run_make(proj, f"JAILHOUSE_SHARE={TOP}/mk", "configs")
    assert res.returncode != 0
    assert "[cpu-conflict] /cpus/cpu@3 is given to cell 'beta' and to cell 'alpha'" in res.stderr
    assert "sets:4: error: [set] set 'everything' (alpha.dtso beta.dtso gamma.dtso) is not sound" \
        in res.stderr
    # the set is named right after its own diagnostics
    assert res.stderr.index("[cpu-conflict]") < res.stderr.index("set 'everything'")
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("change, message", [
    (lambda p: (p / "sets").write_text("one: alpha nope\ntwo: beta gamma\n"),
     "sets:1: error: [set-cell] cell 'nope' of set 'one':"),
    (lambda p: (p / "sets").write_text("one alpha\n"),
     "sets:1: error: [set-syntax] no ':' after the set's name"),
    (lambda p: (p / "sets").write_text("one: alpha gamma\none: beta\n"),
     "sets:2: error: [set-duplicate] set 'one' is declared twice"),
    (lambda p: (p / "sets").write_text("one: alpha gamma\n"),
     "error: [set-unlisted] cell beta.dtso is in no set"),
    (lambda p: (p / "system.dts").unlink(), "project.mk: error: no system.dts in"),
    (lambda p: shutil.copy(p / "gamma.dtso", p / "root.dtso"), "a cell may not be named root.dtso"),
    (lambda p: (p / "Makefile").write_text("INMATES := hello\n"
                                           "include $(JAILHOUSE_SHARE)/project.mk\n"),
     "inmate hello runs in cell hello, but"),
])
def test_project_errors_are_clear(tmp_path: Path, change, message: str) -> None:
    proj = project(tmp_path, TOP / "dts/boards")
    change(proj)
    res = run_make(proj, f"JAILHOUSE_SHARE={TOP}/mk", "configs")
    assert res.returncode != 0
    assert message in res.stderr, res.stderr
    assert "Traceback" not in res.stderr


def test_a_space_in_the_path_is_named(tmp_path: Path) -> None:
    proj = project(tmp_path / "my projects", TOP / "dts/boards")
    res = run_make(proj, f"JAILHOUSE_SHARE={TOP}/mk")
    assert res.returncode != 0 and "has a space in its path" in res.stderr, res.stderr


def test_in_tree_sets_check() -> None:
    """The in-tree boards declare their sets; each checks on its own, none lists a stray cell."""
    for board in ("qemu-arm64", "qemu-x86"):
        res = configgen("check", f"dts/{board}/system.dts", "--sets", f"dts/{board}/sets")
        assert res.returncode == 0, res.stderr
        assert res.stderr == "" and res.stdout.count(": ok: ") >= 3, res.stdout + res.stderr


def test_sets_and_cells_exclude_each_other() -> None:
    res = configgen("check", "dts/qemu-arm64/system.dts", "dts/qemu-arm64/gic-demo.dtso",
                    "--sets", "dts/qemu-arm64/sets")
    assert res.returncode == 2 and "exclude each other" in res.stderr
    res = configgen("check", "dts/qemu-arm64/system.dts", "--sets", "dts/qemu-arm64/no-such-sets")
    assert res.returncode == 2 and "cannot read sets file dts/qemu-arm64/no-such-sets" in res.stderr


def test_x86_project_from_the_installed_tree(installed_x86: Install, tmp_path: Path) -> None:
    """The qemu-x86 board as a project (its own sets: apic-demo and smp-demo share CPU 2),
    built by an x86 install alone: root.cmdline instead of a root DTB, no guest DTBs, the same
    blobs as the tree's, the own inmate built for uart-demo."""
    share = installed_x86.root / "usr/share/jailhouse"
    proj = tmp_path / "proj"
    shutil.copytree(TOP / "dts/qemu-x86", proj / "qemu-x86")
    shutil.copytree(share / "boards", proj / "boards")
    shutil.copy(FIXTURE / "hello.c", proj / "hello.c")
    (proj / "Makefile").write_text("CONFIG_DIR := qemu-x86\nINMATES := hello\n"
                                   f"hello_CELL := uart-demo\ninclude {share}/project.mk\n")
    res = run_make(proj, hide_tree=True)
    assert res.returncode == 0, res.stdout + res.stderr
    out = proj / "build"
    built = TOP / "build/x86/configs/qemu-x86"
    assert (out / "root.cmdline").read_text() == (built / "root.cmdline").read_text()
    assert not list(out.glob("*.dtb"))
    for cell in ("apic-demo", "smp-demo", "uart-demo", "pci-demo"):
        assert (out / f"{cell}.cell").read_bytes() == (built / f"{cell}.cell").read_bytes(), cell
    assert (out / "inmates/hello.bin").stat().st_size > 0
