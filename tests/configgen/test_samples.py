"""The QEMU samples: valid, compile -> decompile -> compile byte-identical, root DTB, blob integrity."""
from __future__ import annotations

import hashlib
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import CELLS, SYSTEM
from configgen import abi, blob


def test_samples_check_clean(cli) -> None:
    rc, out, err = cli("check", "-Werror", SYSTEM, *CELLS)
    assert rc == 0, err
    assert err == ""
    assert "2 cell(s): gic-demo, smp-demo" in out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from conftest import run_cli
    d = tmp_path_factory.mktemp("built")
    rc, _, err = run_cli("compile", SYSTEM, "-o", str(d / "system.cfg"), "--root-dtb", str(d / "root.dtb"),
                         "--cells", *CELLS)
    assert rc == 0, err
    for cell in CELLS:
        name = Path(cell).stem
        rc, _, err = run_cli("compile", SYSTEM, cell, "-o", str(d / f"{name}.cfg"), "--cells", *CELLS)
        assert rc == 0, err
    return d


@pytest.mark.parametrize("name", ["system", "gic-demo", "smp-demo"])
def test_roundtrip_byte_identical(name: str, built: Path, cli) -> None:
    original = built / f"{name}.cfg"
    dec = built / f"{name}.dec.{'dts' if name == 'system' else 'dtso'}"
    rc, _, err = cli("decompile", str(original), "-o", str(dec))
    assert rc == 0, err
    again = built / f"{name}.again.cfg"
    if name == "system":
        rc, _, err = cli("compile", str(dec), "-o", str(again))
    else:
        rc, _, err = cli("compile", SYSTEM, str(dec), "-o", str(again))
    assert rc == 0, err
    assert again.read_bytes() == original.read_bytes()


def test_system_blob_contents(built: Path) -> None:
    p = blob.parse((built / "system.cfg").read_bytes())
    f = p.fields
    assert p.kind == "system" and p.cpus == [0, 1, 2, 3]
    assert (f["hypervisor_mem_base"], f["hypervisor_mem_size"]) == (0x7F800000, 0x800000)
    assert f["debug_console"]["type"] == abi.CONSOLE_PL011 and f["debug_console"]["base"] == 0x09000000
    assert f["header"]["revision"] == abi.REVISION and f["header"]["arch"] == abi.ARCH_ARM64 and p.arch.name == "arm64"
    # revision 2: the CPU table holds hardware ids (MPIDRs on arm64)
    off = f["cpu_table_offset"]
    assert [abi.CPU.unpack(p.raw, off + 8 * i)["hw_id"] for i in range(4)] == [0, 1, 2, 3]
    # the generic platform part, then the arm section at the start of platform.arch, the rest zero
    assert f["platform"]["pci_mmconfig_base"] == 0x4010000000 and f["platform"]["pci_mmconfig_size"] == 0x10000000
    arch_bytes = bytes(f["platform"]["arch"])
    assert len(arch_bytes) == abi.ARCH_PLATFORM_SIZE and not any(arch_bytes[abi.ARM_PLATFORM.size:])
    pl = abi.ARM_PLATFORM.unpack(arch_bytes)
    assert pl == p.platform
    assert (pl["gicd_base"], pl["gicr_base"], pl["its_base"]) == (0x08000000, 0x080A0000, 0x08080000)
    assert pl["gic_lines"] == 288 and pl["maintenance_irq"] == 25 and pl["gic_version"] == abi.GIC_V3
    assert all(pl[f"gic{x}_{y}"] == 0 for x in "chv" for y in ("base", "size"))  # GICv2 interfaces
    root = p.cell
    assert root.name == "root-linux" and root.cpus == [0, 1, 2, 3]
    assert root.intids == list(range(32, 288))
    # SPIs 32..287 as interrupt resources of the distributor: pin_base 32 + 128 k, all bits set
    assert [(c["address"], c["id"], c["pin_base"]) for c in root.irqchips] == [(0x08000000, 0, 32),
                                                                                (0x08000000, 0, 160)]
    assert all(c["pin_bitmap"] == [(1 << 64) - 1] * 2 for c in root.irqchips)
    d = root.desc
    assert d["num_irqchips"] == 2 and d["num_pio_regions"] == 0 and d["num_pci_devices"] == 2
    assert d["irqchips_offset"] == d["mem_regions_offset"] + abi.MEMORY_REGION.size * d["num_mem_regions"]
    assert d["pio_regions_offset"] == d["pci_devices_offset"] == d["irqchips_offset"] + 2 * abi.IRQCHIP.size
    assert d["ivshmem_ends_offset"] == d["pci_devices_offset"] + 2 * abi.PCI_DEVICE_STRUCT.size
    assert f["header"]["total_size"] == d["ivshmem_ends_offset"] + 2 * abi.IVSHMEM_END.size
    # the links echo and net after the CPU table, and the root's end of each: 00:10.0 and 00:11.0,
    # INTx through QEMU's interrupt-map (SPI 3 + slot % 4), BAR0 left to root Linux
    assert f["ivshmem_links_offset"] == off + 4 * abi.CPU.size and f["num_ivshmem_links"] == 2
    assert [(ln.name, ln.fields["phys_start"], ln.fields["state_size"], ln.fields["rw_size"], ln.fields["out_size"],
             ln.fields["protocol"], ln.fields["num_peers"]) for ln in p.links] == [
        ("echo", 0x7D800000, 0x1000, 0, 0x10000, abi.IVSHMEM_PROTO_ECHO, 3),
        ("net", 0x7DA00000, 0x1000, 0, 0x100000, abi.IVSHMEM_PROTO_NET, 2)]
    assert [(e["link"], e["peer_id"], e["bdf"], e["irq"], e["bar0"], e["guest_start"]) for e in root.ends] == [
        (0, 0, 0x80, 35, 0, 0x7D800000), (1, 0, 0x88, 36, 0, 0x7DA00000)]
    # the cell pool gives the links' memory up: no root region overlaps it
    for ln in p.links:
        end = ln.fields["phys_start"] + 0x1000 + ln.fields["out_size"] * ln.fields["num_peers"]
        assert not any(r["phys_start"] < end and ln.fields["phys_start"] < r["phys_start"] + r["size"]
                       for r in root.regions), ln.name
    # the board's host bridge 00:00.0 and pci-serial 00:02.0, BARs left to root Linux
    assert [(x["domain"], x["bdf"], x["type"], x["bar"]) for x in root.pci_devices] == \
        [(0, 0, abi.PCI_DEVICE, [0] * 6), (0, 0x10, abi.PCI_DEVICE, [0] * 6)]
    assert (pl["pci_io_base"], pl["pci_io_size"]) == (0x3EFF0000, 0x10000)
    for r in root.regions:
        assert not (r["phys_start"] < 0x09000000 and 0x08000000 < r["phys_start"] + r["size"]), "GIC/ITS mapped"
    io = [(r["phys_start"], r["phys_start"] + r["size"]) for r in root.regions if r["flags"] & abi.MEM_IO]
    assert any(s == 0x09000000 for s, _ in io)
    # the root drives the PCIe host: I/O + 32-bit window (adjacent, merged), 64-bit window; its
    # ECAM is the hypervisor's (configuration space filtered for every cell)
    for s, e in ((0x10000000, 0x3f000000), (0x8000000000, 0x10000000000)):
        assert any(a <= s and e <= b for a, b in io), f"{s:#x}-{e:#x} not mapped into the root"
    assert not any(a < 0x4020000000 and 0x4010000000 < b for a, b in io), "ECAM mapped into the root"


def test_cell_blobs(built: Path) -> None:
    sysraw = (built / "system.cfg").read_bytes()
    gic = blob.parse((built / "gic-demo.cfg").read_bytes())
    smp = blob.parse((built / "smp-demo.cfg").read_bytes())
    for c in (gic, smp):
        assert bytes(c.fields["system_digest"]) == hashlib.sha256(sysraw).digest()
    assert gic.cell.cpus == [3] and smp.cell.cpus == [1, 2]
    assert smp.cell.intids == [34]  # the RTC's SPI 2
    assert [(c["address"], c["id"], c["pin_base"], c["pin_bitmap"]) for c in smp.cell.irqchips] == \
        [(0x08000000, 0, 32, [1 << 2, 0])]
    assert gic.cell.intids == [] and gic.cell.irqchips == []  # shared UART: MMIO only
    assert gic.cell.desc["num_irqchips"] == 0
    comm = [r for r in gic.cell.regions if r["flags"] & abi.MEM_COMM_REGION]
    assert len(comm) == 1 and comm[0]["guest_start"] == 0x80000000 and comm[0]["size"] == 0x1000
    load = [r for r in gic.cell.regions if r["flags"] & abi.MEM_LOADABLE]
    assert load and load[0]["guest_start"] == 0
    shared = {(r["phys_start"], r["size"]) for c in (gic, smp) for r in c.cell.regions
              if r["flags"] & abi.MEM_SHARED and not r["flags"] & abi.MEM_IO}
    assert shared == {(0x7F700000, 0x100000)}
    assert gic.cell.desc["flags"] & abi.CELL_PASSIVE_COMMREG
    assert smp.cell.desc["flags"] & abi.CELL_MAY_LOCK


def test_root_dtb(built: Path) -> None:
    dts = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(built / "root.dtb")], capture_output=True,
                         text=True, check=True).stdout
    assert "hypervisor@7f800000 {" in dts.split("reserved-memory")[1]
    # the whole cell pool, so cells compiled later find their RAM reserved too
    for node in ("hypervisor@7f800000", "cell-pool@68000000"):
        block = dts.split(node + " {")[1].split("};")[0]
        assert "no-map;" in block, node
    assert "chosen {" in dts and 'stdout-path = "/pl011@9000000"' in dts
    assert "hv,hypervisor" not in dts and "__symbols__" not in dts
    rtc = dts.split("pl031@9010000 {")[1].split("};")[0]
    assert 'status = "disabled"' in rtc  # taken by smp-demo
    uart = dts.split("pl011@9000000 {")[1].split("};")[0]
    assert "disabled" not in uart  # only shared


@pytest.mark.parametrize("damage", ["crc", "truncate", "signature", "offset"])
def test_corrupt_blobs_rejected(damage: str, built: Path, tmp_path: Path, cli) -> None:
    data = bytearray((built / "gic-demo.cfg").read_bytes())
    if damage == "crc":
        data[-1] ^= 1
    elif damage == "truncate":
        data = data[:100]
    elif damage == "signature":
        data[0] ^= 0xFF
    else:  # a self-consistent blob (CRC fixed up) whose region array points outside
        off = abi.CELL.offset_of("cell") + abi.CELL_DESC.offset_of("mem_regions_offset")
        struct.pack_into("<I", data, off, len(data))
        struct.pack_into("<I", data, 12, 0)
        struct.pack_into("<I", data, 12, zlib.crc32(bytes(data)) & 0xFFFFFFFF)
    bad = tmp_path / "bad.cfg"
    bad.write_bytes(bytes(data))
    for cmd in ("dump", "decompile"):
        rc, _, err = cli(cmd, str(bad))
        assert rc == 1 and "error" in err and "Traceback" not in err


def test_crc_definition(built: Path) -> None:
    data = bytearray((built / "system.cfg").read_bytes())
    stored = struct.unpack_from("<I", data, 12)[0]
    struct.pack_into("<I", data, 12, 0)
    assert zlib.crc32(bytes(data)) == stored


def test_exit_status_usage_and_io(cli, tmp_path: Path) -> None:
    assert cli("check", "no/such/system.dts")[0] == 2
    assert cli("dump", str(tmp_path / "missing.cfg"))[0] == 2
    assert cli("frobnicate")[0] == 2
    assert cli("compile", SYSTEM)[0] == 2  # -o missing
    assert cli("check", "--kconfig", str(tmp_path / "none.config"), SYSTEM)[0] == 2
    rc, out, _ = cli("--help")
    assert rc == 0 and "--root-dtb" in out and "decompile" in out


def test_dump_lists_everything(built: Path, cli) -> None:
    rc, out, _ = cli("dump", str(built / "smp-demo.cfg"))
    assert rc == 0
    for text in ("cell blob", "smp-demo", "may-lock", "cpus:              1, 2", "SPIs:              2",
                 "COMM-REGION", "LOADABLE", "system digest"):
        assert text in out, text


def test_kconfig_limit_applies(cli, tmp_path: Path) -> None:
    cfg = tmp_path / "small.config"
    cfg.write_text("CONFIG_MAX_CPUS=2\nCONFIG_MAX_CELLS=8\n")
    rc, _, err = cli("check", "--kconfig", str(cfg), SYSTEM, *CELLS)
    assert rc == 1 and "[limit-cpus]" in err and "CONFIG_MAX_CPUS=2" in err
