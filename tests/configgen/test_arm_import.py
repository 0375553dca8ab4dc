"""`configgen import` of upstream-shaped ARMv7 Jailhouse configurations: the arm64 fixtures of
jh-upstream.c made ARMv7 (architecture byte JAILHOUSE_ARM in revision 14, a GICv2 with GICC/GICH/
GICV), imported with the ARMv7 board: the sources pass `configgen check` as arm, the links are
dropped with a warning (no links on ARMv7 yet), a GICv3 or a missing board are decisions, and the
root DTB of the result hides the GICv2m frame."""
from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from configgen import abi
from configgen import jhformat as jh

BOARD = "dts/boards/qemu-arm-virt.dts"
SRC = REPO / "tests/configgen/jailhouse/jh-upstream.c"
GIC = (0x08000000, 0x08010000, 0x08030000, 0x08040000, 0)  # gicd, gicc, gich, gicv, gicr


def _armv7(data: bytes, rev: int, system: bool, gic_version: int = 2) -> bytes:
    b = bytearray(data)
    if rev == 14:
        b[5] = jh.ARCH_ARM
    if system:
        arm_off = 76 + 12 + 8 * jh.IOMMU_SIZE
        struct.pack_into("<BB", b, arm_off, 25, gic_version)
        struct.pack_into("<5Q", b, arm_off + 4, *GIC)
    return bytes(b)


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("upstream-armv7")
    for r in (12, 13, 14):
        (d / f"r{r}").mkdir()
    subprocess.run(["gcc", "-Wall", "-Wextra", "-Werror", "-o", str(d / "gen"), str(SRC)], check=True)
    subprocess.run([str(d / "gen"), str(d)], check=True, capture_output=True)
    for r in (13, 14):
        sysblob = (d / f"r{r}/system.cell").read_bytes()
        (d / f"r{r}/armv7-system.cell").write_bytes(_armv7(sysblob, r, True))
        (d / f"r{r}/armv7-v3.cell").write_bytes(_armv7(sysblob, r, True, gic_version=3))
        demo = (d / f"r{r}/inmate-demo.cell").read_bytes()
        (d / f"r{r}/armv7-inmate-demo.cell").write_bytes(_armv7(demo, r, False))
    return d


def test_revision_14_arm_is_parsed(fx: Path) -> None:
    s = jh.parse((fx / "r14/armv7-system.cell").read_bytes())
    assert isinstance(s, jh.JhSystem) and s.arch == jh.ARCH_ARM and s.arch_name == "arm"
    assert (s.platform.gic_version, s.platform.gicc_base, s.platform.gich_base) == (2, 0x08010000, 0x08030000)


@pytest.mark.parametrize("rev", (13, 14))
def test_import_checks_and_compiles_as_arm(fx: Path, tmp_path: Path, rev: int) -> None:
    out = tmp_path / "src"
    out.mkdir()
    rc, _, err = run_cli("import", str(fx / f"r{rev}/armv7-system.cell"), str(fx / f"r{rev}/armv7-inmate-demo.cell"),
                         "--board", BOARD, "-o", str(out))
    assert rc == 0 and "Traceback" not in err, err
    assert "ivshmem link 'net': dropped with its memory (ARMv7 has no inter-cell links yet)" in err
    text = (out / "armv7-system.dts").read_text()
    assert "arm system" in text and "qemu-arm-virt.dts" in text and "links {" not in text
    rc, res, err = run_cli("check", str(out / "armv7-system.dts"), str(out / "armv7-inmate-demo.dtso"))
    assert rc == 0, err
    assert "1 cell(s): inmate-demo" in res
    rc, _, err = run_cli("compile", str(out / "armv7-system.dts"), "-o", str(tmp_path / "s.cell"),
                         "--root-dtb", str(tmp_path / "root.dtb"), "--cells", str(out / "armv7-inmate-demo.dtso"))
    assert rc == 0, err
    data = (tmp_path / "s.cell").read_bytes()
    assert abi.HEADER.unpack(data[:abi.HEADER.size])["arch"] == abi.ARCH_ARM32
    dts = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(tmp_path / "root.dtb")], capture_output=True,
                         text=True, check=True).stdout
    v2m = dts[dts.index("v2m@8020000"):]
    v2m = v2m[:v2m.index("};")]
    assert 'status = "disabled";' in v2m and "msi-controller" not in v2m


def test_gicv3_on_armv7_is_a_decision(fx: Path, tmp_path: Path) -> None:
    rc, out, err = run_cli("import", str(fx / "r14/armv7-v3.cell"), "--board", BOARD, "-o", str(tmp_path / "s.dts"))
    assert rc == 1 and "GIC version 3: configgen supports GICv2 only on arm" in err and out == "", err
    assert not (tmp_path / "s.dts").exists()


def test_armv7_without_board_is_a_decision(fx: Path) -> None:
    rc, out, err = run_cli("import", str(fx / "r14/armv7-system.cell"))
    assert rc == 1 and "an ARMv7 configuration needs the board: give --board" in err and out == "", err


def test_arm_blob_with_arm64_board_refused(fx: Path) -> None:
    rc, _, err = run_cli("import", str(fx / "r14/armv7-system.cell"), "--board", "dts/boards/qemu-arm64-virt.dts")
    assert rc == 1 and "armv7-system.cell: error: an arm configuration, but" in err, err
    assert "qemu-arm64-virt.dts is an arm64 board" in err


def test_revision_13_gic_blob_stays_arm64_without_an_armv7_board(fx: Path) -> None:
    """Revision 13 records no architecture: a GIC system is arm64's unless the board is ARMv7."""
    s = jh.parse((fx / "r13/armv7-system.cell").read_bytes())
    assert isinstance(s, jh.JhSystem) and s.arch == jh.ARCH_ARM64
    rc, _, err = run_cli("import", str(fx / "r13/armv7-system.cell"), "--board", "dts/boards/qemu-arm64-virt.dts")
    assert rc == 1 and "GIC version 2: configgen supports GICv3 only on arm64" in err, err
