"""The x86 profile end to end: the q35 samples compile into blobs the x86 build of the
hypervisor's validator accepts, with the platform section, ports, PCI functions and IOAPIC pins
the board describes; root.cmdline; cell-make-vars; `create` from the constructed q35 snapshot;
the collector; the ACPI parsers. (The rule corpus has the x86 bad/good samples.)"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from configgen import abi, acpi, arch, blob, validator
from configgen.arch import x86

SYSTEM = "dts/qemu-x86/system.dts"
UART, APIC, SMP = (f"dts/qemu-x86/{n}-demo.dtso" for n in ("uart", "apic", "smp"))
SNAP = REPO / "tests/configgen/fixtures/qemu-x86-snapshot"


@pytest.fixture(scope="module", autouse=True)
def x86_validator():
    """The x86 build of the C validator (until build/host/libhvcfg.so picks by the blob's arch)."""
    import x86lib
    path = x86lib.build()  # None: build/host/libhvcfg.so checks x86 blobs itself
    validator._libs.pop("x86", None)
    yield path


def _compile(tmp: Path, *args: str) -> bytes:
    out = tmp / "out.cell"
    rc, _, err = run_cli("compile", *args, "-o", str(out))
    assert rc == 0, err
    return out.read_bytes()


def _fix_crc(data: bytearray) -> bytes:
    struct.pack_into("<I", data, 12, 0)
    struct.pack_into("<I", data, 12, zlib.crc32(bytes(data)))
    return bytes(data)


def test_limits_match_the_hypervisor_header() -> None:
    """The profile's constants are cfg_limits.h's and cfg_x86.h's (gen-abi does not carry them yet)."""
    text = "".join((REPO / f"hv/arch/x86/include/asm/{h}").read_text() for h in ("cfg_limits.h", "cfg_x86.h"))
    defs = dict(re.findall(r"#define\s+(X86_\w+)\s+(.+)", text))
    assert "(1ULL << 12)" in defs["X86_PAGE_SIZE"] and "(1ULL << 21)" in defs["X86_LARGE_PAGE_SIZE"]
    assert int(defs["X86_GPA_BITS"]) == x86.X86_GPA_BITS and int(defs["X86_HV_VA_BITS"]) == x86.X86_HV_VA_BITS
    assert int(defs["X86_LAPIC_BASE"].rstrip("ULL"), 16) == x86.X86_LAPIC_BASE
    assert int(defs["X86_IOAPIC_MAX_PINS"]) == x86.X86_IOAPIC_MAX_PINS
    assert int(defs["X86_XAPIC_BROADCAST"], 16) == x86.X86_XAPIC_BROADCAST
    assert x86.X86_HV_WINDOW_VA == (1 << 47) - (1 << 30)
    assert int(defs["X86_CELL_FLAGS"]) == x86.X86_CELL_FLAGS == x86.PROFILE.cell_flags


def test_board_compatible_selects_x86() -> None:
    rc, out, err = run_cli("check", SYSTEM, UART, APIC)
    assert rc == 0, err
    assert "ok: 4 CPUs, root cell 'root-linux', 2 cell(s): uart-demo, apic-demo" in out
    rc, _, err = run_cli("check", "--arch", "x86", SYSTEM, UART, SMP)
    assert rc == 0, err


def test_apic_demo_and_smp_demo_never_together() -> None:
    rc, _, err = run_cli("check", SYSTEM, APIC, SMP)
    assert rc == 1 and "[cpu-conflict]" in err


def test_system_blob(tmp_path: Path) -> None:
    data = _compile(tmp_path, SYSTEM, "--cells", UART, APIC)
    assert validator.check_system(data) is None
    p = blob.parse(data)
    assert p.arch is x86.PROFILE and p.fields["header"]["arch"] == abi.ARCH_X86_64
    assert p.cpus == [0, 1, 2, 3]
    pl = p.platform
    assert (pl["apic_mode"], pl["num_ioapics"], pl["num_iommus"], pl["pm_timer_port"]) == (abi.X86_XAPIC, 1, 0, 0x608)
    assert pl["apic_khz"] == 1000000 and pl["tsc_khz"] == 0
    io = pl["ioapics"][0]
    assert (io["address"], io["id"], io["gsi_base"], io["pins"]) == (0xFEC00000, 0, 0, 24)
    assert (p.fields["platform"]["pci_mmconfig_base"], p.fields["platform"]["pci_mmconfig_size"]) == \
        (0xB0000000, 0x10000000)
    dc = p.fields["debug_console"]
    assert (dc["type"], dc["base"], dc["size"]) == (abi.CONSOLE_8250_PIO, 0x3F8, 8)
    root = p.cell
    ports = [(r["base"], r["base"] + r["length"]) for r in root.pio_regions]
    assert not any(s < 0xD00 and 0xCF8 < e for s, e in ports), "PCI configuration ports stay trapped"
    for port in (0x3F8, 0x2F8, 0x60, 0x64, 0x608, 0xC040, 0x700, 0x80):
        assert any(s <= port < e for s, e in ports), hex(port)
    assert [d["bdf"] for d in root.pci_devices] == [0x00, 0x08, 0xF8, 0xFA, 0xFB]
    assert root.intids == list(range(24))
    assert root.irqchips == [{"address": 0xFEC00000, "id": 0, "pin_base": 0, "pin_bitmap": [0xFFFFFF, 0]}]
    for r in root.regions:  # the validator's rule: no root region over the APICs or MMCONFIG
        s, e = r["phys_start"], r["phys_start"] + r["size"]
        for w, n in ((0xFEC00000, 0x1000), (0xFEE00000, 0x1000), (0xB0000000, 0x10000000)):
            assert e <= w or w + n <= s


def test_uart_demo_blob(tmp_path: Path) -> None:
    system = _compile(tmp_path, SYSTEM, "--cells", UART, APIC)
    out = tmp_path / "uart.cell"
    rc, _, err = run_cli("compile", SYSTEM, UART, "-o", str(out), "--cells", APIC)
    assert rc == 0, err
    cell = out.read_bytes()
    assert validator.check_cell_in_system(system, cell) is None
    p = blob.parse(cell)
    assert p.cell.pio_regions == [{"base": 0x2F8, "length": 8}]
    assert p.cell.irqchips == [{"address": 0xFEC00000, "id": 0, "pin_base": 0, "pin_bitmap": [1 << 3, 0]}]
    con = p.cell.desc["console"]
    assert (con["type"], con["base"]) == (abi.CONSOLE_8250_PIO, 0x2F8)
    assert p.cell.desc["cpu_reset_address"] == 0 and p.cell.cpus == [1]
    assert {(r["guest_start"], r["size"], r["flags"] & abi.MEM_COMM_REGION) for r in p.cell.regions} == \
        {(0, 0x100000, 0), (0x100000, 0x1000, abi.MEM_COMM_REGION)}


@pytest.mark.parametrize("cell,others", [(UART, [SMP]), (APIC, [UART]), (SMP, [UART])])
def test_every_demo_cell_passes_the_validator(tmp_path: Path, cell: str, others: list[str]) -> None:
    system = _compile(tmp_path, SYSTEM, "--cells", cell, *others)
    out = tmp_path / "c.cell"
    rc, _, err = run_cli("compile", SYSTEM, cell, "-o", str(out), "--cells", *others)
    assert rc == 0, err
    assert validator.check_cell_in_system(system, out.read_bytes()) is None


def test_validator_refuses_what_the_hypervisor_refuses(tmp_path: Path) -> None:
    data = bytearray(_compile(tmp_path, SYSTEM))
    off = abi.SYSTEM.offset_of("platform") + abi.PLATFORM.offset_of("arch") + abi.X86_PLATFORM.offset_of("apic_mode")
    data[off] = abi.X86_X2APIC
    refusal = validator.check_system(_fix_crc(data))
    assert refusal is not None and refusal.name == "unsupported"


def test_without_an_x86_validator_blobs_pass_with_a_note(tmp_path: Path, monkeypatch, capsys) -> None:
    data = _compile(tmp_path, SYSTEM)
    if validator._run(validator._load().hvcfg_check_system, data, len(data), 256) is None:
        pytest.skip("build/host/libhvcfg.so checks x86 blobs itself: no fallback to test")
    monkeypatch.setenv(validator.X86_LIB_ENV, str(tmp_path / "missing.so"))
    monkeypatch.setattr(validator, "_libs", {})
    monkeypatch.setattr(validator, "_skipped_note", False)
    assert validator.check_system(data) is None
    assert "x86 blobs are not validated" in capsys.readouterr().err


def test_root_cmdline(tmp_path: Path) -> None:
    out, cmdline = tmp_path / "system.cell", tmp_path / "root.cmdline"
    rc, _, err = run_cli("compile", SYSTEM, "-o", str(out), "--root-cmdline", str(cmdline), "--cells", UART, APIC)
    assert rc == 0, err
    assert cmdline.read_text() == "memmap=0x5000000$0x3a000000\n"
    rc, _, err = run_cli("compile", SYSTEM, "-o", str(out), "--root-dtb", str(tmp_path / "r.dtb"))
    assert rc == 2 and "--root-cmdline" in err


def test_root_cmdline_reserves_cell_ram_outside_the_pool(tmp_path: Path) -> None:
    """Without a pool, each cell's RAM is reserved (here right above the hypervisor: one range)."""
    system = tmp_path / "nopool.dts"
    text = (REPO / SYSTEM).read_text().replace('#include "../boards/', f'#include "{REPO}/dts/boards/')
    system.write_text(text.replace("\t\t\t\tcell-pool;\n", ""))
    cmdline = tmp_path / "root.cmdline"
    rc, _, err = run_cli("compile", str(system), "-o", str(tmp_path / "s.cell"), "--root-cmdline", str(cmdline),
                         "--cells", UART)
    assert rc == 0, err
    assert cmdline.read_text() == "memmap=0x1100000$0x3a000000\n"  # adjacent ranges merge


def test_cell_make_vars(tmp_path: Path) -> None:
    out = tmp_path / "uart-demo.cell"
    rc, _, err = run_cli("compile", SYSTEM, UART, "-o", str(out))
    assert rc == 0, err
    res = subprocess.run(["/usr/bin/python3", str(REPO / "scripts/cell-make-vars.py"), str(out)],
                         capture_output=True, text=True, check=True)
    values = dict(line.split(" := ") for line in res.stdout.splitlines() if " := " in line)
    assert values == {"uart-demo_INMATE_BASE": "0x0", "uart-demo_INMATE_SIZE": "0x100000",
                      "uart-demo_COMM_REGION": "0x100000", "uart-demo_CPUS": "1",
                      "uart-demo_RESET_ADDRESS": "0x0",
                      "uart-demo_ARCH": "x86"}


def test_dump_and_decompile(tmp_path: Path) -> None:
    out = tmp_path / "s.cell"
    _compile(tmp_path, SYSTEM)
    shutil.copy(tmp_path / "out.cell", out)
    rc, text, err = run_cli("dump", str(out))
    assert rc == 0, err
    assert "IOAPIC          0xfec00000 id 0 GSIs 0..23" in text and "port I/O:" in text
    rc, text, err = run_cli("decompile", str(out))
    assert rc == 0, err
    assert "ioapic-id = <0>;" in text and "pio-regions = <" in text and "pci-devices = <0x0 0x8 0xf8 0xfa 0xfb>;" in text


@pytest.mark.parametrize("system", [SYSTEM, "created"])
def test_decompile_round_trip(tmp_path: Path, system: str) -> None:
    """compile -> decompile -> compile gives the identical bytes, for the system and every cell
    (compiled against the original system and against the decompiled one)."""
    if system == "created":
        system = str(_create(tmp_path, "--hypervisor-address", "0x3a000000"))
    sys_blob = tmp_path / "s.cell"
    rc, _, err = run_cli("compile", system, "-o", str(sys_blob))
    assert rc == 0, err
    rc, _, err = run_cli("decompile", str(sys_blob), "-o", str(tmp_path / "s.dts"))
    assert rc == 0, err
    rc, _, err = run_cli("compile", str(tmp_path / "s.dts"), "-o", str(tmp_path / "s2.cell"))
    assert rc == 0, err
    assert (tmp_path / "s2.cell").read_bytes() == sys_blob.read_bytes()
    for cell in (UART, APIC, SMP):
        blob_path, src = tmp_path / "c.cell", tmp_path / "c.dtso"
        rc, _, err = run_cli("compile", system, cell, "-o", str(blob_path))
        assert rc == 0, err
        rc, _, err = run_cli("decompile", str(blob_path), "-o", str(src))
        assert rc == 0, err
        for against in (system, str(tmp_path / "s.dts")):
            rc, _, err = run_cli("compile", against, str(src), "-o", str(tmp_path / "c2.cell"))
            assert rc == 0, err
            assert (tmp_path / "c2.cell").read_bytes() == blob_path.read_bytes(), (cell, against)


def test_decompile_refuses_what_sources_cannot_say(tmp_path: Path) -> None:
    data = bytearray(_compile(tmp_path, SYSTEM))
    p = blob.parse(bytes(data))
    off = p.cell.desc["pci_devices_offset"] + abi.PCI_DEVICE_STRUCT.offset_of("iommu")
    data[off] = 0  # behind IOMMU unit 0, which this platform lacks: the validator refuses it first
    path = tmp_path / "bad.cell"
    path.write_bytes(_fix_crc(data))
    rc, _, err = run_cli("decompile", str(path))
    assert rc == 1 and "refuse" in err and "Traceback" not in err


# ------------------------------------------------------------------ create

def _create(tmp: Path, *extra: str) -> Path:
    out = tmp / "system.dts"
    rc, _, err = run_cli("create", "--root", str(SNAP), "-o", str(out), "--hypervisor-size", "16M",
                         "--cell-size", "64M", *extra)
    assert rc == 0, err
    return out


def test_create_from_the_snapshot(tmp_path: Path) -> None:
    created = _create(tmp_path, "--hypervisor-address", "0x3a000000")
    made = _compile(tmp_path, str(created), "--cells", UART, APIC)
    assert validator.check_system(made) is None
    hand = blob.parse(_compile(tmp_path, SYSTEM, "--cells", UART, APIC))
    got = blob.parse(made)
    assert got.cpus == hand.cpus
    assert got.fields["platform"]["pci_mmconfig_base"] == hand.fields["platform"]["pci_mmconfig_base"]
    for k in ("apic_mode", "num_ioapics", "ioapics", "pm_timer_port", "num_iommus"):
        assert got.platform[k] == hand.platform[k], k
    assert got.fields["debug_console"] == hand.fields["debug_console"]
    assert got.cell.pci_devices == hand.cell.pci_devices
    assert got.cell.irqchips == hand.cell.irqchips
    assert got.fields["hypervisor_mem_base"] == 0x3A000000
    assert got.cell.regions == hand.cell.regions  # RAM, pool, legacy/firmware ranges, PCI windows, HPET, RCRB
    # ports: Linux's view (/proc/ioports) is a subset of QEMU's (the board): never more
    hand_ports = [(r["base"], r["base"] + r["length"]) for r in hand.cell.pio_regions]
    for r in got.cell.pio_regions:
        assert any(s <= r["base"] and r["base"] + r["length"] <= e for s, e in hand_ports), r
    # every sample cell checks and validates against the created system
    for cell, other in ((UART, APIC), (APIC, UART), (SMP, UART)):
        out = tmp_path / "c.cell"
        rc, _, err = run_cli("compile", str(created), cell, "-o", str(out), "--cells", other)
        assert rc == 0, err
        assert validator.check_cell_in_system(made, out.read_bytes()) is None


def test_create_plans_from_the_top_of_ram(tmp_path: Path) -> None:
    created = _create(tmp_path)
    p = blob.parse(_compile(tmp_path, str(created)))
    assert (p.fields["hypervisor_mem_base"], p.fields["hypervisor_mem_size"]) == (0x3EE00000, 0x1000000)
    assert validator.check_system(p.raw) is None


def test_create_explicit_arch_and_errors(tmp_path: Path) -> None:
    rc, _, err = run_cli("create", "--root", str(tmp_path), "--arch", "x86", "-o", str(tmp_path / "s.dts"))
    assert rc == 2 and "no MADT" in err
    snap = tmp_path / "snap"
    shutil.copytree(SNAP, snap)
    madt = snap / "sys/firmware/acpi/tables/APIC"
    data = bytearray(madt.read_bytes())
    data[40] ^= 1
    madt.write_bytes(bytes(data))
    rc, _, err = run_cli("create", "--root", str(snap), "-o", str(tmp_path / "s.dts"))
    assert rc == 2 and "checksum" in err and "Traceback" not in err
    rc, _, err = run_cli("create", "--root", str(SNAP), "-o", str(tmp_path / "s.dts"), "--hypervisor-size", "16M",
                         "--hypervisor-address", "0x3fe00000")
    assert rc == 2 and "do not lie inside one System RAM range" in err


def test_snapshot_is_what_its_generator_writes(tmp_path: Path) -> None:
    copy = tmp_path / "snap"
    shutil.copytree(SNAP, copy)
    subprocess.run(["/usr/bin/python3", str(copy / "gen-snapshot.py")], check=True)
    for f in SNAP.rglob("*"):
        if f.is_file() and f.name != "cpuinfo":
            assert (copy / f.relative_to(SNAP)).read_bytes() == f.read_bytes(), f


def test_acpi_tables_of_the_snapshot() -> None:
    m = acpi.parse_madt((SNAP / "sys/firmware/acpi/tables/APIC").read_bytes())
    assert (m.lapic_address, m.cpus, m.ioapics) == (0xFEE00000, [0, 1, 2, 3], [(0, 0xFEC00000, 0)])
    assert m.overrides[0] == 2
    assert acpi.parse_mcfg((SNAP / "sys/firmware/acpi/tables/MCFG").read_bytes()) == [(0xB0000000, 0, 0, 0xFF)]


def _table(sig: bytes, body: bytes) -> bytes:
    data = bytearray(struct.pack("<4sIBB6s8sI4sI", sig, 36 + len(body), 1, 0, b"OEM   ", b"TABLE   ", 1, b"ASL ", 1)
                     + body)
    data[9] = (-sum(data)) & 0xFF
    return bytes(data)


def test_iommu_tables() -> None:
    drhd = struct.pack("<HHBBHQ", 0, 16, 0, 0, 0, 0xFED90000)
    assert acpi.parse_dmar(_table(b"DMAR", bytes(12) + drhd)) == [acpi.IommuUnit("intel,vtd", 0xFED90000, 0x1000)]
    ivhd = struct.pack("<BBHHHQHHI", 0x10, 0, 24, 0x10, 0x40, 0xFEB80000, 0, 0, 0)
    assert acpi.parse_ivrs(_table(b"IVRS", bytes(12) + ivhd)) == \
        [acpi.IommuUnit("amd,iommu", 0xFEB80000, 0x80000, 0x10, 0x40)]
    with pytest.raises(acpi.AcpiError):
        acpi.parse_dmar(_table(b"DMAR", bytes(12) + drhd)[:-1] + b"\1")


def test_create_with_an_amd_iommu(tmp_path: Path) -> None:
    """An IVRS table (QEMU's amd-iommu at 00:02.0) becomes an amd,iommu unit in the platform
    section, never mapped into the root."""
    snap = tmp_path / "snap"
    shutil.copytree(SNAP, snap)
    ivhd = struct.pack("<BBHHHQHHI", 0x10, 0, 24, 0x10, 0x40, 0xFEB80000, 0, 0, 0)
    (snap / "sys/firmware/acpi/tables/IVRS").write_bytes(_table(b"IVRS", bytes(12) + ivhd))
    out = tmp_path / "s.dts"
    rc, _, err = run_cli("create", "--root", str(snap), "-o", str(out), "--hypervisor-size", "16M",
                         "--cell-size", "64M")
    assert rc == 0, err
    p = blob.parse(_compile(tmp_path, str(out)))
    assert p.platform["num_iommus"] == 1
    assert p.platform["iommus"][0]["base"] == 0xFEB80000 and p.platform["iommus"][0]["bdf"] == 0x10


def test_collector_copies_exactly_the_snapshot_files(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    env = dict(os.environ, COLLECT_ROOT=str(SNAP))
    subprocess.run(["dash" if shutil.which("dash") else "sh", str(REPO / "configgen/collect.sh"), str(dest)],
                   env=env, check=True)
    extra = {Path(n) for n in ("gen-snapshot.py", "README.md", "qemu-info.txt", "guest-init.sh", "dmesg-excerpt.txt")}
    want = {f.relative_to(SNAP) for f in SNAP.rglob("*") if f.is_file()} - extra
    got = {f.relative_to(dest) for f in dest.rglob("*") if f.is_file()}
    assert got == want
    for f in want:
        assert (dest / f).read_bytes() == (SNAP / f).read_bytes()


def test_arm64_profile_is_not_picked_for_x86_snapshots() -> None:
    from configgen import create
    assert create.is_acpi_machine(SNAP)
    assert arch.by_name("x86").arch_id == abi.ARCH_X86_64


def test_map_and_guest_dt(tmp_path: Path) -> None:
    rc, out, err = run_cli("map", SYSTEM, UART)
    assert rc == 0, err
    assert "GSIs" in out and "0-2,4-23 (lends 3)" in out
    rc, _, err = run_cli("guest-dt", SYSTEM, UART, "-o", str(tmp_path / "g.dtb"))
    assert rc == 2 and "without a device tree" in err and not (tmp_path / "g.dtb").exists()


_GOOD_DEVICES = ["com2", "lpt", "rtc", "sata", "smbus", "vga", "speaker"]
_BAD_DEVICES = ["com1", "kbd", "host_bridge", "hpet", "ioapic", "pm_timer", "pci_conf"]


def _pick(rng, good: list, bad: list, p_bad: float = 0.15):
    return rng.choice(bad if rng.random() < p_bad else good)


def _random_cell(rng, n: int) -> str:
    """A cell that is mostly valid, with now and then one bad value (so both outcomes occur)."""
    props = [f"\t\tcpus = <&cpu{_pick(rng, [n + 1], [0, 1, 2, 3])}>;", "\t\tpassive-comm-region;",
             f"\t\tcpu-reset-address = ADDR64({_pick(rng, [0, 0xff000], [0x100000])});"]
    devs: list[str] = []
    if rng.random() < 0.6:
        devs = [_pick(rng, _GOOD_DEVICES[n::2], _BAD_DEVICES, 0.1) for _ in range(rng.randint(1, 2))]
        props.append("\t\tdevices = <" + " ".join(f"&{d}" for d in dict.fromkeys(devs)) + ">;")
    if rng.random() < 0.4:
        pairs = [_pick(rng, [(0x5658, 1), (0x61, 1)] if n else [(0x80, 1), (0x1ce, 4)],
                       [(0xcf8, 8), (0xe9, 1), (0xfff8, 0x10), (0x64, 1), (0x2f8, 0)], 0.2)]
        props.append("\t\tpio-regions = <" + " ".join(f"{a:#x} {b:#x}" for a, b in pairs) + ">;")
    if rng.random() < 0.2:
        props.append(f"\t\tgsis = <{_pick(rng, [3 if 'com2' in devs else 7 if 'lpt' in devs else 8 if 'rtc' in devs else 11], [4, 24, 200], 0.3)}>;")
    if rng.random() < 0.3:
        props.append(f"\t\tpci-devices = <{_pick(rng, [0xfa if n else 0xfb], [0, 0x10, 0x10000], 0.3):#x}>;")
    if "com2" in devs and rng.random() < 0.5:
        props.append("\t\tconsole = <&com2>;")
    ram = _pick(rng, [0x3C000000 + n * 0x100000], [0x3A000000, 0x100000, 0xFEC00000], 0.1)
    guest = _pick(rng, [0], [0xfee00000], 0.1)
    return f"""/dts-v1/;
/plugin/;
#include <hv-dt.h>

&hypervisor {{
	fuzz{n} {{
		compatible = "hv,cell";
		cell-name = "fuzz{n}";
{chr(10).join(props)}

		ram {{
			physical-address = ADDR64({ram:#x});
			guest-address = ADDR64({guest:#x});
			size = ADDR64(SZ_1M);
			access = "rwx";
			loadable;
		}};
	}};
}};
"""


@pytest.mark.parametrize("seed", range(24))
def test_random_x86_cells_never_crash_and_blobs_validate(tmp_path: Path, seed: int) -> None:
    """Random cells: never a traceback; what configgen accepts, the x86 validator accepts too
    (an [internal-validator] error would be a configgen bug)."""
    import random
    rng = random.Random(seed)
    paths = []
    for n in range(2):
        p = tmp_path / f"fuzz{n}.dtso"
        p.write_text(_random_cell(rng, n))
        paths.append(str(p))
    rc, _, err = run_cli("compile", SYSTEM, paths[0], "-o", str(tmp_path / "c.cell"), "--cells", paths[1])
    assert rc in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err and "[internal-validator]" not in err, err
    if rc == 0:  # and decompile says it again, byte for byte
        src = tmp_path / "d.dtso"
        rc, _, err = run_cli("decompile", str(tmp_path / "c.cell"), "-o", str(src))
        assert rc == 0, err
        rc, _, err = run_cli("compile", SYSTEM, str(src), "-o", str(tmp_path / "d.cell"))
        assert rc == 0, err
        assert (tmp_path / "d.cell").read_bytes() == (tmp_path / "c.cell").read_bytes()


def _qemu_info() -> str:
    return (SNAP / "qemu-info.txt").read_text()


def test_board_matches_what_qemu_reports(tmp_path: Path) -> None:
    """dts/boards/qemu-x86-q35.dts against QEMU's own `info pci` and `info mtree -f` for the test
    machine (qemu-info.txt): the PCI functions and their BARs, every port-I/O device QEMU decodes
    (root's ports, PCI configuration ports trapped), every MMIO device (root's, or trapped)."""
    info = _qemu_info()
    funcs: dict[int, list[tuple[int, int]]] = {}
    cur = None
    for line in info.splitlines():
        m = re.match(r"\s+Bus\s+(\d+), device\s+(\d+), function (\d+):", line)
        if m:
            cur = int(m.group(1)) << 8 | int(m.group(2)) << 3 | int(m.group(3))
            funcs[cur] = []
        m = re.match(r"\s+BAR\d: (?:I/O|32 bit (?:prefetchable )?memory) at (0x[0-9a-f]+) \[(0x[0-9a-f]+)\]", line)
        if m and cur is not None and int(m.group(1), 16) != 0xFFFFFFFFFFFFFFFF:
            funcs[cur].append((int(m.group(1), 16), int(m.group(2), 16) + 1))
    p = blob.parse(_compile(tmp_path, SYSTEM))
    assert [d["bdf"] for d in p.cell.pci_devices] == sorted(funcs)
    ports = [(r["base"], r["base"] + r["length"]) for r in p.cell.pio_regions]
    mmio = [(r["phys_start"], r["phys_start"] + r["size"]) for r in p.cell.regions if r["flags"] & abi.MEM_IO]

    def inside(a: int, e: int, ranges: list[tuple[int, int]]) -> bool:
        return any(s <= a and e <= t for s, t in ranges)
    for bars in funcs.values():
        for a, e in bars:
            assert inside(a, e, ports if a < 0x10000 else mmio), hex(a)
    io = info.split('AS "I/O"')[1].split("FlatView")[0]
    for m in re.finditer(r"([0-9a-f]{16})-([0-9a-f]{16}) \(prio \d+, i/o\): (\S+)", io):
        a, e, name = int(m.group(1), 16), int(m.group(2), 16) + 1, m.group(3)
        if name == "io":
            continue  # nothing decodes it
        if name.startswith(("pci-conf", "lpc-reset")):
            assert not _overlaps_any(a, e, ports), name
        else:
            assert inside(a, e, ports), (name, hex(a))
    mem = info.split('AS "memory"')[1].split("FlatView")[0]
    trapped = [(0xB0000000, 0xC0000000), (0xFEC00000, 0xFEC01000), (0xFEE00000, 0xFF000000)]
    for m in re.finditer(r"([0-9a-f]{16})-([0-9a-f]{16}) \(prio \d+, (?:i/o|rom|ram)\): (\S+)", mem):
        a, e, name = int(m.group(1), 16), int(m.group(2), 16) + 1, m.group(3)
        if name == "pc.ram" and (e <= 0xA0000 or a >= 0x100000):
            continue  # RAM: the memory node
        page_a, page_e = a & ~0xFFF, (e + 0xFFF) & ~0xFFF
        assert inside(page_a, page_e, mmio + [(0, 0xA0000)]) or _overlaps_any(a, e, trapped), (name, hex(a))


def _overlaps_any(a: int, e: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a < t and s < e for s, t in ranges)
