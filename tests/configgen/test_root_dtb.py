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
    pool = _node(_dts(tmp_path / "r.dtb"), "cell-pool@78000000")
    assert "no-map;" in pool and "reg = <0x00 0x78000000 0x00 0x7800000>;" in pool
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
