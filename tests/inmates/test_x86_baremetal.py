"""The x86 inmates booted bare-metal by QEMU (q35, TCG, multiboot, no hypervisor): UART output on
COM1 and COM2, LAPIC timer latency reports, INIT/SIPI start of every CPU, IPIs, the exception
report, the library self-test, and the comm region protocol against a page the test plants."""
from __future__ import annotations

import pytest

from inmate_qemu import header_defines, read_u32s
from x86_qemu import COMM_ADDR, baremetal, boot, comm_region_blob, x86_inmates_built

pytestmark = pytest.mark.usefixtures("x86_inmates_built")
__all__ = ["x86_inmates_built"]  # the fixture, imported for pytest to find

LATENCY = r"^latency ns: min=(\d+) avg=(\d+) max=(\d+) samples=(\d+)\s*$"
ABI = header_defines("comm_region.h")
COMM_WORDS = {"comm": f"xp /3wx {COMM_ADDR + 8:#x}"}


def latency_reports(run) -> list[tuple[int, ...]]:
    return [tuple(int(g) for g in m.groups()) for m in run.lines(LATENCY)]


def comm_words(run) -> dict[str, int]:
    state, msg, reply = read_u32s(run.monitor["comm"])[:3]
    return {"state": state, "msg": msg, "reply": reply}


def test_uart_demo_counts_and_powers_off(tmp_path):
    run = boot(tmp_path, baremetal("uart-demo"), "count=5 period-ms=20", timeout=15)
    assert run.returncode == 0, run.com1
    assert [int(m.group(1)) for m in run.lines(r"uart-demo: hello (\d+)")] == [1, 2, 3, 4, 5]
    assert "baremetal image at 0x10000" in run.com1
    assert "console 8250, comm region none" in run.com1
    assert "(PM timer)" in run.com1, "the TSC is calibrated against the q35 PM timer"
    assert 'command line "count=5 period-ms=20"' in run.com1


def test_uart_demo_on_com2(tmp_path):
    run = boot(tmp_path, baremetal("uart-demo"), "con-base=0x2f8 count=3 period-ms=10",
               timeout=15)
    assert run.returncode == 0, run.com1 + run.com2
    assert run.com1 == ""
    assert len(run.lines(r"uart-demo: hello \d+", port=2)) == 3, run.com2


def test_apic_demo_reports_sane_latency(tmp_path):
    run = boot(tmp_path, baremetal("apic-demo"), "samples=20 reports=3", timeout=20)
    assert run.returncode == 0, run.com1
    assert "apic-demo: APIC timer every 10000 us" in run.com1
    reports = latency_reports(run)
    assert [r[3] for r in reports] == [20, 40, 60], run.com1
    for lo, avg, hi, _ in reports:
        assert 0 <= lo <= avg <= hi, reports
        # TCG timers ride on host timers: tens of microseconds are normal, a period is not.
        assert avg < 10_000_000 and hi < 200_000_000, reports
    assert all(a[0] >= b[0] and a[2] <= b[2] for a, b in zip(reports, reports[1:]))


def test_apic_demo_icount_is_deterministic(tmp_path):
    """One instruction per ns, no sleeping: the latency is the vector entry alone."""
    run = boot(tmp_path, baremetal("apic-demo"), "samples=50 reports=2", timeout=30,
               extra=["-icount", "shift=0,sleep=off"])
    assert run.returncode == 0, run.com1
    reports = latency_reports(run)
    assert [r[3] for r in reports] == [50, 100], run.com1
    assert all(hi < 1000 for _, _, hi, _ in reports), reports


@pytest.mark.parametrize("cpus", [2, 4])
def test_smp_demo_starts_every_cpu(tmp_path, cpus):
    run = boot(tmp_path, baremetal("smp-demo"), f"cpus={cpus} period-ms=20 ticks=10",
               smp=cpus, timeout=20)
    assert run.returncode == 0, run.com1
    assert f"smp-demo: {cpus} CPUs online" in run.com1, run.com1
    up = {int(m.group(1)): int(m.group(2)) for m in run.lines(r"cpu(\d+) up, apic id (\d+)")}
    assert sorted(up) == list(range(1, cpus)), run.com1
    assert sorted(up.values()) == list(range(1, cpus)), "every AP once, the BSP is apic id 0"
    for cpu in range(cpus):
        counts = [int(m.group(1)) for m in run.lines(rf"cpu{cpu} \(apic id \d+\) count=(\d+)")]
        # cpu0 ends the demo at its tenth tick: an AP that started later may not get there
        assert counts[:2] == [5, 10] if cpu == 0 else counts[:1] == [5], run.com1
    for cpu in range(1, cpus):
        assert f"smp-demo: cpu{cpu} got IPI 1" in run.com1


def test_smp_demo_starts_one_apic_id(tmp_path):
    run = boot(tmp_path, baremetal("smp-demo"), "apic=2 cpus=2 period-ms=20 ticks=5", smp=4,
               timeout=20)
    assert run.returncode == 0, run.com1
    assert "smp-demo: 2 CPUs online" in run.com1
    assert run.lines(r"cpu1 up, apic id 2$"), run.com1
    assert not run.lines(r"cpu2 up"), run.com1


def test_lib_selftest(tmp_path):
    run = boot(tmp_path, baremetal("lib-selftest"),
               "str=hello num2=7 num=42 hex=0x1F flag bad=12x off=off list=3,0x3f8,17 badlist=5,x,6", timeout=15)
    assert run.returncode == 0, run.com1
    m = run.lines(r"selftest: (\d+) passed, (\d+) failed")
    assert m, run.com1
    assert int(m[0].group(1)) >= 30 and m[0].group(2) == "0", run.com1


def test_fault_demo_reports_general_protection(tmp_path):
    """Bare-metal, a non-canonical address faults (#GP); the library reports and halts."""
    run = boot(tmp_path, baremetal("fault-demo"), "addr=0x800000000000", until=r"cpu 0 halted",
               timeout=15)
    assert "FATAL EXCEPTION: vector 13 (#GP general protection) on cpu 0" in run.com1, run.com1
    assert run.lines(r"error=0x0 RIP=0x0000000000[0-9a-f]{6} CS=0x18"), run.com1
    assert "did not fault" not in run.com1


def test_comm_region_shutdown_request_approved(tmp_path):
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"],
                            console_type=ABI["HV_CON_TYPE_8250"], console_addr=0x3f8)
    run = boot(tmp_path, baremetal("apic-demo"), f"comm={COMM_ADDR:#x}",
               blobs={COMM_ADDR: blob}, until=r"shutdown request approved", timeout=10,
               monitor=COMM_WORDS)
    assert f"comm region {COMM_ADDR:#x}" in run.com1, run.com1
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING"], "msg": ABI["HV_MSG_NONE"],
                               "reply": ABI["HV_REPLY_APPROVED"]}


def test_comm_region_console_description_and_frequencies(tmp_path):
    """The comm region's 8250 (COM2 here) is the console and its tsc_khz/apic_khz are used as
    they are; returning sets SHUT_DOWN instead of powering off."""
    blob = comm_region_blob(console_type=ABI["HV_CON_TYPE_8250"], console_addr=0x2f8,
                            tsc_khz=1234567, apic_khz=1000000)
    run = boot(tmp_path, baremetal("uart-demo"), f"comm={COMM_ADDR:#x} count=2 period-ms=10",
               blobs={COMM_ADDR: blob}, until=r"hello 2", timeout=10, monitor=COMM_WORDS)
    assert run.com1 == "", run.com1
    assert "tsc 1234567 kHz (comm region), apic timer 1000000 kHz" in run.com2, run.com2
    assert run.returncode is None, "a cell image with a comm region parks instead of power-off"
    assert comm_words(run)["state"] == ABI["HV_CELL_SHUT_DOWN"]


def test_comm_region_locked_cell_denies_first_request(tmp_path):
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"],
                            console_type=ABI["HV_CON_TYPE_8250"], console_addr=0x3f8)
    run = boot(tmp_path, baremetal("deny-shutdown"), f"comm={COMM_ADDR:#x} period-ms=50",
               blobs={COMM_ADDR: blob}, until=r"alive 2, 1 request", timeout=10,
               monitor=COMM_WORDS)
    assert "denying shutdown request 1" in run.com1, run.com1
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING_LOCKED"],
                               "msg": ABI["HV_MSG_NONE"], "reply": ABI["HV_REPLY_DENIED"]}


def test_comm_region_revision_mismatch_fails_the_cell(tmp_path):
    blob = comm_region_blob(revision=ABI["HV_COMM_REVISION"] + 1,
                            console_type=ABI["HV_CON_TYPE_8250"], console_addr=0x3f8)
    run = boot(tmp_path, baremetal("uart-demo"), f"comm={COMM_ADDR:#x}", blobs={COMM_ADDR: blob},
               until=r"stopping", timeout=10, monitor=COMM_WORDS)
    assert "need JHCOMM revision" in run.com1, run.com1
    assert comm_words(run)["state"] == ABI["HV_CELL_FAILED_COMM_REV"]
    assert "uart-demo: hello" not in run.com1


def test_comm_region_console_none_stays_silent(tmp_path):
    """A cell given neither a UART nor the hypercall console touches no UART."""
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"])
    run = boot(tmp_path, baremetal("uart-demo"), f"comm={COMM_ADDR:#x}", blobs={COMM_ADDR: blob},
               timeout=3, monitor=COMM_WORDS)
    assert run.com1 == "" and run.com2 == ""
    assert comm_words(run)["reply"] == ABI["HV_REPLY_APPROVED"]


def test_reset_check_sees_the_cell_start_state(tmp_path):
    """The multiboot entry enters real mode in the cell-start contract's state, so everything
    but the local APIC SeaBIOS set up (enabled, LINT0 ExtINT, LINT1 NMI) reads as reset."""
    run = boot(tmp_path, baremetal("reset-check"), until=r"reset-check: dirtied", timeout=10)
    dirty = {m.group(1) for m in run.lines(r"reset-check: DIRTY (.+?)=")}
    assert dirty == {"apic svr", "apic lvt lint0", "apic lvt lint1"}, run.com1
    m = run.lines(r"reset-check: 3 of (\d+) registers DIRTY at start")
    assert m and int(m[0].group(1)) >= 70, run.com1


def test_attack_svm_instructions_raise_ud(tmp_path):
    """Bare-metal EFER.SVME is 0: every SVM instruction raises #UD, which a cell must see too
    (the hypervisor intercepts them); the probe turns the fault into a report."""
    run = boot(tmp_path, baremetal("attack"), "attack=svm", until=r"attack: svm: done",
               timeout=10)
    got = {m.group(1): m.group(2) for m in run.lines(r"attack: svm: (\w+): (\S+)")}
    assert got == {i: "#6" for i in ("vmrun", "vmload", "vmsave", "stgi", "clgi", "skinit",
                                     "invlpga")}, run.com1


def test_attack_hypercalls_without_hypervisor(tmp_path):
    run = boot(tmp_path, baremetal("attack"), "attack=hypercall",
               until=r"attack: hypercall: done", timeout=10)
    results = run.lines(r"attack: hypercall: .*=(-?\d+) \((\S+)\)$")
    assert len(results) == 11 and all(m.group(2) == "#6" for m in results), run.com1


def test_bystander_keeps_its_canary(tmp_path):
    run = boot(tmp_path, baremetal("bystander"), "period-ms=100 pin=4",
               until=r"bystander: tick=3 ", timeout=10)
    ticks = run.lines(r"bystander: tick=(\d+) canary=(\S+) stray-irqs=(\d+) ioapic=(\S+)")
    assert [int(m.group(1)) for m in ticks][:3] == [1, 2, 3], run.com1
    assert all(m.group(2) == "ok" and m.group(3) == "0" for m in ticks), run.com1
    assert ticks[0].group(4) == "0x10000", "pin 4 masked, as the firmware left it"
