"""jh-compat-demo, written against the Jailhouse inmate API (lib/compat/include/inmate.h), booted
bare-metal: Jailhouse's command-line rules, timer interrupts through irq_init/timer_start, and
the message protocol with Jailhouse's names against a comm region page the test plants in RAM
(read back through the QEMU monitor). The same demo runs in a cell in cell-jh-compat.sh."""
from __future__ import annotations

import pytest

from inmate_qemu import boot, comm_region_blob, header_defines, inmates_built, read_u32s

pytestmark = pytest.mark.usefixtures("inmates_built")
__all__ = ["inmates_built"]  # the fixture, imported for pytest to find

COMM_ADDR = 0x7fff0000
ABI = header_defines("comm_region.h")


def test_cmdline_timer_and_interrupts(tmp_path):
    run = boot(tmp_path, "jh-compat-demo", "number=-42 hex=0x2A flag noflag=false "
               "name=a-name-longer-than-16 bad=12a badhex=0x plus=+5 beats=3",
               until=r"serving messages", timeout=20)
    log = run.log
    # the value is cut to the buffer (16 bytes with the NUL), as Jailhouse's parser does
    assert "jh-compat-demo: number=-42 hex=0x2a flag=1 noflag=0 name=a-name-longer-t\n" in log
    assert "jh-compat-demo: malformed: -1 -2, signed: 5\n" in log
    assert "jh-compat-demo: defaults: -7 1 dflt\n" in log
    assert "delay_us(100000) took" in log and ": ok\n" in log, log
    assert [f"beat {n}," in log for n in (1, 2, 3)] == [True] * 3
    assert "beat 4," not in log and "jh-compat-demo: 3 timer interrupts\n" in log


def comm_words(run) -> dict[str, int]:
    state, msg, reply = read_u32s(run.monitor["comm"])[:3]
    return {"state": state, "msg": msg, "reply": reply}


def test_locked_cell_denies_first_shutdown_with_jailhouse_names(tmp_path):
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"],
                            console_type=ABI["HV_CON_TYPE_PL011"], console_addr=0x09000000)
    run = boot(tmp_path, "jh-compat-demo", f"comm={COMM_ADDR:#x} beats=1 deny-first",
               blobs={COMM_ADDR: blob}, until=r"denying shutdown request 1", timeout=20,
               monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert "comm region JHCOMM revision 2, state 0, gic v3" in run.log, run.log
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING_LOCKED"], "msg": ABI["HV_MSG_NONE"],
                               "reply": ABI["HV_REPLY_DENIED"]}


def test_shutdown_consent_is_the_shut_down_state(tmp_path):
    blob = comm_region_blob(msg=ABI["HV_MSG_SHUTDOWN_REQUEST"],
                            console_type=ABI["HV_CON_TYPE_PL011"], console_addr=0x09000000)
    run = boot(tmp_path, "jh-compat-demo", f"comm={COMM_ADDR:#x} beats=1",
               blobs={COMM_ADDR: blob}, until=r"shutdown request 1: shutting down", timeout=20,
               monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert comm_words(run)["state"] == ABI["HV_CELL_SHUT_DOWN"]


def test_other_messages_get_jailhouse_replies(tmp_path):
    blob = comm_region_blob(msg=ABI["HV_MSG_RECONFIG_COMPLETED"],
                            console_type=ABI["HV_CON_TYPE_PL011"], console_addr=0x09000000)
    run = boot(tmp_path, "jh-compat-demo", f"comm={COMM_ADDR:#x} beats=1",
               blobs={COMM_ADDR: blob}, until=r"serving messages", timeout=20,
               monitor={"comm": f"xp /3wx {COMM_ADDR + 8:#x}"})
    assert comm_words(run) == {"state": ABI["HV_CELL_RUNNING"], "msg": ABI["HV_MSG_NONE"],
                               "reply": ABI["HV_REPLY_RECEIVED"]}
