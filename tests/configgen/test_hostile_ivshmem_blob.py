"""Hostile link tables and link ends in the blobs themselves: the sample system and a cell with
an end, compiled by configgen, then one field of a link or an end changed (CRC resealed, so the
structural checks run) and handed to the hypervisor's own validator (build/host/libhvcfg.so: the
C of hv/core/config_check.c and config_cross.c that the hypervisor and the driver run). Each
mutation must be refused with its own reason, and nothing may crash (a crash of the C code takes
this process down with it)."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Callable, Optional

import pytest

from conftest import REPO, SYSTEM
from configgen import abi, validator

ROOT = abi.SYSTEM.offset_of("root_cell")
CELLD = abi.CELL.offset_of("cell")
DESC = abi.CELL_DESC.offset_of
LINK = abi.IVSHMEM_LINK
END = abi.IVSHMEM_END
CELLS = sorted(str(p.relative_to(REPO)) for p in (REPO / "dts" / "qemu-arm64").glob("*.dtso"))
PAGE = 0x1000


@pytest.fixture(scope="module")
def blobs(tmp_path_factory) -> dict[str, bytes]:
    """system.cfg and every sample cell's blob, by cell stem."""
    from conftest import run_cli
    d = tmp_path_factory.mktemp("hostile-ivshmem")
    rc, _, err = run_cli("compile", SYSTEM, "-o", str(d / "system.cfg"))
    assert rc == 0, err
    out = {"system": (d / "system.cfg").read_bytes()}
    for cell in CELLS:
        dst = d / f"{Path(cell).stem}.cfg"
        rc, _, err = run_cli("compile", SYSTEM, cell, "-o", str(dst))
        assert rc == 0, err
        out[Path(cell).stem] = dst.read_bytes()
    return out


def seal(data: bytearray) -> bytes:
    struct.pack_into("<I", data, 12, 0)
    struct.pack_into("<I", data, 12, zlib.crc32(bytes(data)) & 0xFFFFFFFF)
    return bytes(data)


def u32(data: bytes, off: int) -> int:
    return struct.unpack_from("<I", data, off)[0]


def field_put(data: bytearray, st: abi.Struct, base: int, name: str, value: int) -> None:
    f = next(f for f in st.fields if f.name == name)
    fmt = {1: "<B", 2: "<H", 4: "<I", 8: "<Q"}[f.size]
    struct.pack_into(fmt, data, base + f.offset, value & ((1 << (8 * f.size)) - 1))


def field_get(data: bytes, st: abi.Struct, base: int, name: str) -> int:
    return st.unpack(data, base)[name]


def links(data: bytes) -> tuple[int, int]:
    return u32(data, abi.SYSTEM.offset_of("num_ivshmem_links")), \
        u32(data, abi.SYSTEM.offset_of("ivshmem_links_offset"))


def ends(data: bytes, desc: int) -> tuple[int, int]:
    return u32(data, desc + DESC("num_ivshmem_ends")), u32(data, desc + DESC("ivshmem_ends_offset"))


def link_at(data: bytes, i: int) -> int:
    n, off = links(data)
    assert n > i, f"the sample system has {n} links, the test needs {i + 1}"
    return off + i * LINK.size


def end_at(data: bytes, desc: int, i: int) -> int:
    n, off = ends(data, desc)
    assert n > i, f"the descriptor has {n} ends, the test needs {i + 1}"
    return off + i * END.size


def link_size(data: bytes, i: int) -> int:
    lk = LINK.unpack(data, link_at(data, i))
    return lk["state_size"] + lk["rw_size"] + lk["num_peers"] * lk["out_size"]


Mutation = Callable[[bytearray], None]


def set_link(i: int, name: str, value: Callable[[bytes], int] | int) -> Mutation:
    def mut(b: bytearray) -> None:
        v = value(bytes(b)) if callable(value) else value
        field_put(b, LINK, link_at(b, i), name, v)
    return mut


def set_end(desc_of: Callable[[bytes], int], i: int, name: str, value: Callable[[bytes], int] | int) -> Mutation:
    def mut(b: bytearray) -> None:
        desc = desc_of(bytes(b))
        v = value(bytes(b)) if callable(value) else value
        field_put(b, END, end_at(b, desc, i), name, v)
    return mut


def set_u32(off_of: Callable[[bytes], int], value: int) -> Mutation:
    def mut(b: bytearray) -> None:
        struct.pack_into("<I", b, off_of(bytes(b)), value & 0xFFFFFFFF)
    return mut


def shift_u32(off: int, delta: int) -> Mutation:
    def mut(b: bytearray) -> None:
        struct.pack_into("<I", b, off, (u32(b, off) + delta) & 0xFFFFFFFF)
    return mut


def name_bytes(i: int, raw: bytes) -> Mutation:
    def mut(b: bytearray) -> None:
        off = link_at(b, i) + LINK.offset_of("name")
        b[off:off + abi.NAME_LEN] = raw.ljust(abi.NAME_LEN, b"\0")[:abi.NAME_LEN]
    return mut


def copy_name(src: int, dst: int) -> Mutation:
    def mut(b: bytearray) -> None:
        so, do = link_at(b, src) + LINK.offset_of("name"), link_at(b, dst) + LINK.offset_of("name")
        b[do:do + abi.NAME_LEN] = b[so:so + abi.NAME_LEN]
    return mut


def copy_end_field(desc_of: Callable[[bytes], int], src: int, dst: int, *names: str) -> Mutation:
    def mut(b: bytearray) -> None:
        desc = desc_of(bytes(b))
        for name in names:
            field_put(b, END, end_at(b, desc, dst), name, field_get(b, END, end_at(b, desc, src), name))
    return mut


def root(_: bytes) -> int:
    return ROOT


def cell(_: bytes) -> int:
    return CELLD


def hv_base(b: bytes) -> int:
    return struct.unpack_from("<Q", b, abi.SYSTEM.offset_of("hypervisor_mem_base"))[0]


def root_ram(b: bytes) -> int:
    off = u32(b, ROOT + DESC("mem_regions_offset"))
    return struct.unpack_from("<Q", b, off + abi.MEMORY_REGION.offset_of("phys_start"))[0]


def _ram_page(b: bytes, desc: int) -> int:
    """The second page of the descriptor's first RAM region (not I/O, not the comm region) below
    4 GiB: an address BAR0 (32 bits, 0 = unassigned) can name."""
    n, off = u32(b, desc + DESC("num_mem_regions")), u32(b, desc + DESC("mem_regions_offset"))
    skip = abi.MEM_IO | abi.MEM_COMM_REGION
    for i in range(n):
        r = abi.MEMORY_REGION.unpack(b, off + i * abi.MEMORY_REGION.size)
        if not r["flags"] & skip and r["size"] > PAGE and r["guest_start"] + 2 * PAGE < 1 << 32:
            return r["guest_start"] + PAGE
    raise AssertionError("no RAM region below 4 GiB")


def root_guest_ram(b: bytes) -> int:
    return _ram_page(b, ROOT)


def cell_guest_ram(b: bytes) -> int:
    return _ram_page(b, CELLD)


def link_phys(i: int) -> Callable[[bytes], int]:
    return lambda b: field_get(b, LINK, link_at(b, i), "phys_start")


# (id, mutation, the validator's result name). The system blob's mutations.
SYSTEM_CASES: list[tuple[str, Mutation, str]] = [
    ("links-count-limit", set_u32(lambda b: abi.SYSTEM.offset_of("num_ivshmem_links"), abi.MAX_IVSHMEM_LINKS + 1),
     "count"),
    ("links-count-huge", set_u32(lambda b: abi.SYSTEM.offset_of("num_ivshmem_links"), 0xFFFFFFFF), "count"),
    ("links-offset-outside", set_u32(lambda b: abi.SYSTEM.offset_of("ivshmem_links_offset"), 0xFFFFFFF8), "offset"),
    ("links-offset-unaligned", shift_u32(abi.SYSTEM.offset_of("ivshmem_links_offset"), 4), "offset"),
    ("link-name-empty", name_bytes(0, b""), "link"),
    ("link-name-unterminated", name_bytes(0, b"x" * abi.NAME_LEN), "link"),
    ("link-name-duplicate", copy_name(0, 1), "link"),
    ("link-peers-0", set_link(0, "num_peers", 0), "link"),
    ("link-peers-1", set_link(0, "num_peers", 1), "link"),
    ("link-peers-17", set_link(0, "num_peers", abi.IVSHMEM_MAX_PEERS + 1), "link"),
    ("link-peers-255", set_link(0, "num_peers", 255), "link"),
    ("link-state-0", set_link(0, "state_size", 0), "link"),
    ("link-state-unaligned", set_link(0, "state_size", PAGE + 4), "link"),
    ("link-rw-unaligned", set_link(0, "rw_size", 0x800), "link"),
    ("link-out-unaligned", set_link(0, "out_size", 0x10001), "link"),
    ("link-out-overflow", set_link(0, "out_size", 1 << 63), "link"),
    ("link-rw-overflow", set_link(0, "rw_size", (1 << 64) - PAGE), "link"),
    ("link-phys-unaligned", set_link(0, "phys_start", lambda b: link_phys(0)(b) + 8), "link"),
    ("link-phys-wraps", set_link(0, "phys_start", (1 << 64) - PAGE), "link"),
    ("link-phys-on-hypervisor", set_link(0, "phys_start", hv_base), "link-overlap"),
    ("link-phys-on-root-ram", set_link(0, "phys_start", root_ram), "link-overlap"),
    ("link-phys-on-other-link", set_link(0, "phys_start", link_phys(1)), "link-overlap"),
    ("link-padding", set_link(0, "padding0", 1), "reserved"),
    ("link-protocol-reserved", set_link(0, "protocol", 2), "link"),
    ("link-protocol-high", set_link(0, "protocol", 0x8000), "link"),
    # the root's ends (inside the system blob)
    ("root-ends-limit", set_u32(lambda b: ROOT + DESC("num_ivshmem_ends"), abi.MAX_IVSHMEM_ENDS + 1), "count"),
    ("root-ends-arch-limit", set_u32(lambda b: ROOT + DESC("num_ivshmem_ends"), abi.ARM64_MAX_IVSHMEM_ENDS + 1),
     "count"),
    ("root-ends-offset-outside", set_u32(lambda b: ROOT + DESC("ivshmem_ends_offset"), 0x7FFFFFF8), "offset"),
    ("root-end-link-invalid", set_end(root, 0, "link", 1000), "end"),
    ("root-end-link-huge", set_end(root, 0, "link", 0xFFFFFFFF), "end"),
    ("root-end-peer-invalid", set_end(root, 0, "peer_id", abi.IVSHMEM_MAX_PEERS), "end"),
    ("root-end-peer-255", set_end(root, 0, "peer_id", 255), "end"),
    ("root-end-duplicate-link-peer", copy_end_field(root, 0, 1, "link", "peer_id"), "end"),
    ("root-end-duplicate-bdf", copy_end_field(root, 0, 1, "bdf"), "end-pci"),
    ("root-end-bus-1", set_end(root, 0, "bdf", 0x100 | (0x10 << 3)), "end-pci"),
    ("root-end-host-bridge", set_end(root, 0, "bdf", 0), "end-pci"),
    ("root-end-pci-serial", set_end(root, 0, "bdf", 2 << 3), "end-pci"),
    ("root-end-irq-sgi", set_end(root, 0, "irq", 1), "end-irq"),
    ("root-end-irq-huge", set_end(root, 0, "irq", 0xFFFFFFFF), "end-irq"),
    ("root-end-irq-1020", set_end(root, 0, "irq", 1020), "end-irq"),
    ("root-end-guest-unaligned", set_end(root, 0, "guest_start", lambda b: link_phys(0)(b) + 0x10), "end-mem"),
    ("root-end-guest-on-ram", set_end(root, 0, "guest_start", root_guest_ram), "end-mem"),
    ("root-end-guest-wraps", set_end(root, 0, "guest_start", (1 << 64) - PAGE), "end-mem"),
    ("root-end-bar0-unaligned", set_end(root, 0, "bar0", 0x10000010), "end-mem"),
    ("root-end-bar0-on-ram", set_end(root, 0, "bar0", root_guest_ram), "end-mem"),
    ("root-end-padding", set_end(root, 0, "padding0", 0x80), "reserved"),
]

# Mutations of a cell with an end (checked against the unmodified system).
CELL_CASES: list[tuple[str, Mutation, str]] = [
    ("cell-ends-limit", set_u32(lambda b: CELLD + DESC("num_ivshmem_ends"), abi.MAX_IVSHMEM_ENDS + 1), "count"),
    ("cell-ends-offset-outside", set_u32(lambda b: CELLD + DESC("ivshmem_ends_offset"), 0xFFFFFFF0), "offset"),
    ("cell-end-link-beyond-system", set_end(cell, 0, "link", abi.MAX_IVSHMEM_LINKS - 1), "end"),
    ("cell-end-link-huge", set_end(cell, 0, "link", 0x80000000), "end"),
    ("cell-end-peer-of-root", set_end(cell, 0, "peer_id", 0), "root-peer"),
    ("cell-end-peer-beyond-link", set_end(cell, 0, "peer_id", abi.IVSHMEM_MAX_PEERS - 1), "end"),
    ("cell-end-bus-1", set_end(cell, 0, "bdf", 0x100 | (0x10 << 3)), "end-pci"),
    ("cell-end-irq-not-its-own", set_end(cell, 0, "irq", 33), "end-irq"),
    ("cell-end-irq-ppi", set_end(cell, 0, "irq", 27), "end-irq"),
    ("cell-end-guest-on-its-ram", set_end(cell, 0, "guest_start", cell_guest_ram), "end-mem"),
    ("cell-end-guest-unaligned", set_end(cell, 0, "guest_start", 0x10000008), "end-mem"),
    ("cell-end-bar0-unaligned", set_end(cell, 0, "bar0", 0x10000004), "end-mem"),
    ("cell-end-bar0-on-its-ram", set_end(cell, 0, "bar0", cell_guest_ram), "end-mem"),
    ("cell-end-padding", set_end(cell, 0, "padding0", 1), "reserved"),
]


def _refusal_of(fn: Callable[[], Optional[validator.Refusal]]) -> validator.Refusal:
    r = fn()
    assert r is not None, "the validator accepted the mutated blob"
    assert r.text and r.name != "unknown", f"no clear reason: {r}"
    assert r.errno < 0
    return r


def test_the_sample_system_has_links_and_root_ends(blobs: dict[str, bytes]) -> None:
    data = blobs["system"]
    assert validator.check_system(data) is None
    assert links(data)[0] >= 2 and ends(data, ROOT)[0] >= 2
    cell = _cell_with_end(blobs)
    assert validator.check_cell_in_system(data, cell) is None


@pytest.mark.parametrize("case", SYSTEM_CASES, ids=lambda c: c[0])
def test_system_mutation_is_refused(blobs: dict[str, bytes], case: tuple[str, Mutation, str]) -> None:
    _, mutate, expected = case
    b = bytearray(blobs["system"])
    mutate(b)
    data = seal(b)
    r = _refusal_of(lambda: validator.check_system(data))
    assert r.name == expected, f"refused as {r.name!r} ({r}), expected {expected!r}"


def _cell_with_end(blobs: dict[str, bytes]) -> bytes:
    for name, data in sorted(blobs.items()):
        if name != "system" and ends(data, CELLD)[0] > 0:
            return data
    raise AssertionError("no sample cell has a link end")


@pytest.mark.parametrize("case", CELL_CASES, ids=lambda c: c[0])
def test_cell_mutation_is_refused(blobs: dict[str, bytes], case: tuple[str, Mutation, str]) -> None:
    _, mutate, expected = case
    b = bytearray(_cell_with_end(blobs))
    mutate(b)
    data = seal(b)
    r = _refusal_of(lambda: validator.check_cell_in_system(blobs["system"], data))
    assert r.name == expected, f"refused as {r.name!r} ({r}), expected {expected!r}"


def test_every_field_of_every_link_and_end_survives_boundary_values(blobs: dict[str, bytes]) -> None:
    """Each field of each link and end set to each boundary value: refused or accepted, the
    validator answers (no crash) and an accepted blob still keeps its promises (fields in range)."""
    values = [0, 1, 0x7F, 0xFF, 0xFFFF, 0x1000, 0x7FFFFFFF, 0xFFFFFFFF, 1 << 32, 1 << 63, (1 << 64) - 1]
    sysb = blobs["system"]
    celb = _cell_with_end(blobs)
    for data, base_of, count, st, check in (
            (sysb, lambda b: links(b)[1], links(sysb)[0], LINK, lambda d: validator.check_system(d)),
            (sysb, lambda b: ends(b, ROOT)[1], ends(sysb, ROOT)[0], END, lambda d: validator.check_system(d)),
            (celb, lambda b: ends(b, CELLD)[1], ends(celb, CELLD)[0], END,
             lambda d: validator.check_cell_in_system(sysb, d))):
        for i in range(count):
            for f in st.fields:
                if f.ctype == "char":
                    continue
                for v in values:
                    b = bytearray(data)
                    field_put(b, st, base_of(data) + i * st.size, f.name, v)
                    check(seal(b))  # an answer, whatever it is
