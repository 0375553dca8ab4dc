"""interrupt-delivery = "direct" | "trap": the cell mode HVCFG_CELL_IRQ_DIRECT. Direct is the
default of arm64 non-root cells; the root cell and x86 cells only ever "trap" (the rule
irq-delivery at the source, the refusal irq-direct in the blob check the hypervisor shares)."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from conftest import CELLS, SYSTEM
from configgen import abi, validator

CELLD = abi.CELL.offset_of("cell") + abi.CELL_DESC.offset_of("flags")
ROOTD = abi.SYSTEM.offset_of("root_cell") + abi.CELL_DESC.offset_of("flags")
X86_SYSTEM = "dts/qemu-x86/system.dts"
X86_UART = "dts/qemu-x86/uart-demo.dtso"

CELL = """/dts-v1/;
/plugin/;
#include <hv-dt.h>

&hypervisor {{
	mode-cell {{
		compatible = "hv,cell";
		cell-name = "mode-cell";
		cpus = <&{cpu}>;
		passive-comm-region;
		{prop}
		cpu-reset-address = ADDR64(0x0);

		ram {{
			physical-address = ADDR64({ram});
			guest-address = ADDR64(0x0);
			size = ADDR64(SZ_1M);
			access = "rwx";
			loadable;
		}};
	}};
}};
"""


def _source(tmp_path: Path, prop: str, x86: bool = False) -> str:
    path = tmp_path / f"cell-{abs(hash(prop))}-{x86}.dtso"
    path.write_text(CELL.format(cpu="cpu3" if x86 else "cpu2", ram="0x3c000000" if x86 else "0x7e000000",
                                prop=prop))
    return str(path)


def _flags(data: bytes, off: int = CELLD) -> int:
    return struct.unpack_from("<I", data, off)[0]


def _compile(cli, tmp_path: Path, system: str, cell: str, name: str = "out") -> bytes:
    out = tmp_path / f"{name}.cell"
    rc, _, err = cli("compile", system, cell, "-o", str(out))
    assert rc == 0, err
    return out.read_bytes()


@pytest.mark.parametrize("prop, direct", [("", True), ('interrupt-delivery = "direct";', True),
                                          ('interrupt-delivery = "trap";', False)])
def test_arm64_cells_direct_by_default(prop: str, direct: bool, tmp_path: Path, cli) -> None:
    data = _compile(cli, tmp_path, SYSTEM, _source(tmp_path, prop))
    assert bool(_flags(data) & abi.CELL_IRQ_DIRECT) == direct
    assert validator.check_cell(data, 8, 4) is None
    rc, out, err = cli("dump", str(tmp_path / "out.cell"))
    assert rc == 0, err
    assert ("interrupt-delivery=direct" in out) == direct


def test_the_sample_cells_are_direct(tmp_path: Path, cli) -> None:
    for cell in CELLS:
        data = _compile(cli, tmp_path, SYSTEM, cell)
        assert _flags(data) & abi.CELL_IRQ_DIRECT, cell
    rc, _, err = cli("compile", SYSTEM, "-o", str(tmp_path / "system.cell"))
    assert rc == 0, err
    assert not _flags((tmp_path / "system.cell").read_bytes(), ROOTD) & abi.CELL_IRQ_DIRECT


@pytest.mark.parametrize("mode", ["direct", "trap"])
def test_decompile_says_the_mode_and_compiles_back(mode: str, tmp_path: Path, cli) -> None:
    data = _compile(cli, tmp_path, SYSTEM, _source(tmp_path, f'interrupt-delivery = "{mode}";'))
    rc, _, err = cli("decompile", str(tmp_path / "out.cell"), "-o", str(tmp_path / "back.dtso"))
    assert rc == 0, err
    text = (tmp_path / "back.dtso").read_text()
    assert f'interrupt-delivery = "{mode}";' in text
    assert _compile(cli, tmp_path, SYSTEM, str(tmp_path / "back.dtso"), "again") == data


@pytest.mark.parametrize("value", ["fast", "Direct", "direct ", "trap,direct"])
def test_other_values_are_errors(value: str, tmp_path: Path, cli) -> None:
    rc, _, err = cli("check", SYSTEM, _source(tmp_path, f'interrupt-delivery = "{value}";'))
    assert rc == 1
    assert f'error: [irq-delivery] cell \'mode-cell\': interrupt-delivery "{value}" is neither' in err
    assert 'hint: interrupt-delivery = "direct";' in err and "Traceback" not in err


@pytest.mark.parametrize("prop, rule", [("interrupt-delivery;", "binding-type"),
                                        ('interrupt-delivery = <1>;', "binding-type"),
                                        ('interrupt-delivery = "";', "binding-type"),
                                        ('interrupt-delivery = "direct", "trap";', "binding-type")])
def test_not_a_string(prop: str, rule: str, tmp_path: Path, cli) -> None:
    rc, _, err = cli("check", SYSTEM, _source(tmp_path, prop))
    assert rc == 1 and f"[{rule}]" in err and "Traceback" not in err, err


def test_root_only_trap(tmp_path: Path, cli) -> None:
    src = Path(SYSTEM).resolve()
    for mode, ok in (("trap", True), ("direct", False), ("fast", False)):
        path = tmp_path / f"root-{mode}.dts"
        path.write_text(f'#include "{src}"\n\n&root_cell {{\n\tinterrupt-delivery = "{mode}";\n}};\n')
        rc, _, err = cli("compile", str(path), "-o", str(tmp_path / "root.cell"))
        if ok:
            assert rc == 0, err
            assert not _flags((tmp_path / "root.cell").read_bytes(), ROOTD) & abi.CELL_IRQ_DIRECT
            continue
        assert rc == 1
        assert f"{path}:4: error: [irq-delivery]" in err and "the root cell always runs in trap mode" in err
        assert 'write interrupt-delivery = "trap";' in err


def test_x86_only_trap(tmp_path: Path, cli) -> None:
    data = _compile(cli, tmp_path, X86_SYSTEM, X86_UART)
    assert not _flags(data) & abi.CELL_IRQ_DIRECT  # no default there
    data = _compile(cli, tmp_path, X86_SYSTEM, _source(tmp_path, 'interrupt-delivery = "trap";', x86=True))
    assert not _flags(data) & abi.CELL_IRQ_DIRECT
    rc, _, err = cli("decompile", str(tmp_path / "out.cell"), "-o", str(tmp_path / "back.dtso"))
    assert rc == 0, err
    assert "interrupt-delivery" not in (tmp_path / "back.dtso").read_text()
    rc, _, err = cli("check", X86_SYSTEM, _source(tmp_path, 'interrupt-delivery = "direct";', x86=True))
    assert rc == 1 and "[irq-delivery]" in err and "x86 has no such mode" in err
    assert "x86 cells get their interrupts directly already" in err


def _seal(d: bytearray) -> bytes:
    struct.pack_into("<I", d, 12, 0)
    struct.pack_into("<I", d, 12, zlib.crc32(bytes(d)) & 0xFFFFFFFF)
    return bytes(d)


def test_the_blob_check_refuses_the_flag_where_it_does_not_apply(tmp_path: Path, cli) -> None:
    data = bytearray(_compile(cli, tmp_path, X86_SYSTEM, X86_UART))
    struct.pack_into("<I", data, CELLD, _flags(data) | abi.CELL_IRQ_DIRECT)
    refusal = validator.check_cell(_seal(data), 8, 4)
    assert refusal is not None and refusal.name == "irq-direct", refusal
    assert "x86 cells get their interrupts directly anyway" in str(refusal)
    rc, _, err = cli("compile", SYSTEM, "-o", str(tmp_path / "system.cell"))
    assert rc == 0, err
    root = bytearray((tmp_path / "system.cell").read_bytes())
    struct.pack_into("<I", root, ROOTD, _flags(root, ROOTD) | abi.CELL_IRQ_DIRECT)
    refusal = validator.check_system(_seal(root), 8)
    assert refusal is not None and refusal.name == "irq-direct", refusal
    names = [validator.result_name(c) for c in validator.result_texts()]
    # result codes cross the hypercall interface: new ones are appended, irq-direct keeps its number
    assert names.index("irq-direct") == 30
