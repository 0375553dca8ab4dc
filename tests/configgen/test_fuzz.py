"""Randomly mutated samples never produce a traceback: only diagnostics and exit status 0/1/2."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import CELLS, REPO, SYSTEM

MUTATIONS = int(__import__("os").environ.get("CONFIGGEN_FUZZ", "48"))
TOKENS = ["<&cpu0>", "<0xffffffff>", "/bits/ 64 <0x0>", '""', "<>", "&gic", "{", "}", ";", "/delete-node/ &uart0;",
          "#include <nope.h>", "\0", "\xff", "0x7f800000", "cpus", "shared;", "comm-region;", "io;", "<&rtc &rtc>",
          "= <1 2 3>;", "/plugin/;", "\n};\n", "cell-name = \"x\";", "ADDR64(0x1234)", "size = /bits/ 64 <0>;"]


def _mutate(text: str, rnd: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rnd.randint(1, 3)):
        op = rnd.randrange(5)
        i = rnd.randrange(len(lines))
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, rnd.choice(TOKENS))
        elif op == 2 and lines[i]:
            j = rnd.randrange(len(lines[i]))
            lines[i] = lines[i][:j] + rnd.choice(TOKENS) + lines[i][j + 1:]
        elif op == 3:
            lines[i] = lines[rnd.randrange(len(lines))]
        else:
            lines[i] = "".join(c if rnd.random() > 0.05 else rnd.choice("0x{};<>&\"") for c in lines[i])
    return "\n".join(lines)


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
            import struct
            import zlib
            struct.pack_into("<I", b, 12, 0)
            struct.pack_into("<I", b, 12, zlib.crc32(bytes(b)) & 0xFFFFFFFF)
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
