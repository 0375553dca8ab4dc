"""Hostile inter-cell links (ivshmem) for configgen: every sample in hostile_ivshmem/ is one bad
link or end (wrong peers, sizes, addresses, protocol, slot, limits...) that configgen must refuse
with one specific rule at the marked line, gcc-style with a hint, exit status 1, and never a
traceback. A few limits (links per system, ends per cell) are generated here instead of written
out. The red team's samples: the rule corpus (corpus/) holds each rule's own bad and good sample."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO
from configgen.rules import RULES

HOSTILE = REPO / "tests" / "configgen" / "hostile_ivshmem"
SAMPLES = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".dts", ".dtso"))
SYSTEM = "dts/qemu-arm64/system.dts"


def _spec(path: Path) -> tuple[list[str], str, int]:
    rel = str(path.relative_to(REPO))
    text = path.read_text()
    m = re.search(r"configgen-test: (.*)", text)
    if m:
        args = m.group(1).replace("{self}", rel).split()
    elif path.suffix == ".dtso":
        args = ["check", SYSTEM, rel]
    else:
        args = ["check", rel]
    for lineno, line in enumerate(text.splitlines(), 1):
        em = re.search(r"expect(-anywhere)?: ([a-z][a-z0-9-]*)", line)
        if em:
            return args, em.group(2), 0 if em.group(1) else lineno
    raise AssertionError(f"{rel} has no 'expect: RULE' marker")


def _refused(rc: int, err: str, where: str, rule: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert rc == 1, f"rc {rc}, expected 1 (refused):\n{err}"
    lines = err.splitlines()
    hits = [i for i, line in enumerate(lines) if line.startswith(where) and f": error: [{rule}]" in line]
    assert hits, f"expected '{where}...error: [{rule}]' in:\n{err}"
    follow = lines[hits[0] + 1:hits[0] + 4]
    assert any(line.startswith("    hint:") for line in follow), f"no hint after:\n{lines[hits[0]]}"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_hostile_link_is_refused_with_its_rule(path: Path, cli) -> None:
    args, rule, line = _spec(path)
    assert rule in RULES, f"unknown rule id {rule}"
    rc, _, err = cli(*args)
    # expect-anywhere: the diagnostic belongs to the other party (a cell's region, the link)
    _refused(rc, err, f"{path.relative_to(REPO)}:{line}: " if line else "", rule)


def test_there_are_a_few_dozen() -> None:
    assert len(SAMPLES) >= 30


LINK = """\
		l{n} {{
			compatible = "hv,ivshmem-link";
			peers = {peers};
			physical-address = ADDR64({addr:#x});
		}};
"""


def _system_with_links(tmp: Path, count: int, peers: str) -> Path:
    """The sample system plus count one-page-state links at the bottom of the free pool space."""
    links = "".join(LINK.format(n=n, peers=peers, addr=0x7c000000 + n * 0x2000) for n in range(count))
    path = tmp / "many-links.dts"
    path.write_text(f'#include "{REPO / SYSTEM}"\n\n&hypervisor {{\n\tlinks {{\n{links}\t}};\n}};\n')
    return path


def test_too_many_links_in_the_system(cli, tmp_path: Path) -> None:
    path = _system_with_links(tmp_path, 65, '"root-linux", "gic-demo"')
    rc, _, err = cli("check", str(path))
    assert "Traceback" not in err and "internal error" not in err, err
    assert rc == 1 and "error: [link-limit]" in err, err


def test_too_many_ends_in_the_root(cli, tmp_path: Path) -> None:
    path = _system_with_links(tmp_path, 17, '"root-linux", "gic-demo"')
    rc, _, err = cli("check", str(path))
    assert "Traceback" not in err and "internal error" not in err, err
    assert rc == 1 and "error: [link-limit]" in err, err


def test_too_many_ends_in_a_cell(cli, tmp_path: Path) -> None:
    """gic-demo is a peer of 17 links (the root of none): the cell, compiled against the system,
    holds 17 ends."""
    path = _system_with_links(tmp_path, 17, '"smp-demo", "gic-demo"')
    rc, _, err = cli("check", str(path), "dts/qemu-arm64/gic-demo.dtso")
    assert "Traceback" not in err and "internal error" not in err, err
    assert rc == 1 and "error: [link-limit]" in err, err


# Upstream Jailhouse cells with ivshmem devices (type 3), imported without their system: the
# device is dropped with a warning naming it, whatever its fields say, and nothing crashes (with
# the system, it becomes an end of the system's link: test_import_upstream.py).
JH_PCI_SIZE = 56
JH_PCI_IVSHMEM = 3


@pytest.mark.parametrize("fields", [
    (0x0080, 0, 2, 0x4000),               # 00:10.0, shmem regions from 0, peer 0 of 2, echo
    (0xffff, 0xFFFFFFFF, 255, 0xFFFF),    # every field at its limit
    (0x0080, 1000, 200, 0x0001),          # regions beyond the cell's, an id beyond the peers
])
def test_jailhouse_ivshmem_device_is_dropped_with_a_warning(fields: tuple[int, int, int, int], cli,
                                                             tmp_path: Path) -> None:
    import struct
    import subprocess
    subprocess.run(["gcc", "-Wall", "-o", str(tmp_path / "jh"), str(REPO / "tests/configgen/jailhouse/jh-configs.c")],
                   check=True)
    subprocess.run([str(tmp_path / "jh"), str(tmp_path)], check=True, capture_output=True)
    b = bytearray((tmp_path / "odd.cell").read_bytes())
    off = len(b) - JH_PCI_SIZE  # the odd cell's one PCI device is its last array
    bdf, start, peers, proto = fields
    b[off] = JH_PCI_IVSHMEM
    b[44] &= ~0x4  # the odd cell's AARCH32 flag (its own import-decide) off: the device is the subject
    struct.pack_into("<H", b, off + 4, bdf)
    struct.pack_into("<IBBH", b, off + 48, start, peers - 1, peers, proto)
    (tmp_path / "ivshmem.cell").write_bytes(bytes(b))
    rc, out, err = cli("import", str(tmp_path / "ivshmem.cell"))
    assert "Traceback" not in err and "internal error" not in err, err
    assert re.search(r"ivshmem\.cell: warning: \[import-change\] ivshmem device \S+: peer \d+ of \d+, .*dropped", err), err
    # the odd cell's sub-page region (unless the device's regions took it) is the user's
    # decision: listed, nothing written
    if rc == 1:
        assert "error: [import-decide] mem_regions[1]" in err and out == "", err
    else:
        assert rc == 0 and "cell-name" in out, err


def test_an_empty_protocol_is_quoted_as_written(cli) -> None:
    args, _, _ = _spec(HOSTILE / "protocol-empty.dts")
    _, _, err = cli(*args)
    assert "protocol \"\" is unknown" in err, err
