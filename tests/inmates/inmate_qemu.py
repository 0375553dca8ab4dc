"""Helpers (not a conftest.py: tests/configgen imports its conftest by module name) to boot
inmates bare-metal in QEMU (TCG, EL1, no hypervisor) and collect their console output.

One QEMU at a time: the machine is shared with other QEMU jobs, so each run waits for the
output it needs and is killed right after, or at its timeout.
"""
from __future__ import annotations

import re
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOP / "tests"))
import qemu_machine  # noqa: E402
BUILD = TOP / "build" / "inmates"
BAREMETAL_BASE = qemu_machine.BAREMETAL_BASE
CMDLINE_OFFSET = qemu_machine.CMDLINE_OFFSET


@dataclass(frozen=True)
class Target:
    """Where an architecture's inmates are built and the QEMU that runs them without EL2/HYP."""
    arch: str
    build: Path
    qemu: str
    machine: str
    cpu: str


ARM64 = Target("arm64", BUILD, qemu_machine.QEMU, qemu_machine.VIRT_EL1, qemu_machine.CPU)
# ARMv7 (inmates/lib/arm): GICv2, booted in SVC mode; PSCI through QEMU's hvc as on arm64.
ARM = Target("arm", TOP / "build" / "arm" / "inmates", "qemu-system-arm", "virt,gic-version=2",
             "cortex-a15")


def header_defines(*names: str) -> dict[str, int]:
    """Integer #defines from hv/include, so the tests follow the one ABI definition."""
    values: dict[str, int] = {}
    for name in names:
        text = (TOP / "hv" / "include" / name).read_text()
        for m in re.finditer(r"^#define\s+(\w+)\s+\(?(0x[0-9a-fA-F]+|\d+)u?\b", text, re.M):
            values[m.group(1)] = int(m.group(2), 0)
    return values


@dataclass
class Run:
    log: str
    returncode: int | None  # None: still running when killed
    monitor: dict[str, str]

    def lines(self, pattern: str) -> list[re.Match]:
        return [m for m in (re.search(pattern, line) for line in self.log.splitlines()) if m]


def build_inmates(target: Target) -> Path:
    res = subprocess.run(["make", "-C", str(TOP), f"ARCH={target.arch}", "inmates"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    return target.build


@pytest.fixture(scope="session")
def inmates_built() -> Path:
    return build_inmates(ARM64)


@pytest.fixture(scope="session")
def inmates_built_arm() -> Path:
    return build_inmates(ARM)


def hmp(sock_path: Path, command: str) -> str:
    """One human-monitor command over QEMU's unix-socket monitor; returns its output."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(str(sock_path))
        data = b""
        while not data.endswith(b"(qemu) "):
            data += s.recv(4096)
        s.sendall(command.encode() + b"\n")
        data = b""
        while not data.endswith(b"(qemu) "):
            data += s.recv(4096)
    text = data.decode(errors="replace").replace("\r", "")
    # The monitor echoes the command first (with terminal escapes); keep what follows it.
    return text.rsplit(command, 1)[-1].rsplit("(qemu)", 1)[0].strip()


def gdb_write(sock_path: Path, writes: list[tuple[int, bytes]]) -> None:
    """Write guest memory through QEMU's gdbstub (the remote serial protocol, enough of it to
    write and detach): attaching stops the guest, detaching lets it run on."""
    buf = bytearray()

    def reply(s: socket.socket) -> str:
        """The next packet that is not a stop notification (the stub sends one on attach)."""
        while True:
            m = re.search(rb"\$([^#]*)#..", buf)
            if m:
                body = bytes(m.group(1))  # before the buffer changes under the match
                del buf[:m.end()]
                s.sendall(b"+")
                if not body.startswith((b"T", b"S")):
                    return body.decode()
                continue
            buf.extend(s.recv(4096))

    def packet(s: socket.socket, body: str) -> str:
        s.sendall(f"${body}#{sum(body.encode()) % 256:02x}".encode())
        return reply(s)

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(str(sock_path))
        for addr, data in writes:
            answer = packet(s, f"M{addr:x},{len(data):x}:{data.hex()}")
            assert answer == "OK", answer
        packet(s, "D")


def boot(tmp_path: Path, demo: str | Path, cmdline: str = "", *, smp: int = 1,
         until: str | None = None, count: int = 1, timeout: float = 10.0,
         extra: list[str] | None = None, blobs: dict[int, bytes] | None = None,
         monitor: dict[str, str] | None = None,
         then: tuple[list[tuple[int, bytes]], str] | None = None,
         target: Target = ARM64) -> Run:
    """Boot TARGET's baremetal/DEMO.elf (or the ELF at the path DEMO); stop once `until`
    matched `count` lines of the console, when QEMU exits on its own (PSCI SYSTEM_OFF), or at
    the timeout. `blobs` are
    loaded at physical addresses before start; `then` = (writes, until2): once `until` is
    seen, write guest memory through the gdbstub and wait for `until2` instead; `monitor` maps
    names to HMP commands run just before QEMU is killed; `target` the architecture."""
    elf = demo if isinstance(demo, Path) else target.build / "baremetal" / f"{demo}.elf"
    log = tmp_path / f"{elf.stem}.log"
    sock = tmp_path / "mon.sock"
    gdb_sock = tmp_path / "gdb.sock"
    machine = qemu_machine.Boot(kernel=elf, serial=log, machine=target.machine, smp=smp,
                                qemu=target.qemu, cpu=target.cpu,
                                monitor=sock if monitor else None,
                                gdb=gdb_sock if then else None, extra=list(extra or []))
    all_blobs = dict(blobs or {})
    if cmdline:
        all_blobs[BAREMETAL_BASE + CMDLINE_OFFSET] = cmdline.encode() + b"\0"
    for i, (addr, data) in enumerate(sorted(all_blobs.items())):
        path = tmp_path / f"blob{i}.bin"
        path.write_bytes(data)
        machine.blobs.append((addr, path))
    args = qemu_machine.command(machine)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    text = ""
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            text = log.read_text(errors="replace") if log.exists() else ""
            if until and len(re.findall(until, text, re.M)) >= count:
                if not then:
                    break
                gdb_write(gdb_sock, then[0])
                until, count, then = then[1], 1, None
            time.sleep(0.05)
        answers = {}
        if monitor and proc.poll() is None:
            answers = {name: hmp(sock, cmd) for name, cmd in monitor.items()}
    finally:
        if proc.poll() is None:
            proc.kill()
        out = proc.communicate(timeout=10)[0].decode(errors="replace")
    text = log.read_text(errors="replace") if log.exists() else ""
    if proc.returncode not in (0, -9, None):
        raise AssertionError(f"QEMU failed ({proc.returncode}): {out}")
    return Run(log=text, returncode=proc.returncode if proc.returncode != -9 else None,
               monitor=answers)


def comm_region_blob(signature: bytes = b"JHCOMM", revision: int | None = None,
                     msg: int = 0, flags: int = 0, console_type: int = 0,
                     console_addr: int = 0, gic_version: int = 3) -> bytes:
    """A comm region page as the hypervisor would fill it (layout: comm_region.h); the arm
    part of QEMU virt's GICv3 (gicd, gicr) or, gic_version=2, GICv2 (gicd, gicc)."""
    d = header_defines("comm_region.h")
    rev = d["HV_COMM_REVISION"] if revision is None else revision
    head = struct.pack("<6sHIIII", signature, rev, d["HV_CELL_RUNNING"], msg, 0, flags)
    console = struct.pack("<QIHHIIQ", console_addr, 0x1000 if console_addr else 0,
                          console_type, 0, 0, 0, 0)
    gicc, gicr = (0x08010000, 0) if gic_version == 2 else (0, 0x080a0000)
    arm = struct.pack("<Q B7x QQQ II", 0, gic_version, 0x08000000, gicc, gicr, 0, 0)
    page = head + console + arm
    assert len(head) == 24 and len(head + console) == 56 and len(page) == 104
    return page.ljust(0x1000, b"\0")


def read_u32s(hmp_output: str) -> list[int]:
    """Words from an HMP `xp /Nwx ADDR` dump."""
    words = []
    for line in hmp_output.splitlines():
        if ":" in line:
            words += [int(w, 16) for w in line.split(":", 1)[1].split()]
    return words
