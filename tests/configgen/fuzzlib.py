"""A fuzzer for configgen itself: random and mutated .dts/.dtso and blobs.

The property, per case:
* every command exits 0, 1 or 2 (dump and decompile of a blob: 0 or 1), never with a traceback or
  an "internal error"; every `error: [rule]` / `warning: [rule]` diagnostic ends with a hint;
* when `check` accepts the sources, `compile` of the system (with --root-dtb and --cells) and of
  every cell succeeds with no [internal-validator] diagnostic, the blobs pass the C validator
  (configgen.validator) directly, `dump` lists them, and `decompile` gives sources that compile
  back to the byte-identical blobs;
* a mutated blob that `decompile` takes is one the C validator accepts, and if its decompiled
  source compiles, it compiles to the same bytes.

Cases come from the random partitioning generator (fuzzsystem.py, fuzzcells.py) and the
mutators (fuzzmut.py); everything runs in-process (configgen.cli.main), in a directory per case.
A case is reproducible from its seed alone: `bench/fuzz-configgen --case SEED`.
Importable without pytest: tests/configgen/test_fuzz.py runs it briefly, bench/fuzz-configgen long.
"""
from __future__ import annotations

import hashlib
import io
import os
import random
import re
import shutil
import sys
import time
import traceback
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for _p in (str(REPO), str(HERE)):  # configgen, and the sibling fuzz modules
    if _p not in sys.path:
        sys.path.insert(0, _p)

from fuzzgen import Case  # noqa: E402
from fuzzmut import mutate_blob, mutated_case, sample_case  # noqa: E402
from fuzzsystem import generate  # noqa: E402

FINDINGS = REPO / "build" / "fuzz-configgen" / "findings"
_DIAG = re.compile(r"(?:^|: )(error|warning): \[([a-z0-9-]+)\]")


@dataclass
class Run:
    argv: tuple[str, ...]
    rc: int
    out: str
    err: str
    debug: str = ""  # the traceback behind an "internal error", from a re-run with CONFIGGEN_DEBUG

    def __str__(self) -> str:
        return "configgen " + " ".join(self.argv)


def run_in_process(*argv: str) -> tuple[int, str, str]:
    """Run configgen in-process from the repository root; returns (status, stdout, stderr)."""
    from configgen.cli import main
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(REPO)  # configgen reads ./Kconfig and ./.config from the repository root
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                rc = main(list(argv))
            except SystemExit as e:  # argparse usage errors
                rc = int(e.code or 0)
    finally:
        os.chdir(old)
    return rc, out.getvalue(), err.getvalue()


def cli(*argv: str) -> Run:
    """configgen in-process; an exception escaping main() is rc -1 with its traceback."""
    try:
        rc, out, err = run_in_process(*argv)
    except Exception:  # noqa: BLE001 - main() must not raise; report it as a finding
        return Run(argv, -1, "", "Traceback (escaped main):\n" + traceback.format_exc())
    run = Run(argv, rc, out, err)
    if "internal error" in err:
        os.environ["CONFIGGEN_DEBUG"] = "1"
        try:
            run_in_process(*argv)
        except Exception:  # noqa: BLE001 - this is what we want to show
            run.debug = traceback.format_exc()
        finally:
            del os.environ["CONFIGGEN_DEBUG"]
    return run


# ------------------------------------------------------------------ properties

def missing_hints(text: str) -> list[str]:
    """Diagnostic lines whose block (the line, its notes) does not end with a `    hint:` line."""
    lines = text.splitlines()
    bad = []
    for i, line in enumerate(lines):
        if not _DIAG.search(line) or ": note: " in line:
            continue
        j = i + 1
        while j < len(lines) and ": note: " in lines[j] and not _DIAG.search(lines[j]):
            j += 1
        if j >= len(lines) or not lines[j].startswith("    hint: "):
            bad.append(line)
    return bad


def rules_of(text: str) -> set[str]:
    return {m.group(2) for m in _DIAG.finditer(text)}


def basic_problems(run: Run, allowed: tuple[int, ...] = (0, 1, 2)) -> list[str]:
    """What no run may show, whatever its input."""
    out = []
    both = run.out + run.err
    if run.rc not in allowed:
        out.append(f"{run}: exit status {run.rc}, expected one of {allowed}")
    if "Traceback" in both:
        out.append(f"{run}: traceback:\n{run.err[-3000:]}")
    if "internal error" in both:
        line = next(ln for ln in both.splitlines() if "internal error" in ln)
        out.append(f"{run}: {line}\n{run.debug[-3000:]}")
    for line in missing_hints(run.err):
        out.append(f"{run}: diagnostic without a hint: {line}")
    if run.rc == 1 and run.argv[0] in ("check", "compile") and "error: " not in run.err:
        out.append(f"{run}: exit status 1 without an error diagnostic:\n{run.err[-2000:]}")
    if "[internal-validator]" in run.err:
        out.append(f"{run}: the hypervisor's validator refused a blob configgen built:\n{run.err[-2000:]}")
    return out


def _expect_ok(run: Run, what: str) -> list[str]:
    probs = basic_problems(run)
    if run.rc != 0 and not probs:
        probs.append(f"{run}: {what} failed (exit {run.rc}) although check accepted the sources:\n{run.err[-2000:]}")
    return probs


@dataclass
class Stats:
    cases: int = 0
    accepted: int = 0
    pristine: int = 0  # generated with no wild choice
    pristine_accepted: int = 0
    pristine_rejected: Counter = field(default_factory=Counter)  # rule -> count: the generator's own misses
    rules: Counter = field(default_factory=Counter)  # rule -> cases that hit it
    kinds: Counter = field(default_factory=Counter)
    blobs: int = 0  # mutated blobs run
    blobs_decompiled: int = 0
    findings: int = 0
    slowest: tuple[float, int] = (0.0, -1)  # seconds, seed: configgen must not hang on any input

    def merge(self, o: "Stats") -> None:
        self.slowest = max(self.slowest, o.slowest)
        for name in ("cases", "accepted", "pristine", "pristine_accepted", "blobs", "blobs_decompiled", "findings"):
            setattr(self, name, getattr(self, name) + getattr(o, name))
        for name in ("pristine_rejected", "rules", "kinds"):
            getattr(self, name).update(getattr(o, name))


def _limits_max_cpus(kconfig: Optional[Path]) -> int:
    from configgen.kconfig import load_limits
    return load_limits(str(kconfig) if kconfig else None, str(REPO)).max_cpus


def _roundtrip(blob_path: Path, compile_args: list[str], workdir: Path) -> list[str]:
    """decompile, compile the result (compile_args: what comes before the decompiled file), compare."""
    is_cell = blob_path.read_bytes()[:4] == b"HVCL"
    dec = workdir / (blob_path.stem + (".dec.dtso" if is_cell else ".dec.dts"))
    run = cli("decompile", str(blob_path), "-o", str(dec))
    probs = _expect_ok(run, "decompile")
    if run.rc != 0:
        return probs
    again = workdir / (blob_path.stem + ".again.cfg")
    run = cli("compile", *compile_args, str(dec), "-o", str(again))
    probs += _expect_ok(run, "compile of the decompiled source")
    if run.rc == 0 and again.read_bytes() != blob_path.read_bytes():
        probs.append(f"{run}: the decompiled {blob_path.name} compiles to different bytes")
    return probs


def _accepted(case: Case, sysp: Path, cells: list[Path], kc: Optional[Path], workdir: Path,
              rnd: random.Random) -> list[str]:
    """Everything that must work once check has accepted the sources."""
    from configgen import validator
    k = ["--kconfig", str(kc)] if kc else []
    out = workdir / "out"
    out.mkdir(exist_ok=True)
    sysblob = out / "system.cfg"
    run = cli("compile", *k, str(sysp), "-o", str(sysblob), "--root-dtb", str(out / "root.dtb"),
              *(["--cells", *map(str, cells)] if cells else []))
    probs = _expect_ok(run, "system compile")
    if run.rc != 0:
        return probs
    with_others = rnd.randrange(len(cells)) if cells else -1  # one cell compiled as with --cells, the rest alone
    blobs = [sysblob]
    for i, cp in enumerate(cells):
        cblob = out / f"{cp.stem}.cfg"
        others = ["--cells", *(str(o) for o in cells if o != cp)] if i == with_others and len(cells) > 1 else []
        run = cli("compile", *k, str(sysp), str(cp), "-o", str(cblob), *others)
        probs += _expect_ok(run, "cell compile")
        if run.rc == 0:
            blobs.append(cblob)
    max_cpus = _limits_max_cpus(kc)
    sysdata = sysblob.read_bytes()
    refusal = validator.check_system(sysdata, max_cpus)
    if refusal:
        probs.append(f"C validator refuses the system blob configgen wrote: {refusal}")
    for b in blobs[1:]:
        refusal = validator.check_cell_in_system(sysdata, b.read_bytes(), max_cpus)
        if refusal:
            probs.append(f"C validator refuses the cell blob {b.name} configgen wrote: {refusal}")
    for b in blobs:
        probs += _expect_ok(cli("dump", str(b)), "dump")
        probs += _roundtrip(b, k + ([str(sysp)] if b != sysblob else []), workdir)
    return probs + _root_dtb(out / "root.dtb") + _views(sysp, cells, k, out, rnd)


def _root_dtb(path: Path) -> list[str]:
    import libfdt
    try:
        libfdt.Fdt(path.read_bytes())
    except libfdt.FdtException as e:
        return [f"the root DTB {path} is broken: {e}"]
    return []


def _views(sysp: Path, cells: list[Path], k: list[str], out: Path, rnd: random.Random) -> list[str]:
    """The commands built on the same check (guest DT of one cell, the memory map) succeed too."""
    probs = []
    if cells and rnd.random() < 0.5:
        cell = rnd.choice(cells)
        others = [str(o) for o in cells if o != cell]
        run = cli("guest-dt", *k, str(sysp), str(cell), "-o", str(out / "guest.dtb"),
                  *(["--cells", *others] if others else []))
        probs += _expect_ok(run, "guest-dt")
    if rnd.random() < 0.3:
        probs += _expect_ok(cli("map", *k, str(sysp), *map(str, cells), "-o", str(out / "map.svg")), "map")
    return probs


def run_case(case: Case, workdir: Path, stats: Optional[Stats] = None,
             rnd: Optional[random.Random] = None) -> list[str]:
    """Write the case to workdir, check it, and if accepted compile, validate, dump and
    round-trip it; the problems found (empty: the property holds)."""
    rnd = rnd or random.Random(case.seed)
    sysp, cells, kc = case.write(workdir)
    k = ["--kconfig", str(kc)] if kc else []
    run = cli("check", *k, str(sysp), *map(str, cells))
    probs = basic_problems(run)
    if run.rc == 0 and "error: [" in run.err:
        probs.append(f"{run}: exit status 0 with an error diagnostic")
    rules = rules_of(run.err)
    if stats is not None:
        stats.cases += 1
        stats.kinds[case.kind] += 1
        stats.rules.update(rules)
        stats.pristine += case.pristine
        if case.pristine and run.rc != 0:
            stats.pristine_rejected.update(rules or {f"exit {run.rc}"})
        stats.pristine_accepted += case.pristine and run.rc == 0
    if run.rc == 0:
        if stats is not None:
            stats.accepted += 1
        probs += _accepted(case, sysp, cells, kc, workdir, rnd)
    return probs


# ------------------------------------------------------------------ mutated blobs

def run_blob(data: bytes, workdir: Path, name: str, system_src: Path, system_blob: bytes,
             kconfig: Optional[Path], stats: Optional[Stats] = None) -> list[str]:
    """dump and decompile a (mutated) blob: exit 0 or 1, no traceback; decompiled means the C
    validator accepts it, and a decompiled source that compiles gives the same bytes."""
    from configgen import validator
    path = workdir / name
    path.write_bytes(data)
    probs = basic_problems(cli("dump", str(path)), (0, 1))
    is_cell = data[:4] == b"HVCL"
    dec = workdir / (path.stem + (".dtso" if is_cell else ".dts"))
    run = cli("decompile", str(path), "-o", str(dec))
    probs += basic_problems(run, (0, 1))
    if stats is not None:
        stats.blobs += 1
        stats.blobs_decompiled += run.rc == 0
    if run.rc != 0:
        return probs
    refusal = validator.check_blob(data, _limits_max_cpus(kconfig))
    if refusal:
        probs.append(f"{run}: decompiled a blob the C validator refuses: {refusal}")
    if is_cell and data[16:48] != hashlib.sha256(system_blob).digest():
        return probs  # made for another system: nothing to compile it against
    k = ["--kconfig", str(kconfig)] if kconfig else []
    again = workdir / (path.stem + ".again.cfg")
    run = cli("compile", *k, *([str(system_src)] if is_cell else []), str(dec), "-o", str(again))
    probs += basic_problems(run)
    if run.rc == 0 and again.read_bytes() != data:
        probs.append(f"{run}: the decompiled {name} compiles to different bytes")
    return probs


def _blob_mutations(case: Case, workdir: Path, rnd: random.Random, count: int, stats: Optional[Stats]) -> list[str]:
    out = workdir / "out"
    blobs = sorted(p for p in out.glob("*.cfg") if ".again" not in p.name) if out.is_dir() else []
    if not blobs:
        return []
    sysblob = (out / "system.cfg").read_bytes()
    kc = workdir / "fuzz.config" if case.kconfig is not None else None
    mdir = workdir / "mutated"
    mdir.mkdir(exist_ok=True)
    probs = []
    for j in range(count):
        src = rnd.choice(blobs)
        data = mutate_blob(src.read_bytes(), rnd)
        probs += run_blob(data, mdir, f"{src.stem}-m{j}.cfg", workdir / case.system[0], sysblob, kc, stats)
    return probs


# ------------------------------------------------------------------ driving

def make_case(seed: int) -> Case:
    """The case of a seed: mostly a generated partitioning, some of them mutated, some mutated samples."""
    rnd = random.Random(seed ^ 0x5EED)
    r = rnd.random()
    if r < 0.1:
        return sample_case(seed, rnd)
    case = generate(seed)
    return mutated_case(case, rnd) if r < 0.22 else case


def fuzz_one(seed: int, workdir: Path, stats: Optional[Stats] = None, blob_mutations: int = 4) -> list[str]:
    """One case of a seed, and mutations of its blobs when it was accepted."""
    case = make_case(seed)
    rnd = random.Random(seed ^ 0xB10B)
    probs = run_case(case, workdir, stats, rnd)
    probs += _blob_mutations(case, workdir, rnd, blob_mutations, stats)
    if probs and stats is not None:
        stats.findings += 1
    return probs


def save_finding(seed: int, workdir: Path, problems: list[str], dest_root: Path = FINDINGS) -> Path:
    """The case's files (sources, blobs, mutated blobs) and what went wrong, for reproduction."""
    dest = dest_root / f"seed-{seed}"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(workdir, dest)
    case = make_case(seed)
    (dest / "PROBLEMS.txt").write_text(
        f"fuzz-configgen finding, seed {seed} ({case.kind}, wildness {case.wildness}, notes: {case.notes})\n"
        f"reproduce: bench/fuzz-configgen --case {seed}\n"
        f"the files: {dest} (system.dts, cell*.dtso, fuzz.config if any, out/ blobs, mutated/ blobs)\n\n"
        + "\n\n".join(problems) + "\n")
    return dest


def fuzz(seeds: Iterable[int], root: Path, stats: Stats, keep_going: Callable[[], bool] = lambda: True,
         findings_dir: Path = FINDINGS, blob_mutations: int = 4) -> list[tuple[int, list[str], Path]]:
    """Run the cases of seeds in directories under root (removed after each case unless it found
    something, which is saved under findings_dir) while keep_going(); the findings."""
    found = []
    for seed in seeds:
        if not keep_going():
            break
        workdir = root / f"case-{seed}"
        start = time.monotonic()
        probs = fuzz_one(seed, workdir, stats, blob_mutations)
        stats.slowest = max(stats.slowest, (time.monotonic() - start, seed))
        if probs:
            found.append((seed, probs, save_finding(seed, workdir, probs, findings_dir)))
        shutil.rmtree(workdir, ignore_errors=True)
    return found
