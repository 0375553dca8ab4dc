"""The ARMv7 profile end to end: dts/qemu-arm compiles into ARM32 blobs with the GICv2 platform
section QEMU's board describes; the root DTB reserves the hypervisor and the cell pool; hostile
ARMv7 sources are refused with the rule that governs them (never a traceback); the C validator
(libhvcfg.so: the hypervisor's own) refuses hostile ARM32 blobs, and arm64 blobs keep their rules."""
from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path
from typing import Optional

import pytest

from conftest import REPO, run_cli
from configgen import abi, arch, blob, validator
from configgen.arch import arm

SYSTEM = "dts/qemu-arm/system.dts"
GIC_DEMO, SMP_DEMO = "dts/qemu-arm/gic-demo.dtso", "dts/qemu-arm/smp-demo.dtso"
SETS = "dts/qemu-arm/sets"
GICD, GICC, GICH, GICV = 0x08000000, 0x08010000, 0x08030000, 0x08040000


def _compile(tmp: Path, *args: str) -> bytes:
    out = tmp / "out.cell"
    rc, _, err = run_cli("compile", *args, "-o", str(out))
    assert rc == 0, err
    return out.read_bytes()


def _fix_crc(data: bytearray) -> bytes:
    struct.pack_into("<I", data, 12, 0)
    struct.pack_into("<I", data, 12, zlib.crc32(bytes(data)))
    return bytes(data)


@pytest.fixture(scope="module")
def system_blob(tmp_path_factory) -> bytes:
    tmp = tmp_path_factory.mktemp("arm")
    return _compile(tmp, SYSTEM, "--sets", SETS, "--root-dtb", str(tmp / "root.dtb"))


# ------------------------------------------------------------------ the profile

def test_profile_limits_are_the_hypervisors() -> None:
    p = arm.PROFILE
    assert arch.by_name("arm") is p and arch.by_id(abi.ARCH_ARM32) is p and p.arch_id == 3
    assert p.ipa_limit == 1 << 40 and p.page_size == 0x1000 and p.block_size == 0x200000
    assert p.el2_va_limit == abi.CONSTANTS["ARM32_HYP_WINDOW_VA"] and p.el2_va_limit <= 1 << 32
    assert p.hw_id_mask == 0xFFFFFF and not p.ivshmem_links and p.max_pci_devices == 0 and p.cell_flags == 0


def test_qemu_arm_board_selects_the_arm_profile() -> None:
    """QEMU's arm and arm64 virt share "linux,dummy-virt": the Cortex-A15 CPUs pick ARMv7."""
    from configgen.dtsource import compile_file
    from configgen.tree import load
    t = load(compile_file(str(REPO / "dts/boards/qemu-arm-virt.dts"), [], False).dtb)
    assert arch.select(t) is arm.PROFILE
    t64 = load(compile_file(str(REPO / "dts/boards/qemu-arm64-virt.dts"), [], False).dtb)
    assert arch.select(t64).name == "arm64"


# ------------------------------------------------------------------ the samples

def test_system_blob_fields(system_blob: bytes) -> None:
    p = blob.parse(system_blob)
    hdr = abi.HEADER.unpack(system_blob[:abi.HEADER.size])
    assert hdr["arch"] == abi.ARCH_ARM32
    sysf = abi.SYSTEM.unpack(system_blob[:abi.SYSTEM.size])
    pl = abi.ARM_PLATFORM.unpack(bytes(sysf["platform"]["arch"])[:abi.ARM_PLATFORM.size])
    assert pl["gic_version"] == abi.GIC_V2 and pl["gic_lines"] == 288 and pl["maintenance_irq"] == 25
    assert (pl["gicd_base"], pl["gicc_base"], pl["gich_base"], pl["gicv_base"]) == (GICD, GICC, GICH, GICV)
    assert all(pl[f"gic{x}_size"] == 0x10000 for x in "dchv")
    assert not any(pl[f] for f in ("gicr_base", "gicr_size", "gicr_stride", "its_base", "its_size"))
    assert sysf["platform"]["pci_mmconfig_base"] == 0 and sysf["platform"]["pci_mmconfig_size"] == 0
    assert sysf["hypervisor_mem_base"] == 0x7F800000 and sysf["hypervisor_mem_size"] == 0x800000
    assert sysf["debug_console"]["base"] == 0x09000000 and sysf["debug_console"]["type"] == abi.CONSOLE_PL011
    assert p.cpus == [0, 1, 2, 3] and p.arch is arm.PROFILE and p.platform == pl
    assert validator.check_system(system_blob) is None


def test_root_regions_leave_the_gic_alone(system_blob: bytes) -> None:
    root = blob.parse(system_blob).cell
    for r in root.regions:
        for base in (GICD, GICC, GICH, GICV, 0x08020000):  # + the GICv2m frame
            assert not r["phys_start"] <= base < r["phys_start"] + r["size"], hex(r["phys_start"])


def test_cells_compile_and_pass_the_validator(tmp_path: Path, system_blob: bytes) -> None:
    for cell, cpus, ram in ((GIC_DEMO, [3], 0x7F000000), (SMP_DEMO, [1, 2], 0x78000000)):
        data = _compile(tmp_path, SYSTEM, cell, "--sets", SETS)
        assert abi.HEADER.unpack(data[:abi.HEADER.size])["arch"] == abi.ARCH_ARM32
        c = blob.parse(data).cell
        assert c.cpus == cpus and any(r["phys_start"] == ram and r["guest_start"] == 0 for r in c.regions)
        assert c.desc["flags"] & abi.CELL_IRQ_DIRECT == 0  # ARMv7 cells run in trap mode
        assert validator.check_cell_in_system(system_blob, data) is None


def test_root_dtb_reserves_hypervisor_and_pool(tmp_path: Path) -> None:
    _compile(tmp_path, SYSTEM, "--sets", SETS, "--root-dtb", str(tmp_path / "root.dtb"))
    dts = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(tmp_path / "root.dtb")], capture_output=True,
                         text=True, check=True).stdout
    assert "hypervisor@7f800000 {" in dts and "cell-pool@68000000 {" in dts and dts.count("no-map;") >= 2
    assert 'compatible = "arm,cortex-a15-gic";' in dts and "hypervisor@7f800000 {\n\t\tcompatible" not in dts
    v2m = dts[dts.index("v2m@8020000"):]
    assert 'status = "disabled";' in v2m[:v2m.index("};")] and "msi-controller" not in v2m[:v2m.index("};")]


def test_guest_dt_has_a_gicv2_and_one_cell_cpus(tmp_path: Path) -> None:
    out = tmp_path / "g.dtb"
    rc, _, err = run_cli("guest-dt", SYSTEM, SMP_DEMO, "-o", str(out), "--sets", SETS)
    assert rc == 0, err
    dts = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(out)], capture_output=True, text=True,
                         check=True).stdout
    assert 'compatible = "arm,cortex-a15-gic";' in dts
    assert "reg = <0x00 0x8000000 0x00 0x10000 0x00 0x8010000 0x00 0x10000>;" in dts
    assert "cpu@1 {" in dts and "reg = <0x01>;" in dts and "arm,armv7-timer" in dts


def test_show_and_dump(system_blob: bytes, tmp_path: Path) -> None:
    path = tmp_path / "s.cell"
    path.write_bytes(system_blob)
    rc, out, err = run_cli("dump", str(path))
    assert rc == 0, err
    assert "arch arm," in out and "GIC:              v2" in out and "GICH            0x8030000" in out
    assert "GICR" not in out
    rc, out, err = run_cli("check", SYSTEM, GIC_DEMO, SMP_DEMO)
    assert rc == 0 and "ok: 4 CPUs, root cell 'root-linux', 2 cell(s): gic-demo, smp-demo" in out, err


def test_decompile_round_trip(system_blob: bytes, tmp_path: Path) -> None:
    path = tmp_path / "s.cell"
    path.write_bytes(system_blob)
    rc, _, err = run_cli("decompile", str(path), "-o", str(tmp_path / "system.dts"))
    assert rc == 0, err
    again = _compile(tmp_path, str(tmp_path / "system.dts"))
    a, b = abi.SYSTEM.unpack(system_blob[:abi.SYSTEM.size]), abi.SYSTEM.unpack(again[:abi.SYSTEM.size])
    assert a["platform"] == b["platform"] and a["header"]["arch"] == b["header"]["arch"]


# ------------------------------------------------------------------ hostile sources

def _system(tmp: Path, extra: str = "", sub: Optional[tuple[str, str]] = None) -> str:
    text = (REPO / SYSTEM).read_text().replace('#include "../boards/', f'#include "{REPO}/dts/boards/')
    if sub:
        assert sub[0] in text
        text = text.replace(*sub)
    path = tmp / "system.dts"
    path.write_text(text + extra)
    return str(path)


def _cell(tmp: Path, body: str, name: str = "bad") -> str:
    path = tmp / f"{name}.dtso"
    path.write_text(f"""/dts-v1/;
/plugin/;
#include <hv-dt.h>

&hypervisor {{
	{name} {{
		compatible = "hv,cell";
		cell-name = "{name}";
		cpus = <&cpu3>;
{body}
		ram {{
			physical-address = ADDR64(0x7f000000);
			guest-address = ADDR64(0);
			size = ADDR64(SZ_1M);
			access = "rwx";
			loadable;
		}};
	}};
}};
""")
    return str(path)


def _gic_reg(**win: int) -> str:
    wins = {"d": (GICD, 0x10000), "c": (GICC, 0x10000), "h": (GICH, 0x10000), "v": (GICV, 0x10000)}
    for k, v in win.items():
        wins[k[0]] = (v, wins[k[0]][1]) if k.endswith("base") else (wins[k[0]][0], v)
    cells = " ".join(f"{a >> 32:#x} {a & 0xFFFFFFFF:#x} 0 {s:#x}" for a, s in wins.values())
    return f"&gic {{ reg = <{cells}>; }};\n"


SYSTEM_CASES = {
    "missing-gich-gicv": ("&gic { reg = <0 0x08000000 0 0x10000 0 0x08010000 0 0x10000>; };", None,
                          "platform-gic", "virtual interface control"),
    "maintenance-spi": ("&gic { interrupts = <0 9 4>; };", None, "platform-gic", "not a PPI"),
    "maintenance-missing": ("&gic { /delete-property/ interrupts; };", None, "platform-gic",
                            "no maintenance interrupt"),
    "gicv-over-ram": (_gic_reg(v_base=0x40000000), None, "dev-forbidden", "never mapped directly"),
    "gich-over-pool": (_gic_reg(h_base=0x68000000), None, "dev-forbidden", "never mapped directly"),
    "gicc-too-small": (_gic_reg(c_size=0x1000), None, "platform-gic", "smaller than 0x2000"),
    "gicv-too-small": (_gic_reg(v_size=0x1000), None, "platform-gic", "smaller than 0x2000"),
    "gicc-over-gicd": (_gic_reg(c_base=0x08008000), None, "platform-gic", "overlaps the GIC distributor"),
    "gicv-over-gicc": (_gic_reg(v_base=0x08010000), None, "platform-gic", "overlaps the GIC CPU interface"),
    "gich-unaligned": (_gic_reg(h_base=0x08030800), None, "platform-gic", "not page aligned"),
    "gicd-size-unaligned": (_gic_reg(d_size=0x1800), None, "platform-gic", "not page aligned"),
    "gicv-above-4g": (_gic_reg(v_base=0x108040000), None, "platform-gic", "beyond the hypervisor's address space"),
    "gicd-in-hyp-window": (_gic_reg(d_base=0xFFE00000), None, "platform-gic",
                           "beyond the hypervisor's address space"),
    "cpu-aff3": ("&cpu3 { reg = <0x1000000>; };", None, "cpu-mpidr", "not an MPIDR affinity value"),
    "cpu-duplicate": ("&cpu3 { reg = <0x2>; };", None, "cpu-mpidr", "already that of"),
    "cpu-two-cells": ("&{/cpus} { #address-cells = <2>; };", None, "binding-type", "#address-cells"),
    "no-gic-lines": ("", ("gic-lines = <288>;", ""), "binding-required", "gic-lines"),
    "gic-lines-odd": ("", ("gic-lines = <288>;", "gic-lines = <100>;"), "platform-gic", "not a multiple of 32"),
    "no-gicv2": ('&gic { compatible = "arm,gic-v3"; };', None, "platform-gic", "no GICv2 node"),
    "hyp-mem-unaligned": ("", ("reg = <0x0 0x7f800000 0x0 SZ_8M>;", "reg = <0x0 0x7f900000 0x0 SZ_8M>;"),
                          "mem-hypervisor-placement", ""),
    "root-over-gich": ("""&root_cell { gich-grab { physical-address = ADDR64(0x08030000);
        size = ADDR64(SZ_4K); access = "rw"; io; }; };""", None, "dev-forbidden", ""),
    "root-over-v2m": ("""&root_cell { v2m-grab { physical-address = ADDR64(0x08020000);
        size = ADDR64(SZ_4K); access = "rw"; io; }; };""", None, "dev-forbidden", "GICv2m"),
    "ivshmem-link": ("""&hypervisor { links { l { compatible = "hv,ivshmem-link"; peers = "root-linux", "x";
        protocol = "echo"; physical-address = ADDR64(0x7d800000); output-section-size = ADDR64(SZ_64K); };
        }; };""", None, "link-unsupported", ""),
}


@pytest.mark.parametrize("name", sorted(SYSTEM_CASES))
def test_hostile_system_refused(tmp_path: Path, name: str) -> None:
    extra, sub, rule, words = SYSTEM_CASES[name]
    rc, out, err = run_cli("check", _system(tmp_path, "\n" + extra + "\n", sub))
    assert rc != 0 and "Traceback" not in err + out, err
    assert f"error: [{rule}]" in err, err
    assert words in err, err
    assert "hint:" in err


CELL_CASES = {
    "ram-above-40-bits": ("""ram2 { physical-address = ADDR64(0x7f100000); guest-address = ADDR64(0x10000000000);
        size = ADDR64(SZ_4K); access = "rw"; };""", "mem-guest-range"),
    "guest-ends-at-40-bits": ("""ram2 { physical-address = ADDR64(0x7f100000);
        guest-address = ADDR64(0xfffffff000); size = ADDR64(0x2000); access = "rw"; };""", "mem-guest-range"),
    "gich-page": ("""gich { physical-address = ADDR64(0x08030000); size = ADDR64(SZ_4K); access = "rw"; io; };""",
                  "dev-forbidden"),
    "gicv-pages": ("""gicv { physical-address = ADDR64(0x08040000); size = ADDR64(0x2000); access = "rw"; io; };""",
                   "dev-forbidden"),
    "gicc-at-guest-zero": ("""gicc { physical-address = ADDR64(0x08010000); guest-address = ADDR64(0x100000);
        size = ADDR64(0x2000); access = "rw"; io; };""", "dev-forbidden"),
    "guest-over-gicc": ("""ram2 { physical-address = ADDR64(0x7f100000); guest-address = ADDR64(0x08010000);
        size = ADDR64(SZ_4K); access = "rw"; };""", "mem-guest-range"),
    "guest-over-gicd": ("""ram2 { physical-address = ADDR64(0x7f100000); guest-address = ADDR64(0x08000000);
        size = ADDR64(SZ_4K); access = "rw"; };""", "mem-guest-range"),
    "gicd-page": ("""gicd { physical-address = ADDR64(0x08000000); size = ADDR64(SZ_4K); access = "rw"; io; };""",
                  "dev-forbidden"),
    "gic-device": ("devices = <&gic>;", "dev-forbidden"),
    "v2m-device": ("devices = <&v2m>;", "dev-forbidden"),
    "maintenance-ppi": ("spis = <0xfffffff7>;", "irq-range"),
    "spi-beyond-lines": ("spis = <300>;", "irq-range"),
    "direct-delivery": ('interrupt-delivery = "direct";', "irq-delivery"),
    "hv-memory": ("""hv { physical-address = ADDR64(0x7f800000); size = ADDR64(SZ_2M); access = "rw"; };""",
                  "mem-hypervisor-overlap"),
    "linux-ram": ("""lx { physical-address = ADDR64(0x40000000); size = ADDR64(SZ_1M); access = "rw"; };""",
                  "mem-outside-pool"),
}


@pytest.mark.parametrize("name", sorted(CELL_CASES))
def test_hostile_cell_refused(tmp_path: Path, name: str) -> None:
    body, rule = CELL_CASES[name]
    rc, out, err = run_cli("check", _system(tmp_path), _cell(tmp_path, body))
    assert rc != 0 and "Traceback" not in err + out, err
    assert f"[{rule}]" in err, err


def test_root_all_devices_leaves_pci_functions_to_root_linux(tmp_path: Path) -> None:
    """ARMv7 does not trap PCI configuration space: a PCI function node of the board is not a
    function the root must own (all-devices lists none), and the system checks."""
    extra = """&pcie { serial@2,0 { compatible = "pci1b36,2"; reg = <0x1000 0 0 0 0>; }; };"""
    rc, out, err = run_cli("check", _system(tmp_path, "\n" + extra + "\n"), GIC_DEMO, SMP_DEMO)
    assert rc == 0 and "ok: 4 CPUs" in out, err


def test_pci_function_for_a_cell_is_refused(tmp_path: Path) -> None:
    """No PCI functions for ARMv7 cells (cfg_limits.h: ARM32_MAX_PCI_DEVICES 0)."""
    extra = """&pcie { serial@2,0 { compatible = "pci1b36,2"; reg = <0x1000 0 0 0 0>; hv,no-dma; }; };"""
    body = "devices = <&{/pcie@10000000/serial@2,0}>;"
    rc, out, err = run_cli("check", _system(tmp_path, "\n" + extra + "\n"), _cell(tmp_path, body))
    assert rc != 0 and "Traceback" not in err + out, err
    assert "error: [" in err


# ------------------------------------------------------------------ hostile blobs (the C validator)

def _platform_off() -> int:
    return abi.SYSTEM.offset_of("platform") + abi.PLATFORM.offset_of("arch")


def _mutate(blob_: bytes, **fields: int) -> bytes:
    data = bytearray(blob_)
    off = _platform_off()
    pl = abi.ARM_PLATFORM.unpack(bytes(data[off:off + abi.ARM_PLATFORM.size]))
    pl.update(fields)
    data[off:off + abi.ARM_PLATFORM.size] = abi.ARM_PLATFORM.pack(pl)
    return _fix_crc(data)


BLOB_CASES = {
    "gicv3-on-armv7": ({"gic_version": 3}, "unsupported"),
    "gic-version-7": ({"gic_version": 7}, "platform"),
    "no-gich": ({"gich_base": 0, "gich_size": 0}, "platform"),
    "no-gicv": ({"gicv_base": 0, "gicv_size": 0}, "platform"),
    "gicc-4k": ({"gicc_size": 0x1000}, "platform"),
    "gicv-4k": ({"gicv_size": 0x1000}, "platform"),
    "gicc-unaligned": ({"gicc_base": GICC + 0x800}, "platform"),
    "gicv-is-gicc": ({"gicv_base": GICC}, "platform"),
    "gich-over-gicd": ({"gich_base": GICD + 0x1000, "gich_size": 0x1000}, "platform"),
    "gicr-on-v2": ({"gicr_base": 0x080A0000, "gicr_size": 0x80000}, "platform"),
    "stride-on-v2": ({"gicr_stride": 0x20000}, "platform"),
    "its-on-v2": ({"its_base": 0x08080000, "its_size": 0x20000}, "platform"),
    "maintenance-spi": ({"maintenance_irq": 40}, "platform"),
    "maintenance-sgi": ({"maintenance_irq": 1}, "platform"),
    "gic-lines-0": ({"gic_lines": 0}, "platform"),
    "gic-lines-2000": ({"gic_lines": 2048}, "platform"),
    "gicd-wraps": ({"gicd_base": 0xFFFFFFFFFFFFF000, "gicd_size": 0x2000}, "platform"),
    "gicv-above-hyp-va": ({"gicv_base": 0x100000000}, "el2-va"),
    "gich-over-hv-memory": ({"gich_base": 0x7F800000}, "hv-mem"),
    "padding": ({"padding0": [1, 0, 0]}, "reserved"),
}


@pytest.mark.parametrize("name", sorted(BLOB_CASES))
def test_hostile_blob_refused(system_blob: bytes, name: str) -> None:
    fields, refusal = BLOB_CASES[name]
    r = validator.check_system(_mutate(system_blob, **fields))
    assert r is not None and r.name == refusal, (name, r)


def test_cpu_id_with_aff3_refused(system_blob: bytes) -> None:
    data = bytearray(system_blob)
    off = abi.SYSTEM.unpack(system_blob[:abi.SYSTEM.size])["cpu_table_offset"] + abi.CPU.size * 3
    cpu = abi.CPU.unpack(bytes(data[off:off + abi.CPU.size]))
    for hw_id in (0x100000000, 0x1000000):  # Aff3 (arm64's) and bits 31:24 (no affinity on ARMv7)
        cpu["hw_id"] = hw_id
        data[off:off + abi.CPU.size] = abi.CPU.pack(cpu)
        r = validator.check_system(_fix_crc(data))
        assert r is not None and r.name == "cpu" and r.detail == hw_id


def test_root_region_over_the_gic_interfaces_refused(system_blob: bytes) -> None:
    """A root region covering GICC, GICH or GICV (a raw region, past configgen's rules)."""
    p = blob.parse(system_blob)
    desc = abi.SYSTEM.unpack(system_blob[:abi.SYSTEM.size])["root_cell"]
    off = desc["mem_regions_offset"]
    idx = next(i for i, r in enumerate(p.cell.regions) if r["phys_start"] == 0x09000000)
    for base in (GICC, GICH, GICV):
        data = bytearray(system_blob)
        at = off + idx * abi.MEMORY_REGION.size
        r = abi.MEMORY_REGION.unpack(bytes(data[at:at + abi.MEMORY_REGION.size]))
        r.update(phys_start=base, guest_start=base, size=0x1000)
        data[at:at + abi.MEMORY_REGION.size] = abi.MEMORY_REGION.pack(r)
        ref = validator.check_system(_fix_crc(data))
        assert ref is not None and ref.name == "region" and ref.detail == base, hex(base)


def test_arm64_blob_keeps_gicv3_only(tmp_path: Path) -> None:
    """arm64 blobs are checked with arm64's limits: a GICv2 there stays unsupported."""
    data = _compile(tmp_path, "dts/qemu-arm64/system.dts", "--sets", "dts/qemu-arm64/sets")
    v2 = _mutate(data, gic_version=2, gicr_base=0, gicr_size=0, gicr_stride=0, its_base=0, its_size=0,
                 gicc_base=GICC, gicc_size=0x10000, gich_base=GICH, gich_size=0x10000, gicv_base=GICV,
                 gicv_size=0x10000)
    r = validator.check_system(v2)
    assert r is not None and r.name == "unsupported"


def test_armv7_cell_against_arm64_system_refused(tmp_path: Path, system_blob: bytes) -> None:
    cell = _compile(tmp_path, SYSTEM, GIC_DEMO, "--sets", SETS)
    arm64 = _compile(tmp_path, "dts/qemu-arm64/system.dts", "--sets", "dts/qemu-arm64/sets")
    r = validator.check_cell_in_system(arm64, cell)
    assert r is not None and r.name == "arch"


# ------------------------------------------------------------------ mutations (never a traceback)

@pytest.mark.parametrize("seed", range(24))
def test_mutated_armv7_sample(seed: int, tmp_path: Path) -> None:
    import random
    from fuzzmut import mutate_text
    rnd = random.Random(1000 + seed)
    target = rnd.choice([SYSTEM, GIC_DEMO, SMP_DEMO])
    text = mutate_text((REPO / target).read_text(), rnd).replace('"../boards/', f'"{REPO}/dts/boards/')
    mutated = tmp_path / Path(target).name
    mutated.write_text(text, encoding="utf-8", errors="surrogateescape")
    cells = [GIC_DEMO, SMP_DEMO]
    args = [str(mutated), *cells] if target == SYSTEM else [SYSTEM, str(mutated)] + [c for c in cells if c != target]
    rc, out, err = run_cli("check", *args)
    assert rc in (0, 1, 2) and "Traceback" not in err and "internal error" not in err, err
    if rc == 1:
        assert "error: [" in err
    if target != SYSTEM:
        rc, _, err = run_cli("guest-dt", SYSTEM, str(mutated), "-o", str(tmp_path / "g.dtb"))
        assert rc in (0, 1, 2) and "internal error" not in err, err


def test_mutated_armv7_blobs_never_crash(system_blob: bytes, tmp_path: Path) -> None:
    import random
    from fuzzmut import reseal
    rnd = random.Random(20)
    cell = _compile(tmp_path, SYSTEM, SMP_DEMO, "--sets", SETS)
    for i in range(60):
        b = bytearray(system_blob if i % 2 else cell)
        off = _platform_off() if i % 2 and i % 4 == 1 else 0
        for _ in range(rnd.randint(1, 4)):
            pos = off + rnd.randrange(abi.ARM_PLATFORM.size) if off else rnd.randrange(len(b))
            b[pos] = rnd.randrange(256)
        if i % 3:
            reseal(b)
        f = tmp_path / "m.cell"
        f.write_bytes(bytes(b))
        for cmd in ("dump", "decompile"):
            rc, _, err = run_cli(cmd, str(f))
            assert rc in (0, 1) and "Traceback" not in err and "internal error" not in err, err


def test_create_from_an_armv7_snapshot(tmp_path: Path) -> None:
    """`create` on a live ARMv7 machine (its DT: the board file QEMU's DT was taken from) picks the arm
    profile and writes a system that compiles to a GICv2 ARM32 blob."""
    snap = tmp_path / "snap"
    (snap / "proc").mkdir(parents=True)
    (snap / "sys/firmware").mkdir(parents=True)
    (snap / "sys/devices/system/cpu").mkdir(parents=True)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(snap / "sys/firmware/fdt"),
                    str(REPO / "dts/boards/qemu-arm-virt.dts")], check=True)
    (snap / "sys/devices/system/cpu/online").write_text("0-3\n")
    (snap / "proc/iomem").write_text("09000000-09000fff : pl011@9000000\n40000000-7fffffff : System RAM\n"
                                     "  40208000-41ffffff : Kernel code\n")
    rc, _, err = run_cli("create", "--root", str(snap), "--gic-lines", "288", "--cell-size", "256M",
                         "-o", str(tmp_path / "system.dts"))
    assert rc == 0, err
    data = _compile(tmp_path, str(tmp_path / "system.dts"))
    p = blob.parse(data)
    assert p.arch is arm.PROFILE and p.platform["gic_version"] == abi.GIC_V2 and p.cpus == [0, 1, 2, 3]
    assert p.platform["gich_base"] == GICH and validator.check_system(data) is None
