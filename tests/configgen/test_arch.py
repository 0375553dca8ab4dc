"""configgen/arch: the profile registry, the arm64 profile's interrupt specifiers (decoded through the
interrupt parent's binding, as Zephyr's edtlib does), CPU ids by /cpus #address-cells, and the
revision-2 interrupt resources it writes."""
from __future__ import annotations

from pathlib import Path

import pytest

from configgen import abi, arch, blob
from configgen.dtsource import compile_file
from configgen.model import Platform, Range
from configgen.tree import Tree, load

ARM64 = arch.by_name("arm64")

# A GICv3 with 4-cell specifiers (PPI partitions), as the boards below describe it.
GIC4_NODE = """	gic: interrupt-controller@8000000 {
		compatible = "arm,gic-v3";
		#interrupt-cells = <4>;
		interrupt-controller;
		reg = <0x0 0x8000000 0x0 0x10000>, <0x0 0x80a0000 0x0 0x40000>;
		interrupts = <1 9 4 0>;
		ppi-partitions {
			part0: interrupt-partition-0 { affinity = <&{/cpus/cpu@0}>; };
		};
	};"""

# A board with a GICv3 whose specifiers have 4 cells (the PPI-partitions form of the binding),
# a second controller, an interrupt-map nexus and devices naming their interrupts every way.
BOARD = """/dts-v1/;
/ {
	compatible = "vendor,board";
	#address-cells = <2>;
	#size-cells = <2>;
	interrupt-parent = <&gic>;

	cpus {
		#address-cells = <2>;
		#size-cells = <0>;
		cpu@0 { device_type = "cpu"; reg = <0x0 0x0>; };
		cpu@100000000 { device_type = "cpu"; reg = <0x1 0x0>; };
		cpu@1 { device_type = "cpu"; reg = <0x1>; };	/* one cell where /cpus has two */
	};

@GIC4@

	intc2: interrupt-controller@9100000 {
		compatible = "vendor,intc";
		reg = <0x0 0x9100000 0x0 0x1000>;
		interrupt-controller;
		#interrupt-cells = <2>;
		interrupts = <0 40 4 0>;
	};

	nexus: nexus@9200000 {
		reg = <0x0 0x9200000 0x0 0x1000>;
		#interrupt-cells = <1>;
		#address-cells = <0>;
		interrupt-map-mask = <0>;
		interrupt-map = <0 &gic 0 50 4 0>;
	};

	nocells: nocells@9300000 {
		reg = <0x0 0x9300000 0x0 0x1000>;
		interrupt-controller;
	};

	spi_dev: dev@9400000 { reg = <0x0 0x9400000 0x0 0x1000>; interrupts = <0 7 4 0>, <1 3 1 &part0>; };
	bus {
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;
		interrupt-parent = <&intc2>;
		inherited: dev@9500000 { reg = <0x0 0x9500000 0x0 0x1000>; interrupts = <3 4>; };
		ext: dev@9600000 {
			reg = <0x0 0x9600000 0x0 0x1000>;
			interrupts-extended = <&gic 0 11 4 0>, <&intc2 6 4>, <&gic 0 12 1 0>;
		};
		ext_gic: dev@9700000 { reg = <0x0 0x9700000 0x0 0x1000>; interrupts-extended = <&gic 0 13 4 0>; };
	};
	mapped: dev@9800000 { reg = <0x0 0x9800000 0x0 0x1000>; interrupt-parent = <&nexus>; interrupts = <0>; };
	bad_ref: dev@9900000 { reg = <0x0 0x9900000 0x0 0x1000>; interrupt-parent = <&nocells>; interrupts = <1>; };
	short: dev@9a00000 { reg = <0x0 0x9a00000 0x0 0x1000>; interrupts = <0 7 4>; };
	espi: dev@9b00000 { reg = <0x0 0x9b00000 0x0 0x1000>; interrupts = <2 7 4 0>; };
	big: dev@9c00000 { reg = <0x0 0x9c00000 0x0 0x1000>; interrupts = <0 988 4 0>; };
};
""".replace("@GIC4@", GIC4_NODE)


@pytest.fixture(scope="module")
def board(tmp_path_factory) -> tuple[Tree, object]:
    path = tmp_path_factory.mktemp("arch") / "board.dts"
    path.write_text(BOARD)
    comp = compile_file(str(path), [], False)
    return load(comp.dtb), comp


def _irqs(t: Tree, path: str) -> arch.DeviceIrqs:
    node = t.node(path)
    assert node is not None, path
    return ARM64.device_irqs(node, t)


def test_registry() -> None:
    from configgen.arch import arm, x86
    assert arch.names() == ["arm", "arm64", "x86"] and arch.by_id(abi.ARCH_ARM64) is ARM64
    assert arch.by_id(abi.ARCH_X86_64) is x86.PROFILE and arch.by_id(abi.ARCH_ARM32) is arm.PROFILE
    with pytest.raises(arch.UnknownArch):
        arch.by_id(99)
    with pytest.raises(arch.UnknownArch):
        arch.by_name("riscv64")
    assert arch.select(None, "arm64") is ARM64 and arch.select(None) is ARM64


def test_profile_limits_come_from_the_hypervisor_build() -> None:
    assert ARM64.ipa_limit == 1 << abi.ARM64_IPA_BITS == 1 << 40
    assert ARM64.el2_va_limit == abi.ARM64_EL2_WINDOW_VA
    assert (ARM64.hv_mem_align, ARM64.hv_mem_span) == (abi.ARM64_HV_MEM_ALIGN, abi.ARM64_HV_MEM_SPAN)
    assert ARM64.page_size == 4096 and ARM64.block_size == 2 << 20
    assert [t for t, _, _ in ARM64.console_types] == [abi.CONSOLE_PL011]
    assert (ARM64.first_spi, ARM64.max_spi) == (abi.GIC_FIRST_SPI, abi.GIC_MAX_SPI)


def test_four_cell_gic_specifiers(board) -> None:
    t, _ = board
    res = _irqs(t, "/dev@9400000")
    assert res.problem == ""
    assert [(i.kind, i.number, i.intid, i.flags) for i in res.irqs] == [("spi", 7, 39, 4), ("ppi", 3, 19, 1)]
    assert res.intids == [39, 19]


def test_maintenance_interrupt_of_a_four_cell_gic(board) -> None:
    t, comp = board
    hyp = t.node("/")  # any node: gic-lines absent is reported, the GIC is still read
    pr = ARM64.platform(t, comp, hyp, "board.dts")
    assert pr.platform.maintenance_irq == 25 and pr.platform.gicd == Range(0x8000000, 0x10000)


def test_interrupt_parent_is_inherited_from_the_bus(board) -> None:
    t, _ = board
    res = _irqs(t, "/bus/dev@9500000")
    assert res.irqs == [] and "another interrupt controller than the GIC" in res.problem
    assert "/interrupt-controller@9100000" in res.problem


def test_interrupts_extended_takes_each_controllers_cells(board) -> None:
    t, _ = board
    res = _irqs(t, "/bus/dev@9600000")
    assert [(i.intid, i.flags) for i in res.irqs] == [(43, 4), (44, 1)]  # the GIC's two, the intc's skipped
    assert "/interrupt-controller@9100000" in res.problem
    res = _irqs(t, "/bus/dev@9700000")  # interrupts-extended wins over the bus's interrupt-parent
    assert res.problem == "" and res.intids == [45]


@pytest.mark.parametrize("path,words", [
    ("/dev@9800000", "interrupt-map of /nexus@9200000"),
    ("/dev@9900000", "has no #interrupt-cells"),
    ("/dev@9a00000", "no whole number"),
    ("/dev@9b00000", "extended SPI"),
    ("/dev@9c00000", "beyond INTID 1019"),
])
def test_undecodable_interrupts_are_a_problem_not_a_crash(board, path: str, words: str) -> None:
    t, _ = board
    res = _irqs(t, path)
    assert res.irqs == [] and words in res.problem, res.problem


def test_cpu_ids_follow_address_cells(board) -> None:
    t, comp = board
    cpus, diags = ARM64.cpus(t, comp)
    assert [(c.hw_id, c.path) for c in cpus] == [(0, "/cpus/cpu@0"), (1 << 32, "/cpus/cpu@100000000")]
    assert [d.rule for d in diags] == ["cpu-mpidr"] and "/cpus/cpu@1" in diags[0].message


def test_irqchips_like_jailhouse_writes_them() -> None:
    p = Platform(gicd=Range(0x8000000, 0x10000))
    chips = ARM64.irqchips([16, 39, 40, 159, 160, 1019, 1020], p)  # a PPI and 1020 are never written
    assert [(c["address"], c["id"], c["pin_base"]) for c in chips] == [(0x8000000, 0, 32), (0x8000000, 0, 160),
                                                                       (0x8000000, 0, 928)]
    assert chips[0]["pin_bitmap"] == [1 << 7 | 1 << 8, 1 << 63]
    assert chips[1]["pin_bitmap"] == [1, 0] and chips[2]["pin_bitmap"] == [0, 1 << 27]
    assert ARM64.irqchips([], p) == []
    assert ARM64.irqchip_layout_ok(chips, {"gicd_base": 0x8000000}) == ""
    assert "not the GIC distributor" in ARM64.irqchip_layout_ok(chips, {"gicd_base": 0x9000000})
    assert "not in the form" in ARM64.irqchip_layout_ok(list(reversed(chips)), None)


def test_platform_section_round_trip() -> None:
    p = Platform(gicd=Range(0x8000000, 0x10000), gicr=Range(0x80a0000, 0xf60000), its=Range(0x8080000, 0x20000),
                 gic_lines=288)
    raw = ARM64.pack_platform(p)
    assert len(raw) == abi.ARCH_PLATFORM_SIZE and ARM64.platform_tail_zero(raw)
    back = ARM64.unpack_platform(raw)
    assert (back["gicd_base"], back["gicr_size"], back["its_base"], back["gic_lines"]) == \
        (0x8000000, 0xf60000, 0x8080000, 288)
    assert back["gic_version"] == abi.GIC_V3 and back["maintenance_irq"] == 25 and back["gicc_base"] == 0


def test_blob_of_another_arch_is_refused(tmp_path: Path) -> None:
    from conftest import CELLS, SYSTEM, run_cli
    out = tmp_path / "c.cfg"
    rc, _, err = run_cli("compile", SYSTEM, CELLS[1], "-o", str(out), "--cells", *CELLS)
    assert rc == 0, err
    data = bytearray(out.read_bytes())
    data[abi.HEADER.offset_of("arch")] = 99
    import struct
    import zlib
    struct.pack_into("<I", data, 12, 0)
    struct.pack_into("<I", data, 12, zlib.crc32(bytes(data)))
    with pytest.raises(blob.BlobError, match="unknown architecture 99"):
        blob.parse(bytes(data))


def test_interrupts_extended_device_goes_with_its_spi(tmp_path: Path) -> None:
    """End to end: the UART named with interrupts-extended gives the cell its SPI (blob and guest DT);
    the shared one behind the second controller gives nothing."""
    import subprocess
    from conftest import run_cli
    corpus = "tests/configgen/corpus/good"
    system, cell = f"{corpus}/helpers/irq-controllers.dts", f"{corpus}/irq-parent.dtso"
    rc, _, err = run_cli("compile", system, cell, "-o", str(tmp_path / "c.cfg"))
    assert rc == 0, err
    p = blob.parse((tmp_path / "c.cfg").read_bytes())
    assert p.cell.intids == [32 + 0x72]
    assert [(c["pin_base"], c["pin_bitmap"]) for c in p.cell.irqchips] == [(32, [0, 1 << (0x72 - 64)])]
    rc, _, err = run_cli("guest-dt", system, cell, "-o", str(tmp_path / "g.dtb"))
    assert rc == 0, err
    dts = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(tmp_path / "g.dtb")], capture_output=True,
                         text=True, check=True).stdout
    uart = dts.split("pl011@c006000 {")[1].split("};")[0]
    assert "interrupts = <0x00 0x72 0x04>;" in uart
    shared = dts.split("pl011@c003000 {")[1].split("};")[0]
    assert "interrupts" not in shared


def test_arm64_is_a_profile() -> None:
    assert isinstance(ARM64, arch.Profile)
    for name in arch.names():
        assert isinstance(arch.by_name(name), arch.Profile), name


# A whole system on a board whose GICv3 has 4-cell specifiers (PPI partitions): check, compile,
# the cell's SPI in its interrupt resources, decompile -> compile identical.
SYSTEM4 = """/dts-v1/;
/ {
	compatible = "vendor,board";
	#address-cells = <2>;
	#size-cells = <2>;
	interrupt-parent = <&gic>;

	memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x0 0x40000000>; };
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
		cpu0: cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a57"; reg = <0x0>; };
		cpu1: cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a57"; reg = <0x1>; };
	};
@GIC4@
	timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4 &part0>, <1 14 4 0>; };
	uart0: pl011@9000000 { compatible = "arm,pl011"; reg = <0x0 0x9000000 0x0 0x1000>; interrupts = <0 1 4 0>; };
	uart1: pl011@9001000 { compatible = "arm,pl011"; reg = <0x0 0x9001000 0x0 0x1000>; interrupts = <0 300 4 0>; };

	hypervisor: hypervisor@7f800000 {
		compatible = "hv,hypervisor";
		reg = <0x0 0x7f800000 0x0 0x800000>;
		debug-console = <&uart0>;
		gic-lines = <352>;
		root-cell {
			compatible = "hv,root-cell";
			cell-name = "root";
			cpus = <&cpu0 &cpu1>;
			all-devices;
			ram { physical-address = /bits/ 64 <0x40000000>; size = /bits/ 64 <0x3f000000>; access = "rwx"; };
			pool { physical-address = /bits/ 64 <0x7f000000>; size = /bits/ 64 <0x800000>; access = "rwx";
			       cell-pool; };
		};
	};
};
""".replace("@GIC4@", GIC4_NODE)

CELL4 = """/dts-v1/;
/plugin/;
&hypervisor {
	c {
		compatible = "hv,cell";
		cell-name = "c";
		cpus = <&cpu1>;
		devices = <&uart1>;
		passive-comm-region;
		ram { physical-address = /bits/ 64 <0x7f000000>; guest-address = /bits/ 64 <0>;
		      size = /bits/ 64 <0x100000>; access = "rwx"; loadable; };
	};
};
"""


def test_system_on_a_four_cell_gic(tmp_path: Path) -> None:
    from conftest import run_cli
    (tmp_path / "s.dts").write_text(SYSTEM4)
    (tmp_path / "c.dtso").write_text(CELL4)
    s, c = str(tmp_path / "s.dts"), str(tmp_path / "c.dtso")
    rc, out, err = run_cli("check", s, c)
    assert rc == 0 and err == "", err
    rc, _, err = run_cli("compile", s, "-o", str(tmp_path / "s.cfg"))
    assert rc == 0, err
    rc, _, err = run_cli("compile", s, c, "-o", str(tmp_path / "c.cfg"))
    assert rc == 0, err
    sysp, cellp = blob.parse((tmp_path / "s.cfg").read_bytes()), blob.parse((tmp_path / "c.cfg").read_bytes())
    assert sysp.platform["maintenance_irq"] == 25 and sysp.cpus == [0, 1]
    assert cellp.cell.intids == [332]  # SPI 300 of the 4-cell specifier
    assert [(e["pin_base"], e["pin_bitmap"]) for e in cellp.cell.irqchips] == [(288, [1 << (332 - 288), 0])]
    assert sysp.cell.intids == list(range(32, 352))  # the root's configuration keeps every SPI
    rc, _, err = run_cli("decompile", str(tmp_path / "c.cfg"), "-o", str(tmp_path / "d.dtso"))
    assert rc == 0, err
    rc, _, err = run_cli("compile", s, str(tmp_path / "d.dtso"), "-o", str(tmp_path / "again.cfg"))
    assert rc == 0, err
    assert (tmp_path / "again.cfg").read_bytes() == (tmp_path / "c.cfg").read_bytes()
    # the guest sees its UART's SPI as a 3-cell specifier of its own GIC
    import subprocess
    rc, _, err = run_cli("guest-dt", s, c, "-o", str(tmp_path / "g.dtb"))
    assert rc == 0, err
    dts = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", str(tmp_path / "g.dtb")], capture_output=True,
                         text=True, check=True).stdout
    assert "interrupts = <0x00 0x12c 0x04>;" in dts.split("pl011@9001000 {")[1].split("};")[0]
    assert "interrupts = <0x01 0x0d 0x04 0x01 0x0e 0x04>;" in dts.split("timer {")[1].split("};")[0]
