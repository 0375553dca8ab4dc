"""Python mirror of hv/include/config_format.h (the binary config ABI).

Layouts are declared once here as field lists; offsets follow C natural alignment and every
struct must be free of implicit padding (checked at import).  tests/configgen/test_abi_dwarf.py
compares each field's offset and size with the DWARF of the compiled C header.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any, Union

MAGIC_SYSTEM = 0x59535648  # "HVSY"
MAGIC_CELL = 0x4C435648  # "HVCL"
REVISION = 1
ARCH_ARM64 = 1

NAME_LEN = 32
MAX_CPUS = 256
MAX_MEM_REGIONS = 4096
NUM_INTIDS = 1024
IRQ_BITMAP_WORDS = NUM_INTIDS // 64
FIRST_SPI = 32
MAX_SPI_INTID = 1019  # INTIDs 1020-1023 are special
# arm64 address spaces (hv/arch/arm64/include/asm/cfg_limits.h): stage 2 has a 40-bit IPA; EL2 a
# 39-bit VA whose top GiB is the hypervisor's window onto other memory (ARM64_EL2_WINDOW_VA), so
# what it maps 1:1 (its memory, the GIC, the debug console) must end at or below 511 GiB
IPA_LIMIT = 1 << 40
EL2_VA_LIMIT = (1 << 39) - (1 << 30)

SYS_VIRTUAL_DEBUG_CONSOLE = 1 << 0

MSG_REPLY_LIMIT_US = 1_000_000  # HVCFG_MSG_REPLY_LIMIT_US: the hypervisor's longest wait

CELL_PASSIVE_COMMREG = 1 << 0
CELL_MAY_LOCK = 1 << 1
CELL_VCONSOLE_PERMITTED = 1 << 2
CELL_VCONSOLE_ACTIVE = 1 << 3
CELL_FLAG_NAMES = {
    CELL_PASSIVE_COMMREG: "passive-comm-region",
    CELL_MAY_LOCK: "may-lock",
    CELL_VCONSOLE_PERMITTED: "virtual-console-permitted",
    CELL_VCONSOLE_ACTIVE: "virtual-console-active",
}

MEM_READ = 1 << 0
MEM_WRITE = 1 << 1
MEM_EXECUTE = 1 << 2
MEM_IO = 1 << 3
MEM_COMM_REGION = 1 << 4
MEM_LOADABLE = 1 << 5
MEM_SHARED = 1 << 6
MEM_ROOTSHARED = 1 << 7
MEM_PRESERVED = 1 << 8
MEM_CELL_POOL = 1 << 9  # root only: the RAM non-root cells are carved from, reserved for Linux
# DT boolean property <-> flag (access bits r/w/x are spelled in the "access" string)
MEM_FLAG_PROPS = {
    "io": MEM_IO,
    "comm-region": MEM_COMM_REGION,
    "loadable": MEM_LOADABLE,
    "shared": MEM_SHARED,
    "root-shared": MEM_ROOTSHARED,
    "preserved": MEM_PRESERVED,
    "cell-pool": MEM_CELL_POOL,
}
MEM_ALL_FLAGS = MEM_READ | MEM_WRITE | MEM_EXECUTE | sum(MEM_FLAG_PROPS.values())

CONSOLE_NONE = 0
CONSOLE_PL011 = 1
CONSOLE_TYPE_NAMES = {CONSOLE_NONE: "none", CONSOLE_PL011: "pl011"}

GIC_V3 = 3

_SCALARS = {"u8": ("B", 1), "u16": ("H", 2), "u32": ("I", 4), "u64": ("Q", 8), "char": ("s", 1)}

FieldType = Union[str, "Struct"]


@dataclass(frozen=True)
class Field:
    name: str
    ctype: FieldType  # scalar name or nested Struct
    count: int = 0  # 0: not an array
    offset: int = 0

    @property
    def elem_size(self) -> int:
        return self.ctype.size if isinstance(self.ctype, Struct) else _SCALARS[self.ctype][1]

    @property
    def align(self) -> int:
        return self.ctype.align if isinstance(self.ctype, Struct) else _SCALARS[self.ctype][1]

    @property
    def size(self) -> int:
        return self.elem_size * max(self.count, 1)


@dataclass
class Struct:
    """A C struct: fields laid out with natural alignment, no implicit padding allowed."""

    cname: str
    fields: list[Field] = field(default_factory=list)
    size: int = 0
    align: int = 1

    @classmethod
    def define(cls, cname: str, spec: list[tuple[Any, ...]]) -> "Struct":
        st = cls(cname)
        off = 0
        for item in spec:
            name, ctype = item[0], item[1]
            count = item[2] if len(item) > 2 else 0
            f = Field(name, ctype, count)
            if off % f.align:
                raise AssertionError(f"{cname}.{name}: implicit padding before field")
            st.fields.append(Field(name, ctype, count, off))
            off += f.size
            st.align = max(st.align, f.align)
        if off % st.align:
            raise AssertionError(f"{cname}: implicit tail padding")
        st.size = off
        return st

    def pack(self, values: dict[str, Any]) -> bytes:
        out = bytearray(self.size)
        self.pack_into(out, 0, values)
        return bytes(out)

    def pack_into(self, buf: bytearray, base: int, values: dict[str, Any]) -> None:
        for f in self.fields:
            v = values.get(f.name)
            off = base + f.offset
            if isinstance(f.ctype, Struct):
                f.ctype.pack_into(buf, off, v or {})
            elif f.ctype == "char":
                raw = (v or b"") if isinstance(v or b"", bytes) else str(v).encode()
                buf[off:off + f.count] = raw[:f.count].ljust(f.count, b"\0")
            elif f.count:
                items = list(v or [])
                items += [0] * (f.count - len(items))
                struct.pack_into("<%d%s" % (f.count, _SCALARS[f.ctype][0]), buf, off, *items)
            else:
                struct.pack_into("<" + _SCALARS[f.ctype][0], buf, off, v or 0)

    def unpack(self, buf: bytes, base: int = 0) -> dict[str, Any]:
        if base < 0 or base + self.size > len(buf):
            raise ValueError(f"{self.cname} at {base} exceeds the blob ({len(buf)} bytes)")
        res: dict[str, Any] = {}
        for f in self.fields:
            off = base + f.offset
            if isinstance(f.ctype, Struct):
                res[f.name] = f.ctype.unpack(buf, off)
            elif f.ctype == "char":
                res[f.name] = bytes(buf[off:off + f.count])
            elif f.count:
                res[f.name] = list(struct.unpack_from("<%d%s" % (f.count, _SCALARS[f.ctype][0]), buf, off))
            else:
                res[f.name] = struct.unpack_from("<" + _SCALARS[f.ctype][0], buf, off)[0]
        return res

    def offset_of(self, name: str) -> int:
        for f in self.fields:
            if f.name == name:
                return f.offset
        raise KeyError(name)


HEADER = Struct.define("hvcfg_header", [
    ("magic", "u32"), ("revision", "u16"), ("arch", "u16"), ("total_size", "u32"), ("crc32", "u32"),
])
MEMORY_REGION = Struct.define("hvcfg_memory_region", [
    ("phys_start", "u64"), ("guest_start", "u64"), ("size", "u64"), ("flags", "u64"),
])
CONSOLE = Struct.define("hvcfg_console", [
    ("base", "u64"), ("size", "u64"), ("type", "u32"), ("flags", "u32"),
])
CPU = Struct.define("hvcfg_cpu", [("mpidr", "u64")])
CELL_DESC = Struct.define("hvcfg_cell_desc", [
    ("name", "char", NAME_LEN),
    ("flags", "u32"), ("num_cpu_words", "u32"), ("num_mem_regions", "u32"),
    ("cpu_set_offset", "u32"), ("mem_regions_offset", "u32"), ("padding0", "u32"),
    ("cpu_reset_address", "u64"), ("msg_reply_timeout", "u64"),
    ("console", CONSOLE),
    ("irq_bitmap", "u64", IRQ_BITMAP_WORDS),
])
PLATFORM = Struct.define("hvcfg_platform", [
    ("gicd_base", "u64"), ("gicd_size", "u64"), ("gicr_base", "u64"), ("gicr_size", "u64"),
    ("its_base", "u64"), ("its_size", "u64"), ("pci_ecam_base", "u64"), ("pci_ecam_size", "u64"),
    ("gicr_stride", "u32"), ("gic_lines", "u32"), ("maintenance_irq", "u32"),
    ("gic_version", "u8"), ("padding0", "u8", 3),
])
SYSTEM = Struct.define("hvcfg_system", [
    ("header", HEADER),
    ("flags", "u32"), ("num_cpus", "u32"), ("cpu_table_offset", "u32"), ("padding0", "u32"),
    ("hypervisor_mem_base", "u64"), ("hypervisor_mem_size", "u64"),
    ("debug_console", CONSOLE),
    ("platform", PLATFORM),
    ("root_cell", CELL_DESC),
])
CELL = Struct.define("hvcfg_cell", [
    ("header", HEADER),
    ("system_digest", "u8", 32),
    ("cell", CELL_DESC),
])

ALL_STRUCTS = [HEADER, MEMORY_REGION, CONSOLE, CPU, CELL_DESC, PLATFORM, SYSTEM, CELL]
