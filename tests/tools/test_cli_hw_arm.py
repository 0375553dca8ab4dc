"""jailhouse hardware check on ARMv7 (tools/hwcheck_arm.c), on the host: the CLI built with the
ARMv7 headers (limits) under ASan/UBSan reads a snapshot of the ARMv7 test machine written here
(configgen's root DTB of dts/qemu-arm, an ARMv7 cpuinfo, the kernel log's boot-mode line) and
variants of it: booted in SVC mode, no LPAE, GICv2 without GICH/GICV, a GICv3, another board's
configuration, the module's verdict. tests/system/hv-smoke-arm.sh and no-hyp-arm.sh run it in
the ARMv7 guest."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
ARM64_SNAP = TOP / "tests" / "configgen" / "fixtures" / "qemu-arm64-snapshot"
PY = "/usr/bin/python3"
CFLAGS = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
          "-std=gnu11", "-Wall", "-Wextra", "-Werror"]
HYP_LOG = "[    0.298004] CPU: All CPU(s) started in HYP mode.\n"
SVC_LOG = "[    0.298004] CPU: All CPU(s) started in SVC mode.\n"
CPUINFO = "".join(f"processor\t: {n}\nmodel name\t: ARMv7 Processor rev 0 (v7l)\n"
                  "BogoMIPS\t: 125.00\nFeatures\t: half thumb fastmult vfp edsp thumbee neon "
                  "vfpv3 tls vfpv4 idiva idivt vfpd32 lpae evtstrm\nCPU implementer\t: 0x41\n"
                  "CPU architecture: 7\nCPU variant\t: 0x4\nCPU part\t: 0xc0f\n"
                  "CPU revision\t: 0\n\n" for n in range(4))
GIC = "/intc@8000000"


def run(cmd: list, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(TOP), ASAN_OPTIONS="detect_leaks=0")
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=TOP,
                          env=env, **kw)


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> Path:
    exe = tmp_path_factory.mktemp("cli-hw-arm") / "jailhouse-arm"
    inc = [TOP / "kmod", TOP / "hv" / "include", TOP / "hv" / "arch" / "arm" / "include"]
    res = run(["gcc", *CFLAGS, *[f"-I{i}" for i in inc], "-o", exe,
               *sorted((TOP / "tools").glob("*.c"))])
    assert res.returncode == 0, res.stderr
    return exe


@pytest.fixture(scope="module")
def configs(tmp_path_factory) -> dict[str, Path]:
    """The ARMv7 QEMU system compiled by configgen, with its root DTB."""
    d = tmp_path_factory.mktemp("configs-arm")
    res = run([PY, "-m", "configgen", "compile", "dts/qemu-arm/system.dts", "-o", d / "system.cell",
               "--root-dtb", d / "root.dtb"])
    assert res.returncode == 0, res.stderr
    return {"system": d / "system.cell", "dtb": d / "root.dtb"}


def write(root: Path, rel: str, text: str) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


@pytest.fixture
def arm_root(tmp_path, configs) -> Path:
    """The ARMv7 guest as booted with configgen's root DTB: 4 Cortex-A15s in HYP mode, Linux in
    0x40000000-0x67ffffff."""
    root = tmp_path / "armv7"
    shutil.copytree(ARM64_SNAP, root, ignore=shutil.ignore_patterns("*.md", "*.py", "*.txt",
                                                                     "*.sh"))
    shutil.copy(configs["dtb"], root / "sys/firmware/fdt")
    write(root, "proc/iomem", "09000000-09000fff : pl011@9000000\n"
          "40000000-67ffffff : System RAM\n  40208000-41ffffff : Kernel code\n")
    write(root, "proc/cpuinfo", CPUINFO)
    write(root, "proc/cmdline", "console=ttyAMA0 panic=-1\n")
    write(root, "dmesg", HYP_LOG)
    return root


def check(cli: Path, root: Path, config: Path | None, *extra: str) -> tuple[int, str]:
    res = run([cli, "hardware", "check", "--root", root, *extra] + ([config] if config else []))
    assert "runtime error" not in res.stderr and "AddressSanitizer" not in res.stderr, res.stderr
    return res.returncode, res.stdout + res.stderr


def line(out: str, verdict: str, what: str) -> str:
    m = re.search(rf"^  {verdict} +{re.escape(what)}: (.*)$", out, re.M)
    assert m, f"no {verdict} line for {what}:\n{out}"
    return m.group(1)


def fdtput(dtb: Path, *args: str) -> None:
    subprocess.run(["fdtput", str(dtb), *args], check=True)


def test_armv7_machine_passes(cli, configs, arm_root):
    rc, out = check(cli, arm_root, configs["system"])
    assert out.startswith("jailhouse hardware check (arm, snapshot ")   # guessed: CPU arch 7
    assert "ARMv7 CPU with LPAE" in line(out, "OK", "LPAE")
    gic = line(out, "OK", "interrupt controller")
    assert "GICv2 (arm,cortex-a15-gic)" in gic and "GICH 0x8030000, GICV 0x8040000" in gic
    assert "maintenance interrupt INTID 25" in gic
    assert "matches the device tree" in line(out, "OK", "GIC of the configuration")
    assert "all CPUs started in HYP mode" in line(out, "OK", "HYP mode")
    assert rc == 0 and "nothing found that makes jailhouse enable fail" in out, out


def test_armv7_started_in_svc_mode(cli, configs, arm_root):
    write(arm_root, "dmesg", SVC_LOG)
    rc, out = check(cli, arm_root, configs["system"])
    assert rc == 1 and "started in SVC mode" in line(out, "FAIL", "HYP mode")
    assert "virtualization=on" in out
    write(arm_root, "dmesg", "[ 0.3] CPU: WARNING: CPU(s) started in wrong/inconsistent modes "
          "(primary CPU mode 0x13)\n")
    rc, out = check(cli, arm_root, configs["system"])
    assert rc == 1 and "different modes" in line(out, "FAIL", "HYP mode")
    write(arm_root, "dmesg", "")
    rc, out = check(cli, arm_root, configs["system"])
    assert "does not say" in line(out, "SKIP", "HYP mode")


def test_armv7_without_lpae(cli, configs, arm_root):
    write(arm_root, "proc/cpuinfo", CPUINFO.replace(" lpae", ""))
    rc, out = check(cli, arm_root, configs["system"])
    assert rc == 1 and "no Large Physical Address Extension" in line(out, "FAIL", "LPAE")


def test_armv7_gicv2_without_virtualization_interfaces(cli, configs, arm_root):
    fdt = arm_root / "sys/firmware/fdt"
    fdtput(fdt, "-t", "x", GIC, "reg", "0", "0x8000000", "0", "0x10000", "0", "0x8010000", "0",
           "0x10000")
    fdtput(fdt, "-d", GIC, "interrupts")
    rc, out = check(cli, arm_root, configs["system"])
    assert rc == 1 and "without its virtualization interfaces" in \
        line(out, "FAIL", "interrupt controller")


def test_armv7_gicv3_and_another_boards_gic(cli, configs, arm_root):
    fdt = arm_root / "sys/firmware/fdt"
    fdtput(fdt, "-t", "x", GIC, "reg", "0", "0x2c001000", "0", "0x1000", "0", "0x2c002000", "0",
           "0x2000", "0", "0x2c004000", "0", "0x2000", "0", "0x2c006000", "0", "0x2000")
    rc, out = check(cli, arm_root, configs["system"])
    assert rc == 1 and "not the device tree's" in line(out, "FAIL", "GIC of the configuration")
    fdtput(fdt, "-t", "s", GIC, "compatible", "arm,gic-v3")
    rc, out = check(cli, arm_root, configs["system"])
    assert "drives GICv2 only" in line(out, "FAIL", "interrupt controller")


def test_armv7_module_verdict(cli, configs, arm_root):
    write(arm_root, "sys/devices/jailhouse/enabled", "0\n")
    write(arm_root, "sys/devices/jailhouse/hyp", "HYP mode available, Linux hyp stub installed\n")
    rc, out = check(cli, arm_root, configs["system"])
    assert "stub installed" in line(out, "OK", "module HYP probe")
    write(arm_root, "sys/devices/jailhouse/hyp", "the kernel log no longer says whether the CPUs "
          "started in HYP mode (log cleared or wrapped); if they did, load the module with "
          "assume_hyp_boot=1\n")
    rc, out = check(cli, arm_root, configs["system"])
    assert rc == 1 and "assume_hyp_boot=1" in line(out, "FAIL", "module HYP probe")


def test_explicit_arch_and_a_wrong_one(cli, configs, arm_root):
    rc, out = check(cli, arm_root, configs["system"], "--arch", "arm")
    assert rc == 0 and out.startswith("jailhouse hardware check (arm, ")
    rc, out = check(cli, arm_root, configs["system"], "--arch", "arm64")
    assert rc == 1 and "made for arm, the machine is arm64" in out
    rc, out = check(cli, arm_root, configs["system"], "--arch", "armv7")
    assert rc == 2 and "unknown arch 'armv7' (arm64, arm or x86)" in out
