"""The root DTB keeps root Linux off everything the cells may take: the whole cell pool (also
for cells compiled later), and every device a cell takes, in whatever form."""
from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import CELLS, SYSTEM


def _dts(dtb: Path) -> str:
    return subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(dtb)], capture_output=True, text=True,
                          check=True).stdout


def _node(dts: str, name: str) -> str:
    assert name + " {" in dts, name
    return dts.split(name + " {")[1].split("};")[0]


def test_pool_reserved_whole_without_cells(tmp_path: Path, cli) -> None:
    """A root DTB made before any cell existed still keeps Linux off every later cell's RAM."""
    rc, _, err = cli("compile", SYSTEM, "-o", str(tmp_path / "s.cfg"), "--root-dtb", str(tmp_path / "r.dtb"))
    assert rc == 0, err
    pool = _node(_dts(tmp_path / "r.dtb"), "cell-pool@68000000")
    assert "no-map;" in pool and "reg = <0x00 0x68000000 0x00 0x17800000>;" in pool
    # and the cells compiled later lie inside it (mem-outside-pool would say otherwise)
    for cell in CELLS:
        rc, _, err = cli("compile", SYSTEM, cell, "-o", str(tmp_path / "c.cfg"))
        assert rc == 0 and "mem-outside-pool" not in err, err


def test_device_taken_through_a_plain_io_region_is_disabled(tmp_path: Path, cli) -> None:
    """The form decompile and import write: an io region over the device plus its SPI."""
    cell = tmp_path / "raw.dtso"
    cell.write_text("""/dts-v1/;
/plugin/;
#include <hv-dt.h>
&hypervisor {
	raw {
		compatible = "hv,cell";
		cell-name = "raw";
		cpus = <&cpu2>;
		passive-comm-region;
		cpu-reset-address = ADDR64(0x0);
		spis = <2>;
		ram {
			physical-address = ADDR64(0x7e000000);
			guest-address = ADDR64(0x0);
			size = ADDR64(SZ_1M);
			access = "rwx";
			loadable;
		};
		rtc {
			physical-address = ADDR64(0x09010000);
			size = ADDR64(SZ_4K);
			access = "rw";
			io;
		};
	};
};
""")
    rc, _, err = cli("compile", SYSTEM, "-o", str(tmp_path / "s.cfg"), "--root-dtb", str(tmp_path / "r.dtb"),
                     "--cells", str(cell))
    assert rc == 0, err
    dts = _dts(tmp_path / "r.dtb")
    assert 'status = "disabled"' in _node(dts, "pl031@9010000")
    assert 'status = "disabled"' not in _node(dts, "pl011@9000000")


def test_root_shared_region_leaves_the_device_to_root(tmp_path: Path, cli) -> None:
    rc, _, err = cli("compile", SYSTEM, "-o", str(tmp_path / "s.cfg"), "--root-dtb", str(tmp_path / "r.dtb"),
                     "--cells", *CELLS)
    assert rc == 0, err
    dts = _dts(tmp_path / "r.dtb")
    assert 'status = "disabled"' not in _node(dts, "pl011@9000000")  # shared-devices: root keeps its UART
    assert 'status = "disabled"' in _node(dts, "pl031@9010000")  # smp-demo's devices


def test_many_cell_regions_outside_a_pool(tmp_path: Path, cli) -> None:
    """One no-map node per cell region without a pool: the DTB grows with them (a fixed room
    ran out at a few hundred: FDT_ERR_NOSPACE, an internal error)."""
    from conftest import REPO
    system = tmp_path / "system.dts"
    system.write_text((REPO / SYSTEM).read_text().replace('"../boards/', f'"{REPO}/dts/boards/')
                      .replace("cell-pool;", "") + "\n/delete-node/ &{/hypervisor@7f800000/links};\n")
    regions = "\n".join(f"\t\tr{i} {{ physical-address = /bits/ 64 <{0x78000000 + i * 0x1000:#x}>; "
                        f"guest-address = /bits/ 64 <{i * 0x1000:#x}>; size = /bits/ 64 <0x1000>; "
                        f"access = \"rwx\";{' loadable;' if i == 0 else ''} }};" for i in range(600))
    cell = tmp_path / "many.dtso"
    cell.write_text(f"/dts-v1/;\n/plugin/;\n&hypervisor {{\n\tmany {{\n\t\tcompatible = \"hv,cell\";\n"
                    f"\t\tcell-name = \"many\";\n\t\tcpus = <&cpu1>;\n\t\tpassive-comm-region;\n{regions}\n\t}};\n}};\n")
    rc, _, err = cli("compile", str(system), "-o", str(tmp_path / "s.cfg"), "--root-dtb", str(tmp_path / "r.dtb"),
                     "--cells", str(cell))
    assert rc == 0, err
    dts = _dts(tmp_path / "r.dtb")
    assert dts.count("no-map;") == 600 + 1  # every region (adjacent ones keep their own node) + the hypervisor
    assert "cell-many@78257000 {" in dts
