"""Cell sets: which cells run together (docs/configgen.md, "Cell sets").

A board directory (in the tree: dts/BOARD/, or a user's project) holds a file `sets` naming the
groups of cells that run at the same time; cells in different sets are alternatives and may share
CPUs or devices. One set a line:

    # comment
    demo: gic-demo smp-demo
    linux: gic-demo linux-demo \\
           more-cells            (a trailing backslash continues the line)

A cell is a .dtso file next to the sets file, named without a directory (the board rules build
and install only those), `.dtso` added when the name has no extension. A cell may be in several sets. Every .dtso next to the sets file must be in
one: make builds all of them, and a cell in no set would neither be checked with any other nor
reserved in the root DTB.

configgen checks each set as one partitioning (`check --sets`), and the system compile reserves
the memory and takes the devices of the cells of every set (`compile --sets`).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from configgen.diag import ERROR, Diagnostic, Invalid, Loc
from configgen.inputs import SOURCE_LIMIT, read_bounded

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
_HINT = "one set a line: NAME: CELL [CELL ...] (cells are .dtso files next to the sets file)"


@dataclass(frozen=True)
class CellSet:
    name: str
    cells: tuple[str, ...]  # .dtso paths as given to the frontend
    loc: Loc


def _e(rule: str, msg: str, loc: Loc, hint: str) -> Diagnostic:
    return Diagnostic(ERROR, rule, msg, loc, hint)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) with comments removed and backslash continuations joined."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        cont = line.endswith("\\")
        line = line[:-1] if cont else line
        pending = (pending[0], pending[1] + " " + line) if pending else (lineno, line)
        if not cont:
            out.append(pending)
            pending = None
    if pending:
        out.append(pending)
    return [(n, t.strip()) for n, t in out if t.strip()]


def cell_path(base: str, word: str) -> str:
    """The .dtso a set names: relative to the sets file's directory, `.dtso` added when the
    name has no extension."""
    name = word if os.path.splitext(word)[1] else word + ".dtso"
    return os.path.normpath(os.path.join(base, name))


def _parse_line(path: str, base: str, lineno: int, text: str, names: set[str]
                ) -> tuple[CellSet | None, list[Diagnostic]]:
    loc = Loc(path, lineno)
    name, colon, rest = text.partition(":")
    name = name.strip()
    if not colon or not _NAME.fullmatch(name):
        what = f"'{name}' is no set name" if colon else "no ':' after the set's name"
        return None, [_e("set-syntax", f"{what} (letters, digits, '_.+-')", loc, _HINT)]
    if name in names:
        return None, [_e("set-duplicate", f"set '{name}' is declared twice", loc,
                         "give each set its own name (a cell may be in several sets)")]
    names.add(name)
    diags: list[Diagnostic] = []
    cells: list[str] = []
    for word in rest.split():
        p = cell_path(base, word)
        if os.path.dirname(word):
            diags.append(_e("set-cell", f"cell '{word}' of set '{name}' is not next to the sets file: make "
                            "would check and reserve it but never build or install it", loc,
                            "move the .dtso beside the sets file and name it without a directory"))
        elif p in cells:
            diags.append(_e("set-duplicate", f"set '{name}' names cell '{word}' twice", loc,
                            "name each cell of a set once"))
        elif not os.path.isfile(p):
            diags.append(_e("set-cell", f"cell '{word}' of set '{name}': {p} does not exist", loc,
                            "name the cell's .dtso relative to the sets file's directory"))
        else:
            cells.append(p)
    if not rest.split():
        diags.append(_e("set-syntax", f"set '{name}' names no cell", loc, _HINT))
    return CellSet(name, tuple(cells), loc), diags


def _unlisted(path: str, base: str, sets: list[CellSet]) -> list[Diagnostic]:
    listed = {os.path.realpath(c) for s in sets for c in s.cells}
    try:
        here = sorted(f for f in os.listdir(base or ".") if f.endswith(".dtso"))
    except OSError:
        return []
    return [_e("set-unlisted", f"cell {f} is in no set: it would be built but never checked with "
               "other cells nor reserved in the root DTB", Loc(path),
               f"add it to the set it runs in, or give it a set of its own ('{f[:-5]}: {f[:-5]}')")
            for f in here if os.path.realpath(os.path.join(base, f)) not in listed]


def load(path: str) -> list[CellSet]:
    """The sets of the file at `path`; Invalid (exit 1) with every problem found, InputError
    (exit 2) when it cannot be read."""
    text = read_bounded(path, "sets file", SOURCE_LIMIT).decode("utf-8", "replace")
    base = os.path.dirname(path)
    sets: list[CellSet] = []
    diags: list[Diagnostic] = []
    names: set[str] = set()
    for lineno, line in _logical_lines(text):
        s, d = _parse_line(path, base, lineno, line, names)
        diags += d
        if s is not None:
            sets.append(s)
    if not sets and not diags:
        diags.append(_e("set-syntax", "no cell set declared", Loc(path), _HINT))
    diags += _unlisted(path, base, sets)
    if diags:
        raise Invalid(diags)
    return sets


# A warning about a cell that holds only for some of its sets: a region marked shared is
# shared when any set the cell runs in shares it.
_ANY_SET_RULES = ("mem-shared-unused",)


def _where(d: Diagnostic) -> str:
    return os.path.realpath(d.loc.file) if d.loc and d.loc.file else ""


def shared_unused_filtered(per_set: list[tuple[CellSet, list[Diagnostic]]],
                           cell: str | None = None) -> list[Diagnostic]:
    """The diagnostics of all sets, less the warnings of _ANY_SET_RULES that some other set of
    the same cell does not give. For the compile of one `cell` (only its sets loaded), less the
    warnings about the other cells: their own compile reports them, seeing all their sets."""
    out: list[Diagnostic] = []
    for s, diags in per_set:
        others = {os.path.realpath(c) for c in s.cells} - {os.path.realpath(cell or "")}
        for d in diags:
            if cell is not None and d.severity != ERROR and _where(d) in others:
                continue
            if d.rule in _ANY_SET_RULES and any(
                    _where(d) in {os.path.realpath(c) for c in other.cells} and d not in odiags
                    for other, odiags in per_set if other is not s):
                continue
            out.append(d)
    return out
