"""`configgen create` on x86: a PC has no device tree, so the board part is written from what
Linux exposes (conventions: docs/bindings/README.md, "x86 boards"):

  sys/firmware/acpi/tables/APIC   CPUs (local APIC ids), IOAPICs, ISA interrupt overrides
  sys/firmware/acpi/tables/MCFG   the MMCONFIG window
  sys/firmware/acpi/tables/DMAR, IVRS   IOMMU units (optional)
  proc/iomem                      RAM, the PCI windows, HPET and firmware ranges (as root)
  proc/ioports                    the port-I/O devices (as root)
  sys/bus/pci/devices/*/{class,vendor,device,resource,irq}   PCI functions and their BARs
  sys/devices/system/cpu/online   the CPUs the root keeps

configgen/collect.sh copies exactly these into a snapshot directory (for --root).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from configgen import acpi, arch
from configgen.create import IomemEntry, Plan, PlanRow, parse_cpulist, parse_iomem, plan_memory
from configgen.diag import InputError
from configgen.inputs import BLOB_LIMIT, read_bounded

_PAGE = 0x1000
_LOW_END, _LEGACY_END = 0xA0000, 0x100000
_ISA_IRQS = {"timer0": [0], "rtc0": [8], "parport0": [7]}
_SERIAL = {0x3F8: ("com1", 4), 0x2F8: ("com2", 3), 0x3E8: ("com3", 4), 0x2E8: ("com4", 3)}
_COMPAT = {"serial": "ns16550a", "keyboard": "intel,8042", "timer0": "intel,8253", "rtc0": "motorola,mc146818",
           "PCI conf1": "pci-conf1", "pic1": "intel,8259", "pic2": "intel,8259", "dma1": "intel,8237",
           "dma2": "intel,8237", "ACPI PM_TMR": "acpi,pm-timer"}
# Ports Linux drives on every PC without listing them in /proc/ioports: the speaker/NMI status
# port (PIT calibration), port 0x92 and the PICs' edge/level registers.
_UNLISTED = (("nmi-status", 0x61, 1), ("port92", 0x92, 1), ("elcr", 0x4D0, 2))
_BDF = re.compile(r"^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$")
IORESOURCE_IO, IORESOURCE_MEM, IORESOURCE_PREFETCH, IORESOURCE_MEM_64 = 0x100, 0x200, 0x2000, 0x100000


@dataclass
class PciFunction:
    domain: int
    bdf: int
    cls: int
    vendor: int
    device: int
    bars: list[tuple[int, int, int, int]] = field(default_factory=list)  # (index, start, size, flags)

    @property
    def name(self) -> str:
        return f"{self.domain:04x}:{self.bdf >> 8:02x}:{(self.bdf >> 3) & 0x1f:02x}.{self.bdf & 7}"


def _read(path: Path) -> bytes:
    return read_bounded(str(path), "file", BLOB_LIMIT)


def _text(path: Path) -> str:
    return _read(path).decode(errors="replace")


def _table(root: Path, name: str) -> Optional[bytes]:
    p = root / "sys/firmware/acpi/tables" / name
    return _read(p) if p.is_file() else None


def parse_ioports(text: str, where: str) -> list[IomemEntry]:
    """/proc/ioports has /proc/iomem's format (4-digit ranges)."""
    return parse_iomem(text, where)


def pci_functions(root: Path) -> list[PciFunction]:
    d = root / "sys/bus/pci/devices"
    out = []
    for dev in sorted(d.iterdir()) if d.is_dir() else []:
        m = _BDF.match(dev.name)
        if not m:
            continue
        dom, bus, slot, fn = (int(x, 16) for x in m.groups())

        def num(f: str) -> int:
            p = dev / f
            return int(_text(p).strip() or "0", 0) if p.is_file() else 0
        f = PciFunction(dom, bus << 8 | slot << 3 | fn, num("class"), num("vendor"), num("device"))
        res = dev / "resource"
        for i, line in enumerate(_text(res).splitlines()[:6] if res.is_file() else []):
            parts = line.split()
            if len(parts) != 3:
                raise InputError(f"{res}:{i + 1}: not a resource line")
            start, end, flags = (int(x, 16) for x in parts)
            if flags & (IORESOURCE_IO | IORESOURCE_MEM) and end > start:
                f.bars.append((i, start, end - start + 1, flags))
        out.append(f)
    return out


def _ident(s: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    return ("io-" + s if s[:1].isdigit() else s) or "device"


def _label(s: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_]", "_", s)
    return "l_" + s if s[:1].isdigit() else s


def _ram(entries: list[IomemEntry]) -> list[tuple[int, int]]:
    """System RAM, page-trimmed; below 1 MiB the conventional 640 KiB as a whole (the pages
    Linux itself reserves there, page 0 and the EBDA, are still the root's)."""
    out = []
    for e in entries:
        if e.depth or e.name != "System RAM":
            continue
        s, end = e.start, e.end + 1
        if s < _LOW_END:
            out.append((0, _LOW_END))
            continue
        s, end = (s + _PAGE - 1) & ~(_PAGE - 1), end & ~(_PAGE - 1)
        if end > s:
            out.append((s, end))
    return sorted(set(out))


def _overlaps(a: int, b: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in ranges)


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, depth: int = 0, text: str = "") -> None:
        self.lines.append("\t" * depth + text if text else "")


def _reg2(a: int, s: int) -> str:
    return f"<{a >> 32:#x} {a & 0xFFFFFFFF:#x} {s >> 32:#x} {s & 0xFFFFFFFF:#x}>"


def _cpus(w: _Writer, madt: acpi.Madt) -> list[str]:
    w(1, "cpus {")
    w(2, "#address-cells = <1>;")
    w(2, "#size-cells = <0>;")
    labels = []
    for i, apic in enumerate(sorted(madt.cpus)):
        w()
        w(2, f"cpu{i}: cpu@{apic:x} {{")
        w(3, 'device_type = "cpu";')
        w(3, f"reg = <{apic:#x}>;\t/* local APIC id (MADT) */")
        w(2, "};")
        labels.append(f"cpu{i}")
    w(1, "};")
    return labels


def _isa(w: _Writer, ports: list[IomemEntry], funcs: list[PciFunction], madt: acpi.Madt,
         gsis: set[int]) -> dict[int, str]:
    """ISA-bus nodes for the port-I/O devices /proc/ioports lists; returns port -> label of UARTs."""
    bars = {(f.name, start) for f in funcs for _, start, _, fl in f.bars if fl & IORESOURCE_IO}
    w(1, "isa {")
    w(2, 'compatible = "isa";')
    w(2, 'device_type = "isa";')
    w(2, "#address-cells = <2>;")
    w(2, "#size-cells = <1>;")
    if madt.ioapics:
        w(2, "interrupt-parent = <&ioapic0>;")
    uarts: dict[int, str] = {}
    seen: set[str] = set()
    for e in ports:
        if e.name.startswith("PCI Bus") or (e.name, e.start) in bars:
            continue
        if e.depth > 1 and e.name != "ACPI PM_TMR":
            continue
        name = f"{_ident(e.name)}@i{e.start:x}"
        if name in seen:
            continue
        seen.add(name)
        label = _label(name.replace("@", "_"))
        irqs: list[int] = _ISA_IRQS.get(e.name, [])
        if e.name == "serial" and e.start in _SERIAL:
            label, irq = _SERIAL[e.start]
            uarts[e.start] = label
            irqs = [irq]
        elif e.name == "keyboard" and e.start == 0x60:
            irqs = [1, 12]
        w()
        w(2, f"{label}: {name} {{")
        w(3, f'compatible = "{_COMPAT.get(e.name, "pc," + _ident(e.name))}";')
        w(3, f"reg = <1 {e.start:#x} {e.end - e.start + 1:#x}>;\t/* {e.name} */")
        specs = [madt.overrides.get(i, i) for i in irqs]
        specs = [g for g in specs if g in gsis]
        if specs:
            w(3, "interrupts = " + ", ".join(f"<{g} 1>" for g in specs) + ";\t/* ISA IRQ -> GSI (MADT overrides) */")
        if e.name == "serial":
            w(3, "clock-frequency = <1843200>;")
        w(2, "};")
    for name, port, n in _UNLISTED:
        if any(e.start <= port and port + n - 1 <= e.end for e in ports if not e.name.startswith("PCI Bus")):
            continue
        w()
        w(2, f"{name.replace('-', '_')}: {name}@i{port:x} {{")
        w(3, f'compatible = "pc,{name}";')
        w(3, f"reg = <1 {port:#x} {n:#x}>;\t/* not in /proc/ioports; Linux uses it */")
        w(2, "};")
    w(1, "};")
    return uarts


def _pci(w: _Writer, funcs: list[PciFunction], mcfg: list[tuple[int, int, int, int]],
         mem_windows: list[tuple[int, int]], io_windows: list[tuple[int, int]]) -> None:
    base, seg, bus0, bus1 = mcfg[0]
    start = base + (bus0 << 20)
    w(1, f"pcie: pcie@{start:x} {{")
    w(2, 'compatible = "pci-host-ecam-generic";')
    w(2, 'device_type = "pci";')
    w(2, f"reg = {_reg2(start, (bus1 - bus0 + 1) << 20)};\t/* MMCONFIG (MCFG) */")
    w(2, f"bus-range = <{bus0:#x} {bus1:#x}>;")
    w(2, f"linux,pci-domain = <{seg}>;")
    w(2, "#address-cells = <3>;")
    w(2, "#size-cells = <2>;")
    rng = [f"<0x01000000 0x0 {a:#x}  0x0 {a:#x}  0x0 {e - a:#x}>" for a, e in io_windows]
    rng += [f"<{0x03000000 if a >= 1 << 32 else 0x02000000:#010x} {a >> 32:#x} {a & 0xFFFFFFFF:#x}  "
            f"{a >> 32:#x} {a & 0xFFFFFFFF:#x}  {(e - a) >> 32:#x} {(e - a) & 0xFFFFFFFF:#x}>" for a, e in mem_windows]
    if rng:
        w(2, "ranges = " + ",\n\t\t\t ".join(rng) + ";\t/* from the PCI Bus windows of /proc/iomem, /proc/ioports */")
    for f in funcs:
        if f.domain != seg:
            continue
        slot, fn = (f.bdf >> 3) & 0x1F, f.bdf & 7
        w()
        w(2, f"{_label('pci_' + f.name[5:].replace(':', '_').replace('.', '_'))}: pci@{slot:x},{fn:x} {{")
        w(3, f'compatible = "pci{f.vendor:04x},{f.device:04x}";\t/* class {f.cls:#08x} */')
        if f.cls >> 8 == 0x0604:
            w(3, 'device_type = "pci";')
        w(3, f"reg = <{f.bdf << 8:#06x} 0x0 0x0 0x0 0x0>;")
        aa = []
        for i, s, size, fl in f.bars:
            space = 0x01000000 if fl & IORESOURCE_IO else 0x03000000 if fl & IORESOURCE_MEM_64 else 0x02000000
            pf = 0x40000000 if fl & IORESOURCE_PREFETCH else 0
            hi = space | pf | f.bdf << 8 | (0x10 + 4 * i)
            aa.append(f"<{hi:#010x} {s >> 32:#x} {s & 0xFFFFFFFF:#x} {size >> 32:#x} {size & 0xFFFFFFFF:#x}>")
        if aa:
            w(3, "assigned-addresses = " + ",\n\t\t\t\t     ".join(aa) + ";\t/* BARs (sysfs resource) */")
        w(2, "};")
    w(1, "};")


def _plan(ram: list[tuple[int, int]], hyp_size: int, cell_size: int, hyp_addr: Optional[int]) -> Plan:
    prof = arch.by_name("x86")
    if hyp_addr is None:
        plan = plan_memory(ram, hyp_size, cell_size, prof)
        # RAM above the hypervisor left out for alignment stays the root's (Linux boots on all of it)
        tail = [(r.start, r.end) for r in plan.rows if r.what.startswith("left unused")]
        plan.root_ram = sorted(plan.root_ram + tail)
        for r in plan.rows:
            if r.what.startswith("left unused"):
                r.what = "root Linux"
        return plan
    align = prof.hv_mem_align
    end = hyp_addr + hyp_size + cell_size
    if hyp_addr % align or hyp_size % align or cell_size % align or not hyp_size:
        raise InputError(f"--hypervisor-address, --hypervisor-size and --cell-size must be multiples of {align:#x}")
    k = next((i for i, (a, e) in enumerate(ram) if a <= hyp_addr and end <= e), None)
    if k is None:
        raise InputError(f"--hypervisor-address {hyp_addr:#x}: the hypervisor and the pool ({end - hyp_addr:#x} "
                         "bytes) do not lie inside one System RAM range")
    a, e = ram[k]
    hyp = (hyp_addr, hyp_addr + hyp_size)
    pool = (hyp[1], end) if cell_size else None
    root_ram = ram[:k] + [r for r in ((a, hyp_addr), (end, e)) if r[1] > r[0]] + ram[k + 1:]
    rows = [PlanRow(s, t, "root Linux") for s, t in root_ram] + [PlanRow(*hyp, "hypervisor")]
    if pool:
        rows.append(PlanRow(*pool, "pool for non-root cells (reserved with memmap=, owned by root)"))
    return Plan(hyp, pool, root_ram, sorted(rows, key=lambda r: r.start))


def generate(root: Path, hyp_size: int, cell_size: int, hyp_addr: Optional[int] = None) -> tuple[str, list[str]]:
    notes: list[str] = []
    raw = _table(root, "APIC")
    if raw is None:
        raise InputError(f"no MADT under {root}: {root}/sys/firmware/acpi/tables/APIC is missing",
                         "x86 create reads the ACPI tables (as root); collect them with configgen/collect.sh")
    try:
        madt = acpi.parse_madt(raw)
        mcfg = acpi.parse_mcfg(_table(root, "MCFG") or b"") if _table(root, "MCFG") else []
        units = [u for name, fn in (("DMAR", acpi.parse_dmar), ("IVRS", acpi.parse_ivrs))
                 for u in (fn(_table(root, name) or b"") if _table(root, name) else [])]
    except acpi.AcpiError as e:
        raise InputError(f"{root}/sys/firmware/acpi/tables: {e}") from None
    if madt.x2apic_only:
        raise InputError("the MADT lists x2APIC CPUs only: this hypervisor drives the xAPIC")
    if not madt.cpus:
        raise InputError("the MADT lists no enabled CPU")
    for f in ("proc/iomem", "proc/ioports"):
        if not (root / f).is_file():
            raise InputError(f"{root / f} is missing", "collect it as root with configgen/collect.sh")
    iomem = parse_iomem(_text(root / "proc/iomem"), str(root / "proc/iomem"))
    ioports = parse_ioports(_text(root / "proc/ioports"), str(root / "proc/ioports"))
    funcs = pci_functions(root)
    ram = _ram(iomem)
    plan = _plan(ram, hyp_size, cell_size, hyp_addr)
    online_path = root / "sys/devices/system/cpu/online"
    cpu_ids = sorted(madt.cpus)
    online = list(range(len(cpu_ids)))
    if online_path.is_file():
        try:
            online = parse_cpulist(_text(online_path))
        except ValueError:
            raise InputError(f"{online_path}: not a CPU list") from None
    # IOAPIC pins: not in the MADT (the IOAPIC's version register says); the next IOAPIC's GSI base, else 24
    ioapics = sorted(madt.ioapics, key=lambda io: io[2])
    pins = [(ioapics[i + 1][2] - io[2]) if i + 1 < len(ioapics) else 24 for i, io in enumerate(ioapics)]
    gsis = {g for io, n in zip(ioapics, pins) for g in range(io[2], io[2] + n)}
    if ioapics:
        notes.append("note: IOAPIC pin counts are not in the MADT: the last IOAPIC is taken to have 24 "
                     "(ICH/PCH); check `dmesg | grep IOAPIC` and fix ioapic-pins")
    trapped = [(m[0] + (m[2] << 20), m[0] + ((m[3] + 1) << 20)) for m in mcfg]
    trapped += [(io[1], io[1] + _PAGE) for io in ioapics] + [(madt.lapic_address, madt.lapic_address + _PAGE)]
    trapped += [(u.base, u.base + u.size) for u in units]
    w = _Writer()
    w(0, "/dts-v1/;")
    w()
    w(0, "/ {")
    w(1, 'compatible = "x86,pc";')
    w(1, "#address-cells = <2>;")
    w(1, "#size-cells = <2>;")
    w()
    cpu_labels = _cpus(w, madt)
    w()
    w(1, "memory@0 {")
    w(2, 'device_type = "memory";')
    w(2, "reg = " + ",\n\t\t      ".join(_reg2(a, e - a) for a, e in ram) + ";\t/* System RAM (/proc/iomem) */")
    w(1, "};")
    if not _overlaps(_LOW_END, _LEGACY_END, ram):
        w()
        w(1, "legacy: legacy-memory@a0000 {")
        w(2, 'compatible = "pc,legacy-memory";')
        w(2, f"reg = {_reg2(_LOW_END, _LEGACY_END - _LOW_END)};\t/* VGA window, option ROMs, BIOS */")
        w(1, "};")
    for e in iomem:
        a, end = e.start & ~(_PAGE - 1), (e.end + _PAGE) & ~(_PAGE - 1)
        if e.depth or e.name == "System RAM" or e.name.startswith("PCI Bus") or a < _LEGACY_END \
                or _overlaps(a, end, trapped):
            continue
        if e.name == "Reserved" and a >= 1 << 32:
            continue  # e.g. the AMD HyperTransport hole (0xfd00000000-0xffffffffff): nothing to reach
        kind = "timer" if e.name.startswith("HPET") else "firmware" if e.name == "Reserved" else _ident(e.name)
        compat = "intel,ce4100-hpet" if kind == "timer" else "pc,reserved" if kind == "firmware" else "pc,iomem"
        w()
        w(1, f"{_label(kind + '_' + format(a, 'x'))}: {kind}@{a:x} {{")
        w(2, f'compatible = "{compat}";')
        w(2, f"reg = {_reg2(e.start, e.end - e.start + 1)};\t/* {e.name} */")
        w(1, "};")
    for n, ((iid, addr, gsi), npins) in enumerate(zip(ioapics, pins)):
        w()
        w(1, f"ioapic{n}: interrupt-controller@{addr:x} {{")
        w(2, 'compatible = "intel,ce4100-ioapic";')
        w(2, f"reg = {_reg2(addr, _PAGE)};")
        w(2, "interrupt-controller;")
        w(2, "#interrupt-cells = <2>;")
        w(2, f"ioapic-id = <{iid}>;")
        w(2, f"gsi-base = <{gsi}>;")
        w(2, f"ioapic-pins = <{npins}>;")
        w(1, "};")
    w()
    w(1, f"lapic: interrupt-controller@{madt.lapic_address:x} {{")
    w(2, 'compatible = "intel,ce4100-lapic";')
    w(2, f"reg = {_reg2(madt.lapic_address, _PAGE)};")
    w(1, "};")
    for n, u in enumerate(units):
        w()
        w(1, f"iommu{n}: iommu@{u.base:x} {{")
        w(2, f'compatible = "{u.type}";')
        w(2, f"reg = {_reg2(u.base, u.size)};")
        if u.type == "amd,iommu":
            w(2, f"pci-bdf = <{u.bdf:#x}>;")
            w(2, f"cap-offset = <{u.cap_offset:#x}>;")
        w(1, "};")
    if mcfg:
        mem_windows = [(e.start, e.end + 1) for e in iomem
                       if e.depth == 0 and e.name.startswith("PCI Bus") and e.start >= _LEGACY_END]
        io_windows = [(e.start, e.end + 1) for e in ioports if e.depth == 0 and e.name.startswith("PCI Bus")
                      and e.start > 0xCFF]
        w()
        _pci(w, funcs, mcfg, mem_windows, io_windows)
    else:
        notes.append("note: no MCFG table: no PCI host (and no PCI functions) described")
    w()
    uarts = _isa(w, ioports, funcs, madt, gsis)
    w(0, "};")
    console = uarts.get(0x3F8)
    if console is None:
        notes.append("note: no COM1 at 0x3f8: no debug console")
    root_cpus = [cpu_labels[i] for i in range(len(cpu_labels)) if i in online]
    _system(w, plan, console, root_cpus)
    head = ["// SPDX-License-Identifier: GPL-2.0", "/*",
            f" * System description generated by `configgen create` (x86) from {root}.", " *", " * Memory plan:"]
    head += [f" *   {r.start:#012x}-{r.end - 1:#012x}  {r.size_text:<10} {r.what}" for r in plan.rows]
    head += [" *", " * The board part is written from the ACPI tables (MADT, MCFG, DMAR/IVRS), /proc/iomem,",
             " * /proc/ioports and the PCI functions in sysfs. Root Linux needs the reservations",
             " * `configgen compile ... --root-cmdline FILE` writes (memmap=)."]
    head += [" * " + n.removeprefix("note: ") for n in notes] + [" */", ""]
    return "\n".join(head + w.lines) + "\n", notes


def _system(w: _Writer, plan: Plan, console: Optional[str], cpus: list[str]) -> None:
    hs, he = plan.hyp
    w()
    w(0, "/ {")
    w(1, f"hypervisor: hypervisor@{hs:x} {{")
    w(2, 'compatible = "hv,hypervisor";')
    w(2, f"reg = {_reg2(hs, he - hs)};")
    if console:
        w(2, f"debug-console = <&{console}>;")
    w(2, "virtual-debug-console;")
    w()
    w(2, "root_cell: root-cell {")
    w(3, 'compatible = "hv,root-cell";')
    w(3, 'cell-name = "root-linux";')
    w(3, "cpus = <" + " ".join(f"&{c}" for c in cpus) + ">;")
    if console:
        w(3, f"console = <&{console}>;")
    w(3, "/* every device but the IOAPICs, the local APIC, IOMMUs and MMCONFIG; all ports but 0xcf8-0xcff */")
    w(3, "all-devices;")
    regions = [(f"linux-ram{i or ''}", a, e, False) for i, (a, e) in enumerate(plan.root_ram)]
    if plan.pool:
        regions.append(("cell-pool", plan.pool[0], plan.pool[1], True))
    for name, a, e, pool in sorted(regions, key=lambda r: r[1]):
        w()
        w(3, f"{name} {{")
        w(4, f"physical-address = /bits/ 64 <{a:#x}>;")
        w(4, f"size = /bits/ 64 <{e - a:#x}>;")
        w(4, 'access = "rwx";')
        if pool:
            w(4, "cell-pool;\t/* non-root cells are carved from here */")
        w(3, "};")
    w(2, "};")
    w(1, "};")
    w(0, "};")
