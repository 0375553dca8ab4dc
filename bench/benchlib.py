"""Shared helpers for the benches (not executable, so `make bench` does not run it).

* guest(): boot Debian's arm64 kernel in QEMU with tests/run-system.py's initramfs (module, CLI,
  configs, inmates) plus bench tools, run a busybox sh script written here, return the console.
* baremetal(): boot build/inmates/baremetal/DEMO.elf at EL1 (no hypervisor), return the console.
* cntvct: a static guest program that prints CNTVCT_EL0 (Linux lets EL0 read the virtual counter),
  so a guest script can time steps in counter ticks (16 ns; under -icount shift=0 that is
  16 instructions, deterministic whatever the host load).
* Results go to build/bench/NAME.txt (the printed lines) and NAME.json.
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
from pathlib import Path

TOP = Path(__file__).resolve().parents[1]
BUILD = TOP / "build"
OUT = BUILD / "bench"
ICOUNT = ["-icount", "shift=0,sleep=off"]
COUNTER_HZ = 62_500_000          # QEMU virt's generic timer
NS_PER_TICK = 1_000_000_000 // COUNTER_HZ

_spec = importlib.util.spec_from_file_location("run_system", TOP / "tests" / "run-system.py")
rs = importlib.util.module_from_spec(_spec)
sys.modules["run_system"] = rs
_spec.loader.exec_module(rs)

CNTVCT_S = r"""
	.global _start
_start:
	mrs	x1, cntvct_el0
	adr	x2, buf + 24
	mov	x3, #10
	mov	w4, #'\n'
	strb	w4, [x2]
1:	udiv	x5, x1, x3
	msub	x6, x5, x3, x1
	add	w6, w6, #'0'
	sub	x2, x2, #1
	strb	w6, [x2]
	mov	x1, x5
	cbnz	x1, 1b
	adr	x7, buf + 25
	mov	x1, x2
	sub	x2, x7, x1
	mov	x0, #1
	mov	x8, #64		// write
	svc	#0
	mov	x0, #0
	mov	x8, #93		// exit
	svc	#0
	.bss
buf:	.space	32
"""


# cell-start-timed NAME: counter right before and right after the CELL_START ioctl
CELL_START_C = r"""
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "jailhouse_ioctl.h"

static inline unsigned long cntvct(void)
{
	unsigned long v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r" (v) : : "memory");
	return v;
}

int main(int argc, char *argv[])
{
	struct jailhouse_cell_id cid = { .id = -1 };
	unsigned long before, after;
	int fd = open("/dev/jailhouse", O_RDWR), ret;

	if (argc != 2 || fd < 0) {
		perror("cell-start-timed: /dev/jailhouse");
		return 1;
	}
	strncpy(cid.name, argv[1], sizeof(cid.name) - 1);
	before = cntvct();
	ret = ioctl(fd, JAILHOUSE_CELL_START, &cid);
	after = cntvct();
	if (ret) {
		perror("cell-start-timed: JAILHOUSE_CELL_START");
		return 1;
	}
	printf("BENCH ioctl-start-before %lu\nBENCH ioctl-start-after %lu\n", before, after);
	return 0;
}
"""


def cell_start_tool() -> Path:
    src = out_dir() / "cell-start-timed.c"
    exe = out_dir() / "cell-start-timed"
    header = TOP / "kmod" / "jailhouse_ioctl.h"
    if (not exe.exists() or not src.exists() or src.read_text() != CELL_START_C
            or exe.stat().st_mtime < header.stat().st_mtime):
        src.write_text(CELL_START_C)
        subprocess.run(["aarch64-linux-gnu-gcc", "-O2", "-static", "-I", str(header.parent),
                        "-o", str(exe), str(src)], check=True)
    return exe


class CannotMeasure(RuntimeError):
    pass


def out_dir() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT


def cntvct_tool() -> Path:
    src = out_dir() / "cntvct.S"
    exe = out_dir() / "cntvct"
    if not exe.exists() or not src.exists() or src.read_text() != CNTVCT_S:
        src.write_text(CNTVCT_S)
        subprocess.run(["aarch64-linux-gnu-gcc", "-nostdlib", "-static", "-o", str(exe), str(src)],
                       check=True)
    return exe


def guest(name: str, script: str, *, qemu: str = " ".join(ICOUNT), timeout: float = 600,
          echo: bool = False, files: dict[str, Path] | None = None) -> str:
    """Run SCRIPT (busybox sh, after tests/guest/lib.sh) in the system guest; return the log.
    FILES: more files for the guest, by installed path (e.g. etc/jailhouse/x.cell)."""
    if not rs.kernel_image().exists():
        raise CannotMeasure("the arm64 kernel is missing: run make deps")
    path = out_dir() / f"{name}.sh"
    path.write_text(script)
    spec = rs.parse_spec(path)
    spec.qemu, spec.timeout = qemu, timeout
    tools = {"usr/bin/cntvct": cntvct_tool(), "usr/bin/cell-start-timed": cell_start_tool()}
    tools.update(files or {})
    orig = rs.artifacts

    def artifacts():
        files = orig()
        files.update(tools)
        return files

    rs.artifacts = artifacts
    try:
        text, timed_out, seconds = rs.boot(spec, out_dir(), echo)
    finally:
        rs.artifacts = orig
    if timed_out:
        raise CannotMeasure(f"{name}: guest did not finish within {timeout:.0f} s "
                            f"(log {out_dir() / (name + '.log')})")
    if rs.END_MARKER not in text:
        raise CannotMeasure(f"{name}: guest did not reach the end of its script "
                            f"(log {out_dir() / (name + '.log')})")
    return text


def baremetal(demo: str, cmdline: str, *, extra: list[str] | None = None, smp: int = 1,
              timeout: float = 120) -> str:
    """Boot the bare-metal build of DEMO with CMDLINE; it must power QEMU off by itself."""
    elf = BUILD / "inmates" / "baremetal" / f"{demo}.elf"
    if not elf.exists():
        raise CannotMeasure(f"{elf} not built (make inmates)")
    blob = out_dir() / f"{demo}.cmdline"
    blob.write_bytes(cmdline.encode() + b"\0")
    log = out_dir() / f"baremetal-{demo}.log"
    qm = rs.qemu_machine
    cmd = qm.command(qm.Boot(kernel=elf, serial=log, machine=qm.VIRT_EL1, smp=smp,
                             blobs=[(qm.BAREMETAL_BASE + qm.CMDLINE_OFFSET, blob)],
                             extra=list(extra or [])))
    try:
        subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                       check=True)
    except subprocess.TimeoutExpired as err:
        raise CannotMeasure(f"bare-metal {demo} did not power off within {timeout} s") from err
    return log.read_text(errors="replace").replace("\r", "")


def stats_lines(text: str, prefix: str) -> list[dict[str, int]]:
    """Every 'PREFIX: min=.. avg=.. max=.. samples=..' line as a dict, in order."""
    found = []
    for m in re.finditer(r"(?m)^" + re.escape(prefix) + r":((?: \w+=\d+)+)", text):
        found.append({k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))})
    return found


def last_stats(text: str, prefix: str, what: str) -> dict[str, int]:
    found = stats_lines(text, prefix)
    if not found:
        raise CannotMeasure(f"{what}: no '{prefix}:' line in the output")
    return found[-1]


def bench_values(text: str) -> dict[str, str]:
    """'BENCH key value' lines printed by a guest script."""
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^BENCH (\S+) (.*)$", text, re.M)}


def section(text: str, begin: str, end: str) -> str:
    a = text.find(begin)
    b = text.find(end, a + 1)
    if a < 0 or b < 0:
        raise CannotMeasure(f"no output between {begin!r} and {end!r}")
    return text[a:b]


class Report:
    def __init__(self, name: str):
        self.name, self.lines, self.data = name, [], {"bench": name, "time": time.strftime(
            "%Y-%m-%d %H:%M:%S"), "host_load": open("/proc/loadavg").read().split()[:3]}

    def line(self, text: str) -> None:
        print(f"{self.name}: {text}", flush=True)
        self.lines.append(text)

    def save(self) -> None:
        (out_dir() / f"{self.name}.txt").write_text("\n".join(self.lines) + "\n")
        (out_dir() / f"{self.name}.json").write_text(json.dumps(self.data, indent=1) + "\n")
        print(f"{self.name}: results in {out_dir() / self.name}.txt and .json")
