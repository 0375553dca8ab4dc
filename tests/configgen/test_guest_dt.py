"""guest-dt: dtc accepts the output without warnings, and every node matches the cell's blob."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import CELLS, REPO, SYSTEM
from configgen import abi, blob
from configgen import tree as dtree


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, tuple[Path, blob.Parsed, blob.Parsed]]:
    from conftest import run_cli
    d = tmp_path_factory.mktemp("guestdt")
    rc, _, err = run_cli("compile", SYSTEM, "-o", str(d / "system.cfg"), "--cells", *CELLS)
    assert rc == 0, err
    sysp = blob.parse((d / "system.cfg").read_bytes())
    out = {}
    for cell in CELLS:
        name = Path(cell).stem
        rc, _, err = run_cli("compile", SYSTEM, cell, "-o", str(d / f"{name}.cfg"), "--cells", *CELLS)
        assert rc == 0, err
        rc, _, err = run_cli("guest-dt", SYSTEM, cell, "-o", str(d / f"{name}.dtb"), "--cells", *CELLS)
        assert rc == 0 and err == "", err
        out[name] = (d / f"{name}.dtb", sysp, blob.parse((d / f"{name}.cfg").read_bytes()))
    return out


@pytest.mark.parametrize("name", ["gic-demo", "smp-demo"])
def test_dtc_accepts_without_warnings(name: str, outputs) -> None:
    dtb = outputs[name][0]
    r = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", "-o", "/dev/null", str(dtb)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    # and dtc writing a DTB from it (its checks run on every output format)
    r = subprocess.run(["dtc", "-I", "dtb", "-O", "dtb", "-o", "/dev/null", str(dtb)],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def _regs(n: dtree.Node) -> list[tuple[int, int]]:
    v = n.u64s("reg") or []
    return [(v[i], v[i + 1]) for i in range(0, len(v), 2)]


def _inside(r: tuple[int, int], regions: list[dict[str, int]]) -> dict[str, int] | None:
    for g in regions:
        if g["guest_start"] <= r[0] and r[0] + r[1] <= g["guest_start"] + g["size"]:
            return g
    return None


def _spis(n: dtree.Node) -> list[int]:
    v = n.u32s("interrupts") or []
    return [v[i + 1] + 32 for i in range(0, len(v), 3) if v[i] == 0]


@pytest.mark.parametrize("name", ["gic-demo", "smp-demo"])
def test_every_node_matches_the_blob(name: str, outputs) -> None:
    dtb, sysp, cellp = outputs[name]
    t = dtree.load(dtb.read_bytes())
    regions = cellp.cell.regions
    kind = {id(r): ("comm" if r["flags"] & abi.MEM_COMM_REGION else "io" if r["flags"] & abi.MEM_IO else
                    "shared" if r["flags"] & abi.MEM_SHARED else "ram") for r in regions}
    by_kind = {k: [r for r in regions if kind[id(r)] == k] for k in ("ram", "io", "shared", "comm")}
    pl = sysp.platform
    covered: set[int] = set()
    seen_cpus: list[int] = []
    for n in t.root.walk():
        p = n.path
        if p in ("/", "/chosen", "/aliases", "/cpus", "/reserved-memory"):
            continue
        if p.startswith("/cpus/"):
            assert n.string("device_type") == "cpu" and n.string("enable-method") == "psci", p
            seen_cpus.append(n.u64("reg") or 0)
        elif p == "/psci":
            assert n.string("method") == "smc" and "arm,psci-0.2" in n.compatible
        elif n.string("device_type") == "memory":
            for r in _regs(n):
                g = _inside(r, by_kind["ram"])
                assert g is not None, f"{p}: {r} is not RAM of the cell"
                covered.add(id(g))
        elif p.startswith("/reserved-memory/"):
            want = "comm" if "hv,comm-region" in n.compatible else "shared"
            assert n.has("no-map")
            for r in _regs(n):
                g = _inside(r, by_kind[want])
                assert g is not None, f"{p}: {r} is no {want} region of the cell"
                covered.add(id(g))
        elif p == "/timer":
            v = n.u32s("interrupts") or []
            assert [v[i + 1] + 16 for i in range(0, len(v), 3)] == [29, 30, 27, 26]
        elif "arm,gic-v3" in n.compatible:
            (gd, gds), (gr, grs) = _regs(n)
            assert (gd, gds) == (pl["gicd_base"], pl["gicd_size"])
            assert gr == pl["gicr_base"] and grs == len(sysp.cpus) * pl["gicr_stride"]
            assert n.u32("phandle") == t.root.u32("interrupt-parent")
        elif "fixed-clock" in n.compatible:
            assert not n.has("reg")
        else:
            assert n.has("reg"), f"unexpected node {p}"
            for r in _regs(n):
                g = _inside(r, by_kind["io"])
                assert g is not None and g["phys_start"] == g["guest_start"], f"{p}: {r} is not mapped I/O"
                covered.add(id(g))
            for spi in _spis(n):
                assert spi in cellp.cell.intids, f"{p}: SPI INTID {spi} not owned by the cell"
    assert sorted(seen_cpus) == sorted(sysp.cpus[i] for i in cellp.cell.cpus)
    # and the other way round: every region of the blob is described
    assert covered == {id(r) for r in regions}, [r for r in regions if id(r) not in covered]
    # every SPI of the cell appears on a device
    dev_spis = {s for n in t.root.walk() for s in _spis(n)}
    assert dev_spis == {i for i in cellp.cell.intids if i >= 32}


def test_exclusive_device_keeps_its_interrupt_shared_one_does_not(outputs) -> None:
    t = dtree.load(outputs["smp-demo"][0].read_bytes())
    assert t.node("/pl031@9010000").u32s("interrupts") == [0, 2, 4]
    assert not t.node("/pl011@9000000").has("interrupts")
    assert t.node("/chosen").string("stdout-path") == "/pl011@9000000"
    assert t.node("/pl031@9010000").u32s("clocks") == [t.node("/apb-pclk").u32("phandle")]


def test_gic_demo_sees_one_cpu_and_its_megabyte(outputs) -> None:
    t = dtree.load(outputs["gic-demo"][0].read_bytes())
    assert [c.name for c in t.node("/cpus").children] == ["cpu@3"]
    assert t.node("/memory@0").u64s("reg") == [0, 0x100000]


def test_guest_dt_of_invalid_partitioning_fails(tmp_path: Path, cli) -> None:
    bad = tmp_path / "bad.dtso"
    bad.write_text((REPO / CELLS[0]).read_text().replace("<&cpu3>", "<&cpu1>"))
    rc, _, err = cli("guest-dt", SYSTEM, str(bad), "--cells", CELLS[1], "-o", str(tmp_path / "x.dtb"))
    assert rc == 1 and "[cpu-conflict]" in err and not (tmp_path / "x.dtb").exists()


def test_raw_io_regions_bring_their_board_devices(tmp_path: Path, cli) -> None:
    """A decompiled/imported cell maps devices as plain regions: their nodes still appear."""
    text = (REPO / CELLS[1]).read_text().replace("devices = <&rtc>;", "spis = <2>;")
    text = text.replace("\t\tcomm {", "\t\trtc-raw {\n\t\t\tphysical-address = ADDR64(0x9010000);\n"
                        "\t\t\tsize = ADDR64(SZ_4K);\n\t\t\taccess = \"rw\";\n\t\t\tio;\n\t\t};\n\n\t\tcomm {")
    raw = tmp_path / "raw.dtso"
    raw.write_text(text)
    rc, _, err = cli("guest-dt", SYSTEM, str(raw), "--cells", CELLS[0], "-o", str(tmp_path / "raw.dtb"))
    assert rc == 0, err
    t = dtree.load((tmp_path / "raw.dtb").read_bytes())
    assert t.node("/pl031@9010000").u32s("interrupts") == [0, 2, 4]
    rc, _, err = cli("guest-dt", SYSTEM, CELLS[1], "--cells", CELLS[0], "-o", str(tmp_path / "ref.dtb"))
    assert rc == 0, err
    assert (tmp_path / "raw.dtb").read_bytes() == (tmp_path / "ref.dtb").read_bytes()


def test_leaves_guest_dtb_for_the_system_test(cli) -> None:
    """tests/system/configgen-guest-dt.sh boots Linux on this (until the Makefile builds it)."""
    out = REPO / "build" / "configs" / "live"
    out.mkdir(parents=True, exist_ok=True)
    rc, _, err = cli("guest-dt", "tests/configgen/fixtures/guest-linux-system.dts",
                     "tests/configgen/fixtures/guest-linux.dtso",
                     "-o", str(out / "guest-linux.dtb"))
    assert rc == 0 and err == "", err
    t = dtree.load((out / "guest-linux.dtb").read_bytes())
    assert [c.name for c in t.node("/cpus").children] == ["cpu@0", "cpu@1"]
    assert t.node("/memory@40000000").u64s("reg") == [0x40000000, 0x10000000]
    assert t.node("/pl011@9000000").u32s("interrupts") == [0, 1, 4]
