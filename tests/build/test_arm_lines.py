"""The ARMv7 hypervisor stays small (issue #20: "hypervisor lines for core + arm-common + arm",
target under 7,000), counted as bench/size counts them (lines without comments and blank lines,
the project's measure in docs/performance.md). The counting is bench/size's own (armv7_lines()),
loaded from there; the figure with the shared headers of hv/include (without the x86-only ones)
and the one by `wc -l` are printed beside it."""
from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]


def load_size():
    loader = importlib.machinery.SourceFileLoader("bench_size", str(TOP / "bench" / "size"))
    spec = importlib.util.spec_from_loader("bench_size", loader)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_size"] = mod
    loader.exec_module(mod)
    return mod


size = load_size()


def make_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_comments_and_blank_lines_do_not_count(tmp_path: Path) -> None:
    top = make_tree(tmp_path, {
        "hv/core/a.c": "int a;\n\n/* a comment\n   over two lines */\nint b; // trailing\n",
        "hv/arch/arm/entry.S": "b .\n",
        "hv/arch/arm/include/asm/x.h": "#define X \"/* not a comment */\"\n",
        "hv/arch/arm-common/notes.txt": "not code\n" * 50,
        "hv/include/hv.h": "int h;\n",
        "hv/include/config_arch_x86.h": "int x86_only;\n" * 9,
    })
    lines = size.armv7_lines(top)
    assert lines["sloc"] == {"hv/core": 2, "hv/arch/arm-common": 0, "hv/arch/arm": 2,
                             "hv/include": 1}
    assert lines["wc"] == {"hv/core": 5, "hv/arch/arm-common": 0, "hv/arch/arm": 2,
                           "hv/include": 1}


def test_the_limit_catches_a_large_port(tmp_path: Path) -> None:
    top = make_tree(tmp_path, {"hv/arch/arm/big.c": "x;\n" * (size.ARMV7_LIMIT + 1)})
    assert sum(size.armv7_lines(top)["sloc"].values()) > size.ARMV7_LIMIT


# what the target counts; hv/include (the config ABI, refusal table, comm region shared
# with the driver, configgen and the other arches) is printed beside it
LIMITED_PARTS = ("hv/core", "hv/arch/arm-common", "hv/arch/arm")


def test_armv7_hypervisor_under_7000_lines() -> None:
    lines = size.armv7_lines()
    total = sum(lines["sloc"][part] for part in LIMITED_PARTS)
    detail = " + ".join(f"{part} {lines['sloc'][part]}" for part in LIMITED_PARTS)
    print(f"ARMv7 hypervisor: {total} lines without comments and blank lines ({detail}); "
          f"{sum(lines['sloc'].values())} with hv/include; {sum(lines['wc'].values())} by wc -l")
    assert lines["sloc"]["hv/arch/arm"] > 0, "hv/arch/arm has no sources"
    assert total < size.ARMV7_LIMIT, (
        f"tests/build/test_arm_lines.py:1: error: [lines] the ARMv7 hypervisor has {total} lines "
        f"without comments and blank lines (limit {size.ARMV7_LIMIT}): {detail}\n"
        f"hint: share more with arm64 through hv/arch/arm-common, or shorten")
