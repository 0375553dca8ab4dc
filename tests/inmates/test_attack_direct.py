"""attack's direct-mode attacks (inmates/tests/attack-direct.c) and gic-demo's idle=spin, booted
bare metal at EL1 (QEMU, no hypervisor): each does what it says on the physical CPU interface
and never faults. What a hypervisor makes of them is tests/system/hostile-cells.sh's."""
from __future__ import annotations

import re

import pytest

from inmate_qemu import boot, inmates_built

pytestmark = pytest.mark.usefixtures("inmates_built")
__all__ = ["inmates_built"]  # the fixture, imported for pytest to find

LATENCY = r"^latency ns: min=(\d+) avg=(\d+) max=(\d+) samples=(\d+)\s*$"


def attack(tmp_path, args: str, until: str, timeout: float = 10):
    run = boot(tmp_path, "attack", args, until=until, timeout=timeout)
    assert "FATAL EXCEPTION" not in run.log, run.log
    assert re.search(until, run.log, re.M), run.log
    return run


def test_gic_demo_idle_spin_keeps_its_interrupts(tmp_path):
    run = boot(tmp_path, "gic-demo", "samples=20 idle=spin", until=LATENCY, count=2, timeout=20)
    assert "gic-demo: idle by spinning, no wfi" in run.log
    assert [int(m.group(4)) for m in run.lines(LATENCY)][:2] == [20, 40], run.log


def test_gic_demo_idle_default_and_unknown(tmp_path):
    run = boot(tmp_path, "gic-demo", "samples=10 idle=nap", until=LATENCY, timeout=20)
    assert "gic-demo: idle=nap unknown, idle with wfi" in run.log
    assert "idle by spinning" not in run.log and run.lines(LATENCY), run.log


@pytest.mark.parametrize("sleep", [False, True])
def test_ap1r_claims_priority_zero_and_stays(tmp_path, sleep):
    run = attack(tmp_path, "attack=ap1r" + (" wfi" if sleep else ""),
                 r"attack: ap1r: ICC_AP1R0_EL1 reads 0x\w+")
    assert f"ICC_AP1R0_EL1 = 1 (active priority 0x00), then {'wfi' if sleep else 'spin'} forever" in run.log
    assert "attack: ap1r: ICC_AP1R0_EL1 reads 0x1" in run.log  # bare metal: nothing clamps it
    assert "attack: ap1r: done" not in run.log


def test_ack_no_eoi_keeps_its_sgi_active(tmp_path):
    run = attack(tmp_path, "attack=ack-no-eoi", r"attack: ack-no-eoi: SGI 9 acknowledged")
    assert "attack: ack-no-eoi: SGI 9: priority 0x00 written, reads 0x0" in run.log
    assert "SGI 9 acknowledged: yes (IAR1 9); never EOId, spin forever" in run.log
    assert "attack: ack-no-eoi: done" not in run.log


def test_mask_all_masks_and_sleeps(tmp_path):
    run = attack(tmp_path, "attack=mask-all", r"attack: mask-all: masked:")
    assert "attack: mask-all: masked: IGRPEN1 0 IGRPEN0 0 PMR 0x0 DAIF 0xf" in run.log
    assert "attack: mask-all: done" not in run.log


def test_eoir_foreign_deactivates_by_number(tmp_path):
    run = attack(tmp_path, "attack=eoir-foreign from=32 to=40", r"attack: eoir-foreign: done")
    assert ("ICC_EOIR1_EL1 of INTIDs 32-40 (not ours), each after acknowledging our SGI 9 (9 times); "
            "our SGI active now: 0") in run.log


def test_sgi_flood_takes_its_own_but_never_14_15(tmp_path):
    run = attack(tmp_path, "attack=sgi-flood seconds=1", r"attack: sgi-flood: done", timeout=20)
    m = run.lines(r"attack: sgi-flood: (\d+) SGIs in 1 s \((\d+) to us, .*\); we took (\d+), (\d+) of them 14/15")
    assert m, run.log
    sent, to_us, took, hv = (int(g) for g in m[0].groups())
    assert sent == 2 * to_us and to_us > 100 and 0 < took <= to_us, run.log
    assert hv == 0, run.log  # not enabled by us: the hypervisor's INTIDs in direct mode
