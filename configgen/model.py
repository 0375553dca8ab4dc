"""The partitioning as plain data: what the rules check and what the blobs encode."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from configgen.diag import Loc

if TYPE_CHECKING:
    from configgen.arch import Irq, Profile
    from configgen.pci import Bar


@dataclass(frozen=True)
class Range:
    start: int
    size: int

    @property
    def end(self) -> int:  # exclusive
        return self.start + self.size


@dataclass
class Region:
    name: str  # node name, or "device <path>"
    phys: int
    guest: int
    size: int
    flags: int
    loc: Loc
    device: Optional[str] = None  # board node path when derived from a device


@dataclass
class DeviceUse:
    path: str
    shared: bool
    loc: Loc  # where the cell references it
    node_loc: Loc  # the board node


@dataclass
class PortUse:
    """Port-I/O ports a cell owns (hvcfg_pio_region), from a device or a raw pio-regions entry."""

    base: int
    length: int
    loc: Loc
    device: Optional[str] = None  # board node path when derived from a device

    @property
    def end(self) -> int:  # exclusive
        return self.base + self.length


@dataclass
class PciUse:
    """A PCI function a cell owns (hvcfg_pci_device), by segment and bus/device/function."""

    domain: int
    bdf: int
    loc: Loc
    device: Optional[str] = None  # board node path when derived from a device
    bridge: bool = False
    bars: tuple[int, ...] = ()  # hvcfg_pci_device.bar[] (non-root cells; () = all 0)


@dataclass
class Link:
    """An inter-cell link (hvcfg_ivshmem_link): shared memory at phys, laid out as the state table,
    the R/W section and one output section per peer; peers are cell names, id = position."""

    name: str
    peers: list[str]
    phys: int
    state_size: int
    rw_size: int
    out_size: int
    protocol: int
    loc: Loc
    slot: Optional[int] = None  # pci-device: the device number of every end (None: derived)
    protocol_text: str = ""  # protocol as written when it is none configgen knows (protocol -1)
    prop_locs: dict[str, Loc] = field(default_factory=dict)  # property -> where it is written

    @property
    def size(self) -> int:
        return self.state_size + self.rw_size + self.out_size * len(self.peers)

    @property
    def end(self) -> int:  # exclusive
        return self.phys + self.size

    def at(self, prop: str) -> Loc:
        return self.prop_locs.get(prop, self.loc)


@dataclass
class LinkEnd:
    """A cell's end of a link (hvcfg_ivshmem_end): a virtual PCI function on bus 0."""

    link: int  # index into System.links
    peer_id: int
    guest: int
    irq: int  # arm: INTID
    bar0: int
    bdf: int
    loc: Loc


@dataclass
class Console:
    type: int = 0
    base: int = 0
    size: int = 0
    loc: Optional[Loc] = None  # the property that names it


@dataclass
class Cell:
    name: str
    is_root: bool
    loc: Loc  # the cell node
    name_loc: Loc
    cpus: list[int] = field(default_factory=list)  # CPU table indices
    cpus_loc: Optional[Loc] = None
    regions: list[Region] = field(default_factory=list)
    intids: dict[int, Loc] = field(default_factory=dict)  # INTID -> where it was requested
    devices: list[DeviceUse] = field(default_factory=list)
    flags: int = 0
    irq_delivery: Optional[str] = None  # interrupt-delivery as written (None: absent, the default)
    irq_delivery_loc: Optional[Loc] = None
    cpu_reset_address: int = 0
    reset_loc: Optional[Loc] = None
    msg_reply_timeout: int = 0
    console: Console = field(default_factory=Console)
    console_pci: Optional[str] = None  # board path of a PCI function named as console (guest-dt's stdout-path)
    ports: list[PortUse] = field(default_factory=list)
    pci: list[PciUse] = field(default_factory=list)
    ends: list[LinkEnd] = field(default_factory=list)  # ivshmem link ends (configgen/links.py)
    ends_raw: bool = False  # given as raw ivshmem-ends (decompile), not derived from the links


@dataclass
class BoardCpu:
    hw_id: int  # hvcfg_cpu.hw_id (arm64: the MPIDR affinity)
    path: str
    loc: Loc


@dataclass
class BoardDevice:
    path: str
    regs: list[Range]
    intids: list[int]  # interrupts on the main controller, as its pins (arm: SPIs and PPIs as INTIDs)
    loc: Loc
    forbidden: str = ""  # reason it can never be mapped into a cell ("" = fine)
    enabled: bool = True
    root_only: str = ""  # reason only the root may map it ("" = any cell)
    windows: list[Range] = field(default_factory=list)  # a bus's windows, mapped with it
    irqs: list[Irq] = field(default_factory=list)  # decoded through the controller (configgen.arch)
    irq_problem: str = ""  # why (some of) its interrupts cannot go with it ("" = none)
    ports: list[Range] = field(default_factory=list)  # port-I/O ranges (ISA I/O space, PCI I/O BARs)
    bdf: Optional[int] = None  # a PCI function: bus << 8 | device << 3 | function
    pci_domain: int = 0
    pci_bridge: bool = False
    port_windows: list[Range] = field(default_factory=list)  # a PCI host's I/O window (x86)
    bars: list[Bar] = field(default_factory=list)  # a PCI function's BARs (configgen.pci)
    pci_no_dma: bool = False  # hv,no-dma: the function never bus-masters
    pci_problem: str = ""  # why its BARs or INTx cannot be given to a non-root cell ("" = fine)
    pci_host: Optional[str] = None  # path of the PCI host a function sits under


@dataclass
class IoApic:
    """An x86 IOAPIC (hvcfg_x86_ioapic): pins are GSIs gsi_base .. gsi_base + pins - 1."""

    path: str
    address: int
    id: int
    gsi_base: int
    pins: int
    loc: Optional[Loc] = None
    source_id: int = 0


@dataclass
class Iommu:
    """An x86 IOMMU unit (hvcfg_x86_iommu)."""

    path: str
    base: int
    size: int
    type: int
    bdf: int = 0
    cap_offset: int = 0
    loc: Optional[Loc] = None


@dataclass
class Platform:
    """The platform section: generic (pci_ecam: the PCI MMCONFIG window) and the arm GIC (arch/arm64.py: v3, arch/arm.py: v2)."""

    gic_version: int = 3
    gicd: Range = Range(0, 0)
    gicr: Range = Range(0, 0)
    gicr_stride: int = 0x20000  # the GICv3 frame pair (RD + SGI), what configgen writes
    its: Range = Range(0, 0)
    # GICv2 (arch/arm.py): CPU interface, virtual interface control, virtual CPU interface
    gicc: Range = Range(0, 0)
    gich: Range = Range(0, 0)
    gicv: Range = Range(0, 0)
    pci_ecam: Range = Range(0, 0)
    pci_io: Range = Range(0, 0)  # arm: CPU address of PCI I/O port 0 and the I/O window's size
    gic_lines: int = 0
    gic_lines_loc: Optional[Loc] = None
    maintenance_irq: int = 25
    gic_loc: Optional[Loc] = None  # the GIC's reg
    maintenance_loc: Optional[Loc] = None
    # x86 (arch/x86.py): IOAPICs, IOMMU units, PM timer, APIC mode, clock rates
    ioapics: list[IoApic] = field(default_factory=list)
    iommus: list[Iommu] = field(default_factory=list)
    pm_timer_port: int = 0
    apic_mode: int = 0
    tsc_khz: int = 0
    apic_khz: int = 0
    x86_loc: Optional[Loc] = None  # where the x86 platform is described (the IOAPIC node)


@dataclass
class System:
    path: str
    cpus: list[BoardCpu]
    ram: list[Range]
    devices: dict[str, BoardDevice]
    platform: Platform
    hyp_mem: Range
    hyp_loc: Loc
    debug_console: Console
    flags: int
    reserved_intids: dict[int, Loc]
    forbidden_windows: list[tuple[Range, str]]  # GICD/GICR/ITS/ECAM/IOMMU
    root: Cell
    cells: list[Cell] = field(default_factory=list)
    root_windows: list[tuple[Range, str]] = field(default_factory=list)  # no other cell maps these
    arch: Profile = None  # type: ignore[assignment]  # the configgen.arch profile the system is built for
    # port ranges the hypervisor never passes through to any cell (x86: PCI configuration ports)
    trapped_ports: list[tuple[Range, str]] = field(default_factory=list)
    # port ranges no non-root cell may own (x86: reset, keyboard controller, SMI, fw_cfg, debug console)
    root_ports: list[tuple[Range, str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # ivshmem links, in the system's order
    links_loc: Optional[Loc] = None  # the links container
    # the root's cell-pool regions as declared, before links/split_pool cut the links out
    cell_pool: list[Range] = field(default_factory=list)
    link_plan: dict = field(default_factory=dict)  # link index -> configgen.links.Derived
    # the board's own /reserved-memory no-map ranges (firmware, secure world): RAM Linux never uses
    board_no_map: list[Range] = field(default_factory=list)
