"""configgen/abi.py takes the binary format from a module generated from hv/include/config_format.h
(scripts/gen-abi.py, the header's DWARF and the compiler's values of its #defines). Here: the module
is current and complete, and its layouts agree with a second, independent reading of the header
(the compiler's offsetof/sizeof in a program run on the host). Blobs configgen packs with these
layouts are also read by the hypervisor's C validator (test_validator.py: every sample passes
libhvcfg.so, and values poked at abi offsets are refused for the reason of exactly that field)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from configgen import abi, hostbuild

HEADER = REPO / "hv" / "include" / "config_format.h"
# the generic format and the architectures' platform sections it includes
FORMAT_HEADERS = [HEADER, REPO / "hv" / "include" / "config_arch_arm.h", REPO / "hv" / "include" / "config_arch_x86.h"]
LIMITS = REPO / "hv" / "arch" / "arm64" / "include" / "asm" / "cfg_limits.h"
LIMITS_ARM32 = REPO / "hv" / "arch" / "arm" / "include" / "asm" / "cfg_limits.h"  # ARMv7 (ARM32_*)
IVSHMEM = REPO / "hv" / "include" / "ivshmem.h"  # the link protocols (IVSHMEM_PROTO_*)
GEN = REPO / "scripts" / "gen-abi.py"


def _defines(path: Path, prefix: str) -> list[str]:
    """Object-like macros of a header, read from its text (not the way the generator finds them)."""
    return re.findall(r"^#define\s+(" + prefix + r"\w+)[ \t]", path.read_text(), re.M)


def test_generated_module_is_current(tmp_path: Path) -> None:
    out = tmp_path / "hvcfg_abi.py"
    subprocess.run([sys.executable, str(GEN), "-o", str(out)], check=True, cwd=tmp_path)
    assert out.read_text() == abi.GENERATED_PATH.read_text(), "stale: run make hostlib"
    assert out.read_text().startswith("# Generated from hv/include/config_format.h")
    assert "do not edit" in out.read_text().splitlines()[0]


def test_every_define_is_exported() -> None:
    names = ([n for h in FORMAT_HEADERS for n in _defines(h, "HVCFG_")] + _defines(LIMITS, "ARM64_")
             + _defines(LIMITS_ARM32, "ARM32_") + _defines(IVSHMEM, "IVSHMEM_"))
    assert "IVSHMEM_PROTO_NET" in names and "IVSHMEM_DOORBELL" not in names  # (a function-like macro)
    assert len(names) >= 30 and "HVCFG_MEM_CELL_POOL" in names and "ARM64_EL2_WINDOW_VA" in names
    gen = {n.removeprefix("HVCFG_"): v for n, v in abi._generated.CONSTANTS.items()}
    assert sorted(gen) == sorted(n.removeprefix("HVCFG_") for n in names)
    for n, v in gen.items():
        assert getattr(abi, n) == v == abi.CONSTANTS[n], n


def test_every_struct_is_exported() -> None:
    names = [n for h in FORMAT_HEADERS for n in re.findall(r"^struct\s+(hvcfg_\w+)\s*\{", h.read_text(), re.M)]
    assert [s.cname for s in abi.ALL_STRUCTS] == names
    for st in abi.ALL_STRUCTS:
        assert getattr(abi, abi.struct_name(st.cname)) is st
    # a struct named like a define (struct hvcfg_pci_device, HVCFG_PCI_DEVICE) keeps both
    assert abi.PCI_DEVICE_STRUCT.cname == "hvcfg_pci_device" and abi.PCI_DEVICE == 1


def test_arrays_of_structs_pack_and_unpack() -> None:
    """struct hvcfg_x86_platform holds arrays of structs (IOAPICs, IOMMUs)."""
    st = abi.X86_PLATFORM
    v = {"apic_mode": abi.X86_X2APIC, "num_ioapics": 2,
         "ioapics": [{"address": 0xfec00000, "id": 1, "gsi_base": 0, "pins": 24},
                     {"address": 0xfec01000, "id": 2, "gsi_base": 24, "pins": 24}]}
    raw = st.pack(v)
    assert len(raw) == st.size
    back = st.unpack(raw)
    assert len(back["ioapics"]) == abi.X86_MAX_IOAPICS and back["ioapics"][1]["gsi_base"] == 24
    assert back["ioapics"][1]["address"] == 0xfec01000 and back["ioapics"][2]["address"] == 0
    assert int.from_bytes(raw[st.offset_of("ioapics") + abi.X86_IOAPIC.size:][:8], "little") == 0xfec01000


def test_every_flag_has_a_dt_name() -> None:
    """A flag or console type added to the header must get its device-tree spelling in abi.py."""
    def group(prefix: str) -> set[int]:
        return {v for n, v in abi.CONSTANTS.items() if n.startswith(prefix)}
    assert group("MEM_") == {abi.MEM_READ, abi.MEM_WRITE, abi.MEM_EXECUTE} | set(abi.MEM_FLAG_PROPS.values())
    assert group("MEM_") == {1 << i for i in range(abi.MEM_ALL_FLAGS.bit_length())}
    assert group("CELL_") == set(abi.CELL_FLAG_NAMES) | set(abi.IRQ_DELIVERY_MODES.values()) - {0}
    assert abi.CELL_KNOWN_FLAGS == sum(group("CELL_")) and set(abi.CELL_DUMP_NAMES) == group("CELL_")
    assert group("CONSOLE_") == set(abi.CONSOLE_TYPE_NAMES)


def test_signatures_spell_the_blob_kinds() -> None:
    assert abi.SIGNATURE_SYSTEM.to_bytes(4, "little") == b"HVSY"
    assert abi.SIGNATURE_CELL.to_bytes(4, "little") == b"HVCL"


@pytest.fixture(scope="module")
def compiler_view(tmp_path_factory) -> dict[str, int]:
    """offsetof/sizeof of every field abi knows and the value of every define, printed by a C
    program: the compiler's own answers, without DWARF."""
    lines = ['#include <stddef.h>', '#include <stdio.h>', '#include "config_format.h"',
             f'#include "{LIMITS}"', '#undef ARCH_CFG_LIMITS', f'#include "{LIMITS_ARM32}"',
             f'#include "{IVSHMEM}"', 'int main(void) {']
    for st in abi.ALL_STRUCTS:
        lines.append(f'printf("{st.cname} %zu\\n", sizeof(struct {st.cname}));')
        for f in st.fields:
            key = f"{st.cname}.{f.name}"
            lines.append(f'printf("{key}@ %zu\\n", offsetof(struct {st.cname}, {f.name}));')
            lines.append(f'printf("{key}# %zu\\n", sizeof(((struct {st.cname} *)0)->{f.name}));')
    for n in ([n for h in FORMAT_HEADERS for n in _defines(h, "HVCFG_")] + _defines(LIMITS, "ARM64_")
              + _defines(LIMITS_ARM32, "ARM32_") + _defines(IVSHMEM, "IVSHMEM_")):
        lines.append(f'printf("{n} %llu\\n", (unsigned long long)({n}));')
    tmp = tmp_path_factory.mktemp("offsetof")
    (tmp / "layout.c").write_text("\n".join(lines + ["return 0;", "}"]) + "\n")
    subprocess.run(["gcc", "-std=c11", "-Wall", "-Werror", "-I", str(HEADER.parent), "-o", str(tmp / "layout"),
                    str(tmp / "layout.c")], check=True)
    out = subprocess.run([str(tmp / "layout")], check=True, capture_output=True, text=True).stdout
    return {k: int(v) for k, v in (line.split() for line in out.splitlines())}


@pytest.mark.parametrize("st", abi.ALL_STRUCTS, ids=lambda s: s.cname)
def test_layout_matches_offsetof(st: abi.Struct, compiler_view: dict[str, int]) -> None:
    assert st.size == compiler_view[st.cname]
    end = 0
    for f in st.fields:  # in order and gap-free: no field of the C struct can be missing
        key = f"{st.cname}.{f.name}"
        assert (f.offset, f.size) == (compiler_view[key + "@"], compiler_view[key + "#"]), key
        assert f.offset == end, f"{st.cname}.{f.name}: gap before it"
        end = f.offset + f.size
    assert end == st.size, f"{st.cname}: fields end at {end}"


def test_values_match_the_compiled_program(compiler_view: dict[str, int]) -> None:
    for n, v in abi._generated.CONSTANTS.items():
        assert compiler_view[n] == v, n


# ---------------------------------------------------------------- the generator on edited headers

def _tree_with(tmp: Path, addition: str) -> Path:
    """A copy of the headers gen-abi.py reads, with `addition` before config_format.h's #endif."""
    for src in abi._generated.SOURCE_SHA256:
        (tmp / src).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / src, tmp / src)
    h = tmp / "hv/include/config_format.h"
    h.write_text(h.read_text().replace("#endif /* HV_CONFIG_FORMAT_H */", addition + "\n#endif"))
    return tmp


def _generate(top: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GEN), "--top", str(top), "-o", str(top / "out.py")],
                          capture_output=True, text=True)


def test_generator_follows_the_header(tmp_path: Path) -> None:
    """A new define (an expression the compiler evaluates) and a new struct appear by themselves."""
    top = _tree_with(tmp_path, "#define HVCFG_MEM_NEW ((1ull << 40) | HVCFG_MEM_CELL_POOL)\n"
                               "#define HVCFG_NEG (-HVCFG_GIC_FIRST_SPI)\n"
                               "struct hvcfg_new { struct hvcfg_cpu cpus[2]; hvcfg_u32 a; hvcfg_u16 b[2]; };")
    res = _generate(top)
    assert res.returncode == 0, res.stderr
    ns: dict = {}
    exec((top / "out.py").read_text(), ns)
    assert ns["HVCFG_MEM_NEW"] == 1 << 40 | abi.MEM_CELL_POOL and ns["HVCFG_NEG"] == -32
    assert ns["STRUCTS"]["hvcfg_new"] == (24, [("cpus", "hvcfg_cpu", 2, 0), ("a", "u32", 0, 16), ("b", "u16", 2, 20)])


@pytest.mark.parametrize("addition,why", [
    ("#define HVCFG_HALF 0.5", "_Generic"),
    ('#define HVCFG_TEXT "x"', "_Generic"),
    ("struct hvcfg_bad { hvcfg_u32 a; hvcfg_u64 b; };", "padding"),
    ("struct hvcfg_bad { hvcfg_u64 a; int b; int c; };", "not a fixed-width unsigned type"),
    ("struct hvcfg_bad { hvcfg_u32 a; hvcfg_u32 b : 16; hvcfg_u32 c : 16; };", "bitfields"),
    ("struct hvcfg_bad { hvcfg_u64 *p; };", "unsupported type"),
], ids=["float", "string", "implicit-padding", "signed", "bitfield", "pointer"])
def test_generator_refuses_what_the_format_rules_exclude(addition: str, why: str, tmp_path: Path) -> None:
    res = _generate(_tree_with(tmp_path, addition))
    assert res.returncode == 1 and why in res.stderr, res.stderr
    assert not (tmp_path / "out.py").exists()


# ---------------------------------------------------------------- missing or stale module

def test_missing_module_says_how_to_build_it(tmp_path: Path) -> None:
    env = {**os.environ, "HVCFG_ABI": str(tmp_path / "nowhere" / "hvcfg_abi.py")}
    res = subprocess.run([sys.executable, "-m", "configgen", "check", "dts/qemu-arm64/system.dts"], cwd=REPO,
                         env=env, capture_output=True, text=True)
    assert res.returncode == 2, res.stderr
    assert "hvcfg_abi.py is missing" in res.stderr and "make hostlib" in res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""


def test_module_of_another_generator_is_refused(tmp_path: Path, monkeypatch) -> None:
    old = tmp_path / "hvcfg_abi.py"
    old.write_text(abi.GENERATED_PATH.read_text().replace("GENERATOR_VERSION = 1", "GENERATOR_VERSION = 0"))
    monkeypatch.setenv("HVCFG_ABI", str(old))
    with pytest.raises(abi.AbiMissing, match="another version"):
        abi._load()


def test_stale_module_in_a_checkout_is_refused(tmp_path: Path, monkeypatch) -> None:
    """A header edited since the last build: configgen says so instead of packing the old layout."""
    (tmp_path / "build" / "host").mkdir(parents=True)
    shutil.copy(abi.GENERATED_PATH, tmp_path / "build" / "host" / "hvcfg_abi.py")
    for src in abi._generated.SOURCE_SHA256:
        (tmp_path / src).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / src, tmp_path / src)
    monkeypatch.delenv("HVCFG_ABI", raising=False)
    monkeypatch.setattr(hostbuild, "SOURCE_TREE", tmp_path)
    mod, path = abi._load()  # identical sources: fine
    assert path == tmp_path / "build" / "host" / "hvcfg_abi.py" and mod.STRUCTS == abi._generated.STRUCTS
    with open(tmp_path / "hv/include/config_format.h", "a") as fh:
        fh.write("/* edited */\n")
    with pytest.raises(abi.AbiMissing, match="out of date: hv/include/config_format.h changed"):
        abi._load()
