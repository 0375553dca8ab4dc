"""Upstream-shaped Jailhouse configuration blobs, revisions 12 to 14, arm64 and x86, for the hostile
import tests (test_import_hostile*.py). Written from the format description (packed little-endian
structs; docs/configgen.md "import" and /work/shared/research/jailhouse.md), independent of
configgen/jhformat.py so that a layout slip in the importer is not mirrored here.

Shapes that upstream's real configs have and a tidy fixture would not:
* a system's embedded root cell descriptor has signature, architecture and revision all zero;
* revisions 12 and 13 use the six-byte signatures "JHSYST"/"JHCELL" and no architecture byte;
  revision 12 keeps the IOMMU table at the end of the arch part of the platform information;
* an empty `{ 0 }` memory slot inside an ivshmem region group (the network macro);
* 16 CPUs on a 4-CPU board, a permissive MMIO window over half the address space, the PCI ECAM
  window as an I/O region, ivshmem PCI devices, cache and PIO regions, PCI capabilities.

`Cell` and `System` are plain descriptions; `cell_blob` and `system_blob` pack them, `offsets` says
where each field landed so that mutations can hit one field exactly.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Optional

X86, ARM, ARM64 = 0, 1, 2
R, W, X, DMA, IO, COMM, LOADABLE, ROOTSHARED = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80
IO_32 = 4 << 16
PCI_DEVICE, PCI_BRIDGE, PCI_IVSHMEM = 1, 2, 3
CON_8250, CON_PL011 = 2, 3
CON_MMIO, CON_PIO, REGDIST_4 = 0x1, 0x0, 0x2
PASSIVE_COMMREG, VCONSOLE_PERMITTED, VCONSOLE_ACTIVE = 0x1, 1 << 30, 1 << 31
SYS_VIRTUAL_DEBUG_CONSOLE = 0x1

DESC_SIZE = 132
MEM_SIZE, CACHE_SIZE, IRQCHIP_SIZE, PIO_SIZE, PCI_SIZE, CAP_SIZE, SID_SIZE = 32, 12, 32, 4, 56, 8, 4
IOMMU_SIZE = 28


@dataclass
class Console:
    address: int = 0
    size: int = 0
    type: int = 0
    flags: int = 0

    def pack(self) -> bytes:
        return struct.pack("<QIHHIIQ", self.address, self.size, self.type, self.flags, 0, 0, 0)


@dataclass
class Pci:
    type: int
    domain: int
    bdf: int
    shmem_start: int = 0
    dev_id: int = 0
    peers: int = 0
    protocol: int = 0
    caps_start: int = 0
    num_caps: int = 0

    def pack(self) -> bytes:
        bars = [0xfffff000, 0, 0, 0, 0, 0] if self.type == PCI_IVSHMEM else [0] * 6
        return (struct.pack("<BBHH6IHHBBHHQ", self.type, 0, self.domain, self.bdf, *bars, self.caps_start,
                            self.num_caps, 0, 0, 0, 0, 0) +
                struct.pack("<IBBH", self.shmem_start, self.dev_id, self.peers, self.protocol))


@dataclass
class Cell:
    name: str
    cpus: list[int]
    memory: list[tuple[int, int, int, int]]  # (phys, virt, size, flags)
    irqchips: list[tuple[int, int, list[int]]] = field(default_factory=list)  # (address, pin_base, 4 words)
    pci: list[Pci] = field(default_factory=list)
    caches: int = 0
    pio: list[tuple[int, int]] = field(default_factory=list)
    caps: int = 0
    stream_ids: list[int] = field(default_factory=list)
    flags: int = 0
    cpu_set_size: int = 8
    vpci_irq_base: int = 0
    reset: int = 0
    timeout: int = 0
    console: Console = field(default_factory=Console)
    counts: dict[str, int] = field(default_factory=dict)  # override an announced count


def _sig(kind: str, rev: int, arch: int) -> bytes:
    """The first 8 bytes: 5-byte signature + arch + revision (14), 6-byte signature + revision (12/13)."""
    if rev >= 14:
        return struct.pack("<5sBH", b"JHSYS" if kind == "sys" else b"JHCLL", arch, rev)
    return struct.pack("<6sH", b"JHSYST" if kind == "sys" else b"JHCELL", rev)


COUNT_NAMES = ("cpu_set_size", "memory", "caches", "irqchips", "pio", "pci", "caps", "stream_ids")


def _desc(c: Cell, head: bytes) -> bytes:
    n = {"cpu_set_size": c.cpu_set_size, "memory": len(c.memory), "caches": c.caches,
         "irqchips": len(c.irqchips), "pio": len(c.pio), "pci": len(c.pci), "caps": c.caps,
         "stream_ids": len(c.stream_ids)}
    n.update(c.counts)
    out = head + struct.pack("<32s", c.name.encode()) + struct.pack("<II", 0, c.flags)
    out += struct.pack("<8I", *(n[k] for k in COUNT_NAMES))
    out += struct.pack("<IQQ", c.vpci_irq_base, c.reset, c.timeout) + c.console.pack()
    assert len(out) == DESC_SIZE
    return out


def _arrays(c: Cell) -> bytes:
    bits = bytearray(c.cpu_set_size)
    for cpu in c.cpus:
        if cpu // 8 < len(bits):
            bits[cpu // 8] |= 1 << cpu % 8
    out = bytes(bits)
    out += b"".join(struct.pack("<QQQQ", *m) for m in c.memory)
    out += bytes(CACHE_SIZE) * c.caches  # zero caches: start 0, size 0 (never imported anyway)
    out += b"".join(struct.pack("<QII4I", a, 0, base, *bm) for a, base, bm in c.irqchips)
    out += b"".join(struct.pack("<HH", b, n) for b, n in c.pio)
    out += b"".join(p.pack() for p in c.pci)
    out += struct.pack("<HHHH", 0x10, 0x40, 8, 0) * c.caps
    out += b"".join(struct.pack("<I", s) for s in c.stream_ids)
    return out


def cell_blob(c: Cell, rev: int = 14, arch: int = ARM64) -> bytes:
    return _desc(c, _sig("cell", rev, arch)) + _arrays(c)


@dataclass
class System:
    root: Cell
    hyp: tuple[int, int]  # (phys, size)
    console: Console
    arch: int = ARM64
    flags: int = SYS_VIRTUAL_DEBUG_CONSOLE
    mmconfig: int = 0
    end_bus: int = 0
    pci_domain: int = 0
    gic: tuple[int, int, int] = (3, 0, 0)  # (version, gicd, gicr)
    maint_irq: int = 25
    iommus: list[tuple[int, int, int]] = field(default_factory=list)
    root_head: Optional[bytes] = None  # the root descriptor's first 8 bytes; default all zero (upstream)


def _platform(s: System, rev: int) -> bytes:
    head = struct.pack("<QBBH", s.mmconfig, s.end_bus, 1 if s.mmconfig else 0, s.pci_domain)
    iommu = b"".join(struct.pack("<IQI12x", *u) for u in s.iommus).ljust(8 * IOMMU_SIZE, b"\0")
    ver, gicd, gicr = s.gic
    if s.arch == X86:
        arch12 = struct.pack("<HIB3xII", 0x608, 0, 0, 2_000_000, 1_000_000)
        arch13 = struct.pack("<HBxIII", 0x608, 0, 0, 2_000_000, 1_000_000)
    else:
        arch12 = struct.pack("<BB5Q", s.maint_irq, ver, gicd, 0, 0, 0, gicr)
        arch13 = struct.pack("<BB2x5Q", s.maint_irq, ver, gicd, 0, 0, 0, gicr)
    if rev <= 12:
        body = head + (arch12 + iommu).ljust(266, b"\0")
        assert len(body) == 278
    else:
        body = head + iommu + arch13.ljust(44, b"\0")
        assert len(body) == 280
    return body


def system_blob(s: System, rev: int = 14) -> bytes:
    hyp = struct.pack("<QQQQ", s.hyp[0], 0, s.hyp[1], 0)
    out = _sig("sys", rev, s.arch) + struct.pack("<I", s.flags) + hyp + s.console.pack() + _platform(s, rev)
    return out + _desc(s.root, s.root_head or bytes(8)) + _arrays(s.root)


def root_offset(rev: int) -> int:
    """Where the root cell descriptor starts in a system blob."""
    return 354 if rev <= 12 else 356


def count_offset(name: str) -> int:
    """Offset of a count field inside a cell descriptor."""
    return 8 + 32 + 8 + 4 * COUNT_NAMES.index(name)


# --- upstream-shaped examples (values chosen like a QEMU virt board's, not copied) ---

GIC = 0x08000000
BOARD_RAM = (0x40000000, 0x40000000)  # qemu-arm64-virt.dts: 1 GiB at 1 GiB


def _net_group(start: int, dev_id: int) -> list[tuple[int, int, int, int]]:
    """An ivshmem network link's four region slots, the second one empty as upstream's macro has it."""
    return [(start, start, 0x1000, R | ROOTSHARED), (0, 0, 0, 0),
            (start + 0x1000, start + 0x1000, 0x7f000, R | ROOTSHARED | (W if dev_id == 0 else 0)),
            (start + 0x80000, start + 0x80000, 0x7f000, R | ROOTSHARED | (W if dev_id == 1 else 0))]


def qemu_system(arch: int = ARM64) -> System:
    """A QEMU arm64 virt root cell as upstream writes it: 16 CPUs, permissive MMIO, ECAM window."""
    mem = [(0x7faf0000, 0x7faf0000, 0x1000, R), (0x7faf1000, 0x7faf1000, 0x9000, R | W),
           (0x7fafa000, 0x7fafa000, 0x2000, R | W), (0x7fafc000, 0x7fafc000, 0x2000, R),
           (0x7fafe000, 0x7fafe000, 0x2000, R)]
    mem += _net_group(0x7fb00000, 0)
    mem += [(0x09000000, 0x09000000, 0x37000000, R | W | IO),
            (0x40000000, 0x40000000, 0x3fa10000, R | W | X),
            (0x4010000000, 0x4010000000, 0x10000000, R | W | IO)]
    root = Cell("qemu-arm64", list(range(16)), mem, irqchips=[(GIC, 32, [0xffffffff] * 4)],
                pci=[Pci(PCI_IVSHMEM, 1, 0 << 3, 0, 0, 3, 0), Pci(PCI_IVSHMEM, 1, 1 << 3, 5, 0, 2, 1)],
                vpci_irq_base=96)
    return System(root, (0x7fc00000, 0x00400000), Console(0x09000000, 0x1000, CON_PL011, CON_MMIO | REGDIST_4),
                  arch=arch, mmconfig=0x08e00000, pci_domain=1, gic=(3, GIC, 0x080a0000))


def qemu_inmate() -> Cell:
    """An inmate demo cell: one CPU, a UART, RAM, a comm region, part of the SPIs, one ivshmem."""
    mem = [(0x7faf0000, 0x7faf0000, 0x1000, R | ROOTSHARED), (0x7faf1000, 0x7faf1000, 0x9000, R | ROOTSHARED),
           (0x7fafa000, 0x7fafa000, 0x2000, R | ROOTSHARED), (0x7fafc000, 0x7fafc000, 0x2000, R | W | ROOTSHARED),
           (0x7fafe000, 0x7fafe000, 0x2000, R | ROOTSHARED),
           (0x09000000, 0x09000000, 0x1000, R | W | IO | ROOTSHARED),
           (0x7fa00000, 0, 0x10000, R | W | X | LOADABLE),
           (0, 0x80000000, 0x1000, R | W | COMM)]
    return Cell("inmate-demo", [1], mem, irqchips=[(GIC, 32, [0, 0, 0, 1 << (144 - 128)])],
                pci=[Pci(PCI_IVSHMEM, 1, 0 << 3, 0, 1, 3, 0)], vpci_irq_base=144 - 32,
                flags=VCONSOLE_PERMITTED, cpu_set_size=8,
                console=Console(0x09000000, 0x1000, CON_PL011, CON_MMIO | REGDIST_4))


def qemu_linux() -> Cell:
    """A non-root Linux cell: two CPUs, RAM at guest 0, a network ivshmem link with the empty slot."""
    mem = _net_group(0x7fb00000, 1)
    mem += [(0x09000000, 0x09000000, 0x1000, R | W | IO | ROOTSHARED),
            (0x7fa10000, 0, 0x10000, R | W | X | DMA | LOADABLE),
            (0x70000000, 0x70000000, 0x0fa00000, R | W | X | DMA | LOADABLE),
            (0, 0x80000000, 0x1000, R | W | COMM)]
    return Cell("linux-demo", [2, 3], mem,
                irqchips=[(GIC, 32, [1 << (33 - 32), 0, 0, (1 << (140 - 128)) | (1 << (141 - 128))])],
                pci=[Pci(PCI_IVSHMEM, 1, 1 << 3, 0, 1, 2, 1)], vpci_irq_base=140 - 32,
                flags=PASSIVE_COMMREG | VCONSOLE_PERMITTED, cpu_set_size=8,
                console=Console(0x09000000, 0x1000, CON_PL011, CON_MMIO | REGDIST_4))
