"""The ARMv7 inmates (inmates/lib/arm) booted by qemu-system-arm without a hypervisor, in SVC
mode on a Cortex-A15 with a GICv2: the demos, the library's fault reports (data abort, undefined
instruction), the self-test (64-bit division, Thumb-2 interworking), the comm region protocol
against a page the test plants in RAM, the Jailhouse API (jh-compat-demo), and the hostile
inmate's ARMv7 attacks that need no hypervisor."""
from __future__ import annotations

import re

import pytest

from inmate_qemu import ARM, boot, comm_region_blob, header_defines, inmates_built_arm, read_u32s

pytestmark = pytest.mark.usefixtures("inmates_built_arm")
__all__ = ["inmates_built_arm"]  # the fixture, imported for pytest to find

LATENCY = r"^latency ns: min=(\d+) avg=(\d+) max=(\d+) samples=(\d+)\s*$"
COMM_ADDR = 0x7fff0000
ABI = header_defines("comm_region.h")
PL011 = {"console_type": ABI["HV_CON_TYPE_PL011"], "console_addr": 0x09000000}


def arm_boot(tmp_path, demo: str, cmdline: str = "", **kw):
    return boot(tmp_path, demo, cmdline, target=ARM, **kw)


def comm_words(run) -> dict[str, int]:
    state, msg, reply = read_u32s(run.monitor["comm"])[:3]
    return {"state": state, "msg": msg, "reply": reply}


def test_uart_demo_counts_and_powers_off(tmp_path):
    run = arm_boot(tmp_path, "uart-demo", "count=3 period-ms=20", timeout=15)
    assert run.returncode == 0, run.log
    assert [int(m.group(1)) for m in run.lines(r"uart-demo: hello (\d+)")] == [1, 2, 3]
    assert "console pl011" in run.log and "psci hvc" in run.log and "mmu off" in run.log
    assert 'command line "count=3 period-ms=20"' in run.log


def test_gic_demo_icount_latency_is_deterministic(tmp_path):
    """GICv2 delivery of the cp15 virtual timer: with one instruction per ns and no sleeping,
    the latency is the vector entry alone; reports=N ends with PSCI SYSTEM_OFF."""
    run = arm_boot(tmp_path, "gic-demo", "samples=50 reports=2", timeout=30,
                   extra=["-icount", "shift=0,sleep=off"])
    assert run.returncode == 0, run.log
    reports = [tuple(int(g) for g in m.groups()) for m in run.lines(LATENCY)]
    assert [r[3] for r in reports] == [50, 100], run.log
    assert all(hi < 1000 for _, _, hi, _ in reports), reports


def test_gic_demo_pmu_option_is_refused_cleanly(tmp_path):
    run = arm_boot(tmp_path, "gic-demo", "samples=10 reports=1 pmu", timeout=20)
    assert run.returncode == 0, run.log
    assert "no PMU support in this library, pmu ignored" in run.log
    assert run.lines(LATENCY) and "pmu latency" not in run.log


def test_smp_demo_second_cpu_context_id_in_r0_and_cpu_off(tmp_path):
    run = arm_boot(tmp_path, "smp-demo", "off-after=12", smp=2,
                   until=r"cpu0 \(mpidr 0x0\) count=20", timeout=20)
    assert "PSCI 1.1" in run.log and "CPU_ON(0x1) succeeded" in run.log, run.log
    ctx = run.lines(r"cpu1 up, mpidr 0x1, context id in r0 = (0x[0-9a-f]+) "
                    r"\(expected (0x[0-9a-f]+)\) (\w+)")
    assert ctx and ctx[0].group(1) == ctx[0].group(2) == "0x1a7e0001", run.log
    assert ctx[0].group(3) == "ok"
    assert "cpu1 calling PSCI CPU_OFF after 12 ticks" in run.log
    # a negative PSCI status or a wrong-width long would print something else
    assert "AFFINITY_INFO(0x1) = 1 (off)" in run.log, run.log
    assert not run.lines(r"cpu1 \(mpidr 0x1\) count=15"), "cpu1 kept counting after CPU_OFF"


@pytest.mark.parametrize("write", [False, True])
def test_fault_demo_reports_data_abort(tmp_path, write):
    addr = 0xdead1000 if write else 0xdead0000
    run = arm_boot(tmp_path, "fault-demo", f"addr={addr:#x}" + (" write" if write else ""),
                   until=r"cpu 0 halted", timeout=15)
    m = run.lines(r"FATAL EXCEPTION: data abort at PC (0x[0-9a-f]{8}) on cpu 0")
    assert m, run.log
    dfsr = run.lines(r"DFSR=(0x[0-9a-f]+) \(synchronous external abort, (read|write)\) "
                     r"DFAR=(0x[0-9a-f]+)")
    assert dfsr and dfsr[0].group(2) == ("write" if write else "read"), run.log
    assert int(dfsr[0].group(3), 16) == addr
    # DFSR.WnR (bit 11) agrees with the decoded direction
    assert (int(dfsr[0].group(1), 16) >> 11) & 1 == write
    assert "SPSR=0x" in run.log and "(ARM state)" in run.log
    assert "did not fault" not in run.log


def test_fault_demo_undefined_instruction_report(tmp_path):
    run = arm_boot(tmp_path, "fault-demo", "trap", until=r"cpu 0 halted", timeout=15)
    pc = run.lines(r"FATAL EXCEPTION: undefined instruction at PC 0x([0-9a-f]{8}) on cpu 0")
    assert pc, run.log
    # GCC's __builtin_trap() in ARM state: the permanently undefined udf encoding
    assert run.lines(r"^instruction 0xe7f[0-9a-f]{2}0f[0-9a-f] \(ARM\)$"), run.log
    assert "accessing" not in run.log


def test_lib_selftest(tmp_path):
    """printk (incl. l vs ll widths), command line, timer, 64-bit division, Thumb-2 code."""
    run = arm_boot(tmp_path, "lib-selftest", "str=hello num2=7 num=42 hex=0x1F flag bad=12x "
                   "off=off list=3,0x3f8,17 badlist=5,x,6", timeout=15)
    assert run.returncode == 0, run.log
    m = run.lines(r"selftest: (\d+) passed, (\d+) failed")
    assert m and int(m[0].group(1)) >= 45 and m[0].group(2) == "0", run.log


def test_comm_region_locked_cell_denies_then_approves(tmp_path):
    """The veto with GICv2 comm region fields: deny, then (the hypervisor's part played through
    the gdbstub) a second request is approved and the lock released."""
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"], gic_version=2, **PL011)
    second = [(COMM_ADDR + 16, (ABI["HV_REPLY_NONE"]).to_bytes(4, "little")),
              (COMM_ADDR + 12, (ABI["HV_MSG_SHUTDOWN_REQUEST"]).to_bytes(4, "little"))]
    run = arm_boot(tmp_path, "deny-shutdown", f"comm={COMM_ADDR:#x} period-ms=50",
                   blobs={COMM_ADDR: blob}, until=r"denying shutdown request 1", timeout=15,
                   then=(second, r"shutdown request approved"),
                   monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert "cell state RUNNING_LOCKED" in run.log, run.log
    assert "approving shutdown request 2" in run.log, run.log
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING"], "msg": ABI["HV_MSG_NONE"],
                               "reply": ABI["HV_REPLY_APPROVED"]}


def test_comm_region_revision_mismatch_fails_the_cell(tmp_path):
    blob = comm_region_blob(revision=ABI["HV_COMM_REVISION"] + 1, gic_version=2, **PL011)
    run = arm_boot(tmp_path, "uart-demo", f"comm={COMM_ADDR:#x}", blobs={COMM_ADDR: blob},
                   until=r"stopping", timeout=10,
                   monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert re.search(r"comm region at 0x7fff0000 has signature JHCOMM revision \d+, need "
                     r"JHCOMM revision \d+: stopping", run.log), run.log
    assert comm_words(run)["state"] == ABI["HV_CELL_FAILED_COMM_REV"]
    assert "uart-demo: hello" not in run.log


def test_jh_compat_demo_cmdline_timer_and_gicv2_comm_region(tmp_path):
    """The Jailhouse API on ARMv7: Jailhouse's command-line rules, timer interrupts through
    irq_init/timer_start, and the comm region's GIC fields under Jailhouse's names."""
    blob = comm_region_blob(msg=ABI["HV_MSG_RECONFIG_COMPLETED"], gic_version=2, **PL011)
    run = arm_boot(tmp_path, "jh-compat-demo", f"comm={COMM_ADDR:#x} number=-42 hex=0x2A flag "
                   "noflag=false name=a-name-longer-than-16 bad=12a badhex=0x plus=+5 beats=3",
                   blobs={COMM_ADDR: blob}, until=r"serving messages", timeout=20,
                   monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    log = run.log
    assert "jh-compat-demo: number=-42 hex=0x2a flag=1 noflag=0 name=a-name-longer-t\n" in log
    assert "jh-compat-demo: malformed: -1 -2, signed: 5\n" in log
    assert "delay_us(100000) took" in log and ": ok\n" in log, log
    assert "jh-compat-demo: 3 timer interrupts\n" in log, log
    assert "gic v2" in log, log
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING"], "msg": ABI["HV_MSG_NONE"],
                               "reply": ABI["HV_REPLY_RECEIVED"]}


@pytest.mark.parametrize("attack", ["thumb", "cond", "actlr", "setway"])
def test_arm32_attacks_check_out_on_real_hardware(tmp_path, attack):
    """The ARMv7 trap-decoding attacks (tests/arm/attack-cp15.c) that do not depend on a
    hypervisor's GIC clamping, on QEMU's own GIC and cp15 without one: their checks pass, so
    that an ERROR from inside a cell is the hypervisor's (and the Thumb IT-block code runs in
    this ARM-state library)."""
    run = arm_boot(tmp_path, "attack", f"attack={attack}", until=rf"{attack}: done",
                   timeout=15)
    assert run.lines(rf"^attack: {attack}: \d+ checks ok$"), run.log
    assert "ERROR" not in run.log and "FATAL" not in run.log, run.log
