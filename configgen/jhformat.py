"""Reader for Jailhouse configuration blobs, revision 14 (packed, little-endian on arm64).

Layout (sizes in bytes): system header 356 (signature "JHSYS", arch, revision, flags, hypervisor
memory, debug console, platform info 280) + root cell descriptor 132; a cell file is a cell
descriptor (signature "JHCLL") alone.  Arrays follow the descriptor in this order: CPU bitmap
(cpu_set_size bytes), memory regions (32), cache regions (12), irqchips (32), PIO regions (4),
PCI devices (56), PCI capabilities (8), stream IDs (4).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

REVISION = 14
ARCH_NAMES = {0: "x86", 1: "arm", 2: "arm64"}
ARCH_ARM64 = 2

# memory region flags
MEM_READ, MEM_WRITE, MEM_EXECUTE, MEM_DMA = 0x1, 0x2, 0x4, 0x8
MEM_IO, MEM_COMM_REGION, MEM_LOADABLE, MEM_ROOTSHARED = 0x10, 0x20, 0x40, 0x80
MEM_NO_HUGEPAGES, MEM_IO_UNALIGNED = 0x100, 0x8000
MEM_IO_WIDTHS = 0xF0000  # IO_8/16/32/64 for sub-page regions
MEM_FLAG_NAMES = {MEM_DMA: "DMA", MEM_NO_HUGEPAGES: "NO_HUGEPAGES", MEM_IO_UNALIGNED: "IO_UNALIGNED",
                  0x10000: "IO_8", 0x20000: "IO_16", 0x40000: "IO_32", 0x80000: "IO_64"}

# PCI device types; an ivshmem device's fields (jailhouse_pci_device, packed, 56 bytes): type at 0,
# bdf at 4, shmem_regions_start at 48, shmem_dev_id at 52, shmem_peers at 53, shmem_protocol at 54
PCI_TYPE_IVSHMEM = 0x03
PCI_FMT_HEAD = "<BBHH"
PCI_FMT_SHMEM = "<IBBH"
PCI_SHMEM_OFFSET = 48

# cell flags
CELL_PASSIVE_COMMREG, CELL_TEST_DEVICE, CELL_AARCH32 = 0x1, 0x2, 0x4
CELL_VCONSOLE_PERMITTED, CELL_VCONSOLE_ACTIVE = 1 << 30, 1 << 31
SYS_VIRTUAL_DEBUG_CONSOLE = 0x1

CON_TYPES = ["none", "EFI framebuffer", "8250", "PL011", "XUARTPS", "MVEBU", "HSCIF", "SCIFA", "IMX",
             "IMX-LPUART", "SCIF"]
CON_PL011 = 3
CON_MMIO = 0x1

CELL_FMT = "<5sBH32s11IQQ"
CONSOLE_FMT = "<QIHHIIQ"
MEMORY_FMT = "<QQQQ"
IRQCHIP_FMT = "<QII4I"
IOMMU_SIZE = 28
SIZES = {"cell_desc": 132, "system": 488, "platform_info": 280, "console": 32, "memory": 32, "cache": 12,
         "irqchip": 32, "pio": 4, "pci_device": 56, "pci_capability": 8, "stream_id": 4, "iommu": IOMMU_SIZE}
assert struct.calcsize(CELL_FMT) + SIZES["console"] == SIZES["cell_desc"]
assert struct.calcsize(CONSOLE_FMT) == SIZES["console"]


class JhError(Exception):
    """Not a readable Jailhouse revision-14 configuration."""


@dataclass
class JhConsole:
    address: int = 0
    size: int = 0
    type: int = 0
    flags: int = 0
    divider: int = 0
    gate_nr: int = 0
    clock_reg: int = 0


@dataclass
class JhMemory:
    phys: int
    virt: int
    size: int
    flags: int


@dataclass
class JhIrqchip:
    address: int
    id: int
    pin_base: int
    bitmap: list[int]

    def intids(self) -> list[int]:
        return [self.pin_base + w * 32 + b for w, v in enumerate(self.bitmap) for b in range(32) if v >> b & 1]


@dataclass
class JhIvshmem:
    """A Jailhouse ivshmem PCI device: its shared memory is mem_regions[regions_start ...] (state
    table, R/W section, one output section per peer)."""

    domain: int
    bdf: int
    regions_start: int
    dev_id: int
    peers: int
    protocol: int

    @property
    def regions(self) -> range:
        return range(self.regions_start, self.regions_start + 2 + self.peers)


@dataclass
class JhCell:
    name: str
    arch: int
    flags: int
    cpus: list[int]
    memory: list[JhMemory]
    irqchips: list[JhIrqchip]
    console: JhConsole
    cpu_reset_address: int
    msg_reply_timeout: int
    vpci_irq_base: int
    counts: dict[str, int] = field(default_factory=dict)  # arrays configgen has no use for
    ivshmem: list[JhIvshmem] = field(default_factory=list)  # not imported yet: reported and dropped


@dataclass
class JhPlatform:
    pci_mmconfig_base: int
    pci_mmconfig_end_bus: int
    iommus: list[tuple[int, int, int]]  # (type, base, size)
    maintenance_irq: int
    gic_version: int
    gicd_base: int
    gicc_base: int
    gich_base: int
    gicv_base: int
    gicr_base: int


@dataclass
class JhSystem:
    flags: int
    hypervisor: JhMemory
    debug_console: JhConsole
    platform: JhPlatform
    root: JhCell


def _console(buf: bytes, off: int) -> JhConsole:
    return JhConsole(*struct.unpack_from(CONSOLE_FMT, buf, off))


def _cell(buf: bytes, off: int) -> tuple[JhCell, int]:
    """The descriptor at `off` and its arrays; returns the cell and the offset after them."""
    if len(buf) < off + SIZES["cell_desc"]:
        raise JhError(f"{len(buf)} bytes is too short for a cell descriptor at offset {off}")
    (sig, arch, rev, name, _id, flags, cpu_set_size, n_mem, n_cache, n_irqchips, n_pio, n_pci, n_caps, n_sids,
     vpci_irq_base, reset, timeout) = struct.unpack_from(CELL_FMT, buf, off)
    if sig != b"JHCLL":
        raise JhError(f"cell descriptor signature {sig!r}, expected b'JHCLL'")
    if rev != REVISION:
        raise JhError(f"configuration revision {rev}, configgen imports revision {REVISION}")
    console = _console(buf, off + struct.calcsize(CELL_FMT))
    pos = off + SIZES["cell_desc"]
    need = (cpu_set_size + n_mem * 32 + n_cache * 12 + n_irqchips * 32 + n_pio * 4 + n_pci * 56 + n_caps * 8 +
            n_sids * 4)
    if pos + need > len(buf):
        raise JhError(f"the descriptor announces {need} bytes of arrays but the file ends after "
                      f"{len(buf) - pos}")
    cpus = [i * 8 + b for i, v in enumerate(buf[pos:pos + cpu_set_size]) for b in range(8) if v >> b & 1]
    pos += cpu_set_size
    memory = [JhMemory(*struct.unpack_from(MEMORY_FMT, buf, pos + 32 * i)) for i in range(n_mem)]
    pos += 32 * n_mem + 12 * n_cache
    irqchips = []
    for i in range(n_irqchips):
        a, cid, pin_base, *bm = struct.unpack_from(IRQCHIP_FMT, buf, pos + 32 * i)
        irqchips.append(JhIrqchip(a, cid, pin_base, list(bm)))
    pos += 32 * n_irqchips + n_pio * 4
    ivshmem = _ivshmem(buf, pos, n_pci)
    pos += n_pci * 56 + n_caps * 8 + n_sids * 4
    raw_name = name.split(b"\0", 1)[0]
    try:
        text = raw_name.decode("ascii")
    except UnicodeDecodeError:
        raise JhError(f"cell name {raw_name!r} is not ASCII") from None
    counts = {"cache regions": n_cache, "PIO regions": n_pio, "PCI devices": n_pci - len(ivshmem),
              "PCI capabilities": n_caps, "stream IDs": n_sids}
    return JhCell(text, arch, flags, cpus, memory, irqchips, console, reset, timeout, vpci_irq_base,
                  {k: v for k, v in counts.items() if v}, ivshmem), pos


def _ivshmem(buf: bytes, pos: int, n: int) -> list[JhIvshmem]:
    out = []
    for i in range(n):
        off = pos + 56 * i
        typ, _iommu, domain, bdf = struct.unpack_from(PCI_FMT_HEAD, buf, off)
        if typ == PCI_TYPE_IVSHMEM:
            out.append(JhIvshmem(domain, bdf, *struct.unpack_from(PCI_FMT_SHMEM, buf, off + PCI_SHMEM_OFFSET)))
    return out


def _check_arch(arch: int) -> None:
    if arch != ARCH_ARM64:
        raise JhError(f"architecture {ARCH_NAMES.get(arch, arch)}, configgen imports arm64 configurations")


def parse(buf: bytes) -> JhSystem | JhCell:
    if buf[:5] == b"JHSYS":
        if len(buf) < SIZES["system"]:
            raise JhError(f"{len(buf)} bytes is too short for a system configuration ({SIZES['system']})")
        arch, rev, flags = struct.unpack_from("<BHI", buf, 5)
        if rev != REVISION:
            raise JhError(f"configuration revision {rev}, configgen imports revision {REVISION}")
        _check_arch(arch)
        hyp = JhMemory(*struct.unpack_from(MEMORY_FMT, buf, 12))
        dc = _console(buf, 44)
        p = 76
        mmcfg, end_bus, _virt, _dom = struct.unpack_from("<QBBH", buf, p)
        iommus = []
        for i in range(8):
            typ, base, size = struct.unpack_from("<IQI", buf, p + 12 + IOMMU_SIZE * i)
            if base == 0:
                break
            iommus.append((typ, base, size))
        arm = p + 12 + 8 * IOMMU_SIZE
        maint, gicv = struct.unpack_from("<BB", buf, arm)
        gicd, gicc, gich, gicv_base, gicr = struct.unpack_from("<5Q", buf, arm + 4)
        plat = JhPlatform(mmcfg, end_bus, iommus, maint, gicv, gicd, gicc, gich, gicv_base, gicr)
        root, end = _cell(buf, 356)
        _check_arch(root.arch)
        return JhSystem(flags, hyp, dc, plat, root)
    if buf[:5] == b"JHCLL":
        cell, end = _cell(buf, 0)
        _check_arch(cell.arch)
        return cell
    raise JhError(f"signature {bytes(buf[:5])!r}: not a Jailhouse configuration (JHSYS or JHCLL)")
