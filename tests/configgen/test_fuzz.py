"""configgen never shows a traceback and never writes a blob the hypervisor refuses.

The fuzz target (fuzzlib.py: random partitionings from fuzzsystem.py/fuzzcells.py, mutated
sources and blobs from fuzzmut.py) runs briefly here on fixed seeds; bench/fuzz-configgen runs it
for minutes on a random seed. A failure names the seed and saves its inputs under
build/fuzz-configgen/findings/seed-N/ (reproduce: bench/fuzz-configgen --case N). The tests
below it feed mutated samples, blobs, Jailhouse blobs and machine snapshots: only diagnostics
and exit status 0/1/2.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

import fuzzlib
from conftest import CELLS, REPO, SYSTEM
from fuzzmut import mutate_text as _mutate

MUTATIONS = int(os.environ.get("CONFIGGEN_FUZZ", "48"))
BRIEF_CASES = int(os.environ.get("CONFIGGEN_FUZZ_CASES", "60"))
FIRST_SEED = 4_000_000  # fixed, so that every run checks the same cases
MIN_RULES = 18  # distinct rule ids the brief run hits (22 when written; a long run hits all 49)


@pytest.fixture(scope="module")
def brief(tmp_path_factory) -> tuple[fuzzlib.Stats, list[tuple[int, list[str], Path]]]:
    stats = fuzzlib.Stats()
    found = fuzzlib.fuzz(range(FIRST_SEED, FIRST_SEED + BRIEF_CASES), tmp_path_factory.mktemp("fuzz"), stats,
                         blob_mutations=3)
    return stats, found


def test_fuzz_brief_run_holds_the_property(brief) -> None:
    _, found = brief
    report = "\n\n".join(f"seed {seed} (inputs saved in {dest}; reproduce: bench/fuzz-configgen --case {seed}):\n"
                          + "\n".join(probs) for seed, probs, dest in found)
    assert not found, report


def test_fuzz_brief_run_is_useful(brief) -> None:
    """The generator must keep producing accepted systems (the compile, validator and round-trip
    properties only run on those) and keep reaching the rules, or the fuzzer silently tests nothing."""
    stats, _ = brief
    assert stats.cases == BRIEF_CASES
    assert stats.accepted >= 0.3 * stats.cases, f"only {stats.accepted} of {stats.cases} cases accepted"
    # cases without a wild choice are sound by construction: rejecting them is a generator (or rule) bug
    assert stats.pristine_accepted >= 0.9 * stats.pristine, f"rules refusing sound cases: {stats.pristine_rejected}"
    assert len(stats.rules) >= MIN_RULES, f"rules hit: {sorted(stats.rules)}"
    assert stats.blobs >= stats.accepted and stats.blobs_decompiled, (stats.blobs, stats.blobs_decompiled)


@pytest.mark.parametrize("seed", range(MUTATIONS))
def test_mutated_sample(seed: int, tmp_path: Path, cli) -> None:
    rnd = random.Random(seed)
    target = rnd.choice(CELLS + [SYSTEM])
    src = (REPO / target).read_text()
    mutated = tmp_path / Path(target).name
    mutated.write_text(_mutate(src, rnd), encoding="utf-8", errors="surrogateescape")
    if target == SYSTEM:
        # keep the relative #include of the board working from the temporary directory
        text = mutated.read_text().replace('"../boards/', f'"{REPO}/dts/boards/')
        mutated.write_text(text)
        args = ["check", str(mutated), *CELLS]
    else:
        args = ["check", SYSTEM, str(mutated)] + [c for c in CELLS if c != target]
    rc, out, err = cli(*args)
    assert rc in (0, 1, 2)
    assert "Traceback" not in err and "internal error" not in err, err
    if rc == 1:
        assert "error: [" in err
    if seed % 4 == 0:  # the drawing and guest-DT commands see the same inputs
        rc, _, err = cli("map", *args[1:], "-o", str(tmp_path / "m.svg"))
        assert rc in (0, 1, 2) and "internal error" not in err, err
        if target != SYSTEM:
            rc, _, err = cli("guest-dt", SYSTEM, str(mutated), "-o", str(tmp_path / "g.dtb"))
            assert rc in (0, 1, 2) and "internal error" not in err, err


def test_mutated_blob_never_crashes(tmp_path: Path, cli) -> None:
    rc, _, err = cli("compile", SYSTEM, CELLS[1], "-o", str(tmp_path / "c.cfg"))
    assert rc == 0, err
    data = (tmp_path / "c.cfg").read_bytes()
    rnd = random.Random(7)
    for i in range(40):
        b = bytearray(data)
        for _ in range(rnd.randint(1, 4)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        if i % 3 == 0:  # keep the CRC valid so deeper checks are reached
            from fuzzmut import reseal
            reseal(b)
        f = tmp_path / "m.cfg"
        f.write_bytes(bytes(b))
        for cmd in ("dump", "decompile"):
            rc, _, err = cli(cmd, str(f))
            assert rc in (0, 1) and "Traceback" not in err and "internal error" not in err, err


def test_mutated_jailhouse_blobs_never_crash(tmp_path: Path, cli) -> None:
    import subprocess
    subprocess.run(["gcc", "-o", str(tmp_path / "jh"), str(REPO / "tests/configgen/jailhouse/jh-configs.c")],
                   check=True)
    subprocess.run([str(tmp_path / "jh"), str(tmp_path)], check=True, capture_output=True)
    rnd = random.Random(14)
    for i in range(MUTATIONS):
        src = (tmp_path / rnd.choice(["system.cell", "gic-demo.cell", "odd.cell"])).read_bytes()
        b = bytearray(src)
        if i % 4 == 0:
            b = b[:rnd.randrange(len(b))]
        else:
            for _ in range(rnd.randint(1, 6)):
                # mostly the headers, where counts, offsets and signatures live
                pos = rnd.randrange(min(len(b), 600)) if rnd.random() < 0.8 else rnd.randrange(len(b))
                b[pos] = rnd.randrange(256)
        f = tmp_path / "m.cell"
        f.write_bytes(bytes(b))
        rc, _, err = cli("import", str(f), "--board", "dts/boards/qemu-arm64-virt.dts")
        assert rc in (0, 1) and "Traceback" not in err and "internal error" not in err, err


def test_mutated_snapshots_never_crash(tmp_path: Path, cli) -> None:
    import shutil
    snap = REPO / "tests/configgen/fixtures/qemu-arm64-snapshot"
    rnd = random.Random(4)
    for i in range(max(MUTATIONS // 2, 8)):
        d = tmp_path / f"s{i}"
        shutil.copytree(snap, d)
        what = rnd.choice(["fdt", "iomem", "online"])
        if what == "fdt":
            p = d / "sys/firmware/fdt"
            b = bytearray(p.read_bytes())
            for _ in range(rnd.randint(1, 4)):
                b[rnd.randrange(min(len(b), 2048))] = rnd.randrange(256)
            p.write_bytes(bytes(b))
        else:
            p = d / ("proc/iomem" if what == "iomem" else "sys/devices/system/cpu/online")
            p.write_text(_mutate(p.read_text(), rnd), errors="surrogateescape")
        rc, _, err = cli("create", "--root", str(d), "-o", str(d / "out.dts"))
        assert rc in (0, 1, 2) and "Traceback" not in err and "internal error" not in err, (what, err)
        if rc == 0:
            rc, _, err = cli("check", str(d / "out.dts"))
            assert rc in (0, 1, 2) and "internal error" not in err, err
