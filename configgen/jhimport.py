"""`configgen import`: Jailhouse configurations (revisions 12 to 14, arm, arm64 and x86) to configgen
sources that pass `configgen check`.

  configgen import SYSTEM.cell [--board B.dts] [-o OUT.dts]     a system
  configgen import CELL.cell [--board B.dts|SYSTEM.dts] [-o OUT.dtso]   one cell
  configgen import SYSTEM.cell CELL.cell... [--board B.dts] -o DIR      a system with its cells

Importing a system with its cells lets the importer name the peers of the links (Jailhouse
ivshmem devices) and carve the root's cell pool where the cells' RAM lies.  Every change is a
warning with its reason (an error with --strict); what the importer cannot decide is listed as
errors and nothing is written.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

from configgen import jhformat as jh
from configgen import jhimport_links as jl
from configgen import jhimport_mem as mem
from configgen.jhimport_board import Board, load_board
from configgen.jhimport_links import Msgs


@dataclass
class Result:
    outputs: list[tuple[Optional[str], str]] = field(default_factory=list)  # (path or None: stdout, text)
    msgs: Msgs = field(default_factory=Msgs)


def _parse(path: str, data: bytes) -> jh.JhSystem | jh.JhCell:
    try:
        return jh.parse(data)
    except jh.JhError as e:
        raise jh.JhError(f"{path}: error: {e}") from None
    except Exception as e:  # a blob no layout fits: one line, never a traceback
        raise jh.JhError(f"{path}: error: unreadable Jailhouse configuration ({type(e).__name__})") from None


def _stem(path: str) -> str:
    base = os.path.basename(path)
    return base[:-5] if base.endswith(".cell") else base


def _check_names(items: list[tuple[str, jh.JhSystem | jh.JhCell]]) -> None:
    """Several inputs go to DIR/NAME.dts(o): two of one file name would overwrite each other."""
    seen: dict[str, str] = {}
    for p, x in items:
        name = _stem(p) + (".dts" if isinstance(x, jh.JhSystem) else ".dtso")
        if name in seen:
            raise jh.JhError(f"{p}: error: {seen[name]} and {p} would both be written to {name} "
                             "(copy one under another name)")
        seen[name] = p


def _include(board_path: str, out_path: Optional[str]) -> str:
    if not out_path:
        return board_path
    return os.path.relpath(os.path.abspath(board_path), os.path.dirname(os.path.abspath(out_path)))


def _check_inputs(items: list[tuple[str, jh.JhSystem | jh.JhCell]], board: Optional[Board], msgs: Msgs) -> str:
    systems = [p for p, x in items if isinstance(x, jh.JhSystem)]
    if len(systems) > 1:
        raise jh.JhError(f"{systems[1]}: error: a second system configuration (import one system with its cells)")
    sysm = next((x for _, x in items if isinstance(x, jh.JhSystem)), None)
    arch = jh.ARCH_NAMES[sysm.arch] if sysm else None
    if sysm is not None and _armv7_guess(sysm.revision, arch, board):
        arch = "arm"  # a revision-12/13 GIC system on an ARMv7 board (the blob cannot say which ARM)
    if arch is None and board is not None:
        arch = board.arch
    for p, x in items:
        if isinstance(x, jh.JhCell) and x.arch is None:
            if arch is None:
                msgs.decide.append(f"{p}: a revision-{x.revision} cell does not record its architecture and has no "
                                   "irqchip or port region that tells: give --board (or import it with its system)")
            continue
        a = jh.ARCH_NAMES.get(x.arch, "?")
        if a == "arm64" and (_armv7_guess(x.revision, a, board) or arch == "arm" and x.revision < 14):
            a = "arm"
        if arch is None:
            arch = a
        elif a != arch:
            raise jh.JhError(f"{p}: error: an {a} configuration among {arch} ones")
    if board is not None and arch is not None and board.arch != arch:
        raise jh.JhError(f"{items[0][0]}: error: an {arch} configuration, but {board.path} is an {board.arch} "
                         "board (give the board the configuration was made for)")
    return arch or "arm64"


def _armv7_guess(revision: int, arch: Optional[str], board: Optional[Board]) -> bool:
    """Revisions 12 and 13 do not record the architecture: a GIC configuration is arm64's unless
    the board is an ARMv7 one."""
    return revision < 14 and arch == "arm64" and board is not None and board.arch == "arm"


def _clip_cpus(system: Optional[tuple[str, jh.JhSystem]], cells: list[tuple[str, jh.JhCell]], msgs: Msgs) -> None:
    """Without a board the blob's CPU bitmap is all there is: the root's beyond the kconfig limit
    are clipped (upstream lists 16 for a 4-CPU QEMU machine), a cell's are the user's decision."""
    from configgen.kconfig import load_limits
    limit = load_limits(None).max_cpus
    if system is not None:
        root = system[1].root
        extra = [c for c in root.cpus if c >= limit]
        if extra:
            msgs.change(f"{system[0]}: warning: root CPUs {extra[0]}-{extra[-1]} clipped: the rebuilt board has at most "
                        f"CONFIG_MAX_CPUS={limit} CPUs (give --board for the real ones)")
            root.cpus = [c for c in root.cpus if c < limit]
    for p, c in cells:
        extra = [x for x in c.cpus if x >= limit]
        if extra:
            msgs.decide.append(f"{p}: CPUs {extra} lie beyond CONFIG_MAX_CPUS={limit}: give the cell CPUs below it")


def _rebuilt_board(text: str) -> Optional[Board]:
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "rebuilt.dts")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            b = load_board(path)
        except jh.JhError:
            return None
    b.has_hypervisor = False
    return b


def _mem_pool(root: jh.JhCell, taken: set[int], linux_mem: int, msgs: Msgs, where: str) -> list[tuple[int, int]]:
    """--mem SIZE: the root's RAM beyond the first SIZE bytes (counted as Linux counts mem=, in
    address order over the RAM regions) is the pool."""
    ram = mem.merge([(m.phys, m.phys + m.size) for i, m in enumerate(root.memory) if i not in taken and mem.is_ram(m)])
    left, out = linux_mem, []
    for a, e in ram:
        if left >= e - a:
            left -= e - a
            continue
        start = (a + left + mem.PAGE - 1) & ~(mem.PAGE - 1)
        left = 0
        if start < e:
            out.append((start, e))
    if not out:
        msgs.change(f"{where}: warning: --mem {linux_mem:#x} leaves no root RAM for a cell pool")
    return out


def convert(paths: list[str], datas: list[bytes], board_path: Optional[str], output: Optional[str],
            linux_mem: Optional[int] = None) -> Result:
    res = Result()
    msgs = res.msgs
    items = [(p, _parse(p, d)) for p, d in zip(paths, datas)]
    board = load_board(board_path) if board_path else None
    arch = _check_inputs(items, board, msgs)
    if msgs.decide:
        return res
    many = len(items) > 1 or bool(output and os.path.isdir(output))  # -o DIR: DIR/NAME.dts(o)
    if many and not output:
        raise jh.JhError("importing several configurations needs -o DIR (one source per configuration)")
    if many:
        _check_names(items)
    system = next(((p, x) for p, x in items if isinstance(x, jh.JhSystem)), None)
    cells = [(p, x) for p, x in items if isinstance(x, jh.JhCell)]
    if arch == "x86":
        from configgen import jhimport_x86
        return jhimport_x86.convert(system, cells, board, board_path, output, many, res, linux_mem)
    if arch == "arm" and board is None:
        msgs.decide.append(f"{(system or cells[0])[0]}: an ARMv7 configuration needs the board: give --board "
                           "(e.g. dts/boards/qemu-arm-virt.dts; configgen rebuilds arm64 boards only)")
        return res
    links: list[jl.Link] = []
    sys_taken: set[int] = set()
    if system is not None:
        links, sys_taken = jl.from_system(system[1].root, msgs, system[0])
        mem.drop_empty(system[1].root, msgs, system[0], sys_taken)
        if arch == "arm" and links:
            for ln in links:
                msgs.change(f"{system[0]}: warning: ivshmem link '{ln.name}': dropped with its memory (ARMv7 has no "
                            "inter-cell links yet)")
            links = []
    cell_taken = []
    for p, c in cells:
        taken, alone = jl.attach_cell(c, links, msgs, p)
        if system is None and board is not None:
            alone = jl.against_system(c, board.links, msgs, p)
        for a in alone:
            why = ("ARMv7 has no inter-cell links yet" if arch == "arm" else
                   "import the system and this cell together to make it an end of the system's link; a cell's "
                   "link ends come from the system's links")
            msgs.change(f"{p}: warning: {a}: dropped with its memory ({why})")
        mem.drop_empty(c, msgs, p, taken)
        cell_taken.append(taken)
    from configgen import jhimport_system as js
    if board is None:
        _clip_cpus(system, cells, msgs)
    if system is not None:
        extra = [(ln.phys, ln.end) for ln in links]
        if linux_mem is not None:
            extra += _mem_pool(system[1].root, sys_taken, linux_mem, msgs, system[0])
        pool = mem.pool_ranges([c for _, c in cells], cell_taken, extra)
        if not cells and linux_mem is None:
            msgs.note(f"{system[0]}: note: no cells imported with the system: the root's cell pool holds only the "
                      "links' memory (import SYSTEM.cell CELL.cell... -o DIR to carve the cells' RAM too, or give --mem SIZE "
                      "as upstream's mem= kernel parameter)")
        out = os.path.join(output, _stem(system[0]) + ".dts") if many else output
        include = _include(board_path, out) if board_path else ""
        lines = js.system_lines(system[1], system[0], board, include, msgs, links, sys_taken, pool, arch)
        res.outputs.append((out, "\n".join(lines) + "\n"))
        if board is None and cells:
            board = _rebuilt_board(res.outputs[-1][1])  # the cells' devices and CPUs are its nodes
    for (p, c), taken in zip(cells, cell_taken):
        out = os.path.join(output, _stem(p) + ".dtso") if many else output
        n_links = len(c.ivshmem)
        res.outputs.append((out, "\n".join(js.cell_lines(c, p, board, msgs, taken, n_links, arch)) + "\n"))
    return res
