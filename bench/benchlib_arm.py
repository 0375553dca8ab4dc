"""ARMv7 part of bench/irq-latency (not executable, so `make bench` does not run it).

* arm_baremetal(): build/arm/inmates/baremetal/gic-demo.elf on qemu-system-arm's virt machine
  without virtualization (the CPU starts in SVC; PSCI through hvc powers QEMU off at the end),
  GICv2, cortex-a15, -smp 1, the command line at the image's load address + 0x1000.
* arm_guest(): tests/run-system.py's ARMv7 machine (`# arch: arm`: Debian's armmp-lpae kernel,
  build/arm's artifacts) running a busybox sh script; returns the console.
* Bare metal runs under -icount shift=0,sleep=off (the generic timer at 62.5 MHz of virtual
  time, one instruction per ns: figures count instructions, whatever the host's load) and without
  (host time). The guest runs under -icount too (bench/irq-latency --arm-cell-icount), but
  before QEMU 8.1 (ICOUNT_SMP_QEMU) not booted SMP: QEMU 7.2's round-robin icount hands each
  vCPU the whole instruction budget up to the next timer deadline, in CPU order (the per-vCPU
  split came with 8.1), so the first armmp-lpae vCPU that busy-waits with interrupts masked
  (stop_machine's multi_cpu_stop) eats every budget and the vCPU it waits for never answers:
  an SMP boot livelocks in its first stop_machine (-smp 4 and -smp 2 alike). The root boots with
  maxcpus=1 instead (every boot-time stop_machine is then uniprocessor) and the script onlines
  CPUs 1-3 (UP_ROOT_ONLINE) before the enable: bringing CPUs up, and the stop_machine of taking
  CPU 3 offline for the cell, pass once Linux has booted (seen on 7.2.22, docs/performance.md).
  arm64 Linux escapes because its cpu_relax() is YIELD, which ends the spinning vCPU's turn
  in QEMU; ARMv7's is a barrier (dmb). Diagnosis, knobs tried: docs/performance.md, "ARMv7".
"""
from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

from benchlib import ICOUNT, TOP, CannotMeasure, out_dir, rs

ARM_BUILD = TOP / "build" / "arm"
QEMU_ARM = "qemu-system-arm"
VIRT_SVC = "virt,highmem=off,gic-version=2"
CMDLINE_OFFSET = 0x1000
# The first QEMU whose round-robin icount splits the budget over the vCPUs of a round (see
# above): from it on the root may boot SMP under -icount. Untested here: Debian 12 has 7.2 only.
ICOUNT_SMP_QEMU = (8, 1)
# Before it: the root boots uniprocessor and brings its other CPUs up once booted
UP_ROOT_APPEND = "maxcpus=1"
UP_ROOT_ONLINE = r'''
for c in 1 2 3; do
	echo 1 > /sys/devices/system/cpu/cpu$c/online || { echo "BENCH error online $c"; exit 1; }
done
'''
# What an SMP root livelocked under -icount prints (the watchdogs fire in guest time)
LIVELOCK = r"soft lockup|rcu_.*stall"


def qemu_version(binary: str = QEMU_ARM) -> tuple[int, int] | None:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"version (\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def elf_load_address(elf: Path) -> int:
    """The physical address of the first loadable segment of a 32-bit little-endian ELF."""
    data = elf.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 1:
        raise CannotMeasure(f"{elf}: not a 32-bit ELF")
    phoff, = struct.unpack_from("<I", data, 28)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    for n in range(phnum):
        p_type, _, _, p_paddr = struct.unpack_from("<IIII", data, phoff + n * phentsize)
        if p_type == 1:
            return p_paddr
    raise CannotMeasure(f"{elf}: no loadable segment")


def arm_baremetal(demo: str, cmdline: str, *, icount: bool = True, timeout: float = 300) -> str:
    elf = ARM_BUILD / "inmates" / "baremetal" / f"{demo}.elf"
    if not elf.exists():
        raise CannotMeasure(f"{elf} not built (make ARCH=arm all)")
    blob = out_dir() / f"arm-{demo}.cmdline"
    blob.write_bytes(cmdline.encode() + b"\0")
    log = out_dir() / f"arm-baremetal-{demo}{'-icount' if icount else ''}.log"
    log.unlink(missing_ok=True)
    qm = rs.qemu_machine
    cmd = qm.command(qm.Boot(kernel=elf, serial=log, machine=VIRT_SVC, cpu="cortex-a15", smp=1,
                             qemu=QEMU_ARM, extra=list(ICOUNT) if icount else [],
                             blobs=[(elf_load_address(elf) + CMDLINE_OFFSET, blob)]))
    try:
        subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                       check=True)
    except subprocess.TimeoutExpired as err:
        raise CannotMeasure(f"ARMv7 bare-metal {demo} did not power off within {timeout} s "
                            f"(log {log})") from err
    except subprocess.CalledProcessError as err:
        raise CannotMeasure(f"ARMv7 bare-metal {demo}: QEMU failed: "
                            f"{err.stderr.decode(errors='replace').strip()[:300]}") from err
    return log.read_text(errors="replace").replace("\r", "")


def arm_guest(name: str, script: str, *, timeout: float = 900, echo: bool = False,
              icount: bool = False, append: str = "") -> str:
    if "arm" not in rs.ARCHES:
        raise CannotMeasure("tests/run-system.py has no ARMv7 machine (# arch: arm)")
    if not rs.kernel_image("arm").exists():
        raise CannotMeasure("the armmp-lpae kernel is missing: run make deps")
    if not (ARM_BUILD / "hv" / "jailhouse.bin").exists():
        raise CannotMeasure("build/arm/hv/jailhouse.bin is missing: run make ARCH=arm all")
    path = out_dir() / f"{name}.sh"
    path.write_text("# arch: arm\n" + script)
    spec = rs.parse_spec(path)
    spec.qemu, spec.timeout = (" ".join(ICOUNT) if icount else ""), timeout
    spec.append = " ".join(filter(None, (spec.append, append)))
    if icount:  # a livelocked root never ends by itself: stop at its first watchdog report
        spec.stops = LIVELOCK
    text, timed_out, _ = rs.boot(spec, out_dir(), echo)
    log = out_dir() / f"{name}.log"
    found = re.search(f"(?:{LIVELOCK}).*", text) if icount else None
    if found and rs.END_MARKER not in text:
        raise CannotMeasure(f"{name}: the root livelocked under -icount ({found.group(0)!r}: "
                            f"QEMU's round-robin icount, docs/performance.md; log {log})")
    if timed_out:
        raise CannotMeasure(f"{name}: guest did not finish within {timeout:.0f} s (log {log})")
    if rs.END_MARKER not in text:
        raise CannotMeasure(f"{name}: guest did not reach the end of its script (log {log})")
    return text
