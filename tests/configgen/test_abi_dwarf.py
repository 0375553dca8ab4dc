"""The Python layout (configgen/abi.py) must match the C header, field by field, per DWARF."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from configgen import abi

REPO = Path(__file__).resolve().parents[2]
HEADER = REPO / "hv" / "include" / "config_format.h"


def _type_size(die) -> int:
    while True:
        if "DW_AT_byte_size" in die.attributes and die.tag != "DW_TAG_array_type":
            return die.attributes["DW_AT_byte_size"].value
        if die.tag == "DW_TAG_array_type":
            n = 1
            for sub in die.iter_children():
                if sub.tag == "DW_TAG_subrange_type":
                    if "DW_AT_count" in sub.attributes:
                        n *= sub.attributes["DW_AT_count"].value
                    else:
                        n *= sub.attributes["DW_AT_upper_bound"].value + 1
            return n * _type_size(die.get_DIE_from_attribute("DW_AT_type"))
        die = die.get_DIE_from_attribute("DW_AT_type")


@pytest.fixture(scope="module")
def dwarf_structs(tmp_path_factory) -> dict[str, dict[str, tuple[int, int]]]:
    tmp = tmp_path_factory.mktemp("dwarf")
    src = tmp / "inst.c"
    names = [s.cname for s in abi.ALL_STRUCTS]
    src.write_text('#include "config_format.h"\n' + "".join(f"struct {n} inst_{n};\n" for n in names))
    obj = tmp / "inst.o"
    subprocess.run(["gcc", "-std=c11", "-ffreestanding", "-Wall", "-Wextra", "-Wpadded", "-Werror",
                    "-g", "-c", "-I", str(HEADER.parent), str(src), "-o", str(obj)], check=True)
    result: dict[str, dict[str, tuple[int, int]]] = {}
    with open(obj, "rb") as fh:
        elf = ELFFile(fh)
        for cu in elf.get_dwarf_info().iter_CUs():
            for die in cu.iter_DIEs():
                if die.tag != "DW_TAG_structure_type" or "DW_AT_name" not in die.attributes:
                    continue
                members: dict[str, tuple[int, int]] = {}
                for m in die.iter_children():
                    if m.tag != "DW_TAG_member":
                        continue
                    name = m.attributes["DW_AT_name"].value.decode()
                    off = m.attributes["DW_AT_data_member_location"].value
                    members[name] = (off, _type_size(m.get_DIE_from_attribute("DW_AT_type")))
                members["<sizeof>"] = (0, die.attributes["DW_AT_byte_size"].value)
                result[die.attributes["DW_AT_name"].value.decode()] = members
    return result


@pytest.mark.parametrize("st", abi.ALL_STRUCTS, ids=lambda s: s.cname)
def test_struct_matches_dwarf(st: abi.Struct, dwarf_structs) -> None:
    assert st.cname in dwarf_structs, f"struct {st.cname} missing from the C header"
    dw = dwarf_structs[st.cname]
    assert dw["<sizeof>"][1] == st.size
    py = {f.name: (f.offset, f.size) for f in st.fields}
    assert set(py) == set(dw) - {"<sizeof>"}, "field sets differ"
    for name, (off, size) in py.items():
        assert dw[name] == (off, size), f"{st.cname}.{name}: python {(off, size)} vs DWARF {dw[name]}"


def _header_defines() -> dict[str, int]:
    text = HEADER.read_text()
    out = {}
    for m in re.finditer(r"^#define\s+(HVCFG_\w+)\s+(.+?)\s*(?:/\*.*)?$", text, re.M):
        expr = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)(?:ull|u)\b", r"\1", m.group(2))
        try:
            out[m.group(1)] = int(eval(expr, {}, dict(out)))  # header constants only
        except Exception:
            continue
    return out


def test_constants_match_header() -> None:
    d = _header_defines()
    for cname, pyname in [("MAGIC_SYSTEM", "MAGIC_SYSTEM"), ("MAGIC_CELL", "MAGIC_CELL"),
                          ("REVISION", "REVISION"), ("ARCH_ARM64", "ARCH_ARM64"),
                          ("NAME_LEN", "NAME_LEN"), ("MAX_CPUS", "MAX_CPUS"), ("MAX_SPI_INTID", "MAX_SPI_INTID"),
                          ("MAX_MEM_REGIONS", "MAX_MEM_REGIONS"), ("NUM_INTIDS", "NUM_INTIDS"),
                          ("SYS_VIRTUAL_DEBUG_CONSOLE", "SYS_VIRTUAL_DEBUG_CONSOLE"),
                          ("CELL_PASSIVE_COMMREG", "CELL_PASSIVE_COMMREG"), ("CELL_MAY_LOCK", "CELL_MAY_LOCK"),
                          ("CELL_VCONSOLE_PERMITTED", "CELL_VCONSOLE_PERMITTED"),
                          ("CELL_VCONSOLE_ACTIVE", "CELL_VCONSOLE_ACTIVE"),
                          ("MEM_READ", "MEM_READ"), ("MEM_WRITE", "MEM_WRITE"), ("MEM_EXECUTE", "MEM_EXECUTE"),
                          ("MEM_IO", "MEM_IO"), ("MEM_COMM_REGION", "MEM_COMM_REGION"),
                          ("MEM_LOADABLE", "MEM_LOADABLE"), ("MEM_SHARED", "MEM_SHARED"),
                          ("MEM_ROOTSHARED", "MEM_ROOTSHARED"), ("MEM_PRESERVED", "MEM_PRESERVED"),
                          ("MEM_CELL_POOL", "MEM_CELL_POOL"),
                          ("CONSOLE_NONE", "CONSOLE_NONE"), ("CONSOLE_PL011", "CONSOLE_PL011"),
                          ("GIC_V3", "GIC_V3"), ("MSG_REPLY_LIMIT_US", "MSG_REPLY_LIMIT_US")]:
        assert d.get("HVCFG_" + cname) == getattr(abi, pyname), cname
    assert bytes.fromhex("%08x" % abi.MAGIC_SYSTEM)[::-1] == b"HVSY"
    assert bytes.fromhex("%08x" % abi.MAGIC_CELL)[::-1] == b"HVCL"
