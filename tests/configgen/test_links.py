"""Inter-cell links: what configgen derives for every end (the same whatever else is compiled),
the root's pool and DTB, decompile, guest-dt of a cell with ends only, hostile raw ends."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, SYSTEM
from configgen import abi, blob
from configgen import tree as dtree

DEMO = "dts/qemu-arm64/ivshmem-demo.dtso"
DEMO2 = "dts/qemu-arm64/ivshmem-demo-2.dtso"
LINUX = "dts/qemu-arm64/linux-demo.dtso"


def _ends(path: Path) -> list[tuple[int, ...]]:
    c = blob.parse(path.read_bytes()).cell
    return [(e["link"], e["peer_id"], e["bdf"], e["irq"], e["bar0"], e["guest_start"]) for e in c.ends]


def _compile(cli, tmp: Path, cell: str, *others: str) -> Path:
    out = tmp / (Path(cell).stem + f"-{len(others)}.cell")
    rc, _, err = cli("compile", SYSTEM, cell, "-o", str(out), *(["--cells", *others] if others else []))
    assert rc == 0, err
    return out


def test_ends_do_not_depend_on_the_other_cells(tmp_path: Path, cli) -> None:
    """A cell compiled alone gets the end it gets with every other peer in the build."""
    alone = _compile(cli, tmp_path, DEMO)
    together = _compile(cli, tmp_path, DEMO, DEMO2)
    with_linux = _compile(cli, tmp_path, DEMO, LINUX)
    assert _ends(alone) == _ends(together) == _ends(with_linux) == [(0, 1, 0x80, 32, 0x3EFEF000, 0x7D800000)]
    assert _ends(_compile(cli, tmp_path, DEMO2)) == [(0, 2, 0x80, 40, 0x3EFEF000, 0x7D800000)]
    assert blob.parse(alone.read_bytes()).cell.intids == [32]  # the end's SPI is the cell's


def test_a_peer_set_checks_together(cli) -> None:
    rc, out, err = cli("check", SYSTEM, DEMO, DEMO2)
    assert rc == 0, err
    assert "2 cell(s): ivshmem-demo, ivshmem-demo-2" in out


def test_root_dtb_reserves_the_links(tmp_path: Path, cli) -> None:
    rc, _, err = cli("compile", SYSTEM, "-o", str(tmp_path / "s.cell"), "--root-dtb", str(tmp_path / "root.dtb"))
    assert rc == 0, err
    t = dtree.load((tmp_path / "root.dtb").read_bytes())
    pool = t.node("/reserved-memory/cell-pool@68000000")
    assert pool is not None and pool.has("no-map") and pool.u64s("reg") == [0x68000000, 0x17800000]
    root = blob.parse((tmp_path / "s.cell").read_bytes()).cell
    pools = [(r["phys_start"], r["size"]) for r in root.regions if r["flags"] & abi.MEM_CELL_POOL]
    assert pools == [(0x68000000, 0x15800000), (0x7D831000, 0x1CF000), (0x7DC01000, 0x1BFF000)]


@pytest.mark.parametrize("cell", [DEMO, DEMO2, LINUX])
def test_decompile_round_trip_with_ends(cell: str, tmp_path: Path, cli) -> None:
    sysblob, cellblob = tmp_path / "s.cell", _compile(cli, tmp_path, cell)
    rc, _, err = cli("compile", SYSTEM, "-o", str(sysblob))
    assert rc == 0, err
    for src, dec in ((sysblob, tmp_path / "s.dts"), (cellblob, tmp_path / "c.dtso")):
        rc, _, err = cli("decompile", str(src), "-o", str(dec))
        assert rc == 0, err
    assert "ivshmem-ends = <" in (tmp_path / "c.dtso").read_text()
    assert 'peers = "root-linux", "peer1", "peer2";' in (tmp_path / "s.dts").read_text()
    rc, _, err = cli("compile", str(tmp_path / "s.dts"), "-o", str(tmp_path / "s2.cell"))
    assert rc == 0, err
    assert (tmp_path / "s2.cell").read_bytes() == sysblob.read_bytes()
    rc, _, err = cli("compile", str(tmp_path / "s.dts"), str(tmp_path / "c.dtso"), "-o", str(tmp_path / "c2.cell"))
    assert rc == 0, err
    assert (tmp_path / "c2.cell").read_bytes() == cellblob.read_bytes()


def test_guest_dt_of_a_cell_with_ends_only(tmp_path: Path, cli) -> None:
    rc, _, err = cli("guest-dt", SYSTEM, DEMO, "-o", str(tmp_path / "d.dtb"))
    assert rc == 0, err
    t = dtree.load((tmp_path / "d.dtb").read_bytes())
    host = t.node("/pcie@4010000000")
    assert host is not None and [c.name for c in host.children] == ["ivshmem@10,0"]
    assert host.u32s("ranges") == [0x02000000, 0, 0x3EFEF000, 0, 0x3EFEF000, 0, 0x1000]
    gic = t.root.u32("interrupt-parent")
    assert host.u32s("interrupt-map") == [0x8000, 0, 0, 1, gic, 0, 0, 0, 0, 4]
    assert t.node("/chosen").u32("linux,pci-probe-only") == 1


def test_dump_and_map_list_the_links(tmp_path: Path, cli) -> None:
    out_cell = _compile(cli, tmp_path, DEMO)
    rc, out, err = cli("dump", str(out_cell))
    assert rc == 0, err
    assert "ivshmem ends:      link 0 peer 1 00:10.0 irq 32 bar0 0x3efef000 at 0x7d800000" in out
    rc, out, err = cli("map", SYSTEM, DEMO)
    assert rc == 0, err
    assert "link echo: peer 1, PCI 00:10.0, INTID 32, BAR0 0x3efef000" in out


def _system_with(tmp: Path, text: str) -> Path:
    p = tmp / "system.dts"
    p.write_text(f'#include "{REPO / SYSTEM}"\n{text}\n')
    return p


def test_no_free_spi_is_reported_at_the_cell(tmp_path: Path, cli) -> None:
    """64 SPIs (gic-lines 96), the board's devices use most of them and 31 peers need one each."""
    peers = ", ".join(f'"c{i}"' for i in range(1, 16))
    links = "".join(f'l{k} {{ compatible = "hv,ivshmem-link"; peers = "root-linux", {peers}; '
                    f"physical-address = /bits/ 64 <{0x7e800000 + k * 0x1000:#x}>; }}; " for k in range(3))
    system = _system_with(tmp_path, f"&hypervisor {{ gic-lines = <96>; }};\n&ivshmem_links {{ {links} }};")
    cell = tmp_path / "c.dtso"
    cell.write_text((REPO / DEMO).read_text().replace('"ivshmem-demo"', '"c15"'))
    rc, _, err = cli("check", str(system), str(cell))
    assert rc == 1
    assert f"{cell}:" in err and "error: [link-irq] link 'l2': the end of cell 'c15' (peer 15): no SPI below 96" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("raw,words", [("<0 1 0x80>", "7 cells per end"), ('"text"', "")])
def test_hostile_raw_ends(raw: str, words: str, tmp_path: Path, cli) -> None:
    cell = tmp_path / "c.dtso"
    cell.write_text((REPO / DEMO).read_text().replace('cell-name = "ivshmem-demo";',
                                                      f'cell-name = "raw"; ivshmem-ends = {raw};'))
    rc, _, err = cli("check", SYSTEM, str(cell))
    assert rc == 1 and "Traceback" not in err and "internal error" not in err
    assert "error: [binding-type]" in err and words in err


def test_raw_ends_beyond_the_link_table(tmp_path: Path, cli) -> None:
    cell = tmp_path / "c.dtso"
    cell.write_text((REPO / DEMO).read_text().replace(
        'cell-name = "ivshmem-demo";', 'cell-name = "raw"; spis = <0>; '
        'ivshmem-ends = <7 9 0x80 32 0x3efef000 0x0 0x7d800000 0 5 0x80 32 0x0 0xffffffff 0xfffff000>;'))
    rc, _, err = cli("check", SYSTEM, str(cell))
    assert rc == 1 and "Traceback" not in err and "internal error" not in err
    assert "an end names link 7, the system has 2" in err
    assert "peer id 5, the link has 3 peers" in err


def test_x86_refuses_links(cli) -> None:
    rc, _, err = cli("check", "tests/configgen/corpus/bad/link-unsupported.dts")
    assert rc == 1 and "x86 has no inter-cell links (ivshmem) yet" in err


def test_root_slots_avoid_reserved_and_device_lines(tmp_path: Path, cli) -> None:
    """SPI 3 reserved: echo's root end skips slot 0x10 (INTA -> SPI 3) for 0x11 (SPI 4); net then
    skips 0x12 (SPI 5, the pci-serial's) for 0x13 (SPI 6)."""
    system = _system_with(tmp_path, "&hypervisor { reserved-spis = <3>; };")
    rc, _, err = cli("compile", str(system), "-o", str(tmp_path / "s.cell"))
    assert rc == 0, err
    assert _ends(tmp_path / "s.cell") == [(0, 0, 0x88, 36, 0, 0x7D800000), (1, 0, 0x98, 38, 0, 0x7DA00000)]


def test_a_fixed_slot_on_a_reserved_line_is_refused(tmp_path: Path, cli) -> None:
    system = _system_with(tmp_path, "&hypervisor { reserved-spis = <3>; };\n"
                                    "&{/hypervisor@7f800000/links/echo} { pci-device = <0x10>; };")
    rc, _, err = cli("check", str(system))
    assert rc == 1 and "error: [link-irq]" in err and "interrupt 35 is one the hypervisor reserves" in err
