"""A board directory as a new user fills it, with the names and paths a user picks without
thinking: a cell called `system` or `root` (whose outputs would be the system blob and the root
DTB), a directory with a space in its path, a sets file that misses a cell. Built with the shared
board rules (mk/configs.mk, what the top-level Makefile and out-of-tree projects include). Each
must build what it says or stop with an error naming the problem; never a silently missing or
overwritten output."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
SAMPLES = TOP / "dts" / "qemu-arm64"
RULES = TOP / "mk" / "configs.mk"


def _board(where: Path, cells: dict[str, str]) -> Path:
    """A board directory: the sample system (its board include made local) and the given cells,
    each {file stem: sample stem}, the cell renamed to its file stem."""
    board = where / "board"
    (board / "boards").mkdir(parents=True)
    shutil.copy(TOP / "dts/boards/qemu-arm64-virt.dts", board / "boards")
    text = (SAMPLES / "system.dts").read_text().replace('"../boards/', '"boards/')
    (board / "system.dts").write_text(text)
    for stem, sample in cells.items():
        src = (SAMPLES / f"{sample}.dtso").read_text()
        (board / f"{stem}.dtso").write_text(src.replace(f'cell-name = "{sample}"', f'cell-name = "{stem}"'))
    return board


def _make(where: Path, board: Path, *goals: str) -> subprocess.CompletedProcess:
    mk = where / "Makefile"
    mk.write_text(f"""all:
JH_BOARD_DIR := {board}
JH_CONFIG_OUT := {where}/out
JH_CONFIGGEN := PYTHONPATH={TOP} /usr/bin/python3 -m configgen
JH_CONFIG_ARCH := arm64
include {RULES}
all: $(JH_CONFIG_FILES)
""")
    return subprocess.run(["make", "-C", str(where), *goals], capture_output=True, text=True, timeout=300)


def test_two_alternative_cells_build(tmp_path: Path) -> None:
    """The control: an ordinary board builds every output (else the cases below prove nothing)."""
    board = _board(tmp_path, {"gic-demo": "gic-demo", "smp-demo": "smp-demo"})
    res = _make(tmp_path, board)
    assert res.returncode == 0, res.stdout + res.stderr
    out = tmp_path / "out"
    for f in ("system.cell", "root.dtb", "gic-demo.cell", "gic-demo.dtb", "smp-demo.cell", "smp-demo.dtb"):
        assert (out / f).is_file(), f


@pytest.mark.parametrize("stem,clash", [("system", "system.cell"), ("root", "root.dtb")])
def test_cell_named_like_a_system_output_is_refused(tmp_path: Path, stem: str, clash: str) -> None:
    board = _board(tmp_path, {"gic-demo": "gic-demo", stem: "smp-demo"})
    res = _make(tmp_path, board)
    text = res.stdout + res.stderr
    assert res.returncode != 0, (f"a cell named {stem}.dtso built without a word, although its "
                                 f"output would be {clash}:\n{text}")
    assert stem in text and "error" in text.lower(), text


def test_blank_in_the_path_works_or_is_named(tmp_path: Path) -> None:
    where = tmp_path / "my project"
    where.mkdir()
    board = _board(where, {"gic-demo": "gic-demo"})
    res = _make(where, board)
    text = (res.stdout + res.stderr).replace(str(tmp_path), "TMP")
    if res.returncode == 0:
        assert (where / "out" / "gic-demo.cell").is_file()
        return
    assert "space" in text.lower() or "blank" in text.lower(), f"a path with a space fails without saying so:\n{text[-2000:]}"


def test_board_without_system(tmp_path: Path) -> None:
    board = _board(tmp_path, {"gic-demo": "gic-demo"})
    (board / "system.dts").unlink()
    res = _make(tmp_path, board)
    text = res.stdout + res.stderr
    assert res.returncode != 0 and "system.dts" in text, text


def test_sets_file_missing_a_cell_is_refused(tmp_path: Path) -> None:
    board = _board(tmp_path, {"gic-demo": "gic-demo", "smp-demo": "smp-demo"})
    (board / "sets").write_text("demo: gic-demo\n")
    res = _make(tmp_path, board)
    text = res.stdout + res.stderr
    assert res.returncode != 0 and "smp-demo" in text, text


def test_conflicting_cells_in_one_set_are_refused_naming_the_set(tmp_path: Path) -> None:
    """gic-demo and gic-demo-trap share CPUs: alternatives, fine in two sets, refused in one."""
    board = _board(tmp_path, {"gic-demo": "gic-demo", "gic-demo-trap": "gic-demo-trap"})
    (board / "sets").write_text("a: gic-demo\nb: gic-demo-trap\n")
    res = _make(tmp_path, board)
    assert res.returncode == 0, res.stdout + res.stderr
    (board / "sets").write_text("a: gic-demo\nboth: gic-demo gic-demo-trap\n")
    res = _make(tmp_path, board)
    text = res.stdout + res.stderr
    assert res.returncode != 0 and "conflict" in text, text
    assert "'both'" in text, f"the refusal does not name the set 'both':\n{text}"


HELLO_JH = """\
/* A program in Jailhouse's inmate API, as a Jailhouse user brings it along. */
#include <inmate.h>

void inmate_main(void)
{
	unsigned long hz = timer_get_frequency();
	int n = cmdline_parse_int("count", 3);

	printk("hello from %s: %d ticks of %lu Hz\\n", "jailhouse api", n, hz);
	comm_region->cell_state = JAILHOUSE_CELL_RUNNING_LOCKED;
	comm_region->cell_state = JAILHOUSE_CELL_RUNNING;
	stop();
}
"""


def test_imported_upstream_inmate_cell_hosts_a_jailhouse_api_inmate(tmp_path: Path) -> None:
    """The migration path end to end, in the tree's project include: an upstream-shaped system and
    its inmate-demo cell (64 KiB of RAM, as upstream's) imported together, then a Jailhouse-API
    program built for that cell. The inmate library must fit the cell upstream's demos fit."""
    import sys
    sys.path.insert(0, str(TOP / "tests" / "configgen"))
    import jhupstream as up
    work = tmp_path / "blobs"
    work.mkdir()
    (work / "qemu-arm64.cell").write_bytes(up.system_blob(up.qemu_system(), 14))
    (work / "inmate-demo.cell").write_bytes(up.cell_blob(up.qemu_inmate(), 14))
    proj = tmp_path / "proj"
    proj.mkdir()
    shutil.copy(TOP / "dts/boards/qemu-arm64-virt.dts", proj)
    res = subprocess.run(["/usr/bin/python3", "-m", "configgen", "import", str(work / "qemu-arm64.cell"),
                          str(work / "inmate-demo.cell"), "--board", str(proj / "qemu-arm64-virt.dts"),
                          "-o", str(proj) + "/"], capture_output=True, text=True, cwd=TOP, timeout=120,
                         env={"PYTHONPATH": str(TOP), "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr
    (proj / "qemu-arm64.dts").rename(proj / "system.dts")
    (proj / "hello.c").write_text(HELLO_JH)
    (proj / "Makefile").write_text(f"INMATES := hello\nhello_CELL := inmate-demo\nhello_API := jailhouse\n"
                                   f"include {TOP}/mk/project.mk\n")
    res = subprocess.run(["make", "-C", str(proj)], capture_output=True, text=True, timeout=300)
    text = res.stdout + res.stderr
    assert res.returncode == 0, text[-3000:]
    assert (proj / "build/inmates/hello.bin").is_file(), text[-2000:]


def test_set_cell_outside_the_board_directory_is_built_or_refused(tmp_path: Path) -> None:
    """A sets file may name a cell in a subdirectory; then it must be built like the others (a
    blob to install) or refused, not only checked and reserved."""
    board = _board(tmp_path, {})
    (board / "sub").mkdir()
    shutil.copy(SAMPLES / "gic-demo.dtso", board / "sub")
    (board / "sets").write_text("demo: sub/gic-demo\n")
    res = _make(tmp_path, board)
    text = res.stdout + res.stderr
    if res.returncode == 0:
        assert list((tmp_path / "out").rglob("gic-demo.cell")), f"set cell sub/gic-demo checked but never built:\n{text}"
    else:
        assert "sub/gic-demo" in text and "error" in text, text
