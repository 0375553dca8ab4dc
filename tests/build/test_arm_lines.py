"""The ARMv7 hypervisor stays small (issue #20): core + arm-common + arm, every line of their .c,
.h and .S files counted as `wc -l` counts them (comments and blank lines included, so nothing is
won by stripping them), must stay under 7,000. bench/size reports the same figure."""
from __future__ import annotations

from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
PARTS = ("hv/core", "hv/arch/arm-common", "hv/arch/arm")
LIMIT = 7000


def sources(top: Path, part: str) -> list[Path]:
    return sorted(p for p in (top / part).rglob("*")
                  if p.is_file() and p.suffix in (".c", ".h", ".S"))


def lines(path: Path) -> int:
    """Newline characters, as `wc -l` counts them."""
    return path.read_bytes().count(b"\n")


def count(top: Path = TOP) -> dict[str, int]:
    return {part: sum(lines(p) for p in sources(top, part)) for part in PARTS}


def test_the_counter_counts_every_source_line(tmp_path: Path) -> None:
    for part in PARTS:
        (tmp_path / part / "include" / "asm").mkdir(parents=True)
    (tmp_path / "hv/core/a.c").write_text("int a;\n\n/* comment */\n")
    (tmp_path / "hv/arch/arm/entry.S").write_text("b .\n")
    (tmp_path / "hv/arch/arm/include/asm/x.h").write_text("#define X 1\n#define Y 2\n")
    (tmp_path / "hv/arch/arm-common/notes.txt").write_text("not code\n" * 50)
    (tmp_path / "hv/arch/arm-common/b.c").write_text("int b;")  # no newline: wc -l says 0
    assert count(tmp_path) == {"hv/core": 3, "hv/arch/arm-common": 0, "hv/arch/arm": 3}


def test_the_limit_catches_a_large_port(tmp_path: Path) -> None:
    (tmp_path / "hv/arch/arm").mkdir(parents=True)
    (tmp_path / "hv/arch/arm/big.c").write_text(";\n" * (LIMIT + 1))
    assert sum(count(tmp_path).values()) > LIMIT


def test_armv7_hypervisor_under_7000_lines() -> None:
    counts = count()
    total = sum(counts.values())
    detail = " + ".join(f"{part} {n}" for part, n in counts.items())
    print(f"ARMv7 hypervisor lines (wc -l): {total} = {detail}")
    assert counts["hv/arch/arm"] > 0, "hv/arch/arm has no sources"
    assert total < LIMIT, (f"tests/build/test_arm_lines.py:1: error: [lines] the ARMv7 hypervisor "
                           f"has {total} lines (limit {LIMIT}): {detail}\n"
                           f"hint: share more with arm64 through hv/arch/arm-common, or shorten")
