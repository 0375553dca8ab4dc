"""The partitioning as a picture: physical memory map with one lane per cell, CPUs, interrupts.

build() turns the model into plain data (lanes of segments on a compressed address axis);
text() and svg() only render that data.
"""
from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field
from html import escape
from typing import Iterator, Optional

from configgen import abi
from configgen.diag import ERROR, Diagnostic
from configgen.model import Cell, System
from configgen.intervals import Cover, overlapping_pairs

KINDS = ("hypervisor", "ram", "io", "shared", "conflict")
COLORS = {"hypervisor": "#8e7cc3", "ram": "#9fc5e8", "io": "#b6d7a8", "shared": "#ffd966", "conflict": "#e06666"}
LEGEND = {"hypervisor": "hypervisor", "ram": "RAM", "io": "device I/O", "shared": "shared",
          "conflict": "conflict"}


@dataclass
class Segment:
    start: int
    end: int  # exclusive
    label: str
    kind: str
    guest: Optional[int] = None  # guest address when different from start
    note: str = ""


@dataclass
class Lane:
    name: str
    segments: list[Segment] = field(default_factory=list)
    cpus: str = "-"
    spis: str = "-"
    extra: list[str] = field(default_factory=list)  # comm page etc.
    conflict_cpus: bool = False
    conflict_spis: bool = False


@dataclass
class Map:
    title: str
    lanes: list[Lane]
    rows: list[tuple[int, int, bool]]  # (start, end, used); unused rows are gaps
    problems: list[str] = field(default_factory=list)
    irq_title: str = "SPIs (INTID - 32)"  # how the lanes' interrupts are counted (x86: GSIs)


def human(n: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.1f} {unit}"
    return f"{n} B"


def ranges_text(nums: list[int]) -> str:
    nums = sorted(set(nums))
    if not nums:
        return "-"
    out, start, prev = [], nums[0], nums[0]
    for n in nums[1:] + [-2]:
        if n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ",".join(out)


def _short_device(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _cell_segments(c: Cell) -> tuple[list[Segment], list[str]]:
    segs, extra = [], []
    for r in c.regions:
        if r.flags & abi.MEM_COMM_REGION:
            extra.append(f"comm page at guest {r.guest:#x}")
            continue
        if not r.size:
            continue
        if r.flags & abi.MEM_SHARED:
            kind = "shared"
        elif r.flags & abi.MEM_IO:
            kind = "io"
        else:
            kind = "ram"
        label = _short_device(r.device) if r.device and r.device != "<all-devices>" else r.name
        if r.device == "<all-devices>":
            label = "board devices"
        segs.append(Segment(r.phys, r.phys + r.size, label, kind, r.guest if r.guest != r.phys else None))
    if c.pci and not c.is_root:
        funcs = sorted({(u.domain, u.bdf) for u in c.pci})
        extra.append("PCI " + ", ".join(f"{d:04x}:{b >> 8:02x}:{b >> 3 & 31:02x}.{b & 7}" for d, b in funcs))
    return segs, extra


def _link_segments(sysm: System, c: Cell) -> list[Segment]:
    """The cell's ends' link memory (mapped by the hypervisor, shared by the link's peers)."""
    out = []
    for e in c.ends:
        if 0 <= e.link < len(sysm.links) and sysm.links[e.link].size:
            ln = sysm.links[e.link]
            out.append(Segment(ln.phys, ln.end, f"link {ln.name}", "shared", e.guest if e.guest != ln.phys else None))
    return out


def _link_extra(sysm: System, c: Cell) -> list[str]:
    out = []
    for e in c.ends:
        name = sysm.links[e.link].name if 0 <= e.link < len(sysm.links) else f"#{e.link}"
        out.append(f"link {name}: peer {e.peer_id}, PCI 00:{e.bdf >> 3 & 31:02x}.{e.bdf & 7}, INTID {e.irq}"
                   + (f", BAR0 {e.bar0:#x}" if e.bar0 else ""))
    return out


def _overlap(a: Segment, b: Segment) -> Optional[tuple[int, int]]:
    s, e = max(a.start, b.start), min(a.end, b.end)
    return (s, e) if s < e else None


def _cross_lane_overlaps(lanes: list[Lane]) -> Iterator[tuple[tuple[Lane, Segment], tuple[Lane, Segment]]]:
    """Overlapping segment pairs of different lanes, by sweep: O(n log n + pairs), not all pairs;
    in lane order, then segment order."""
    items = [(s.start, s.end, (li, si)) for li, lane in enumerate(lanes) for si, s in enumerate(lane.segments)]
    pairs = [sorted(pair) for pair in overlapping_pairs(items) if pair[0][0] != pair[1][0]]
    for (la, sa), (lb, sb) in sorted(pairs, key=lambda p: (p[0][0], p[1][0], p[0][1], p[1][1])):
        yield (lanes[la], lanes[la].segments[sa]), (lanes[lb], lanes[lb].segments[sb])


def _row_span(bounds: list[int], s: Segment) -> range:
    """The rows of the compressed axis a segment covers: rows are the gaps between sorted
    boundaries and every segment edge is a boundary, so they are one contiguous run."""
    return range(bisect.bisect_left(bounds, s.start), bisect.bisect_left(bounds, s.end))


def _used_rows(bounds: list[int], lanes: list[Lane]) -> list[bool]:
    depth = [0] * len(bounds)
    for lane in lanes:
        for s in lane.segments:
            span = _row_span(bounds, s)
            if span:
                depth[span.start] += 1
                depth[span.stop] -= 1
    used, level = [], 0
    for d in depth[:-1]:
        level += d
        used.append(level > 0)
    return used


def build(sysm: System, diags: list[Diagnostic]) -> Map:
    hyp = Lane("hypervisor", [Segment(sysm.hyp_mem.start, sysm.hyp_mem.end, "hypervisor", "hypervisor")])
    hyp.extra = [f"GIC lines {sysm.platform.gic_lines}", f"maintenance INTID {sysm.platform.maintenance_irq}"]
    lanes = [hyp]
    cells = [sysm.root] + sysm.cells
    cpu_owner: dict[int, list[str]] = {}
    spi_owner: dict[int, list[str]] = {}
    for c in sysm.cells:
        for i in c.cpus:
            cpu_owner.setdefault(i, []).append(c.name)
        for i in c.intids:
            spi_owner.setdefault(i, []).append(c.name)
    problems: list[str] = []
    hyp.extra += [f"link {ln.name} [{ln.phys:#x}-{ln.end - 1:#x}]: {', '.join(ln.peers)}" for ln in sysm.links]
    for c in cells:
        segs, extra = _cell_segments(c)
        segs, extra = segs + _link_segments(sysm, c), extra + _link_extra(sysm, c)
        lane = Lane(c.name + (" (root)" if c.is_root else ""), segs, extra=extra)
        cpus, spis = sorted(set(c.cpus)), [i - sysm.arch.first_spi for i in c.intids if i >= sysm.arch.first_spi]
        lent_cpus: list[int] = []
        lent_spis: list[int] = []
        if c.is_root:  # what root keeps once the cells are created, and what it lends
            lent_cpus = [i for i in cpus if i in cpu_owner]
            lent_spis = [i for i in spis if i + sysm.arch.first_spi in spi_owner]
            cpus = [i for i in cpus if i not in cpu_owner]
            spis = [i for i in spis if i + sysm.arch.first_spi not in spi_owner]
        mp = [f"{i}" + (f" ({sysm.cpus[i].hw_id:#x})" if i < len(sysm.cpus) and sysm.cpus[i].hw_id != i else "")
              for i in cpus]
        lane.cpus = ", ".join(mp) or "-"
        lane.spis = ranges_text(spis)
        if lent_cpus:
            lane.cpus += f" (lends {ranges_text(lent_cpus)})"
        if lent_spis:
            lane.spis += f" (lends {ranges_text(lent_spis)})"
        if not c.is_root:
            bad_cpu = [i for i in c.cpus if len(cpu_owner.get(i, [])) > 1]
            bad_spi = [i for i in c.intids if len(spi_owner.get(i, [])) > 1]
            lane.conflict_cpus, lane.conflict_spis = bool(bad_cpu), bool(bad_spi)
            for i in bad_cpu:
                problems.append(f"CPU {i} in {', '.join(sorted(set(cpu_owner[i])))}")
            for i in bad_spi:
                problems.append(f"SPI {i - sysm.arch.first_spi} in {', '.join(sorted(set(spi_owner[i])))}")
        lanes.append(lane)
    # conflicts: anything over the hypervisor; non-root cells overlapping unless both shared
    hseg = hyp.segments[0]
    conflicts: list[tuple[Lane, Segment]] = []
    for lane in lanes[1:]:
        for s in lane.segments:
            ov = _overlap(s, hseg)
            if ov:
                conflicts.append((lane, Segment(ov[0], ov[1], f"{s.label} over hypervisor", "conflict")))
    for (a, sa), (b, sb) in _cross_lane_overlaps(lanes[2:]):
        ov = _overlap(sa, sb)
        if ov and not (sa.kind == "shared" and sb.kind == "shared"):
            conflicts.append((a, Segment(ov[0], ov[1], f"{sa.label} / {b.name}", "conflict")))
            conflicts.append((b, Segment(ov[0], ov[1], f"{sb.label} / {a.name}", "conflict")))
    for lane, seg in conflicts:
        problems.append(f"{lane.name}: {seg.label} {seg.start:#x}-{seg.end - 1:#x}")
        lane.segments.append(seg)
    named: set[str] = set()  # one line per rule: the lanes show the overlaps themselves
    for d in diags:
        if d.severity == ERROR and d.rule in ("mem-overlap", "mem-hypervisor-overlap", "dev-conflict") and \
                d.rule not in named:
            named.add(d.rule)
            problems.append(f"[{d.rule}] {d.message}")
    # shared regions: name the sharers
    shared_at: dict[tuple[int, int], list[str]] = {}
    for lane in lanes[1:]:
        for s in lane.segments:
            if s.kind == "shared":
                shared_at.setdefault((s.start, s.end), []).append(lane.name.split(" ")[0])
    for lane in lanes[1:]:
        for s in lane.segments:
            if s.kind == "shared" and len(shared_at[(s.start, s.end)]) > 1:
                s.note = "shared with " + ", ".join(n for n in shared_at[(s.start, s.end)]
                                                    if n != lane.name.split(" ")[0])
    # the compressed axis: every boundary, gaps where nothing lies
    bounds = sorted({b for lane in lanes for s in lane.segments for b in (s.start, s.end)})
    rows = [(lo, hi, used) for lo, hi, used in zip(bounds, bounds[1:], _used_rows(bounds, lanes))]
    return Map(sysm.path, lanes, rows, list(dict.fromkeys(problems)),
               "GSIs" if getattr(sysm.arch, "port_io", False) else "SPIs (INTID - 32)")


def _row_bounds(m: Map) -> list[int]:
    return [lo for lo, _, _ in m.rows] + [m.rows[-1][1]] if m.rows else []


def _lane_cover(m: Map, lane: Lane, bounds: list[int]) -> list[Optional[Segment]]:
    """For every row, the segment of the lane to show there: the first conflict covering the row,
    else the first segment (in the lane's order). One sweep with two heaps keyed by that order."""
    starting: dict[int, list[int]] = {}
    for pos, s in enumerate(lane.segments):
        span = _row_span(bounds, s)
        if span:
            starting.setdefault(span.start, []).append(pos)
    heaps: tuple[list[int], list[int]] = ([], [])  # conflicts, the rest
    out: list[Optional[Segment]] = []
    for i, (lo, _, _) in enumerate(m.rows):
        for pos in starting.get(i, []):
            heapq.heappush(heaps[0 if lane.segments[pos].kind == "conflict" else 1], pos)
        shown = None
        for heap in heaps:
            while heap and lane.segments[heap[0]].end <= lo:
                heapq.heappop(heap)  # ended before this row
            if heap:
                shown = lane.segments[heap[0]]
                break
        out.append(shown)
    return out


def text(m: Map) -> str:
    w = 20
    names = [l.name for l in m.lanes]
    out = [f"physical memory map of {m.title} (one column per cell; * shared, ! conflict)", ""]
    head = f"{'start':>12} {'end':>12} {'size':>9}  " + " ".join(f"{n[:w]:<{w}}" for n in names)
    out += [head, "-" * len(head)]
    bounds = _row_bounds(m)
    covers = [_lane_cover(m, lane, bounds) for lane in m.lanes]
    for i, (lo, hi, used) in enumerate(m.rows):
        if not used:
            out.append(f"{'':>12} {'':>12} {'':>9}  " + " ".join(f"{'  :':<{w}}" for _ in names))
            continue
        cells = []
        for cover in covers:
            s = cover[i]
            if s is None:
                cells.append("")
                continue
            mark = "!" if s.kind == "conflict" else "*" if s.kind == "shared" else ""
            label = mark + s.label
            if s.guest is not None and s.start == lo:
                label += f" @{s.guest + (lo - s.start):#x}"
            cells.append(label)
        out.append(f"{lo:>#12x} {hi - 1:>#12x} {human(hi - lo):>9}  " + " ".join(f"{c[:w]:<{w}}" for c in cells))
    out += ["", f"{'cell':<24} {'CPUs':<24} {m.irq_title}", "-" * 72]
    for lane in m.lanes[1:]:
        cpus = ("!" if lane.conflict_cpus else "") + lane.cpus
        spis = ("!" if lane.conflict_spis else "") + lane.spis
        out.append(f"{lane.name:<24} {cpus:<24} {spis}")
        for e in lane.extra:
            out.append(f"{'':<24} {e}")
    if m.problems:
        out += ["", "conflicts:"] + [f"  ! {p}" for p in m.problems]
    return "\n".join(l.rstrip() for l in out) + "\n"


# ----------------------------------------------------------------------------------- SVG

FONT = 12
CHAR_W = 7.3  # monospace advance at 12px, generous
LANE_W = 190
AXIS_W = 200
ROW_MIN = 36
GAP_H = 22
PAD = 16


def _wrap(s: str, width_px: float) -> list[str]:
    n = max(int(width_px // CHAR_W), 4)
    words, lines, cur = s.split(" "), [], ""
    for w in words:
        while len(w) > n:
            if cur:
                lines.append(cur)
                cur = ""
            lines.append(w[:n])
            w = w[n:]
        if len(cur) + len(w) + (1 if cur else 0) <= n:
            cur = f"{cur} {w}" if cur else w
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def _seg_lines(s: Segment, height: float) -> list[str]:
    lines = [s.label, human(s.end - s.start)]
    if s.guest is not None:
        lines.append(f"guest {s.guest:#x}")
    if s.note:
        lines.append(s.note)
    wrapped = [w for ln in lines for w in _wrap(ln, LANE_W - 12)]
    fit = max(int((height - 6) // (FONT + 3)), 1)
    if len(wrapped) > fit:
        wrapped = wrapped[:fit]
        if fit == 1:
            wrapped = [_wrap(s.label, LANE_W - 12)[0]]
    return wrapped


def _t(x: float, y: float, s: str, anchor: str = "start", weight: str = "normal", fill: str = "#000") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}">{escape(s)}</text>')


def svg(m: Map) -> str:
    nl = len(m.lanes)
    width = AXIS_W + nl * (LANE_W + 10) + PAD
    header_lines = []
    for lane in m.lanes:
        ls = [lane.name]
        if lane.name != "hypervisor":
            ls += _wrap(f"CPUs: {lane.cpus}", LANE_W - 10) + _wrap(f"SPIs: {lane.spis}", LANE_W - 10)
        for e in lane.extra:
            ls += _wrap(e, LANE_W - 10)
        header_lines.append(ls)
    head_h = max(len(h) for h in header_lines) * (FONT + 4) + 12
    title_h = 54
    top = title_h + head_h + 10
    # row heights: grow rows until every segment's label fits in its box
    heights = [ROW_MIN if used else GAP_H for _, _, used in m.rows]
    bounds = _row_bounds(m)
    for lane in m.lanes:
        for s in lane.segments:
            idx = _row_span(bounds, s)
            if not idx:
                continue
            need = len(_seg_lines(s, 10_000)) * (FONT + 3) + 8
            have = sum(heights[i] for i in idx)
            if have < need:
                used_idx = [i for i in idx if m.rows[i][2]] or idx
                extra = (need - have) / len(used_idx)
                for i in used_idx:
                    heights[i] += extra
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    legend_y = ys[-1] + 24
    problem_lines = [w for p in m.problems for w in _wrap(p, width - 2 * PAD - 12)]
    problems_h = (len(problem_lines) + 1) * (FONT + 4) if m.problems else 0
    height = legend_y + 30 + problems_h + PAD
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
         f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="DejaVu Sans Mono, monospace" font-size="{FONT}">',
         '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
         'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffd966"/>'
         '<line x1="0" y1="0" x2="0" y2="8" stroke="#bf9000" stroke-width="3"/></pattern></defs>',
         f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
         _t(PAD, 24, f"Physical memory map: {m.title}", weight="bold").replace(f'font-size="{FONT}"', ""),
         _t(PAD, 42, "one lane per cell; addresses are physical; gaps (not to scale) are compressed", fill="#555")]
    # lane headers
    for j, (lane, ls) in enumerate(zip(m.lanes, header_lines)):
        x = AXIS_W + j * (LANE_W + 10)
        o.append(f'<rect x="{x}" y="{title_h}" width="{LANE_W}" height="{head_h}" fill="#f3f3f3" stroke="#999"/>')
        for k, line in enumerate(ls):
            red = (line.startswith("CPUs") and lane.conflict_cpus) or (line.startswith("SPIs") and lane.conflict_spis)
            o.append(_t(x + 6, title_h + 16 + k * (FONT + 4), line, weight="bold" if k == 0 else "normal",
                        fill="#cc0000" if red else "#000"))
    # axis and grid
    for i, (lo, hi, used) in enumerate(m.rows):
        y0, y1 = ys[i], ys[i + 1]
        if used:
            o.append(f'<line x1="{AXIS_W - 8}" y1="{y0:.1f}" x2="{width - PAD}" y2="{y0:.1f}" stroke="#e0e0e0"/>')
            o.append(_t(AXIS_W - 12, y0 + FONT, f"{lo:#014x}", anchor="end"))
            if i + 1 == len(m.rows) or not m.rows[i + 1][2]:
                o.append(_t(AXIS_W - 12, y1 - 3, f"{hi - 1:#014x}", anchor="end", fill="#777"))
        else:
            o.append(_t(AXIS_W - 60, (y0 + y1) / 2 + 4, "⋮ gap", anchor="middle", fill="#999"))
    # segments (conflicts last, on top)
    for j, lane in enumerate(m.lanes):
        x = AXIS_W + j * (LANE_W + 10)
        o.append(f'<rect x="{x}" y="{top}" width="{LANE_W}" height="{ys[-1] - top:.1f}" fill="none" '
                 f'stroke="#ccc" stroke-dasharray="3,3"/>')
        conflicts = Cover([(c.start, c.end) for c in lane.segments if c.kind == "conflict"])
        for s in sorted(lane.segments, key=lambda s: s.kind == "conflict"):
            idx = _row_span(bounds, s)
            if not idx:
                continue
            y0, y1 = ys[idx[0]], ys[idx[-1] + 1]
            fill = "url(#hatch)" if s.kind == "shared" else COLORS[s.kind]
            stroke = "#990000" if s.kind == "conflict" else "#555"
            inset = 10 if s.kind == "conflict" else 0
            o.append(f'<rect x="{x + inset}" y="{y0:.1f}" width="{LANE_W - 2 * inset}" height="{y1 - y0:.1f}" '
                     f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if s.kind == "conflict" else 1}"/>')
            if s.kind != "conflict" and conflicts.intersects(s.start, s.end):
                continue  # the red box on top names it
            lines = _seg_lines(s, y1 - y0) if not inset else _wrap(s.label, LANE_W - 2 * inset - 12)[:1] + [human(s.end - s.start)]
            block = len(lines) * (FONT + 3)
            ty = (y0 + y1) / 2 - block / 2 + FONT
            for k, line in enumerate(lines):
                if s.kind == "shared":
                    o.append(f'<rect x="{x + 4}" y="{ty + k * (FONT + 3) - FONT + 1:.1f}" '
                             f'width="{len(line) * CHAR_W + 4:.1f}" height="{FONT + 2}" fill="#fff2cc"/>')
                o.append(_t(x + inset + 6, ty + k * (FONT + 3), line, weight="bold" if k == 0 else "normal",
                            fill="#ffffff" if s.kind == "conflict" else "#000"))
    # legend and problems
    lx = PAD
    for kind in KINDS:
        fill = "url(#hatch)" if kind == "shared" else COLORS[kind]
        o.append(f'<rect x="{lx}" y="{legend_y - 11}" width="14" height="14" fill="{fill}" stroke="#555"/>')
        o.append(_t(lx + 20, legend_y, LEGEND[kind]))
        lx += 20 + len(LEGEND[kind]) * CHAR_W + 24
    if m.problems:
        o.append(_t(PAD, legend_y + 26, "conflicts:", weight="bold", fill="#cc0000"))
        for k, p in enumerate(problem_lines):
            o.append(_t(PAD + 12, legend_y + 26 + (k + 1) * (FONT + 4), p, fill="#cc0000"))
    o.append("</svg>")
    return "\n".join(o) + "\n"
