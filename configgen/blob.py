"""Writing and reading blobs (layouts in configgen/abi.py, generated from hv/include/config_format.h)."""
from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from configgen import abi, arch
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


def _sorted_regions(cell: Cell) -> list[dict[str, int]]:
    regs = [{"phys_start": r.phys, "guest_start": r.guest, "size": r.size, "flags": r.flags} for r in cell.regions]
    regs.sort(key=lambda r: (r["guest_start"], r["phys_start"], r["size"], r["flags"]))
    return regs


@dataclass
class _Arrays:
    """The arrays after a cell descriptor, in blob order, and their offsets."""

    cpu_set: list[int]
    regions: list[dict[str, int]]
    irqchips: list[dict[str, Any]]
    pio: list[dict[str, int]] = field(default_factory=list)
    pci: list[dict[str, int]] = field(default_factory=list)
    ends: list[dict[str, int]] = field(default_factory=list)
    offsets: dict[str, int] = field(default_factory=dict)

    def place(self, base: int) -> int:
        """Lay the arrays out from base (each 8-byte aligned as their sizes are); returns the end."""
        off = base
        for name, size in (("cpu_set_offset", 8 * len(self.cpu_set)),
                           ("mem_regions_offset", abi.MEMORY_REGION.size * len(self.regions)),
                           ("irqchips_offset", abi.IRQCHIP.size * len(self.irqchips)),
                           ("pio_regions_offset", abi.PIO_REGION.size * len(self.pio)),
                           ("pci_devices_offset", abi.PCI_DEVICE_STRUCT.size * len(self.pci)),
                           ("ivshmem_ends_offset", abi.IVSHMEM_END.size * len(self.ends))):
            self.offsets[name] = off
            off += size
        return off

    def emit(self, buf: bytearray) -> None:
        buf += struct.pack("<%dQ" % len(self.cpu_set), *self.cpu_set)
        for r in self.regions:
            buf += abi.MEMORY_REGION.pack(r)
        for chip in self.irqchips:
            buf += abi.IRQCHIP.pack(chip)
        for pio in self.pio:
            buf += abi.PIO_REGION.pack(pio)
        for dev in self.pci:
            buf += abi.PCI_DEVICE_STRUCT.pack(dev)
        for end in self.ends:
            buf += abi.IVSHMEM_END.pack(end)
        while len(buf) % 8:  # the next array (or total_size) stays 8-byte aligned
            buf += b"\0"


def _arrays(cell: Cell, sysm: System) -> _Arrays:
    words = _cpu_words(len(sysm.cpus))
    return _Arrays(_cpu_bitmap(cell.cpus, words), _sorted_regions(cell),
                   sysm.arch.irqchips(list(cell.intids), sysm.platform), _pio(cell), _pci(cell), _ends(cell))


def _ends(cell: Cell) -> list[dict[str, int]]:
    """Link ends by (link, peer id): the order does not depend on how the source lists them."""
    ends = [{"guest_start": e.guest, "link": e.link, "irq": e.irq, "bar0": e.bar0, "bdf": e.bdf,
             "peer_id": e.peer_id} for e in cell.ends]
    return sorted(ends, key=lambda e: (e["link"], e["peer_id"]))


def _links(sysm: System) -> list[dict[str, Any]]:
    return [{"name": ln.name.encode(), "phys_start": ln.phys, "rw_size": ln.rw_size, "out_size": ln.out_size,
             "state_size": ln.state_size, "protocol": ln.protocol, "num_peers": len(ln.peers)}
            for ln in sysm.links]


def _pio(cell: Cell) -> list[dict[str, int]]:
    """Port ranges sorted and merged (adjacent ranges join: fewer entries, same ports)."""
    out: list[dict[str, int]] = []
    for u in sorted(cell.ports, key=lambda u: u.base):
        if out and u.base <= out[-1]["base"] + out[-1]["length"]:
            last = out[-1]
            last["length"] = max(last["base"] + last["length"], u.base + u.length) - last["base"]
        elif u.length:
            out.append({"base": u.base, "length": u.length})
    return out


def _pci(cell: Cell) -> list[dict[str, int]]:
    seen: dict[tuple[int, int], dict[str, int]] = {}
    for u in cell.pci:
        seen.setdefault((u.domain, u.bdf), {
            "domain": u.domain, "bdf": u.bdf, "type": abi.PCI_BRIDGE if u.bridge else abi.PCI_DEVICE,
            "iommu": abi.PCI_NO_IOMMU, "bar": list(u.bars)})
    return [seen[k] for k in sorted(seen)]


def _desc(cell: Cell, arr: _Arrays) -> dict[str, Any]:
    return {
        "name": cell.name.encode(),
        "flags": cell.flags,
        "num_cpu_words": len(arr.cpu_set),
        "num_mem_regions": len(arr.regions),
        "num_irqchips": len(arr.irqchips),
        "num_pio_regions": len(arr.pio),
        "num_pci_devices": len(arr.pci),
        "num_ivshmem_ends": len(arr.ends),
        **arr.offsets,
        "cpu_reset_address": cell.cpu_reset_address,
        "msg_reply_timeout": cell.msg_reply_timeout,
        "console": {"base": cell.console.base, "size": cell.console.size, "type": cell.console.type},
    }


def _finish(buf: bytearray) -> bytes:
    struct.pack_into("<I", buf, abi.HEADER.offset_of("total_size"), len(buf))
    struct.pack_into("<I", buf, _CRC_OFF, 0)
    struct.pack_into("<I", buf, _CRC_OFF, zlib.crc32(bytes(buf)) & 0xFFFFFFFF)
    return bytes(buf)


def build_system(sysm: System) -> bytes:
    n = len(sysm.cpus)
    cpu_table_off = abi.SYSTEM.size
    links = _links(sysm)
    links_off = cpu_table_off + abi.CPU.size * n
    arr = _arrays(sysm.root, sysm)
    arr.place(links_off + abi.IVSHMEM_LINK.size * len(links))
    p = sysm.platform
    hdr = {
        "header": {"signature": abi.SIGNATURE_SYSTEM, "revision": abi.REVISION, "arch": sysm.arch.arch_id},
        "flags": sysm.flags, "num_cpus": n, "cpu_table_offset": cpu_table_off,
        "num_ivshmem_links": len(links), "ivshmem_links_offset": links_off,
        "hypervisor_mem_base": sysm.hyp_mem.start, "hypervisor_mem_size": sysm.hyp_mem.size,
        "debug_console": {"base": sysm.debug_console.base, "size": sysm.debug_console.size,
                          "type": sysm.debug_console.type},
        "platform": {"pci_mmconfig_base": p.pci_ecam.start, "pci_mmconfig_size": p.pci_ecam.size,
                     "arch": list(sysm.arch.pack_platform(p))},
        "root_cell": _desc(sysm.root, arr),
    }
    buf = bytearray(abi.SYSTEM.pack(hdr))
    for cpu in sysm.cpus:
        buf += abi.CPU.pack({"hw_id": cpu.hw_id})
    for ln in links:
        buf += abi.IVSHMEM_LINK.pack(ln)
    arr.emit(buf)
    return _finish(buf)


def build_cell(cell: Cell, sysm: System, system_blob: bytes) -> bytes:
    arr = _arrays(cell, sysm)
    arr.place(abi.CELL.size)
    hdr = {
        "header": {"signature": abi.SIGNATURE_CELL, "revision": abi.REVISION, "arch": sysm.arch.arch_id},
        "system_digest": list(hashlib.sha256(system_blob).digest()),
        "cell": _desc(cell, arr),
    }
    buf = bytearray(abi.CELL.pack(hdr))
    arr.emit(buf)
    return _finish(buf)


# ---------------------------------------------------------------- reading

@dataclass
class ParsedCell:
    desc: dict[str, Any]
    name: str
    cpus: list[int]
    regions: list[dict[str, int]]
    intids: list[int]  # pins of the interrupt resources (arm: SPIs as INTIDs)
    irqchips: list[dict[str, Any]] = field(default_factory=list)
    pio_regions: list[dict[str, int]] = field(default_factory=list)
    pci_devices: list[dict[str, int]] = field(default_factory=list)
    ends: list[dict[str, int]] = field(default_factory=list)


@dataclass
class ParsedLink:
    fields: dict[str, Any]
    name: str


@dataclass
class Parsed:
    kind: str  # "system" | "cell"
    raw: bytes
    fields: dict[str, Any]
    cell: ParsedCell
    cpus: list[int] = field(default_factory=list)  # system: the CPU table's hardware ids
    arch: Any = None  # the configgen.arch profile of the header's arch
    platform: dict[str, Any] = field(default_factory=dict)  # system: the arch's platform section, unpacked
    links: list[ParsedLink] = field(default_factory=list)  # system: the ivshmem link table


def _array(buf: bytes, desc: dict[str, Any], what: str, count: str, offset: str, st: abi.Struct,
           limit: int) -> list[dict[str, Any]]:
    n, off = desc[count], desc[offset]
    if n > limit:
        raise BlobError(f"{n} {what} (the format allows {limit})")
    if off % 8 or off < abi.HEADER.size or off + st.size * n > len(buf):
        raise BlobError(f"{what} at offset {off} (+{st.size * n}) outside the blob or misaligned")
    return [st.unpack(buf, off + i * st.size) for i in range(n)]


def _read_cell(buf: bytes, desc: dict[str, Any], max_cpus: int) -> ParsedCell:
    raw_name = desc["name"]
    if b"\0" not in raw_name:
        raise BlobError("cell name is not NUL-terminated")
    name = raw_name.split(b"\0", 1)[0].decode("ascii", "replace")
    words = desc["num_cpu_words"]
    if words > (abi.MAX_CPUS + 63) // 64:
        raise BlobError(f"counts out of range ({words} CPU words)")
    off = desc["cpu_set_offset"]
    if off % 8 or off + 8 * words > len(buf) or off < abi.HEADER.size:
        raise BlobError(f"CPU set at offset {off} (+{8 * words}) outside the blob or misaligned")
    bm = struct.unpack_from("<%dQ" % words, buf, off)
    cpus = [w * 64 + b for w, v in enumerate(bm) for b in range(64) if v >> b & 1]
    if max_cpus >= 0 and any(c >= max_cpus for c in cpus):
        raise BlobError("CPU set names CPUs beyond the CPU table")
    regs = _array(buf, desc, "memory regions", "num_mem_regions", "mem_regions_offset", abi.MEMORY_REGION,
                  abi.MAX_MEM_REGIONS)
    chips = _array(buf, desc, "interrupt resources", "num_irqchips", "irqchips_offset", abi.IRQCHIP,
                   abi.MAX_IRQCHIPS)
    pio = _array(buf, desc, "port-I/O regions", "num_pio_regions", "pio_regions_offset", abi.PIO_REGION,
                 abi.MAX_PIO_REGIONS)
    pci = _array(buf, desc, "PCI devices", "num_pci_devices", "pci_devices_offset", abi.PCI_DEVICE_STRUCT,
                 abi.MAX_PCI_DEVICES)
    ends = _array(buf, desc, "ivshmem link ends", "num_ivshmem_ends", "ivshmem_ends_offset", abi.IVSHMEM_END,
                  abi.MAX_IVSHMEM_ENDS)
    intids = sorted({c["pin_base"] + w * 64 + b for c in chips for w, v in enumerate(c["pin_bitmap"])
                     for b in range(64) if v >> b & 1})
    return ParsedCell(desc, name, cpus, regs, intids, chips, pio, pci, ends)


def _read_links(buf: bytes, f: dict[str, Any]) -> list[ParsedLink]:
    out = []
    for ln in _array(buf, f, "ivshmem links", "num_ivshmem_links", "ivshmem_links_offset", abi.IVSHMEM_LINK,
                     abi.MAX_IVSHMEM_LINKS):
        if b"\0" not in ln["name"]:
            raise BlobError(f"ivshmem link {len(out)}: name is not NUL-terminated")
        out.append(ParsedLink(ln, ln["name"].split(b"\0", 1)[0].decode("ascii", "replace")))
    return out


def parse(data: bytes) -> Parsed:
    if len(data) < abi.HEADER.size:
        raise BlobError(f"{len(data)} bytes is too short for a header")
    h = abi.HEADER.unpack(data)
    if h["signature"] not in (abi.SIGNATURE_SYSTEM, abi.SIGNATURE_CELL):
        raise BlobError(f"bad signature {h['signature']:#010x} (not a configgen blob)")
    if h["revision"] != abi.REVISION:
        raise BlobError(f"format revision {h['revision']}, this configgen reads revision {abi.REVISION}")
    try:
        prof = arch.by_id(h["arch"])
    except arch.UnknownArch as e:
        raise BlobError(str(e)) from None
    if h["total_size"] != len(data):
        raise BlobError(f"total_size {h['total_size']} but the file has {len(data)} bytes")
    zeroed = bytearray(data)
    struct.pack_into("<I", zeroed, _CRC_OFF, 0)
    crc = zlib.crc32(bytes(zeroed)) & 0xFFFFFFFF
    if crc != h["crc32"]:
        raise BlobError(f"CRC32 mismatch: stored {h['crc32']:#010x}, computed {crc:#010x}")
    if h["signature"] == abi.SIGNATURE_SYSTEM:
        if len(data) < abi.SYSTEM.size:
            raise BlobError(f"{len(data)} bytes is too short for a system blob")
        f = abi.SYSTEM.unpack(data)
        n = f["num_cpus"]
        off = f["cpu_table_offset"]
        if n > abi.MAX_CPUS or off % 8 or off < abi.SYSTEM.size or off + abi.CPU.size * n > len(data):
            raise BlobError("CPU table outside the blob")
        cpus = [abi.CPU.unpack(data, off + abi.CPU.size * i)["hw_id"] for i in range(n)]
        return Parsed("system", data, f, _read_cell(data, f["root_cell"], n), cpus, prof,
                      prof.unpack_platform(bytes(f["platform"]["arch"])), _read_links(data, f))
    if len(data) < abi.CELL.size:
        raise BlobError(f"{len(data)} bytes is too short for a cell blob")
    f = abi.CELL.unpack(data)
    return Parsed("cell", data, f, _read_cell(data, f["cell"], -1), arch=prof)
