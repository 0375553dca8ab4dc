"""Writing and reading blobs (layouts in configgen/abi.py, generated from hv/include/config_format.h)."""
from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from configgen import abi
from configgen.model import Cell, System

_CRC_OFF = abi.HEADER.offset_of("crc32")


class BlobError(Exception):
    """Malformed blob (reading side)."""


def _cpu_words(ncpus: int) -> int:
    return max(1, (ncpus + 63) // 64)


def _cpu_bitmap(cpus: list[int], words: int) -> list[int]:
    bm = [0] * words
    for i in cpus:
        bm[i // 64] |= 1 << (i % 64)
    return bm


def _irq_bitmap(intids: list[int]) -> list[int]:
    bm = [0] * abi.IRQ_BITMAP_WORDS
    for i in intids:
        if 0 <= i < abi.NUM_INTIDS:
            bm[i // 64] |= 1 << (i % 64)
    return bm


def _sorted_regions(cell: Cell) -> list[dict[str, int]]:
    regs = [{"phys_start": r.phys, "guest_start": r.guest, "size": r.size, "flags": r.flags} for r in cell.regions]
    regs.sort(key=lambda r: (r["guest_start"], r["phys_start"], r["size"], r["flags"]))
    return regs


def _desc(cell: Cell, ncpus: int, cpu_off: int, mem_off: int) -> dict[str, Any]:
    return {
        "name": cell.name.encode(),
        "flags": cell.flags,
        "num_cpu_words": _cpu_words(ncpus),
        "num_mem_regions": len(cell.regions),
        "cpu_set_offset": cpu_off,
        "mem_regions_offset": mem_off,
        "cpu_reset_address": cell.cpu_reset_address,
        "msg_reply_timeout": cell.msg_reply_timeout,
        "console": {"base": cell.console.base, "size": cell.console.size, "type": cell.console.type},
        "irq_bitmap": _irq_bitmap(list(cell.intids)),
    }


def _finish(buf: bytearray) -> bytes:
    struct.pack_into("<I", buf, abi.HEADER.offset_of("total_size"), len(buf))
    struct.pack_into("<I", buf, _CRC_OFF, 0)
    struct.pack_into("<I", buf, _CRC_OFF, zlib.crc32(bytes(buf)) & 0xFFFFFFFF)
    return bytes(buf)


def _append_arrays(buf: bytearray, cell: Cell, ncpus: int) -> None:
    words = _cpu_words(ncpus)
    buf += struct.pack("<%dQ" % words, *_cpu_bitmap(cell.cpus, words))
    for r in _sorted_regions(cell):
        buf += abi.MEMORY_REGION.pack(r)


def build_system(sysm: System) -> bytes:
    n = len(sysm.cpus)
    cpu_table_off = abi.SYSTEM.size
    cpu_set_off = cpu_table_off + 8 * n
    mem_off = cpu_set_off + 8 * _cpu_words(n)
    p = sysm.platform
    hdr = {
        "header": {"magic": abi.MAGIC_SYSTEM, "revision": abi.REVISION, "arch": abi.ARCH_ARM64},
        "flags": sysm.flags, "num_cpus": n, "cpu_table_offset": cpu_table_off,
        "hypervisor_mem_base": sysm.hyp_mem.start, "hypervisor_mem_size": sysm.hyp_mem.size,
        "debug_console": {"base": sysm.debug_console.base, "size": sysm.debug_console.size,
                          "type": sysm.debug_console.type},
        "platform": {"gicd_base": p.gicd.start, "gicd_size": p.gicd.size, "gicr_base": p.gicr.start,
                     "gicr_size": p.gicr.size, "its_base": p.its.start, "its_size": p.its.size,
                     "pci_ecam_base": p.pci_ecam.start, "pci_ecam_size": p.pci_ecam.size,
                     "gicr_stride": p.gicr_stride, "gic_lines": p.gic_lines, "maintenance_irq": p.maintenance_irq,
                     "gic_version": p.gic_version},
        "root_cell": _desc(sysm.root, n, cpu_set_off, mem_off),
    }
    buf = bytearray(abi.SYSTEM.pack(hdr))
    for cpu in sysm.cpus:
        buf += abi.CPU.pack({"mpidr": cpu.mpidr})
    _append_arrays(buf, sysm.root, n)
    return _finish(buf)


def build_cell(cell: Cell, sysm: System, system_blob: bytes) -> bytes:
    n = len(sysm.cpus)
    cpu_set_off = abi.CELL.size
    mem_off = cpu_set_off + 8 * _cpu_words(n)
    hdr = {
        "header": {"magic": abi.MAGIC_CELL, "revision": abi.REVISION, "arch": abi.ARCH_ARM64},
        "system_digest": list(hashlib.sha256(system_blob).digest()),
        "cell": _desc(cell, n, cpu_set_off, mem_off),
    }
    buf = bytearray(abi.CELL.pack(hdr))
    _append_arrays(buf, cell, n)
    return _finish(buf)


# ---------------------------------------------------------------- reading

@dataclass
class ParsedCell:
    desc: dict[str, Any]
    name: str
    cpus: list[int]
    regions: list[dict[str, int]]
    intids: list[int]


@dataclass
class Parsed:
    kind: str  # "system" | "cell"
    raw: bytes
    fields: dict[str, Any]
    cell: ParsedCell
    cpus: list[int] = field(default_factory=list)  # system: MPIDRs


def _read_cell(buf: bytes, desc: dict[str, Any], max_cpus: int) -> ParsedCell:
    raw_name = desc["name"]
    if b"\0" not in raw_name:
        raise BlobError("cell name is not NUL-terminated")
    name = raw_name.split(b"\0", 1)[0].decode("ascii", "replace")
    words, nregs = desc["num_cpu_words"], desc["num_mem_regions"]
    if words > (abi.MAX_CPUS + 63) // 64 or nregs > abi.MAX_MEM_REGIONS:
        raise BlobError(f"counts out of range ({words} CPU words, {nregs} regions)")
    for what, off, size in (("CPU set", desc["cpu_set_offset"], 8 * words),
                            ("memory regions", desc["mem_regions_offset"], abi.MEMORY_REGION.size * nregs)):
        if off % 8 or off + size > len(buf) or off < abi.HEADER.size:
            raise BlobError(f"{what} at offset {off} (+{size}) outside the blob or misaligned")
    bm = struct.unpack_from("<%dQ" % words, buf, desc["cpu_set_offset"])
    cpus = [w * 64 + b for w, v in enumerate(bm) for b in range(64) if v >> b & 1]
    if max_cpus >= 0 and any(c >= max_cpus for c in cpus):
        raise BlobError("CPU set names CPUs beyond the CPU table")
    regs = [abi.MEMORY_REGION.unpack(buf, desc["mem_regions_offset"] + i * abi.MEMORY_REGION.size)
            for i in range(nregs)]
    intids = [w * 64 + b for w, v in enumerate(desc["irq_bitmap"]) for b in range(64) if v >> b & 1]
    return ParsedCell(desc, name, cpus, regs, intids)


def parse(data: bytes) -> Parsed:
    if len(data) < abi.HEADER.size:
        raise BlobError(f"{len(data)} bytes is too short for a header")
    h = abi.HEADER.unpack(data)
    if h["magic"] not in (abi.MAGIC_SYSTEM, abi.MAGIC_CELL):
        raise BlobError(f"bad magic {h['magic']:#010x} (not a configgen blob)")
    if h["revision"] != abi.REVISION:
        raise BlobError(f"format revision {h['revision']}, this configgen reads revision {abi.REVISION}")
    if h["arch"] != abi.ARCH_ARM64:
        raise BlobError(f"unknown architecture {h['arch']}")
    if h["total_size"] != len(data):
        raise BlobError(f"total_size {h['total_size']} but the file has {len(data)} bytes")
    zeroed = bytearray(data)
    struct.pack_into("<I", zeroed, _CRC_OFF, 0)
    crc = zlib.crc32(bytes(zeroed)) & 0xFFFFFFFF
    if crc != h["crc32"]:
        raise BlobError(f"CRC32 mismatch: stored {h['crc32']:#010x}, computed {crc:#010x}")
    if h["magic"] == abi.MAGIC_SYSTEM:
        f = abi.SYSTEM.unpack(data)
        n = f["num_cpus"]
        off = f["cpu_table_offset"]
        if n > abi.MAX_CPUS or off % 8 or off < abi.SYSTEM.size or off + 8 * n > len(data):
            raise BlobError("CPU table outside the blob")
        cpus = [abi.CPU.unpack(data, off + 8 * i)["mpidr"] for i in range(n)]
        return Parsed("system", data, f, _read_cell(data, f["root_cell"], n), cpus)
    f = abi.CELL.unpack(data)
    return Parsed("cell", data, f, _read_cell(data, f["cell"], -1))
