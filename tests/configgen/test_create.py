"""create: a system .dts from a snapshot of a running QEMU guest (fixtures/qemu-arm64-snapshot).

Also leaves build/configs/live/create-{system.cell,root.dtb} for the system test
tests/system/configgen-create.sh, which boots with them and enables the hypervisor.
"""
from __future__ import annotations

import shutil
import struct
from pathlib import Path

import libfdt
import pytest

from conftest import CELLS, REPO, SYSTEM
from configgen import blob
from configgen import tree as dtree

SNAP = "tests/configgen/fixtures/qemu-arm64-snapshot"
POOL = "376M"  # dts/qemu-arm64/system.dts: the pool 0x68000000-0x7f7fffff below the hypervisor


@pytest.fixture(scope="module")
def created(tmp_path_factory) -> Path:
    from conftest import run_cli
    d = tmp_path_factory.mktemp("create")
    rc, _, err = run_cli("create", "--root", SNAP, "--gic-lines", "288", "--cell-size", POOL, "-o",
                         str(d / "system.dts"))
    assert rc == 0 and err == "", err
    rc, _, err = run_cli("compile", str(d / "system.dts"), "-o", str(d / "system.cell"), "--root-dtb",
                         str(d / "root.dtb"))
    assert rc == 0 and err == "", err
    return d


def test_snapshot_gives_the_hand_written_system_blob(created: Path, cli, tmp_path: Path) -> None:
    """Same hypervisor memory, root RAM, pool, CPUs, devices, SPIs: byte for byte (but for the
    PCI function nodes the hand-written board adds: QEMU's own device tree has none; and the
    links, which create does not invent)."""
    ref = tmp_path / "ref.dts"
    ref.write_text(f'#include "{REPO / SYSTEM}"\n/delete-node/ &pci_serial;\n/delete-node/ &host_bridge;\n'
                   '/delete-node/ &{/hypervisor@7f800000/links};\n')
    rc, _, err = cli("compile", str(ref), "-o", str(tmp_path / "ref.cell"))
    assert rc == 0, err
    assert (created / "system.cell").read_bytes() == (tmp_path / "ref.cell").read_bytes()


def test_root_dtb_reserves_hypervisor_and_pool(created: Path) -> None:
    t = dtree.load((created / "root.dtb").read_bytes())
    res = t.node("/reserved-memory")
    assert res is not None
    regs = {c.name: (c.u64s("reg"), c.has("no-map")) for c in res.children}
    assert regs["hypervisor@7f800000"] == ([0x7F800000, 0x800000], True)
    assert regs["cell-pool@68000000"] == ([0x68000000, 0x17800000], True)
    assert t.node("/pcie@10000000").string("status") in (None, "okay")  # the root drives it
    chosen = t.node("/chosen")
    assert chosen.string("stdout-path") == "/pl011@9000000"
    assert not any(chosen.has(p) for p in ("kaslr-seed", "linux,initrd-start", "bootargs"))
    assert t.node("/hypervisor@7f800000") is None


def test_sample_cells_fit_the_created_system(created: Path, cli) -> None:
    rc, out, err = cli("check", "-Werror", str(created / "system.dts"), *CELLS)
    assert rc == 0, err
    assert "2 cell(s): gic-demo, smp-demo" in out


def test_template_text(created: Path) -> None:
    text = (created / "system.dts").read_text()
    assert "0x0068000000-0x007f7fffff  376 MiB    pool for non-root cells" in text
    assert "cpus = <&cpu0 &cpu1 &cpu2 &cpu3>;" in text and "debug-console = <&uart0>;" in text
    assert "gic-lines = <288>;\t/* given on the command line */" in text
    assert "rtc: pl031@9010000 {" in text and "all-devices;" in text


def _fdt_to_fs(dtb: bytes, root: Path) -> None:
    """Write a DTB out the way Linux shows it in /proc/device-tree."""
    t = dtree.load(dtb)
    for n in t.root.walk():
        d = root / n.path.lstrip("/")
        d.mkdir(parents=True, exist_ok=True)
        for k, v in n.props.items():
            (d / k).write_bytes(v)
        (d / "name").write_bytes((n.unit_name or "").encode() + b"\0") if n.path != "/" else None


def test_proc_device_tree_snapshot_gives_the_same_system(created: Path, tmp_path: Path, cli) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(REPO / SNAP, snap)
    fdt = snap / "sys/firmware/fdt"
    _fdt_to_fs(fdt.read_bytes(), snap / "proc/device-tree")
    fdt.unlink()
    rc, _, err = cli("create", "--root", str(snap), "--gic-lines", "288", "--cell-size", POOL, "-o",
                     str(tmp_path / "s.dts"))
    assert rc == 0, err
    rc, _, err = cli("compile", str(tmp_path / "s.dts"), "-o", str(tmp_path / "s.cell"))
    assert rc == 0, err
    assert (tmp_path / "s.cell").read_bytes() == (created / "system.cell").read_bytes()


def test_defaults_and_sizes(tmp_path: Path, cli) -> None:
    rc, _, err = cli("create", "--root", SNAP, "--hypervisor-size", "16M", "--cell-size", "0", "-o",
                     str(tmp_path / "s.dts"))
    assert rc == 0, err
    text = (tmp_path / "s.dts").read_text()
    assert "gic-lines = <96>;" in text and "from the device tree's highest SPI" in text
    assert "hypervisor@7f000000" in text and "cell-pool" not in text
    rc, _, err = cli("compile", str(tmp_path / "s.dts"), "-o", str(tmp_path / "s.cell"))
    assert rc == 0, err
    p = blob.parse((tmp_path / "s.cell").read_bytes())
    assert (p.fields["hypervisor_mem_base"], p.fields["hypervisor_mem_size"]) == (0x7F000000, 0x1000000)
    assert p.platform["gic_lines"] == 96


def test_offline_cpu_left_out(tmp_path: Path, cli) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(REPO / SNAP, snap)
    (snap / "sys/devices/system/cpu/online").write_text("0-2\n")
    rc, _, err = cli("create", "--root", str(snap), "-o", str(tmp_path / "s.dts"))
    assert rc == 0 and "CPUs [3] are offline" in err
    assert "cpus = <&cpu0 &cpu1 &cpu2>;" in (tmp_path / "s.dts").read_text()


@pytest.mark.parametrize("args,msg", [
    (["--root", "/nonexistent-dir"], "no such directory"),
    (["--root", SNAP, "--hypervisor-size", "8 potatoes"], "is not a size"),
    (["--root", SNAP, "--hypervisor-size", "3M"], "multiple of 2 MiB"),
    (["--root", SNAP, "--cell-size", "2G"], "too small"),
    (["--root", SNAP, "--gic-lines", "100"], "multiple of 32"),
])
def test_usage_errors(args: list[str], msg: str, tmp_path: Path, cli) -> None:
    rc, _, err = cli("create", *args, "-o", str(tmp_path / "s.dts"))
    assert rc == 2 and msg in err and "Traceback" not in err, err
    assert not (tmp_path / "s.dts").exists()


def test_unreadable_snapshots(tmp_path: Path, cli) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(REPO / SNAP, snap)
    iomem = (snap / "proc/iomem").read_text()
    (snap / "proc/iomem").write_text("".join(
        l.split("-")[0].rstrip().replace(l.split("-")[0].strip(), "00000000") + "-00000000 :" +
        l.split(":", 1)[1] + "\n" for l in iomem.splitlines()))
    rc, _, err = cli("create", "--root", str(snap), "-o", str(tmp_path / "s.dts"))
    assert rc == 2 and "read /proc/iomem as root" in err, err
    (snap / "proc/iomem").write_text("garbage\n")
    rc, _, err = cli("create", "--root", str(snap), "-o", str(tmp_path / "s.dts"))
    assert rc == 2 and "iomem:1: not an iomem line" in err, err
    (snap / "proc/iomem").write_text(iomem)
    (snap / "sys/firmware/fdt").write_bytes(b"\xd0\x0d\xfe\xed" + b"\0" * 60)
    rc, _, err = cli("create", "--root", str(snap), "-o", str(tmp_path / "s.dts"))
    assert rc == 2 and "not a valid device tree blob" in err, err
    (snap / "sys/firmware/fdt").unlink()
    rc, _, err = cli("create", "--root", str(snap), "-o", str(tmp_path / "s.dts"))
    assert rc == 2 and "no device tree under" in err, err


def test_leaves_artifacts_for_the_system_test(created: Path) -> None:
    """tests/system/configgen-create.sh boots with these (until the Makefile builds them)."""
    out = REPO / "build" / "configs" / "live"
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(created / "system.cell", out / "create-system.cell")
    shutil.copyfile(created / "root.dtb", out / "create-root.dtb")
    libfdt.Fdt((out / "create-root.dtb").read_bytes())
    assert struct.unpack_from("<I", (out / "create-system.cell").read_bytes())[0] == 0x59535648


def test_uefi_style_tree_without_memory_nodes(created: Path, tmp_path: Path, cli) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(REPO / SNAP, snap)
    fdt = libfdt.Fdt(bytearray((snap / "sys/firmware/fdt").read_bytes()))
    fdt.del_node(fdt.path_offset("/memory@40000000"))
    fdt.pack()
    (snap / "sys/firmware/fdt").write_bytes(bytes(fdt.as_bytearray()))
    rc, _, err = cli("create", "--root", str(snap), "--gic-lines", "288", "--cell-size", POOL, "-o",
                     str(tmp_path / "s.dts"))
    assert rc == 0 and "no memory nodes" in err, err
    assert "/* from /proc/iomem System RAM" in (tmp_path / "s.dts").read_text()
    rc, _, err = cli("compile", str(tmp_path / "s.dts"), "-o", str(tmp_path / "s.cell"))
    assert rc == 0, err
    assert (tmp_path / "s.cell").read_bytes() == (created / "system.cell").read_bytes()


def test_plan_uses_the_highest_range_that_fits() -> None:
    from configgen.create import plan_memory
    p = plan_memory([(0x40000000, 0x80000000), (0x880000000, 0x880400000)], 0x800000, 0x7800000)
    assert p.hyp == (0x7F800000, 0x80000000) and p.pool == (0x78000000, 0x7F800000)
    assert p.root_ram == [(0x40000000, 0x78000000), (0x880000000, 0x880400000)]
    assert [r.what for r in p.rows] == ["root Linux", "pool for non-root cells (reserved no-map, owned by root)",
                                        "hypervisor", "root Linux"]
