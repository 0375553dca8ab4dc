"""Command line: check, compile, dump, decompile.  Exit status 0 valid, 1 invalid, 2 usage/I/O."""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from typing import Optional, Sequence

from configgen import bindings as bnd
from configgen import arch, blob, frontend, guestdt, inputs, memmap, outputs, overlay, rootdtb, show, validator
from configgen import abi, sets
from configgen.diag import Diagnostic, InputError, Invalid, Report
from configgen.kconfig import load_limits
from configgen.model import Cell, System
from configgen.rules.pool import ROOT_RAM_MIN

EPILOG = """\
commands:
  check SYSTEM.dts [CELL.dtso ...]
      Check the whole partitioning: the system and every cell given, together.
  check SYSTEM.dts --sets SETS
      Check each cell set of the file SETS (lines `NAME: CELL ...`, cells that run together)
      as one partitioning; cells in different sets are alternatives.
  compile SYSTEM.dts -o SYSTEM.cfg [--root-dtb ROOT.dtb] [--cells CELL.dtso ...]
      System blob; with --root-dtb also the DTB root Linux boots with (board + reserved-memory
      no-map for the hypervisor and the memory of every cell given with --cells). The cells are
      checked together with the system. --sets SETS instead of --cells: each set checked on
      its own, the root DTB reserving the cells of every set.
      x86: --root-cmdline FILE instead writes root Linux's kernel parameters
      (memmap=SIZE$ADDR for the hypervisor, the cell pool and the cells' RAM).
  compile SYSTEM.dts CELL.dtso -o CELL.cfg [--cells OTHER.dtso ... | --sets SETS]
      Cell blob, checked against its system (and against the other cells given, or with the
      cells of each set it is in).
  dump BLOB
      Readable listing of a system or cell blob.
  decompile BLOB [-o OUT.dts]
      .dts (system) or .dtso (cell) that compiles back to the identical blob.
  guest-dt SYSTEM.dts CELL.dtso -o OUT.dtb [--cells OTHER.dtso ... | --sets SETS]
      The device tree an OS inside the cell boots with: its CPUs (PSCI), memory, devices and
      interrupts, the GIC and the timer, in guest-physical terms (see docs/configgen.md).
  map SYSTEM.dts [CELL.dtso ...] [-o MAP.svg]
      The physical memory map, one lane per cell, with CPUs and interrupts; text on the
      terminal, SVG with -o.
  import JAILHOUSE.cell... [-o OUT.dts|OUT.dtso|DIR] [--board BOARD.dts] [--strict]
      Jailhouse configurations (revisions 12-14, arm64 and x86) to a system .dts and cell
      .dtso sources that pass check; every change is a warning (an error with --strict).
  create [--root DIR] -o SYSTEM.dts [--hypervisor-size SIZE] [--cell-size SIZE]
      A system description for the running machine (or a snapshot of one under DIR; x86:
      the ACPI tables, /proc/iomem, /proc/ioports and sysfs PCI files configgen/collect.sh copies).

exit status: 0 valid, 1 invalid (errors, or warnings with -Werror), 2 usage or I/O error.
example (from the repository root):
  python3 -m configgen compile dts/qemu-arm64/system.dts -o build/system.cfg \\
      --root-dtb build/root.dtb --cells dts/qemu-arm64/gic-demo.dtso dts/qemu-arm64/smp-demo.dtso
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2 without a traceback
        self.print_usage(sys.stderr)
        print(f"configgen: error: {message}", file=sys.stderr)
        sys.exit(2)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--kconfig", metavar="FILE",
                        help="Kconfig .config with CONFIG_MAX_CPUS/CONFIG_MAX_CELLS (default: the "
                             "installed hypervisor's, PREFIX/lib/jailhouse/jailhouse.config, else "
                             "./.config, else ./Kconfig defaults, else 8/8)")
    common.add_argument("-I", dest="includes", action="append", default=[], metavar="DIR",
                        help="extra cpp include directory (dts/include is always searched)")
    common.add_argument("--bindings", metavar="DIR", help="YAML bindings directory (default docs/bindings)")
    common.add_argument("--arch", metavar="NAME", choices=arch.names(),
                        help="architecture profile (default: the board's compatible selects it; "
                             f"known: {', '.join(arch.names())})")
    common.add_argument("-Werror", dest="werror", action="store_true", help="treat warnings as errors")
    p = _Parser(prog="python3 -m configgen", description="Device-tree cell descriptions compiled into validated "
                "binary configurations for the hypervisor.", epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", metavar="{check,compile,dump,decompile,guest-dt,map,import,create}", parser_class=_Parser)
    c = sub.add_parser("check", parents=[common], help="check a system and its cells")
    c.add_argument("system")
    c.add_argument("cells", nargs="*")
    c.add_argument("--sets", metavar="SETS", help="check each cell set of this file on its own")
    c = sub.add_parser("compile", parents=[common], help="compile a system or a cell blob")
    c.add_argument("system")
    c.add_argument("cell", nargs="?")
    c.add_argument("-o", "--output", required=True, metavar="OUT")
    c.add_argument("--root-dtb", metavar="DTB", help="system only: also write the root Linux DTB")
    c.add_argument("--root-cmdline", metavar="FILE",
                   help="system only (x86): also write root Linux's kernel parameters (memmap= for the "
                        "hypervisor, the cell pool and the cells' RAM)")
    c.add_argument("--cells", nargs="+", default=[], metavar="CELL.dtso",
                   help="further cells checked with it (and reserved in --root-dtb)")
    c.add_argument("--sets", metavar="SETS",
                   help="check each cell set of this file on its own (a cell: each set it is in); "
                        "--root-dtb/--root-cmdline reserve the cells of every set")
    c = sub.add_parser("dump", help="readable listing of a blob")
    c.add_argument("blob")
    c = sub.add_parser("decompile", help="blob back to .dts/.dtso")
    c.add_argument("blob")
    c.add_argument("-o", "--output", metavar="OUT")
    c = sub.add_parser("guest-dt", parents=[common], help="device tree for the OS inside a cell")
    c.add_argument("system")
    c.add_argument("cell")
    c.add_argument("-o", "--output", required=True, metavar="OUT.dtb")
    c.add_argument("--cells", nargs="+", default=[], metavar="CELL.dtso", help="further cells checked with it")
    c.add_argument("--sets", metavar="SETS",
                   help="check the cell with the cells of each set of this file it is in")
    c = sub.add_parser("map", parents=[common], help="memory map, CPUs and interrupts of a partitioning")
    c.add_argument("system")
    c.add_argument("cells", nargs="*")
    c.add_argument("-o", "--output", metavar="MAP.svg", help="write an SVG picture (default: text on stdout)")
    c = sub.add_parser("import", help="Jailhouse .cell files (revisions 12-14, arm64/x86) to .dts/.dtso")
    c.add_argument("jailhouse", nargs="+", metavar="JAILHOUSE.cell",
                   help="a system, a cell, or a system with its cells (then -o DIR)")
    c.add_argument("-o", "--output", metavar="OUT", help="default: stdout; a directory for several inputs")
    c.add_argument("--mem", metavar="SIZE",
                   help="system: as upstream's mem= kernel parameter: root Linux keeps the first SIZE of RAM, the "
                        "root's RAM above it becomes the cell pool (for cells imported later)")
    c.add_argument("--strict", action="store_true",
                   help="every change the import makes (clipped CPUs, windows turned into devices...) is an error")
    c.add_argument("--board", metavar="BOARD.dts",
                   help="system import: the board .dts to #include; cell import: the board or system .dts "
                        "whose labelled nodes the cell's CPUs, devices and console are tied to")
    c = sub.add_parser("create", help="system .dts for this machine or a snapshot of one")
    c.add_argument("--root", default="/", metavar="DIR|FILE.tar",
                   help="a snapshot (jailhouse config collect: a directory or a tar archive): read DIR/sys/firmware/fdt (or DIR/proc/device-tree), DIR/proc/iomem and "
                        "DIR/sys/devices/system/cpu/online instead of the running system's (x86: also the "
                        "ACPI tables, DIR/proc/ioports and the PCI functions in sysfs)")
    c.add_argument("-o", "--output", required=True, metavar="SYSTEM.dts")
    c.add_argument("--hypervisor-size", default="8M", metavar="SIZE", help="hypervisor memory (default 8M)")
    c.add_argument("--cell-size", default="120M", metavar="SIZE",
                   help="memory pool for non-root cells, carved below the hypervisor (default 120M; 0: none)")
    c.add_argument("--hypervisor-address", metavar="ADDR",
                   help="x86: put the hypervisor at ADDR and the cell pool right above it (default: carved from "
                        "the top of the highest RAM range, the pool below it)")
    c.add_argument("--gic-lines", type=int, default=0, metavar="N",
                   help="INTIDs the GIC implements (default: from the device tree's interrupts, rounded up)")
    c.add_argument("--arch", metavar="NAME", choices=arch.names(),
                   help="architecture profile (default: the machine's compatible selects it)")
    return p


def _write(path: str, data: bytes) -> None:
    outputs.write_atomic(path, data)


def _parse_blob(data: bytes, path: str) -> blob.Parsed:
    try:
        return blob.parse(data)
    except (blob.BlobError, ValueError) as e:
        raise blob.BlobError(f"{path}: {e}") from None


def _check_like(args: argparse.Namespace, cells: list[str],
                collect: Optional[list[Diagnostic]] = None
                ) -> tuple[int, Optional[frontend.Loaded]]:
    """Load and check the system with `cells`; print the diagnostics, or add them to `collect`."""
    limits = args.limits = load_limits(args.kconfig)
    b = bnd.load(args.bindings)
    loaded = frontend.load(args.system, cells, args.includes, b, limits, args.arch)
    outputs.refuse_clobber(outputs.outputs_of(args), (f for src in loaded.sources
                                                      for f in outputs.included_files(src.dts_text)))
    rep = Report(loaded.diags)
    if collect is not None:
        collect.extend(loaded.diags)
        return (1 if rep.errors(args.werror) else 0), loaded
    return _print_report(rep, args.werror), loaded


def _print_report(rep: Report, werror: bool) -> int:
    rep.print(sys.stderr, werror)
    nerr, nwarn = rep.errors(werror), rep.warnings()
    if nerr or nwarn:
        print(f"configgen: {nerr} error(s), {nwarn} warning(s)", file=sys.stderr)
    return 1 if nerr else 0


def _blobs_refused(sysm: System, max_cpus: int) -> bool:
    """Build every blob of the partitioning and run the hypervisor's validator on each, so that
    `check` accepts exactly what `compile` would write."""
    sysblob = blob.build_system(sysm)
    diag = validator.emitted(sysm, sysblob, max_cpus)
    for cell in sysm.cells:
        if diag is not None:
            break
        diag = validator.emitted(sysm, sysblob, max_cpus, cell, blob.build_cell(cell, sysm, sysblob))
    return _refused_emitted(diag)


def _check_sets(args: argparse.Namespace, cell: Optional[str] = None
                ) -> tuple[int, list[frontend.Loaded]]:
    """Each set of --sets (with `cell`: each set holding it) checked as one partitioning, as
    `check` checks its cells: 1 if any is not sound, naming it; the loads of the sound sets. The
    diagnostics the sets share are printed once."""
    if args.cells:
        raise InputError("--sets and cells on the command line exclude each other",
                         "name the cells in the sets file, or check them without --sets")
    chosen = sets.load(args.sets)
    if cell is not None:
        chosen = [s for s in chosen if any(outputs.same_file(c, cell) for c in s.cells)]
        if not chosen:
            raise InputError(f"{cell} is in no set of {args.sets}",
                             "add it to the set(s) it runs in")
    rc, loads, diags, lines = 0, [], [], []
    for s in chosen:
        per_set: list[Diagnostic] = []
        src, loaded = _check_like(args, list(s.cells), per_set)
        if not src and loaded and loaded.sysm and _blobs_refused(loaded.sysm, args.limits.max_cpus):
            src = 1
        diags.append((s, per_set))
        if src or not loaded or not loaded.sysm:
            lines.append(f"{s.loc}: error: [set] set '{s.name}' ({' '.join(_names(s))}) "
                         "is not sound: see above")
            rc = 1
            continue
        loads.append(loaded)
        names = ", ".join(c.name for c in loaded.sysm.cells)
        lines.append(f"{s.loc}: set '{s.name}': ok: {names}" if args.cmd == "check" else "")
    _print_per_set(diags, lines, sets.shared_unused_filtered(diags, cell), args.werror)
    return rc, loads


def _print_per_set(diags: list[tuple[sets.CellSet, list[Diagnostic]]], lines: list[str],
                   keep: list[Diagnostic], werror: bool) -> None:
    """Each set's diagnostics (those no earlier set printed) followed by its verdict line, then
    the count of all."""
    kept, printed, total = set(keep), set(), Report()
    for (_, per_set), line in zip(diags, lines):
        mine = [d for d in per_set if d in kept and d not in printed]
        printed.update(mine)
        Report(mine).print(sys.stderr, werror)
        total.extend(mine)
        if line:
            print(line, file=sys.stderr if ": error: " in line else sys.stdout, flush=True)
    nerr, nwarn = total.errors(werror), total.warnings()
    if nerr or nwarn:
        print(f"configgen: {nerr} error(s), {nwarn} warning(s)", file=sys.stderr)


def _names(s: sets.CellSet) -> list[str]:
    return [os.path.basename(c) for c in s.cells]


def _all_sets(loads: list[frontend.Loaded]) -> System:
    """The system of the first set with the cells of every set (each once): what the root DTB and
    the root's command line reserve. The system blob does not depend on the cells."""
    first = loads[0].sysm
    assert first is not None
    cells: dict[str, Cell] = {}
    for loaded in loads:
        assert loaded.sysm is not None
        for c in loaded.sysm.cells:
            cells.setdefault(os.path.realpath(loaded.cell_paths.get(c.name, c.name)), c)
    return dataclasses.replace(first, cells=list(cells.values()))


def cmd_check(args: argparse.Namespace) -> int:
    if args.sets:
        return _check_sets(args)[0]
    rc, loaded = _check_like(args, args.cells)
    if rc == 0 and loaded and loaded.sysm and _blobs_refused(loaded.sysm, args.limits.max_cpus):
        return 1
    if rc == 0 and loaded and loaded.sysm:
        s = loaded.sysm
        print(f"{args.system}: ok: {len(s.cpus)} CPUs, root cell '{s.root.name}', "
              f"{len(s.cells)} cell(s){': ' if s.cells else ''}{', '.join(c.name for c in s.cells)}")
    return rc


def cmd_compile(args: argparse.Namespace) -> int:
    if args.cell and (args.root_dtb or args.root_cmdline):
        raise InputError("--root-dtb and --root-cmdline belong to the system compile (give the cells with --cells)")
    cells = ([args.cell] if args.cell else []) + [c for c in args.cells if c != args.cell]
    loads: list[frontend.Loaded] = []
    if args.sets:
        rc, loads = _check_sets(args, args.cell)
        loaded = loads[0] if loads and not rc else None
    else:
        rc, loaded = _check_like(args, cells)
    if rc or not loaded or not loaded.sysm or not loaded.system_src or not loaded.system_tree:
        return rc or 1
    sysm = loaded.sysm
    reserve = _all_sets(loads) if args.sets else sysm
    sysblob = blob.build_system(sysm)
    if args.cell:
        cell = next(c for c in sysm.cells if loaded.cell_paths.get(c.name) and
                    os.path.samefile(loaded.cell_paths[c.name], args.cell)) if sysm.cells else None
        if cell is None:
            return 1
        cellblob = blob.build_cell(cell, sysm, sysblob)
        if _refused_emitted(validator.emitted(sysm, sysblob, args.limits.max_cpus, cell, cellblob)):
            return 1
        _write(args.output, cellblob)
    else:
        if _refused_emitted(validator.emitted(sysm, sysblob, args.limits.max_cpus)):
            return 1
        _write(args.output, sysblob)
        if args.root_dtb and getattr(sysm.arch, "port_io", False):
            raise InputError(f"--root-dtb: {sysm.arch.name} root Linux boots without a device tree",
                             "write its kernel parameters with --root-cmdline FILE instead")
        if args.root_cmdline:
            from configgen import rootcmdline
            _write(args.root_cmdline, rootcmdline.build(reserve).encode())
        if args.root_dtb:
            hyp = overlay.find_hypervisor(loaded.system_tree)
            assert hyp is not None
            _write(args.root_dtb, rootdtb.build(loaded.system_src.dtb, reserve, hyp.path))
    return 0


def _loaded_cell(args: argparse.Namespace) -> tuple[int, Optional[frontend.Loaded], Optional[Cell]]:
    if args.sets:
        rc, loads = _check_sets(args, args.cell)
        loaded = loads[0] if loads and not rc else None
    else:
        rc, loaded = _check_like(args, [args.cell] + [c for c in args.cells if c != args.cell])
    if rc or not loaded or not loaded.sysm or not loaded.system_tree:
        return rc or 1, None, None
    for c in loaded.sysm.cells:
        path = loaded.cell_paths.get(c.name)
        if path and os.path.samefile(path, args.cell):
            return 0, loaded, c
    return 1, None, None


def cmd_guest_dt(args: argparse.Namespace) -> int:
    rc, loaded, cell = _loaded_cell(args)
    if rc or loaded is None or cell is None or loaded.sysm is None or loaded.system_tree is None:
        return rc or 1
    if getattr(loaded.sysm.arch, "port_io", False):
        raise InputError(f"guest-dt: {loaded.sysm.arch.name} cells start in real mode without a device tree",
                         "the cell's blob (and cell-make-vars) describe it")
    _write(args.output, guestdt.build_dtb(loaded.sysm, cell, loaded.system_tree))
    return 0


def cmd_map(args: argparse.Namespace) -> int:
    rc, loaded = _check_like(args, args.cells)
    if not loaded or not loaded.sysm:
        return rc or 1
    m = memmap.build(loaded.sysm, loaded.diags)
    if args.output:
        _write(args.output, memmap.svg(m).encode("utf-8", "replace"))  # a file name may not be UTF-8
    else:
        sys.stdout.write(memmap.text(m))
    return rc


def cmd_import(args: argparse.Namespace) -> int:
    from configgen import jhimport
    from configgen.jhformat import JhError
    datas = [_read_file(p) for p in args.jailhouse]
    if args.board and not os.path.exists(args.board):
        raise InputError(f"cannot read {args.board}: no such file")
    if len(datas) == 1 and int.from_bytes(datas[0][:4], "little") in (abi.SIGNATURE_SYSTEM, abi.SIGNATURE_CELL):
        return _import_own(datas[0], args.jailhouse[0], args.output)
    if len(datas) > 1 and args.output and os.path.exists(args.output) and not os.path.isdir(args.output):
        raise InputError(f"{args.output}: not a directory (several configurations are written to -o DIR)")
    try:
        from configgen.create import parse_size
        mem = parse_size(args.mem, "--mem") if args.mem is not None else None
        if mem is not None and mem < ROOT_RAM_MIN:
            raise InputError(f"--mem {args.mem}: root Linux would keep less than {ROOT_RAM_MIN >> 20} MiB of RAM",
                             "give what upstream's mem= gave, e.g. --mem 768M")
        res = jhimport.convert(args.jailhouse, datas, args.board, args.output, mem)
    except JhError as e:
        text = str(e)
        print(text if ": error: " in text.split("\n", 1)[0] else f"{args.jailhouse[0]}: error: {text}",
              file=sys.stderr)
        return 1
    m = res.msgs
    for n in m.notes:
        print(n, file=sys.stderr)
    for w in m.changes:
        if args.strict:
            print(w.replace(": warning: ", ": error: [import-strict] ", 1), file=sys.stderr)
            print("    hint: without --strict the import makes this change and says so", file=sys.stderr)
        else:
            print(w.replace(": warning: ", ": warning: [import-change] ", 1), file=sys.stderr)
            print("    hint: the source is written with this change; --strict refuses it instead", file=sys.stderr)
    for d in m.decide:
        text, _, hint = d.partition("\n")
        file, _, what = text.partition(": ")
        print(f"{file}: error: [import-decide] {what}", file=sys.stderr)
        print(f"    hint: {hint or 'edit the Jailhouse configuration (or give --board) and import again'}",
              file=sys.stderr)
    if m.decide or (args.strict and m.changes):
        n = len(m.decide) + (len(m.changes) if args.strict else 0)
        print(f"configgen import: {n} error(s): nothing written"
              + (" (the list above is what you must decide)" if m.decide else ""), file=sys.stderr)
        return 1
    if args.output and any(p and os.path.dirname(p) == args.output for p, _ in res.outputs):
        os.makedirs(args.output, exist_ok=True)
    for path, text in res.outputs:
        if path:
            _write(path, text.encode())
        else:
            sys.stdout.write(text)
    return _check_imported(res.outputs, args.board)


def _check_imported(outs: list[tuple[Optional[str], str]], board: Optional[str]) -> int:
    """`configgen check` of what import wrote: its errors are what the user must still decide."""
    import contextlib
    import io
    files = [p for p, _ in outs if p]
    system = next((p for p in files if p.endswith(".dts")), None)
    if system is None and board and len(files) == 1 and "hv,hypervisor" in _text_of(board):
        system = board
    if system is None or len(files) < len(outs):
        return 0
    cells = [p for p in files if p != system]
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main(["check", system, *cells])
    if rc == 0:
        return 0
    lines = [ln for ln in err.getvalue().splitlines() if not ln.startswith("configgen: ")]
    for ln in lines:
        print(ln, file=sys.stderr)
    n = sum(": error: " in ln for ln in lines)
    print(f"configgen import: written, but `configgen check` finds {n} problem(s) the importer cannot "
          "decide (listed above): edit the sources", file=sys.stderr)
    return 1


def _text_of(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(1 << 20)
    except OSError:
        return ""


def _import_own(data: bytes, path: str, output: Optional[str]) -> int:
    """One of configgen's own blobs: checked like any blob configgen reads, then decompiled."""
    text_ = _decompiled(data, path)
    if text_ is None:
        return 1
    print(f"{path}: note: a configgen blob, not a Jailhouse configuration: decompiled "
          "(as `configgen decompile` does; --board is not used)", file=sys.stderr)
    if output:
        _write(output, text_.encode())
    else:
        sys.stdout.write(text_)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    from configgen import create
    text, notes = create.generate(args.root, create.parse_size(args.hypervisor_size, "--hypervisor-size"),
                                  create.parse_size(args.cell_size, "--cell-size"), args.gic_lines, args.arch,
                                  create.parse_size(args.hypervisor_address, "--hypervisor-address")
                                  if args.hypervisor_address else None)
    for n in notes:
        print(n, file=sys.stderr)
    _write(args.output, text.encode())
    return 0


def _read_file(path: str) -> bytes:
    return inputs.read_bounded(path, "blob", inputs.BLOB_LIMIT)


def _refused_emitted(diag: Optional[Diagnostic]) -> bool:
    """The hypervisor's validator refused a blob configgen made: report it (a configgen bug)."""
    if diag is None:
        return False
    Report([diag]).print(sys.stderr)
    print("configgen: 1 error(s), 0 warning(s)", file=sys.stderr)
    return True


def _refused(path: str, refusal: validator.Refusal) -> int:
    print(f"configgen: error: {path}: the hypervisor would refuse this blob: {refusal}", file=sys.stderr)
    return 1


def cmd_dump(args: argparse.Namespace) -> int:
    """What can be read is listed even for a refused blob; the exit status says refused."""
    data = _read_file(args.blob)
    refusal = validator.check_blob(data)
    try:
        sys.stdout.write(show.dump(_parse_blob(data, args.blob), args.blob))
    except blob.BlobError:
        if refusal is None:
            raise
    return _refused(args.blob, refusal) if refusal else 0


def _decompiled(data: bytes, path: str) -> Optional[str]:
    refusal = validator.check_blob(data)
    if refusal:
        _refused(path, refusal)
        return None
    try:
        return show.decompile(_parse_blob(data, path))
    except show.NotRepresentable as e:
        raise blob.BlobError(f"{path}: cannot be decompiled: {e}") from None


def cmd_decompile(args: argparse.Namespace) -> int:
    text = _decompiled(_read_file(args.blob), args.blob)
    if text is None:
        return 1
    if args.output:
        _write(args.output, text.encode())
    else:
        sys.stdout.write(text)
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.cmd:
        parser.print_help(sys.stderr)
        return 2
    try:
        to_dir = args.cmd == "import" and (len(args.jailhouse) > 1 or bool(args.output and os.path.isdir(args.output)))
        if not to_dir:  # import -o DIR: one source per input in DIR, cmd_import checks
            ins = outputs.explicit_inputs(args, bnd.DEFAULT_DIR) + (args.jailhouse if args.cmd == "import" else [])
            outputs.refuse_clobber(outputs.outputs_of(args), ins)
        return {"check": cmd_check, "compile": cmd_compile, "dump": cmd_dump, "decompile": cmd_decompile,
                "guest-dt": cmd_guest_dt, "map": cmd_map, "import": cmd_import,
                "create": cmd_create}[args.cmd](args)
    except InputError as e:
        e.print(sys.stderr)
        return 2
    except Invalid as e:  # Kconfig values, binding files: diagnostics, exit 1
        rep = Report(e.diags)
        rep.print(sys.stderr)
        print(f"configgen: {rep.errors()} error(s), {rep.warnings()} warning(s)", file=sys.stderr)
        return 1
    except blob.BlobError as e:
        print(f"configgen: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 2
    except Exception as e:  # last line of defence: a bug must not show users a traceback
        if os.environ.get("CONFIGGEN_DEBUG"):
            raise
        print(f"configgen: internal error: {type(e).__name__}: {e} (please report)", file=sys.stderr)
        return 2
