"""Source handling: cpp -> dtc -> DTB, plus a map from tree paths back to source file:line.

The map comes from dtc itself: `dtc -O dts -T` annotates every node and property of its output
with the file:line it came from, following cpp's linemarkers back into the original .dts/.dtso
and the files they include.  It is built lazily: only when a diagnostic needs a location.
"""
from __future__ import annotations

import functools
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from configgen.diag import ERROR, Diagnostic, InputError, Loc

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
                res = subprocess.run(["dtc", "-q", "-f", "-@", "-I", "dts", "-O", "dts", "-T", "-T", "-o", "-", "-"],
                                     input=self.dts_text.encode(), capture_output=True, timeout=60)
                self._map = SourceMap.parse(res.stdout.decode("utf-8", "replace"))
            except (OSError, subprocess.SubprocessError):
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


def _tool_diags(stderr: str, default_file: str, tool: str) -> list[Diagnostic]:
    diags = []
    for line in stderr.splitlines():
        m = (re.match(r"^(?:Error|Warning|FATAL ERROR): (.+?):(\d+)\.\d+(?:-[\d.]+)? (.*)$", line)
             or re.match(r"^(.+?):(\d+):(?:\d+:)? (?:fatal )?error: (.*)$", line))
        if m:
            diags.append(Diagnostic(ERROR, "dts-syntax", m.group(3).strip(),
                                    Loc(display_path(m.group(1)), int(m.group(2))),
                                    hint=f"fix the source so that {tool} accepts it"))
        elif line.startswith(("ERROR", "FATAL ERROR", "Error")):
            diags.append(Diagnostic(ERROR, "dts-syntax", f"{tool}: {line}", Loc(default_file)))
    located = [d for d in diags if d.loc and d.loc.line]
    if located:
        diags = located  # drop the generic "Unable to parse input tree" follow-up
    if not diags:
        diags.append(Diagnostic(ERROR, "dts-syntax", f"{tool} failed: {stderr.strip()[:500] or 'no message'}",
                                Loc(default_file)))
    return diags


def _unresolved_ref_diags(stderr: str, dts_text: str, path: str) -> list[Diagnostic]:
    """dtc reports bad references by node path only; locate them through the annotated output."""
    out = []
    comp = Compiled(path, b"", dts_text)
    for m in re.finditer(r'ERROR \(phandle_references\): (\S+): Reference to non-existent node or label "([^"]+)"',
                         stderr):
        node, label = m.group(1), m.group(2)
        loc = comp.node_loc(node)
        for (p, prop), ploc in list(comp.srcmap.props.items()):
            if p == node and label in _prop_source_line(ploc):
                loc = ploc
                break
        rule = "cpu-unknown" if label.startswith("cpu") or "/cpus" in label else "ref-unresolved"
        out.append(Diagnostic(ERROR, rule, f"reference to undefined label or node '&{label}' in {node}", loc,
                              hint="reference a node that exists on the board (see its labels)"))
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


def compile_file(path: str, include_dirs: list[str], overlay: bool) -> Compiled:
    disp = display_path(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read {disp}: {getattr(e, 'strerror', None) or e}") from None
    if "\0" in text:
        raise SourceError([Diagnostic(ERROR, "dts-syntax", "file contains NUL bytes", Loc(disp))])
    if _CPP_DIRECTIVE.search(text) or _LINEMARKER.search(text):
        cmd = ["cpp", "-nostdinc", "-undef", "-x", "assembler-with-cpp", "-D__DTS__",
               "-I", os.path.dirname(path) or "."]
        for d in include_dirs + [str(DEFAULT_INCLUDE)]:
            cmd += ["-I", d]
        try:
            res = subprocess.run(cmd + [path], capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as e:
            raise InputError(f"cannot run cpp: {e}") from None
        if res.returncode != 0:
            raise SourceError(_tool_diags(res.stderr.decode("utf-8", "replace"), disp, "cpp"))
        pp = res.stdout.decode("utf-8", "replace")
    else:
        pp = f'# 1 "{path}"\n' + text  # no preprocessing needed: same result, no cpp start-up
    try:
        res = subprocess.run(["dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o", "-", "-"],
                             input=pp.encode(), capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        raise InputError(f"cannot run dtc: {e}") from None
    if res.returncode != 0 or not res.stdout:
        err = res.stderr.decode("utf-8", "replace")
        diags = _unresolved_ref_diags(err, pp, disp)
        rest = re.sub(r'ERROR \(phandle_references\):[^\n]*\n?', "", err)
        rest = re.sub(r"ERROR: Input tree has errors.*\n?", "", rest)
        if rest.strip() or not diags:
            diags += _tool_diags(rest or err, disp, "dtc")
        raise SourceError(diags)
    return Compiled(disp, res.stdout, pp)
