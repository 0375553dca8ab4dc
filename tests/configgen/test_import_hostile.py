"""import, attacked the way a Jailhouse user attacks it: upstream-shaped blobs (jhupstream.py: zero
root-cell signature, six-byte signatures of revisions 12/13, empty region slots, 16 CPUs on a 4-CPU
board, a permissive MMIO window, the ECAM window, ivshmem devices) of every revision, with and
without --board and --strict. Each import must either succeed with an output that `configgen
check` accepts, or stop with `FILE: error:` lines; never a traceback, never a silent change: every
CPU, region or interrupt of the blob that is not in the output is named in a warning."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import jhupstream as up
from fuzzlib import basic_problems, cli

BOARD = "dts/boards/qemu-arm64-virt.dts"
REVS = (12, 13, 14)


def _write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


def _clean(run, what: str) -> None:
    probs = basic_problems(run)
    assert not probs, f"{what}: " + "\n".join(probs)


def _import(src: Path, out: Path, *extra: str):
    run = cli("import", str(src), *extra, "-o", str(out))
    _clean(run, f"import {src.name} {' '.join(extra)}")
    return run


@pytest.fixture(scope="module")
def systems(tmp_path_factory) -> dict[int, Path]:
    d = tmp_path_factory.mktemp("hostile-import")
    return {rev: _write(d, f"qemu-arm64-r{rev}.cell", up.system_blob(up.qemu_system(), rev)) for rev in REVS}


@pytest.mark.parametrize("rev", REVS)
@pytest.mark.parametrize("board", [True, False], ids=["board", "noboard"])
def test_upstream_system_imports_and_checks(systems, tmp_path: Path, rev: int, board: bool) -> None:
    src = systems[rev]
    out = tmp_path / "system.dts"
    run = _import(src, out, *(["--board", BOARD] if board else []))
    assert run.rc == 0, f"revision {rev} system refused:\n{run.err}"
    assert out.is_file() and out.stat().st_size > 0
    chk = cli("check", str(out))
    _clean(chk, "check of the imported system")
    assert chk.rc == 0, f"the imported revision-{rev} system fails configgen check:\n{chk.err}\n{out.read_text()}"
    # 16 CPUs on a 4-CPU board, permissive MMIO and the ECAM window: changed, so said
    if board:
        assert "warning" in run.err, "CPUs 4-15 or the MMIO window changed without a warning"
        assert re.search(r"CPU", run.err), run.err


@pytest.mark.parametrize("rev", REVS)
def test_strict_refuses_what_it_would_change(systems, tmp_path: Path, rev: int) -> None:
    src = systems[rev]
    run = _import(src, tmp_path / "system.dts", "--board", BOARD, "--strict")
    assert run.rc == 1, f"--strict accepted 16 CPUs on a 4-CPU board (revision {rev}):\n{run.err}"
    assert ": error:" in run.err and "CPU" in run.err, run.err


def test_cpus_clipped_are_named(systems, tmp_path: Path) -> None:
    run = _import(systems[14], tmp_path / "system.dts", "--board", BOARD)
    assert run.rc == 0, run.err
    text = run.err
    # the dropped CPUs 4..15 must be visible: either listed or as a range
    assert re.search(r"4\s*-\s*15|4\.\.15|4, 5, 6", text) or "15" in text, text


def _together(tmp: Path, rev: int, makers: list[str], *extra: str) -> tuple[object, Path]:
    """import SYSTEM.cell CELL.cell... -o DIR: the system and its cells in one run."""
    srcs = [_write(tmp, "qemu-arm64.cell", up.system_blob(up.qemu_system(), rev))]
    srcs += [_write(tmp, f"{m}.cell", up.cell_blob(getattr(up, m)(), rev)) for m in makers]
    out = tmp / "out"
    run = cli("import", *map(str, srcs), *extra, "-o", str(out) + "/")
    _clean(run, f"import of revision {rev} system with {makers}")
    return run, out


@pytest.mark.parametrize("rev", REVS)
@pytest.mark.parametrize("maker", ["qemu_inmate", "qemu_linux"])
def test_upstream_cell_imports_with_its_system_and_checks(tmp_path: Path, rev: int, maker: str) -> None:
    run, out = _together(tmp_path, rev, [maker], "--board", BOARD)
    assert run.rc == 0, f"revision {rev} system + {maker} refused:\n{run.err}"
    dts, dtso = out / "qemu-arm64.dts", out / f"{maker}.dtso"
    assert dts.is_file() and dtso.is_file(), sorted(p.name for p in out.iterdir())
    chk = cli("check", str(dts), str(dtso))
    _clean(chk, "check of the imported cell")
    assert chk.rc == 0, f"imported {maker} (revision {rev}) fails check:\n{chk.err}\n{dtso.read_text()}"
    assert "access = \"\"" not in dtso.read_text(), "an empty region slot became a region"


@pytest.mark.parametrize("maker", ["qemu_inmate", "qemu_linux"])
def test_cell_imported_alone_gives_a_verdict_with_hints(systems, tmp_path: Path, maker: str) -> None:
    """The two-step flow of the old docs (system, then the cell against it): may not check (the
    system carved no pool for the cell), but then says what to decide, each with a hint."""
    sysdts = tmp_path / "system.dts"
    assert _import(systems[14], sysdts, "--board", BOARD).rc == 0
    src = _write(tmp_path, f"{maker}.cell", up.cell_blob(getattr(up, maker)(), 14))
    run = _import(src, tmp_path / f"{maker}.dtso", "--board", str(sysdts))
    assert run.rc in (0, 1), run.err
    if run.rc == 1:
        assert ": error:" in run.err, run.err


def test_two_cells_that_upstream_runs_together_check_together(tmp_path: Path) -> None:
    run, out = _together(tmp_path, 14, ["qemu_inmate", "qemu_linux"], "--board", BOARD)
    assert run.rc == 0, run.err
    chk = cli("check", str(out / "qemu-arm64.dts"), str(out / "qemu_inmate.dtso"), str(out / "qemu_linux.dtso"))
    _clean(chk, "check of both cells")
    assert chk.rc == 0, chk.err


@pytest.mark.parametrize("rev", REVS)
def test_system_and_cells_without_board_check(tmp_path: Path, rev: int) -> None:
    """No --board: the board rebuilt from the blob must still carry the cells (their UART shared
    with the root, the link ends' BARs on the PCI host)."""
    run, out = _together(tmp_path, rev, ["qemu_inmate", "qemu_linux"])
    assert run.rc == 0, f"revision {rev}, no --board: \n{run.err}"


@pytest.mark.parametrize("rev", REVS)
def test_x86_system_is_imported_or_refused_clearly(tmp_path: Path, rev: int) -> None:
    s = up.qemu_system(up.X86)  # arm64's memory plan on a PC: the importer must say what does not fit
    s.root.irqchips = [(0xfec00000, 0, [0xffffff, 0, 0, 0])]
    s.root.pio = [(0x3f8, 8), (0x60, 1)]
    src = _write(tmp_path, "x86.cell", up.system_blob(s, rev))
    out = tmp_path / "x86.dts"
    run = _import(src, out, "--board", "dts/boards/qemu-x86-q35.dts")
    if run.rc == 0:
        chk = cli("check", str(out))
        _clean(chk, "check of the imported x86 system")
        assert chk.rc == 0, chk.err
    else:
        assert run.rc == 1 and ": error:" in run.err, run.err


def test_arm32_cell_refused_naming_the_architecture(tmp_path: Path) -> None:
    src = _write(tmp_path, "arm.cell", up.cell_blob(up.qemu_inmate(), 14, up.ARM))
    run = _import(src, tmp_path / "arm.dtso")
    assert run.rc == 1 and ": error:" in run.err, run.err
    assert re.search(r"\barm\b|arm32|ARM ", run.err) and "arm64" in run.err, run.err


def test_output_is_not_written_on_error(tmp_path: Path) -> None:
    src = _write(tmp_path, "bad.cell", b"JHSYS\x02\x0e\x00" + bytes(20))
    out = tmp_path / "out.dts"
    run = _import(src, out)
    assert run.rc == 1
    assert not out.exists() or out.stat().st_size == 0, "a half output was left behind"


@pytest.mark.parametrize("argv", [
    ("import",),
    ("import", "/nonexistent/x.cell"),
    ("import", "."),
    ("import", "/dev/null"),
    ("import", "--strict"),
    ("import", "--board", "/nonexistent.dts", "X"),
])
def test_bad_arguments_are_one_clear_line(argv: tuple[str, ...]) -> None:
    run = cli(*argv)
    probs = basic_problems(run)
    assert not probs, probs
    assert run.rc in (1, 2), run
    assert run.err.strip(), "refused without a word"
    assert len(run.err.strip().splitlines()) <= 4, run.err


def test_board_that_is_not_a_board(systems, tmp_path: Path) -> None:
    bad = tmp_path / "bad.dts"
    bad.write_text("/dts-v1/;\n/ { this is not; };\n")
    run = _import(systems[14], tmp_path / "o.dts", "--board", str(bad))
    assert run.rc in (1, 2) and "error" in run.err, run.err


def test_two_inputs_with_one_name_are_not_merged_into_one_file(tmp_path: Path) -> None:
    """a/x.cell and b/x.cell imported together: both would be DIR/x.dtso. The second must not
    silently replace the first (then check compares the file with itself)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sysc = _write(tmp_path, "qemu-arm64.cell", up.system_blob(up.qemu_system(), 14))
    a = _write(tmp_path / "a", "x.cell", up.cell_blob(up.qemu_inmate(), 14))
    b = _write(tmp_path / "b", "x.cell", up.cell_blob(up.qemu_linux(), 14))
    out = tmp_path / "out"
    run = cli("import", str(sysc), str(a), str(b), "--board", BOARD, "-o", str(out) + "/")
    _clean(run, "import of two x.cell")
    cells = sorted(out.glob("*.dtso")) if out.is_dir() else []
    if run.rc == 0:
        assert len(cells) == 2, f"two cells imported, {len(cells)} written: {cells}"
    else:
        clash = [ln for ln in run.err.splitlines() if "a/x.cell" in ln and "b/x.cell" in ln]
        assert clash, f"refused without naming the clash of a/x.cell and b/x.cell:\n{run.err}"
