"""An inmate pays for its cell only: one 4 KiB stack per CPU of the cell it is linked for (from
the cell blob, <cell>_CPUS), page tables taken at run time from the RAM after the image (5 to
16 pages), so our demos and upstream's fit upstream's 64 KiB inmate-demo cell; the link still
refuses an image its cell's loadable RAM cannot hold, with the reason."""
from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from inmate_qemu import BUILD, TOP, inmates_built
from test_sdk import CELLS, make, project, sdk

sys.path.insert(0, str(TOP))
sys.path.insert(0, str(TOP / "tests" / "configgen"))
from configgen import abi, blob  # noqa: E402
from fuzzmut import reseal  # noqa: E402

pytestmark = pytest.mark.usefixtures("inmates_built")
__all__ = ["inmates_built", "sdk"]  # fixtures, imported for pytest to find

PAGE = 0x1000
IMPORTED = BUILD.parent / "configs" / "import-upstream" / "jh-import-inmate-demo.cell"


def section_size(elf: Path, name: str) -> int:
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-h", str(elf)], capture_output=True,
                         text=True, check=True).stdout
    m = re.search(rf"^\s*\d+\s+{re.escape(name)}\s+([0-9a-f]+)", out, re.M)
    assert m, out
    return int(m.group(1), 16)


def symbol(elf: Path, name: str) -> int:
    out = subprocess.run(["aarch64-linux-gnu-nm", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    m = re.search(rf"^([0-9a-f]+) \w {re.escape(name)}$", out, re.M)
    assert m, name
    return int(m.group(1), 16)


def resized_cell(tmp_path: Path, size: int) -> Path:
    """gic-demo.cell with a loadable region of size bytes (CRC resealed)."""
    raw = bytearray((CELLS / "gic-demo.cell").read_bytes())
    region = next(r for r in blob.parse(bytes(raw)).cell.regions
                  if r["flags"] & abi.MEM_LOADABLE)
    old = struct.pack("<QQQ", region["phys_start"], region["guest_start"], region["size"])
    at = raw.find(old)
    assert at > 0 and raw.count(old) == 1
    struct.pack_into("<Q", raw, at + 16, size)
    reseal(raw)
    out = tmp_path / f"size-{size:#x}.cell"
    out.write_bytes(bytes(raw))
    return out


@pytest.mark.parametrize("demo, cpus", [("gic-demo", 1), ("smp-demo", 2),
                                        ("jh-compat-demo", 2), ("ivshmem-demo", 1)])
def test_stacks_follow_the_cells_cpu_count(demo, cpus):
    mk = (CELLS / f"{'smp-demo' if demo == 'jh-compat-demo' else demo}.mk").read_text()
    assert re.search(rf"_CPUS := {cpus}$", mk, re.M), mk
    # one per CPU and the spare one for a CPU with a bad context id
    assert section_size(BUILD / f"{demo}.elf", ".stacks") == (cpus + 1) * PAGE


def test_unknown_cpu_count_gets_the_librarys_maximum():
    assert section_size(BUILD / "baremetal" / "gic-demo.elf", ".stacks") == 17 * PAGE


def test_gic_demo_fits_upstreams_64k_inmate_demo_cell():
    """Built with the SDK for the imported cell (mk/import-upstream.mk): image and the 5 page
    tables it needs within the cell's 64 KiB."""
    elf = BUILD / "jh-import" / "jh-import-gic-demo.elf"
    assert IMPORTED.is_file() and elf.is_file()
    end, pool_end = symbol(elf, "__image_end"), symbol(elf, "__pt_pool_end")
    assert pool_end == 0x10000 and end + 5 * PAGE <= pool_end
    assert symbol(elf, "__image_start") == 0  # linked at the cell's guest 0


def test_image_larger_than_the_cell_is_refused(tmp_path, sdk):
    proj = project(tmp_path, sdk, str(resized_cell(tmp_path, 0x8000)),
                   TOP / "inmates" / "demos" / "arm-common" / "gic-demo.c")
    res = make(proj)
    assert res.returncode != 0
    assert "the inmate does not fit into its cell's loadable RAM" in res.stderr, res.stderr


def test_no_room_for_page_tables_is_refused(tmp_path, sdk):
    fits = project(tmp_path, sdk, str(resized_cell(tmp_path, 0x10000)),
                   TOP / "inmates" / "demos" / "arm-common" / "gic-demo.c")
    res = make(fits)
    assert res.returncode == 0, res.stdout + res.stderr
    end = symbol(fits / "hello.elf", "__image_end")
    # room for the image and 4 tables, one short
    res = make(fits, f"CELL={resized_cell(tmp_path, end + 4 * PAGE)}")
    assert res.returncode != 0
    assert "INMATE_SIZE leaves less than the 5 pages the inmate needs for page tables" in res.stderr
    res = make(fits, f"CELL={resized_cell(tmp_path, end + 5 * PAGE)}")
    assert res.returncode == 0, res.stdout + res.stderr
    assert symbol(fits / "hello.elf", "__pt_pool_end") == end + 5 * PAGE


def test_cpu_count_on_the_command_line_sizes_the_stacks(tmp_path, sdk):
    proj = project(tmp_path, sdk, str(CELLS / "gic-demo.cell"),
                   TOP / "inmates" / "demos" / "arm-common" / "gic-demo.c")
    res = make(proj, "INMATE_CPUS=3")
    assert res.returncode == 0, res.stdout + res.stderr
    assert section_size(proj / "hello.elf", ".stacks") == 4 * PAGE
    res = make(proj, "-B", "INMATE_CPUS=17")
    assert res.returncode != 0 and "a cell has 1 to 16 CPUs" in res.stderr
