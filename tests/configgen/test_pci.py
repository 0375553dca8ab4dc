"""PCI functions in cells: the board's functions, what a cell's blob says of them (bar[], the
BAR pages, the INTx SPI), decompile round trips, and the guest DT's PCI host and /chosen
(dts/qemu-arm64/linux-demo.dtso, dts/qemu-x86/pci-demo.dtso)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import REPO, SYSTEM
from configgen import abi, blob
from configgen import tree as dtree

LINUX = "dts/qemu-arm64/linux-demo.dtso"
X86_SYSTEM, PCI_DEMO = "dts/qemu-x86/system.dts", "dts/qemu-x86/pci-demo.dtso"


@pytest.fixture(scope="module")
def linux(tmp_path_factory) -> tuple[Path, blob.Parsed, blob.Parsed]:
    from conftest import run_cli
    d = tmp_path_factory.mktemp("pci")
    for args in (("compile", SYSTEM, "-o", str(d / "system.cell")),
                 ("compile", SYSTEM, LINUX, "-o", str(d / "linux-demo.cell")),
                 ("guest-dt", SYSTEM, LINUX, "-o", str(d / "linux-demo.dtb"))):
        rc, _, err = run_cli(*args)
        assert rc == 0 and err == "", err
    return d, blob.parse((d / "system.cell").read_bytes()), blob.parse((d / "linux-demo.cell").read_bytes())


def test_system_lists_the_functions_and_the_windows(linux) -> None:
    _, sysp, _ = linux
    assert [(d["bdf"], d["bar"]) for d in sysp.cell.pci_devices] == [(0x00, [0] * 6), (0x10, [0] * 6)]
    assert (sysp.platform["pci_io_base"], sysp.platform["pci_io_size"]) == (0x3EFF0000, 0x10000)
    gp = sysp.fields["platform"]
    assert (gp["pci_mmconfig_base"], gp["pci_mmconfig_size"]) == (0x4010000000, 0x10000000)


def test_linux_demo_blob(linux) -> None:
    _, _, cellp = linux
    c = cellp.cell
    assert c.cpus == [1, 2] and c.desc["cpu_reset_address"] == 0
    # the pci-serial at 00:02.0 with its I/O BAR 0 at port 0x1000, INTA -> SPI 5 (slot 2 on QEMU virt)
    assert [(d["domain"], d["bdf"], d["type"], d["bar"]) for d in c.pci_devices] == \
        [(0, 0x10, abi.PCI_DEVICE, [0x1001, 0, 0, 0, 0, 0])]
    assert c.intids == [37, 41]  # and SPI 9: its end of the link net (dts/qemu-arm64/system.dts)
    assert [(e["link"], e["peer_id"], e["bdf"], e["irq"], e["bar0"], e["guest_start"]) for e in c.ends] == \
        [(1, 1, 0x88, 41, 0x3EFEE000, 0x7DA00000)]
    regions = {(r["phys_start"], r["guest_start"], r["size"]): r["flags"] for r in c.regions}
    assert regions[(0x68000000, 0, 0x8000000)] & abi.MEM_LOADABLE
    assert regions[(0x3EFF1000, 0x3EFF1000, 0x1000)] == abi.MEM_READ | abi.MEM_WRITE | abi.MEM_IO
    assert len(regions) == 2  # no comm page: passive
    assert c.desc["flags"] & abi.CELL_PASSIVE_COMMREG and not c.desc["flags"] & abi.CELL_DMA_TRUSTED
    assert c.desc["console"]["type"] == abi.CONSOLE_NONE  # Linux drives the PCI UART itself


def test_x86_pci_demo_gets_its_bar(tmp_path: Path, cli) -> None:
    rc, _, err = cli("compile", X86_SYSTEM, PCI_DEMO, "-o", str(tmp_path / "pci-demo.cell"))
    assert rc == 0, err
    c = blob.parse((tmp_path / "pci-demo.cell").read_bytes()).cell
    # the SMBus 00:1f.3: its I/O BAR is BAR 4 (register 0x20), ports 0x700-0x73f
    assert [(d["bdf"], d["bar"]) for d in c.pci_devices] == [(0xFB, [0, 0, 0, 0, 0x701, 0])]


@pytest.mark.parametrize("system,cell", [(SYSTEM, LINUX), (X86_SYSTEM, PCI_DEMO)])
def test_decompile_round_trip(system: str, cell: str, tmp_path: Path, cli) -> None:
    """pci-devices and pci-bars say the functions and their BARs: byte for byte back."""
    assert cli("compile", system, "-o", str(tmp_path / "s.cell"))[0] == 0
    assert cli("compile", system, cell, "-o", str(tmp_path / "c.cell"))[0] == 0
    for kind in ("s", "c"):
        rc, _, err = cli("decompile", str(tmp_path / f"{kind}.cell"), "-o", str(tmp_path / f"{kind}.dts"))
        assert rc == 0, err
    text = (tmp_path / "c.dts").read_text()
    assert "pci-devices" in text and "pci-bars" in text
    rc, _, err = cli("compile", str(tmp_path / "s.dts"), "-o", str(tmp_path / "s2.cell"))
    assert rc == 0, err
    assert (tmp_path / "s2.cell").read_bytes() == (tmp_path / "s.cell").read_bytes()
    rc, _, err = cli("compile", str(tmp_path / "s.dts"), str(tmp_path / "c.dts"), "-o", str(tmp_path / "c2.cell"))
    assert rc == 0, err
    # the cell blob records its system's digest: the same system, the same cell
    assert (tmp_path / "c2.cell").read_bytes() == (tmp_path / "c.cell").read_bytes()


def test_pci_bars_must_match_pci_devices(tmp_path: Path, cli) -> None:
    cell = tmp_path / "raw.dtso"
    cell.write_text((REPO / "tests/configgen/corpus/good/pci-bar-unmapped--raw.dtso").read_text()
                    .replace("pci-bars = <0x1001 0x0 0x0 0x0 0x0 0x0>;", "pci-bars = <0x1001>;"))
    rc, _, err = cli("check", SYSTEM, str(cell))
    assert rc == 1 and "error: [binding-type]" in err and "pci-bars must hold 6 values" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------- guest DT

def _dts(dtb: Path) -> str:
    r = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(dtb)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr  # no dtc warning either
    return r.stdout


def test_guest_dt_pci_host(linux) -> None:
    d, _, _ = linux
    _dts(d / "linux-demo.dtb")
    t = dtree.load((d / "linux-demo.dtb").read_bytes())
    host = t.node("/pcie@4010000000")
    assert host is not None
    assert host.compatible == ["pci-host-ecam-generic"] and host.string("device_type") == "pci"
    assert host.u32s("reg") == [0x40, 0x10000000, 0, 0x100000]  # ECAM of bus 0 only
    assert host.u32s("bus-range") == [0, 0]
    assert [host.u32(p) for p in ("#address-cells", "#size-cells", "#interrupt-cells")] == [3, 2, 1]
    assert host.u32("linux,pci-domain") == 0
    # I/O ports 0..0x1fff (the BAR's page and below) at the CPU's PCI I/O window; the page of the
    # link end's BAR0 (32-bit memory, identity)
    assert host.u32s("ranges") == [0x01000000, 0, 0, 0, 0x3EFF0000, 0, 0x2000,
                                   0x02000000, 0, 0x3EFEE000, 0, 0x3EFEE000, 0, 0x1000]
    gic = t.root.u32("interrupt-parent")
    assert host.u32s("interrupt-map-mask") == [0xF800, 0, 0, 7]  # with a link end: the whole slot
    assert host.u32s("interrupt-map") == [0x8800, 0, 0, 1, gic, 0, 0, 0, 9, 4,  # the end 00:11.0: SPI 9
                                          0x1000, 0, 0, 1, gic, 0, 0, 0, 5, 4]  # INTA -> SPI 5, level
    assert not any(host.has(p) for p in ("msi-map", "msi-parent", "dma-coherent"))
    fn = t.node("/pcie@4010000000/serial@2,0")
    assert fn is not None and fn.compatible == ["pci1b36,2"] and fn.u32s("reg") == [0x1000, 0, 0, 0, 0]
    assert not fn.has("hv,no-dma")
    end = t.node("/pcie@4010000000/ivshmem@11,0")
    assert end is not None and end.compatible == ["pci110a,4106"] and end.u32s("reg") == [0x8800, 0, 0, 0, 0]
    assert [c.name for c in host.children] == ["serial@2,0", "ivshmem@11,0"]  # only the cell's functions


def test_guest_dt_chosen_and_psci(linux) -> None:
    d, _, _ = linux
    t = dtree.load((d / "linux-demo.dtb").read_bytes())
    chosen = t.node("/chosen")
    assert chosen.string("stdout-path") == "/pcie@4010000000/serial@2,0"
    assert chosen.u32("linux,pci-probe-only") == 1
    assert chosen.string("bootargs") == "console=ttyS0 cma=0"
    psci = t.node("/psci")
    assert psci.compatible == ["arm,psci-1.0", "arm,psci-0.2"] and psci.string("method") == "smc"
    assert [n.u64("reg") for n in t.node("/cpus").children] == [1, 2]
    mem = [n for n in t.root.children if n.string("device_type") == "memory"]
    assert [n.u64s("reg") for n in mem] == [[0, 0x8000000]]
    assert t.node("/pl011@9000000") is None  # the root's UART is not the cell's


def test_guest_dt_without_pci_has_no_host(tmp_path: Path, cli) -> None:
    rc, _, err = cli("guest-dt", SYSTEM, "dts/qemu-arm64/smp-demo.dtso", "-o", str(tmp_path / "s.dtb"))
    assert rc == 0, err
    t = dtree.load((tmp_path / "s.dtb").read_bytes())
    assert not any("pci" in n.name for n in t.root.walk())
    assert not t.node("/chosen").has("linux,pci-probe-only")


def test_guest_dt_keeps_every_cells_property(tmp_path: Path, cli) -> None:
    """A kept GPIO controller keeps #gpio-cells (and gpio-controller): a guest references it."""
    cell = tmp_path / "gpio.dtso"
    cell.write_text((REPO / "dts/qemu-arm64/smp-demo.dtso").read_text().replace("devices = <&rtc>;",
                                                                                 "devices = <&rtc &gpio0>;"))
    rc, _, err = cli("guest-dt", SYSTEM, str(cell), "-o", str(tmp_path / "g.dtb"))
    assert rc == 0, err
    _dts(tmp_path / "g.dtb")
    gpio = dtree.load((tmp_path / "g.dtb").read_bytes()).node("/pl061@9030000")
    assert gpio is not None and gpio.u32("#gpio-cells") == 2 and gpio.has("gpio-controller")
    assert gpio.u32s("interrupts") == [0, 7, 4]


# ---------------------------------------------------------------- two cells

HELPER = "tests/configgen/corpus/good/helpers/pci-functions.dts"


def _cell(tmp_path: Path, name: str, cpu: str, ram: int, devices: str) -> str:
    path = tmp_path / f"{name}.dtso"
    path.write_text(f"""/dts-v1/;
/plugin/;
&hypervisor {{
	{name} {{
		compatible = "hv,cell";
		cell-name = "{name}";
		cpus = <&{cpu}>;
		passive-comm-region;
		devices = <{devices}>;
		ram {{
			physical-address = /bits/ 64 <{ram:#x}>;
			guest-address = /bits/ 64 <0>;
			size = /bits/ 64 <0x100000>;
			access = "rwx";
			loadable;
		}};
	}};
}};
""")
    return str(path)


def test_a_function_has_one_non_root_owner(tmp_path: Path, cli) -> None:
    a = _cell(tmp_path, "a", "cpu2", 0x7E000000, "&pci_serial")
    b = _cell(tmp_path, "b", "cpu3", 0x7E100000, "&pci_serial")
    rc, _, err = cli("check", SYSTEM, a, b)
    assert rc == 1 and "error: [dev-conflict]" in err and "serial@2,0 is given to cell 'b' and to cell 'a'" in err
    assert "Traceback" not in err


def test_functions_sharing_an_intx_spi_in_two_cells(tmp_path: Path, cli) -> None:
    """00:02.0 and 00:06.0 share SPI 5 (and a BAR page): apart, each cell would take the other's."""
    a = _cell(tmp_path, "a", "cpu2", 0x7E000000, "&pci_serial")
    b = _cell(tmp_path, "b", "cpu3", 0x7E100000, "&serial6")
    rc, _, err = cli("check", HELPER, a, b)
    assert rc == 1 and "error: [irq-conflict]" in err and "error: [pci-bar-page]" in err
    rc, _, err = cli("check", HELPER, _cell(tmp_path, "c", "cpu2", 0x7E000000, "&pci_serial &serial6"))
    assert rc == 0, err


def test_root_dtb_keeps_a_cells_function_enabled(tmp_path: Path, cli) -> None:
    """The driver hands a function over at create and back at destroy (release, rescan): root
    Linux must be able to drive it whenever no cell holds it, so the root DTB leaves it on."""
    rc, _, err = cli("compile", SYSTEM, "-o", str(tmp_path / "s.cell"), "--root-dtb", str(tmp_path / "root.dtb"),
                     "--cells", LINUX, "dts/qemu-arm64/gic-demo.dtso")
    assert rc == 0, err
    t = dtree.load((tmp_path / "root.dtb").read_bytes())
    fn = t.node("/pcie@10000000/serial@2,0")
    assert fn is not None and fn.string("status") in (None, "okay")
    assert t.node("/reserved-memory/cell-pool@68000000").has("no-map")


def test_guest_dt_of_the_raw_form_has_the_same_host(linux, tmp_path: Path, cli) -> None:
    """pci-devices (decompile's form) names the function by BDF: the same PCI host as devices = <&...>
    (both without the link linux-demo has an end of)."""
    raw = "tests/configgen/corpus/good/pci-bar-unmapped--raw.dtso"
    rc, _, err = cli("guest-dt", SYSTEM, raw, "-o", str(tmp_path / "raw.dtb"))
    assert rc == 0, err
    nolinks = tmp_path / "nolinks.dts"
    nolinks.write_text(f'#include "{REPO / SYSTEM}"\n/delete-node/ &{{/hypervisor@7f800000/links}};\n')
    rc, _, err = cli("guest-dt", str(nolinks), LINUX, "-o", str(tmp_path / "linux.dtb"))
    assert rc == 0, err

    def host(dtb: Path) -> str:
        text = _dts(dtb)
        return text[text.index("pcie@4010000000 {"):].split("\n\t};")[0]

    assert host(tmp_path / "raw.dtb") == host(tmp_path / "linux.dtb")


def test_map_names_a_cells_functions(cli) -> None:
    rc, out, err = cli("map", SYSTEM, LINUX)
    assert rc == 0, err
    lines = out.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("linux-demo "))
    assert lines[i].split()[1:] == ["1,", "2", "5,9"] and lines[i + 1].strip() == "PCI 0000:00:02.0"
    assert lines[i + 2].strip() == "link net: peer 1, PCI 00:11.0, INTID 41, BAR0 0x3efee000"


def test_bar_values_of_each_kind() -> None:
    """I/O: port | 1; 32-bit memory: address (| 8 prefetchable); 64-bit: low | 4 (| 8), high next."""
    from configgen import pci
    bars = [pci.Bar(0, pci.SPACE_IO, False, 0x1000, 8), pci.Bar(1, pci.SPACE_MEM32, False, 0x10001000, 0x1000),
            pci.Bar(2, pci.SPACE_MEM64, True, 0x80_4000_0000, 0x100000)]
    assert pci.bar_values(bars) == [0x1001, 0x10001000, 0x4000000C, 0x80, 0, 0]


def test_64bit_prefetchable_bar_through_the_high_window(tmp_path: Path, cli) -> None:
    system = tmp_path / "s.dts"
    system.write_text(f'#include "{REPO / SYSTEM}"\n&pcie {{ mem: mem@3,0 {{ compatible = "pci1234,5678"; '
                      'reg = <0x1800 0 0 0 0>; interrupts = <1>; hv,no-dma; '
                      'assigned-addresses = <0xc3001810 0x80 0x0 0x0 0x200000>; }; };\n')
    cell = tmp_path / "c.dtso"
    cell.write_text((REPO / LINUX).read_text().replace("devices = <&pci_serial>;", "devices = <&mem>;")
                    .replace("console = <&pci_serial>;", ""))
    rc, _, err = cli("compile", str(system), str(cell), "-o", str(tmp_path / "c.cell"))
    assert rc == 0, err
    c = blob.parse((tmp_path / "c.cell").read_bytes()).cell
    assert [d["bar"] for d in c.pci_devices] == [[0xC, 0x80, 0, 0, 0, 0]]
    assert any((r["phys_start"], r["guest_start"], r["size"]) == (0x80_0000_0000, 0x80_0000_0000, 0x200000)
               for r in c.regions)
    assert c.intids == [38, 41]  # slot 3 INTA: SPI 6; SPI 9: the end of link net
    rc, _, err = cli("guest-dt", str(system), str(cell), "-o", str(tmp_path / "c.dtb"))
    assert rc == 0, err
    host = dtree.load((tmp_path / "c.dtb").read_bytes()).node("/pcie@4010000000")
    assert host.u32s("ranges") == [0x02000000, 0, 0x3EFEE000, 0, 0x3EFEE000, 0, 0x1000,  # the end's BAR0
                                   0x43000000, 0x80, 0, 0x80, 0, 0, 0x200000]
