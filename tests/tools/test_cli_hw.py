"""jailhouse hardware check, config collect, check and create on the host: the CLI (built for the host with the
arm64 and with the x86 headers, under ASan/UBSan) reads snapshots of the QEMU test machines
(tests/configgen/fixtures/*-snapshot, taken in the guests) and variants of them written here
(reserved memory, EL1, VHE, KVM, GICv2, x2APIC, 5-level paging, module verdicts), and what it
collects is what configgen/collect.sh collects and what `configgen create --root` accepts, as a
directory or as a tar archive. tests/system/cli-hardware.sh runs it in the arm64 guest."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
TOOLS = TOP / "tools"
FIXTURES = TOP / "tests" / "configgen" / "fixtures"
ARM_SNAP = FIXTURES / "qemu-arm64-snapshot"
X86_SNAP = FIXTURES / "qemu-x86-snapshot"
PY = "/usr/bin/python3"
CFLAGS = ["-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
          "-std=gnu11", "-Wall", "-Wextra", "-Werror"]
SNAP_EXTRA = {"gen-snapshot.py", "README.md", "qemu-info.txt", "guest-init.sh", "dmesg-excerpt.txt"}
EL2_LOG = "[    0.000000] CPU: All CPU(s) started at EL2\n"


def run(cmd: list, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    env = dict(env or os.environ, PYTHONPATH=str(TOP), ASAN_OPTIONS="detect_leaks=0")
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=TOP,
                          env=env, **kw)


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> dict[str, Path]:
    """The CLI for the host, once with each architecture's headers (limits, exit reasons)."""
    d = tmp_path_factory.mktemp("cli-hw")
    out = {}
    for arch in ("arm64", "x86"):
        inc = [TOP / "kmod", TOP / "hv" / "include", TOP / "hv" / "arch" / arch / "include"]
        exe = d / f"jailhouse-{arch}"
        res = run(["gcc", *CFLAGS, *[f"-I{i}" for i in inc], "-o", exe, *sorted(TOOLS.glob("*.c"))])
        assert res.returncode == 0, res.stderr
        out[arch] = exe
    return out


@pytest.fixture(scope="module")
def configs(tmp_path_factory) -> dict[str, Path]:
    """The QEMU systems compiled by configgen: arm64 (with its root DTB) and x86."""
    d = tmp_path_factory.mktemp("configs")
    res = run([PY, "-m", "configgen", "compile", "dts/qemu-arm64/system.dts", "-o", d / "arm.cell",
               "--root-dtb", d / "root.dtb"])
    assert res.returncode == 0, res.stderr
    res = run([PY, "-m", "configgen", "compile", "dts/qemu-x86/system.dts", "-o", d / "x86.cell",
               "--root-cmdline", d / "root.cmdline"])
    assert res.returncode == 0, res.stderr
    return {"arm64": d / "arm.cell", "dtb": d / "root.dtb", "x86": d / "x86.cell"}


def snapshot(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(*SNAP_EXTRA))
    return dest


def write(root: Path, rel: str, text: str | bytes) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text if isinstance(text, bytes) else text.encode())


@pytest.fixture
def arm_root(tmp_path, configs) -> Path:
    """The arm64 guest as booted with configgen's root DTB: the hypervisor memory and the cell
    pool (0x68000000-0x7fffffff) reserved, not System RAM; kvm-arm.mode=none, started at EL2."""
    root = snapshot(ARM_SNAP, tmp_path / "arm")
    shutil.copy(configs["dtb"], root / "sys/firmware/fdt")
    iomem = (root / "proc/iomem").read_text().replace("40000000-7fffffff : System RAM",
                                                      "40000000-67ffffff : System RAM")
    write(root, "proc/iomem", iomem)
    write(root, "proc/cmdline", "console=ttyAMA0 kvm-arm.mode=none\n")
    write(root, "dmesg", EL2_LOG)
    return root


@pytest.fixture
def x86_root(tmp_path) -> Path:
    """The x86 guest booted with root.cmdline's memmap= (0x3a000000-0x3effffff reserved)."""
    root = snapshot(X86_SNAP, tmp_path / "x86")
    iomem = (root / "proc/iomem").read_text().replace(
        "00100000-3ffdffff : System RAM",
        "00100000-39ffffff : System RAM\n3a000000-3effffff : Reserved\n3f000000-3ffdffff : System RAM")
    assert "3a000000-3effffff : Reserved" in iomem
    write(root, "proc/iomem", iomem)
    for n, (start, end, kind) in enumerate([("0", "9fbff", "System RAM"),
                                            ("100000", "3ffdffff", "System RAM")]):
        for attr, val in (("start", f"0x{start}"), ("end", f"0x{end}"), ("type", kind)):
            write(root, f"sys/firmware/memmap/{n}/{attr}", val + "\n")
    return root


def check(cli: Path, root: Path, config: Path | None, *extra: str) -> tuple[int, str]:
    args = [cli, "hardware", "check", "--root", root, *extra] + ([config] if config else [])
    res = run(args)
    assert "runtime error" not in res.stderr and "AddressSanitizer" not in res.stderr, res.stderr
    return res.returncode, res.stdout + res.stderr


def line(out: str, verdict: str, what: str) -> str:
    m = re.search(rf"^  {verdict} +{re.escape(what)}: (.*)$", out, re.M)
    assert m, f"no {verdict} line for {what}:\n{out}"
    return m.group(1)


# --- arm64 -----------------------------------------------------------------------------------

def test_arm64_reserved_machine_passes(cli, configs, arm_root):
    rc, out = check(cli["arm64"], arm_root, configs["arm64"])
    assert rc == 0, out
    assert "FAIL" not in out and "nothing found that makes jailhouse enable fail" in out
    assert "GICv3" in line(out, "OK", "interrupt controller")
    assert "started at EL2" in line(out, "OK", "EL2")
    assert "0x7f800000-0x7fffffff" in line(out, "OK", "hypervisor memory")
    line(out, "OK", "root cell memory")
    line(out, "OK", "cell pool")
    line(out, "OK", "CPUs of the configuration")
    line(out, "OK", "GIC of the configuration")


def test_arm64_snapshot_as_taken_fails_on_memory(cli, configs):
    """The fixture was booted with QEMU's own DTB: nothing reserved. Enable would fail."""
    rc, out = check(cli["arm64"], ARM_SNAP, configs["arm64"])
    assert rc == 1, out
    assert "is System RAM" in line(out, "FAIL", "hypervisor memory")
    assert "reserved-memory" in out          # the hint says how
    assert "is System RAM" in line(out, "WARN", "cell pool")
    assert "not say where the CPUs started" in line(out, "SKIP", "EL2")
    assert "jailhouse enable would fail: 2 problems" in out


@pytest.mark.parametrize("dmesg, cmdline, kvm, verdict, words", [
    ("CPU: All CPU(s) started at EL1\n", "", False, "FAIL", "started at EL1"),
    (EL2_LOG + "CPU features: detected: Virtualization Host Extensions\n", "", False, "FAIL",
     "(VHE)"),
    (EL2_LOG + "kvm [1]: Hyp mode initialized successfully\n", "console=ttyAMA0", True, "FAIL",
     "KVM owns EL2"),
    (EL2_LOG, "kvm-arm.mode=none", False, "OK", "runs at EL1 (nVHE)"),
    # the last of a parameter given twice counts, as for the kernel (foreign-el2.sh boots so)
    (EL2_LOG + "kvm [1]: Protected nVHE mode initialized successfully\n",
     "kvm-arm.mode=none kvm-arm.mode=protected", True, "FAIL", "kvm-arm.mode=protected"),
])
def test_arm64_el2_modes(cli, configs, arm_root, dmesg, cmdline, kvm, verdict, words):
    write(arm_root, "dmesg", dmesg)
    write(arm_root, "proc/cmdline", cmdline + "\n")
    if kvm:
        write(arm_root, "dev/kvm", "")
    rc, out = check(cli["arm64"], arm_root, configs["arm64"])
    assert words in line(out, verdict, "EL2")
    assert rc == (1 if verdict == "FAIL" else 0), out


def test_arm64_gicv2_fails(cli, configs, arm_root):
    fdt = arm_root / "sys/firmware/fdt"
    node = next(n for n in run(["fdtget", "-l", fdt, "/"]).stdout.split() if n.startswith("intc@"))
    assert run(["fdtput", "-t", "s", fdt, f"/{node}", "compatible", "arm,gic-400"]).returncode == 0
    rc, out = check(cli["arm64"], arm_root, configs["arm64"])
    assert rc == 1 and "drives GICv3 only" in line(out, "FAIL", "interrupt controller")


def test_arm64_cpus_and_module(cli, configs, arm_root):
    write(arm_root, "sys/devices/system/cpu/online", "0-1\n")
    rc, out = check(cli["arm64"], arm_root, configs["arm64"])
    assert rc == 1 and "has 4 CPUs, 2 are online" in line(out, "FAIL", "CPUs of the configuration")
    write(arm_root, "sys/devices/system/cpu/online", "0-3\n")
    write(arm_root, "sys/devices/jailhouse/enabled", "0\n")
    write(arm_root, "sys/devices/jailhouse/el2", "EL2 is owned by another hypervisor (KVM/pKVM?); "
          "boot with kvm-arm.mode=none\n")
    rc, out = check(cli["arm64"], arm_root, configs["arm64"])
    assert rc == 1 and "owned by another" in line(out, "FAIL", "module EL2 probe")
    write(arm_root, "sys/devices/jailhouse/el2", "EL2 available, Linux hyp stub installed\n")
    assert check(cli["arm64"], arm_root, configs["arm64"])[0] == 0
    write(arm_root, "sys/devices/jailhouse/enabled", "1\n")
    rc, out = check(cli["arm64"], arm_root, configs["arm64"])
    assert rc == 1 and line(out, "FAIL", "hypervisor") == "already enabled"


def test_arm64_firmware_image(cli, configs, arm_root):
    write(arm_root, "lib/firmware/jailhouse.bin", b"\0" * 4096)
    rc, out = check(cli["arm64"], arm_root, configs["arm64"])
    assert rc == 1 and "does not match" in line(out, "FAIL", "hypervisor image")
    image = TOP / "build" / "hv" / "jailhouse.bin"
    if image.exists():
        shutil.copy(image, arm_root / "lib/firmware/jailhouse.bin")
        rc, out = check(cli["arm64"], arm_root, configs["arm64"])
        assert rc == 0 and "built for up to" in line(out, "OK", "hypervisor image")


def test_arm64_unreserved_link_memory_named(cli, configs, arm_root):
    """Linux using an inter-cell link's memory (an old root DTB): named, not just 'a gap'."""
    iomem = (arm_root / "proc/iomem").read_text().replace("40000000-67ffffff : System RAM",
                                                          "40000000-7effffff : System RAM")
    write(arm_root, "proc/iomem", iomem)
    rc, out = check(cli["arm64"], arm_root, configs["arm64"])
    assert rc == 1 and "inter-cell link" in line(out, "FAIL", "root cell memory")


# --- x86 -------------------------------------------------------------------------------------

def test_x86_memmap_machine_passes(cli, configs, x86_root):
    rc, out = check(cli["x86"], x86_root, configs["x86"])
    assert rc == 0, out
    line(out, "OK", "SVM")
    line(out, "OK", "nested paging")
    assert "not needed" in line(out, "INFO", "NRIPS, decode assists")
    assert "4-level" in line(out, "OK", "paging")
    assert "xAPIC" in line(out, "OK", "local APIC")
    assert "0x3a000000" in line(out, "OK", "hypervisor memory")
    line(out, "OK", "CPUs of the configuration")


def test_x86_snapshot_without_memmap_fails(cli, configs):
    rc, out = check(cli["x86"], X86_SNAP, configs["x86"])
    assert rc == 1 and "memmap=" in out
    assert "is System RAM" in line(out, "FAIL", "hypervisor memory")


def edit_cpuinfo(root: Path, old: str, new: str) -> None:
    text = (root / "proc/cpuinfo").read_text()
    assert old in text, old
    write(root, "proc/cpuinfo", text.replace(old, new))


def flags(root: Path) -> str:
    return re.search(r"^flags\s*:(.*)$", (root / "proc/cpuinfo").read_text(), re.M).group(1)


def test_x86_no_svm_no_npt_la57_x2apic(cli, configs, x86_root):
    edit_cpuinfo(x86_root, " npt", "")
    rc, out = check(cli["x86"], x86_root, configs["x86"])
    assert rc == 1 and "without NPT" in line(out, "FAIL", "nested paging")
    edit_cpuinfo(x86_root, " svm", "")
    rc, out = check(cli["x86"], x86_root, configs["x86"])
    assert rc == 1 and "no AMD SVM" in line(out, "FAIL", "SVM")
    edit_cpuinfo(x86_root, "48 bits virtual", "57 bits virtual")
    rc, out = check(cli["x86"], x86_root, configs["x86"])
    assert "no5lvl" in out and "5-level" in line(out, "FAIL", "paging")
    f = flags(x86_root)
    edit_cpuinfo(x86_root, f, f + " x2apic")
    write(x86_root, "dmesg", "x2apic enabled\n")
    rc, out = check(cli["x86"], x86_root, configs["x86"])
    assert "nox2apic" in out and "x2APIC mode" in line(out, "FAIL", "local APIC")
    write(x86_root, "proc/cmdline", "nox2apic\n")
    rc, out = check(cli["x86"], x86_root, configs["x86"])
    assert "nox2apic" in line(out, "OK", "local APIC")


def test_x86_kvm(cli, configs, x86_root):
    write(x86_root, "sys/module/kvm_amd/parameters/npt", "Y\n")
    rc, out = check(cli["x86"], x86_root, configs["x86"])
    assert rc == 0 and "rmmod kvm_amd" in out and line(out, "WARN", "KVM")
    write(x86_root, "sys/module/kvm/parameters/enable_virt_at_load", "Y\n")
    rc, out = check(cli["x86"], x86_root, configs["x86"])
    assert rc == 1 and "holds SVM" in line(out, "FAIL", "KVM")


def test_x86_memory_not_ram_in_e820(cli, configs, x86_root):
    write(x86_root, "sys/firmware/memmap/1/end", "0x39ffffff\n")
    rc, out = check(cli["x86"], x86_root, configs["x86"])
    assert rc == 1 and "e820" in line(out, "FAIL", "hypervisor memory")


def test_wrong_arch_configuration(cli, configs, x86_root):
    rc, out = check(cli["x86"], x86_root, configs["arm64"])
    assert rc == 1 and "made for arm64, the machine is x86" in line(out, "FAIL", "system configuration")


# --- hostile arguments and inputs: one clear line --------------------------------------------

@pytest.mark.parametrize("args, code, pattern", [
    (["hardware"], 2, r"Usage: jailhouse hardware check"),
    (["hardware", "probe"], 2, r"Usage: jailhouse hardware check"),
    (["hardware", "check", "/nonexistent.cell"], 2, r"^jailhouse: cannot read /nonexistent.cell"),
    (["hardware", "check", "--arch", "riscv"], 2, r"unknown arch 'riscv'"),
    (["hardware", "check", "--root", "/nonexistent"], 2, r"--root /nonexistent: No such file"),
    (["hardware", "check", "a.cell", "b.cell"], 2, r"unexpected argument 'b.cell'"),
    (["hardware", "check", "--bogus"], 2, r"unexpected argument '--bogus'"),
    (["config"], 2, r"unknown command ''"),
    (["config", "frob"], 2, r"unknown command 'frob'"),
    (["config", "collect"], 2, r"Usage: jailhouse config collect"),
    (["config", "collect", "a", "b"], 2, r"Usage: jailhouse config collect"),
    (["config", "collect", "/nonexistent/dir/s.tar"], 1, r"cannot create /nonexistent/dir/s.tar"),
    (["cell", "stats", "x", "-n", "0"], 2, r"Usage: jailhouse cell stats"),
    (["cell", "stats", "x", "-n", "abc"], 2, r"Usage: jailhouse cell stats"),
    (["cell", "stats", "x", "--bogus"], 2, r"Usage: jailhouse cell stats"),
    (["frobnicate"], 2, r"unknown command 'frobnicate'"),
])
def test_hostile_arguments(cli, args, code, pattern):
    res = run([cli["arm64"], *args])
    assert res.returncode == code, res.stdout + res.stderr
    assert re.search(pattern, res.stderr, re.M), res.stderr
    assert "runtime error" not in res.stderr and "AddressSanitizer" not in res.stderr


@pytest.mark.parametrize("blob", [b"", b"HVSY", b"HVSY" + b"\xff" * 2000, os.urandom(3000)])
def test_garbage_configurations(cli, arm_root, tmp_path, blob):
    bad = tmp_path / "bad.cell"
    bad.write_bytes(blob)
    rc, out = check(cli["arm64"], arm_root, bad)
    assert rc == 1
    assert line(out, "FAIL", "system configuration")


def test_garbage_snapshot_files(cli, configs, arm_root):
    """Corrupt proc and sysfs files: lines saying so, never a crash."""
    write(arm_root, "sys/firmware/fdt", os.urandom(5000))
    write(arm_root, "proc/iomem", "garbage\n-\nzz-yy : System RAM\n")
    write(arm_root, "sys/devices/system/cpu/online", "3-1,x\n")
    write(arm_root, "proc/cpuinfo", ":" * 5000)
    rc, out = check(cli["arm64"], arm_root, configs["arm64"])
    assert rc in (0, 1) and "jailhouse hardware check" in out


# --- config collect --------------------------------------------------------------------------

def files_of(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("snap", [ARM_SNAP, X86_SNAP], ids=["arm64", "x86"])
def test_collect_is_collect_sh(cli, tmp_path, snap):
    """Both collectors copy the same files byte for byte (read from a snapshot as their root)."""
    root = snapshot(snap, tmp_path / "root")
    write(root, "proc/cmdline", "console=ttyS0\n")
    write(root, "dmesg", "boot log\n")
    write(root, "sys/firmware/memmap/0/start", "0x0\n")
    write(root, "sys/firmware/memmap/0/type", "System RAM\n")
    env = dict(os.environ, COLLECT_ROOT=str(root))
    sh = shutil.which("dash") or "sh"
    res = subprocess.run([sh, TOP / "configgen/collect.sh", tmp_path / "by-sh"], env=env,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    res = run([cli["x86"], "config", "collect", "--root", root, tmp_path / "by-cli"])
    assert res.returncode == 0, res.stderr
    assert files_of(tmp_path / "by-cli") == files_of(tmp_path / "by-sh")
    assert "proc/cmdline" in files_of(tmp_path / "by-cli")


@pytest.mark.parametrize("snap", [ARM_SNAP, X86_SNAP], ids=["arm64", "x86"])
def test_collected_tar_feeds_configgen_create(cli, tmp_path, snap):
    """The archive holds the snapshot's files; configgen create --root takes the archive and
    writes what it writes from the snapshot directory itself."""
    tar = tmp_path / "snap.tar"
    res = run([cli["arm64"], "config", "collect", "--root", snap, tar])
    assert res.returncode == 0 and "files collected" in res.stderr, res.stderr
    with tarfile.open(tar) as t:
        got = {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}
        assert all(m.isdir() or m.isfile() for m in t.getmembers())
    want = {k: v for k, v in files_of(snap).items() if k not in SNAP_EXTRA}
    assert got == want
    outs = []
    for root in (snap, tar):
        out = tmp_path / f"{root.name}.dts"
        res = run([PY, "-m", "configgen", "create", "--root", root, "-o", out])
        assert res.returncode == 0, res.stderr
        # the header comment names the root and wraps where the name ends
        outs.append(" ".join(out.read_text().replace(str(root), "ROOT").replace(" * ", " ").split()))
    assert outs[0] == outs[1]


def test_collect_to_stdout_is_a_tar(cli, tmp_path):
    res = subprocess.run([cli["arm64"], "config", "collect", "--root", ARM_SNAP, "-"],
                         capture_output=True)
    assert res.returncode == 0
    (tmp_path / "s.tar").write_bytes(res.stdout)
    with tarfile.open(tmp_path / "s.tar") as t:
        assert "sys/firmware/fdt" in t.getnames()


@pytest.mark.parametrize("member", ["../evil", "/etc/evil", "link"])
def test_configgen_create_refuses_hostile_archives(tmp_path, member):
    tar = tmp_path / "bad.tar"
    with tarfile.open(tar, "w") as t:
        info = tarfile.TarInfo(member)
        if member == "link":
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        t.addfile(info, None if member == "link" else __import__("io").BytesIO(b""))
    res = run([PY, "-m", "configgen", "create", "--root", tar, "-o", tmp_path / "o.dts"])
    assert res.returncode == 2 and "not a plain file or directory" in res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "o.dts").exists()


def test_hardware_check_on_a_collected_snapshot(cli, configs, arm_root, tmp_path):
    """What collect wrote, hardware check --root reads: the same verdicts as on the tree."""
    res = run([cli["arm64"], "config", "collect", "--root", arm_root, tmp_path / "again"])
    assert res.returncode == 0, res.stderr
    a = check(cli["arm64"], arm_root, configs["arm64"])
    b = check(cli["arm64"], tmp_path / "again", configs["arm64"])
    strip = lambda s: re.sub(r"snapshot \S+", "snapshot", s)  # noqa: E731
    assert a[0] == b[0] == 0 and strip(a[1]) == strip(b[1])


# --- config check and config create ----------------------------------------------------------

@pytest.fixture(scope="module")
def cells(tmp_path_factory, configs) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cells")
    out = {}
    for name in ("gic-demo", "smp-demo", "linux-demo"):
        out[name] = d / f"{name}.cell"
        res = run([PY, "-m", "configgen", "compile", "dts/qemu-arm64/system.dts",
                   f"dts/qemu-arm64/{name}.dtso", "-o", out[name]])
        assert res.returncode == 0, res.stderr
    return out


def test_config_check_on_compiled_blobs(cli, configs, cells):
    res = run([cli["arm64"], "config", "check", configs["arm64"], *cells.values()])
    assert res.returncode == 0, res.stdout + res.stderr
    assert re.search(r"arm.cell: ok: system, root cell \"root-linux\", 4 CPUs", res.stdout)
    for name in cells:
        assert f'{name}.cell: ok: cell "{name}" fits the system' in res.stdout
    # smp-demo and linux-demo are alternatives: both take CPU 1
    assert re.search(r'warning: cells "smp-demo" and "linux-demo" cannot run together: both '
                     r"have CPU \d", res.stdout)


def test_config_check_refusals(cli, configs, cells, tmp_path):
    bad = tmp_path / "bad.cell"
    data = bytearray(cells["gic-demo"].read_bytes())
    data[100] ^= 0xff
    bad.write_bytes(bytes(data))
    res = run([cli["arm64"], "config", "check", configs["arm64"], bad])
    assert res.returncode == 1 and re.search(r"bad.cell: error: .*", res.stdout), res.stdout
    res = run([cli["arm64"], "config", "check", cells["gic-demo"]])
    assert res.returncode == 1 and "not a system configuration" in res.stdout
    res = run([cli["arm64"], "config", "check", configs["x86"]])
    assert res.returncode == 1 and "error:" in res.stdout
    res = run([cli["arm64"], "config", "check", configs["arm64"], tmp_path / "none.cell"])
    assert res.returncode == 2 and "cannot read" in res.stderr
    res = run([cli["arm64"], "config", "check"])
    assert res.returncode == 2 and "Usage: jailhouse config check" in res.stderr
    assert "runtime error" not in res.stderr


def test_config_create_runs_configgen_with_upstreams_options(cli, tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "configgen").write_text('#!/bin/sh\necho "configgen $*"\n')
    (fake / "configgen").chmod(0o755)
    env = {"PATH": f"{fake}:/usr/bin:/bin"}
    res = run([cli["arm64"], "config", "create", "-r", "snap.tar", "--mem-hv", "8M",
               "--mem-inmates", "100M", "sys.dts"], env=dict(os.environ, **env))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == ("configgen create --root snap.tar --hypervisor-size 8M "
                                  "--cell-size 100M -o sys.dts")
    for args, pattern in ((["sys.c"], "not C"), (["-g", "x.sh"], "jailhouse config collect"),
                          (["-c", "ttyS0", "sys.dts"], "'-c' is not supported"),
                          ([], "Usage: jailhouse config create"),
                          (["a.dts", "b.dts"], "'b.dts' is not supported")):
        res = run([cli["arm64"], "config", "create", *args], env=dict(os.environ, **env))
        assert res.returncode == 2 and pattern in res.stderr, (args, res.stderr)
    res = run([cli["arm64"], "config", "create", "sys.dts"],
              env=dict(os.environ, PATH=str(tmp_path / "empty")))
    assert res.returncode == 1 and "configgen is not installed here" in res.stderr


@pytest.mark.parametrize("magic, kind", [(b"JHSYS", "system"), (b"JHCLL", "cell"),
                                         (b"JHSYST", "system"), (b"JHCELL", "cell")])
@pytest.mark.parametrize("cmd", [["enable"], ["cell", "create"], ["hardware", "check"],
                                 ["config", "check"]])
def test_upstream_blobs_are_named_with_the_way_over(cli, tmp_path, magic, kind, cmd):
    """A Jailhouse blob (revision 14's signatures or the older ones; revision 13 here) is named,
    with configgen import, in one line; never sent to the driver or reported as a bad
    signature."""
    blob = tmp_path / "qemu-arm64.cell"
    blob.write_bytes(magic + b"\x0d\x00" + os.urandom(600))
    res = run([cli["arm64"], *cmd, blob])
    assert res.returncode in (1, 2), res.stdout + res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert re.search(rf"is a Jailhouse {kind} configuration \({magic.decode()}, revision 13\).*"
                     r"configgen import", lines[0]), lines[0]


def test_collect_into_what_is_no_directory_says_so_once(cli):
    res = run([cli["arm64"], "config", "collect", "--root", ARM_SNAP, "/dev/full"])
    assert res.returncode == 1
    assert res.stderr.strip() == "jailhouse: config collect: cannot create /dev/full: Not a directory"
    res = subprocess.run(f"{cli['arm64']} config collect --root {ARM_SNAP} - > /dev/full",
                         shell=True, capture_output=True, text=True)
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert "No space left on device" in res.stderr


def test_cell_stats_option_for_a_cell(cli):
    res = run([cli["arm64"], "cell", "stats", "-n", "2"])
    assert res.returncode == 2 and res.stderr.startswith("Usage: jailhouse cell stats")
