"""Memory regions of imported cells: region nodes, empty slots, and the cell pool.

Jailhouse lends a cell's RAM from a root RAM region; configgen carves cells from root regions
marked `cell-pool` (the root DTB reserves them) and links from the same pool.  The importer
therefore splits the root's RAM at the RAM of the cells imported with it and the links' memory:
those parts become `cell-pool` regions.
"""
from __future__ import annotations

from typing import Optional

from configgen import jhformat as jh
from configgen.jhimport_links import Msgs
from configgen.jhimport_board import Board
from configgen.intervals import merge  # noqa: F401 - (start, end) ranges joined; the importers use it as mem.merge

PAGE = 0x1000
_NOT_RAM = jh.MEM_IO | jh.MEM_COMM_REGION


def u64(v: int) -> str:
    return f"/bits/ 64 <{v:#x}>"


def is_ram(m: jh.JhMemory) -> bool:
    return not m.empty and not m.flags & _NOT_RAM


def split(a: int, e: int, pool: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """[a, e) cut at the pool ranges: (start, end, in_pool) pieces."""
    out = []
    pos = a
    for pa, pe in pool:
        lo, hi = max(pa, a), min(pe, e)
        if lo >= hi:
            continue
        if pos < lo:
            out.append((pos, lo, False))
        out.append((lo, hi, True))
        pos = hi
    if pos < e:
        out.append((pos, e, False))
    return out


def drop_empty(cell: jh.JhCell, msgs: Msgs, where: str, taken: set[int]) -> None:
    empty = [i for i, m in enumerate(cell.memory) if m.empty and i not in taken]
    if empty:
        msgs.note(f"{where}: note: mem_regions{empty} are empty {{ 0 }} slots (upstream's "
                  "JAILHOUSE_SHMEM_NET_REGIONS placeholder for an absent R/W section): dropped")
        taken.update(empty)


def flag_comments(i: int, m: jh.JhMemory, msgs: Msgs, where: str, page: int) -> list[str]:
    comments = [f"Jailhouse mem_regions[{i}]"]
    dropped = [n for bit, n in jh.MEM_FLAG_NAMES.items() if m.flags & bit]
    known = (jh.MEM_READ | jh.MEM_WRITE | jh.MEM_EXECUTE | jh.MEM_IO | jh.MEM_COMM_REGION | jh.MEM_LOADABLE |
             jh.MEM_ROOTSHARED | sum(jh.MEM_FLAG_NAMES))
    if m.flags & ~known:
        dropped.append(f"{m.flags & ~known:#x}")
    if dropped == ["DMA"]:
        comments.append("Jailhouse flag DMA dropped: configgen's RAM is DMA-capable anyway")
        msgs.note(f"{where}: note: mem_regions[{i}] at {m.phys:#x}: flag DMA dropped (configgen's RAM is DMA-capable "
                  "anyway)")
    elif dropped:
        comments.append("flags without configgen equivalent dropped: " + "|".join(dropped))
        msgs.change(f"{where}: warning: mem_regions[{i}] at {m.phys:#x}: dropped Jailhouse flags " + "|".join(dropped)
                    + " (configgen maps DMA-able RAM, huge pages and I/O widths by itself)")
    if m.size % page or m.virt % page or (m.phys % page and not m.flags & jh.MEM_COMM_REGION):
        comments.append("sub-page region: Jailhouse emulates it access by access; configgen maps whole pages")
        msgs.decide.append(f"{where}: mem_regions[{i}] at {m.phys:#x} size {m.size:#x} is not page aligned: "
                           "widen it to whole pages (the cell then sees the rest of the page) or leave it out")
    return comments


def region(name: str, m: jh.JhMemory, comments: list[str], is_root: bool, pool: bool = False) -> list[str]:
    out = [f"/* {c} */" for c in comments] + [f"{name} {{"]
    if not m.flags & jh.MEM_COMM_REGION:
        out.append(f"\tphysical-address = {u64(m.phys)};")
    if m.virt != m.phys or m.flags & jh.MEM_COMM_REGION:
        out.append(f"\tguest-address = {u64(m.virt)};")
    out.append(f"\tsize = {u64(m.size)};")
    access = "".join(c for c, b in (("r", jh.MEM_READ), ("w", jh.MEM_WRITE), ("x", jh.MEM_EXECUTE)) if m.flags & b)
    out.append(f'\taccess = "{access}";')
    for bit, prop in ((jh.MEM_IO, "io"), (jh.MEM_COMM_REGION, "comm-region"), (jh.MEM_LOADABLE, "loadable"),
                      (jh.MEM_ROOTSHARED, "root-shared")):
        if m.flags & bit:
            out.append(f"\t{prop};")
    if m.flags & jh.MEM_ROOTSHARED and not m.flags & _NOT_RAM and not is_root:
        out.append("\tshared;\t/* root-shared RAM: Jailhouse's way to share memory between cells */")
    if pool:
        out.append("\tcell-pool;\t/* the imported cells and links are carved from here */")
    out.append("};")
    return out


def pool_ranges(cells: list[jh.JhCell], cell_taken: list[set[int]], link_ranges: list[tuple[int, int]],
                span: bool = True) -> list[tuple[int, int]]:
    rng = list(link_ranges)
    for c, taken in zip(cells, cell_taken):
        rng += [(m.phys & ~(PAGE - 1), m.phys + m.size) for i, m in enumerate(c.memory)
                if i not in taken and is_ram(m)]
    if not rng or not span:
        return merge(rng)
    # one span: upstream boots root Linux with mem= below the cells, so everything from the
    # lowest cell or link to the highest is Linux-free (splitting finer would fragment the root)
    return [(min(a for a, _ in rng), (max(e for _, e in rng) + PAGE - 1) & ~(PAGE - 1))]


def root_ram(root: jh.JhCell, taken: set[int], pool: list[tuple[int, int]], msgs: Msgs, where: str,
             page: int, board: Optional["Board"] = None, hyp: Optional[tuple[int, int]] = None) -> list[str]:
    """The root's RAM regions, cut at the pool; pool parts outside the root's RAM are added."""
    out: list[str] = []
    covered: list[tuple[int, int]] = []
    for i, m in enumerate(root.memory):
        if i in taken or not is_ram(m):
            continue
        comments = flag_comments(i, m, msgs, where, page)
        pieces = split(m.phys, m.phys + m.size, pool) if m.phys == m.virt else [(m.phys, m.phys + m.size, False)]
        covered.append((m.phys, m.phys + m.size))
        for n, (a, e, in_pool) in enumerate(pieces):
            part = jh.JhMemory(a, m.virt + (a - m.phys), e - a, m.flags)
            if in_pool:
                msgs.change(f"{where}: warning: mem_regions[{i}]: root RAM {a:#x}-{e - 1:#x} becomes cell pool (the "
                            "imported cells' and links' memory lies there): the root DTB reserves it, root Linux no "
                            "longer uses it (upstream kept Linux off it with mem=)")
            name = f"{'cell-pool' if in_pool else 'ram'}{i}" + (f"-{n}" if len(pieces) > 1 else "")
            note = comments + ([f"part {n + 1} of {len(pieces)}"] if len(pieces) > 1 else [])
            out += [""] + region(name, part, note, True, in_pool)
    covered = merge(covered)
    out += _pool_parts(pool, covered, msgs, "link-pool", "memory of the imported links and cells",
                       f"{where}: warning: {{}} (ivshmem or cell memory) is no root RAM region upstream: added to "
                       "the root as a cell-pool region (configgen carves links and cells from the root's pool)")
    if board is not None:
        # Board RAM that neither the root nor the hypervisor has: Jailhouse leaves it unused,
        # configgen wants every byte accounted for (root Linux would otherwise use it and fault).
        out += _pool_parts([(a, a + s) for a, s in board.ram], merge(covered + ([hyp] if hyp else [])), msgs,
                           "ram-gap", "board RAM no upstream region covered",
                           f"{where}: warning: board RAM {{}} is in no upstream root region: added to the root's "
                           "cell pool (reserved from root Linux, as upstream's mem= did; configgen requires all "
                           "board RAM to belong to the root, the hypervisor or a cell)")
    return out


def _pool_parts(ranges: list[tuple[int, int]], covered: list[tuple[int, int]], msgs: Msgs, prefix: str,
                comment: str, warning: str) -> list[str]:
    """The parts of ranges outside covered, as cell-pool regions of the root, each one a warning
    (warning's {} is the part); covered grows by them."""
    out: list[str] = []
    for a, e in ranges:
        for lo, hi, inside in split(a, e, covered):
            if inside:
                continue
            msgs.change(warning.format(f"{lo:#x}-{hi - 1:#x}"))
            part = jh.JhMemory(lo, lo, hi - lo, jh.MEM_READ | jh.MEM_WRITE | jh.MEM_EXECUTE)
            out += [""] + region(f"{prefix}-{lo:x}", part, [comment], True, True)
            covered.append((lo, hi))
    return out


def cell_region(i: int, m: jh.JhMemory, msgs: Msgs, where: str, page: int, kind: Optional[str] = None) -> list[str]:
    comments = flag_comments(i, m, msgs, where, page)
    kind = kind or ("comm" if m.flags & jh.MEM_COMM_REGION else "io" if m.flags & jh.MEM_IO else "ram")
    return region(f"{kind}{i}", m, comments, False)
