"""The ACPI tables `configgen create` reads on x86 (binary, as /sys/firmware/acpi/tables/ has them):
MADT ("APIC": local APIC ids, IOAPICs, ISA interrupt overrides), MCFG (the MMCONFIG window), DMAR
(VT-d units) and IVRS (AMD-Vi units). Layouts per ACPI 6.x and the VT-d / AMD IOMMU
specifications; every table's length and checksum are checked before any field is read."""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

HEADER = 36


class AcpiError(Exception):
    """A table that is not what its name says (short, wrong signature, bad checksum)."""


@dataclass
class Madt:
    lapic_address: int
    cpus: list[int] = field(default_factory=list)  # APIC ids of enabled (or online-capable) CPUs, table order
    ioapics: list[tuple[int, int, int]] = field(default_factory=list)  # (id, address, gsi_base)
    overrides: dict[int, int] = field(default_factory=dict)  # ISA IRQ -> GSI
    x2apic_only: bool = False  # CPUs only as x2APIC entries (ids beyond 254)


@dataclass
class IommuUnit:
    type: str  # "intel,vtd" or "amd,iommu"
    base: int
    size: int
    bdf: int = 0
    cap_offset: int = 0


def _checked(data: bytes, sig: bytes) -> bytes:
    if len(data) < HEADER or data[:4] != sig:
        raise AcpiError(f"not an ACPI {sig.decode()} table")
    length = struct.unpack_from("<I", data, 4)[0]
    if length < HEADER or length > len(data):
        raise AcpiError(f"{sig.decode()}: length {length} but {len(data)} bytes")
    if sum(data[:length]) & 0xFF:
        raise AcpiError(f"{sig.decode()}: checksum mismatch")
    return data[:length]


def _entries(data: bytes, off: int, fmt: str = "<BB") -> list[tuple[int, int, int]]:
    """(type, offset, length) of the variable-length structures from off on (type/length bytes)."""
    out = []
    size = struct.calcsize(fmt)
    while off + size <= len(data):
        typ, length = struct.unpack_from(fmt, data, off)
        if length < size or off + length > len(data):
            raise AcpiError(f"a structure of type {typ} at offset {off} runs past the table")
        out.append((typ, off, length))
        off += length
    return out


def parse_madt(raw: bytes) -> Madt:
    data = _checked(raw, b"APIC")
    if len(data) < HEADER + 8:
        raise AcpiError("APIC: too short")
    m = Madt(struct.unpack_from("<I", data, HEADER)[0])
    x2 = []
    for typ, off, length in _entries(data, HEADER + 8):
        if typ == 0 and length >= 8:  # processor local APIC
            _, apic_id, flags = struct.unpack_from("<BBI", data, off + 2)
            if flags & 3:  # enabled or online capable
                m.cpus.append(apic_id)
        elif typ == 1 and length >= 12:  # IOAPIC
            iid, _, addr, gsi = struct.unpack_from("<BBII", data, off + 2)
            m.ioapics.append((iid, addr, gsi))
        elif typ == 2 and length >= 10:  # interrupt source override
            bus, irq, gsi = struct.unpack_from("<BBI", data, off + 2)
            if bus == 0:
                m.overrides[irq] = gsi
        elif typ == 5 and length >= 12:  # local APIC address override
            m.lapic_address = struct.unpack_from("<Q", data, off + 4)[0]
        elif typ == 9 and length >= 16:  # processor local x2APIC
            apic_id, flags = struct.unpack_from("<II", data, off + 4)
            if flags & 3:
                x2.append(apic_id)
    m.x2apic_only = not m.cpus and bool(x2)
    return m


def parse_mcfg(raw: bytes) -> list[tuple[int, int, int, int]]:
    """(base address, segment, start bus, end bus) of each MMCONFIG window."""
    data = _checked(raw, b"MCFG")
    out = []
    for off in range(HEADER + 8, len(data) - 15, 16):
        base, seg, start, end = struct.unpack_from("<QHBB", data, off)
        out.append((base, seg, start, end))
    return out


def parse_dmar(raw: bytes) -> list[IommuUnit]:
    """VT-d remapping units (DRHD structures): register base, one 4 KiB page."""
    data = _checked(raw, b"DMAR")
    out = []
    for typ, off, length in _entries(data, HEADER + 12, "<HH"):
        if typ == 0 and length >= 16:
            base = struct.unpack_from("<Q", data, off + 8)[0]
            out.append(IommuUnit("intel,vtd", base, 0x1000))
    return out


def parse_ivrs(raw: bytes) -> list[IommuUnit]:
    """AMD-Vi units (IVHD blocks of type 0x10, 0x11, 0x40): the IOMMU's own BDF, its capability
    offset and MMIO base (the register window is 512 KiB)."""
    data = _checked(raw, b"IVRS")
    out = []
    off = HEADER + 12
    while off + 24 <= len(data):
        typ, _, length = struct.unpack_from("<BBH", data, off)
        if length < 4 or off + length > len(data):
            raise AcpiError(f"IVRS: a block of type {typ:#x} at offset {off} runs past the table")
        if typ in (0x10, 0x11, 0x40):
            bdf, cap, base = struct.unpack_from("<HHQ", data, off + 4)
            out.append(IommuUnit("amd,iommu", base, 0x80000, bdf, cap))
        off += length
    return out
