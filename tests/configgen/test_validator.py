"""configgen and the hypervisor share one validator (build/host/libhvcfg.so from hv/core/config_check.c
and config_cross.c): every blob configgen writes passes it, every blob it reads goes through it, and a
blob it refuses is refused by dump, decompile and import with the hypervisor's own reason."""
from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Callable

import pytest

from conftest import CELLS, REPO, SYSTEM
from configgen import abi, blob, validator

SYS = abi.SYSTEM.offset_of
PLAT = abi.SYSTEM.offset_of("platform")
ARM = PLAT + abi.PLATFORM.offset_of("arch")  # struct hvcfg_arm_platform at the start of platform.arch
GIC = abi.ARM_PLATFORM.offset_of
ROOT = abi.SYSTEM.offset_of("root_cell")
CELLD = abi.CELL.offset_of("cell")
DESC = abi.CELL_DESC.offset_of
CON = abi.CONSOLE.offset_of


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from conftest import run_cli
    d = tmp_path_factory.mktemp("validator")
    rc, _, err = run_cli("compile", SYSTEM, "-o", str(d / "system.cfg"), "--cells", *CELLS)
    assert rc == 0, err
    for cell in CELLS:
        rc, _, err = run_cli("compile", SYSTEM, cell, "-o", str(d / f"{Path(cell).stem}.cfg"), "--cells", *CELLS)
        assert rc == 0, err
    return d


def seal(data: bytearray) -> bytes:
    struct.pack_into("<I", data, 12, 0)
    struct.pack_into("<I", data, 12, zlib.crc32(bytes(data)) & 0xFFFFFFFF)
    return bytes(data)


def put(data: bytearray, off: int, value: int, fmt: str = "<Q") -> None:
    struct.pack_into(fmt, data, off, value)


def root_region(data: bytearray, i: int, field: str) -> int:
    """Offset of `field` of root region i (negative i counts from the end)."""
    n, off = struct.unpack_from("<II", data, ROOT + DESC("num_mem_regions"))[0], \
        struct.unpack_from("<I", data, ROOT + DESC("mem_regions_offset"))[0]
    return off + abi.MEMORY_REGION.size * (i % n) + abi.MEMORY_REGION.offset_of(field)


def irqchip(data: bytearray, desc: int, i: int, field: str) -> int:
    """Offset of `field` of interrupt resource i of the cell descriptor at desc."""
    off = struct.unpack_from("<I", data, desc + DESC("irqchips_offset"))[0]
    return off + abi.IRQCHIP.size * i + abi.IRQCHIP.offset_of(field)


def cell_region(data: bytearray, i: int, field: str) -> int:
    off = struct.unpack_from("<I", data, CELLD + DESC("mem_regions_offset"))[0]
    return off + abi.MEMORY_REGION.size * i + abi.MEMORY_REGION.offset_of(field)


# ---------------------------------------------------------------- configgen's own blobs pass

def test_configgen_blobs_pass(built: Path) -> None:
    system = (built / "system.cfg").read_bytes()
    assert validator.check_system(system, 8) is None
    for cell in CELLS:
        data = (built / f"{Path(cell).stem}.cfg").read_bytes()
        assert validator.check_cell(data, 8, 4) is None
        assert validator.check_cell_in_system(system, data, 8) is None
        assert validator.check_blob(data) is None


def test_one_table_of_reasons() -> None:
    texts = validator.result_texts()
    assert texts[0] == "valid"
    names = [validator.result_name(c) for c in texts]
    assert len(set(names)) == len(names) and "unknown" not in names
    for want in ("ipa", "el2-va", "reserved", "digest", "root-cpu", "root-mem", "root-irq"):
        assert want in names


# ---------------------------------------------------------------- system blobs the hypervisor refuses

def _hv_misaligned(d: bytearray) -> None:
    put(d, SYS("hypervisor_mem_base"), 0x7F801000)
    put(d, SYS("hypervisor_mem_size"), 0x7FF000)


def _hv_across_gib(d: bytearray) -> None:
    put(d, SYS("hypervisor_mem_base"), 0x7FE00000)


SYSTEM_DAMAGE: dict[str, tuple[Callable[[bytearray], None], str, str]] = {
    # name: (mutation, result name, words of the reason)
    "hv-mem-not-2mib-aligned": (_hv_misaligned, "hv-mem", "unusable hypervisor memory"),
    "hv-mem-across-1gib": (_hv_across_gib, "hv-mem", "unusable hypervisor memory"),
    "hv-mem-in-el2-window": (lambda d: put(d, SYS("hypervisor_mem_base"), 511 << 30), "el2-va",
                             "beyond the hypervisor's address space"),
    "gicd-beyond-el2-va": (lambda d: put(d, ARM + GIC("gicd_base"), 1 << 39), "el2-va",
                           "beyond the hypervisor's address space"),
    "its-beyond-el2-va": (lambda d: put(d, ARM + GIC("its_base"), 600 << 30), "el2-va",
                          "beyond the hypervisor's address space"),
    "console-beyond-el2-va": (lambda d: put(d, SYS("debug_console") + CON("base"), 1 << 39), "el2-va",
                              "beyond the hypervisor's address space"),
    "console-over-hypervisor": (lambda d: put(d, SYS("debug_console") + CON("base"), 0x7FA00000), "hv-mem",
                                "unusable hypervisor memory"),
    "root-region-beyond-ipa": (lambda d: put(d, root_region(d, -1, "size"), 1 << 40), "ipa",
                               "beyond the guest-physical space"),
    "root-region-not-identity": (lambda d: put(d, root_region(d, 0, "guest_start"), 0x1000), "region",
                                 "invalid memory region"),
    "root-region-unknown-flag": (lambda d: put(d, root_region(d, 0, "flags"), 1 << 12 | abi.MEM_READ), "reserved",
                                 "unknown flag bits"),
    "root-sgi": (lambda d: put(d, irqchip(d, ROOT, 0, "pin_base"), 0, "<I"), "irq",
                 "invalid interrupt resource"),
    "root-irqchip-not-gicd": (lambda d: put(d, irqchip(d, ROOT, 1, "address"), 0x08010000), "irq",
                              "invalid interrupt resource"),
    "root-irqchip-id": (lambda d: put(d, irqchip(d, ROOT, 0, "id"), 1, "<I"), "irq", "invalid interrupt resource"),
    "root-irqchip-unaligned-base": (lambda d: put(d, irqchip(d, ROOT, 1, "pin_base"), 161, "<I"), "irq",
                                    "invalid interrupt resource"),
    "gic-v2": (lambda d: put(d, ARM + GIC("gic_version"), abi.GIC_V2, "<B"), "unsupported", "does not support"),
    "system-unknown-flag": (lambda d: put(d, SYS("flags"), 0x80000001, "<I"), "reserved", "unknown flag bits"),
    "system-padding": (lambda d: put(d, SYS("padding0"), 1, "<I"), "reserved", "non-zero reserved fields"),
    "platform-padding": (lambda d: put(d, ARM + GIC("padding0") + 1, 1, "<B"), "reserved",
                         "non-zero reserved fields"),
    "platform-arch-tail": (lambda d: put(d, ARM + abi.ARM_PLATFORM.size + 3, 1, "<B"), "reserved",
                           "non-zero reserved fields"),
    "console-flags": (lambda d: put(d, SYS("debug_console") + CON("flags"), 1, "<I"), "reserved",
                      "non-zero reserved fields"),
    "root-console-flags": (lambda d: put(d, ROOT + DESC("console") + CON("flags"), 0xD000, "<I"), "reserved",
                           "non-zero reserved fields"),
    "root-console-type": (lambda d: put(d, ROOT + DESC("console") + CON("type"), 7, "<I"), "console",
                          "invalid console"),
    "root-name-escape": (lambda d: put(d, ROOT + DESC("name") + 1, 0x1B, "<B"), "name", "invalid cell name"),
    "root-name-after-nul": (lambda d: put(d, ROOT + DESC("name") + 30, 0x41, "<B"), "name", "invalid cell name"),
    "root-irq-direct": (lambda d: put(d, ROOT + DESC("flags"), abi.CELL_IRQ_DIRECT, "<I"), "irq-direct",
                        "which always runs in trap mode"),
}

def _append_array(d: bytearray, count: str, offset: str, entry: bytes) -> None:
    """One entry of an array arm64 cells never get (port I/O, PCI devices) at the end of a cell blob."""
    end = len(d)
    d += entry
    put(d, abi.HEADER.offset_of("total_size"), len(d), "<I")
    for name in ("pio_regions_offset", "pci_devices_offset"):
        put(d, CELLD + DESC(name), len(d), "<I")
    put(d, CELLD + DESC(offset), end, "<I")
    put(d, CELLD + DESC(count), 1, "<I")


CELL_DAMAGE: dict[str, tuple[Callable[[bytearray], None], str, str]] = {
    "cell-pio-region": (lambda d: _append_array(d, "num_pio_regions", "pio_regions_offset",
                                                abi.PIO_REGION.pack({"base": 0x3f8, "length": 8})), "pio",
                        "port-I/O region"),
    "cell-pci-device": (lambda d: _append_array(d, "num_pci_devices", "pci_devices_offset",
                                                abi.PCI_DEVICE_STRUCT.pack({"bdf": 0x08, "type": 7,
                                                                            "iommu": abi.PCI_NO_IOMMU})), "pci",
                        "PCI device"),  # of no type the format defines (refused whatever the arch's limit)
    "cell-region-beyond-ipa": (lambda d: put(d, cell_region(d, 0, "guest_start"), 1 << 40), "ipa",
                               "beyond the guest-physical space"),
    "cell-unknown-flag": (lambda d: put(d, CELLD + DESC("flags"), 0x100, "<I"), "reserved", "unknown flag bits"),
    "cell-region-unknown-flag": (lambda d: put(d, cell_region(d, 0, "flags"), abi.MEM_READ | 1 << 9), "reserved",
                                 "unknown flag bits"),
    "cell-padding": (lambda d: put(d, CELLD + DESC("padding0"), 5, "<I"), "reserved", "non-zero reserved fields"),
    "cell-console-type": (lambda d: put(d, CELLD + DESC("console") + CON("type"), 7, "<I"), "console",
                          "invalid console"),
    "cell-name-nonprintable": (lambda d: put(d, CELLD + DESC("name"), 0x07, "<B"), "name", "invalid cell name"),
}


def _damaged(built: Path, tmp_path: Path, name: str, mutate: Callable[[bytearray], None]) -> tuple[Path, bytes]:
    src = "system.cfg" if name in SYSTEM_DAMAGE else "gic-demo.cfg"
    data = bytearray((built / src).read_bytes())
    mutate(data)
    out = tmp_path / f"{name}.cfg"
    sealed = seal(data)
    out.write_bytes(sealed)
    return out, sealed


@pytest.mark.parametrize("name", sorted(SYSTEM_DAMAGE) + sorted(CELL_DAMAGE))
def test_refused_by_dump_and_decompile_with_the_reason(name: str, built: Path, tmp_path: Path, cli) -> None:
    mutate, result, words = {**SYSTEM_DAMAGE, **CELL_DAMAGE}[name]
    path, data = _damaged(built, tmp_path, name, mutate)
    refusal = validator.check_blob(data)
    assert refusal is not None and refusal.name == result, refusal
    assert blob.parse(data)  # configgen's own reader alone would have taken most of these
    for cmd in ("dump", "decompile"):
        rc, out, err = cli(cmd, str(path))
        assert rc == 1, (cmd, out, err)
        assert f"{path}: the hypervisor would refuse this blob: " in err and words in err, err
        assert "(detail 0x" in err and "Traceback" not in err
    rc, out, _ = cli("dump", str(path))
    assert f"blob, revision {abi.REVISION}" in out  # dump still lists what it can
    if name == "cell-pio-region":
        assert "port I/O:          0x3f8+0x8" in out
    if name == "cell-pci-device":
        assert "PCI devices:       0000:00:01.0 type 7" in out
    rc, out, _ = cli("decompile", str(path), "-o", str(tmp_path / "out.dts"))
    assert rc == 1 and not (tmp_path / "out.dts").exists()


def test_cell_against_its_system(built: Path) -> None:
    system = (built / "system.cfg").read_bytes()
    cell = bytearray((built / "gic-demo.cfg").read_bytes())

    def refused(sysdata: bytes, celldata: bytearray, redigest: bool = True) -> str:
        if redigest:
            celldata[16:48] = hashlib.sha256(sysdata).digest()
        r = validator.check_cell_in_system(sysdata, seal(celldata), 8)
        return r.name if r else "ok"

    assert refused(system, bytearray(cell)) == "ok"
    d = bytearray(cell)
    d[20] ^= 1
    assert refused(system, d, redigest=False) == "digest"
    # the root gives up CPU 3 in its configuration: gic-demo's CPU is not the root's
    s = bytearray(system)
    set_off = struct.unpack_from("<I", s, ROOT + DESC("cpu_set_offset"))[0]
    put(s, set_off, 0x7)
    assert refused(seal(s), bytearray(cell)) == "root-cpu"
    d = bytearray(cell)
    put(d, cell_region(d, 0, "phys_start"), 0x7F800000)  # the hypervisor's memory
    assert refused(system, d) == "root-mem"
    d = bytearray(cell)
    put(d, cell_region(d, 0, "phys_start"), 0x67F80000)  # across two root regions
    assert refused(system, d) == "root-mem"
    # the root keeps no SPI 2 (INTID 34) in its configuration: smp-demo's RTC interrupt is not the root's
    s = bytearray(system)
    put(s, irqchip(s, ROOT, 0, "pin_bitmap"), ((1 << 64) - 1) & ~(1 << 2))
    assert refused(seal(s), bytearray((built / "smp-demo.cfg").read_bytes())) == "root-irq"


# ---------------------------------------------------------------- decompile must not drop what it cannot say

@pytest.mark.parametrize("damage", ["control-in-name", "console-type", "cell-flag", "active-not-permitted",
                                    "region-flag", "trailing-bytes"])
def test_decompile_refuses_what_would_not_compile_back(damage: str, built: Path, tmp_path: Path, cli) -> None:
    data = bytearray((built / "gic-demo.cfg").read_bytes())
    if damage == "control-in-name":
        data[CELLD + DESC("name") + 3] = 0x7F
    elif damage == "console-type":
        put(data, CELLD + DESC("console") + CON("type"), 2, "<I")
    elif damage == "cell-flag":
        put(data, CELLD + DESC("flags"), 1 << 7, "<I")
    elif damage == "active-not-permitted":  # virtual-console-active sets PERMITTED too (found by fuzzlib.py)
        put(data, CELLD + DESC("flags"), abi.CELL_VCONSOLE_ACTIVE, "<I")
    elif damage == "region-flag":
        put(data, cell_region(data, 0, "flags"), abi.MEM_READ | 1 << 20)
    else:  # valid for the hypervisor, but bytes no source can produce
        data += bytes(8)
        put(data, abi.HEADER.offset_of("total_size"), len(data), "<I")
    path = tmp_path / "bad.cfg"
    path.write_bytes(seal(data))
    out = tmp_path / "bad.dtso"
    rc, _, err = cli("decompile", str(path), "-o", str(out))
    assert rc == 1 and "error" in err and "Traceback" not in err, err
    assert not out.exists()


@pytest.mark.parametrize("name", ['a"b', "back\\slash", '\\"', '"' * 31])
def test_decompile_keeps_quotes_and_backslashes_in_names(name: str, built: Path, tmp_path: Path, cli) -> None:
    """A DTS string holds them escaped: the decompiled cell compiles back to the same bytes (found by
    tests/configgen/fuzzlib.py: decompile refused every blob whose cell name had one)."""
    data = bytearray((built / "gic-demo.cfg").read_bytes())
    raw = name.encode()
    data[CELLD + DESC("name"):CELLD + DESC("name") + abi.NAME_LEN] = raw.ljust(abi.NAME_LEN, b"\0")
    path = tmp_path / "named.cfg"
    path.write_bytes(seal(data))
    rc, _, err = cli("decompile", str(path), "-o", str(tmp_path / "named.dtso"))
    assert rc == 0, err
    rc, _, err = cli("compile", SYSTEM, str(tmp_path / "named.dtso"), "-o", str(tmp_path / "again.cfg"))
    assert rc == 0, err
    assert (tmp_path / "again.cfg").read_bytes() == path.read_bytes()


@pytest.mark.parametrize("node", ["&its { reg = <0x0 0x8080000 0x0 0x0>; };",
                                  "&pcie { reg = <0x40 0x10000000 0x0 0x0>; };"])
def test_zero_sized_its_or_ecam_round_trips(node: str, tmp_path: Path, cli) -> None:
    """A window of size 0 is no window: its base stays out of the blob, which decompile could not
    say (it refused 'its base ... without a size'; found by tests/configgen/fuzzlib.py)."""
    system = tmp_path / "system.dts"
    # (without an ECAM window the links have no PCI host for their ends: link-slot)
    drop = "/delete-node/ &{/hypervisor@7f800000/links};\n" if "&pcie" in node else ""
    system.write_text(f'#include "{REPO / SYSTEM}"\n{node}\n{drop}')
    rc, _, err = cli("compile", str(system), "-o", str(tmp_path / "s.cfg"))
    assert rc == 0, err
    rc, _, err = cli("decompile", str(tmp_path / "s.cfg"), "-o", str(tmp_path / "d.dts"))
    assert rc == 0, err
    rc, _, err = cli("compile", str(tmp_path / "d.dts"), "-o", str(tmp_path / "again.cfg"))
    assert rc == 0, err
    assert (tmp_path / "again.cfg").read_bytes() == (tmp_path / "s.cfg").read_bytes()


def test_decompile_refuses_an_unsorted_cpu_table(built: Path, tmp_path: Path, cli) -> None:
    """The hypervisor takes the CPUs in any order, but configgen numbers them by MPIDR: decompiled,
    the CPUs came back in another order (found by tests/configgen/fuzzlib.py)."""
    data = bytearray((built / "system.cfg").read_bytes())
    table = struct.unpack_from("<I", data, SYS("cpu_table_offset"))[0]
    put(data, table, 0x100)  # CPU 0 gets the highest MPIDR
    path = tmp_path / "cpus.cfg"
    path.write_bytes(seal(data))
    assert validator.check_blob(bytes(path.read_bytes())) is None
    rc, _, err = cli("decompile", str(path), "-o", str(tmp_path / "cpus.dts"))
    assert rc == 1 and "MPIDR order" in err, err


def test_decompile_shows_no_unknown_console_as_none(built: Path, tmp_path: Path, cli) -> None:
    data = bytearray((built / "gic-demo.cfg").read_bytes())
    put(data, CELLD + DESC("console") + CON("type"), 2, "<I")
    path = tmp_path / "con.cfg"
    path.write_bytes(seal(data))
    rc, out, err = cli("decompile", str(path))
    assert rc == 1 and 'console-type = "none"' not in out


# ---------------------------------------------------------------- import of a binary

def test_import_of_a_configgen_blob_is_validated(built: Path, tmp_path: Path, cli) -> None:
    rc, out, err = cli("import", str(built / "gic-demo.cfg"))
    assert rc == 0, err
    assert "configgen blob" in err and 'cell-name = "gic-demo";' in out
    path, _ = _damaged(built, tmp_path, "cell-unknown-flag", CELL_DAMAGE["cell-unknown-flag"][0])
    rc, out, err = cli("import", str(path))
    assert rc == 1 and "the hypervisor would refuse this blob: unknown flag bits" in err and out == ""


# ---------------------------------------------------------------- a blob configgen made and the validator refuses

def test_internal_inconsistency_is_reported_at_the_source(monkeypatch, tmp_path: Path, cli) -> None:
    real = blob.build_cell

    def broken(cell, sysm, system_blob):  # as if configgen mis-encoded a guest address
        cell.regions[0].guest = 1 << 40
        return real(cell, sysm, system_blob)

    monkeypatch.setattr(blob, "build_cell", broken)
    out = tmp_path / "gic.cfg"
    rc, _, err = cli("compile", SYSTEM, CELLS[0], "-o", str(out), "--cells", *CELLS)
    assert rc == 1, err
    first = err.splitlines()[0]
    assert first.startswith("dts/qemu-arm64/gic-demo.dtso:"), first
    assert ": error: [internal-validator] the hypervisor would refuse this blob: a guest address range beyond " \
           "the guest-physical space stage 2 can map (detail 0x10000000000)" in first
    assert "hint:" in err and "report" in err
    assert not out.exists()
    # check runs the same validator on the blobs it would write: it never says ok where compile refuses
    rc, out_text, err = cli("check", SYSTEM, *CELLS)
    assert rc == 1 and "[internal-validator]" in err and "ok:" not in out_text, err


def test_internal_inconsistency_in_the_system_blob(monkeypatch, tmp_path: Path, cli) -> None:
    real = blob.build_system

    def broken(sysm):
        sysm.hyp_mem = type(sysm.hyp_mem)(511 << 30, sysm.hyp_mem.size)
        return real(sysm)

    monkeypatch.setattr(blob, "build_system", broken)
    out = tmp_path / "system.cfg"
    rc, _, err = cli("compile", SYSTEM, "-o", str(out))
    assert rc == 1 and "[internal-validator]" in err and "beyond the hypervisor's address space" in err, err
    assert err.startswith("dts/qemu-arm64/system.dts:")  # the hypervisor node's reg
    assert not out.exists()


# ---------------------------------------------------------------- no library: a clear error, no traceback

@pytest.mark.parametrize("cmd", ["compile", "dump"])
def test_missing_library_says_how_to_build_it(cmd: str, built: Path, tmp_path: Path) -> None:
    argv = (["compile", SYSTEM, "-o", str(tmp_path / "x.cfg")] if cmd == "compile"
            else ["dump", str(built / "system.cfg")])
    env = {**os.environ, "HVCFG_LIBRARY": str(tmp_path / "nowhere" / "libhvcfg.so")}
    res = subprocess.run([sys.executable, "-m", "configgen", *argv], cwd=REPO, env=env, capture_output=True,
                         text=True)
    assert res.returncode == 2, res.stderr
    assert "libhvcfg.so is missing" in res.stderr and "make" in res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""
    assert not (tmp_path / "x.cfg").exists()
