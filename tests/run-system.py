#!/usr/bin/python3
"""Run system tests: boot Debian's arm64 (or amd64) kernel in QEMU with an initramfs holding the
built artifacts and one guest-side test script, then judge the checks it printed.

--jobs N boots N machines side by side (make check: 2, SYSTEM_JOBS overrides), the longest
tests (by their timeout) first; each test's result is printed as one block when it ends. Tests
marked "# alone: yes" run first, one at a time, with no other machine beside them.

A test is tests/system/NAME.sh, run by busybox sh inside the guest after /tests/lib.sh.
Header comment lines configure the boot:
    # arch: arm64 (default) | x86: x86 boots q35 with -cpu qemu64,+svm,+npt, Debian's amd64
    #   kernel and build/x86's artifacts; the command line gets console=ttyS0 and
    #   build/x86/configs/qemu-x86/root.cmdline (else memmap=0x5000000$0x3a000000); COM1 and
    #   COM2 both go to the log | arm: ARMv7, qemu-system-arm virt with HYP mode and GICv2,
    #   -cpu cortex-a15, Debian's armmp-lpae kernel (build/arm/linux/uImage, the zImage
    #   unwrapped, else the zImage itself) and build/arm's artifacts; the root DTB
    #   build/arm/configs/qemu-arm/root.dtb when built, else QEMU's DT and mem=640M
    # machine: virt,virtualization=on,gic-version=3 (x86: q35)
    # cpu: cortex-a57 (default; x86: qemu64,+svm,+npt)
    # qemu: extra QEMU arguments, e.g. -icount shift=0,sleep=off
    # append: extra kernel command-line arguments
    # dtb: qemu | FILE (relative to build/; default: the configgen root DTB when built; arm64,
    #   arm)
    # cmdline: none | FILE (x86, relative to build/x86/: the root's reservations instead of
    #   root.cmdline; none: no memmap= at all)
    # timeout: seconds (default 120)
    # uses: FILE... other scripts of tests/system the test sources, copied to /tests/FILE
    #   (hostile-cells-trap.sh runs hostile-cells.sh's body with another attacker config)
    # stops: REGEX: the test ends with the machine stopped, on the console line REGEX matches;
    #   after it no FATAL line and no check may appear (watched for 5 s), the end marker is
    #   not expected and Linux's complaints before the stop are not judged
    # after-stop: REGEX (with stops:) a line matching REGEX must follow the stop line within
    #   those 5 s (what keeps running after the root stopped, e.g. a cell's console output)
    # cell-console: REGEX (may repeat): the cell console (arm64: the board's pci-serial at
    #   00:02.0, written to build/tests/NAME.cell.log) must match every REGEX at the end, each
    #   on a line after the previous one's; each match's time after the root console's first
    #   "Started cell" line is reported (INFO)
    # cell-clean: yes: the cell console shows none of the kernel's complaints (oops, warning,
    #   panic, stall...: the same list as for the guest's own console)
    # kexec: yes (arm): the guest gets the kernel it booted and a second initramfs (the same
    #   files, this test included) in /usr/share/jailhouse/kexec/ (kernel, initrd.cpio), to kexec
    #   into with kexec-load; the second system runs the test again (it knows itself by
    #   jhtest.carried=PASSED,FAILED on its command line: the first one's counts, which
    #   tests/guest/init adds to its own, so its end marker counts every result line of the log)
    # alone: yes: with --jobs, the test runs with no other machine beside it (it times work
    #   that competes for the host's CPUs); default: no, ARMv7 (arch: arm) yes
    # linux: yes: the guest gets Debian's arm64 kernel Image and a cell initramfs (busybox,
    #   tests/guest/cell-init, see there, and jailhouse_ivshmem.ko) in /usr/share/jailhouse/linux/ (Image, initramfs.cpio),
    #   to boot in a cell
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu_machine  # noqa: E402  (beside this script; benches load this file by path)

TOP = Path(__file__).resolve().parent.parent
BUILD = TOP / "build"
CACHE = Path(os.environ.get("CACHE", TOP / ".cache")).resolve()
SYSTEM_TESTS = TOP / "tests" / "system"
GUEST = TOP / "tests" / "guest"

DEFAULT_MACHINE = qemu_machine.VIRT_EL2
BASE_APPEND = "console=ttyAMA0 kvm-arm.mode=none panic=-1"


@dataclass(frozen=True)
class Arch:
    """Where an architecture's kernel and build outputs are, and how its machine boots."""
    name: str
    build: Path
    kernel_root: str                   # below CACHE: the extracted Debian packages
    kabi_file: str                     # below CACHE
    flavour: str                       # Debian's kernel flavour
    module: Path
    qemu: str
    machine: str
    cpu: str
    append: str
    accel: str | None = None
    serials: int = 1
    devices: tuple[str, ...] = ()      # -device arguments every boot of the arch gets
    root_dtb: str | None = None        # below BUILD: configgen's root DTB, the default -dtb
    no_dtb_append: str = ""            # without a root DTB: what keeps Linux off the hv's RAM
    fast_kernel: Path | None = None    # a faster-booting form of the same kernel, if built
    alone: bool = False                # its tests run with no other machine beside them


X86_BUILD = BUILD / "x86"
ARM_BUILD = BUILD / "arm"
X86_ROOT_CMDLINE = X86_BUILD / "configs" / "qemu-x86" / "root.cmdline"
X86_DEFAULT_CMDLINE = "memmap=0x5000000$0x3a000000"
ARCHES = {
    "arm64": Arch("arm64", BUILD, "root", "KABI", "arm64", TOP / "kmod" / "jailhouse.ko",
                  qemu_machine.QEMU, DEFAULT_MACHINE, qemu_machine.CPU, BASE_APPEND,
                  root_dtb="configs/qemu-arm64/root.dtb"),
    # cryptomgr.notests: the crypto self-tests cost ~3.5 s of every 32-bit TCG boot;
    # mem=640M: Linux keeps 0x40000000-0x67ffffff, as the root DTB's reservations say
    "arm": Arch("arm", ARM_BUILD, "root-armhf", "KABI-armhf", "armmp-lpae",
                ARM_BUILD / "kmod-tree" / "kmod" / "jailhouse.ko", qemu_machine.QEMU_ARM,
                qemu_machine.VIRT_ARM, qemu_machine.CPU_ARM,
                "console=ttyAMA0 panic=-1 cryptomgr.notests",
                root_dtb="arm/configs/qemu-arm/root.dtb", no_dtb_append="mem=640M",
                fast_kernel=ARM_BUILD / "linux" / "uImage",
                # ARMv7 Linux gives a CPU it brings online 1 s (arm64 5 s, x86 10 s): with
                # another machine beside it, a CPU back from a cell missed that on a 2-core host
                alone=True),
    "x86": Arch("x86", X86_BUILD, "root-amd64", "KABI-amd64", "amd64",
                X86_BUILD / "kmod-tree" / "kmod" / "jailhouse.ko", qemu_machine.QEMU_X86,
                qemu_machine.Q35, qemu_machine.CPU_X86, "console=ttyS0 panic=-1",
                accel=qemu_machine.ACCEL_X86, serials=2,
                # the machine dts/boards/qemu-x86-q35.dts and the snapshot fixture describe:
                # QEMU's standard VGA at 00:01.0 (its option ROM at 0xc0000, ports 0x3c0-0x3df)
                devices=("VGA",)),
}
END_MARKER = "SYSTEM-TEST-END"
END_COUNTS = re.compile(r"SYSTEM-TEST-END status=\d+ passed=(\d+) failed=(\d+)")
QUIET_AFTER_STOP = 5.0  # seconds a stopped machine is watched for more output
KERNEL_TROUBLE = re.compile(
    r"Internal error:|Unable to handle kernel|WARNING: CPU:|BUG:|Kernel panic|"
    r"Oops|Call trace:|Call Trace:|general protection fault|rcu_.*stall|soft lockup|hung_task")
CHECK_LINE = re.compile(r"CHECK-(PASS|FAIL): (.*)")


@dataclass
class TestSpec:
    name: str
    script: Path
    arch: str = "arm64"
    machine: str = DEFAULT_MACHINE
    cpu: str = qemu_machine.CPU
    qemu: str = ""
    append: str = ""
    dtb: str | None = None
    cmdline: str | None = None
    timeout: float = 120.0
    stops: str | None = None
    after_stop: str | None = None
    uses: list[Path] = field(default_factory=list)
    cell_console: list[str] = field(default_factory=list)
    cell_clean: bool = False
    linux: bool = False
    alone: bool = False
    kexec: bool = False


@dataclass
class Result:
    name: str
    checks: list[tuple[bool, str]] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    log: Path | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return sum(1 for ok, _ in self.checks if not ok)

    @property
    def passed(self) -> int:
        return sum(1 for ok, _ in self.checks if ok)


def parse_spec(script: Path) -> TestSpec:
    spec = TestSpec(name=script.stem, script=script)
    given: set[str] = set()
    for line in script.read_text().splitlines():
        m = re.match(r"#\s*(arch|machine|cpu|qemu|append|dtb|cmdline|timeout|stops|uses|"
                     r"cell-console|cell-clean|linux|kexec|after-stop|alone):\s*(.*\S)\s*$", line)
        if not m:
            continue
        key, value = m.groups()
        given.add(key)
        if key == "timeout":
            spec.timeout = float(value)
        elif key == "cell-console":
            try:
                re.compile(value)
            except re.error as err:
                raise ValueError(f"{script}:1: error: [cell-console] bad REGEX '{value}': {err}")
            spec.cell_console.append(value)
        elif key in ("linux", "cell-clean", "kexec", "alone"):
            if value not in ("yes", "no"):
                raise ValueError(f"{script}:1: error: [{key}] 'yes' or 'no', not '{value}'")
            setattr(spec, key.replace("-", "_"), value == "yes")
        elif key == "uses":
            for name in value.split():
                used = script.parent / name
                if "/" in name or not used.is_file():
                    raise ValueError(f"{script}:1: error: [uses] no script '{name}' beside it")
                spec.uses.append(used)
        else:
            setattr(spec, key.replace("-", "_"), value)
    if spec.after_stop and not spec.stops:
        raise ValueError(f"{script}:1: error: [after-stop] needs a stops: line")
    if spec.arch not in ARCHES:
        raise ValueError(f"{script}:1: error: [arch] unknown arch '{spec.arch}' "
                         f"(known: {', '.join(ARCHES)})")
    if (spec.linux or spec.cell_console or spec.cell_clean) and spec.arch != "arm64":
        raise ValueError(f"{script}:1: error: [linux] Linux cells and the cell console are "
                         f"arm64's, not {spec.arch}'s")
    if spec.kexec and spec.arch != "arm":
        raise ValueError(f"{script}:1: error: [kexec] kexec-load is ARMv7's, not {spec.arch}'s")
    if "machine" not in given:
        spec.machine = ARCHES[spec.arch].machine
    if "cpu" not in given:
        spec.cpu = ARCHES[spec.arch].cpu
    if "alone" not in given:
        spec.alone = ARCHES[spec.arch].alone
    return spec


# --- initramfs (newc cpio written here, so no root rights are needed for /dev/console) -------

def _cpio_entry(name: str, mode: int, data: bytes = b"", rdev: tuple[int, int] = (0, 0),
                ino: int = 0) -> bytes:
    encoded = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(encoded), 0]
    header = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = header + encoded
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def build_initramfs(files: dict[str, Path | bytes], out: Path) -> None:
    """files maps a guest path to a host file or literal bytes; executables keep their mode."""
    entries = []
    dirs: set[str] = set()
    for guest in sorted(files):
        parts = guest.strip("/").split("/")
        for i in range(1, len(parts)):
            dirs.add("/".join(parts[:i]))
    ino = 1
    for d in sorted(dirs | {"dev", "proc", "sys", "tmp", "bin"}):
        entries.append(_cpio_entry(d, 0o040755, ino=ino))
        ino += 1
    entries.append(_cpio_entry("dev/console", 0o020600, rdev=(5, 1), ino=ino))
    ino += 1
    for guest, src in sorted(files.items()):
        if isinstance(src, Path):
            data = src.read_bytes()
            mode = 0o100755 if os.access(src, os.X_OK) else 0o100644
        else:
            data, mode = src, 0o100755
        entries.append(_cpio_entry(guest.strip("/"), mode, data, ino=ino))
        ino += 1
    entries.append(_cpio_entry("TRAILER!!!", 0))
    out.write_bytes(b"".join(entries))


def kabi(arch: str = "arm64") -> str:
    return (CACHE / ARCHES[arch].kabi_file).read_text().strip()


def kernel_image(arch: str = "arm64") -> Path:
    a = ARCHES[arch]
    if a.fast_kernel and a.fast_kernel.exists():
        return a.fast_kernel
    try:
        return CACHE / a.kernel_root / "boot" / f"vmlinuz-{kabi(arch)}-{a.flavour}"
    except FileNotFoundError:
        return CACHE / a.kernel_root / "boot" / "vmlinuz-missing"


def artifacts(arch: str = "arm64") -> dict[str, Path]:
    """Everything the build made that a guest may use, at its installed location."""
    a = ARCHES[arch]
    build = a.build
    files: dict[str, Path] = {"bin/busybox": CACHE / a.kernel_root / "bin" / "busybox"}
    optional = {
        "lib/modules/jailhouse.ko": a.module,
        "usr/sbin/jailhouse": build / "tools" / "jailhouse",
        "usr/sbin/ivshmem-echo": build / "tools" / "ivshmem-echo",
        "lib/firmware/jailhouse.bin": build / "hv" / "jailhouse.bin",
    }
    files.update({g: p for g, p in optional.items() if p.exists()})
    ivshmem = ivshmem_module(arch)
    if ivshmem:
        files[f"lib/modules/{IVSHMEM_MODULE}"] = ivshmem
    modules = CACHE / a.kernel_root / "lib" / "modules" / f"{kabi(arch)}-{a.flavour}"
    for p in sorted(modules.rglob("*.ko")):
        files[f"lib/modules/kernel/{p.name}"] = p  # Debian's own, for devices the tests attach
    for p in sorted((build / "variants").glob("*/hv/jailhouse.bin")):
        files[f"usr/share/jailhouse/variants/{p.parent.parent.name}/jailhouse.bin"] = p
    for pattern in ("*.cell", "*.dtb", "*.cmdline"):
        for p in sorted((build / "configs").rglob(pattern)):
            files[f"etc/jailhouse/{p.name}"] = p
    for p in sorted((build / "tests" / "bin").glob("*")):
        files[f"usr/bin/{p.name}"] = p
    for p in sorted((build / "inmates").rglob("*.bin")):
        files[f"usr/share/jailhouse/inmates/{p.name}"] = p
    if arch == "x86":
        files.update(x86_snapshot_files())
    return files


IVSHMEM_MODULE = "jailhouse_ivshmem.ko"


def ivshmem_module(arch: str = "arm64") -> Path | None:
    """The inter-cell link driver (kmod), built beside jailhouse.ko or in a directory of its own
    below it; None when this build has none."""
    kmod = ARCHES[arch].module.parent
    for p in (kmod / IVSHMEM_MODULE, *sorted(kmod.glob(f"*/{IVSHMEM_MODULE}"))):
        if p.exists():
            return p
    return None


X86_SNAPSHOT = TOP / "tests" / "configgen" / "fixtures" / "qemu-x86-snapshot"


def x86_snapshot_files() -> dict[str, Path]:
    """configgen's collect.sh, and the snapshot of the x86 test machine the generated system
    configuration was made from (its proc/ and sys/ files), for tests that collect a fresh one
    and compare (configgen-create-x86)."""
    files = {"usr/share/jailhouse/collect.sh": TOP / "configgen" / "collect.sh"}
    for top in ("proc", "sys"):
        for p in sorted((X86_SNAPSHOT / top).rglob("*")):
            if p.is_file():
                files[f"usr/share/jailhouse/snapshot/{p.relative_to(X86_SNAPSHOT)}"] = p
    return files


LINUX_DIR = "usr/share/jailhouse/linux"
KEXEC_DIR = "usr/share/jailhouse/kexec"
CELL_INIT = GUEST / "cell-init"


def linux_files(cell_cpio: Path) -> dict[str, Path | bytes]:
    """Debian's arm64 Image (the root's own kernel) and the cell initramfs: busybox,
    tests/guest/cell-init as /init and the inter-cell link driver (if built), written to
    cell_cpio."""
    files: dict[str, Path | bytes] = {"init": CELL_INIT,
                                      "bin/busybox": CACHE / "root" / "bin" / "busybox"}
    ivshmem = ivshmem_module("arm64")
    if ivshmem:
        files[f"lib/modules/{IVSHMEM_MODULE}"] = ivshmem
    build_initramfs(files, cell_cpio)
    return {f"{LINUX_DIR}/Image": kernel_image("arm64"), f"{LINUX_DIR}/initramfs.cpio": cell_cpio}


def initramfs_for(spec: TestSpec, workdir: Path) -> Path:
    # arm64 calls artifacts() without an argument: benches replace it with one that takes none
    files: dict[str, Path | bytes] = dict(artifacts() if spec.arch == "arm64"
                                          else artifacts(spec.arch))
    files["init"] = GUEST / "init"
    files["tests/lib.sh"] = GUEST / "lib.sh"
    files["tests/test.sh"] = spec.script
    for used in spec.uses:
        files[f"tests/{used.name}"] = used
    if spec.linux:
        files.update(linux_files(workdir / f"{spec.name}.cell.cpio"))
    if spec.kexec:
        second = workdir / f"{spec.name}.kexec.cpio"
        build_initramfs(files, second)
        files[f"{KEXEC_DIR}/kernel"] = kernel_image(spec.arch)
        files[f"{KEXEC_DIR}/initrd.cpio"] = second
    out = workdir / f"{spec.name}.cpio"
    build_initramfs(files, out)
    return out


def dtb_for(spec: TestSpec) -> Path | None:
    root_dtb = ARCHES[spec.arch].root_dtb
    if spec.dtb == "qemu" or not root_dtb:
        return None
    if spec.dtb:
        path = BUILD / spec.dtb
        if not path.exists():
            raise FileNotFoundError(f"{spec.script}: dtb {path} was not built")
        return path
    default = BUILD / root_dtb
    return default if default.exists() else None


def kernel_append(spec: TestSpec) -> str:
    """The whole command line: the arch's, the test's, and without a root DTB the arch's
    stand-in for its reservations (unless the test sets mem= itself)."""
    parts = [base_append(spec.arch, spec.cmdline), spec.append]
    fallback = ARCHES[spec.arch].no_dtb_append
    if fallback and dtb_for(spec) is None and "mem=" not in spec.append:
        parts.append(fallback)
    return " ".join(p for p in parts if p)


def base_append(arch: str, cmdline: str | None = None) -> str:
    """The kernel command line every test of arch gets (x86: the root's memmap= reservations,
    from root.cmdline or the test's cmdline: FILE; none for cmdline: none)."""
    if arch != "x86":
        return ARCHES[arch].append
    if cmdline == "none":
        return ARCHES[arch].append
    path = X86_BUILD / cmdline if cmdline else X86_ROOT_CMDLINE
    if cmdline and not path.exists():
        raise FileNotFoundError(f"cmdline {path} was not built")
    root = path.read_text().strip() if path.exists() else ""
    return f"{ARCHES[arch].append} {root or X86_DEFAULT_CMDLINE}"


def cell_log(log: Path) -> Path:
    """The cell console's file beside the console log: NAME.log -> NAME.cell.log."""
    return log.with_suffix(".cell.log")


def qemu_command(spec: TestSpec, initrd: Path, log: Path) -> list[str]:
    a = ARCHES[spec.arch]
    return qemu_machine.command(qemu_machine.Boot(
        kernel=kernel_image(spec.arch), serial=log, machine=spec.machine, cpu=spec.cpu,
        initrd=initrd, append=kernel_append(spec),
        dtb=dtb_for(spec), extra=spec.qemu.split(), qemu=a.qemu, accel=a.accel,
        serials=a.serials, devices=list(a.devices),
        cell_console=cell_log(log) if spec.arch == "arm64" else None))


class Follower:
    """Demo mode: print the guest console live, from the start of the test script on, and the
    cell console's whole lines as "cell | LINE"."""

    def __init__(self, log: Path, echo: bool):
        self.log, self.echo, self.offset, self.started = log, echo, 0, False
        self.cell_offset = 0

    def poll_cell(self) -> None:
        try:
            with cell_log(self.log).open("rb") as f:
                f.seek(self.cell_offset)
                chunk = f.read()
        except FileNotFoundError:
            return
        chunk = chunk[:chunk.rfind(b"\n") + 1]
        self.cell_offset += len(chunk)
        for line in chunk.decode(errors="replace").replace("\r", "").splitlines():
            sys.stdout.write(f"cell | {line}\n")

    def poll(self) -> None:
        if not self.echo:
            return
        self.poll_cell()
        try:
            with self.log.open("rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except FileNotFoundError:
            return
        if not self.started:
            # wait for whole lines, then skip the kernel's boot messages
            chunk = chunk[:chunk.rfind(b"\n") + 1]
            marker = chunk.find(b"SYSTEM-TEST-BEGIN")
            self.offset += len(chunk)
            if marker < 0:
                return
            self.started, chunk = True, chunk[marker:]
        else:
            self.offset += len(chunk)
        sys.stdout.write(chunk.decode(errors="replace").replace("\r", ""))
        sys.stdout.flush()


def read_text(path: Path) -> str:
    try:
        return path.read_text(errors="replace").replace("\r", "")
    except FileNotFoundError:
        return ""


def cell_console_matches(patterns: list[str], text: str) -> list[int | None]:
    """The line each REGEX matches, searched after the previous one's match (None: not found)."""
    lines, at, out = text.splitlines(), 0, []
    for pattern in patterns:
        hit = next((n for n in range(at, len(lines)) if re.search(pattern, lines[n])), None)
        out.append(hit)
        if hit is not None:
            at = hit + 1
    return out


class CellTimeline:
    """A cell's boot as the host saw it: when each cell-console REGEX first matched (in order),
    after the latest "Started cell" line of the root console before it (polled every 0.1 s)."""

    def __init__(self, spec: TestSpec, log: Path):
        self.patterns, self.log, self.cell = spec.cell_console, log, cell_log(log)
        self.starts: list[float] = []
        self.seen: dict[int, tuple[float, float | None]] = {}

    def poll(self) -> None:
        if not self.patterns or len(self.seen) == len(self.patterns):
            return
        now = time.monotonic()
        started = read_text(self.log).count("Started cell")
        self.starts += [now] * (started - len(self.starts))
        hits = cell_console_matches(self.patterns, read_text(self.cell))
        for n, hit in enumerate(hits):
            if hit is not None and n not in self.seen:
                self.seen[n] = (now, self.starts[-1] if self.starts else None)

    def infos(self) -> list[str]:
        return [f"cell console /{self.patterns[n]}/ {at - start:.1f} s after 'Started cell' "
                "(host clock)" for n, (at, start) in sorted(self.seen.items()) if start]


def boot(spec: TestSpec, workdir: Path, echo: bool = False,
         timeline: CellTimeline | None = None) -> tuple[str, bool, float]:
    """Boot the guest; return (console text, timed out?, seconds)."""
    log = workdir / f"{spec.name}.log"
    log.unlink(missing_ok=True)
    cell_log(log).unlink(missing_ok=True)
    initrd = initramfs_for(spec, workdir)
    cmd = qemu_command(spec, initrd, log)
    (workdir / f"{spec.name}.cmd").write_text(" ".join(cmd) + "\n")
    start = time.monotonic()
    # QEMU writes the serial console straight into the file: no reader can stall the guest.
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    timed_out = False
    follower = Follower(log, echo)
    stopped_at = None
    while proc.poll() is None:
        follower.poll()
        if timeline:
            timeline.poll()
        if spec.stops and stopped_at is None and log.exists() and \
                re.search(spec.stops, log.read_text(errors="replace")):
            stopped_at = time.monotonic()
        if stopped_at is not None and time.monotonic() - stopped_at > QUIET_AFTER_STOP:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        if time.monotonic() - start > spec.timeout:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.1)
    follower.poll()
    qemu_output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    text = log.read_text(errors="replace").replace("\r", "") if log.exists() else ""
    if qemu_output.strip():
        text += "\n[qemu] " + qemu_output.strip().replace("\n", "\n[qemu] ") + "\n"
        log.write_text(text)
    return text, timed_out, time.monotonic() - start


def judge_stop(stops: str, text: str, after_stop: str | None = None) -> list[tuple[bool, str]]:
    lines = text.splitlines()
    at = next((i for i, l in enumerate(lines) if re.search(stops, l)), None)
    if at is None:
        return [(False, f"the machine stopped with /{stops}/")]
    after = [l for l in lines[at + 1:] if "FATAL" in l or "CHECK-" in l]
    out = [(True, f"the machine stopped with /{stops}/"),
           (not after, "no fatal trap reported and no test step run after the stop" +
            (f" (first: {after[0].strip()})" if after else ""))]
    if after_stop:
        out.append((any(re.search(after_stop, l) for l in lines[at + 1:]),
                    f"/{after_stop}/ after the stop"))
    return out


def judge_counts(seen: list[tuple[bool, str]], text: str) -> list[tuple[bool, str]]:
    """Compare the result lines on the console with the guest's own count. A cell that shares
    the root's UART can garble a line (a garbled pass is counted as the guest reports it; a
    garbled failure fails the test) or forge one (more lines than the guest made: fails)."""
    m = END_COUNTS.search(text)
    if not m:
        return []  # no end marker: judged as "guest reached the end of the test script"
    passed, failed = int(m.group(1)), int(m.group(2))
    seen_passed = sum(1 for ok, _ in seen if ok)
    seen_failed = len(seen) - seen_passed
    out: list[tuple[bool, str]] = []
    if seen_passed > passed or seen_failed > failed:
        out.append((False, f"result lines match the guest's count (guest: {passed} passed, {failed} "
                           f"failed; console: {seen_passed}, {seen_failed}: a forged line?)"))
    if failed > seen_failed:
        out.append((False, f"{failed - seen_failed} failing check(s) whose result line was garbled "
                           "on the console (see the log)"))
    out += [(True, "a passing check whose result line was garbled on the console")] * \
        max(passed - seen_passed, 0)
    return out


def judge_cell_console(patterns: list[str], text: str) -> list[tuple[bool, str]]:
    """Each REGEX on a line of the cell console after the line the previous one matched."""
    return [(hit is not None, f"cell console shows /{pattern}/" + (" after the previous match" if
             n and hit is None else "")) for n, (pattern, hit) in
            enumerate(zip(patterns, cell_console_matches(patterns, text)))]


def judge(spec: TestSpec, text: str, timed_out: bool, cell_text: str = "") -> Result:
    result = Result(spec.name)
    for line in text.splitlines():
        m = CHECK_LINE.search(line)
        if m:
            result.checks.append((m.group(1) == "PASS", m.group(2).strip()))
        elif line.startswith("INFO: "):
            result.infos.append(line[6:].strip())
    if spec.stops:
        result.checks += judge_stop(spec.stops, text, spec.after_stop)
    else:
        result.checks += judge_counts(result.checks, text)
    result.checks += judge_cell_console(spec.cell_console, cell_text)
    if spec.cell_clean:
        trouble = [l for l in cell_text.splitlines() if KERNEL_TROUBLE.search(l)]
        result.checks.append((not trouble, "cell console clean" +
                              (f" (first: {trouble[0].strip()})" if trouble else "")))
    trouble = [l for l in text.splitlines() if KERNEL_TROUBLE.search(l)]
    if trouble and not spec.stops:
        result.checks.append((False, f"kernel log clean (first: {trouble[0].strip()})"))
    if timed_out:
        result.checks.append((False, f"finished within {spec.timeout:.0f} s"))
    elif END_MARKER not in text and not spec.stops:
        result.checks.append((False, "guest reached the end of the test script"))
    if not result.checks:
        result.checks.append((False, "the test made at least one check"))
    return result


def excerpt(text: str, lines: int = 60) -> str:
    """The part of the log a reader needs: from the test start (or the tail) onwards."""
    all_lines = text.splitlines()
    begin = next((i for i, l in enumerate(all_lines) if "SYSTEM-TEST-BEGIN" in l), None)
    chosen = all_lines[begin:] if begin is not None else all_lines
    if len(chosen) > lines:
        chosen = ["..."] + chosen[-lines:]
    return "\n".join("    " + l for l in chosen)


def run_test(spec: TestSpec, workdir: Path, echo: bool) -> Result:
    log = workdir / f"{spec.name}.log"
    timeline = CellTimeline(spec, log)
    text, timed_out, seconds = boot(spec, workdir, echo, timeline)
    result = judge(spec, text, timed_out, read_text(cell_log(log)))
    result.infos += timeline.infos()
    result.log = log
    result.seconds = seconds
    return result


def report(result: Result) -> None:
    for ok, desc in result.checks:
        print(f"  {'PASS' if ok else 'FAIL'} {result.name}: {desc}")
    for info in result.infos:
        print(f"  INFO {result.name}: {info}")
    print(f"  {result.name}: {result.passed} passed, {result.failed} failed "
          f"in {result.seconds:.1f} s (log: {result.log})")


def select(names: list[str]) -> list[Path]:
    if not names:
        return sorted(SYSTEM_TESTS.glob("*.sh"))
    scripts = []
    for name in names:
        path = Path(name)
        if not path.exists():
            path = SYSTEM_TESTS / (name if name.endswith(".sh") else f"{name}.sh")
        if not path.exists():
            raise FileNotFoundError(f"no system test '{name}' (looked in {SYSTEM_TESTS})")
        scripts.append(path)
    return scripts


def run_one(spec: TestSpec, logdir: Path, demo: bool, out: threading.Lock) -> Result:
    """Boot one test and print its result as one block (tests may run side by side)."""
    with out:
        print(f"system test {spec.name}: booting QEMU ({spec.machine})", flush=True)
    try:
        result = run_test(spec, logdir, echo=demo)
    except (FileNotFoundError, OSError) as err:
        result = Result(spec.name, [(False, f"test could run ({err})")])
    text = result.log.read_text(errors="replace") if result.log and result.log.exists() else ""
    with out:
        if not demo or result.failed:
            report(result)
        if result.failed and not demo:
            print(f"  --- console excerpt of {spec.name} ---\n{excerpt(text)}")
        sys.stdout.flush()
    return result


def schedule(specs: list[TestSpec], jobs: int) -> list[TestSpec]:
    """Side by side, the longest tests (by their timeout) go first, so that no long one is left
    to run alone at the end; one at a time, the given order."""
    return sorted(specs, key=lambda s: -s.timeout) if jobs > 1 else specs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tests", nargs="*", help="test names (default: all in tests/system)")
    ap.add_argument("--demo", action="store_true",
                    help="run one script and show the guest console live")
    ap.add_argument("--summary", type=Path, help="write 'PASSED FAILED' counts here")
    ap.add_argument("--logdir", type=Path, default=BUILD / "tests")
    ap.add_argument("--jobs", "-j", type=int, default=1,
                    help="QEMU machines run side by side (default 1)")
    args = ap.parse_args()
    try:
        if args.jobs < 1 or (args.demo and args.jobs != 1):
            raise ValueError("--jobs takes a number >= 1, and 1 with --demo")
        scripts = select(args.tests)
        specs = [parse_spec(s) for s in scripts]
        for arch in sorted({s.arch for s in specs}):
            if not kernel_image(arch).exists():
                raise FileNotFoundError(f"the {ARCHES[arch].flavour} kernel is missing: run make deps")
    except (FileNotFoundError, OSError, ValueError) as err:
        print(f"run-system: error: {err}", file=sys.stderr)
        return 2
    args.logdir.mkdir(parents=True, exist_ok=True)
    out = threading.Lock()
    results = [run_one(spec, args.logdir, args.demo, out) for spec in specs if spec.alone]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results += pool.map(lambda spec: run_one(spec, args.logdir, args.demo, out),
                            schedule([s for s in specs if not s.alone], args.jobs))
    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    if args.summary:
        args.summary.write_text(f"{passed} {failed}\n")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
