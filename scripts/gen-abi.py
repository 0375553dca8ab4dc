#!/usr/bin/python3
"""Generate configgen's Python view of the binary config format from the C headers, so that
hv/include/config_format.h stays its single definition (configgen/abi.py loads the result).

The C compiler does all the work a hand mirror would get wrong: one object file instantiates
every `struct hvcfg_*` with -g (layouts are read back from its DWARF: field names, offsets,
sizes, nested structs, arrays) and holds the value of every integer #define of the headers
(evaluated by the compiler, so `(1ull << 9)` or `(HVCFG_NUM_INTIDS / 64)` need no Python eval;
read back from the object's data). Anything the format's rules exclude (signed or float fields,
pointers, bitfields, implicit padding, a non-integer constant) fails the generation.

usage: gen-abi.py [--cc CC] [--top TREE] -o OUT.py     (the Makefile writes build/host/hvcfg_abi.py)
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

TOP = Path(__file__).resolve().parents[1]
# (header, prefix of the macros taken from it). The arch limits are facts configgen's rules use
# too (the address spaces the hypervisor can map), of arm64 and ARMv7.
# ivshmem.h: the link protocols (the class code of a link's PCI function) links name.
HEADERS = [("hv/include/config_format.h", "HVCFG_"),
           ("hv/include/config_arch_arm.h", "HVCFG_"),
           ("hv/include/config_arch_x86.h", "HVCFG_"),
           ("hv/include/ivshmem.h", "IVSHMEM_"),
           ("hv/arch/arm64/include/asm/cfg_limits.h", "ARM64_"),
           ("hv/arch/arm/include/asm/cfg_limits.h", "ARM32_")]
STRUCT_PREFIX = "hvcfg_"
# Bumped when the generated module's shape changes, so configgen/abi.py refuses an old one.
GENERATOR_VERSION = 1


class GenError(Exception):
    pass


def _cc(cc: str, *args: str) -> str:
    res = subprocess.run([cc, *args], capture_output=True, text=True)
    if res.returncode:
        raise GenError(f"{cc} {' '.join(args)} failed:\n{res.stderr}")
    return res.stdout


def _includes(top: Path) -> str:
    # every arch's cfg_limits.h defines ARCH_CFG_LIMITS (a function-like macro, not exported)
    return "".join(f'#include "{top / h}"\n#undef ARCH_CFG_LIMITS\n' for h, _ in HEADERS)


def find_macros(cc: str, top: Path, tmp: Path) -> list[str]:
    """Every object-like macro with one of the prefixes, in the order the headers define them."""
    src = tmp / "macros.c"
    src.write_text(_includes(top))
    defined = set(re.findall(r"^#define (\w+) ", _cc(cc, "-dM", "-E", "-I", str(top / "hv/include"), str(src)),
                             re.M))
    order: list[str] = []
    for header, prefix in HEADERS:
        text = (top / header).read_text()
        for name in re.findall(r"^\s*#\s*define\s+(\w+)", text, re.M):
            if name.startswith(prefix) and name in defined and name not in order:
                order.append(name)
    # -dM sees every macro, also one a header defines in an unusual way the scan above misses
    order += sorted(n for n in defined if n.startswith(tuple(p for _, p in HEADERS)) and n not in order)
    return order


def find_structs(cc: str, top: Path, tmp: Path) -> list[str]:
    """Every struct hvcfg_* the headers define, in definition order (which C makes dependency order)."""
    src = tmp / "structs.c"
    src.write_text(_includes(top))
    text = _cc(cc, "-E", "-P", "-I", str(top / "hv/include"), str(src))
    names = re.findall(r"\bstruct\s+(" + STRUCT_PREFIX + r"\w+)\s*\{", text)
    return list(dict.fromkeys(names))


def compile_instance(cc: str, top: Path, tmp: Path, macros: list[str], structs: list[str]) -> Path:
    # _Generic with no default: a float, pointer or string constant does not compile.
    lines = [_includes(top),
             "#define ABI_SIGNED(x) _Generic((x), int: 1, long: 1, long long: 1, "
             "unsigned int: 0, unsigned long: 0, unsigned long long: 0)"]
    lines += [f"struct {s} abi_inst_{s};" for s in structs]
    lines.append("const unsigned long long abi_values[] = {%s};" %
                 ", ".join(f"(unsigned long long)({m})" for m in macros))
    lines.append("const unsigned char abi_signed[] = {%s};" % ", ".join(f"ABI_SIGNED({m})" for m in macros))
    src, obj = tmp / "inst.c", tmp / "inst.o"
    src.write_text("\n".join(lines) + "\n")
    # -Wpadded: implicit padding is against the format's rules (padding is spelled out)
    _cc(cc, "-std=c11", "-ffreestanding", "-Wall", "-Wextra", "-Wpadded", "-Werror", "-g", "-O0", "-c",
        "-I", str(top / "hv/include"), str(src), "-o", str(obj))
    return obj


def _symbol_bytes(elf: Any, name: str) -> bytes:
    sym = elf.get_section_by_name(".symtab").get_symbol_by_name(name)[0]
    data = elf.get_section(sym["st_shndx"]).data()
    return data[sym["st_value"]:sym["st_value"] + sym["st_size"]]


def read_values(elf: Any, macros: list[str]) -> dict[str, int]:
    order = "little" if elf.little_endian else "big"
    raw, signed = _symbol_bytes(elf, "abi_values"), _symbol_bytes(elf, "abi_signed")
    values = {}
    for i, name in enumerate(macros):
        v = int.from_bytes(raw[8 * i:8 * i + 8], order)
        values[name] = v - (1 << 64) if signed[i] and v >= 1 << 63 else v
    return values


def _strip(die: Any) -> Any:
    while die.tag in ("DW_TAG_typedef", "DW_TAG_const_type", "DW_TAG_volatile_type"):
        die = die.get_DIE_from_attribute("DW_AT_type")
    return die


def _scalar(die: Any, where: str) -> str:
    """Field type as configgen packs it: u8..u64 (unsigned little-endian), char (a string), or a struct."""
    die = _strip(die)
    if die.tag == "DW_TAG_structure_type":
        return die.attributes["DW_AT_name"].value.decode()
    if die.tag == "DW_TAG_base_type":
        name = die.attributes["DW_AT_name"].value.decode()
        size = die.attributes["DW_AT_byte_size"].value
        enc = die.attributes["DW_AT_encoding"].value
        if name == "char":
            return "char"
        if enc in (0x08, 0x07) and size in (1, 2, 4, 8):  # DW_ATE_unsigned_char, DW_ATE_unsigned
            return f"u{8 * size}"
        raise GenError(f"{where}: type {name} is not a fixed-width unsigned type")
    raise GenError(f"{where}: unsupported type ({die.tag})")


def _member(m: Any, where: str) -> tuple[str, str, int, int]:
    name = m.attributes["DW_AT_name"].value.decode()
    where = f"{where}.{name}"
    if "DW_AT_bit_size" in m.attributes:
        raise GenError(f"{where}: bitfields are against the format's rules")
    loc = m.attributes["DW_AT_data_member_location"].value
    if not isinstance(loc, int):  # DWARF 2 form: DW_OP_plus_uconst ULEB128
        raise GenError(f"{where}: member location {loc} is not a constant (build with DWARF 4 or later)")
    t = _strip(m.get_DIE_from_attribute("DW_AT_type"))
    count = 0
    if t.tag == "DW_TAG_array_type":
        dims = [s for s in t.iter_children() if s.tag == "DW_TAG_subrange_type"]
        if len(dims) != 1:
            raise GenError(f"{where}: only one-dimensional arrays are supported")
        a = dims[0].attributes
        count = a["DW_AT_count"].value if "DW_AT_count" in a else a["DW_AT_upper_bound"].value + 1
        t = t.get_DIE_from_attribute("DW_AT_type")
    return name, _scalar(t, where), count, loc


def read_structs(elf: Any, structs: list[str]) -> dict[str, tuple[int, list[tuple[str, str, int, int]]]]:
    found: dict[str, tuple[int, list[tuple[str, str, int, int]]]] = {}
    for cu in elf.get_dwarf_info().iter_CUs():
        for die in cu.iter_DIEs():
            if die.tag != "DW_TAG_structure_type" or "DW_AT_name" not in die.attributes:
                continue
            cname = die.attributes["DW_AT_name"].value.decode()
            if cname in structs and "DW_AT_declaration" not in die.attributes:
                fields = [_member(m, cname) for m in die.iter_children() if m.tag == "DW_TAG_member"]
                found[cname] = (die.attributes["DW_AT_byte_size"].value, fields)
    missing = [s for s in structs if s not in found]
    if missing:
        raise GenError(f"no DWARF for {', '.join(missing)}")
    return {s: found[s] for s in structs}


def _value(v: int) -> str:
    return str(v) if -10 < v < 10 else f"{v}  # {v:#x}"


def render(top: Path, values: dict[str, int],
           layouts: dict[str, tuple[int, list[tuple[str, str, int, int]]]]) -> str:
    srcs = [h for h, _ in HEADERS] + ["hv/include/abi_types.h"]
    out = [f"# Generated from {srcs[0]} by scripts/gen-abi.py: do not edit.",
           f"# Also read: {', '.join(srcs[1:])}.",
           "# `make hostlib` (or `make`) rebuilds it; configgen/abi.py loads it.",
           '"""The binary config format as the C compiler sees it (values of the #defines, struct layouts)."""',
           "", f"GENERATOR_VERSION = {GENERATOR_VERSION}", "",
           "# SHA-256 of each source, so configgen running from the source tree notices a stale module.",
           "SOURCE_SHA256 = {"]
    out += [f'    "{s}": "{hashlib.sha256((top / s).read_bytes()).hexdigest()}",' for s in srcs]
    out += ["}", "", "# Every integer #define of the headers, as the C compiler evaluates it."]
    out += [f"{name} = {_value(v)}" for name, v in values.items()]
    out += ["", "CONSTANTS = {"] + [f'    "{name}": {name},' for name in values] + ["}", "",
            "# struct name: (sizeof, [(field, type, array length or 0, offset)]); type is u8, u16, u32,",
            "# u64, char or the name of an earlier struct.", "STRUCTS = {"]
    for cname, (size, fields) in layouts.items():
        out.append(f'    "{cname}": ({size}, [')
        out += [f'        ("{n}", "{t}", {c}, {o}),' for n, t, c, o in fields]
        out.append("    ]),")
    out.append("}")
    return "\n".join(out) + "\n"


def generate(cc: str, top: Path = TOP) -> str:
    from elftools.elf.elffile import ELFFile  # python3-pyelftools (make deps)

    with tempfile.TemporaryDirectory(prefix="gen-abi-") as d:
        tmp = Path(d)
        macros, structs = find_macros(cc, top, tmp), find_structs(cc, top, tmp)
        if not structs or not macros:
            raise GenError("no struct hvcfg_* or no constants found in the headers")
        obj = compile_instance(cc, top, tmp, macros, structs)
        with open(obj, "rb") as fh:
            elf = ELFFile(fh)
            return render(top, read_values(elf, macros), read_structs(elf, structs))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cc", default="gcc", help="host C compiler (default gcc)")
    ap.add_argument("-o", "--output", required=True, type=Path)
    ap.add_argument("--top", type=Path, default=TOP, help="source tree (default: this script's)")
    args = ap.parse_args(argv)
    try:
        text = generate(args.cc, args.top.resolve())
    except (GenError, OSError) as e:
        print(f"gen-abi.py: error: {e}", file=sys.stderr)
        return 1
    # written whole or not at all: a half-written module must not look like a build output
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
