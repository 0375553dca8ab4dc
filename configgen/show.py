"""dump (readable listing) and decompile (.dts that compiles back to the identical blob)."""
from __future__ import annotations

import hashlib
import re

from configgen import abi, show_links
from configgen.blob import Parsed, ParsedCell


def _flags(value: int, names: dict[int, str]) -> str:
    parts = [n for bit, n in names.items() if value & bit]
    rest = value & ~sum(names)
    if rest:
        parts.append(f"{rest:#x}")
    return "|".join(parts) or "-"


_MEM_NAMES = {abi.MEM_READ: "R", abi.MEM_WRITE: "W", abi.MEM_EXECUTE: "X",
              **{f: n.upper() for n, f in abi.MEM_FLAG_PROPS.items()}}


def _spis(intids: list[int], first_spi: int) -> str:
    spis = [i - first_spi for i in intids if i >= first_spi]
    if not spis:
        return "-"
    out, start, prev = [], spis[0], spis[0]
    for s in spis[1:] + [None]:  # type: ignore[list-item]
        if s is not None and s == prev + 1:
            prev = s
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if s is not None:
            start = prev = s
    return ",".join(out)


def _dump_cell(p: Parsed, c: ParsedCell, lines: list[str], hw_ids: list[int] | None) -> None:
    d = c.desc
    idn = p.arch.hw_id_name.lower()
    cpus = ", ".join(f"{i} ({idn} {hw_ids[i]:#x})" if hw_ids and i < len(hw_ids) else str(i) for i in c.cpus)
    con = d["console"]
    lines += [
        f"  name:              {c.name}",
        f"  flags:             {_flags(d['flags'], abi.CELL_DUMP_NAMES)}",
        f"  cpus:              {cpus or '-'}",
        f"  cpu_reset_address: {d['cpu_reset_address']:#x}",
        f"  msg_reply_timeout: {d['msg_reply_timeout']}",
        f"  console:           {abi.CONSOLE_TYPE_NAMES.get(con['type'], con['type'])} "
        f"base {con['base']:#x} size {con['size']:#x}",
        f"  {'GSIs' if getattr(p.arch, 'port_io', False) else 'SPIs'}:              {_spis(c.intids, p.arch.first_spi)}",
        f"  irqchips:          {len(c.irqchips)}" + "".join(
            f"\n    {e['address']:#x} id {e['id']} pins {e['pin_base']}-{e['pin_base'] + p.arch.irqchip_pins - 1}: "
            f"{' '.join(f'{w:#018x}' for w in e['pin_bitmap'])}" for e in c.irqchips),
        *(["  port I/O:          " + ", ".join(f"{r['base']:#x}+{r['length']:#x}" for r in c.pio_regions)]
          if c.pio_regions else []),
        *(["  PCI devices:       " + ", ".join(f"{d['domain']:04x}:{d['bdf'] >> 8:02x}:{d['bdf'] >> 3 & 31:02x}."
                                               f"{d['bdf'] & 7} type {d['type']}" + _bars(d) for d in c.pci_devices)]
          if c.pci_devices else []),
        *(["  ivshmem ends:      " + ", ".join(show_links.end_text(e) for e in c.ends)] if c.ends else []),
        f"  memory regions:    {len(c.regions)}",
        "    phys_start         guest_start        size               flags",
    ]
    for r in c.regions:
        lines.append(f"    {r['phys_start']:#018x} {r['guest_start']:#018x} {r['size']:#018x} "
                     f"{_flags(r['flags'], _MEM_NAMES)}")


def dump(p: Parsed, path: str) -> str:
    f = p.fields
    h = f["header"]
    lines = [f"{path}: {p.kind} blob, revision {h['revision']}, arch {p.arch.name}, {h['total_size']} bytes, "
             f"crc32 {h['crc32']:#010x}, sha256 {hashlib.sha256(p.raw).hexdigest()}"]
    if p.kind == "system":
        pl, dc, gp = p.platform, f["debug_console"], f["platform"]
        lines += [
            f"flags:            {'virtual-debug-console' if f['flags'] & abi.SYS_VIRTUAL_DEBUG_CONSOLE else '-'}",
            f"hypervisor:       {f['hypervisor_mem_base']:#x} size {f['hypervisor_mem_size']:#x}",
            f"debug console:    {abi.CONSOLE_TYPE_NAMES.get(dc['type'], dc['type'])} base {dc['base']:#x} "
            f"size {dc['size']:#x}",
            *p.arch.dump_platform(pl),
            f"PCI MMCONFIG:     {gp['pci_mmconfig_base']:#x} size {gp['pci_mmconfig_size']:#x}",
            f"CPUs:             {len(p.cpus)} ({p.arch.hw_id_name}): "
            + ", ".join(f"{i}={m:#x}" for i, m in enumerate(p.cpus)),
            *show_links.dump_lines(p),
            "root cell:",
        ]
        _dump_cell(p, p.cell, lines, p.cpus)
    else:
        lines.append(f"system digest:    {bytes(f['system_digest']).hex()}")
        lines.append("cell:")
        _dump_cell(p, p.cell, lines, None)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ decompile

class NotRepresentable(Exception):
    """The blob holds something the sources cannot say: decompiling it would silently drop it."""


_MEM_WRITABLE = abi.MEM_READ | abi.MEM_WRITE | abi.MEM_EXECUTE | sum(abi.MEM_FLAG_PROPS.values())


def _bars(d: dict) -> str:
    """ BARs a non-root cell's function holds (none shown when all are 0: root entries)."""
    bars = d.get("bar") or []
    return f" bars {' '.join(f'{b:#x}' for b in bars)}" if any(bars) else ""


def _check_cell_representable(p: Parsed, c: ParsedCell, what: str, platform: dict | None) -> None:
    d = c.desc
    raw = bytes(d["name"]).split(b"\0", 1)[0]
    if any(b < 0x20 or b > 0x7E for b in raw):
        raise NotRepresentable(f"{what}: cell name {raw!r} has characters a cell-name string cannot hold "
                               "(not printable ASCII)")
    if d["flags"] & ~abi.CELL_KNOWN_FLAGS:
        raise NotRepresentable(f"{what}: unknown cell flag bits {d['flags'] & ~abi.CELL_KNOWN_FLAGS:#x}")
    if d["flags"] & abi.CELL_VCONSOLE_ACTIVE and not d["flags"] & abi.CELL_VCONSOLE_PERMITTED:
        raise NotRepresentable(f"{what}: virtual-console-active without virtual-console-permitted (the property "
                               "sets both)")
    if d["console"]["type"] not in (abi.CONSOLE_NONE, *(t for t, _, _ in p.arch.console_types)):
        raise NotRepresentable(f"{what}: console type {d['console']['type']}, which {p.arch.name} does not drive")
    if d["console"]["flags"]:  # reserved; the validator checks it for cells, not for the root cell
        raise NotRepresentable(f"{what}: console flags {d['console']['flags']:#x} (reserved, no property sets them)")
    for i, r in enumerate(c.regions):
        if r["flags"] & ~_MEM_WRITABLE:
            raise NotRepresentable(f"{what}: memory region {i} has flag bits no region property "
                                   f"expresses ({r['flags'] & ~_MEM_WRITABLE:#x})")
    if hasattr(p.arch, "ports_pci_layout_ok"):  # x86: pio-regions and pci-devices say them
        why = p.arch.ports_pci_layout_ok(c.pio_regions, c.pci_devices)
        if why:
            raise NotRepresentable(f"{what}: {why}")
    elif c.pio_regions or c.pci_devices:
        raise NotRepresentable(f"{what}: {len(c.pio_regions)} port-I/O regions and {len(c.pci_devices)} PCI "
                               f"devices (no {p.arch.name} source names them)")
    why = p.arch.irqchip_layout_ok(c.irqchips, platform)
    if why:
        raise NotRepresentable(f"{what}: {why}")
    key = [(r["guest_start"], r["phys_start"], r["size"], r["flags"]) for r in c.regions]
    if key != sorted(key):
        raise NotRepresentable(f"{what}: memory regions not in the order configgen writes them")
    try:
        show_links.check_ends(c, what)
    except show_links.LinkNotRepresentable as e:
        raise NotRepresentable(str(e)) from None


def _check_layout(p: Parsed) -> None:
    """The arrays where configgen puts them, and nothing after them."""
    f = p.fields
    d = p.cell.desc
    words, nregs, nchips = d["num_cpu_words"], d["num_mem_regions"], d["num_irqchips"]
    if p.kind == "system":
        n = f["num_cpus"]
        links = abi.SYSTEM.size + abi.CPU.size * n
        want = [("cpu_table_offset", f["cpu_table_offset"], abi.SYSTEM.size),
                ("ivshmem_links_offset", f["ivshmem_links_offset"], links)]
        cpu_set = links + abi.IVSHMEM_LINK.size * f["num_ivshmem_links"]
        if words != max(1, (n + 63) // 64):
            raise NotRepresentable(f"root cell CPU set of {words} words for {n} CPUs")
    else:
        want = []
        cpu_set = abi.CELL.size
    mem = cpu_set + 8 * words
    chips = mem + abi.MEMORY_REGION.size * nregs
    pio = chips + abi.IRQCHIP.size * nchips
    pci = pio + abi.PIO_REGION.size * d["num_pio_regions"]
    ends = pci + abi.PCI_DEVICE_STRUCT.size * d["num_pci_devices"]
    end = ends + abi.IVSHMEM_END.size * d["num_ivshmem_ends"]
    want += [("cpu_set_offset", d["cpu_set_offset"], cpu_set), ("mem_regions_offset", d["mem_regions_offset"], mem),
             ("irqchips_offset", d["irqchips_offset"], chips), ("pio_regions_offset", d["pio_regions_offset"], pio),
             ("pci_devices_offset", d["pci_devices_offset"], pci),
             ("ivshmem_ends_offset", d["ivshmem_ends_offset"], ends), ("total_size", f["header"]["total_size"], end)]
    for name, have, should in want:
        if have != should:
            raise NotRepresentable(f"{name} {have} where configgen writes {should} (bytes the sources cannot hold)")


def _check_representable(p: Parsed) -> None:
    """What decompile would otherwise drop or change silently (the validator has passed the blob)."""
    _check_layout(p)
    f = p.fields
    if p.kind == "cell":
        _check_cell_representable(p, p.cell, "cell", None)
        return
    _check_cell_representable(p, p.cell, "root cell", p.platform)
    try:
        show_links.check_links(p)
    except show_links.LinkNotRepresentable as e:
        raise NotRepresentable(str(e)) from None
    pl, dc, gp = p.platform, f["debug_console"], f["platform"]
    if f["flags"] & ~abi.SYS_VIRTUAL_DEBUG_CONSOLE:
        raise NotRepresentable(f"unknown system flag bits {f['flags'] & ~abi.SYS_VIRTUAL_DEBUG_CONSOLE:#x}")
    drivable = (abi.CONSOLE_NONE, *(t for t, _, _ in p.arch.console_types))
    if dc["type"] not in drivable or (dc["type"] == abi.CONSOLE_NONE and (dc["base"] or dc["size"])):
        raise NotRepresentable(f"debug console type {dc['type']} at {dc['base']:#x} size {dc['size']:#x}")
    why = p.arch.unrepresentable(pl, p.cpus)
    if why:
        raise NotRepresentable(why)
    if not p.arch.platform_tail_zero(gp["arch"]):
        raise NotRepresentable("bytes after the platform section of the architecture")
    if not gp["pci_mmconfig_size"] and gp["pci_mmconfig_base"]:
        raise NotRepresentable(f"pci_mmconfig base {gp['pci_mmconfig_base']:#x} without a size")
    if pl.get("pci_io_base") and not pl.get("pci_io_size") or pl.get("pci_io_size") and not gp["pci_mmconfig_size"]:
        raise NotRepresentable(f"a PCI I/O window at {pl['pci_io_base']:#x} size {pl['pci_io_size']:#x} without "
                               "a PCI host (ECAM window) or without a size")


def _dts_string(text: str) -> str:
    """A DTS string literal: quotes and backslashes escaped (dtc reads them back as one byte)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _u64(v: int) -> str:
    return f"/bits/ 64 <{v:#x}>"


def _reg(start: int, size: int) -> str:
    return f"<{start >> 32:#x} {start & 0xFFFFFFFF:#x} {size >> 32:#x} {size & 0xFFFFFFFF:#x}>"


def _cell_body(p: Parsed, c: ParsedCell, indent: str, is_root: bool,
               regions: list[dict] | None = None) -> list[str]:
    d = c.desc
    out = [f'{indent}compatible = "{"hv,root-cell" if is_root else "hv,cell"}";',
           f"{indent}cell-name = {_dts_string(c.name)};"]
    if c.cpus:
        out.append(f"{indent}cpu-indices = <{' '.join(str(i) for i in c.cpus)}>;")
    con = d["console"]
    if con["type"] or con["base"] or con["size"]:
        out += [f'{indent}console-type = "{abi.CONSOLE_TYPE_NAMES[con["type"]]}";',
                f"{indent}console-address = {_u64(con['base'])};", f"{indent}console-size = {_u64(con['size'])};"]
    flags = d["flags"]
    for bit, name in abi.CELL_FLAG_NAMES.items():
        if flags & bit:
            out.append(f"{indent}{name};")
    if not is_root and p.arch.cell_flags & abi.CELL_IRQ_DIRECT:  # said even where it is the default
        mode = "direct" if flags & abi.CELL_IRQ_DIRECT else "trap"
        out.append(f'{indent}{abi.IRQ_DELIVERY_PROP} = "{mode}";')
    out.append(f"{indent}cpu-reset-address = {_u64(d['cpu_reset_address'])};")
    out.append(f"{indent}msg-reply-timeout = {_u64(d['msg_reply_timeout'])};")
    if hasattr(p.arch, "cell_props"):  # x86: ioapic-pins, pio-regions, pci-devices
        out += p.arch.cell_props(c, indent, is_root)
    elif not is_root:
        spis = [i - p.arch.first_spi for i in c.intids if i >= p.arch.first_spi]
        if spis:
            out.append(f"{indent}spis = <{' '.join(str(s) for s in spis)}>;")
    out += show_links.raw_ends(c, indent)
    for i, r in enumerate(c.regions if regions is None else regions):
        fl = r["flags"]
        out += ["", f"{indent}region{i} {{"]
        if not fl & abi.MEM_COMM_REGION:
            out.append(f"{indent}\tphysical-address = {_u64(r['phys_start'])};")
        out += [f"{indent}\tguest-address = {_u64(r['guest_start'])};", f"{indent}\tsize = {_u64(r['size'])};"]
        access = "".join(ch for ch, bit in (("r", abi.MEM_READ), ("w", abi.MEM_WRITE), ("x", abi.MEM_EXECUTE))
                         if fl & bit)
        out.append(f'{indent}\taccess = "{access}";')
        for name, bit in abi.MEM_FLAG_PROPS.items():
            if fl & bit:
                out.append(f"{indent}\t{name};")
        out.append(f"{indent}}};")
    return out


def _decompile_cell(p: Parsed) -> str:
    digest = bytes(p.fields["system_digest"]).hex()
    node = re.sub(r"[^A-Za-z0-9,._+-]", "-", p.cell.name)[:31] or "cell"
    lines = ["/dts-v1/;", "/plugin/;", "",
             "/*", " * Decompiled by configgen from a cell blob. Compile it against the system whose blob has",
             f" * SHA-256 {digest}.", " */", "", "&hypervisor {", f"\t{node} {{"]
    lines += _cell_body(p, p.cell, "\t\t", False)
    lines += ["\t};", "};"]
    return "\n".join(lines) + "\n"


def _decompile_system(p: Parsed) -> str:
    if hasattr(p.arch, "decompile_system"):  # x86: ISA bus, PCI functions, its own platform nodes
        return p.arch.decompile_system(p)
    f, pl, dc, gp = p.fields, p.platform, p.fields["debug_console"], p.fields["platform"]
    root = p.cell
    regions = show_links.joined_pool(p, root.regions)
    ram = sorted([(r["phys_start"], r["phys_start"] + r["size"]) for r in regions
                  if not r["flags"] & (abi.MEM_IO | abi.MEM_COMM_REGION)]
                 + [(f["hypervisor_mem_base"], f["hypervisor_mem_base"] + f["hypervisor_mem_size"])])
    merged: list[tuple[int, int]] = []
    for s, e in ram:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    root_props, nodes = p.arch.board_nodes(pl, p.cpus)
    L = ["/dts-v1/;", "",
         "/*", " * Decompiled by configgen from a system blob. The board is reconstructed from what the blob",
         " * records: RAM (root RAM + hypervisor), CPUs, the interrupt controller, the PCI ECAM window, the debug",
         " * console, and one plain MMIO node per root-cell device region.", " */", "",
         "/ {", "\t#address-cells = <2>;", "\t#size-cells = <2>;", *root_props, ""]
    for s, e in merged:
        L += [f"\tmemory@{s:x} {{", '\t\tdevice_type = "memory";', f"\t\treg = {_reg(s, e - s)};", "\t};", ""]
    L += nodes
    if gp["pci_mmconfig_size"] or root.pci_devices:  # (functions need a host node, even without ECAM)
        L += _pci_host(gp, pl, root)
    dc_compat = next((c for t, _, c in p.arch.console_types if t == dc["type"]), None)
    if dc_compat is not None:
        L += [f"\tdebug_uart: serial@{dc['base']:x} {{", f'\t\tcompatible = "{dc_compat}";',
              f"\t\treg = {_reg(dc['base'], dc['size'])};", "\t};", ""]
    for i, r in enumerate(r for r in root.regions if r["flags"] & abi.MEM_IO):
        L += [f"\tmmio{i}: mmio@{r['phys_start']:x} {{", '\t\tcompatible = "configgen,mmio";',
              f"\t\treg = {_reg(r['phys_start'], r['size'])};", "\t};", ""]
    hb, hs = f["hypervisor_mem_base"], f["hypervisor_mem_size"]
    L += [f"\thypervisor: hypervisor@{hb:x} {{", '\t\tcompatible = "hv,hypervisor";', f"\t\treg = {_reg(hb, hs)};"]
    if dc_compat is not None:
        L.append("\t\tdebug-console = <&debug_uart>;")
    L += p.arch.hypervisor_props(pl, root.intids)
    if f["flags"] & abi.SYS_VIRTUAL_DEBUG_CONSOLE:
        L.append("\t\tvirtual-debug-console;")
    L += ["", "\t\troot-cell {"] + _cell_body(p, root, "\t\t\t", True, regions)
    L += ["\t\t};"] + show_links.link_nodes(p, "\t\t") + ["\t};", "};"]
    return "\n".join(L) + "\n"


def _pci_host(gp: dict, pl: dict, root: ParsedCell) -> list[str]:
    """The PCI host of a decompiled board: its ECAM window, its I/O window (arm: pci_io_base as
    port 0) and a node per PCI function of the root cell, so that pci-devices name them."""
    L = [f"\tpcie@{gp['pci_mmconfig_base']:x} {{", '\t\tcompatible = "pci-host-ecam-generic";',
         '\t\tdevice_type = "pci";', "\t\t#address-cells = <3>;", "\t\t#size-cells = <2>;",
         f"\t\treg = {_reg(gp['pci_mmconfig_base'], gp['pci_mmconfig_size'])};", '\t\tstatus = "disabled";']
    if pl.get("pci_io_size"):
        io, size = pl["pci_io_base"], pl["pci_io_size"]
        L.append(f"\t\tranges = <0x1000000 0x0 0x0 {io >> 32:#x} {io & 0xFFFFFFFF:#x} {size >> 32:#x} "
                 f"{size & 0xFFFFFFFF:#x}>;")
    for d in root.pci_devices:
        slot, fn = (d["bdf"] >> 3) & 0x1F, d["bdf"] & 7
        L += ["", f"\t\tfn@{slot:x},{fn:x} {{", f"\t\t\treg = <{d['bdf'] << 8:#x} 0x0 0x0 0x0 0x0>;",
              f"\t\t\t{_NO_DMA}"]
        if d["type"] == abi.PCI_BRIDGE:
            L.append('\t\t\tdevice_type = "pci";')
        L.append("\t\t};")
    return L + ["\t};", ""]


# A blob does not say whether a function bus-masters: the hypervisor keeps bus mastering off in
# any cell not marked dma-trusted, which is what hv,no-dma lets configgen accept.
_NO_DMA = "hv,no-dma;\t/* not in the blob: bus mastering stays off unless the cell is dma-trusted */"


def decompile(p: Parsed) -> str:
    """Source that compiles back to the identical blob; NotRepresentable if there is none."""
    _check_representable(p)
    return _decompile_system(p) if p.kind == "system" else _decompile_cell(p)
