"""ARCH=arm (ARMv7, Debian armhf): cross-built into build/arm with its own kmod tree, a module
that uses only what the stock kernel exports, a static 32-bit CLI, the fast-booting kernel
unwrapped from Debian's zImage at the right address, the system-test runner's ARMv7 machine and
`make install ARCH=arm`."""
from __future__ import annotations

import dataclasses
import importlib.util
import lzma
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from installs import install

TOP = Path(__file__).resolve().parents[2]
BUILD = TOP / "build" / "arm"
CACHE = Path(os.environ.get("CACHE", TOP / ".cache")).resolve()
KROOT = CACHE / "root-armhf"
KMOD = BUILD / "kmod-tree" / "kmod"
UNWRAP = TOP / "scripts" / "unwrap-zimage.py"
CROSS = "arm-linux-gnueabihf-"


def kabi() -> str:
    path = CACHE / "KABI-armhf"
    if not path.exists():
        pytest.skip("no armhf kernel in the cache (make deps)")
    return path.read_text().strip()


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def make_n(*args: str) -> str:
    res = subprocess.run(["make", "-C", str(TOP), "-n", "-B", *args], capture_output=True,
                         text=True, env={**os.environ, "JAILHOUSE_DEPS_READY": "1"}, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout


def built(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not built (make ARCH=arm)")
    return path


def test_arm_kmod_builds_in_its_own_tree_against_armhf_headers() -> None:
    out = make_n("ARCH=arm", "kmod")
    assert f"M={KMOD}" in out and "-armmp-lpae" in out
    assert f"CROSS_COMPILE={CROSS}" in out


def test_arm_tools_are_cross_built_under_build_arm() -> None:
    out = make_n("ARCH=arm", "tools")
    assert f"{CROSS}gcc -static" in out
    assert f"-o {BUILD}/tools/jailhouse" in out and f"-o {BUILD}/tests/bin/jh-ioctl" in out
    assert "-I" + str(TOP / "hv/arch/arm/include") in out
    # the kexec loader of kexec-arm.sh, with the CLI's DTB editor
    assert f"-o {BUILD}/tests/bin/kexec-load tests/guest/kexec-load.c tools/fdt_edit.c" in out


@pytest.mark.parametrize("module", ["jailhouse.ko", "jailhouse_ivshmem.ko"])
def test_module_uses_only_exported_symbols(module: str) -> None:
    """The stock kernel, no patch: every undefined symbol is in the headers' Module.symvers
    (no __boot_cpu_mode, no 64-bit division helper the kernel does not export)."""
    ko = built(KMOD / module)
    symvers = KROOT / "usr/src" / f"linux-headers-{kabi()}-armmp-lpae" / "Module.symvers"
    exported = {line.split("\t")[1] for line in symvers.read_text().splitlines()}
    nm = subprocess.run([f"{CROSS}nm", "-u", str(ko)], capture_output=True, text=True, check=True)
    undefined = {line.split()[-1] for line in nm.stdout.splitlines() if line.strip()}
    assert undefined and undefined <= exported, sorted(undefined - exported)
    info = subprocess.run([f"{CROSS}readelf", "-p", ".modinfo", str(ko)], capture_output=True,
                          text=True, check=True).stdout
    assert re.search(rf"vermagic={re.escape(kabi())}-armmp-lpae SMP .*ARMv7", info), info


def test_cli_is_a_static_32bit_arm_program() -> None:
    elf = built(BUILD / "tools" / "jailhouse").read_bytes()
    assert elf[:4] == b"\x7fELF" and elf[4] == 1          # ELFCLASS32
    assert struct.unpack_from("<H", elf, 18)[0] == 40     # EM_ARM
    phoff, phentsize, phnum = struct.unpack_from("<I", elf, 28)[0], \
        *struct.unpack_from("<HH", elf, 42)
    types = [struct.unpack_from("<I", elf, phoff + n * phentsize)[0] for n in range(phnum)]
    assert 3 not in types                                 # no PT_INTERP: static


def test_text_offset_is_the_last_enabled_assignment(tmp_path: Path) -> None:
    unwrap = load("unwrap_zimage", UNWRAP)
    mk = tmp_path / "Makefile"
    mk.write_text("textofs-y\t:= 0x00008000\ntextofs-$(CONFIG_PM_H1940) := 0x00108000\n"
                  "textofs-$(CONFIG_ARCH_MESON) := 0x00208000\n")
    assert unwrap.text_offset(mk, {"CONFIG_ARCH_MESON"}) == 0x208000
    assert unwrap.text_offset(mk, set()) == 0x8000
    assert unwrap.text_offset(mk, {"CONFIG_PM_H1940"}) == 0x108000


def test_unwrap_refuses_what_is_no_zimage(tmp_path: Path) -> None:
    bogus = tmp_path / "vmlinuz"
    bogus.write_bytes(b"\0" * 64)
    mk = tmp_path / "Makefile"
    mk.write_text("textofs-y := 0x00008000\n")
    res = subprocess.run([sys.executable, str(UNWRAP), str(bogus), os.devnull, str(mk),
                          "0x40000000", str(tmp_path / "out")], capture_output=True, text=True)
    assert res.returncode == 1 and "error: [zimage]" in res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "out").exists()


def test_unwrapped_kernel_is_debians_at_ram_base_plus_text_offset() -> None:
    """build/arm/linux/uImage: a valid uImage of exactly the zImage's XZ payload, loaded at
    0x40000000 + 0x208000 (ARCH_MESON), where Linux derives the right PHYS_OFFSET."""
    image = built(BUILD / "linux" / "uImage").read_bytes()
    magic, hcrc, _, size, load_addr, entry, dcrc = struct.unpack_from(">7I", image)
    assert magic == 0x27051956 and size == len(image) - 64
    assert (load_addr, entry) == (0x40208000, 0x40208000)
    assert zlib.crc32(image[:4] + b"\0" * 4 + image[8:64]) == hcrc
    assert zlib.crc32(image[64:]) == dcrc
    zimage = (KROOT / "boot" / f"vmlinuz-{kabi()}-armmp-lpae").read_bytes()
    at = zimage.rfind(b"\xfd7zXZ\x00")
    payload = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(zimage[at:])
    assert payload == image[64:]


def arm_command(rs, tmp_path: Path, header: str = "") -> list[str]:
    script = tmp_path / "t.sh"
    script.write_text(f"# arch: arm\n{header}check x true\n")
    spec = rs.parse_spec(script)
    return rs.qemu_command(spec, tmp_path / "i.cpio", tmp_path / "t.log")


def test_arm_spec_boots_the_hyp_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rs = load("run_system_arm", TOP / "tests" / "run-system.py")
    monkeypatch.setattr(rs, "BUILD", tmp_path)
    cmd = arm_command(rs, tmp_path)
    assert cmd[0] == "qemu-system-arm"
    assert cmd[cmd.index("-M") + 1] == "virt,virtualization=on,highmem=off,gic-version=2"
    assert cmd[cmd.index("-cpu") + 1] == "cortex-a15"
    append = cmd[cmd.index("-append") + 1]
    assert append.startswith("console=ttyAMA0 ") and "cryptomgr.notests" in append
    # no root DTB built: QEMU's own DT, Linux kept below the cell pool by mem=
    assert "-dtb" not in cmd and "mem=640M" in append
    dtb = tmp_path / "arm" / "configs" / "qemu-arm" / "root.dtb"
    dtb.parent.mkdir(parents=True)
    dtb.write_bytes(b"\xd0\x0d\xfe\xed")
    cmd = arm_command(rs, tmp_path)
    assert cmd[cmd.index("-dtb") + 1] == str(dtb) and "mem=" not in cmd[cmd.index("-append") + 1]
    # a test's own mem= wins over the stand-in
    cmd = arm_command(rs, tmp_path, "# dtb: qemu\n# append: mem=512M\n")
    append = cmd[cmd.index("-append") + 1]
    assert "-dtb" not in cmd and "mem=512M" in append and "mem=640M" not in append


def test_arm_kernel_prefers_the_unwrapped_image(tmp_path: Path) -> None:
    rs = load("run_system_arm2", TOP / "tests" / "run-system.py")
    fast = tmp_path / "uImage"
    rs.ARCHES["arm"] = dataclasses.replace(rs.ARCHES["arm"], fast_kernel=fast)
    assert rs.kernel_image("arm").name.startswith("vmlinuz-")
    fast.write_bytes(b"x")
    assert rs.kernel_image("arm") == fast


def test_arm_install(tmp_path: Path) -> None:
    built(BUILD / "hv" / "jailhouse.bin")
    root, depmod = install(tmp_path, "ARCH=arm")
    kver = f"{kabi()}-armmp-lpae"
    for path in (f"lib/modules/{kver}/extra/jailhouse.ko", "lib/firmware/jailhouse.bin",
                 "usr/sbin/jailhouse", "etc/jailhouse/system.cell", "etc/jailhouse/root.dtb"):
        assert (root / path).is_file(), path
    assert (root / "usr/sbin/jailhouse").read_bytes()[18] == 40     # EM_ARM
    assert "JH_ARCH := arm" in (root / "usr/share/jailhouse/installed.mk").read_text()
    assert kver in depmod.read_text()
