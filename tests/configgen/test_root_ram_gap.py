"""mem-root-uncovered: root Linux boots with configgen's root DTB on all of the board's /memory but
what is reserved (no-map), and its stage 2 maps only the root cell's regions. Board RAM in neither a
root RAM region nor a reservation (the hypervisor memory, a link, the board's own no-map
reserved-memory) is refused with the gap named; and the root DTB configgen writes leaves Linux no
RAM outside the root's reach (checked on the DTB itself, not through the rule)."""
from __future__ import annotations

import struct
from pathlib import Path

import libfdt
import pytest

from conftest import CELLS, REPO, SYSTEM
from configgen import abi, blob
from configgen.diag import Loc
from configgen.intervals import Cover
from configgen.model import Cell, Link, Platform, Range, Region, System
from configgen.rules.memory import _root_uncovered

RW = abi.MEM_READ | abi.MEM_WRITE
SHRUNK = """
&root_cell {
	linux-ram {
		size = ADDR64(0x27800000);	/* 8 MiB short of the pool: [0x67800000-0x67ffffff] */
	};
};
"""
BOARD_RESERVED = """
/ {{
	reserved-memory {{
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		firmware@67800000 {{
			reg = <0x0 0x67800000 0x0 0x800000>;
			{props}
		}};
	}};
}};
"""


def _system(tmp_path: Path, extra: str) -> str:
    path = tmp_path / "system.dts"
    path.write_text(f'#include "{REPO / SYSTEM}"\n{extra}')
    return str(path)


def _gaps(ram: list[tuple[int, int]], regions: list[tuple[int, int, int]], hyp: tuple[int, int],
          links: list[tuple[int, int]] = (), no_map: list[tuple[int, int]] = ()) -> list[str]:
    root = Cell("root", True, Loc("s.dts", 3), Loc("s.dts", 4),
                regions=[Region(f"r{i}", p, p, n, f, Loc("s.dts", 9)) for i, (p, n, f) in enumerate(regions)])
    sysm = System("s.dts", [], [Range(*r) for r in ram], {}, Platform(), Range(*hyp), Loc("s.dts", 2), None, 0, {},
                  [], root, board_no_map=[Range(*r) for r in no_map])  # type: ignore[arg-type]
    sysm.links = [Link(f"l{i}", ["a", "b"], p, n, 0, 0, 0, Loc("s.dts", 5)) for i, (p, n) in enumerate(links)]
    diags = _root_uncovered(sysm)
    assert all(d.rule == "mem-root-uncovered" for d in diags)
    return [d.message.split("]")[0].split("[")[1] for d in diags]


def test_upstream_layout_gaps_named() -> None:
    """Upstream's qemu-arm64 root (RAM to 0x7fa10000, ivshmem at 0x7faf0000/0x7fb00000, hypervisor
    0x7fc00000) relies on mem= to keep Linux off what lies between: without it, those are the gaps."""
    ram = [(0x40000000, 0x40000000)]
    regions = [(0x40000000, 0x3fa10000, RW | abi.MEM_EXECUTE), (0x7faf0000, 0x1000, abi.MEM_READ),
               (0x7faf1000, 0x9000, RW), (0x7fafa000, 0x2000, RW), (0x7fb00000, 0x1000, abi.MEM_READ),
               (0x7fb01000, 0xdf000, RW)]
    assert _gaps(ram, regions, (0x7fc00000, 0x400000)) == ["0x7fa10000-0x7faeffff", "0x7fafc000-0x7fafffff",
                                                           "0x7fbe0000-0x7fbfffff"]


def test_board_no_map_counts_as_a_reservation() -> None:
    ram = [(0x40000000, 0x40000000)]
    regions = [(0x40000000, 0x27800000, RW)]
    assert _gaps(ram, regions, (0x7f800000, 0x800000)) == ["0x67800000-0x7f7fffff"]
    assert _gaps(ram, regions, (0x7f800000, 0x800000), no_map=[(0x67800000, 0x18000000)]) == []
    assert _gaps(ram, regions, (0x7f800000, 0x800000), no_map=[(0x68000000, 0x17000000)]) == \
        ["0x67800000-0x67ffffff", "0x7f000000-0x7f7fffff"]
    assert _gaps(ram, regions, (0x7f800000, 0x800000), links=[(0x67800000, 0x800000)],
                 no_map=[(0x68000000, 0x17000000)]) == ["0x7f000000-0x7f7fffff"]


def test_gap_named_with_the_remedies(tmp_path: Path, cli) -> None:
    rc, _, err = cli("check", _system(tmp_path, SHRUNK))
    assert rc == 1
    assert "error: [mem-root-uncovered] board RAM [0x67800000-0x67ffffff] (8 MiB) is in no region of the root " \
           "cell 'root-linux' and no reservation" in err, err
    assert "hint: extend a root cell RAM region over [0x67800000-0x67ffffff], reserve it in the board " \
           "(/reserved-memory, no-map), or take it out of the board's /memory" in err, err
    assert "Traceback" not in err


def test_board_reservation_closes_the_gap(tmp_path: Path, cli) -> None:
    """A board's no-map reservation (firmware, secure world) is RAM Linux never uses: no gap, and
    the root DTB keeps the board's node."""
    src = _system(tmp_path, SHRUNK + BOARD_RESERVED.format(props="no-map;"))
    rc, _, err = cli("compile", src, "-o", str(tmp_path / "s.cell"), "--root-dtb", str(tmp_path / "r.dtb"))
    assert rc == 0, err
    fdt = libfdt.Fdt((tmp_path / "r.dtb").read_bytes())
    assert fdt.path_offset("/reserved-memory/firmware@67800000") >= 0
    assert _linux_unreachable(tmp_path / "s.cell", tmp_path / "r.dtb") == []


@pytest.mark.parametrize("props", ["reusable;", "no-map;\n\t\t\tstatus = \"disabled\";", ""])
def test_reservations_linux_still_uses_do_not_count(props: str, tmp_path: Path, cli) -> None:
    rc, _, err = cli("check", _system(tmp_path, SHRUNK + BOARD_RESERVED.format(props=props)))
    assert rc == 1 and "board RAM [0x67800000-0x67ffffff]" in err, err


# --- the root DTB itself: what Linux may use is what the root cell maps -----------------------

def _reg_pairs(fdt: libfdt.Fdt, off: int) -> list[tuple[int, int]]:
    reg = fdt.getprop(off, "reg", (libfdt.NOTFOUND,))
    if isinstance(reg, int):
        return []
    vals = struct.unpack(f">{len(reg) // 8}Q", bytes(reg))  # #address-cells = #size-cells = 2 here
    return [(vals[i], vals[i] + vals[i + 1]) for i in range(0, len(vals) - 1, 2)]


def _linux_unreachable(cell_path: Path, dtb_path: Path) -> list[tuple[int, int]]:
    """RAM root Linux may use by the DTB (/memory minus no-map) that neither the root's RAM regions
    nor the hypervisor memory nor a link holds."""
    fdt = libfdt.Fdt(dtb_path.read_bytes())
    memory, no_map = [], []
    off = fdt.first_subnode(0)
    while off >= 0:
        if fdt.get_name(off).startswith("memory"):
            memory += _reg_pairs(fdt, off)
        off = fdt.next_subnode(off, (libfdt.NOTFOUND,))
    res = fdt.path_offset("/reserved-memory", (libfdt.NOTFOUND,))
    off = fdt.first_subnode(res, (libfdt.NOTFOUND,)) if res >= 0 else -1
    while off >= 0:
        if not isinstance(fdt.getprop(off, "no-map", (libfdt.NOTFOUND,)), int):
            no_map += _reg_pairs(fdt, off)
        off = fdt.next_subnode(off, (libfdt.NOTFOUND,))
    p = blob.parse(cell_path.read_bytes())
    reach = [(r["phys_start"], r["phys_start"] + r["size"]) for r in p.cell.regions
             if not r["flags"] & (abi.MEM_IO | abi.MEM_COMM_REGION)]
    reach.append((p.fields["hypervisor_mem_base"], p.fields["hypervisor_mem_base"] + p.fields["hypervisor_mem_size"]))
    for ln in p.links:
        f = ln.fields
        size = f["state_size"] + f["rw_size"] + f["out_size"] * f["num_peers"]
        reach.append((f["phys_start"], f["phys_start"] + (size + 0xfff) // 0x1000 * 0x1000))
    cover = Cover(reach + no_map)
    return [g for s, e in memory for g in cover.gaps(s, e)]


def test_shipped_root_dtb_leaves_linux_no_unreachable_ram(tmp_path: Path, cli) -> None:
    rc, _, err = cli("compile", SYSTEM, "-o", str(tmp_path / "s.cell"), "--root-dtb", str(tmp_path / "r.dtb"),
                     "--cells", *CELLS)
    assert rc == 0, err
    assert _linux_unreachable(tmp_path / "s.cell", tmp_path / "r.dtb") == []


def test_the_dtb_check_sees_a_gap(tmp_path: Path, cli) -> None:
    """The check above can fail: a blob whose root region is 8 MiB short (as the rule would refuse)."""
    rc, _, err = cli("compile", SYSTEM, "-o", str(tmp_path / "s.cell"), "--root-dtb", str(tmp_path / "r.dtb"))
    assert rc == 0, err
    data = bytearray((tmp_path / "s.cell").read_bytes())
    p = blob.parse(bytes(data))
    ram = next(r for r in p.cell.regions if r["phys_start"] == 0x40000000)
    off = data.find(struct.pack("<QQQ", 0x40000000, 0x40000000, ram["size"]))
    assert off > 0
    struct.pack_into("<Q", data, off + 16, ram["size"] - 0x800000)
    (tmp_path / "short.cell").write_bytes(_reseal(data))
    assert _linux_unreachable(tmp_path / "short.cell", tmp_path / "r.dtb") == [(0x67800000, 0x68000000)]


def _reseal(data: bytearray) -> bytes:
    import zlib
    off = abi.HEADER.offset_of("crc32")
    struct.pack_into("<I", data, off, 0)
    struct.pack_into("<I", data, off, zlib.crc32(bytes(data)) & 0xFFFFFFFF)
    return bytes(data)


POOL_ALL = """
&root_cell {
	linux-ram {
		size = ADDR64(0x%x);
	};
	cell-pool {
		physical-address = ADDR64(0x%x);
		size = ADDR64(0x%x);
	};
};
"""


@pytest.mark.parametrize("keep, ok", [(0x1000000, False), (0x2000000, True)])
def test_root_keeps_ram_outside_the_pool(tmp_path: Path, cli, keep: int, ok: bool) -> None:
    """mem-root-ram-min: the root DTB reserves the pool whole; a root left 16 MiB outside it would
    not boot, 32 MiB is the floor (what `import --mem` refuses below, too)."""
    end = 0x7f800000  # the pool's end in the shipped system
    system = _system(tmp_path, POOL_ALL % (keep, 0x40000000 + keep, end - 0x40000000 - keep))
    rc, _, err = cli("check", system)
    if ok:
        assert "mem-root-ram-min" not in err, err
        return
    assert rc == 1 and "error: [mem-root-ram-min] the root cell 'root-linux' keeps 16 MiB of RAM outside the " \
        "cell pool (at least 32 MiB)" in err, err
