"""x86 helpers of the benches (not executable, so `make bench` does not run it).

* x86_guest(): boot Debian's amd64 kernel on q35 with AMD SVM (tests/run-system.py's `# arch: x86`
  machine: 4 CPUs, Linux as root) with build/x86's artifacts plus three static amd64 programs
  made here: hvclock (prints the TSC and CLOCK_MONOTONIC in ns), cpuid-loop (N CPUID round
  trips timed with the TSC; each one an exit under the hypervisor) and cell-start-timed (TSC
  around the CELL_START ioctl); run a busybox sh script, return the console.
* x86_baremetal(): boot build/x86/inmates/baremetal/DEMO.elf through QEMU's multiboot loader.
* Under -icount shift=0,sleep=off the TSC and the APIC timer run at 1 GHz of virtual time: one
  tick = one instruction, deterministic whatever the host load. icount needs single-threaded
  TCG, so those runs use `-accel tcg` instead of the machine's MTTCG (`tcg,thread=multi`);
  runs without icount keep MTTCG and measure host time (noise on a loaded host).
* bench_arch(): what a bench measures: --arch, else $BENCH_ARCH, else $ARCH (`make bench
  ARCH=x86` exports it), else arm64. `make bench` alone runs the arm64 benches as before.
"""
from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

from benchlib import CELL_START_C, ICOUNT, TOP, CannotMeasure, out_dir, rs

X86_BUILD = TOP / "build" / "x86"
ARCH_CHOICES = ("arm64", "x86", "all")


def bench_arch(cli: str | None = None) -> list[str]:
    """The architectures to measure: --arch, else $BENCH_ARCH, else $ARCH, else arm64."""
    want = cli or os.environ.get("BENCH_ARCH") or os.environ.get("ARCH") or "arm64"
    want = {"x86_64": "x86", "amd64": "x86", "aarch64": "arm64"}.get(want, want)
    if want not in ARCH_CHOICES:
        raise SystemExit(f"bench: unknown arch '{want}' (arm64, x86 or all)")
    return ["arm64", "x86"] if want == "all" else [want]


HVCLOCK_C = r"""
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

int main(void)
{
	struct timespec ts;
	unsigned long long tsc = __rdtsc();

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("%llu %llu\n", tsc, (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec);
	return 0;
}
"""

CPUID_LOOP_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

int main(int argc, char *argv[])
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000, i;
	unsigned int leaf = argc > 2 ? strtoul(argv[2], NULL, 0) : 0, a, b, c, d;
	unsigned long long t0, t1, e0, e1;

	e0 = __rdtsc();		/* the loop without CPUID, to subtract */
	for (i = 0; i < n; i++)
		__asm__ volatile("" : : : "memory");
	e1 = __rdtsc();
	t0 = __rdtsc();
	for (i = 0; i < n; i++)
		__asm__ volatile("cpuid" : "=a" (a), "=b" (b), "=c" (c), "=d" (d)
				 : "a" (leaf), "c" (0) : "memory");
	t1 = __rdtsc();
	printf("cpuid-loop n=%lu leaf=%#x ticks=%llu empty=%llu\n", n, leaf, t1 - t0, e1 - e0);
	return 0;
}
"""

ARM_COUNTER = """static inline unsigned long cntvct(void)
{
	unsigned long v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r" (v) : : "memory");
	return v;
}"""
X86_COUNTER = """static inline unsigned long cntvct(void)	/* the TSC */
{
	unsigned int lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a" (lo), "=d" (hi) : : "memory");
	return (unsigned long)hi << 32 | lo;
}"""
assert ARM_COUNTER in CELL_START_C
CELL_START_X86_C = CELL_START_C.replace(ARM_COUNTER, X86_COUNTER)


def x86_tool(name: str, source: str, *includes: Path) -> Path:
    """A static amd64 program made from SOURCE with the host's gcc (the host is amd64)."""
    src, exe = out_dir() / f"x86-{name}.c", out_dir() / f"x86-{name}"
    newest = max((p.stat().st_mtime for d in includes for p in d.glob("*.h")), default=0)
    if not exe.exists() or not src.exists() or src.read_text() != source \
            or exe.stat().st_mtime < newest:
        src.write_text(source)
        subprocess.run(["gcc", "-O2", "-static", *[f"-I{d}" for d in includes], "-o", str(exe),
                        str(src)], check=True)
    return exe


def x86_tools() -> dict[str, Path]:
    return {"usr/bin/hvclock": x86_tool("hvclock", HVCLOCK_C),
            "usr/bin/cpuid-loop": x86_tool("cpuid-loop", CPUID_LOOP_C),
            "usr/bin/cell-start-timed": x86_tool("cell-start-timed", CELL_START_X86_C,
                                                 TOP / "kmod")}


def x86_guest(name: str, script: str, *, icount: bool, timeout: float = 900,
              echo: bool = False) -> str:
    """Run SCRIPT (busybox sh, after tests/guest/lib.sh) in the x86 system guest; return the log
    (build/bench/NAME.log)."""
    if not rs.kernel_image("x86").exists():
        raise CannotMeasure("the amd64 kernel is missing: run make deps")
    if not (X86_BUILD / "hv" / "jailhouse.bin").exists():
        raise CannotMeasure("build/x86/hv/jailhouse.bin is missing: run make ARCH=x86 all")
    path = out_dir() / f"{name}.sh"
    path.write_text("# arch: x86\n" + script)
    spec = rs.parse_spec(path)
    spec.qemu, spec.timeout = " ".join(ICOUNT) if icount else "", timeout
    tools = x86_tools()
    orig_artifacts, orig_arch = rs.artifacts, rs.ARCHES["x86"]

    def artifacts(arch: str = "arm64") -> dict[str, Path]:
        files = orig_artifacts(arch)
        files.update(tools)
        return files

    rs.artifacts = artifacts
    if icount:      # icount and MTTCG exclude each other
        rs.ARCHES["x86"] = dataclasses.replace(orig_arch, accel="tcg")
    try:
        text, timed_out, _ = rs.boot(spec, out_dir(), echo)
    finally:
        rs.artifacts, rs.ARCHES["x86"] = orig_artifacts, orig_arch
    log = out_dir() / f"{name}.log"
    if timed_out:
        raise CannotMeasure(f"{name}: guest did not finish within {timeout:.0f} s (log {log})")
    if rs.END_MARKER not in text:
        raise CannotMeasure(f"{name}: guest did not reach the end of its script (log {log})")
    return text


def x86_baremetal(demo: str, cmdline: str, *, icount: bool, smp: int = 1,
                  timeout: float = 120) -> str:
    """Boot build/x86/inmates/baremetal/DEMO.elf with CMDLINE (COM1 + COM2 into one log); it
    must power QEMU off by itself (reports=N)."""
    elf = X86_BUILD / "inmates" / "baremetal" / f"{demo}.elf"
    if not elf.exists():
        raise CannotMeasure(f"{elf} not built (make ARCH=x86 all)")
    log = out_dir() / f"x86-baremetal-{demo}{'-icount' if icount else ''}.log"
    log.unlink(missing_ok=True)
    qm = rs.qemu_machine
    cmd = qm.command(qm.Boot(kernel=elf, serial=log, machine=qm.Q35, cpu=qm.CPU_X86, smp=smp,
                             append=cmdline, qemu=qm.QEMU_X86, serials=2,
                             accel="tcg" if icount else qm.ACCEL_X86,
                             extra=list(ICOUNT) if icount else []))
    try:
        subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                       check=True)
    except subprocess.TimeoutExpired as err:
        raise CannotMeasure(f"x86 bare-metal {demo} did not power off within {timeout} s") from err
    return log.read_text(errors="replace").replace("\r", "")


# Shell: snap TAG prints the clocks (TSC, CLOCK_MONOTONIC ns), cell 1's exit counters when it
# exists, the exit counters of the root CPUs in $ROOT_CPUS and every CPU's /proc/stat busy and
# idle ticks; tsc_khz prints the TSC rate Linux sees.
SNAP_SH = r"""
ST=/sys/devices/jailhouse
counters() {	# $1 = tag, $2 = directory: one process for all counters, so they are read close
	grep . $2/vmexits_* | sed "s|^.*/vmexits_\([a-z_0-9]*\):|BENCH $1.\1 |"
}
snap() {
	set -- $1 $(hvclock)
	echo "BENCH $1.tsc $2"
	echo "BENCH $1.ns $3"
	[ -d $ST/cells/1 ] && counters $1.cell $ST/cells/1/statistics
	for c in $ROOT_CPUS; do
		counters $1.cpu$c $ST/statistics/cpu$c
	done
	grep "^cpu[0-9]" /proc/stat | while read cpu user nice sys idle rest; do
		echo "BENCH $1.busy${cpu#cpu} $((user + nice + sys))"
		echo "BENCH $1.idle${cpu#cpu} $idle"
	done
}
tsc_khz() {	# the TSC rate Linux sees, over one second of CLOCK_MONOTONIC
	set -- $(hvclock)
	sleep 1
	set -- $1 $2 $(hvclock)
	echo $(( ($3 - $1) * 1000000 / ($4 - $2) ))
}
"""


def window(vals: dict[str, str], a: str, b: str) -> tuple[float, dict[str, int]]:
    """Seconds between snaps A and B and every counter's increase (keys without the tag)."""
    try:
        seconds = (int(vals[f"{b}.ns"]) - int(vals[f"{a}.ns"])) / 1e9
    except (KeyError, ValueError) as err:
        raise CannotMeasure(f"snap {a}/{b} missing in the guest output ({err})") from err
    pre = f"{a}."
    deltas = {k[len(pre):]: int(vals[f"{b}.{k[len(pre):]}"]) - int(v) for k, v in vals.items()
              if k.startswith(pre) and f"{b}.{k[len(pre):]}" in vals}
    return seconds, deltas


def exit_reasons(deltas: dict[str, int], who: str) -> dict[str, int]:
    """WHO's ('cell', 'cpu0'...) nonzero exit counts per reason, 'total' included."""
    pre = f"{who}."
    return {k[len(pre):]: v for k, v in deltas.items() if k.startswith(pre) and v}


def reasons_text(reasons: dict[str, int], scale: float, unit: str) -> str:
    """'total 1234/s (mmio 1000, xapic 1000, hypercall 34; in no reason 200)'. An access to the
    xAPIC page is an NPF exit: it counts as mmio and as xapic, so xapic is left out of the sum;
    HLT and INTR exits (idle) count in total only."""
    total = reasons.get("total", 0)
    parts = {k: v for k, v in reasons.items() if k != "total"}
    counted = sum(parts.values()) - (parts.get("xapic", 0) if "mmio" in parts else 0)
    rest = total - counted
    items = ", ".join(f"{k} {v * scale:.1f}" for k, v in sorted(parts.items(), key=lambda x: -x[1]))
    return (f"total {total * scale:.1f}{unit} ({items or 'no reason counted'}"
            f"{f'; in no reason {rest * scale:.1f}' if rest else ''})")


# ---- hypervisor instructions per exit, from QEMU's execution log ----------------------------
# The hypervisor runs 1:1 at its memory's base (ARCH_HV_VIRT_OFFSET 0), the image at its start.
HV_BASE = 0x3a000000
HV_SIZE = 0x1000000
# exit kinds by the first handler function a round trip enters (static handlers that the
# compiler inlined, e.g. CPUID, MSR, PIO, HLT, have no symbol: they count as "other")
KINDS = (("xapic", "xapic_mmio"), ("ioapic", "ioapic_mmio"), ("hypercall", "hypercall"),
         ("nmi", "x86_handle_nmi"))


def hv_symbols() -> tuple[int, dict[str, tuple[int, int]]]:
    """VMRUN's address and [start, end) of each text symbol, as the hypervisor runs them."""
    elf = X86_BUILD / "hv" / "jailhouse.elf"
    out = subprocess.run(["objdump", "-d", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    vmrun = None
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2].strip().startswith("vmrun"):
            vmrun = HV_BASE + int(parts[0].strip().rstrip(":"), 16)
    if vmrun is None:
        raise CannotMeasure(f"no vmrun instruction in {elf}")
    nm = subprocess.run(["nm", "-n", str(elf)], capture_output=True, text=True,
                        check=True).stdout.split("\n")
    syms = [(int(a, 16) + HV_BASE, n) for a, t, n in (l.split() for l in nm if l.count(" ") == 2)
            if t in "tT"]
    ranges = {n: (a, syms[i + 1][0] if i + 1 < len(syms) else a + 0x1000)
              for i, (a, n) in enumerate(syms)}
    return vmrun, ranges


def x86_exec_log(name: str, script: str, timeout: float = 600) -> tuple[Path, int, dict]:
    """Boot the x86 guest (single-threaded TCG, no icount) with QEMU logging every translation
    block it executes in the hypervisor's memory (-d in_asm,exec,nochain -dfilter); run
    SCRIPT. Returns the log, VMRUN's address and the symbol ranges of the image it ran."""
    vmrun, ranges = hv_symbols()
    log = out_dir() / f"{name}.qemu-exec.log"
    log.unlink(missing_ok=True)
    path = out_dir() / f"{name}.sh"
    path.write_text("# arch: x86\n" + script)
    spec = rs.parse_spec(path)
    spec.qemu = (f"-d in_asm,exec,nochain -dfilter {HV_BASE:#x}+{HV_SIZE:#x} -D {log}")
    spec.timeout = timeout
    tools = x86_tools()
    orig_artifacts, orig_arch = rs.artifacts, rs.ARCHES["x86"]

    def artifacts(arch: str = "arm64") -> dict[str, Path]:
        files = orig_artifacts(arch)
        files.update(tools)
        return files

    rs.artifacts = artifacts
    rs.ARCHES["x86"] = dataclasses.replace(orig_arch, accel="tcg")  # one log writer
    try:
        text, timed_out, _ = rs.boot(spec, out_dir(), False)
    finally:
        rs.artifacts, rs.ARCHES["x86"] = orig_artifacts, orig_arch
    if timed_out or rs.END_MARKER not in text:
        raise CannotMeasure(f"{name}: guest did not finish (log {out_dir() / name}.log)")
    if hv_symbols()[0] != vmrun:
        raise CannotMeasure(f"{name}: the hypervisor was rebuilt during the run")
    return log, vmrun, ranges


def exit_rounds(log: Path, vmrun: int, ranges: dict) -> dict[int, dict[str, list[int]]]:
    """Per CPU and exit kind, the instructions of each round trip: from the instruction after
    VMRUN (where an exit resumes the hypervisor) up to and with the next VMRUN. Translation
    blocks end at every branch (nochain), VMRUN ends its block, so summing the executed blocks'
    lengths counts every instruction."""
    import re
    after = vmrun + 3
    tb_len: dict[int, int] = {}
    rounds: dict[int, dict[str, list[int]]] = {}
    current: dict[int, list] = {}           # cpu -> [instructions, kind]
    kind_of = {ranges[sym][0]: kind for kind, sym in KINDS if sym in ranges}
    trace = re.compile(r"Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    start, count = None, 0
    with log.open(errors="replace") as f:
        for line in f:
            if line.startswith("Trace "):
                m = trace.match(line)
                cpu, pc = int(m.group(1)), int(m.group(2), 16)
                if pc == after:
                    if cpu in current:
                        n, kind = current[cpu]
                        rounds.setdefault(cpu, {}).setdefault(kind, []).append(n)
                    current[cpu] = [0, "other"]
                if cpu in current:
                    current[cpu][0] += tb_len.get(pc, 0)
                    if pc in kind_of and current[cpu][1] == "other":
                        current[cpu][1] = kind_of[pc]
            elif line.startswith("IN:"):
                start, count = None, 0
            elif line.startswith("0x"):
                addr = int(line.split(":", 1)[0], 16)
                start = addr if start is None else start
                count += 1
                tb_len[start] = count
    return rounds
