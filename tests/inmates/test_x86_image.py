"""The x86 cell images as `jailhouse cell load` sees them (real-mode entry at offset 0 = the cell's
cpu_reset_address, command-line page empty, SIPI trampoline at +0x2000, everything below the
comm region at 1 MiB), and the cell images themselves started the way a cell starts them: in
real mode at guest-physical 0, with a comm region at 0x100000 (QEMU's multiboot loader puts the
image at 0 and the image's multiboot entry drops to real mode at its base)."""
from __future__ import annotations

import struct
import subprocess

import pytest

from inmate_qemu import header_defines
from x86_qemu import BAREMETAL_BASE, BUILD, COMM_ADDR, boot, comm_region_blob, x86_inmates_built

pytestmark = pytest.mark.usefixtures("x86_inmates_built")
__all__ = ["x86_inmates_built"]

PROGRAMS = ["uart-demo", "apic-demo", "smp-demo", "deny-shutdown", "fault-demo", "lib-selftest",
            "reset-check", "attack", "bystander"]
ABI = header_defines("comm_region.h")
MULTIBOOT_MAGIC = 0x1badb002


def symbols(elf) -> dict[str, int]:
    out = subprocess.run(["nm", str(elf)], capture_output=True, text=True, check=True).stdout
    return {f[2]: int(f[0], 16) for f in (line.split() for line in out.splitlines())
            if len(f) == 3}


@pytest.mark.parametrize("name", PROGRAMS)
def test_cell_image_layout(name):
    image = (BUILD / f"{name}.bin").read_bytes()
    syms = symbols(BUILD / f"{name}.elf")
    base = syms["_start"]   # 0 unless configgen's .mk says otherwise
    assert base % 0x1000 == 0
    # cli; ljmp $base >> 4, $entry16: CS = base >> 4 whatever CS:IP the reset address gave
    assert image[0] == 0xfa and image[1] == 0xea, "offset 0 must be the real-mode entry"
    assert struct.unpack_from("<H", image, 4) == (base >> 4,), "far jump to segment base >> 4"
    magic = image.find(struct.pack("<I", MULTIBOOT_MAGIC))
    assert 0 < magic < 0x100 and magic % 4 == 0, "the multiboot header sits in .boot"
    assert image[0x1000:0x2000] == bytes(0x1000), "the command-line page must be empty"
    assert syms["__cmdline_start"] == base + 0x1000
    assert syms["ap_trampoline"] == base + 0x2000, "SIPI vector (base + 0x2000) >> 12"
    assert image[0x2000] == 0xfa and image[0x2001] == 0xea
    assert syms["isr_stubs"] % 32 == 0
    assert syms["__image_end"] <= 0x100000, f"{name} ends at {syms['__image_end']:#x}"
    assert len(image) <= syms["__image_end"] - base
    bm = symbols(BUILD / "baremetal" / f"{name}.elf")
    assert bm["_start"] == BAREMETAL_BASE and bm["ap_trampoline"] == BAREMETAL_BASE + 0x2000


def test_cell_image_starts_at_zero_with_comm_region(tmp_path):
    blob = comm_region_blob(console_type=ABI["HV_CON_TYPE_8250"], console_addr=0x3f8)
    run = boot(tmp_path, BUILD / "uart-demo.elf", blobs={COMM_ADDR: blob},
               until=r"uart-demo: hello 3", timeout=10)
    base = symbols(BUILD / "uart-demo.elf")["_start"]
    assert f"inmate: cell image at {base:#x}" in run.com1, run.com1
    assert f"console 8250, comm region {COMM_ADDR:#x}" in run.com1
    assert len(run.lines(r"uart-demo: hello \d+")) >= 3


def test_cell_uart_demo_uses_its_com2(tmp_path):
    """uart-demo's cell owns COM2: without a console in the comm region it prints there."""
    run = boot(tmp_path, BUILD / "uart-demo.elf", blobs={COMM_ADDR: comm_region_blob()},
               until=r"uart-demo: hello 2", timeout=10)
    assert run.com1 == "", run.com1
    assert "uart-demo: printing on 8250" in run.com2, run.com2


def test_cell_smp_demo_starts_its_second_cpu(tmp_path):
    blob = comm_region_blob(console_type=ABI["HV_CON_TYPE_8250"], console_addr=0x3f8,
                            num_cpus=2)
    run = boot(tmp_path, BUILD / "smp-demo.elf", smp=2, blobs={COMM_ADDR: blob},
               until=r"cpu1 \(apic id 1\) count=5", timeout=15)
    assert "smp-demo: 2 CPUs online" in run.com1, run.com1
    assert "smp-demo: cpu1 up, apic id 1" in run.com1
