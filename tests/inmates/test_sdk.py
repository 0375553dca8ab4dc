"""The installable inmate SDK (make -C inmates install-sdk): installed into a temporary DESTDIR,
then used from a project directory that holds only its sources and a cell blob, the way a user
outside the tree builds an inmate (inmates/README.md, "Building your own inmate"). The link
address comes from the cell blob; a wrong or missing blob is one clear error."""
from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from inmate_qemu import BUILD, TOP, inmates_built

sys.path.insert(0, str(TOP))
sys.path.insert(0, str(TOP / "tests" / "configgen"))
from configgen import abi, blob  # noqa: E402
from fuzzmut import reseal  # noqa: E402

pytestmark = pytest.mark.usefixtures("inmates_built")
__all__ = ["inmates_built"]  # the fixture, imported for pytest to find

CELLS = BUILD.parent / "configs" / "qemu-arm64"
PREFIX = "/opt/jh"
NEW_BASE = 0x10000000


@pytest.fixture(scope="module")
def sdk(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("destdir")
    res = subprocess.run(["make", "-s", "-C", str(TOP / "inmates"), "install-sdk",
                          f"DESTDIR={dest}", f"PREFIX={PREFIX}", f"O={BUILD}",
                          f"CONFIG_INCLUDE={BUILD.parent / 'include'}"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    return dest / PREFIX.lstrip("/") / "lib" / "jailhouse" / "inmate"


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    # configgen (which reads the blob) is installed next to the SDK by `make install`; here it
    # comes from the source tree, everything else from the SDK.
    env = dict(os.environ, PYTHONPATH=str(TOP))
    return subprocess.run(["make", "-C", str(project), *args], capture_output=True, text=True,
                          env=env, timeout=120)


def project(tmp_path: Path, sdk: Path, cell: str, source: Path | str, api: str = "native",
            name: str = "hello") -> Path:
    proj = tmp_path / "proj"
    proj.mkdir(exist_ok=True)
    src = proj / f"{name}.c"
    src.write_text(source.read_text() if isinstance(source, Path) else source)
    (proj / "Makefile").write_text(f"CELL := {cell}\nINMATE := {name}\nSOURCES := {name}.c\n"
                                   f"API := {api}\ninclude {sdk}/inmate.mk\n")
    return proj


def entry(elf: Path) -> int:
    return struct.unpack_from("<Q", elf.read_bytes(), 24)[0]


def moved_cell(tmp_path: Path, base: int) -> Path:
    """gic-demo.cell with its loadable region at guest address base (CRC resealed)."""
    raw = bytearray((CELLS / "gic-demo.cell").read_bytes())
    regions = blob.parse(bytes(raw)).cell.regions
    region = next(r for r in regions if r["flags"] & abi.MEM_LOADABLE)
    old = struct.pack("<QQQ", region["phys_start"], region["guest_start"], region["size"])
    at = raw.find(old)
    assert at > 0 and raw.count(old) == 1
    struct.pack_into("<Q", raw, at + 8, base)
    reseal(raw)
    out = tmp_path / "moved.cell"
    out.write_bytes(bytes(raw))
    return out


HELLO = """#include <inmate.h>

void inmate_main(void)
{
	printk("hello from outside the tree, %lu\\n", (unsigned long)cmdline_get_u64("n", 1));
}
"""


def test_installed_layout(sdk):
    for rel in ["inmate.mk", "flags.mk", "cell-make-vars.py", "arm64/libinmate.a",
                "arm64/inmate.lds", "arm64/flags.mk", "arm64/defaults.c", "arm64/include/inmate.h",
                "arm64/include/comm_region.h", "arm64/include/generated/config.h",
                "arm64/compat/inmate.h", "arm64/compat/gic.h", "arm64/compat/test.h",
                "arm64/compat/jailhouse/hypercall.h"]:
        assert (sdk / rel).is_file(), rel
    pc = (sdk.parents[2] / "share" / "pkgconfig" / "jailhouse-inmate-arm64.pc").read_text()
    assert f"sdkdir={PREFIX}/lib/jailhouse/inmate" in pc
    # nothing installed points back into the source or build tree
    for f in sdk.rglob("*"):
        if f.is_file() and f.suffix in (".mk", ".h", ".c", ".lds", ".py"):
            assert str(TOP) not in f.read_text(), f


def test_out_of_tree_inmate_links_at_the_cells_address(tmp_path, sdk):
    proj = project(tmp_path, sdk, str(moved_cell(tmp_path, NEW_BASE)), HELLO)
    res = make(proj)
    assert res.returncode == 0, res.stdout + res.stderr
    assert entry(proj / "hello.elf") == NEW_BASE
    assert (proj / "hello.bin").stat().st_size > 0x2000
    assert "comm region 0x80000000" in res.stdout
    assert "Nothing to be done" in make(proj).stdout
    # another cell: relinked at its address
    res = make(proj, f"CELL={CELLS / 'gic-demo.cell'}")
    assert res.returncode == 0, res.stdout + res.stderr
    assert entry(proj / "hello.elf") == 0


def test_jailhouse_api_program_builds_like_the_tree(tmp_path, sdk):
    """The compat demo built out of tree for its cell is the very image the tree builds."""
    proj = project(tmp_path, sdk, str(CELLS / "smp-demo.cell"),
                   TOP / "inmates" / "demos" / "arm-common" / "jh-compat-demo.c", api="jailhouse",
                   name="jh-compat-demo")
    res = make(proj)
    assert res.returncode == 0, res.stdout + res.stderr
    assert (proj / "jh-compat-demo.bin").read_bytes() == (BUILD / "jh-compat-demo.bin").read_bytes()


def test_native_api_has_no_jailhouse_names(tmp_path, sdk):
    src = "#include <inmate.h>\n#include <comm_region.h>\nvoid inmate_main(void) { stop(); }\n"
    res = make(project(tmp_path, sdk, str(CELLS / "gic-demo.cell"), src, api="native"))
    assert res.returncode != 0 and "stop" in res.stderr


@pytest.mark.parametrize("case,expect", [
    ("missing", r"\*\*\* .*missing\.cell: error: No such file or directory"),
    ("system", r"\*\*\* .*system\.cell: error: not a cell blob \(a system configuration\)"),
    ("garbage", r"\*\*\* .*garbage\.cell: error: "),
    ("truncated", r"\*\*\* .*truncated\.cell: error: "),
    ("unset", r"\*\*\* inmate\.mk: set CELL to the compiled cell blob"),
])
def test_wrong_cell_blob_is_one_clear_error(tmp_path, sdk, case, expect):
    cells = {"missing": tmp_path / "missing.cell", "system": CELLS / "system.cell",
             "garbage": tmp_path / "garbage.cell", "truncated": tmp_path / "truncated.cell",
             "unset": ""}
    (tmp_path / "garbage.cell").write_bytes(b"\x7fELF" + bytes(200))
    (tmp_path / "truncated.cell").write_bytes((CELLS / "gic-demo.cell").read_bytes()[:100])
    proj = project(tmp_path, sdk, str(cells[case]), HELLO)
    res = make(proj)
    assert res.returncode != 0
    assert re.search(expect, res.stderr), res.stderr
    assert "Traceback" not in res.stderr and not (proj / "hello.bin").exists()


def test_wrong_api_and_arch_are_refused(tmp_path, sdk):
    proj = project(tmp_path, sdk, str(CELLS / "gic-demo.cell"), HELLO, api="posix")
    assert "API=posix: use native or jailhouse" in make(proj).stderr
    res = make(proj, "API=native", "ARCH=x86")
    assert res.returncode != 0 and "no x86 inmate library" in res.stderr, res.stderr
