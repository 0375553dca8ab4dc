"""Diagnostics: gcc-style messages with rule ids, source locations and hints."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, TextIO

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Loc:
    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


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
    """Usage or I/O problem: exit status 2."""


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
