"""The inmates booted by QEMU at EL1 without a hypervisor (the bare-metal reference of the
benchmarks): latency reports, the second CPU, the fault report, the command line, and the comm
region protocol against a comm region page the test plants in RAM."""
from __future__ import annotations

import re

import pytest

from inmate_qemu import boot, comm_region_blob, header_defines, inmates_built, read_u32s

pytestmark = pytest.mark.usefixtures("inmates_built")
__all__ = ["inmates_built"]  # the fixture, imported for pytest to find

LATENCY = r"^latency ns: min=(\d+) avg=(\d+) max=(\d+) samples=(\d+)\s*$"
COMM_ADDR = 0x7fff0000
ABI = header_defines("comm_region.h")


def latency_reports(run) -> list[tuple[int, int, int, int]]:
    return [tuple(int(g) for g in m.groups()) for m in run.lines(LATENCY)]


def test_gic_demo_reports_sane_latency(tmp_path):
    run = boot(tmp_path, "gic-demo", "samples=20", until=LATENCY, count=3, timeout=20)
    assert "gic-demo: virtual timer every 10000 us" in run.log
    reports = latency_reports(run)
    assert len(reports) >= 3, run.log
    for i, (lo, avg, hi, samples) in enumerate(reports[:3]):
        assert samples == 20 * (i + 1)
        assert 0 <= lo <= avg <= hi, reports
        # TCG timers ride on host timers: tens of microseconds are normal, a period is not.
        assert avg < 10_000_000 and hi < 200_000_000, reports
    # running figures: min never rises, max never falls
    assert all(a[0] >= b[0] and a[2] <= b[2] for a, b in zip(reports, reports[1:]))


def test_gic_demo_icount_is_deterministic_and_powers_off(tmp_path):
    """With one instruction per ns and no sleeping, the latency is the vector entry alone;
    reports=N makes the demo return, and bare-metal that is PSCI SYSTEM_OFF."""
    run = boot(tmp_path, "gic-demo", "samples=50 reports=2", timeout=30,
               extra=["-icount", "shift=0,sleep=off"])
    assert run.returncode == 0, run.log
    reports = latency_reports(run)
    assert [r[3] for r in reports] == [50, 100], run.log
    assert all(hi < 1000 for _, _, hi, _ in reports), reports


def test_gic_demo_pmu_measures_the_bare_metal_path(tmp_path):
    """The pmu option (used by bench/irq-latency) resolves what the 16 ns counter cannot: a
    non-zero bare-metal latency from the cycle counter, and no EL2 work without a hypervisor."""
    run = boot(tmp_path, "gic-demo", "samples=50 reports=1 pmu", timeout=30,
               extra=["-icount", "shift=0,sleep=off"])
    pmu = run.lines(r"pmu latency ns: min=(\d+) avg=(\d+) max=(\d+) samples=(\d+)")
    el2 = run.lines(r"el2 insns per irq: min=(\d+) avg=(\d+) max=(\d+) total=(\d+)")
    assert pmu and el2, run.log
    assert 1 <= int(pmu[-1].group(1)) <= int(pmu[-1].group(3)) < 1000, run.log
    assert int(el2[-1].group(4)) == 0, run.log


def test_uart_demo_counts_and_exits(tmp_path):
    run = boot(tmp_path, "uart-demo", "count=5 period-ms=20", timeout=15)
    assert run.returncode == 0, run.log
    assert [int(m.group(1)) for m in run.lines(r"uart-demo: hello (\d+)")] == [1, 2, 3, 4, 5]
    assert "console pl011" in run.log and "psci hvc" in run.log and "mmu on" in run.log
    assert 'command line "count=5 period-ms=20"' in run.log


def test_uart_demo_runs_with_mmu_off(tmp_path):
    run = boot(tmp_path, "uart-demo", "mmu=off count=2 period-ms=10", timeout=15)
    assert run.returncode == 0, run.log
    assert "mmu off" in run.log
    assert len(run.lines(r"uart-demo: hello \d+")) == 2


def test_smp_demo_second_cpu_gets_context_id_and_counts(tmp_path):
    run = boot(tmp_path, "smp-demo", "off-after=12", smp=2,
               until=r"cpu0 \(mpidr 0x0\) count=20", timeout=20)
    assert "PSCI 1.1" in run.log
    assert "CPU_ON(0x1) succeeded" in run.log
    ctx = run.lines(r"cpu1 up, mpidr 0x1, context id in x0 = (0x[0-9a-f]+) "
                    r"\(expected (0x[0-9a-f]+)\) (\w+)")
    assert ctx and ctx[0].group(1) == ctx[0].group(2) and ctx[0].group(3) == "ok", run.log
    for cpu, mpidr in ((0, 0), (1, 1)):
        counts = [int(m.group(1)) for m in run.lines(rf"cpu{cpu} \(mpidr 0x{mpidr}\) count=(\d+)")]
        assert counts[:2] == [5, 10], run.log
    assert "cpu1 calling PSCI CPU_OFF after 12 ticks" in run.log
    assert "AFFINITY_INFO(0x1) = 1 (off)" in run.log
    assert not run.lines(r"cpu1 \(mpidr 0x1\) count=15"), "cpu1 kept counting after CPU_OFF"


def test_smp_demo_alone_reports_no_second_cpu(tmp_path):
    run = boot(tmp_path, "smp-demo", "period-ms=20", smp=1,
               until=r"cpu0 \(mpidr 0x0\) count=10", timeout=15)
    assert "no second CPU could be started" in run.log
    assert run.lines(r"cpu0 \(mpidr 0x0\) count=10"), run.log


@pytest.mark.parametrize("write", [False, True])
def test_fault_demo_reports_data_abort(tmp_path, write):
    addr = 0xdead1000 if write else 0xdead0000
    run = boot(tmp_path, "fault-demo", f"addr={addr:#x}" + (" write" if write else ""),
               until=r"cpu 0 halted", timeout=15)
    assert f"will {'write' if write else 'read'} {addr:#x}" in run.log
    esr = run.lines(r"ESR_EL1=(0x[0-9a-f]+) EC=0x25 \(data abort\)")
    assert esr, run.log
    # WnR (ISS bit 6) tells a write from a read; DFSC 0x10: synchronous external abort
    assert (int(esr[0].group(1), 16) >> 6) & 1 == write
    assert int(esr[0].group(1), 16) & 0x3f == 0x10
    assert f"FAR_EL1={addr:#018x}" in run.log
    assert "did not fault" not in run.log


def test_fault_demo_inside_ram_does_not_fault(tmp_path):
    """The negative control: the same demo on a harmless address says so."""
    run = boot(tmp_path, "fault-demo", "addr=0x50000000", until=r"did not fault", timeout=10)
    assert "ERROR: the access did not fault" in run.log
    assert "FATAL EXCEPTION" not in run.log


def comm_words(run) -> dict[str, int]:
    state, msg, reply = read_u32s(run.monitor["comm"])[:3]
    return {"state": state, "msg": msg, "reply": reply}


def test_comm_region_shutdown_request_approved(tmp_path):
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"],
                            console_type=ABI["HV_CON_TYPE_PL011"], console_addr=0x09000000)
    run = boot(tmp_path, "gic-demo", f"comm={COMM_ADDR:#x}", blobs={COMM_ADDR: blob},
               until=r"shutdown request approved", timeout=10,
               monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert f"comm region {COMM_ADDR:#x}" in run.log, run.log
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING"], "msg": ABI["HV_MSG_NONE"],
                               "reply": ABI["HV_REPLY_APPROVED"]}


def test_comm_region_locked_cell_denies_first_request(tmp_path):
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"],
                            console_type=ABI["HV_CON_TYPE_PL011"], console_addr=0x09000000)
    run = boot(tmp_path, "deny-shutdown", f"comm={COMM_ADDR:#x} period-ms=50",
               blobs={COMM_ADDR: blob}, until=r"alive 2, 1 request", timeout=10,
               monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert "cell state RUNNING_LOCKED" in run.log
    assert "denying shutdown request 1" in run.log
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING_LOCKED"],
                               "msg": ABI["HV_MSG_NONE"], "reply": ABI["HV_REPLY_DENIED"]}


def test_comm_region_locked_cell_approves_second_request(tmp_path):
    """The whole veto: deny, then (the hypervisor's part played through the gdbstub: clear the
    reply, barrier, write the message) a second request is approved and the lock released."""
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"],
                            console_type=ABI["HV_CON_TYPE_PL011"], console_addr=0x09000000)
    second = [(COMM_ADDR + 16, (ABI["HV_REPLY_NONE"]).to_bytes(4, "little")),
              (COMM_ADDR + 12, (ABI["HV_MSG_SHUTDOWN_REQUEST"]).to_bytes(4, "little"))]
    run = boot(tmp_path, "deny-shutdown", f"comm={COMM_ADDR:#x} period-ms=50",
               blobs={COMM_ADDR: blob}, until=r"denying shutdown request 1", timeout=15,
               then=(second, r"shutdown request approved"),
               monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert "approving shutdown request 2" in run.log, run.log
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING"], "msg": ABI["HV_MSG_NONE"],
                               "reply": ABI["HV_REPLY_APPROVED"]}


def test_comm_region_other_messages_get_their_replies(tmp_path):
    blob = comm_region_blob(msg=ABI["HV_MSG_RECONFIG_COMPLETED"],
                            console_type=ABI["HV_CON_TYPE_PL011"], console_addr=0x09000000)
    run = boot(tmp_path, "uart-demo", f"comm={COMM_ADDR:#x} period-ms=20",
               blobs={COMM_ADDR: blob}, until=r"hello 3", timeout=10,
               monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING"], "msg": ABI["HV_MSG_NONE"],
                               "reply": ABI["HV_REPLY_RECEIVED"]}


def test_comm_region_revision_mismatch_fails_the_cell(tmp_path):
    blob = comm_region_blob(revision=ABI["HV_COMM_REVISION"] + 1,
                            console_type=ABI["HV_CON_TYPE_PL011"], console_addr=0x09000000)
    run = boot(tmp_path, "uart-demo", f"comm={COMM_ADDR:#x}", blobs={COMM_ADDR: blob},
               until=r"stopping", timeout=10,
               monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert re.search(r"comm region at 0x7fff0000 has signature JHCOMM revision 3, need "
                     r"JHCOMM revision 2: stopping", run.log), run.log
    assert comm_words(run)["state"] == ABI["HV_CELL_FAILED_COMM_REV"]
    assert "uart-demo: hello" not in run.log


def test_comm_region_console_none_stays_silent(tmp_path):
    """A cell given neither a UART nor the hypercall console must not touch the PL011."""
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"])
    run = boot(tmp_path, "uart-demo", f"comm={COMM_ADDR:#x}", blobs={COMM_ADDR: blob},
               timeout=3, monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert run.log == ""
    assert comm_words(run)["reply"] == ABI["HV_REPLY_APPROVED"]


def test_lib_selftest(tmp_path):
    """inmates/tests/lib-selftest.c: printk formats, command line, timer, strings, map_range."""
    run = boot(tmp_path, "lib-selftest", "str=hello num2=7 num=42 hex=0x1F flag bad=12x off=off list=3,0x3f8,17 badlist=5,x,6",
               timeout=15)
    assert run.returncode == 0, run.log
    m = run.lines(r"selftest: (\d+) passed, (\d+) failed")
    assert m, run.log
    assert int(m[0].group(1)) >= 30 and m[0].group(2) == "0", run.log
