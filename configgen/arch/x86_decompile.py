"""The x86 profile's part of `decompile`: which x86 blobs sources can say, and the sources that
compile back to them: a board rebuilt from the blob (CPUs by APIC id, IOAPICs, the local APIC,
IOMMU units, an ISA bus with the debug console and the PM timer, the PCI host with one function
node per PCI function the root owns, one plain MMIO node per root device region) and cells in
raw forms (cpu-indices, regions, ioapic-pins, pio-regions, pci-devices, console-type)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from configgen import abi, pci

if TYPE_CHECKING:
    from configgen.arch.x86 import X86Profile
    from configgen.blob import Parsed, ParsedCell

_U32 = 1 << 32


def unrepresentable(prof: "X86Profile", pl: dict[str, Any], hw_ids: list[int]) -> str:
    """"" if sources can say this platform section and CPU table, else what they cannot."""
    if hw_ids != sorted(hw_ids):
        return "CPU table not in APIC id order (configgen writes it sorted, so every CPU index would change)"
    if pl["apic_khz"] * 1000 >= _U32 or pl["tsc_khz"] * 1000 >= _U32:
        return "an APIC or TSC clock of 4.29 GHz or more (clock-frequency and tsc-frequency are 32-bit Hz)"
    if not pl["num_ioapics"]:
        return "no IOAPIC"
    return ""


def irqchip_layout_ok(prof: "X86Profile", entries: list[dict[str, Any]], platform: Optional[dict[str, Any]]) -> str:
    """"" if the entries are exactly what X86Profile.irqchips() writes: ascending (address, id,
    pin_base), pin_base a multiple of the entry's pins, none empty, each an IOAPIC of the platform
    (when known) with pins below its count."""
    pins, prev = prof.irqchip_pins, None
    ioapics = {(io["address"], io["id"]): io for io in platform["ioapics"][:platform["num_ioapics"]]} \
        if platform is not None else None
    for e in entries:
        key = (e["address"], e["id"], e["pin_base"])
        if e["pin_base"] % pins or (prev is not None and key <= prev) or not any(e["pin_bitmap"]):
            return (f"interrupt resource at pin {e['pin_base']} of IOAPIC {e['id']} is not in the form configgen "
                    f"writes (pin_base a multiple of {pins}, ascending, non-empty)")
        prev = key
        if ioapics is not None:
            io = ioapics.get((e["address"], e["id"]))
            top = max(b + w * 64 for w, v in enumerate(e["pin_bitmap"]) for b in range(64) if v >> b & 1)
            if io is None or e["pin_base"] + top >= io["pins"]:
                return f"interrupt resource of IOAPIC {e['id']} at {e['address']:#x} names pins it does not have"
    return ""


def ports_pci_layout_ok(pio: list[dict[str, int]], pci: list[dict[str, int]]) -> str:
    """"" if the port regions are sorted and merged and the PCI functions sorted, unique, behind no
    IOMMU: what configgen writes."""
    for a, b in zip(pio, pio[1:]):
        if a["base"] + a["length"] >= b["base"]:
            return "port-I/O regions not ascending and merged (as configgen writes them)"
    keys = [(d["domain"], d["bdf"]) for d in pci]
    if keys != sorted(set(keys)):
        return "PCI functions not in the order configgen writes them"
    for d in pci:
        if d["iommu"] != abi.PCI_NO_IOMMU or d["type"] not in (abi.PCI_DEVICE, abi.PCI_BRIDGE):
            return f"PCI function {d['bdf']:#06x} behind IOMMU unit {d['iommu']} (configgen writes none)"
    return ""


def cell_props(prof: "X86Profile", c: "ParsedCell", indent: str, is_root: bool) -> list[str]:
    out = []
    if not is_root:  # the root owns every GSI (checked by decompile_system)
        pins = [(e["id"], e["pin_base"] + w * 64 + b) for e in c.irqchips for w, v in enumerate(e["pin_bitmap"])
                for b in range(64) if v >> b & 1]
        if pins:
            out.append(f"{indent}ioapic-pins = <{' '.join(f'{i} {n}' for i, n in pins)}>;")
    if c.pio_regions:
        ports = " ".join(f"{r['base']:#x} {r['length']:#x}" for r in c.pio_regions)
        out.append(f"{indent}pio-regions = <{ports}>;")
    return out + pci.source_props(c.pci_devices, indent)


def _reg(start: int, size: int) -> str:
    return f"<{start >> 32:#x} {start & 0xFFFFFFFF:#x} {size >> 32:#x} {size & 0xFFFFFFFF:#x}>"


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _board(p: "Parsed") -> list[str]:
    pl, gp, root = p.platform, p.fields["platform"], p.cell
    L = ["\tcpus {", "\t\t#address-cells = <1>;", "\t\t#size-cells = <0>;"]
    if pl["tsc_khz"]:
        L.append(f"\t\ttsc-frequency = <{pl['tsc_khz'] * 1000}>;")
    for i, apic in enumerate(p.cpus):
        L += ["", f"\t\tcpu{i}: cpu@{apic:x} {{", '\t\t\tdevice_type = "cpu";', f"\t\t\treg = <{apic:#x}>;", "\t\t};"]
    L += ["\t};", ""]
    for n, io in enumerate(pl["ioapics"][:pl["num_ioapics"]]):
        L += [f"\tioapic{n}: interrupt-controller@{io['address']:x} {{", '\t\tcompatible = "intel,ce4100-ioapic";',
              f"\t\treg = {_reg(io['address'], 0x1000)};", "\t\tinterrupt-controller;", "\t\t#interrupt-cells = <2>;",
              f"\t\tioapic-id = <{io['id']}>;", f"\t\tgsi-base = <{io['gsi_base']}>;",
              f"\t\tioapic-pins = <{io['pins']}>;"]
        if io["source_id"]:
            L.append(f"\t\tsource-id = <{io['source_id']:#x}>;")
        L += ["\t};", ""]
    L += ["\tlapic: interrupt-controller@fee00000 {", '\t\tcompatible = "intel,ce4100-lapic";',
          f"\t\treg = {_reg(0xFEE00000, 0x1000)};"]
    if pl["apic_khz"]:
        L.append(f"\t\tclock-frequency = <{pl['apic_khz'] * 1000}>;")
    L += ["\t};", ""]
    for n, u in enumerate(pl["iommus"][:pl["num_iommus"]]):
        compat = "amd,iommu" if u["type"] == abi.X86_IOMMU_AMD else "intel,vtd"
        L += [f"\tiommu{n}: iommu@{u['base']:x} {{", f'\t\tcompatible = "{compat}";',
              f"\t\treg = {_reg(u['base'], u['size'])};", f"\t\tpci-bdf = <{u['bdf']:#x}>;",
              f"\t\tcap-offset = <{u['cap_offset']:#x}>;", "\t};", ""]
    if gp["pci_mmconfig_size"]:
        L += [f"\tpcie@{gp['pci_mmconfig_base']:x} {{", '\t\tcompatible = "pci-host-ecam-generic";',
              '\t\tdevice_type = "pci";', "\t\t#address-cells = <3>;", "\t\t#size-cells = <2>;",
              f"\t\treg = {_reg(gp['pci_mmconfig_base'], gp['pci_mmconfig_size'])};"]
        for d in root.pci_devices:
            slot, fn = (d["bdf"] >> 3) & 0x1F, d["bdf"] & 7
            L += ["", f"\t\tfn@{slot:x},{fn:x} {{", f"\t\t\treg = <{d['bdf'] << 8:#x} 0x0 0x0 0x0 0x0>;",
                  "\t\t\thv,no-dma;\t/* not in the blob: bus mastering stays off unless the cell is dma-trusted */"]
            if d["domain"]:
                L.append(f"\t\t\tlinux,pci-domain = <{d['domain']}>;")
            if d["type"] == abi.PCI_BRIDGE:
                L.append('\t\t\tdevice_type = "pci";')
            L.append("\t\t};")
        L += ["\t};", ""]
    dc = p.fields["debug_console"]
    L += ["\tisa {", '\t\tcompatible = "isa";', '\t\tdevice_type = "isa";', "\t\t#address-cells = <2>;",
          "\t\t#size-cells = <1>;"]
    if dc["type"] == abi.CONSOLE_8250_PIO:
        L += ["", f"\t\tdebug_uart: serial@i{dc['base']:x} {{", '\t\t\tcompatible = "ns16550a";',
              f"\t\t\treg = <1 {dc['base']:#x} {dc['size']:#x}>;", "\t\t};"]
    if pl["pm_timer_port"]:
        L += ["", f"\t\ttimer@i{pl['pm_timer_port']:x} {{", '\t\t\tcompatible = "acpi,pm-timer";',
              f"\t\t\treg = <1 {pl['pm_timer_port']:#x} 0x4>;", "\t\t};"]
    L += ["\t};", ""]
    if dc["type"] == abi.CONSOLE_8250:
        L += [f"\tdebug_uart: serial@{dc['base']:x} {{", '\t\tcompatible = "ns16550a";',
              f"\t\treg = {_reg(dc['base'], dc['size'])};", "\t};", ""]
    for i, r in enumerate(r for r in root.regions if r["flags"] & abi.MEM_IO):
        L += [f"\tmmio{i}: mmio@{r['phys_start']:x} {{", '\t\tcompatible = "configgen,mmio";',
              f"\t\treg = {_reg(r['phys_start'], r['size'])};", "\t};", ""]
    return L


def decompile_system(prof: "X86Profile", p: "Parsed") -> str:
    from configgen.show import NotRepresentable, _cell_body
    f, pl, root = p.fields, p.platform, p.cell
    gsis = sorted(g for io in pl["ioapics"][:pl["num_ioapics"]] for g in range(io["gsi_base"], io["gsi_base"] + io["pins"]))
    pins = sorted({(e["address"], e["id"], e["pin_base"] + w * 64 + b) for e in root.irqchips
                   for w, v in enumerate(e["pin_bitmap"]) for b in range(64) if v >> b & 1})
    want = sorted((io["address"], io["id"], n) for io in pl["ioapics"][:pl["num_ioapics"]] for n in range(io["pins"]))
    if pins != want:
        raise NotRepresentable(f"a root cell that owns {len(pins)} of the {len(gsis)} IOAPIC pins (configgen gives "
                               "the root every pin)")
    ram = _merged([(r["phys_start"], r["phys_start"] + r["size"]) for r in root.regions
                   if not r["flags"] & (abi.MEM_IO | abi.MEM_COMM_REGION)]
                  + [(f["hypervisor_mem_base"], f["hypervisor_mem_base"] + f["hypervisor_mem_size"])])
    L = ["/dts-v1/;", "",
         "/*", " * Decompiled by configgen from an x86 system blob. The board is reconstructed from what the",
         " * blob records: RAM (root RAM + hypervisor), CPUs by APIC id, IOAPICs, the local APIC, IOMMU units,",
         " * the MMCONFIG window with the root's PCI functions, the debug console and PM timer on an ISA bus,",
         " * and one plain MMIO node per root-cell device region.", " */", "",
         "/ {", '\tcompatible = "x86,pc";', "\t#address-cells = <2>;", "\t#size-cells = <2>;", ""]
    for s, e in ram:
        L += [f"\tmemory@{s:x} {{", '\t\tdevice_type = "memory";', f"\t\treg = {_reg(s, e - s)};", "\t};", ""]
    L += _board(p)
    hb, hs = f["hypervisor_mem_base"], f["hypervisor_mem_size"]
    L += [f"\thypervisor: hypervisor@{hb:x} {{", '\t\tcompatible = "hv,hypervisor";', f"\t\treg = {_reg(hb, hs)};"]
    if f["debug_console"]["type"] != abi.CONSOLE_NONE:
        L.append("\t\tdebug-console = <&debug_uart>;")
    if f["flags"] & abi.SYS_VIRTUAL_DEBUG_CONSOLE:
        L.append("\t\tvirtual-debug-console;")
    L += ["", "\t\troot-cell {"] + _cell_body(p, root, "\t\t\t", True) + ["\t\t};", "\t};", "};"]
    return "\n".join(L) + "\n"
