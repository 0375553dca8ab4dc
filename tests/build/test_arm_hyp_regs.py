"""hv/arch/arm/regs.c in real Hyp mode: QEMU's Cortex-A15 runs a bare-metal image
(hv/tests/arm-hyp) that checks the guest-register accessors against the banked registers of
every mode, the PC of ARM and Thumb, hostile modes and the skip with IT advance. An access the
architecture calls UNPREDICTABLE is UNDEFINED in QEMU, which the image reports as a failure."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
CC = "arm-linux-gnueabihf-gcc"
QEMU = "qemu-system-arm"

pytestmark = pytest.mark.skipif(shutil.which(CC) is None or shutil.which(QEMU) is None,
                                reason="the armhf cross compiler and qemu-system-arm come "
                                       "with make deps")


def test_guest_registers_in_hyp_mode(tmp_path: Path) -> None:
    build = subprocess.run(["make", "-s", "-C", str(TOP / "hv"), f"O={tmp_path}", "arm-hyp-test"],
                           capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    run = subprocess.run([QEMU, "-M", "virt,virtualization=on,highmem=off,gic-version=2",
                          "-cpu", "cortex-a15", "-m", "1G", "-display", "none",
                          "-monitor", "none", "-serial", "stdio",
                          "-kernel", str(tmp_path / "arm-hyp" / "arm-hyp.elf")],
                         capture_output=True, text=True, timeout=60)
    log = run.stdout
    summary = re.search(r"^arm-hyp: (\d+) checks, (\d+) failed$", log, re.M)
    assert summary, log
    assert "FAILED" not in log and summary.group(2) == "0", log
    # every mode's registers, PC, hostile modes and the skips: a shrunken run is a broken one
    assert int(summary.group(1)) >= 490, log
    # the image powers the machine off through PSCI
    assert run.returncode == 0, log
