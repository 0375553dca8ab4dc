"""import of upstream-SHAPED Jailhouse blobs (tests/configgen/jailhouse/jh-upstream.c: revisions 12,
13 and 14, arm64 and x86; zero root-cell signature, empty slots, a 16-CPU root, permissive and
ECAM windows, PCI devices, ivshmem demo + net links): the result passes `configgen check`, every
change is a warning with its reason, --strict makes them errors, kept items survive a compile."""
from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from configgen import abi, blob
from configgen import jhformat as jh

ARM_BOARD = str(REPO / "dts/boards/qemu-arm64-virt.dts")
X86_BOARD = str(REPO / "dts/boards/qemu-x86-q35.dts")
SRC = REPO / "tests/configgen/jailhouse/jh-upstream.c"
REVS = (12, 13, 14)


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("upstream")
    for r in REVS:
        (d / f"r{r}").mkdir()
    subprocess.run(["gcc", "-Wall", "-Wextra", "-Werror", "-o", str(d / "gen"), str(SRC)], check=True)
    sizes = subprocess.run([str(d / "gen"), str(d)], check=True, capture_output=True, text=True).stdout
    (d / "sizes").write_text(sizes)
    return d


def test_layouts_match_the_c_structs(fx: Path) -> None:
    for line in (fx / "sizes").read_text().splitlines():
        name, size = line.split()
        assert jh.SIZES[name] == int(size), name


@pytest.mark.parametrize("rev", REVS)
def test_root_cell_signature_zero_is_accepted(fx: Path, rev: int) -> None:
    data = (fx / f"r{rev}/system.cell").read_bytes()
    off = jh.ROOT_OFFSET[rev]
    assert data[off:off + 8] == bytes(8)  # the fixture is upstream-shaped: signature/arch/revision 0
    s = jh.parse(data)
    assert isinstance(s, jh.JhSystem) and s.revision == rev and s.arch == jh.ARCH_ARM64
    assert s.root.name == "qemu-arm64" and s.root.cpus == list(range(16))
    assert s.platform.gicd_base == 0x08000000 and s.platform.gicr_base == 0x080a0000
    x = jh.parse((fx / f"r{rev}/x86-system.cell").read_bytes())
    assert isinstance(x, jh.JhSystem) and x.arch == jh.ARCH_X86 and x.platform.pm_timer == 0x608
    assert x.platform.iommus == [(2, 0xfed90000, 0x1000)] and x.platform.vtd_interrupt_limit == 256
    c = jh.parse((fx / f"r{rev}/x86-demo.cell").read_bytes())
    assert isinstance(c, jh.JhCell) and c.arch == jh.ARCH_X86 and c.pio == [(0x2f8, 8), (0x3f8, 8)]


def _plain(err: str) -> str:
    """stderr without the rule tags of the import's warnings (the tests quote the messages)."""
    return err.replace("warning: [import-change] ", "warning: ")


def _together(fx: Path, rev: int, out: Path, cli, *extra: str) -> tuple[int, str]:
    d = fx / f"r{rev}"
    rc, _, err = cli("import", str(d / "system.cell"), str(d / "inmate-demo.cell"), str(d / "linux-demo.cell"),
                     "--board", ARM_BOARD, "-o", str(out), *extra)
    return rc, _plain(err)


ARM_CHANGES = [
    "system.cell: warning: mem_regions[10]: root RAM 0x70000000-0x7fa0ffff becomes cell pool",
    "system.cell: warning: root CPUs 4-15 do not exist on qemu-arm64-virt.dts (4 CPUs): clipped",
    "system.cell: warning: mem_regions[9] (MMIO 0x9000000-0x3fffffff) turned into the board devices it covers",
    "system.cell: warning: mem_regions[11] (MMIO 0x4010000000-0x401fffffff) is the board's PCI ECAM window: dropped "
    "(the hypervisor emulates PCI configuration space",
    "system.cell: warning: PCI device 0000:00:05.0 dropped: the board has no function there",
    "linux-demo.cell: warning: SPIs 1 of uart0, which the cell shares with the root: dropped",
]
ARM_NOTES = [
    "system.cell: note: mem_regions[6] is an empty { 0 } slot (upstream's placeholder for an absent R/W section): "
    "dropped, link 'net' has no R/W section",
    "system.cell: note: ivshmem device 0001:00:00.0 (protocol undefined, 3 peers) becomes link 'link' at 0x7faf0000",
    "system.cell: note: ivshmem device 0001:00:01.0 (protocol net, 2 peers) becomes link 'net' at 0x7fb00000",
    "inmate-demo.cell: note: SPIs 112 were the virtual PCI INTx of the cell's ivshmem devices: dropped",
]


@pytest.mark.parametrize("rev", REVS)
def test_arm64_system_with_cells_passes_check(fx: Path, tmp_path: Path, rev: int, cli) -> None:
    out = tmp_path / "out"
    rc, err = _together(fx, rev, out, cli)
    assert rc == 0, err
    for w in ARM_CHANGES + ARM_NOTES:
        assert w in err, w
    assert "Traceback" not in err and ": error" not in err
    text = (out / "system.dts").read_text()
    assert 'access = "";' not in text and "size = /bits/ 64 <0x0>;" not in text  # the empty slot is gone
    assert "cpus = <&cpu0 &cpu1 &cpu2 &cpu3>;" in text and "all-devices;" in text
    assert 'peers = "qemu-arm64", "inmate-demo", "linux-demo";' in text
    assert 'peers = "qemu-arm64", "linux-demo";' in text and 'protocol = "net";' in text
    cells = [str(out / "inmate-demo.dtso"), str(out / "linux-demo.dtso")]
    rc, _, err = cli("check", str(out / "system.dts"), *cells)
    assert rc == 0, err


def test_revisions_import_alike(fx: Path, tmp_path: Path, cli) -> None:
    texts = []
    for rev in REVS:
        rc, err = _together(fx, rev, tmp_path / f"o{rev}", cli)
        assert rc == 0, err
        texts.append([(tmp_path / f"o{rev}" / f).read_text().replace(f"revision {rev}", "revision N")
                      for f in ("system.dts", "inmate-demo.dtso", "linux-demo.dtso")])
    assert texts[0] == texts[1] == texts[2]


def test_kept_items_round_trip(fx: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "o"
    rc, err = _together(fx, 14, out, cli)
    assert rc == 0, err
    rc, _, err = cli("compile", str(out / "system.dts"), "-o", str(tmp_path / "s.cfg"))
    assert rc == 0, err
    p = blob.parse((tmp_path / "s.cfg").read_bytes())
    src = jh.parse((fx / "r14/system.cell").read_bytes())
    assert isinstance(src, jh.JhSystem)
    f = p.fields
    assert (f["hypervisor_mem_base"], f["hypervisor_mem_size"]) == (0x7fc00000, 0x400000)
    assert f["debug_console"]["base"] == 0x09000000 and p.cell.cpus == [0, 1, 2, 3]
    # the root's RAM: every byte of the upstream RAM region is still the root's
    ram = sorted((r["phys_start"], r["size"]) for r in p.cell.regions if not r["flags"] & abi.MEM_IO)
    covered = sum(s for a, s in ram if 0x40000000 <= a < 0x7fa10000)
    assert covered == 0x3fa10000
    links = {ln.name: ln.fields for ln in p.links}
    assert (links["link"]["phys_start"], links["link"]["rw_size"], links["link"]["out_size"],
            links["link"]["num_peers"]) == (0x7faf0000, 0x9000, 0x2000, 3)
    assert (links["net"]["phys_start"], links["net"]["rw_size"], links["net"]["out_size"],
            links["net"]["protocol"]) == (0x7fb00000, 0, 0x7f000, abi.IVSHMEM_PROTO_NET)
    for cell, cpus, ram_region, n_ends in (("inmate-demo", [1], (0x7f800000, 0, 0x10000), 1),
                                           ("linux-demo", [2, 3], (0x70000000, 0x70000000, 0x8000000), 2)):
        rc, _, err = cli("compile", str(out / "system.dts"), str(out / f"{cell}.dtso"), "-o", str(tmp_path / "c.cfg"))
        assert rc == 0, err
        c = blob.parse((tmp_path / "c.cfg").read_bytes())
        assert c.cell.cpus == cpus and c.cell.name == cell
        assert any((r["phys_start"], r["guest_start"], r["size"]) == ram_region for r in c.cell.regions)
        assert any(r["flags"] & abi.MEM_COMM_REGION and r["guest_start"] == 0x80000000 for r in c.cell.regions)
        assert len(c.cell.ends) == n_ends


def test_strict_turns_changes_into_errors(fx: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "strict"
    rc, err = _together(fx, 14, out, cli, "--strict")
    assert rc == 1 and not out.exists()
    for w in ARM_CHANGES:
        assert w.replace(": warning: ", ": error: [import-strict] ") in err, w
    assert "nothing written" in err and "Traceback" not in err


def test_system_alone_names_unknown_peers(fx: Path, tmp_path: Path, cli) -> None:
    out = tmp_path / "s.dts"
    rc, _, err = cli("import", str(fx / "r14/system.cell"), "--board", ARM_BOARD, "-o", str(out))
    err = _plain(err)
    assert rc == 0, err
    assert "link 'link': peers 1, 2 belong to no imported cell: named 'peer1', 'peer2'" in err
    assert 'peers = "qemu-arm64", "peer1", "peer2";' in out.read_text()
    # a cell alone: its link end is reported, and the system has no pool for its RAM: a decision
    rc, _, err = cli("import", str(fx / "r14/inmate-demo.cell"), "--board", str(out), "-o", str(tmp_path / "c.dtso"))
    err = _plain(err)
    assert rc == 1 and "error: [mem-outside-pool] region 'ram6' of cell 'inmate-demo'" in err, err
    assert ("inmate-demo.cell: warning: ivshmem device 0001:00:00.0 is peer 1 of the system's link 'link', which "
            "lists 'peer1' there: dropped with its memory") in err


def test_system_without_board_rebuilds_one(fx: Path, tmp_path: Path, cli) -> None:
    """Without a board: one rebuilt from the blob (CPUs up to the kconfig limit, the virtual PCI
    host for the links with a window for BAR0s, the root's windows as MMIO nodes); the cells'
    shared UART becomes that board's node. Passes check."""
    d = fx / "r12"
    rc, _, err = cli("import", str(d / "system.cell"), str(d / "inmate-demo.cell"), str(d / "linux-demo.cell"),
                     "-o", str(tmp_path / "nb"))
    err = _plain(err)
    assert rc == 0, err
    assert "system.cell: warning: root CPUs 8-15 clipped: the rebuilt board has at most CONFIG_MAX_CPUS=8" in err
    text = (tmp_path / "nb/system.dts").read_text()
    assert "cpu7: cpu@7" in text and "cpu@8" not in text and "pcie@8e00000" in text and "ranges = <0x02000000" in text
    assert "shared-devices = <&debug_uart>;" in (tmp_path / "nb/inmate-demo.dtso").read_text()


def test_unexpressible_link_is_dropped(fx: Path, tmp_path: Path, cli) -> None:
    data = bytearray((fx / "r14/system.cell").read_bytes())
    # output section of peer 2 of the demo link (mem_regions[4]) shrinks: outputs differ in size
    struct.pack_into("<Q", data, jh.ROOT_OFFSET[14] + 132 + 8 + 32 * 4 + 16, 0x1000)
    bad = tmp_path / "system.cell"
    bad.write_bytes(bytes(data))
    d = fx / "r14"
    rc, _, err = cli("import", str(bad), str(d / "inmate-demo.cell"), "--board", ARM_BOARD, "-o", str(tmp_path / "o"))
    err = _plain(err)
    assert rc == 0, err
    assert ("ivshmem device 0001:00:00.0 dropped: its output sections differ in size; its memory regions stay "
            "the root's") in err
    assert "inmate-demo.cell: warning: ivshmem device 0001:00:00.0: peer 1 of 3" in err


X86_CHANGES = [
    "x86-system.cell: warning: IOMMU unit Intel VT-d at 0xfed90000 dropped: Intel-only (this hypervisor runs on AMD SVM)",
    "x86-system.cell: warning: ivshmem device 0000:00:0e.0 dropped: configgen's x86 systems have no inter-cell links",
    "x86-system.cell: warning: root CPUs 4-7 do not exist on qemu-x86-q35.dts (4 CPUs): clipped",
    "x86-system.cell: warning: PCI device 0000:00:1b.0 dropped: qemu-x86-q35.dts has no function there",
    "x86-system.cell: warning: mem_regions[4] RAM 0x0-0x39ffffff: 0xa0000-0xfffff is no RAM on the board",
    "x86-demo.cell: warning: ports 0x3f8+8 are com1, the hypervisor's debug console: dropped",
]


@pytest.mark.parametrize("rev", REVS)
def test_x86_system_with_cell(fx: Path, tmp_path: Path, rev: int, cli) -> None:
    d = fx / f"r{rev}"
    out = tmp_path / "x"
    rc, _, err = cli("import", str(d / "x86-system.cell"), str(d / "x86-demo.cell"), "--board", X86_BOARD,
                     "-o", str(out))
    err = _plain(err)
    assert rc == 0, err
    for w in X86_CHANGES:
        assert w in err, w
    text = (out / "x86-demo.dtso").read_text()
    assert "devices = <&com2 &smbus>;" in text and "console = <&com2>;" in text and "cpus = <&cpu3>;" in text
    rc, _, err = cli("compile", str(out / "x86-system.dts"), str(out / "x86-demo.dtso"), "-o", str(tmp_path / "c"))
    assert rc == 0, err
    c = blob.parse((tmp_path / "c").read_bytes())
    assert c.cell.cpus == [3] and any(r["phys_start"] == 0x3b000000 and r["size"] == 0x100000 for r in c.cell.regions)


def test_x86_needs_a_board_and_the_right_one(fx: Path, cli) -> None:
    rc, out, err = cli("import", str(fx / "r14/x86-system.cell"))
    assert rc == 1 and out == "" and "error: [import-decide] an x86 import needs the board (--board BOARD.dts" in err
    rc, _, err = cli("import", str(fx / "r12/x86-demo.cell"), "--board", ARM_BOARD)
    assert rc == 1 and "x86-demo.cell: error: an x86 configuration among arm64 ones" in err


@pytest.mark.parametrize("name", ["system", "inmate-demo", "linux-demo", "x86-system", "x86-demo"])
@pytest.mark.parametrize("rev", REVS)
def test_truncated_blobs_give_one_error_line(fx: Path, tmp_path: Path, rev: int, name: str, cli) -> None:
    data = (fx / f"r{rev}/{name}.cell").read_bytes()
    board = X86_BOARD if name.startswith("x86") else ARM_BOARD
    for n in sorted({0, 5, 8, 100, jh.ROOT_OFFSET[rev], len(data) // 2, len(data) - 1} - {len(data) + 1}):
        if n >= len(data):
            continue
        t = tmp_path / "t.cell"
        t.write_bytes(data[:n])
        rc, out, err = cli("import", str(t), "--board", board)
        lines = err.strip().splitlines()
        assert rc == 1 and out == "" and len(lines) == 1 and f"{t}: error: " in lines[0], (n, err)


def test_mutated_blobs_never_crash(fx: Path, tmp_path: Path, cli) -> None:
    import random
    rng = random.Random(19)
    for name in ("system", "linux-demo", "x86-system"):
        data = (fx / f"r14/{name}.cell").read_bytes()
        board = X86_BOARD if name.startswith("x86") else ARM_BOARD
        for _ in range(40):
            b = bytearray(data)
            for _ in range(rng.randint(1, 6)):
                b[rng.randrange(8, len(b))] = rng.randrange(256)
            t = tmp_path / "m.cell"
            t.write_bytes(bytes(b))
            rc, _, err = cli("import", str(t), "--board", board, "-o", str(tmp_path / "m.out"))
            assert rc in (0, 1) and "Traceback" not in err and "internal error" not in err, err


def test_system_alone_with_mem_then_cells_alone(fx: Path, tmp_path: Path, cli) -> None:
    """--mem SIZE as upstream's mem=: the root's RAM above it is the pool, so cells imported one
    by one against the system check; a cell's link end needs the system's link to name it."""
    sysdts = tmp_path / "s.dts"
    rc, _, err = cli("import", str(fx / "r14/system.cell"), "--board", ARM_BOARD, "--mem", "768M", "-o", str(sysdts))
    assert rc == 0, err
    assert "mem_regions[10]: root RAM 0x70000000-0x7fa0ffff becomes cell pool" in err
    rc, _, err = cli("import", str(fx / "r14/inmate-demo.cell"), "--board", str(sysdts), "-o", str(tmp_path / "c.dtso"))
    err = _plain(err)
    assert rc == 0, err
    assert ("inmate-demo.cell: warning: ivshmem device 0001:00:00.0 is peer 1 of the system's link 'link', which lists "
            "'peer1' there: dropped with its memory (rename that peer to 'inmate-demo'") in err
    sysdts.write_text(sysdts.read_text().replace('"qemu-arm64", "peer1", "peer2"', '"qemu-arm64", "inmate-demo", "peer2"'))
    rc, _, err = cli("import", str(fx / "r14/inmate-demo.cell"), "--board", str(sysdts), "-o", str(tmp_path / "c.dtso"))
    assert rc == 0 and "is the end of the system's link 'link' (peer 1)" in err, err
    rc, _, err = cli("compile", str(sysdts), str(tmp_path / "c.dtso"), "-o", str(tmp_path / "c.cfg"))
    assert rc == 0, err
    assert len(blob.parse((tmp_path / "c.cfg").read_bytes()).cell.ends) == 1


def test_x86_cell_alone_against_the_imported_system(fx: Path, tmp_path: Path, cli) -> None:
    sysdts = tmp_path / "x.dts"
    rc, _, err = cli("import", str(fx / "r13/x86-system.cell"), "--board", X86_BOARD, "--mem", "900M",
                     "-o", str(sysdts))
    assert rc == 0, err
    rc, _, err = cli("import", str(fx / "r13/x86-demo.cell"), "--board", str(sysdts), "-o", str(tmp_path / "c.dtso"))
    assert rc == 0 and "ports 0x3f8+8 are com1, the hypervisor's debug console: dropped" in err, err


@pytest.mark.parametrize("size,msg", [("0", "root Linux would keep less than 32 MiB"), ("1", "less than 32 MiB"),
                                      ("", "'' is not a size"), ("lots", "'lots' is not a size")])
def test_mem_sizes_that_leave_no_root_are_refused(fx: Path, tmp_path: Path, size: str, msg: str, cli) -> None:
    rc, out, err = cli("import", str(fx / "r14/system.cell"), "--board", ARM_BOARD, "--mem", size,
                       "-o", str(tmp_path / "s.dts"))
    assert rc == 2 and msg in err and len(err.splitlines()) <= 2 and not (tmp_path / "s.dts").exists(), err


def test_one_blob_into_a_directory(fx: Path, tmp_path: Path, cli) -> None:
    d = tmp_path / "out"
    d.mkdir()
    rc, _, err = cli("import", str(fx / "r14/system.cell"), "--board", ARM_BOARD, "-o", str(d))
    assert rc == 0 and (d / "system.dts").exists(), err
