"""Diagnostics: gcc-style messages with rule ids, source locations and hints."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, TextIO

ERROR = "error"
WARNING = "warning"


class Loc:
    """A source location, optionally resolved lazily (source maps are only built when a
    diagnostic is actually printed)."""

    __slots__ = ("_file", "_line", "_fn")

    def __init__(self, file: str = "", line: int = 0, fn: Optional[Callable[[], "Loc"]] = None):
        self._file, self._line, self._fn = file, line, fn

    def _resolve(self) -> None:
        if self._fn is not None:
            fn, self._fn = self._fn, None
            real = fn()
            self._file, self._line = real.file, real.line

    @property
    def file(self) -> str:
        self._resolve()
        return self._file

    @property
    def line(self) -> int:
        self._resolve()
        return self._line

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __repr__(self) -> str:
        return f"Loc({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Loc) and (self.file, self.line) == (other.file, other.line)

    def __hash__(self) -> int:
        return hash((self.file, self.line))


@dataclass(frozen=True)
class Note:
    loc: Optional[Loc]
    text: str


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    rule: str
    message: str
    loc: Optional[Loc] = None
    hint: str = ""
    notes: tuple[Note, ...] = ()

    def format(self) -> str:
        where = f"{self.loc}: " if self.loc else "configgen: "
        lines = [f"{where}{self.severity}: [{self.rule}] {self.message}"]
        for n in self.notes:
            lines.append(f"{n.loc or 'configgen'}: note: {n.text}")
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)


class InputError(Exception):
    """Usage or I/O problem: exit status 2 (`configgen: error: MESSAGE`, then the hint if any)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint

    def print(self, out: TextIO) -> None:
        print(f"configgen: error: {self}", file=out)
        if self.hint:
            print(f"    hint: {self.hint}", file=out)


class Invalid(Exception):
    """Invalid input found outside the sources (Kconfig values, binding files): its diagnostics
    are printed like any other, exit status 1."""

    def __init__(self, diags: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diags))
        self.diags = diags


@dataclass
class Report:
    diags: list[Diagnostic] = field(default_factory=list)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.diags.extend(items)

    def add(self, d: Diagnostic) -> None:
        self.diags.append(d)

    def errors(self, werror: bool = False) -> int:
        return sum(1 for d in self.diags if d.severity == ERROR or (werror and d.severity == WARNING))

    def warnings(self) -> int:
        return sum(1 for d in self.diags if d.severity == WARNING)

    def print(self, out: TextIO, werror: bool = False) -> None:
        seen: set[Diagnostic] = set()
        for d in self.diags:
            if d in seen:
                continue
            seen.add(d)
            if werror and d.severity == WARNING:
                d = Diagnostic(ERROR, d.rule, d.message, d.loc, d.hint, d.notes)
            print(d.format(), file=out)
