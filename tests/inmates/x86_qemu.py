"""Helpers to boot the x86 inmates bare-metal in QEMU (q35, TCG, no hypervisor) through QEMU's
multiboot loader (`-kernel <demo>.elf`, command line through `-append`) and collect what they
print on COM1 and COM2.

The image's multiboot entry drops back to real mode at the image base, so each boot also runs
the real-mode entry a cell's first CPU takes. One QEMU at a time: each run waits for the output
it needs and is killed right after, or at its timeout.
"""
from __future__ import annotations

import re
import struct
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from inmate_qemu import TOP, header_defines, hmp

BUILD = TOP / "build" / "x86" / "inmates"
QEMU = "qemu-system-x86_64"
CPU = "qemu64,+svm,+npt"
BAREMETAL_BASE = 0x10000    # inmates/lib/x86/lib.mk
COMM_ADDR = 0x100000        # where the x86 cells' comm region lives (and the tests plant one)


@dataclass
class Run:
    com1: str
    com2: str
    returncode: int | None  # None: still running when killed
    monitor: dict[str, str] = field(default_factory=dict)

    def lines(self, pattern: str, port: int = 1) -> list[re.Match]:
        text = self.com1 if port == 1 else self.com2
        return [m for m in (re.search(pattern, line) for line in text.splitlines()) if m]


def make_x86_inmates(out: Path = BUILD, *extra: str) -> None:
    configs = TOP / "build" / "x86" / "configs" / "qemu-x86"
    res = subprocess.run(["make", "-C", str(TOP / "inmates"), f"O={out}", "ARCH=x86",
                          "CROSS_COMPILE=", f"CONFIG_INCLUDE={TOP / 'build' / 'x86' / 'include'}",
                          f"CONFIGS={configs}", *extra],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]


@pytest.fixture(scope="session")
def x86_inmates_built() -> Path:
    make_x86_inmates()
    return BUILD


def read(path: Path) -> str:
    return path.read_text(errors="replace").replace("\r", "") if path.exists() else ""


def boot(tmp_path: Path, elf: Path, cmdline: str = "", *, smp: int = 1, until: str | None = None,
         count: int = 1, timeout: float = 10.0, extra: list[str] | None = None,
         blobs: dict[int, bytes] | None = None, monitor: dict[str, str] | None = None) -> Run:
    """Boot ELF; stop once `until` matched `count` lines of COM1 + COM2, when QEMU exits on its
    own (the inmate powered it off), or at the timeout. `blobs` are put at guest-physical
    addresses at reset (the multiboot image is copied later, so never inside the image);
    `monitor` maps names to HMP commands run just before QEMU is killed."""
    com1, com2, sock = tmp_path / "com1.log", tmp_path / "com2.log", tmp_path / "mon.sock"
    icount = "-icount" in (extra or [])
    cmd = [QEMU, "-nodefaults", "-accel", "tcg" if icount else "tcg,thread=multi", "-M", "q35",
           "-cpu", CPU,
           "-smp", str(smp), "-m", "1G", "-display", "none", "-no-reboot",
           "-serial", f"file:{com1}", "-serial", f"file:{com2}",
           "-kernel", str(elf), "-append", cmdline]
    if monitor:
        cmd += ["-monitor", f"unix:{sock},server=on,wait=off"]
    for i, (addr, data) in enumerate(sorted((blobs or {}).items())):
        path = tmp_path / f"blob{i}.bin"
        path.write_bytes(data)
        cmd += ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]
    cmd += extra or []
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    answers: dict[str, str] = {}
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if until and len(re.findall(until, read(com1) + read(com2), re.M)) >= count:
                break
            time.sleep(0.05)
        if monitor and proc.poll() is None:
            answers = {name: hmp(sock, c) for name, c in monitor.items()}
    finally:
        if proc.poll() is None:
            proc.kill()
        out = proc.communicate(timeout=10)[0].decode(errors="replace")
    if proc.returncode not in (0, -9, None):
        raise AssertionError(f"QEMU failed ({proc.returncode}): {out}")
    return Run(com1=read(com1), com2=read(com2),
               returncode=proc.returncode if proc.returncode != -9 else None, monitor=answers)


def baremetal(name: str) -> Path:
    return BUILD / "baremetal" / f"{name}.elf"


def comm_region_blob(*, revision: int | None = None, msg: int = 0, flags: int = 0,
                     console_type: int = 0, console_addr: int = 0, console_flags: int = 0,
                     pm_timer: int = 0x608, num_cpus: int = 1, tsc_khz: int = 0,
                     apic_khz: int = 0) -> bytes:
    """An x86 comm region page as the hypervisor would fill it (comm_region.h and
    comm_region_x86.h)."""
    d = header_defines("comm_region.h")
    rev = d["HV_COMM_REVISION"] if revision is None else revision
    head = struct.pack("<6sHIIII", b"JHCOMM", rev, d["HV_CELL_RUNNING"], msg, 0, flags)
    console = struct.pack("<QIHHIIQ", console_addr, 8 if console_addr else 0, console_type,
                          console_flags, 0, 0, 0)
    x86 = struct.pack("<HHIQQ16x", pm_timer, 0, num_cpus, tsc_khz, apic_khz)
    page = head + console + struct.pack("<Q", 0) + x86
    assert len(page) == 64 + 40
    return page.ljust(0x1000, b"\0")
