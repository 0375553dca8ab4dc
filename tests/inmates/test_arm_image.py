"""The ARMv7 cell images (inmates/lib/arm) as `jailhouse cell load` and the hypervisor see them:
an ARM-state branch at offset 0 (the cell's reset address), the command-line page empty, the
image within the cell's RAM with one stack per CPU of its cell (configgen's .mk), linked at the
cell's guest address 0 with the comm region at 0x80000000; and a library that keeps its hands
off the FP/SIMD registers (built with -mgeneral-regs-only, no VFP state to trap or switch)."""
from __future__ import annotations

import re
import struct
import subprocess

import pytest

from inmate_qemu import ARM, inmates_built_arm

pytestmark = pytest.mark.usefixtures("inmates_built_arm")
__all__ = ["inmates_built_arm"]  # the fixture, imported for pytest to find

PAGE = 0x1000
CELLS = ARM.build.parent / "configs" / "qemu-arm"
PROGRAMS = {"gic-demo": "gic-demo", "smp-demo": "smp-demo",
            "jh-compat-demo": "smp-demo", "attack": "gic-demo", "bystander": "smp-demo"}


def tool(name: str, *args: str) -> str:
    return subprocess.run([f"arm-linux-gnueabihf-{name}", *args], capture_output=True,
                          text=True, check=True).stdout


def symbols(elf) -> dict[str, int]:
    return {f[2]: int(f[0], 16) for f in (line.split() for line in tool("nm", str(elf))
                                          .splitlines()) if len(f) == 3}


def cell_vars(cell: str) -> dict[str, int]:
    text = (CELLS / f"{cell}.mk").read_text()
    return {m.group(1): int(m.group(2), 0)
            for m in re.finditer(rf"^{cell}_(\w+) := (0x[0-9a-f]+|\d+)$", text, re.M)}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_cell_image_layout(name):
    cell = cell_vars(PROGRAMS[name])
    image = (ARM.build / f"{name}.bin").read_bytes()
    (insn,) = struct.unpack_from("<I", image, 0)
    assert insn & 0x0f000000 == 0x0a000000 and insn >> 28 == 0xe, "offset 0: an ARM b"
    assert image[8:16] == b"INMATE32"
    assert image[0x1000:0x2000] == bytes(PAGE), "the command-line page must be empty"
    syms = symbols(ARM.build / f"{name}.elf")
    assert syms["_start"] == cell["INMATE_BASE"] == 0 and syms["__cmdline_start"] == PAGE
    assert syms["vectors"] % 32 == 0
    assert syms["__image_end"] <= cell["INMATE_SIZE"]
    assert syms["__stack_cpus"] == cell["CPUS"]
    # one stack per CPU of the cell and the spare one for a CPU with a bad context id
    assert syms["__image_end"] - syms["stacks"] >= (cell["CPUS"] + 1) * PAGE
    params = (ARM.build / "params" / f"{name}.cell").read_text()
    assert f"-DINMATE_COMM_REGION={cell['COMM_REGION']:#x}" in params
    assert cell["COMM_REGION"] == 0x80000000


def test_library_uses_no_fp_registers():
    text = tool("objdump", "-d", str(ARM.build / "libinmate.a"))
    fp = [line for line in text.splitlines()
          if re.search(r"\t(v[a-z]{2,}|fldm|fstm)[.a-z0-9]*\s", line)]
    assert not fp, fp[:5]
    flags = tool("readelf", "-h", str(ARM.build / "gic-demo.elf"))
    assert "Version5 EABI, hard-float ABI" in flags and "ARM" in flags
