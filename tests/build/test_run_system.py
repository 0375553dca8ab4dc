"""The system-test runner's judgement of a console log: a result line another writer on the
shared UART garbled or forged does not go unnoticed (tests/run-system.py, judge())."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOP / "tests"))
_spec = importlib.util.spec_from_file_location("run_system", TOP / "tests" / "run-system.py")
assert _spec and _spec.loader
run_system = importlib.util.module_from_spec(_spec)
sys.modules["run_system"] = run_system  # dataclasses look their module up
_spec.loader.exec_module(run_system)

SPEC = run_system.TestSpec("t", Path("t.sh"))


def _judge(body: str, passed: int, failed: int) -> tuple[int, int]:
    text = f"SYSTEM-TEST-BEGIN\n{body}\nSYSTEM-TEST-END status=0 passed={passed} failed={failed}\n"
    r = run_system.judge(SPEC, text, False)
    return len(r.checks) - r.failed, r.failed


def test_intact_lines() -> None:
    assert _judge("CHECK-PASS: a\nCHECK-FAIL: b", 1, 1) == (1, 1)


def test_garbled_pass_is_counted_as_the_guest_reports_it() -> None:
    # what a cell writing to the same PL011 made of "CHECK-PASS: restart smp-demo"
    body = "CHECK-PASS: a\n[smp-demo] smp-demo: PSCI 1.1 on cpu0CHEC (mpiK-PASS: rdr 0x1)\nestart"
    assert _judge(body, 2, 0) == (2, 0)


def test_garbled_failure_fails() -> None:
    body = "CHECK-PASS: a\nCHEC x K-FAIL: b"
    passed, failed = _judge(body, 1, 1)
    assert failed == 1


def test_forged_line_fails() -> None:
    body = "CHECK-PASS: a\n[hostile] CHECK-PASS: all is well"
    assert _judge(body, 1, 0)[1] == 1


def test_old_end_marker_without_counts_is_still_read() -> None:
    r = run_system.judge(SPEC, "CHECK-PASS: a\nSYSTEM-TEST-END status=0\n", False)
    assert r.failed == 0


def test_uses_copies_the_sourced_script_into_the_guest(tmp_path: Path) -> None:
    (tmp_path / "body.sh").write_text("check a true\n")
    test = tmp_path / "t.sh"
    test.write_text("# uses: body.sh\n# timeout: 30\n. /tests/body.sh\n")
    spec = run_system.parse_spec(test)
    assert spec.uses == [tmp_path / "body.sh"] and spec.timeout == 30
    test.write_text("# uses: missing.sh\n")
    try:
        run_system.parse_spec(test)
    except ValueError as e:
        assert "[uses] no script 'missing.sh'" in str(e)
    else:
        raise AssertionError("a missing script was accepted")


def test_hostile_cells_trap_runs_the_same_body() -> None:
    spec = run_system.parse_spec(TOP / "tests" / "system" / "hostile-cells-trap.sh")
    assert spec.uses == [TOP / "tests" / "system" / "hostile-cells.sh"]
    text = spec.script.read_text()
    assert "ATTACKER=/etc/jailhouse/gic-demo-trap.cell" in text and ". /tests/hostile-cells.sh" in text


def test_cell_console_headers_are_read_in_order(tmp_path: Path) -> None:
    test = tmp_path / "t.sh"
    test.write_text("# cell-console: Booting Linux\n# linux: yes\n# cell-console: INIT (a|b)\n")
    spec = run_system.parse_spec(test)
    assert spec.cell_console == ["Booting Linux", "INIT (a|b)"] and spec.linux
    for bad in ("# cell-console: (unclosed\n", "# linux: maybe\n", "# arch: x86\n# linux: yes\n"):
        test.write_text(bad)
        try:
            run_system.parse_spec(test)
        except ValueError as err:
            assert "error: [" in str(err)
        else:
            raise AssertionError(f"{bad!r} accepted")


def _judge_cell(patterns: list[str], cell_text: str) -> list[tuple[bool, str]]:
    spec = run_system.TestSpec("t", Path("t.sh"), cell_console=patterns)
    text = "SYSTEM-TEST-BEGIN\nCHECK-PASS: a\nSYSTEM-TEST-END status=0 passed=1 failed=0\n"
    r = run_system.judge(spec, text, False, cell_text)
    return [c for c in r.checks if c[1].startswith("cell console")]


def test_cell_console_must_match_each_regex_after_the_previous() -> None:
    cell = "Booting Linux\nINIT\npower down\nBooting Linux\n"
    assert all(ok for ok, _ in _judge_cell(["Booting", "INIT", "power", "Booting"], cell))
    # the same line twice is one match, not two
    checks = _judge_cell(["Booting", "INIT", "Booting", "Booting"], cell)
    assert [ok for ok, _ in checks] == [True, True, True, False]
    # out of order: the second is looked for after the first
    assert [ok for ok, _ in _judge_cell(["power", "INIT"], cell)] == [True, False]
    # an empty or missing cell console fails every pattern
    assert [ok for ok, _ in _judge_cell(["Booting"], "")] == [False]


def test_cell_console_results_do_not_count_as_console_lines() -> None:
    """The guest's own count covers its console only: the cell console's checks come on top."""
    checks = _judge_cell(["x"], "x\n")
    assert checks == [(True, "cell console shows /x/")]
    spec = run_system.TestSpec("t", Path("t.sh"), cell_console=["x"])
    text = "SYSTEM-TEST-BEGIN\nCHECK-PASS: a\nSYSTEM-TEST-END status=0 passed=1 failed=0\n"
    assert run_system.judge(spec, text, False, "x\n").failed == 0


def test_every_arm64_boot_has_the_cell_console(tmp_path: Path) -> None:
    spec = run_system.TestSpec("t", Path("t.sh"))
    cmd = run_system.qemu_command(spec, tmp_path / "t.cpio", tmp_path / "t.log")
    assert f"file,id=cellcon,path={tmp_path / 't.cell.log'}" in cmd
    assert "pci-serial,chardev=cellcon,addr=02.0" in cmd
    x86 = run_system.TestSpec("t", Path("t.sh"), arch="x86")
    assert not any("pci-serial" in a for a in run_system.qemu_command(
        x86, tmp_path / "t.cpio", tmp_path / "t.log"))


def test_linux_files_hold_the_kernel_and_the_cell_initramfs(tmp_path: Path) -> None:
    files = run_system.linux_files(tmp_path / "cell.cpio")
    assert files[f"{run_system.LINUX_DIR}/Image"] == run_system.kernel_image("arm64")
    data = (tmp_path / "cell.cpio").read_bytes()
    assert b"init\0" in data and b"bin/busybox\0" in data and b"TRAILER!!!" in data
    assert run_system.CELL_INIT.read_bytes() in data


def test_cell_clean_judges_the_cell_console_like_the_guests() -> None:
    spec = run_system.TestSpec("t", Path("t.sh"), cell_clean=True)
    text = "SYSTEM-TEST-BEGIN\nCHECK-PASS: a\nSYSTEM-TEST-END status=0 passed=1 failed=0\n"
    assert run_system.judge(spec, text, False, "Booting Linux\nLINUX-CELL-INIT\n").failed == 0
    r = run_system.judge(spec, text, False, "[ 1.0] WARNING: CPU: 0 PID: 1 at x.c:1\n")
    assert r.failed == 1 and "WARNING: CPU" in [d for ok, d in r.checks if not ok][0]
    # without the header a panicking cell (linux-cell-faults) is not judged
    assert run_system.judge(run_system.TestSpec("t", Path("t.sh")), text, False,
                            "Kernel panic - not syncing\n").failed == 0


def test_ivshmem_module_and_tool_reach_both_initramfs(tmp_path: Path, monkeypatch) -> None:
    """jailhouse_ivshmem.ko (beside jailhouse.ko or one directory below) goes into the root's
    files and the Linux cell's initramfs; ivshmem-echo into the root's."""
    kmod = tmp_path / "kmod"
    (kmod / "ivshmem").mkdir(parents=True)
    (kmod / "jailhouse.ko").write_bytes(b"jh")
    mod = kmod / "ivshmem" / run_system.IVSHMEM_MODULE
    mod.write_bytes(b"ivshmem-module")
    arch = run_system.ARCHES["arm64"]
    monkeypatch.setitem(run_system.ARCHES, "arm64", run_system.Arch(
        **{**arch.__dict__, "module": kmod / "jailhouse.ko", "build": tmp_path / "build"}))
    assert run_system.ivshmem_module("arm64") == mod
    (tmp_path / "build" / "tools").mkdir(parents=True)
    (tmp_path / "build" / "tools" / "ivshmem-echo").write_bytes(b"tool")
    files = run_system.artifacts()
    assert files[f"lib/modules/{run_system.IVSHMEM_MODULE}"] == mod
    assert files["usr/sbin/ivshmem-echo"] == tmp_path / "build" / "tools" / "ivshmem-echo"
    run_system.linux_files(tmp_path / "cell.cpio")
    data = (tmp_path / "cell.cpio").read_bytes()
    assert f"lib/modules/{run_system.IVSHMEM_MODULE}\0".encode() in data
    assert b"ivshmem-module" in data
    mod.unlink()
    assert run_system.ivshmem_module("arm64") is None


def test_kexec_gives_the_guest_its_kernel_and_a_second_initramfs(tmp_path: Path) -> None:
    """`# kexec: yes` (arm only): the booted kernel and an initramfs with the same files (the
    test included, so the second system runs it again) but not the kexec files themselves."""
    test = tmp_path / "t.sh"
    test.write_text("# arch: arm\n# kexec: yes\ncheck a true\n")
    spec = run_system.parse_spec(test)
    assert spec.kexec and spec.arch == "arm"
    for bad in ("# kexec: yes\n", "# arch: arm\n# kexec: maybe\n"):
        test.write_text(bad)
        try:
            run_system.parse_spec(test)
        except ValueError as e:
            assert "[kexec]" in str(e)
        else:
            raise AssertionError(f"accepted: {bad!r}")
    test.write_text("# arch: arm\n# kexec: yes\ncheck a true\n")
    first = run_system.initramfs_for(spec, tmp_path).read_bytes()
    second = (tmp_path / "t.kexec.cpio").read_bytes()
    assert f"{run_system.KEXEC_DIR}/kernel\0".encode() in first
    assert f"{run_system.KEXEC_DIR}/initrd.cpio\0".encode() in first and second in first
    assert b"tests/test.sh\0" in second and b"check a true" in second and b"init\0" in second
    assert run_system.KEXEC_DIR.encode() not in second


def test_init_carries_the_first_systems_counts() -> None:
    """A kexec'd system's end marker counts the first one's results too (tests/guest/init)."""
    init = (TOP / "tests" / "guest" / "init").read_text()
    assert "jhtest\\.carried=" in init and init.index("carried") < init.index(". /tests/test.sh")
    text = ("SYSTEM-TEST-BEGIN\nCHECK-PASS: a\nCHECK-PASS: b\nSYSTEM-TEST-BEGIN\n"
            "CHECK-PASS: c\nSYSTEM-TEST-END status=0 passed=3 failed=0\n")
    assert run_system.judge(SPEC, text, False).failed == 0
    assert run_system.judge(SPEC, text.replace("passed=3", "passed=1"), False).failed == 1


def test_after_stop_needs_its_line_after_the_stop(tmp_path: Path) -> None:
    """`# after-stop: REGEX`: what must go on after the root stopped (kexec-cells-arm: the cell's
    reports) is a check of its own, judged on the lines after the stop line only."""
    spec = run_system.TestSpec("t", Path("t.sh"), stops="root stops", after_stop=r"^\[c\] tick")
    before = "SYSTEM-TEST-BEGIN\n[c] tick 1\nroot stops\n"
    assert run_system.judge(spec, before + "[c] tick 2\n", False).failed == 0
    r = run_system.judge(spec, before + "nothing\n", False)
    assert r.failed == 1 and [d for ok, d in r.checks if not ok] == [r"/^\[c\] tick/ after the stop"]
    test = tmp_path / "t.sh"
    test.write_text("# after-stop: x\n")
    try:
        run_system.parse_spec(test)
    except ValueError as e:
        assert "[after-stop] needs a stops: line" in str(e)
    else:
        raise AssertionError("after-stop without stops was accepted")


def _spec_of(tmp_path: Path, name: str, header: str) -> "run_system.TestSpec":
    script = tmp_path / f"{name}.sh"
    script.write_text(header + "check true true\n")
    return run_system.parse_spec(script)


def test_alone_by_header_and_by_arch(tmp_path: Path) -> None:
    assert not _spec_of(tmp_path, "a", "").alone
    assert _spec_of(tmp_path, "b", "# alone: yes\n").alone
    # ARMv7 Linux gives a starting CPU 1 s: its tests run alone unless they say otherwise
    assert _spec_of(tmp_path, "c", "# arch: arm\n").alone
    assert not _spec_of(tmp_path, "d", "# arch: arm\n# alone: no\n").alone


def test_side_by_side_runs_the_longest_first(tmp_path: Path) -> None:
    specs = [_spec_of(tmp_path, n, f"# timeout: {t}\n") for n, t in (("s", 60), ("l", 900),
                                                                       ("m", 300))]
    assert [s.name for s in run_system.schedule(specs, 2)] == ["l", "m", "s"]
    assert [s.name for s in run_system.schedule(specs, 1)] == ["s", "l", "m"]
