"""The one QEMU command line (tests/qemu_machine.py) adds no device of QEMU's own: no NIC (whose
option ROM a fresh Debian root lacks), nothing but what a caller names."""
from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from inmate_qemu import BUILD, hmp, inmates_built, qemu_machine

pytestmark = pytest.mark.usefixtures("inmates_built")
__all__ = ["inmates_built"]
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def monitor_answers(cmd: list[str], sock: Path, commands: list[str]) -> tuple[dict[str, str], str]:
    """Start QEMU paused (-S); ask the monitor; return the answers, or {} and QEMU's output if it
    would not start."""
    proc = subprocess.Popen(cmd + ["-S"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while not sock.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            answers = {c: ANSI.sub("", hmp(sock, c)) for c in commands}
        except OSError:     # QEMU refused to start after opening its monitor socket
            answers = {}
        if not answers or proc.poll() is not None:
            proc.wait(timeout=10)
            return {}, proc.communicate()[0].decode(errors="replace")
        return answers, ""
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def machine(tmp_path: Path, name: str) -> qemu_machine.Boot:
    return qemu_machine.Boot(kernel=BUILD / "baremetal" / "gic-demo.elf",
                             serial=tmp_path / f"{name}.log", machine=qemu_machine.VIRT_EL1,
                             smp=1, monitor=tmp_path / f"{name}.sock")


def test_no_default_devices(tmp_path: Path) -> None:
    boot = machine(tmp_path, "nodefaults")
    answers, out = monitor_answers(qemu_machine.command(boot), boot.monitor,
                                   ["info network", "info qtree", "info chardev"])
    assert answers, out
    assert answers["info network"].strip() == "", answers["info network"]
    assert "virtio-net" not in answers["info qtree"]
    assert "pl011" in answers["info qtree"]  # the console the caller asked for is there
    chardevs = answers["info chardev"]
    assert "serial0" in chardevs and "file" in chardevs, chardevs


def test_without_nodefaults_qemu_adds_a_nic(tmp_path: Path) -> None:
    """The contrast that makes the test above mean something: QEMU's defaults bring a virtio NIC
    (and, where ipxe-qemu is absent, refuse to start for want of its ROM)."""
    boot = machine(tmp_path, "defaults")
    cmd = [a for a in qemu_machine.command(boot) if a != "-nodefaults"]
    answers, out = monitor_answers(cmd, boot.monitor, ["info network"])
    if not answers:
        assert "efi-virtio.rom" in out, out
    else:
        assert "virtio-net" in answers["info network"], answers
