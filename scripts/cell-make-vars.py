#!/usr/bin/python3
"""Print the make variables an inmate build needs from a compiled cell blob, so inmates link at
the addresses their cell's .dtso gives and never at constants kept by hand:
    <cell>_INMATE_BASE   guest address of the cell's first loadable region
    <cell>_INMATE_SIZE   its size (the link checks that the image fits)
    <cell>_COMM_REGION   guest address of the comm region
    <cell>_RESET_ADDRESS where the cell's first CPU starts (x86: real mode, below 1 MiB)
    <cell>_ARCH          the blob's architecture (arm64, x86)
usage: cell-make-vars.py CELL.cell"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from configgen import abi, blob  # noqa: E402


def make_vars(parsed: blob.Parsed) -> list[str]:
    name = parsed.cell.name
    lines = []
    loadable = [r for r in parsed.cell.regions if r["flags"] & abi.MEM_LOADABLE]
    if loadable:
        first = min(loadable, key=lambda r: r["guest_start"])
        lines.append(f"{name}_INMATE_BASE := {first['guest_start']:#x}")
        lines.append(f"{name}_INMATE_SIZE := {first['size']:#x}")
    comm = [r for r in parsed.cell.regions if r["flags"] & abi.MEM_COMM_REGION]
    if comm:
        lines.append(f"{name}_COMM_REGION := {comm[0]['guest_start']:#x}")
    lines.append(f"{name}_RESET_ADDRESS := {parsed.cell.desc['cpu_reset_address']:#x}")
    lines.append(f"{name}_ARCH := {parsed.arch.name}")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n")[-1], file=sys.stderr)
        return 2
    try:
        parsed = blob.parse(Path(argv[1]).read_bytes())
    except (OSError, blob.BlobError) as err:
        print(f"{argv[1]}: error: {err}", file=sys.stderr)
        return 1
    if parsed.kind != "cell":
        print(f"{argv[1]}: error: not a cell blob", file=sys.stderr)
        return 1
    print(f"# generated from {argv[1]} by scripts/cell-make-vars.py")
    print("\n".join(make_vars(parsed)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
