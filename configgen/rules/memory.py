"""Memory rules: alignment, overlaps (physical, guest, hypervisor), board reality, root
ownership, board RAM the root does not cover, comm region, loadable image region, shared flags."""
from __future__ import annotations

import bisect

from configgen import abi
from configgen.diag import ERROR, WARNING, Diagnostic, Loc, Note
from configgen.kconfig import Limits
from configgen.model import Cell, Range, Region, System
from configgen.memmap import human
from configgen.intervals import Cover, merge, overlapping_pairs

_U64 = 1 << 64


def _desc(c: Cell, r: Region) -> str:
    return f"region '{r.name}' of cell '{c.name}' [{r.phys:#x}-{r.phys + r.size - 1:#x}]"


def _is_comm(r: Region) -> bool:
    return bool(r.flags & abi.MEM_COMM_REGION)


def _alignment(sysm: System, c: Cell) -> list[Diagnostic]:
    page = sysm.arch.page_size
    out = []
    for r in c.regions:
        bad = []
        if r.size == 0:
            bad.append("size is 0")
        elif r.size % page:
            bad.append(f"size {r.size:#x}")
        if not _is_comm(r) and r.phys % page:
            bad.append(f"physical start {r.phys:#x}")
        if r.guest % page:
            bad.append(f"guest start {r.guest:#x}")
        if bad:
            hint = ("the device's reg is smaller than a page: mapping it would expose its neighbours; "
                    "share the whole page with explicit `io` regions if that is intended"
                    if r.device else f"use multiples of {page:#x} for addresses and sizes")
            out.append(Diagnostic(ERROR, "mem-unaligned",
                                  f"{_desc(c, r)} is not page aligned: {', '.join(bad)}", r.loc, hint))
    return out


def _guest_overlaps(c: Cell) -> list[Diagnostic]:
    items = [(r.guest, min(r.guest + r.size, _U64), r) for r in c.regions]
    out = []
    for a, b in overlapping_pairs(items):
        out.append(Diagnostic(ERROR, "mem-guest-overlap",
                              f"cell '{c.name}': guest range of region '{b.name}' [{b.guest:#x}+{b.size:#x}] "
                              f"overlaps region '{a.name}' ({a.loc}) [{a.guest:#x}+{a.size:#x}]", b.loc,
                              "give each region its own guest-address range",
                              (Note(a.loc, f"region '{a.name}' is here"),)))
    return out


def _phys_overlaps(sysm: System) -> list[Diagnostic]:
    items = []
    for c in sysm.cells:
        for r in c.regions:
            if not _is_comm(r):
                items.append((r.phys, min(r.phys + r.size, _U64), (c, r)))
    out = []
    for (ca, ra), (cb, rb) in overlapping_pairs(items):
        if ra.flags & rb.flags & abi.MEM_SHARED:
            continue
        if ra.device and ra.device == rb.device and ca is not cb:
            continue  # the same device twice: reported once by dev-conflict
        hint = ("mark both regions `shared;` if the cells really share this memory" if ca is not cb
                else "regions of one cell must not alias the same physical memory")
        out.append(Diagnostic(ERROR, "mem-overlap",
                              f"{_desc(cb, rb)} overlaps {_desc(ca, ra)} at {ra.loc}", rb.loc, hint,
                              (Note(ra.loc, f"'{ra.name}' of cell '{ca.name}' is here"),)))
    # inside the root cell
    items = [(r.phys, min(r.phys + r.size, _U64), r) for r in sysm.root.regions]
    for a, b in overlapping_pairs(items):
        out.append(Diagnostic(ERROR, "mem-overlap", f"{_desc(sysm.root, b)} overlaps {_desc(sysm.root, a)} "
                                                    f"at {a.loc}", b.loc,
                              "root regions must not overlap each other",
                              (Note(a.loc, f"'{a.name}' is here"),)))
    return out


def _hypervisor(sysm: System) -> list[Diagnostic]:
    h = sysm.hyp_mem
    out = []
    for c in [sysm.root] + sysm.cells:
        for r in c.regions:
            if not _is_comm(r) and r.phys < h.end and h.start < r.phys + r.size:
                out.append(Diagnostic(ERROR, "mem-hypervisor-overlap",
                                      f"{_desc(c, r)} overlaps the hypervisor memory "
                                      f"[{h.start:#x}-{h.end - 1:#x}] ({sysm.hyp_loc})", r.loc,
                                      "the hypervisor's memory is never mapped into a cell",
                                      (Note(sysm.hyp_loc, "hypervisor memory is defined here"),)))
    return out + _hypervisor_devices(sysm)


def _hypervisor_devices(sysm: System) -> list[Diagnostic]:
    """The hypervisor maps its memory and its own devices (GIC, debug console) in one EL2 table,
    so none of them may lie in its memory; a disabled UART or a board without a root region
    there escapes the region check above."""
    h, p, dc = sysm.hyp_mem, sysm.platform, sysm.debug_console
    devices = [("the GIC distributor", p.gicd.start, p.gicd.size, p.gic_loc),
               ("the GIC redistributors", p.gicr.start, p.gicr.size, p.gic_loc),
               ("the GIC ITS", p.its.start, p.its.size, p.gic_loc)]
    if dc.type != abi.CONSOLE_NONE:
        devices.append(("the debug console", dc.base, dc.size, dc.loc))
    return [Diagnostic(ERROR, "mem-hypervisor-overlap",
                       f"{what} [{start:#x}+{size:#x}] lies in the hypervisor memory [{h.start:#x}-{h.end - 1:#x}] "
                       f"({sysm.hyp_loc})", loc or sysm.hyp_loc,
                       "the hypervisor maps its memory and its devices side by side; move its memory off the device",
                       (Note(sysm.hyp_loc, "hypervisor memory is defined here"),))
            for what, start, size, loc in devices if size and start < h.end and h.start < start + size]


def _board(sysm: System) -> list[Diagnostic]:
    ram = Cover([(r.start, r.end) for r in sysm.ram])
    page = sysm.arch.page_size
    dev = Cover([(pr.start, pr.end) for d in sysm.devices.values() for r in d.regs + d.windows if r.size
                 for pr in (sysm.arch.page_round(r),)])
    out = []
    h = sysm.hyp_mem
    if not ram.contains(h.start, h.end):
        out.append(Diagnostic(ERROR, "mem-outside-board",
                              f"hypervisor memory [{h.start:#x}+{h.size:#x}] is not inside the board's RAM",
                              sysm.hyp_loc, "pick a range inside the board's /memory nodes"))
    if h.start % page or h.size % page or not h.size:
        out.append(Diagnostic(ERROR, "mem-unaligned", f"hypervisor memory [{h.start:#x}+{h.size:#x}] is not "
                                                       "page aligned", sysm.hyp_loc, f"use multiples of {page:#x}"))
    out += _hypervisor_placement(sysm, h, sysm.hyp_loc)
    for c in [sysm.root] + sysm.cells:
        for r in c.regions:
            if _is_comm(r):
                continue
            end = r.phys + r.size
            if end >= _U64:  # a guest range that does is mem-guest-range's
                out.append(Diagnostic(ERROR, "mem-outside-board", f"{_desc(c, r)} reaches or wraps around 2^64",
                                      r.loc, "no board has memory there; check the address and size"))
                continue
            if r.flags & abi.MEM_IO:
                if not dev.contains(r.phys, end) and not ram.contains(r.phys, end):
                    out.append(Diagnostic(ERROR, "mem-outside-board",
                                          f"{_desc(c, r)} is MMIO outside every device of the board", r.loc,
                                          "MMIO regions must lie in a board device's reg"))
            elif not ram.contains(r.phys, end):
                out.append(Diagnostic(ERROR, "mem-outside-board",
                                      f"{_desc(c, r)} is not inside the board's RAM", r.loc,
                                      "RAM regions must lie in the board's /memory; mark MMIO windows `io`"))
    return out


def _hypervisor_placement(sysm: System, h: Range, loc: Loc) -> list[Diagnostic]:
    """The hypervisor maps itself with 2 MiB blocks from one level-2 table of its own page
    tables, so its memory must be 2 MiB aligned, inside one 1 GiB slot, and end at or below
    511 GiB (the top GiB of its 39-bit address space is its mapping window)."""
    if not h.size:
        return []
    prof = sysm.arch
    _HV_ALIGN, _HV_SLOT, _HV_LIMIT = prof.hv_mem_align, prof.hv_mem_span, prof.el2_va_limit
    problems = []
    if h.start % _HV_ALIGN or h.size % _HV_ALIGN:
        problems.append(f"is not {human(_HV_ALIGN)} aligned")
    if h.start // _HV_SLOT != (h.start + h.size - 1) // _HV_SLOT:
        problems.append(f"crosses a {human(_HV_SLOT)} boundary")
    if h.start + h.size > _HV_LIMIT:
        window = (1 << prof.el2_va_bits) - _HV_LIMIT
        top = "GiB" if window == 1 << 30 else human(window)
        problems.append(f"ends above {human(_HV_LIMIT)} (the top {top} of the hypervisor's "
                        f"{prof.el2_va_bits}-bit address space is its mapping window)")
    if not problems:
        return []
    return [Diagnostic(ERROR, "mem-hypervisor-placement",
                       f"hypervisor memory [{h.start:#x}+{h.size:#x}] " + " and ".join(problems)
                       + "; the hypervisor would refuse to enable", loc,
                       f"start and size in multiples of {human(_HV_ALIGN)}, within one {human(_HV_SLOT)}-aligned "
                       f"slot below {_HV_LIMIT >> 30} GiB")]


def _root_region_holding(regions: list[Region], starts: list[int], r: Region) -> Region | None:
    """The root region that holds r whole (root regions do not overlap: mem-overlap)."""
    i = bisect.bisect_right(starts, r.phys) - 1
    if i >= 0 and r.phys + r.size <= regions[i].phys + regions[i].size:
        return regions[i]
    return None


def _from_root(sysm: System) -> list[Diagnostic]:
    """The hypervisor hands a cell a region only if one root region of the same kind holds it:
    a region across two root regions, or MMIO out of root RAM, is refused at create."""
    roots = sorted((r for r in sysm.root.regions if not _is_comm(r) and r.size), key=lambda r: r.phys)
    starts = [r.phys for r in roots]
    out = []
    for c in sysm.cells:
        for r in c.regions:
            if _is_comm(r) or r.size == 0:
                continue
            holder = _root_region_holding(roots, starts, r)
            if holder is None:
                out.append(Diagnostic(ERROR, "mem-not-from-root",
                                      f"{_desc(c, r)} is not held whole by one region of the root cell "
                                      f"'{sysm.root.name}'", r.loc,
                                      "non-root cells take memory from the root cell: place it inside one root "
                                      f"region (root cell at {sysm.root.loc})",
                                      (Note(sysm.root.loc, "root cell regions are defined here"),)))
            elif (holder.flags ^ r.flags) & abi.MEM_IO:
                kinds = ("MMIO", "RAM") if r.flags & abi.MEM_IO else ("RAM", "MMIO")
                out.append(Diagnostic(ERROR, "mem-not-from-root",
                                      f"{_desc(c, r)} is {kinds[0]}, but the root region '{holder.name}' holding it "
                                      f"is {kinds[1]}", r.loc,
                                      "a device window must come from the root's devices, RAM from the root's RAM; "
                                      "fix the `io` flag or the address",
                                      (Note(holder.loc, f"root region '{holder.name}'"),)))
    return out


def _root_identity(sysm: System) -> list[Diagnostic]:
    return [Diagnostic(ERROR, "mem-root-identity",
                       f"{_desc(sysm.root, r)} has guest address {r.guest:#x}: the root keeps running on its "
                       "physical addresses", r.loc, "drop guest-address from root cell regions")
            for r in sysm.root.regions if not _is_comm(r) and r.guest != r.phys]


def _guest_range(sysm: System) -> list[Diagnostic]:
    """Guest addresses the stage-2 tables cannot hold, or where the cell sees the GIC."""
    p = sysm.platform
    gic = [(w, what) for w, what in ((p.gicd, "GIC distributor"), (p.gicr, "GIC redistributors"),
                                     (p.gicc, "GIC CPU interface (GICV mapped at the GICC address)")) if w.size]
    out = []
    for c in [sysm.root] + sysm.cells:
        for r in c.regions:
            end = r.guest + r.size
            if end > sysm.arch.ipa_limit:
                out.append(Diagnostic(ERROR, "mem-guest-range",
                                      f"region '{r.name}' of cell '{c.name}' at guest [{r.guest:#x}+{r.size:#x}] "
                                      f"ends at guest {end:#x}, beyond the {sysm.arch.ipa_bits}-bit "
                                      "guest-physical space", r.loc,
                                      f"guest addresses stay below {sysm.arch.ipa_limit:#x}"))
                continue
            if c.is_root:
                continue  # identity: a GIC overlap there is dev-forbidden
            for w, what in gic:
                if r.guest < w.end and w.start < end:
                    out.append(Diagnostic(ERROR, "mem-guest-range",
                                          f"{_desc(c, r)} occupies guest [{r.guest:#x}+{r.size:#x}], where the cell "
                                          f"sees the {what} [{w.start:#x}+{w.size:#x}]", r.loc,
                                          "the hypervisor emulates the GIC at its physical address in every cell; "
                                          "move the region's guest-address"))
                    break
    return out


def _root_uncovered(sysm: System) -> list[Diagnostic]:
    """Root Linux uses all board RAM (its /memory) that nothing reserves, but its stage-2 maps only
    the root cell's regions: RAM in neither a root RAM region nor a reservation faults in the root
    (an endless stream of traps until the hypervisor stops). The reservations are what Linux never
    uses: the hypervisor memory and the links' (the root DTB reserves them), and the board's own
    /reserved-memory no-map nodes. Non-root regions and the cell pool are carved out of root
    regions, so they need no term of their own. A mem= limit is not modelled: configgen's root DTB
    is the reservation it vouches for."""
    root = sysm.root
    cover = Cover([(r.phys, min(r.phys + r.size, _U64)) for r in root.regions
                   if not _is_comm(r) and not r.flags & abi.MEM_IO]
                  + [(sysm.hyp_mem.start, sysm.hyp_mem.end)]
                  + [(ln.phys, min(ln.end, _U64)) for ln in sysm.links]  # reserved, mapped by the hypervisor
                  + [(r.start, min(r.end, _U64)) for r in sysm.board_no_map])
    out = []
    for s, e in merge([(r.start, r.end) for r in sysm.ram]):
        for gs, ge in cover.gaps(s, e):
            out.append(Diagnostic(ERROR, "mem-root-uncovered",
                                  f"board RAM [{gs:#x}-{ge - 1:#x}] ({human(ge - gs)}) is in no region of the "
                                  f"root cell '{root.name}' and no reservation: root Linux would use it and "
                                  "fault", root.loc,
                                  f"extend a root cell RAM region over [{gs:#x}-{ge - 1:#x}], reserve it in the "
                                  "board (/reserved-memory, no-map), or take it out of the board's /memory"))
    return out


def _comm(sysm: System) -> list[Diagnostic]:
    out = []
    for r in sysm.root.regions:
        if _is_comm(r):
            out.append(Diagnostic(ERROR, "mem-comm-region",
                                  f"the root cell '{sysm.root.name}' cannot have a comm region", r.loc,
                                  "remove comm-region from the root cell"))
    for c in sysm.cells:
        comms = [r for r in c.regions if _is_comm(r)]
        for extra in comms[1:]:
            out.append(Diagnostic(ERROR, "mem-comm-region",
                                  f"cell '{c.name}' has a second comm region '{extra.name}' (first: "
                                  f"'{comms[0].name}' at {comms[0].loc})", extra.loc, "keep one comm region",
                                  (Note(comms[0].loc, "first comm region"),)))
        for r in comms[:1]:
            bad = r.flags & (abi.MEM_IO | abi.MEM_LOADABLE | abi.MEM_SHARED | abi.MEM_ROOTSHARED | abi.MEM_EXECUTE)
            if r.size != sysm.arch.page_size or bad:
                out.append(Diagnostic(ERROR, "mem-comm-region",
                                      f"comm region '{r.name}' of cell '{c.name}' must be one {human(sysm.arch.page_size)} page "
                                      f"(size {r.size:#x}) with access \"rw\" or \"r\" and no other flags", r.loc,
                                      f"inmates expect the comm page at guest 0x80000000, size {sysm.arch.page_size:#x}"))
        if not comms and not c.flags & abi.CELL_PASSIVE_COMMREG:
            out.append(Diagnostic(WARNING, "mem-comm-missing",
                                  f"cell '{c.name}' takes part in the message protocol but has no comm region",
                                  c.loc, "add a comm region, or mark the cell passive-comm-region"))
    return out


def _loadable(sysm: System) -> list[Diagnostic]:
    out = []
    for c in sysm.cells:
        pc = c.cpu_reset_address
        ok = any(r.flags & abi.MEM_LOADABLE and r.flags & abi.MEM_EXECUTE and r.guest <= pc < r.guest + r.size
                 for r in c.regions)
        if not ok:
            out.append(Diagnostic(ERROR, "mem-no-loadable",
                                  f"cell '{c.name}' starts at guest {pc:#x}, which no loadable, executable region "
                                  "covers: its image cannot be loaded", c.reset_loc or c.loc,
                                  "mark the RAM region holding the image `loadable;` with access \"rwx\""))
    return out


def _shared_unused(sysm: System) -> list[Diagnostic]:
    if len(sysm.cells) < 2:
        return []  # a cell compiled alone: its partner is simply not part of this run
    items = [(r.phys, r.phys + r.size, (c, r)) for c in sysm.cells for r in c.regions
             if r.flags & abi.MEM_SHARED and not r.device and not _is_comm(r)]
    partnered: set[int] = set()
    for (ca, ra), (cb, rb) in overlapping_pairs(items):
        if ca is not cb:
            partnered.add(id(ra))
            partnered.add(id(rb))
    return [Diagnostic(WARNING, "mem-shared-unused", f"{_desc(c, r)} is marked shared but no other cell shares it",
                       r.loc, "drop `shared;` or add the sharing cell to the check")
            for _, _, (c, r) in items if id(r) not in partnered]


def check(sysm: System, limits: Limits) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for c in [sysm.root] + sysm.cells:
        out += _alignment(sysm, c)
        out += _guest_overlaps(c)
    out += _phys_overlaps(sysm)
    out += _hypervisor(sysm)
    out += _board(sysm)
    out += _from_root(sysm)
    out += _root_identity(sysm)
    out += _guest_range(sysm)
    out += _root_uncovered(sysm)
    out += _comm(sysm)
    out += _loadable(sysm)
    out += _shared_unused(sysm)
    return out
