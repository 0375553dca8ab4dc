"""map: text and SVG pictures of the partitioning; conflicts in red; no overlapping labels."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import CELLS, REPO, SYSTEM
from configgen.memmap import CHAR_W, FONT

NS = "{http://www.w3.org/2000/svg}"


def test_text_map_of_the_samples(cli) -> None:
    rc, out, err = cli("map", SYSTEM, *CELLS)
    assert rc == 0, err
    lines = out.splitlines()
    assert any(l.split()[:3] == ["0x7f800000", "0x7fffffff", "8"] and "hypervisor" in l for l in lines)
    shared = next(l for l in lines if l.lstrip().startswith("0x7f700000"))
    assert shared.count("*shared-mem") == 2 and "cell-pool" in shared
    assert next(l for l in lines if l.lstrip().startswith("0x78000000")).rstrip().endswith("ram @0x0")
    assert any(l.startswith("root-linux (root)") and "0 (lends 1-3)" in l and "0-1,3-255 (lends 2)" in l
               for l in lines)
    assert any(l.startswith("smp-demo") and l.split()[1:4] == ["1,", "2", "2"] for l in lines)
    assert "conflicts:" not in out


def _boxes(root: ET.Element) -> list[tuple[float, float, float, float, str]]:
    out = []
    for t in root.iter(f"{NS}text"):
        x, y, s = float(t.get("x", 0)), float(t.get("y", 0)), t.text or ""
        w = len(s) * CHAR_W
        x0 = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor", "start")]
        out.append((x0, y - FONT + 2, x0 + w, y + 2, s))
    return out


def _assert_no_overlap(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    boxes = _boxes(root)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), f"{a[4]!r} overlaps {b[4]!r}"
    w = float(root.get("width", 0))
    assert all(b[2] <= w for b in boxes), "text runs off the picture"
    return root


def test_svg_map_is_valid_and_labels_do_not_overlap(tmp_path: Path, cli) -> None:
    rc, _, err = cli("map", SYSTEM, *CELLS, "-o", str(tmp_path / "map.svg"))
    assert rc == 0, err
    svg = (tmp_path / "map.svg").read_text()
    root = _assert_no_overlap(svg)
    texts = [t.text for t in root.iter(f"{NS}text")]
    for want in ("hypervisor", "root-linux (root)", "gic-demo", "smp-demo", "linux-ram", "cell-pool",
                 "shared with gic-demo", "CPUs: 1, 2", "SPIs: 2", "pl031@9010000", "0x00007f800000"):
        assert want in texts, want
    assert "#e06666" not in svg.split("</defs>")[1].split("conflict")[0].replace('fill="#e06666" stroke="#555"', "")


@pytest.fixture
def clashing(tmp_path: Path) -> Path:
    """gic-demo's RAM moved into smp-demo's and into the hypervisor, its CPU onto smp-demo's."""
    text = (REPO / CELLS[0]).read_text().replace("ADDR64(0x7f000000)", "ADDR64(0x78000000)")
    text = text.replace("<&cpu3>", "<&cpu2>")
    p = tmp_path / "clash.dtso"
    p.write_text(text)
    return p


def test_conflicts_are_red_in_text_and_svg(clashing: Path, tmp_path: Path, cli) -> None:
    rc, out, err = cli("map", SYSTEM, str(clashing), CELLS[1])
    assert rc == 1 and "[mem-overlap]" in err and "[cpu-conflict]" in err
    assert "!ram / smp-demo" in out and "conflicts:" in out and "CPU 2 in gic-demo, smp-demo" in out
    rc, _, err = cli("map", SYSTEM, str(clashing), CELLS[1], "-o", str(tmp_path / "clash.svg"))
    assert rc == 1
    svg = (tmp_path / "clash.svg").read_text()
    _assert_no_overlap(svg)
    assert svg.count('fill="#e06666" stroke="#990000"') == 2  # one red box in each lane
    assert 'fill="#cc0000">CPUs: 2' in svg


def test_map_of_broken_source_exits_1_without_picture(tmp_path: Path, cli) -> None:
    bad = tmp_path / "bad.dtso"
    bad.write_text("/dts-v1/;\n/plugin/;\n&hypervisor { x { ; };\n")
    rc, _, err = cli("map", SYSTEM, str(bad), "-o", str(tmp_path / "m.svg"))
    assert rc == 1 and "error:" in err and not (tmp_path / "m.svg").exists()


def test_docs_picture_is_current(tmp_path: Path, cli) -> None:
    """docs/images/qemu-arm64-map.svg (shown by the README) is what map draws for the samples today."""
    rc, _, err = cli("map", SYSTEM, *CELLS, "-o", str(tmp_path / "now.svg"))
    assert rc == 0, err
    assert (tmp_path / "now.svg").read_text() == (REPO / "docs/images/qemu-arm64-map.svg").read_text(), \
        "regenerate: python3 -m configgen map " + " ".join([SYSTEM, *CELLS]) + " -o docs/images/qemu-arm64-map.svg"


def _big_cell(name: str, cpu: str, base: int, nregions: int) -> str:
    regions = "\n".join(f"\t\tr{i} {{ physical-address = ADDR64({base + i * 0x1000:#x}); size = ADDR64(0x1000); "
                        f"access = \"rw\"; }};" for i in range(nregions))
    return f"""/dts-v1/;
/plugin/;
#include <hv-dt.h>
&hypervisor {{
	{name} {{
		compatible = "hv,cell";
		cell-name = "{name}";
		cpus = <&{cpu}>;
{regions}
	}};
}};
"""


def test_map_of_8192_regions_is_not_quadratic(tmp_path: Path) -> None:
    """Two cells of 4,096 regions each (the format's limit), text and SVG: the drawing itself
    takes well under a second of CPU (all-pairs loops took over 50 s)."""
    import time

    from configgen import bindings, frontend, memmap
    from configgen.kconfig import load_limits

    cells = []
    for name, cpu, base in (("big-a", "cpu2", 0x78000000), ("big-b", "cpu3", 0x7a000000)):
        cells.append(tmp_path / f"{name}.dtso")
        cells[-1].write_text(_big_cell(name, cpu, base, 4096))
    system = REPO / SYSTEM
    loaded = frontend.load(str(system), [str(c) for c in cells], [], bindings.load(None), load_limits(None))
    assert loaded.sysm is not None and sum(len(c.regions) for c in loaded.sysm.cells) == 8192
    t0 = time.process_time()
    m = memmap.build(loaded.sysm, loaded.diags)
    text, svg = memmap.text(m), memmap.svg(m)
    cpu = time.process_time() - t0
    assert len(m.rows) >= 8192 and "big-b" in text and svg.endswith("</svg>\n")
    assert cpu < 2.0, f"map of 8,192 regions took {cpu:.1f} s of CPU"
