"""import of broken Jailhouse blobs: upstream-shaped blobs (jhupstream.py) of revisions 12-14 with
one thing wrong each (truncated anywhere, counts that lie or overflow, CPU sets of 0 or 4 GiB,
revisions and architectures that do not exist, regions that overlap, wrap or are empty, ivshmem
devices pointing past the regions). Every case must end in exit 1 with `FILE: error:` lines (or,
where the blob is still a well-formed configuration, an output that `configgen check` judges), in
well under a second, and never a traceback, an "internal error" or a MemoryError."""
from __future__ import annotations

import struct
import time
from pathlib import Path
from typing import Callable

import pytest

import jhupstream as up
from fuzzlib import basic_problems, cli

BOARD = "dts/boards/qemu-arm64-virt.dts"
U32_MAX = 0xffffffff


def _sys(rev: int = 14) -> bytes:
    return up.system_blob(up.qemu_system(), rev)


def _cell(rev: int = 14) -> bytes:
    return up.cell_blob(up.qemu_inmate(), rev)


def _patch(buf: bytes, off: int, fmt: str, *vals: int) -> bytes:
    b = bytearray(buf)
    struct.pack_into(fmt, b, off, *vals)
    return bytes(b)


def _root_count(rev: int, name: str, value: int) -> bytes:
    return _patch(_sys(rev), up.root_offset(rev) + up.count_offset(name), "<I", value)


def _cell_count(rev: int, name: str, value: int) -> bytes:
    return _patch(_cell(rev), up.count_offset(name), "<I", value)


def _with_root(rev: int = 14, **change) -> bytes:
    """The system with root fields replaced; a new region list drops the ivshmem devices that
    pointed into the old one, so that the mutation tests what it names."""
    s = up.qemu_system()
    if "memory" in change:
        s.root.pci = []
    for k, v in change.items():
        setattr(s.root, k, v)
    return up.system_blob(s, rev)


def _with_sys(rev: int = 14, **change) -> bytes:
    s = up.qemu_system()
    for k, v in change.items():
        setattr(s, k, v)
    return up.system_blob(s, rev)


def _with_cell(rev: int = 14, **change) -> bytes:
    c = up.qemu_inmate()
    for k, v in change.items():
        setattr(c, k, v)
    return up.cell_blob(c, rev)


RAM = (0x40000000, 0x40000000, 0x3fa10000, up.R | up.W | up.X)
MMIO = (0x09000000, 0x09000000, 0x37000000, up.R | up.W | up.IO)

# name -> (blob maker, verdict).  REFUSE: not a readable configuration, import exits 1 with an error
# line.  INVALID: readable but wrong; import refuses it or writes sources that `configgen check`
# refuses.  ANY: odd but possible; import may take it, and then check judges the output cleanly.
REFUSE, INVALID, ANY = "refuse", "invalid", "any"
CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty": (lambda: b"", REFUSE),
    "one-byte": (lambda: b"J", REFUSE),
    "signature-only": (lambda: b"JHSYS", REFUSE),
    "garbage": (lambda: bytes(range(256)) * 4, REFUSE),
    "elf-not-binary": (lambda: b"\x7fELF\x02\x01\x01" + bytes(600), REFUSE),
    "sys-rev-11": (lambda: _patch(_sys(14), 6, "<H", 11), REFUSE),
    "sys-rev-15": (lambda: _patch(_sys(14), 6, "<H", 15), REFUSE),
    "sys-rev-ffff": (lambda: _patch(_sys(14), 6, "<H", 0xffff), REFUSE),
    "sys-arch-arm": (lambda: _patch(_sys(14), 5, "<B", up.ARM), REFUSE),
    "sys-arch-ff": (lambda: _patch(_sys(14), 5, "<B", 0xff), REFUSE),
    "cell-arch-ff": (lambda: _patch(_cell(14), 5, "<B", 0xff), REFUSE),
    "cell-rev-13-with-rev14-signature": (lambda: _patch(_cell(14), 6, "<H", 13), REFUSE),
    "cell-rev-14-with-rev13-signature": (lambda: _patch(_cell(13), 6, "<H", 14), REFUSE),
    "sys-rev-12-signature-rev-14": (lambda: _patch(_sys(12), 6, "<H", 14), REFUSE),
    "cell-name-not-ascii": (lambda: _patch(_cell(14), 8, "<4s", b"\xff\xfe\x80x"), REFUSE),
    "root-cpu-set-size-huge": (lambda: _root_count(14, "cpu_set_size", U32_MAX), REFUSE),
    "root-memory-huge": (lambda: _root_count(14, "memory", U32_MAX), REFUSE),
    "root-memory-plus-one": (lambda: _root_count(14, "memory", 13), REFUSE),
    "root-irqchips-huge": (lambda: _root_count(14, "irqchips", 0x10000000), REFUSE),
    "root-pci-huge": (lambda: _root_count(14, "pci", 0x4000000), REFUSE),
    "root-caps-huge": (lambda: _root_count(14, "caps", U32_MAX), REFUSE),
    "root-sids-huge": (lambda: _root_count(14, "stream_ids", U32_MAX), REFUSE),
    "root-caches-huge": (lambda: _root_count(14, "caches", U32_MAX), REFUSE),
    "root-pio-huge": (lambda: _root_count(14, "pio", U32_MAX), REFUSE),
    "r12-root-memory-huge": (lambda: _root_count(12, "memory", U32_MAX), REFUSE),
    "r13-root-memory-plus-one": (lambda: _root_count(13, "memory", 13), REFUSE),
    "cell-memory-huge": (lambda: _cell_count(14, "memory", U32_MAX), REFUSE),
    "cell-cpu-set-size-huge": (lambda: _cell_count(14, "cpu_set_size", 0x80000000), REFUSE),
    "cell-irqchips-plus-one": (lambda: _cell_count(14, "irqchips", 2), REFUSE),
    "r12-cell-pci-huge": (lambda: _cell_count(12, "pci", U32_MAX), REFUSE),
    "root-no-cpus": (lambda: _with_root(cpus=[]), INVALID),
    "root-cpu-set-size-0": (lambda: _with_root(cpu_set_size=0, cpus=[]), INVALID),
    "cell-no-cpus": (lambda: _with_cell(cpus=[]), INVALID),
    "cell-no-memory": (lambda: _with_cell(memory=[]), ANY),
    "hypervisor-size-0": (lambda: _with_sys(hyp=(0x7fc00000, 0)), INVALID),
    "hypervisor-wraps": (lambda: _with_sys(hyp=(0xffffffffffff0000, 0x100000)), INVALID),
    "hypervisor-in-root-ram": (lambda: _with_sys(hyp=(0x40000000, 0x400000)), INVALID),
    "region-size-0": (lambda: _with_root(memory=[(0x50000000, 0x50000000, 0, up.R), MMIO, RAM]), ANY),
    "region-wraps": (lambda: _with_root(memory=[(0xfffffffffffff000, 0xfffffffffffff000, 0x2000, up.R | up.W),
                                                MMIO, RAM]), INVALID),
    "region-guest-wraps": (lambda: _with_cell(memory=[(0x7fa00000, 0xfffffffffffff000, 0x2000,
                                                       up.R | up.W | up.LOADABLE)]), INVALID),
    "regions-overlap": (lambda: _with_root(memory=[MMIO, RAM, (0x41000000, 0x41000000, 0x1000000,
                                                               up.R | up.W)]), INVALID),
    "region-huge": (lambda: _with_root(memory=[MMIO, (0, 0, 1 << 63, up.R | up.W)]), INVALID),
    "region-no-access": (lambda: _with_root(memory=[MMIO, RAM, (0x7fb00000, 0x7fb00000, 0x1000, 0)]), ANY),
    "region-unknown-flags": (lambda: _with_root(memory=[MMIO, (*RAM[:3], RAM[3] | 0x7f000000)]), ANY),
    "ivshmem-start-past-regions": (lambda: _with_cell(pci=[up.Pci(up.PCI_IVSHMEM, 1, 0, 200, 0, 3, 0)]), INVALID),
    "ivshmem-start-huge": (lambda: _with_cell(pci=[up.Pci(up.PCI_IVSHMEM, 1, 0, U32_MAX, 0, 3, 0)]), INVALID),
    "ivshmem-peers-0": (lambda: _with_cell(pci=[up.Pci(up.PCI_IVSHMEM, 1, 0, 0, 0, 0, 0)]), INVALID),
    "ivshmem-peers-255": (lambda: _with_cell(pci=[up.Pci(up.PCI_IVSHMEM, 1, 0, 0, 0, 255, 0)]), INVALID),
    "ivshmem-dev-id-past-peers": (lambda: _with_cell(pci=[up.Pci(up.PCI_IVSHMEM, 1, 0, 0, 7, 3, 0)]), ANY),
    "root-ivshmem-regions-past-end": (lambda: _with_root(pci=[up.Pci(up.PCI_IVSHMEM, 1, 0, 10, 0, 3, 0)]), ANY),
    "pci-type-unknown": (lambda: _with_cell(pci=[up.Pci(0x7f, 1, 0)]), ANY),
    "irqchip-pin-base-huge": (lambda: _with_cell(irqchips=[(up.GIC, 0xfffffff0, [1, 0, 0, 0])]), INVALID),
    "irqchip-address-0": (lambda: _with_cell(irqchips=[(0, 32, [1, 0, 0, 0])]), ANY),
    "console-type-huge": (lambda: _with_cell(console=up.Console(0x09000000, 0x1000, 0xffff, 1)), ANY),
    "comm-region-twice": (lambda: _with_cell(memory=[(0x7fa00000, 0, 0x10000, up.R | up.W | up.LOADABLE),
                                                     (0, 0x80000000, 0x1000, up.R | up.W | up.COMM),
                                                     (0, 0x80001000, 0x1000, up.R | up.W | up.COMM)]), ANY),
}


@pytest.fixture(scope="module")
def system_blob(tmp_path_factory) -> Path:
    """The upstream-shaped system blob a mutated cell is imported with (one run, as a user does).
    It and the unmutated inmate must import and check cleanly, else an INVALID verdict (check
    refuses the mutated output) would prove nothing."""
    d = tmp_path_factory.mktemp("hostile-mut-system")
    (d / "up.cell").write_bytes(_sys(14))
    (d / "inmate.cell").write_bytes(_cell(14))
    run = cli("import", str(d / "up.cell"), str(d / "inmate.cell"), "--board", BOARD, "-o", str(d / "out") + "/")
    assert run.rc == 0, f"baseline: the unmutated system and inmate do not import:\n{run.err}"
    chk = cli("check", str(d / "out/up.dts"), str(d / "out/inmate.dtso"))
    assert chk.rc == 0, f"baseline: the imported unmutated system and inmate do not check:\n{chk.err}"
    return d / "up.cell"


def _judge(name: str, data: bytes, verdict: str, tmp: Path, kind: str, system: Path) -> None:
    src = tmp / f"{name}.cell"
    src.write_bytes(data)
    out = tmp / "out"
    if kind == "dts":
        argv = [str(src), "--board", BOARD]
    elif verdict == REFUSE:
        argv = [str(src)]
    else:
        argv = [str(system), str(src), "--board", BOARD]
    t0 = time.monotonic()
    if kind == "dtso" and verdict != REFUSE:  # system and cell together: -o DIR
        run = cli("import", *argv, "-o", str(out) + "/")
    else:  # one blob: -o names the file
        out.mkdir()
        run = cli("import", *argv, "-o", str(out / f"{name}.{kind}"))
    took = time.monotonic() - t0
    probs = basic_problems(run, allowed=(0, 1))
    assert not probs, "\n".join(probs)
    assert took < 10, f"{name}: import took {took:.1f} s"
    written = sorted(out.glob("*.dts*")) if out.is_dir() else []
    if verdict == REFUSE:
        assert run.rc == 1, f"{name}: accepted (exit {run.rc}):\n{run.err}\n" + "".join(p.read_text() for p in written)
    if run.rc == 1 and not written:
        errs = [ln for ln in run.err.splitlines() if "error:" in ln]
        assert errs, f"{name}: exit 1 without an error line:\n{run.err}"
        assert any(src.name in ln for ln in errs), f"{name}: the error does not name the file:\n{run.err}"
        assert len(run.err) < 20000, f"{name}: {len(run.err)} bytes of diagnostics"
        return
    dts = [p for p in written if p.suffix == ".dts"]
    assert len(dts) == 1, f"{name}: exit {run.rc}, wrote {written}:\n{run.err}"
    chk = cli("check", *map(str, dts + [p for p in written if p.suffix == ".dtso"]))
    probs = basic_problems(chk)
    assert not probs, "\n".join(probs)
    if verdict == INVALID:
        assert chk.rc == 1 and "error:" in chk.err, \
            f"{name}: imported, and check accepts the output:\n{run.err}\n" + "".join(p.read_text() for p in written)
    assert (run.rc == 0) == (chk.rc == 0), f"{name}: import said {run.rc}, check says {chk.rc}:\n{run.err}\n{chk.err}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_mutation(tmp_path: Path, request, name: str) -> None:
    make, verdict = CASES[name]
    data = make()
    kind = "dts" if data[:5] == b"JHSYS" else "dtso"
    system = Path() if verdict == REFUSE or kind == "dts" else request.getfixturevalue("system_blob")
    _judge(name, data, verdict, tmp_path, kind, system)


@pytest.mark.parametrize("rev", (12, 13, 14))
@pytest.mark.parametrize("what", ("sys", "cell"))
def test_every_truncation_is_refused(tmp_path: Path, rev: int, what: str) -> None:
    """Cut the blob at every structure boundary and a spread of odd lengths: all refused."""
    data = _sys(rev) if what == "sys" else _cell(rev)
    cuts = sorted({*range(0, 16), *range(16, len(data), 7), len(data) - 1, up.DESC_SIZE - 1, up.DESC_SIZE,
                   up.root_offset(rev), up.root_offset(rev) + up.DESC_SIZE} - {len(data)})
    bad = []
    for n in cuts:
        if n > len(data):
            continue
        src = tmp_path / f"cut{n}.cell"
        src.write_bytes(data[:n])
        run = cli("import", str(src), "-o", str(tmp_path / f"cut{n}.out"))
        probs = basic_problems(run, allowed=(1,))
        if probs or "error:" not in run.err:
            bad.append(f"cut at {n}/{len(data)}: exit {run.rc}: {run.err.strip()[:300]} {probs}")
    assert not bad, "\n".join(bad[:15])


@pytest.mark.parametrize("rev", (12, 14))
def test_trailing_bytes_are_not_silently_ignored(tmp_path: Path, rev: int) -> None:
    """Bytes after the last array: a blob from a different layout. Refused or at least warned."""
    src = tmp_path / "long.cell"
    src.write_bytes(_cell(rev) + bytes(64))
    run = cli("import", str(src), "-o", str(tmp_path / "long.dtso"))
    assert not basic_problems(run, allowed=(0, 1)), basic_problems(run, allowed=(0, 1))
    assert "error:" in run.err or "warning:" in run.err, f"64 trailing bytes passed without a word:\n{run.err}"


def test_every_single_byte_flip_of_the_header(tmp_path: Path) -> None:
    """Each byte of the system header and root descriptor set to 0xff in turn: no crash."""
    data = _sys(14)
    bad = []
    for off in range(0, up.root_offset(14) + up.DESC_SIZE, 3):
        b = bytearray(data)
        b[off] ^= 0xff
        src = tmp_path / "flip.cell"
        src.write_bytes(bytes(b))
        run = cli("import", str(src), "--board", BOARD, "-o", str(tmp_path / "flip.dts"))
        probs = basic_problems(run, allowed=(0, 1))
        if probs:
            bad.append(f"byte {off}: {probs}")
    assert not bad, "\n".join(bad[:10])


def test_root_ivshmem_past_the_regions_keeps_the_root_ram(tmp_path: Path) -> None:
    """A root ivshmem device whose shared memory runs past the region array: dropped with a
    warning naming it, and the regions it does reach (the root's RAM here) stay the root's."""
    src = tmp_path / "sys.cell"
    src.write_bytes(_with_root(pci=[up.Pci(up.PCI_IVSHMEM, 1, 0, 10, 0, 3, 0)]))
    out = tmp_path / "sys.dts"
    run = cli("import", str(src), "--board", BOARD, "-o", str(out))
    assert not basic_problems(run), basic_problems(run)
    assert run.rc == 0 and "beyond" in run.err, run.err
    assert "0x3fa10000" in out.read_text() or "0x30000000" in out.read_text(), "the root RAM region is gone"
