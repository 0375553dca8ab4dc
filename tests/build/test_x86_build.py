"""ARCH=x86: its own Kconfig file and build directory, a native compiler, kmod built in a tree of
its own; the system-test runner's x86 machine; the host validator picking the x86 validator by
the blob header's arch."""
from __future__ import annotations

import ctypes
import importlib.util
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
LIB = TOP / "build" / "host" / "libhvcfg.so"
ARM_SYSTEM = TOP / "build" / "configs" / "qemu-arm64" / "system.cell"
HVCFG_ARCH_ARM64, HVCFG_ARCH_X86_64 = 1, 2


def make_n(*args: str) -> str:
    """The commands make would run (dependencies taken as ready, nothing executed)."""
    res = subprocess.run(["make", "-C", str(TOP), "-n", "-B", *args], capture_output=True,
                         text=True, env={**os.environ, "JAILHOUSE_DEPS_READY": "1"}, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout


def load_run_system():
    spec = importlib.util.spec_from_file_location("run_system_x86", TOP / "tests" / "run-system.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["run_system_x86"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_defconfig_x86_writes_its_own_arch(tmp_path: Path) -> None:
    config = tmp_path / "config"
    res = subprocess.run(["make", "-C", str(TOP), "ARCH=x86", "defconfig"], capture_output=True,
                         text=True, env={**os.environ, "KCONFIG_CONFIG": str(config)}, timeout=120)
    assert res.returncode == 0, res.stderr
    text = config.read_text()
    assert "CONFIG_ARCH_X86=y" in text and "CONFIG_X86_CONSOLE_8250=y" in text
    assert "CONFIG_ARCH_ARM64=y" not in text


def test_x86_tools_are_native_and_under_build_x86() -> None:
    out = make_n("ARCH=x86", "tools")
    assert "aarch64" not in out
    assert f"-o {TOP}/build/x86/tools/jailhouse" in out
    assert f"-o {TOP}/build/x86/tests/bin/jh-ioctl" in out
    assert "-I" + str(TOP / "hv/arch/x86/include") in out


def test_x86_kmod_builds_in_its_own_tree() -> None:
    out = make_n("ARCH=x86", "kmod")
    assert f"M={TOP}/build/x86/kmod-tree/kmod" in out
    assert "linux-headers-" in out and "-amd64" in out
    assert "CROSS_COMPILE= " in out


def test_arm64_kmod_still_builds_in_kmod() -> None:
    out = make_n("kmod")
    assert f"M={TOP}/kmod " in out and "CROSS_COMPILE=aarch64-linux-gnu-" in out


def test_x86_spec_boots_the_svm_machine(tmp_path: Path) -> None:
    rs = load_run_system()
    script = tmp_path / "t.sh"
    script.write_text("# arch: x86\ncheck x true\n")
    spec = rs.parse_spec(script)
    assert (spec.machine, spec.cpu) == ("q35", "qemu64,+svm,+npt")
    cmd = rs.qemu_command(spec, tmp_path / "i.cpio", tmp_path / "t.log")
    assert cmd[0] == rs.qemu_machine.QEMU_X86 and "tcg,thread=multi" in cmd
    assert cmd.count("chardev:serial") == 2 and "-dtb" not in cmd
    append = cmd[cmd.index("-append") + 1]
    assert append.startswith("console=ttyS0 ") and "memmap=" in append


def test_arm64_spec_is_unchanged(tmp_path: Path) -> None:
    rs = load_run_system()
    script = tmp_path / "t.sh"
    script.write_text("# dtb: qemu\ncheck x true\n")
    cmd = rs.qemu_command(rs.parse_spec(script), tmp_path / "i.cpio", tmp_path / "t.log")
    assert cmd[:3] == [rs.qemu_machine.QEMU, "-nodefaults", "-M"]
    # one UART straight into the file (no mux); the one chardev is the cell console's pci-serial
    assert f"file:{tmp_path / 't.log'}" in cmd and "chardev:serial" not in cmd
    assert [cmd[n + 1].split(",")[1] for n, a in enumerate(cmd) if a == "-chardev"] == ["id=cellcon"]


def test_unknown_arch_is_an_error(tmp_path: Path) -> None:
    rs = load_run_system()
    script = tmp_path / "t.sh"
    script.write_text("# arch: mips\n")
    with pytest.raises(ValueError, match=r"t.sh:1: error: \[arch\]"):
        rs.parse_spec(script)


def check_system(blob: bytes) -> str:
    lib = ctypes.CDLL(str(LIB))
    lib.hvcfg_result_name.restype = ctypes.c_char_p
    code, detail = ctypes.c_uint32(), ctypes.c_uint64()
    lib.hvcfg_check_system(blob, len(blob), 8, ctypes.byref(code), ctypes.byref(detail))
    return lib.hvcfg_result_name(code.value).decode()


def with_arch(blob: bytes, arch: int) -> bytes:
    """The blob with another header arch and its CRC sealed again (CRC-32, field as zero)."""
    b = bytearray(blob)
    struct.pack_into("<H", b, 6, arch)
    struct.pack_into("<I", b, 12, 0)
    struct.pack_into("<I", b, 12, zlib.crc32(bytes(b)))
    return bytes(b)


@pytest.mark.skipif(not (LIB.exists() and ARM_SYSTEM.exists()), reason="needs make all")
def test_host_validator_picks_the_arch_of_the_blob() -> None:
    arm = ARM_SYSTEM.read_bytes()
    assert check_system(arm) == "ok"
    # the arm validator would refuse the arch; the x86 one judges the (arm) platform instead
    assert check_system(with_arch(arm, HVCFG_ARCH_X86_64)) not in ("ok", "arch", "crc")
    # ARMv7 (3): the arm validator with the ARMv7 limits, which refuse an arm64 system's links and GICv3
    assert check_system(with_arch(arm, 3)) not in ("ok", "arch", "crc")
    assert check_system(with_arch(arm, 99)) == "arch"
