"""import: Jailhouse revision-14 blobs (built here from C structs) to .dts/.dtso: every RAM region,
CPU and interrupt kept, every change a warning (test_import_upstream.py: upstream-shaped blobs)."""
from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from configgen import abi, blob
from configgen import jhformat as jh

BOARD = "dts/boards/qemu-arm64-virt.dts"
SRC = REPO / "tests/configgen/jailhouse/jh-configs.c"


@pytest.fixture(scope="module")
def jhdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("jailhouse")
    subprocess.run(["gcc", "-Wall", "-Wextra", "-Werror", "-o", str(d / "jh-configs"), str(SRC)], check=True)
    sizes = subprocess.run([str(d / "jh-configs"), str(d)], check=True, capture_output=True, text=True).stdout
    (d / "sizes").write_text(sizes)
    return d


def test_layout_matches_the_c_structs(jhdir: Path) -> None:
    for line in (jhdir / "sizes").read_text().splitlines():
        name, size = line.split()
        assert jh.SIZES[name] == int(size), name


def _jh(path: Path):
    return jh.parse(path.read_bytes())


def _ours(flags: int) -> int:
    out = 0
    for j, o in ((jh.MEM_READ, abi.MEM_READ), (jh.MEM_WRITE, abi.MEM_WRITE), (jh.MEM_EXECUTE, abi.MEM_EXECUTE),
                 (jh.MEM_IO, abi.MEM_IO), (jh.MEM_COMM_REGION, abi.MEM_COMM_REGION),
                 (jh.MEM_LOADABLE, abi.MEM_LOADABLE), (jh.MEM_ROOTSHARED, abi.MEM_ROOTSHARED)):
        if flags & j:
            out |= o
    return out


def _same_regions(jcell: jh.JhCell, ours: list[dict[str, int]]) -> None:
    assert len(ours) == len(jcell.memory)
    for m in jcell.memory:
        want_phys = 0 if m.flags & jh.MEM_COMM_REGION else m.phys
        hit = [r for r in ours if (r["phys_start"], r["guest_start"], r["size"]) == (want_phys, m.virt, m.size)]
        assert len(hit) == 1, m
        extra = hit[0]["flags"] & ~_ours(m.flags)
        assert extra & ~abi.MEM_SHARED == 0, (m, hit[0])  # only "shared" may be added
        assert hit[0]["flags"] & _ours(m.flags) == _ours(m.flags)


@pytest.fixture(scope="module")
def imported(jhdir: Path) -> Path:
    from conftest import run_cli
    rc, _, err = run_cli("import", str(jhdir / "system.cell"), "--board", BOARD, "-o", str(jhdir / "system.dts"))
    assert rc == 0 and ": error" not in err, err
    # the root's windows become the board's devices, and says so
    assert "mem_regions[6] (MMIO 0xa000000-0xa003fff) turned into the board devices it covers" in err
    rc, _, err = run_cli("import", str(jhdir / "gic-demo.cell"), "--board", str(jhdir / "system.dts"),
                         "-o", str(jhdir / "gic-demo.dtso"))
    assert rc == 0 and ": error" not in err, err
    return jhdir


def test_system_import_keeps_everything(imported: Path, cli) -> None:
    text = (imported / "system.dts").read_text()
    assert '#include "' in text and "qemu-arm64-virt.dts" in text
    rc, _, err = cli("compile", str(imported / "system.dts"), "-o", str(imported / "s.cfg"))
    assert rc == 0, err
    src = _jh(imported / "system.cell")
    p = blob.parse((imported / "s.cfg").read_bytes())
    f = p.fields
    assert (f["hypervisor_mem_base"], f["hypervisor_mem_size"]) == (src.hypervisor.phys, src.hypervisor.size)
    assert f["debug_console"]["base"] == src.debug_console.address and f["flags"] == 1
    assert p.cell.cpus == src.root.cpus and p.cell.name == src.root.name
    assert "all-devices;" in text
    assert p.platform["gicd_base"] == src.platform.gicd_base
    assert p.platform["gicr_base"] == src.platform.gicr_base
    # upstream irqchips map onto revision-2 interrupt resources of the same distributor, pin_base 32 + 128 k
    assert {c["address"] for c in p.cell.irqchips} == {src.platform.gicd_base}
    assert all((c["pin_base"] - 32) % 128 == 0 and c["id"] == 0 for c in p.cell.irqchips)
    ram = [r for r in p.cell.regions if not r["flags"] & abi.MEM_IO]
    want = [(m.phys, m.size) for m in src.root.memory if not m.flags & jh.MEM_IO]
    assert sorted((r["phys_start"], r["size"]) for r in ram) == sorted(want)


def test_cell_import_ties_devices_and_keeps_everything(imported: Path, cli) -> None:
    text = (imported / "gic-demo.dtso").read_text()
    assert "cpus = <&cpu1 &cpu2>;" in text and "devices = <&rtc>;" in text
    assert "shared-devices = <&uart0>;" in text and "console = <&uart0>;" in text
    assert "spis = <100>;" in text  # SPI 2 went with the rtc
    rc, _, err = cli("compile", str(imported / "system.dts"), str(imported / "gic-demo.dtso"),
                     "-o", str(imported / "c.cfg"))
    assert rc == 0, err
    src = _jh(imported / "gic-demo.cell")
    p = blob.parse((imported / "c.cfg").read_bytes())
    assert p.cell.cpus == src.cpus == [1, 2]
    assert sorted(p.cell.intids) == sorted(i for c in src.irqchips for i in c.intids()) == [34, 132]
    d = p.cell.desc
    assert (d["cpu_reset_address"], d["msg_reply_timeout"]) == (src.cpu_reset_address, src.msg_reply_timeout)
    assert d["console"]["base"] == src.console.address
    _same_regions(src, p.cell.regions)


def test_import_without_board(jhdir: Path, tmp_path: Path, cli) -> None:
    rc, _, err = cli("import", str(jhdir / "system.cell"), "-o", str(tmp_path / "s.dts"))
    assert rc == 0 and ": warning" not in err and ": error" not in err, err
    rc, out, err = cli("import", str(jhdir / "gic-demo.cell"))
    assert rc == 0 and "cpu-indices = <1 2>;" in out and "spis = <2 100>;" in out
    (tmp_path / "c.dtso").write_text(out)
    rc, _, err = cli("compile", str(tmp_path / "s.dts"), "-o", str(tmp_path / "s.cfg"))
    assert rc == 0, err
    rc, _, err = cli("compile", str(tmp_path / "s.dts"), str(tmp_path / "c.dtso"), "-o", str(tmp_path / "c.cfg"))
    assert rc == 0, err
    src = _jh(jhdir / "gic-demo.cell")
    p = blob.parse((tmp_path / "c.cfg").read_bytes())
    _same_regions(src, p.cell.regions)
    assert p.cell.cpus == [1, 2] and sorted(p.cell.intids) == [34, 132]
    sysp = blob.parse((tmp_path / "s.cfg").read_bytes())
    _same_regions(_jh(jhdir / "system.cell").root, sysp.cell.regions)


def test_unsupported_things_become_comments_and_warnings(jhdir: Path, cli) -> None:
    rc, out, err = cli("import", str(jhdir / "odd.cell"))
    assert rc == 1 and out == ""  # the sub-page region is the user's decision: nothing written
    assert "odd.cell: error: [import-decide] mem_regions[1] at 0xa000200 size 0x200 is not page aligned" in err
    assert "odd.cell: note: mem_regions[0] at 0x7f000000: flag DMA dropped" in err
    assert "odd.cell: error: [import-decide] cell flag AARCH32: the hypervisor runs cells in AArch64 state only" in err
    for w in ("console of type 8250", "PCI device 0000:00:00.0 dropped"):
        assert f"odd.cell: warning: [import-change] {w}" in err, w


def test_ivshmem_end_of_a_cell_alone_is_reported(jhdir: Path, cli) -> None:
    """A cell imported without its system: each ivshmem device is named with what it was, its
    shared memory dropped, no crash even for a device whose regions lie beyond the array."""
    rc, out, err = cli("import", str(jhdir / "ivshmem.cell"))
    assert rc == 0, err
    assert "Traceback" not in err and "internal error" not in err
    assert ("ivshmem.cell: warning: [import-change] ivshmem device 0000:00:0d.0: peer 1 of 2, state table at 0x7f700000: dropped "
            "with its memory (import the system and this cell together") in err
    assert "ivshmem device 0000:00:0e.0: peer 0 of 255, no memory region: dropped" in err
    assert "0x7f70" not in out and "ram0 {" in out and "comm5 {" in out


def _patched(src: Path, dst: Path, off: int, fmt: str, value: int) -> Path:
    b = bytearray(src.read_bytes())
    struct.pack_into(fmt, b, off, value)
    dst.write_bytes(bytes(b))
    return dst


@pytest.mark.parametrize("what,off,fmt,value,msg", [
    ("signature", 0, "<B", ord("X"), "not a Jailhouse configuration"),
    ("revision", 6, "<H", 11, "revision 11, configgen imports revisions 12 to 14"),
    ("old-signature", 6, "<H", 13, "signature b'JHCLL\\x02' does not match revision 13 (expected b'JHCELL')"),
    ("architecture", 5, "<B", 7, "architecture 7: configgen imports arm, arm64 and x86"),
    ("regions", 48, "<I", 1000, "announces"),
])
def test_bad_blobs_are_errors(what: str, off: int, fmt: str, value: int, msg: str, jhdir: Path, tmp_path: Path,
                              cli) -> None:
    bad = _patched(jhdir / "gic-demo.cell", tmp_path / f"{what}.cell", off, fmt, value)
    rc, out, err = cli("import", str(bad))
    assert rc == 1 and f"{bad}: error: " in err and msg in err and out == "", err


def test_truncated_and_missing(jhdir: Path, tmp_path: Path, cli) -> None:
    t = tmp_path / "t.cell"
    t.write_bytes((jhdir / "system.cell").read_bytes()[:300])
    rc, _, err = cli("import", str(t))
    assert rc == 1 and "too short" in err
    rc, _, err = cli("import", str(tmp_path / "nope.cell"))
    assert rc == 2 and "cannot read" in err
    rc, _, err = cli("import", str(jhdir / "system.cell"), "--board", "dts/qemu-arm64/system.dts")
    assert rc == 1 and "already has a hypervisor node" in err
