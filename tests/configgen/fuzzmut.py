"""Mutators for the configgen fuzzer: line and token edits of sources (the QEMU samples or
generated cases), and byte and field edits of compiled blobs."""
from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

from fuzzgen import REPO, Case

SAMPLE_SYSTEM = "dts/qemu-arm64/system.dts"
SAMPLE_CELLS = ("dts/qemu-arm64/gic-demo.dtso", "dts/qemu-arm64/smp-demo.dtso")

TOKENS = ["<&cpu0>", "<0xffffffff>", "/bits/ 64 <0x0>", '""', "<>", "&gic", "{", "}", ";", "/delete-node/ &uart0;",
          "#include <nope.h>", "\0", "\xff", "0x7f800000", "cpus", "shared;", "comm-region;", "io;", "<&rtc &rtc>",
          "= <1 2 3>;", "/plugin/;", "\n};\n", "cell-name = \"x\";", "ADDR64(0x1234)", "size = /bits/ 64 <0>;",
          "/bits/ 64 <0xffffffffffffffff>", "/bits/ 64 <0x10000000000>", "cell-pool;", "loadable;", "root-shared;",
          "all-devices;", "<&uart0>", "spis = <0 1 2>;", "cpu-indices = <0>;", "#define X", "/include/ \"x\"",
          "&{/}", "__overlay__", "virtual-console-active;", "= \"\\\"\";"]
CRC_OFFSET = 12  # hvcfg_header.crc32 (after signature, revision, arch, total_size)
SIZE_OFFSET = 8  # hvcfg_header.total_size


def mutate_text(text: str, rnd: random.Random) -> str:
    """1-3 line edits: delete, insert a token, splice a token in, duplicate a line, noise."""
    lines = text.split("\n")
    for _ in range(rnd.randint(1, 3)):
        op = rnd.randrange(5)
        i = rnd.randrange(len(lines))
        if op == 0:
            del lines[i]
            if not lines:
                lines = [""]
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


def sample_case(seed: int, rnd: random.Random) -> Case:
    """The QEMU samples with one of them mutated; the system's relative #include of the board
    made absolute so that it works from the case directory."""
    system = (REPO / SAMPLE_SYSTEM).read_text().replace('"../boards/', f'"{REPO}/dts/boards/')
    cells = [(Path(p).name, (REPO / p).read_text()) for p in SAMPLE_CELLS]
    return mutated_case(Case(seed, "sample", ("system.dts", system), cells), rnd, "sample-mutated")


def mutated_case(case: Case, rnd: random.Random, kind: str = "gen-mutated") -> Case:
    """One file of the case (system or a cell) mutated."""
    files = [case.system] + case.cells
    k = rnd.randrange(len(files))
    name, text = files[k]
    files[k] = (name, mutate_text(text, rnd))
    return Case(case.seed, kind, files[0], files[1:], case.kconfig, case.wildness, case.notes + [f"mutated {name}"])


# ------------------------------------------------------------------ blobs

def reseal(b: bytearray) -> None:
    """Recompute the CRC (zlib's crc32 with the field zero), so that the checks behind it run."""
    if len(b) < 16:
        return
    struct.pack_into("<I", b, CRC_OFFSET, 0)
    struct.pack_into("<I", b, CRC_OFFSET, zlib.crc32(bytes(b)) & 0xFFFF_FFFF)


_BOUNDARY = [0, 1, 2, 7, 8, 0x1000, 0xFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 1 << 32, (1 << 40) - 0x1000,
             1 << 40, (1 << 63), (1 << 64) - 1, (1 << 64) - 0x1000]


def _field_edit(b: bytearray, rnd: random.Random) -> None:
    """An aligned u32 or u64 set to a boundary value or nudged: counts, offsets, addresses, flags."""
    width = rnd.choice([4, 8])
    pos = rnd.randrange(0, max(len(b) - width, 1)) // width * width
    if pos + width > len(b):
        return
    fmt = "<I" if width == 4 else "<Q"
    mask = (1 << (8 * width)) - 1
    old = struct.unpack_from(fmt, b, pos)[0]
    new = rnd.choice([rnd.choice(_BOUNDARY), old + rnd.choice([-1, 1, 0x1000, -0x1000]),
                      old ^ (1 << rnd.randrange(8 * width))])
    struct.pack_into(fmt, b, pos, new & mask)


def mutate_blob(data: bytes, rnd: random.Random) -> bytes:
    """Byte flips, field edits, truncation or extension; CRC resealed two times in three."""
    b = bytearray(data)
    op = rnd.randrange(10)
    if op < 4:
        for _ in range(rnd.randint(1, 4)):
            # mostly the headers, where counts, offsets and flags live
            pos = rnd.randrange(min(len(b), 400)) if rnd.random() < 0.7 else rnd.randrange(len(b))
            b[pos] = rnd.randrange(256)
    elif op < 8:
        for _ in range(rnd.randint(1, 2)):
            _field_edit(b, rnd)
    elif op == 8:
        b = b[:rnd.randrange(len(b))]
        if len(b) >= 12 and rnd.random() < 0.5:
            struct.pack_into("<I", b, SIZE_OFFSET, len(b))
    else:
        b += bytes(rnd.choice([8, 24, 32, 4096]))
        if rnd.random() < 0.5:
            struct.pack_into("<I", b, SIZE_OFFSET, len(b))
    if rnd.random() < 0.67:
        reseal(b)
    return bytes(b)
