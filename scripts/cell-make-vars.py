#!/usr/bin/python3
"""Print the make variables an inmate build needs from a compiled cell blob, so inmates link at
the addresses their cell's .dtso gives and never at constants kept by hand:
    <cell>_INMATE_BASE   guest address of the cell's first loadable region
    <cell>_INMATE_SIZE   its size (the link checks that the image fits)
    <cell>_COMM_REGION   guest address of the comm region
    <cell>_CPUS          how many CPUs the cell has (the image gets one stack each)
    <cell>_RESET_ADDRESS where the cell's first CPU starts (x86: real mode, below 1 MiB)
    <cell>_ARCH          the blob's architecture (arm64, x86)
With --name NAME the variables are NAME_INMATE_BASE... instead (the SDK's inmate.mk uses one
fixed name). The same script is installed with the inmate SDK (lib/jailhouse/inmate/), next to
the installed configgen (lib/jailhouse/configgen).
usage: cell-make-vars.py [--name NAME] CELL.cell"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    from configgen import abi, blob  # noqa: E402
except ImportError as err:
    print(f"cell-make-vars: error: configgen is not installed next to this script "
          f"({Path(__file__).resolve().parents[1]}) nor on PYTHONPATH: {err}", file=sys.stderr)
    print("hint: `make install` installs it; or set PYTHONPATH to a jailhouse source tree",
          file=sys.stderr)
    sys.exit(2)


def make_vars(parsed: "blob.Parsed", name: str | None = None) -> list[str]:
    name = name or parsed.cell.name
    lines = []
    loadable = [r for r in parsed.cell.regions if r["flags"] & abi.MEM_LOADABLE]
    if loadable:
        first = min(loadable, key=lambda r: r["guest_start"])
        lines.append(f"{name}_INMATE_BASE := {first['guest_start']:#x}")
        lines.append(f"{name}_INMATE_SIZE := {first['size']:#x}")
    comm = [r for r in parsed.cell.regions if r["flags"] & abi.MEM_COMM_REGION]
    if comm:
        lines.append(f"{name}_COMM_REGION := {comm[0]['guest_start']:#x}")
    if parsed.cell.cpus:
        lines.append(f"{name}_CPUS := {len(parsed.cell.cpus)}")
    lines.append(f"{name}_RESET_ADDRESS := {parsed.cell.desc['cpu_reset_address']:#x}")
    lines.append(f"{name}_ARCH := {parsed.arch.name}")
    return lines


def parse_args(argv: list[str]) -> tuple[str | None, str] | None:
    if len(argv) == 2 and not argv[1].startswith("-"):
        return None, argv[1]
    if len(argv) == 4 and argv[1] == "--name" and argv[2].isidentifier():
        return argv[2], argv[3]
    return None


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args is None:
        print(__doc__.split("\n")[-1], file=sys.stderr)
        return 2
    name, path = args
    try:
        parsed = blob.parse(Path(path).read_bytes())
    except (OSError, blob.BlobError) as err:
        print(f"{path}: error: {getattr(err, 'strerror', None) or err}", file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - a corrupt blob must give one line, not a traceback
        print(f"{path}: error: not a readable cell blob ({err})", file=sys.stderr)
        return 1
    if parsed.kind != "cell":
        print(f"{path}: error: not a cell blob (a {parsed.kind} configuration)", file=sys.stderr)
        print("hint: give the compiled cell (.cell) the inmate runs in", file=sys.stderr)
        return 1
    lines = make_vars(parsed, name)
    if not any("_INMATE_BASE" in line for line in lines):
        print(f"{path}: error: cell \"{parsed.cell.name}\" has no loadable memory region: "
              "nothing to link an inmate to", file=sys.stderr)
        return 1
    print(f"# generated from {path} by cell-make-vars.py")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
