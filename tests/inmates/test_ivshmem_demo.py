"""ivshmem-demo bare-metal (no hypervisor, so no link): the SGI round trip it measures as the
reference of bench/ivshmem, and its clear stop when its ECAM window holds no ivshmem function
(QEMU virt's own PCI host: a host bridge only)."""
from __future__ import annotations

import pytest

from inmate_qemu import boot, inmates_built

pytestmark = pytest.mark.usefixtures("inmates_built")
__all__ = ["inmates_built"]

ICOUNT = ["-icount", "shift=0,sleep=off"]


def test_sgi_ping_round_trips_between_two_cpus(tmp_path):
    run = boot(tmp_path, "ivshmem-demo", "mode=sgi-ping count=50", smp=2, timeout=30,
               extra=ICOUNT)
    assert run.returncode == 0, run.log  # returned: PSCI SYSTEM_OFF
    assert "sgi-ping: ok=50 timeouts=0" in run.log, run.log
    rtt = run.lines(r"^rtt ns: min=(\d+) avg=(\d+) max=(\d+) samples=(\d+)")
    assert rtt, run.log
    lo, avg, hi, samples = (int(g) for g in rtt[-1].groups())
    # two interrupt entries and two SGI sends: hundreds of instructions, not microseconds
    assert samples == 50 and 0 < lo <= avg <= hi < 20_000, run.log


def test_sgi_ping_without_a_second_cpu_times_out_cleanly(tmp_path):
    run = boot(tmp_path, "ivshmem-demo", "mode=sgi-ping count=2", smp=1, timeout=30,
               extra=ICOUNT)
    assert run.returncode == 0, run.log
    assert "sgi-ping: cannot start cpu1" in run.log, run.log


def test_no_link_function_is_reported_and_the_demo_stops(tmp_path):
    """QEMU virt's ECAM (the library's default without a comm region) holds the host bridge
    only: the scan reads real configuration space and finds no 110a:4106."""
    run = boot(tmp_path, "ivshmem-demo", "mode=echo", timeout=20)
    assert run.returncode == 0, run.log
    assert "ivshmem-demo: no ivshmem function on bus 0 of 0x4010000000" in run.log, run.log
