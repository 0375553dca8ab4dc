"""The core stays arch-neutral (issue #14): hv/core and the headers the core shares with every
port name no architecture's concepts outside comments, and include no arch internals. A new
port must not have to edit the core; this is what keeps it so."""
from __future__ import annotations

import re
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
# The ports' interrupt controllers, CPU ids, exception levels and firmware interfaces: parts of
# identifiers (split at '_' and case changes) the core must not use.
ARCH_WORDS = {"mpidr", "gic", "gicd", "gicr", "gicc", "gich", "gicv", "its", "psci", "smc", "smccc",
              "spi", "ppi", "sgi", "vsgi", "lpi", "vbar", "el1", "el2", "hvc", "hyp", "stub", "apic",
              "xapic", "x2apic", "ioapic", "svm", "vmcb", "vmx", "msr", "aarch64", "arm64", "x86"}
# The arch headers the core may include: data and types only, each listed in the port
# checklist of docs/architecture.md.
ARCH_DATA_HEADERS = ("asm/arch_types.h", "asm/cfg_limits.h", "asm/exit_reasons.h", "asm/hv_header_arch.h")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The format's architecture ids: the one place the core names the ports (the blob header says
# which one a blob is for).
ALLOWED = {"HVCFG_ARCH_ARM64", "HVCFG_ARCH_X86_64"}
CORE_FILES = sorted((TOP / "hv/core").glob("*.c")) + [
    TOP / "hv/include" / h for h in ("hv.h", "arch.h", "hypercall.h", "hv_image.h", "config_format.h",
                                     "config_check.h", "comm_region.h", "refusal.h",
                                     "cell_internal.h")]


def strip_comments(src: str) -> str:
    """C source without comments and string literals (messages may name what they like)."""
    pattern = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"', re.S)
    return pattern.sub(lambda m: "\n" * m.group(0).count("\n"), src)


def names_arch(line: str) -> bool:
    parts = (p.lower() for ident in IDENT.findall(line) if ident not in ALLOWED for part in ident.split("_")
             for p in re.findall(r"[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z0-9]+", part))
    return any(p in ARCH_WORDS for p in parts)


def arch_words(path: Path, top: Path = TOP) -> list[str]:
    code = strip_comments(path.read_text())
    return [f"{path.relative_to(top)}:{n}: {line.strip()}"
            for n, line in enumerate(code.splitlines(), 1) if names_arch(line)]


def test_strip_comments_keeps_code_and_line_numbers() -> None:
    src = 'a; /* gic\n mpidr */ b; // psci\nc = "GICD";\n'
    assert strip_comments(src).splitlines() == ["a; ", " b; ", "c = ;"]


def test_the_detector_finds_an_arch_word_in_code(tmp_path: Path) -> None:
    f = tmp_path / "x.c"
    f.write_text("/* fine: gic */\nstatic int cpu_by_mpidr(int x);\nint hvcfg_x; u64 gicdBase;\n"
                 "int NO_EL2;\nint a = HVCFG_ARCH_ARM64;\n")
    assert arch_words(f, tmp_path) == ["x.c:2: static int cpu_by_mpidr(int x);", "x.c:3: int hvcfg_x; u64 gicdBase;",
                                       "x.c:4: int NO_EL2;"]


def test_core_names_no_arch_concept_outside_comments() -> None:
    found = [hit for f in CORE_FILES if f.exists() for hit in arch_words(f)]
    assert not found, "arch concepts in the core:\n" + "\n".join(found)


def test_core_includes_no_arch_internals() -> None:
    bad = [f"{f.relative_to(TOP)}: {inc}" for f in CORE_FILES if f.exists()
           for inc in re.findall(r'#\s*include\s*[<"]([^>"]+)[>"]', f.read_text())
           if inc.startswith("asm/") and inc not in ARCH_DATA_HEADERS]
    assert not bad, "the core includes arch internals:\n" + "\n".join(bad)
