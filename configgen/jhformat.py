"""Reader for Jailhouse configuration blobs, revisions 12, 13 and 14 (packed, little-endian).

The three layouts (upstream include/jailhouse/cell-config.h):
  rev 12: signatures "JHSYST"/"JHCELL" (6 bytes) then the revision; no architecture byte. The
          platform info is 12 common bytes, then an arch union holding the IOMMU units at its
          end: x86 {pm_timer u16, vtd_interrupt_limit u32, apic_mode u8, pad[3], tsc_khz,
          apic_khz, iommu[8]}, arm {maintenance_irq, gic_version, gicd..gicr u64, iommu[8]};
          the union is 266 bytes, the root cell starts at offset 354.
  rev 13: the IOMMU units (8 x 28 bytes) move into the common part; x86 becomes {pm_timer,
          apic_mode, pad, vtd_interrupt_limit, tsc_khz, apic_khz}, arm gains 2 padding bytes
          after gic_version; the root cell starts at 356.  Signatures as revision 12.
  rev 14: signatures "JHSYS"/"JHCLL" (5 bytes) plus an architecture byte (0 x86, 1 arm,
          2 arm64); layout as revision 13.
Cell descriptor (132 bytes in all three) and its arrays are unchanged: CPU bitmap, memory
regions (32), cache regions (12), irqchips (32), PIO regions (4), PCI devices (56), PCI
capabilities (8), stream IDs (4).  Upstream's own parser checks the signature, architecture and
revision of the header only: a system's embedded root cell leaves them zero, so they are not
checked there.  Revisions 12 and 13 do not record the architecture: it is inferred from the
platform info (system) or the irqchips and port regions (cell), or given by the caller.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Optional

REVISIONS = (12, 13, 14)
ARCH_NAMES = {0: "x86", 1: "arm", 2: "arm64"}
ARCH_X86, ARCH_ARM, ARCH_ARM64 = 0, 1, 2

# memory region flags
MEM_READ, MEM_WRITE, MEM_EXECUTE, MEM_DMA = 0x1, 0x2, 0x4, 0x8
MEM_IO, MEM_COMM_REGION, MEM_LOADABLE, MEM_ROOTSHARED = 0x10, 0x20, 0x40, 0x80
MEM_NO_HUGEPAGES, MEM_IO_UNALIGNED = 0x100, 0x8000
MEM_IO_WIDTHS = 0xF0000  # IO_8/16/32/64 for sub-page regions
MEM_FLAG_NAMES = {MEM_DMA: "DMA", MEM_NO_HUGEPAGES: "NO_HUGEPAGES", MEM_IO_UNALIGNED: "IO_UNALIGNED",
                  0x10000: "IO_8", 0x20000: "IO_16", 0x40000: "IO_32", 0x80000: "IO_64"}

PCI_TYPE_DEVICE, PCI_TYPE_BRIDGE, PCI_TYPE_IVSHMEM = 0x01, 0x02, 0x03
PCI_FMT = "<BBHH6IHHBBHHQIBBH"
PROTO_UNDEFINED, PROTO_VETH = 0x0000, 0x0001

# cell flags
CELL_PASSIVE_COMMREG, CELL_TEST_DEVICE, CELL_AARCH32 = 0x1, 0x2, 0x4
CELL_VCONSOLE_PERMITTED, CELL_VCONSOLE_ACTIVE = 1 << 30, 1 << 31
SYS_VIRTUAL_DEBUG_CONSOLE = 0x1

CON_TYPES = ["none", "EFI framebuffer", "8250", "PL011", "XUARTPS", "MVEBU", "HSCIF", "SCIFA", "IMX",
             "IMX-LPUART", "SCIF"]
CON_8250, CON_PL011 = 2, 3
CON_MMIO = 0x1
IOMMU_TYPES = {1: "AMD IOMMU", 2: "Intel VT-d", 3: "SMMUv3", 4: "TI PVU", 5: "ARM MMU-500"}
IOAPIC_BASE = 0xFEC00000

CELL_FMT = "<8s32s11IQQ"
CONSOLE_FMT = "<QIHHIIQ"
MEMORY_FMT = "<QQQQ"
IRQCHIP_FMT = "<QII4I"
IOMMU_SIZE = 28
SIZES = {"cell_desc": 132, "system": 488, "platform_info": 280, "console": 32, "memory": 32, "cache": 12,
         "irqchip": 32, "pio": 4, "pci_device": 56, "pci_capability": 8, "stream_id": 4, "iommu": IOMMU_SIZE,
         "system12": 486, "platform_info12": 278}
ROOT_OFFSET = {12: 354, 13: 356, 14: 356}
assert struct.calcsize(CELL_FMT) + SIZES["console"] == SIZES["cell_desc"]
assert struct.calcsize(CONSOLE_FMT) == SIZES["console"]
assert struct.calcsize(PCI_FMT) == SIZES["pci_device"]


class JhError(Exception):
    """Not a readable Jailhouse configuration of revision 12 to 14."""


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

    @property
    def empty(self) -> bool:
        """An all-zero slot: upstream's JAILHOUSE_SHMEM_NET_REGIONS leaves one for the absent
        R/W section; upstream skips it."""
        return self.size == 0 and self.phys == 0 and self.virt == 0 and self.flags == 0


@dataclass
class JhIrqchip:
    address: int
    id: int
    pin_base: int
    bitmap: list[int]

    def intids(self) -> list[int]:
        return [self.pin_base + w * 32 + b for w, v in enumerate(self.bitmap) for b in range(32) if v >> b & 1]


@dataclass
class JhPci:
    """A jailhouse_pci_device; for an ivshmem device (type 3) the shared memory is
    mem_regions[shmem_regions_start ...]: state table, R/W section, one output section per peer."""

    type: int
    iommu: int
    domain: int
    bdf: int
    bar_mask: list[int]
    caps_start: int
    num_caps: int
    shmem_regions_start: int = 0
    dev_id: int = 0
    peers: int = 0
    protocol: int = 0

    @property
    def name(self) -> str:
        return f"{self.domain:04x}:{self.bdf >> 8:02x}:{self.bdf >> 3 & 31:02x}.{self.bdf & 7}"

    @property
    def regions(self) -> range:
        return range(self.shmem_regions_start, self.shmem_regions_start + 2 + self.peers)


@dataclass
class JhCell:
    name: str
    arch: Optional[int]
    revision: int
    flags: int
    cpus: list[int]
    memory: list[JhMemory]
    irqchips: list[JhIrqchip]
    console: JhConsole
    cpu_reset_address: int
    msg_reply_timeout: int
    vpci_irq_base: int
    pio: list[tuple[int, int]] = field(default_factory=list)  # (base, length)
    pci: list[JhPci] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # arrays configgen has no use for

    @property
    def ivshmem(self) -> list[JhPci]:
        return [d for d in self.pci if d.type == PCI_TYPE_IVSHMEM]

    @property
    def arch_name(self) -> str:
        return ARCH_NAMES.get(self.arch, "unknown") if self.arch is not None else "unknown"


@dataclass
class JhPlatform:
    pci_mmconfig_base: int
    pci_mmconfig_end_bus: int
    pci_is_virtual: int
    pci_domain: int
    iommus: list[tuple[int, int, int]]  # (type, base, size)
    maintenance_irq: int = 0
    gic_version: int = 0
    gicd_base: int = 0
    gicc_base: int = 0
    gich_base: int = 0
    gicv_base: int = 0
    gicr_base: int = 0
    pm_timer: int = 0
    apic_mode: int = 0
    vtd_interrupt_limit: int = 0
    tsc_khz: int = 0
    apic_khz: int = 0


@dataclass
class JhSystem:
    arch: int
    revision: int
    flags: int
    hypervisor: JhMemory
    debug_console: JhConsole
    platform: JhPlatform
    root: JhCell

    @property
    def arch_name(self) -> str:
        return ARCH_NAMES.get(self.arch, str(self.arch))


def _console(buf: bytes, off: int) -> JhConsole:
    return JhConsole(*struct.unpack_from(CONSOLE_FMT, buf, off))


def _pci(buf: bytes, off: int) -> JhPci:
    (typ, iommu, domain, bdf, *rest) = struct.unpack_from(PCI_FMT, buf, off)
    bars = list(rest[:6])
    caps_start, num_caps = rest[6], rest[7]
    start, dev_id, peers, proto = rest[-4:]
    return JhPci(typ, iommu, domain, bdf, bars, caps_start, num_caps, start, dev_id, peers, proto)


def _arrays(buf: bytes, pos: int, n: dict[str, int]) -> int:
    need = (n["cpu"] + n["mem"] * 32 + n["cache"] * 12 + n["irq"] * 32 + n["pio"] * 4 + n["pci"] * 56
            + n["caps"] * 8 + n["sids"] * 4)
    if pos + need > len(buf):
        raise JhError(f"the cell descriptor announces {need} bytes of arrays but the file ends after "
                      f"{max(len(buf) - pos, 0)}")
    if n["cpu"] > 1024 or n["mem"] > 65536:
        raise JhError(f"implausible array sizes (cpu_set_size {n['cpu']}, {n['mem']} memory regions)")
    return need


def _cell(buf: bytes, off: int, rev: int, arch: Optional[int]) -> JhCell:
    """The descriptor at `off` and its arrays (its own signature/revision already checked)."""
    if len(buf) < off + SIZES["cell_desc"]:
        raise JhError(f"{len(buf)} bytes is too short for a cell descriptor at offset {off}")
    (_head, name, _id, flags, cpu_set_size, n_mem, n_cache, n_irqchips, n_pio, n_pci, n_caps, n_sids,
     vpci_irq_base, reset, timeout) = struct.unpack_from(CELL_FMT, buf, off)
    console = _console(buf, off + struct.calcsize(CELL_FMT))
    pos = off + SIZES["cell_desc"]
    _arrays(buf, pos, {"cpu": cpu_set_size, "mem": n_mem, "cache": n_cache, "irq": n_irqchips, "pio": n_pio,
                       "pci": n_pci, "caps": n_caps, "sids": n_sids})
    cpus = [i * 8 + b for i, v in enumerate(buf[pos:pos + cpu_set_size]) for b in range(8) if v >> b & 1]
    pos += cpu_set_size
    memory = [JhMemory(*struct.unpack_from(MEMORY_FMT, buf, pos + 32 * i)) for i in range(n_mem)]
    pos += 32 * n_mem + 12 * n_cache
    irqchips = []
    for i in range(n_irqchips):
        a, cid, pin_base, *bm = struct.unpack_from(IRQCHIP_FMT, buf, pos + 32 * i)
        irqchips.append(JhIrqchip(a, cid, pin_base, list(bm)))
    pos += 32 * n_irqchips
    pio = [struct.unpack_from("<HH", buf, pos + 4 * i) for i in range(n_pio)]
    pos += 4 * n_pio
    pci = [_pci(buf, pos + 56 * i) for i in range(n_pci)]
    raw_name = name.split(b"\0", 1)[0]
    try:
        text = raw_name.decode("ascii")
    except UnicodeDecodeError:
        raise JhError(f"cell name {raw_name!r} is not ASCII") from None
    if not text.isprintable():
        raise JhError(f"cell name {raw_name!r} has control characters")
    counts = {"cache regions": n_cache, "PCI capabilities": n_caps, "stream IDs": n_sids}
    return JhCell(text, arch, rev, flags, cpus, memory, irqchips, console, reset, timeout, vpci_irq_base,
                  [tuple(p) for p in pio], pci, {k: v for k, v in counts.items() if v})


def _revision(buf: bytes, old_sig: bytes) -> int:
    """Revision 14 signs with 5 bytes plus the architecture byte, 12 and 13 with 6 bytes."""
    rev = struct.unpack_from("<H", buf, 6)[0]
    if rev not in REVISIONS:
        raise JhError(f"configuration revision {rev}, configgen imports revisions 12 to 14")
    if rev < 14 and buf[:6] != old_sig:
        raise JhError(f"signature {bytes(buf[:6])!r} does not match revision {rev} (expected {old_sig!r})")
    return rev


def _platform(buf: bytes, rev: int, known: Optional[int]) -> tuple[Optional[int], JhPlatform, tuple[int, int]]:
    """The platform info, the architecture it suggests, and where the IOMMU units of an arm
    and of an x86 system lie (revision 12 keeps them in the arch part)."""
    p = 76
    mmcfg, end_bus, virt, dom = struct.unpack_from("<QBBH", buf, p)
    if rev == 12:
        arm_off, x86_off = p + 12, p + 12
        arm_iommu, x86_iommu = arm_off + 42, x86_off + 18
    else:
        arm_off = x86_off = p + 12 + 8 * IOMMU_SIZE
        arm_iommu = x86_iommu = p + 12
    maint, gicv = struct.unpack_from("<BB", buf, arm_off)
    gic = struct.unpack_from("<5Q", buf, arm_off + (2 if rev == 12 else 4))
    if rev == 12:
        pm, vtd, apic_mode = struct.unpack_from("<HIB", buf, x86_off)
        tsc, apic = struct.unpack_from("<II", buf, x86_off + 10)
    else:
        pm, apic_mode, _pad, vtd, tsc, apic = struct.unpack_from("<HBBIII", buf, x86_off)
    arch = known
    if arch is None:
        arch = ARCH_ARM64 if gicv in (2, 3) and gic[0] else None
    if arch is None and (pm or apic_mode or tsc or apic):
        arch = ARCH_X86
    if arch == ARCH_X86:
        maint = gicv = 0
        gic = (0, 0, 0, 0, 0)
    else:
        pm = apic_mode = vtd = tsc = apic = 0
    plat = JhPlatform(mmcfg, end_bus, virt, dom, [], maint, gicv, *gic, pm, apic_mode, vtd, tsc, apic)
    return arch, plat, (arm_iommu, x86_iommu)


def _iommus(buf: bytes, off: int) -> list[tuple[int, int, int]]:
    out = []
    for i in range(8):
        typ, base, size = struct.unpack_from("<IQI", buf, off + IOMMU_SIZE * i)
        if typ or base:
            out.append((typ, base, size))
    return out


def guess_cell_arch(c: JhCell) -> Optional[int]:
    """Revision 12/13 cells do not say: port regions or an IOAPIC mean x86, another irqchip, a
    PL011 or another memory-mapped console arm64 (32-bit ARM looks the same: taken as arm64 until
    the board or the system says ARMv7, jhimport._check_inputs)."""
    if c.pio or any(i.address == IOAPIC_BASE for i in c.irqchips):
        return ARCH_X86
    if c.irqchips or c.console.type == CON_PL011:
        return ARCH_ARM64
    if c.console.type and c.console.flags & CON_MMIO:
        return ARCH_ARM64  # an MMIO console and no port region: an ARM board's UART
    if c.console.type == CON_8250 and not c.console.flags & CON_MMIO:
        return ARCH_X86
    return None


def parse(buf: bytes) -> JhSystem | JhCell:
    """The blob as a system or a cell; a revision-12/13 cell's arch may be None (unknown)."""
    if len(buf) < 8:
        raise JhError(f"{len(buf)} bytes is too short for a Jailhouse configuration")
    if buf[:5] == b"JHSYS":
        rev = _revision(buf, b"JHSYST")
        size = SIZES["system12"] if rev == 12 else SIZES["system"]
        if len(buf) < size:
            raise JhError(f"{len(buf)} bytes is too short for a revision-{rev} system configuration ({size})")
        flags = struct.unpack_from("<I", buf, 8)[0]
        hyp = JhMemory(*struct.unpack_from(MEMORY_FMT, buf, 12))
        dc = _console(buf, 44)
        arch, plat, (arm_iommu, x86_iommu) = _platform(buf, rev, buf[5] if rev == 14 else None)
        if arch is None:
            raise JhError(f"a revision-{rev} system configuration does not record its architecture and its "
                          "platform info is neither a GIC's nor an x86 one")
        if arch not in ARCH_NAMES:
            raise JhError(f"architecture {ARCH_NAMES.get(arch, arch)}: configgen imports arm, arm64 and x86 "
                          "configurations")
        plat.iommus = _iommus(buf, arm_iommu if arch != ARCH_X86 else x86_iommu)
        root = _cell(buf, ROOT_OFFSET[rev], rev, arch)
        return JhSystem(arch, rev, flags, hyp, dc, plat, root)
    if buf[:5] == b"JHCLL" or buf[:6] == b"JHCELL":
        rev = _revision(buf, b"JHCELL")
        arch = buf[5] if rev == 14 else None
        if arch is not None and arch not in ARCH_NAMES:
            raise JhError(f"architecture {ARCH_NAMES.get(arch, arch)}: configgen imports arm, arm64 and x86 "
                          "configurations")
        cell = _cell(buf, 0, rev, arch)
        if cell.arch is None:
            cell.arch = guess_cell_arch(cell)
        return cell
    raise JhError(f"signature {bytes(buf[:6])!r}: not a Jailhouse configuration (JHSYS/JHSYST or JHCLL/JHCELL)")
