"""Source handling: cpp -> dtc -> DTB, plus a map from tree paths back to source file:line.

The map comes from dtc itself: `dtc -O dts -T` annotates every node and property of its output
with the file:line it came from, following cpp's linemarkers back into the original .dts/.dtso
and the files they include.  It is built lazily: only when a diagnostic needs a location.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from configgen.diag import ERROR, Diagnostic, InputError, Loc
from configgen.inputs import SOURCE_LIMIT, read_bounded, run_tool

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INCLUDE = REPO_ROOT / "dts" / "include"

_CPP_DIRECTIVE = re.compile(r"^\s*#\s*(include|define|undef|if|ifdef|ifndef|elif|else|endif|error|pragma|line|warning)\b", re.M)
_LINEMARKER = re.compile(r'^#\s+\d+\s+"', re.M)


@functools.lru_cache(maxsize=4096)
def display_path(p: str) -> str:
    """Paths as the user would type them: normalised, relative to the cwd when below it."""
    if p.startswith("<"):
        return p
    norm = os.path.normpath(p)
    if os.path.isabs(norm):
        try:
            rel = os.path.relpath(norm)
            if not rel.startswith(".."):
                return rel
        except ValueError:
            pass
    return norm


class SourceMap:
    """(path) -> Loc of a node, (path, property) -> Loc of a property."""

    def __init__(self) -> None:
        self.nodes: dict[str, Loc] = {}
        self.props: dict[tuple[str, str], Loc] = {}

    @staticmethod
    def _first_loc(comment: str) -> Optional[Loc]:
        m = re.match(r"\s*([^,]+?):(\d+)(?::\d+)?(?:-[\d:]+)?(?:,|$)", comment)
        if not m or m.group(1) == "<no-file>":
            return None
        return Loc(display_path(m.group(1)), int(m.group(2)))

    @classmethod
    def parse(cls, annotated: str) -> "SourceMap":
        sm = cls()
        stack: list[str] = []
        for raw in annotated.splitlines():
            line = raw.strip()
            idx = line.rfind(" /* ")
            if idx >= 0 and line.endswith("*/"):
                code, comment = line[:idx].rstrip(), line[idx + 4:-2].strip()
            else:
                code, comment = line, ""
            if code.endswith("{"):
                tokens = [t for t in code[:-1].split() if not t.endswith(":")]
                name = tokens[-1] if tokens else ""
                if name == "/":
                    path = "/"
                elif stack:
                    path = stack[-1].rstrip("/") + "/" + name
                else:
                    path = "/" + name
                stack.append(path)
                loc = cls._first_loc(comment)
                if loc:
                    sm.nodes.setdefault(path, loc)
            elif code.startswith("};"):
                if stack:
                    stack.pop()
            elif code.endswith(";") and stack and comment:
                pname = re.split(r"[\s=;]", code, 1)[0]
                loc = cls._first_loc(comment)
                if loc:
                    sm.props[(stack[-1], pname)] = loc
        return sm


@dataclass
class Compiled:
    """One source file compiled to a DTB."""

    path: str  # as displayed
    dtb: bytes
    dts_text: str  # what dtc was fed (preprocessed)
    _map: Optional[SourceMap] = field(default=None, repr=False)

    @property
    def srcmap(self) -> SourceMap:
        if self._map is None:
            try:
                res = run_tool(["dtc", "-q", "-f", "-@", "-I", "dts", "-O", "dts", "-T", "-T", "-o", "-", "-"],
                               self.dts_text.encode("utf-8", "surrogateescape"))
                self._map = SourceMap.parse(res.stdout.decode("utf-8", "replace"))
            except InputError:
                self._map = SourceMap()
        return self._map

    def _node_loc_now(self, path: str) -> Loc:
        return self.srcmap.nodes.get(path) or Loc(self.path)

    def _prop_loc_now(self, path: str, prop: str) -> Loc:
        return self.srcmap.props.get((path, prop)) or self._node_loc_now(path)

    def node_loc(self, path: str) -> Loc:
        return Loc(fn=lambda: self._node_loc_now(path))

    def prop_loc(self, path: str, prop: str) -> Loc:
        return Loc(fn=lambda: self._prop_loc_now(path, prop))


class SourceError(Exception):
    def __init__(self, diags: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diags))
        self.diags = diags


_DTC_LOC = r"(?P<file>.+?):(?P<line>\d+)\.(?P<col>\d+)(?:-[\d.]+)?"
_TOOL_LINE = [
    re.compile(r"^(?:Error|Warning|FATAL ERROR): %s:? (?P<msg>.*)$" % _DTC_LOC),  # dtc parser
    re.compile(r"^%s: (?:ERROR|Warning) \(\w+\): (?P<msg>.*)$" % _DTC_LOC),  # dtc checks
    re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?:\d+:)? (?:fatal )?error: (?P<msg>.*)$"),  # cpp
]
_OPEN_FAILED = re.compile(r'Couldn\'t open "([^"]*)"')
_TOOL_HINTS = {
    "memory exhausted": "dtc's parser ran out of stack: the source nests nodes too deeply (dtc reads "
                        "about 3,000 levels); flatten the tree",
    "Couldn't open": "the file named does not exist: fix the /include/ or /incbin/ path (it is relative "
                     "to the source's directory)",
}


def _hint(tool: str, message: str) -> str:
    for key, hint in _TOOL_HINTS.items():
        if key in message:
            return hint
    return f"fix the source so that {tool} accepts it"


def find_in_source(pp: str, needle: str, default_file: str) -> Loc:
    """Where `needle` first occurs in the original sources of the preprocessed text `pp` (through
    its linemarkers); line 1 of `default_file` when nowhere."""
    file, line = default_file, 0
    for raw in pp.splitlines():
        m = re.match(r'^#\s*(?:line\s+)?(\d+)\s+"((?:[^"\\]|\\.)*)"', raw)
        if m:
            file, line = display_path(re.sub(r"\\(.)", r"\1", m.group(2))), int(m.group(1)) - 1
            continue
        line += 1
        if needle in raw:
            return Loc(file, max(line, 1))
    return Loc(default_file, 1)


def _tool_diags(stderr: str, default_file: str, tool: str, pp: str = "") -> list[Diagnostic]:
    located, generic = [], []  # generic: the tool's follow-ups ("Unable to parse input tree")
    for line in stderr.splitlines():
        m = next((m for rx in _TOOL_LINE if (m := rx.match(line))), None)
        if m:
            msg = m.group("msg").strip()
            located.append(Diagnostic(ERROR, "dts-syntax", msg, Loc(display_path(m.group("file")),
                                                                    max(int(m.group("line")), 1)), _hint(tool, msg)))
        elif line.startswith(("ERROR", "FATAL ERROR", "Error")) and "Input tree has errors" not in line:
            msg = line.split(": ", 1)[-1].strip()
            opened = _OPEN_FAILED.search(line)
            loc = find_in_source(pp, f'"{opened.group(1)}"', default_file) if opened else Loc(default_file, 1)
            (located if opened else generic).append(Diagnostic(ERROR, "dts-syntax", f"{tool}: {msg}", loc,
                                                               _hint(tool, msg)))
    diags = located or generic
    if not diags:
        diags.append(Diagnostic(ERROR, "dts-syntax", f"{tool} failed: {stderr.strip()[:500] or 'no message'}",
                                Loc(default_file, 1), _hint(tool, stderr)))
    return diags


_UNRESOLVED = re.compile(r'^(?:%s: )?ERROR \(phandle_references\): (?P<node>\S+): Reference to non-existent '
                         r'node or label "(?P<label>[^"]+)"[ \t]*\n?' % _DTC_LOC, re.M)


def _unresolved_ref_diags(stderr: str, dts_text: str, path: str) -> list[Diagnostic]:
    """dtc reports bad references at the property (or by node path only): the rule follows from
    the property, cpu-unknown for `cpus`, else ref-unresolved."""
    out = []
    comp = Compiled(path, b"", dts_text)
    for m in _UNRESOLVED.finditer(stderr):
        node, label = m.group("node"), m.group("label")
        # dtc names the node: the property is the one whose source line holds the reference
        loc, prop = comp.node_loc(node), None
        if m.group("file"):
            loc = Loc(display_path(m.group("file")), max(int(m.group("line")), 1))
        for (p, pname), ploc in list(comp.srcmap.props.items()):
            if p == node and label in _prop_source_line(ploc):
                loc, prop = ploc, pname
                break
        cpu = prop == "cpus" or (prop is None and "/cpus/" in label)
        what = f"'{prop}' of {node}" if prop else node
        out.append(Diagnostic(ERROR, "cpu-unknown" if cpu else "ref-unresolved",
                              f"reference to undefined label or node '&{label}' in {what}", loc,
                              hint="reference a CPU node of the board's /cpus (see its labels)" if cpu else
                              "reference a node that exists on the board (see its labels)"))
    return out


def _prop_source_line(loc: Loc) -> str:
    try:
        with open(loc.file, encoding="utf-8", errors="replace") as fh:
            for i, text in enumerate(fh, 1):
                if i == loc.line:
                    return text
    except OSError:
        pass
    return ""


def read_source(path: str, disp: str) -> str:
    """The source as text, byte for byte: like dtc, any encoding (Latin-1 comments, UTF-8 strings)
    is accepted; bytes that are not UTF-8 travel through as surrogates and go back out unchanged."""
    raw = read_bounded(path, "source", SOURCE_LIMIT, disp)
    if b"\0" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\0")) + 1
        raise SourceError([Diagnostic(ERROR, "dts-syntax", "file contains NUL bytes (not device-tree source text)",
                                      Loc(disp, line), "a .dts is text: is this a DTB or a UTF-16 file?")])
    return raw.decode("utf-8", "surrogateescape")


def compile_file(path: str, include_dirs: list[str], overlay: bool) -> Compiled:
    disp = display_path(path)
    if os.path.isdir(path):
        raise InputError(f"cannot read {disp}: is a directory", "name the .dts/.dtso file")
    text = read_source(path, disp)
    if _CPP_DIRECTIVE.search(text) or _LINEMARKER.search(text):
        cmd = ["cpp", "-nostdinc", "-undef", "-x", "assembler-with-cpp", "-D__DTS__",
               "-I", os.path.dirname(path) or "."]
        for d in include_dirs + [str(DEFAULT_INCLUDE)]:
            cmd += ["-I", d]
        res = run_tool(cmd + [path])
        if res.returncode != 0:
            raise SourceError(_tool_diags(res.stderr.decode("utf-8", "replace"), disp, "cpp", text))
        pp = res.stdout.decode("utf-8", "surrogateescape")
    else:
        pp = f'# 1 "{path}"\n' + text  # no preprocessing needed: same result, no cpp start-up
    res = run_tool(["dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o", "-", "-"], pp.encode("utf-8", "surrogateescape"))
    if res.returncode != 0 or not res.stdout:
        err = res.stderr.decode("utf-8", "replace")
        diags = _unresolved_ref_diags(err, pp, disp)
        rest = re.sub(r"ERROR: Input tree has errors.*\n?", "", _UNRESOLVED.sub("", err))
        if rest.strip() or not diags:
            diags += _tool_diags(rest if rest.strip() else err, disp, "dtc", pp)
        raise SourceError(diags)
    return Compiled(disp, res.stdout, pp)
