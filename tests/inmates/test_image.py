"""The cell images as `jailhouse cell load` sees them: entry at offset 0, the command-line
page empty, everything (BSS and stacks included) within the 1 MiB the sample cells give."""
from __future__ import annotations

import struct
import subprocess

import pytest

from inmate_qemu import BUILD, inmates_built

__all__ = ["inmates_built"]  # the fixture, imported for pytest to find

PROGRAMS = ["gic-demo", "uart-demo", "smp-demo", "deny-shutdown", "fault-demo", "lib-selftest"]
CELL_RAM = 1 << 20


def symbols(elf) -> dict[str, int]:
    out = subprocess.run(["aarch64-linux-gnu-nm", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    return {f[2]: int(f[0], 16) for f in (line.split() for line in out.splitlines())
            if len(f) == 3}


@pytest.mark.usefixtures("inmates_built")
@pytest.mark.parametrize("name", PROGRAMS)
def test_cell_image_layout(name):
    image = (BUILD / f"{name}.bin").read_bytes()
    (insn,) = struct.unpack_from("<I", image, 0)
    assert insn & 0xfc000000 == 0x14000000, "offset 0 must be a branch (the entry)"
    assert image[0x1000:0x2000] == bytes(0x1000), "the command-line page must be empty"
    syms = symbols(BUILD / f"{name}.elf")
    assert syms["_start"] == 0 and syms["__cmdline_start"] == 0x1000
    assert syms["vectors"] % 2048 == 0
    assert syms["__image_end"] <= CELL_RAM, f"{name} needs {syms['__image_end']:#x} bytes"
    assert len(image) <= syms["__image_end"]
    bm = symbols(BUILD / "baremetal" / f"{name}.elf")
    assert bm["_start"] == 0x40200000
