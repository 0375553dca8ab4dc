"""Unit tests of the pure helpers: interval sweep, cover, Kconfig limits, source map parsing."""
from __future__ import annotations

import random

from conftest import REPO
from configgen.dtsource import SourceMap
from configgen.kconfig import load_limits
from configgen.intervals import Cover, overlapping_pairs


def _random_ranges(rnd: random.Random, most: int, last_start: int, longest: int) -> list[tuple[int, int]]:
    """Up to most ranges, empty ones included."""
    starts = [rnd.randint(0, last_start) for _ in range(rnd.randint(0, most))]
    return [(s, s + rnd.randint(0, longest)) for s in starts]


def test_overlapping_pairs_matches_brute_force() -> None:
    rnd = random.Random(3)
    for _ in range(200):
        items = [(s, e, i) for i, (s, e) in enumerate(_random_ranges(rnd, 30, 100, 20))]
        got = {frozenset(p) for p in overlapping_pairs(items)}
        want = {frozenset((a[2], b[2])) for i, a in enumerate(items) for b in items[i + 1:]
                if a[0] < b[1] and b[0] < a[1] and a[1] > a[0] and b[1] > b[0]}
        assert got == want


def test_cover() -> None:
    c = Cover([(0, 10), (10, 20), (30, 40)])
    assert c.contains(0, 20) and c.contains(5, 15) and c.contains(30, 40)
    assert not c.contains(15, 31) and not c.contains(40, 41) and not c.contains(25, 26)
    assert c.intersects(19, 31) and not c.intersects(20, 30)


def test_cover_gaps_match_brute_force() -> None:
    rnd = random.Random(5)
    for _ in range(500):
        ranges = _random_ranges(rnd, 6, 60, 12)
        s = rnd.randint(0, 70)
        e = s + rnd.randint(0, 20)
        gaps = list(Cover(ranges).gaps(s, e))
        covered = {x for a, b in ranges for x in range(a, b)}
        assert [x for a, b in gaps for x in range(a, b)] == [x for x in range(s, e) if x not in covered]
        assert all(a < b for a, b in gaps) and all(g[1] < h[0] for g, h in zip(gaps, gaps[1:]))


def test_kconfig_precedence(tmp_path) -> None:
    assert load_limits(None, str(tmp_path)) == load_limits(None, str(tmp_path))
    assert (load_limits(None, str(tmp_path)).max_cpus, load_limits(None, str(tmp_path)).max_cells) == (8, 8)
    (tmp_path / "Kconfig").write_text("config MAX_CPUS\n\tint \"cpus\"\n\tdefault 4\n")
    assert load_limits(None, str(tmp_path)).max_cpus == 4
    (tmp_path / ".config").write_text("CONFIG_MAX_CPUS=16\nCONFIG_MAX_CELLS=3\n")
    lim = load_limits(None, str(tmp_path))
    assert (lim.max_cpus, lim.max_cells) == (16, 3)


def test_source_map_parses_dtc_annotations() -> None:
    text = ('/dts-v1/;\n\n/ { /* a.dts:1:1-9:2 */\n\tx = <1>; /* a.dts:2:2-2:9 */\n'
            '\tlbl: n@1 { /* b.dtsi:4:3-6:4, a.dts:7:1-7:9 */\n\t\ty = "s; /* odd */"; /* b.dtsi:5:4-5:9 */\n'
            '\t}; /* b.dtsi:4:3-6:4 */\n\t__symbols__ {\n\t\tlbl = "/n@1";\n\t};\n\tm { /* a.dts:8:1-8:5 */\n\t};\n};\n')
    sm = SourceMap.parse(text)
    assert str(sm.nodes["/n@1"]) == "b.dtsi:4"
    assert str(sm.props[("/n@1", "y")]) == "b.dtsi:5"
    assert str(sm.props[("/", "x")]) == "a.dts:2"
    assert str(sm.nodes["/m"]) == "a.dts:8"


def test_docs_list_every_rule() -> None:
    from conftest import REPO
    from configgen.rules import RULES
    doc = (REPO / "docs" / "config-format.md").read_text()
    for rule in RULES:
        assert f"| `{rule}` |" in doc, rule


def test_hypervisor_placement_rule_cases() -> None:
    from types import SimpleNamespace
    from configgen.rules.memory import _hypervisor_placement

    from configgen import arch

    sysm = SimpleNamespace(arch=arch.by_name("arm64"))

    def msgs(start: int, size: int) -> str:
        return " ".join(d.message for d in _hypervisor_placement(sysm, SimpleNamespace(start=start, size=size),
                                                                 None))

    assert msgs(0x7f800000, 0x800000) == ""
    assert "2 MiB" in msgs(0x7f900000, 0x700000)
    assert "1 GiB boundary" in msgs(0x7fe00000, 0x400000)
    # the top GiB below 512 GiB is the hypervisor's EL2 mapping window (cfg_limits.h): 511 GiB is the end
    assert msgs(0x7FBFE00000, 0x200000) == ""
    assert "511 GiB" in msgs(0x7FC0000000, 0x200000)
    assert "511 GiB" in msgs(0x8000000000, 0x200000)


def test_root_uncovered_rule_cases() -> None:
    from configgen import abi
    from configgen.diag import Loc
    from configgen.model import Cell, Platform, Range, Region, System
    from configgen.rules.memory import _root_uncovered

    def gaps(ram: list[tuple[int, int]], regions: list[tuple[int, int, int]]) -> list[str]:
        root = Cell("root", True, Loc("s.dts", 3), Loc("s.dts", 4),
                    regions=[Region(f"r{i}", p, p, n, f, Loc("s.dts", 9)) for i, (p, n, f) in enumerate(regions)])
        sysm = System("s.dts", [], [Range(*r) for r in ram], {}, Platform(), Range(0x7f800000, 0x800000),
                      Loc("s.dts", 2), None, 0, {}, [], root)  # type: ignore[arg-type]
        diags = _root_uncovered(sysm)
        assert all(d.rule == "mem-root-uncovered" and str(d.loc) == "s.dts:3" for d in diags)
        return [d.message.split("]")[0].split("[")[1] for d in diags]

    rw = abi.MEM_READ | abi.MEM_WRITE
    assert gaps([(0x40000000, 0x40000000)], [(0x40000000, 0x3f800000, rw)]) == []  # rest is the hypervisor
    assert gaps([(0x40000000, 0x20000000), (0x60000000, 0x20000000)], [(0x40000000, 0x3f800000, rw)]) == []
    assert gaps([(0x40000000, 0x40000000)], [(0x40000000, 0x10000000, rw), (0x60000000, 0x1f800000, rw)]) \
        == ["0x50000000-0x5fffffff"]
    assert gaps([(0x40000000, 0x40000000), (0x100000000, 0x1000000)], [(0x40000000, 0x3f800000, abi.MEM_IO)]) \
        == ["0x40000000-0x7f7fffff", "0x100000000-0x100ffffff"]  # io does not count, each gap once
    assert gaps([(0x40000000, 0x40000000), (0x40000000, 0x40000000)], [(0x40000000, 0x1000, rw)]) \
        == ["0x40001000-0x7f7fffff"]  # duplicate /memory reported once
    assert gaps([(0x40000000, 0x40000000)], [(0x40000000, 0x3f800000, rw | abi.MEM_COMM_REGION)]) \
        == ["0x40000000-0x7f7fffff"]


def test_every_diagnostic_is_built_with_a_hint() -> None:
    """Every diagnostic ends with a hint (docs/config-format.md); a call site that builds one without
    it printed none (console-type "vga", a console phandle to nothing, two root cells, found by
    tests/configgen/fuzzlib.py). Checked on the source: Diagnostic(), extract._e(), overlay._err()."""
    import ast
    missing = []
    for path in sorted((REPO / "configgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            needed = {"Diagnostic": 5, "_e": 4, "_err": 4}.get(name)
            if needed and len(node.args) < needed and not any(k.arg == "hint" for k in node.keywords):
                missing.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not missing, f"diagnostics without a hint: {missing}"
