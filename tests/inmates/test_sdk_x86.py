"""The x86 inmate SDK and the x86 part of the Jailhouse compat API: a program written in
Jailhouse's API (PM timer, APIC timer on its own vector, parked-CPU SMP, IPIs, command line)
built out of tree with inmate.mk against an SDK installed into a temporary DESTDIR, then booted
bare-metal on q35 with four CPUs."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from x86_qemu import BAREMETAL_BASE, BUILD, TOP, boot, x86_inmates_built

pytestmark = pytest.mark.usefixtures("x86_inmates_built")
__all__ = ["x86_inmates_built"]  # the fixture, imported for pytest to find

PROGRAM = r"""#include <inmate.h>

#define TIMER_VECTOR	32
#define IPI_VECTOR	41

static volatile unsigned int timer_hits, ipis;

static void handler(unsigned int vector)
{
	if (vector == TIMER_VECTOR)
		timer_hits++;
	if (vector == IPI_VECTOR)
		ipis++;
}

static void secondary(void)
{
	printk("sdk-x86: cpu %u started\n", cpu_id());
	irq_send_ipi(smp_cpu_ids[0], IPI_VECTOR);
}

void inmate_main(void)
{
	unsigned long long t0 = pm_timer_read();
	unsigned int n;

	printk("sdk-x86: n=%lld on cpu %u\n", cmdline_parse_int("n", -1), cpu_id());
	irq_init(handler);
	enable_irqs();
	printk("sdk-x86: apic timer %s\n", apic_timer_init(TIMER_VECTOR) ? "calibrated" : "none");
	apic_timer_set(1000000);
	delay_us(50000);
	printk("sdk-x86: %u timer interrupt(s)\n", timer_hits);
	smp_wait_for_all_cpus();
	for (n = 1; n < smp_num_cpus; n++) {
		smp_start_cpu(smp_cpu_ids[n], secondary);
		while (ipis < n)
			cpu_relax();
	}
	printk("sdk-x86: %u cpus, %u ipis, pm timer %s\n", smp_num_cpus, ipis,
	       pm_timer_read() > t0 ? "advanced" : "stuck");
}
"""


@pytest.fixture(scope="module")
def sdk(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("destdir")
    res = subprocess.run(["make", "-s", "-C", str(TOP / "inmates"), "install-sdk", "ARCH=x86",
                          "CROSS_COMPILE=", f"DESTDIR={dest}", "PREFIX=/usr", f"O={BUILD}",
                          f"CONFIG_INCLUDE={BUILD.parent / 'include'}"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    return dest / "usr" / "lib" / "jailhouse" / "inmate"


def test_jailhouse_api_program_on_x86(tmp_path, sdk):
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "sdk-x86.c").write_text(PROGRAM)
    (proj / "Makefile").write_text("INMATE := sdk-x86\nSOURCES := sdk-x86.c\nAPI := jailhouse\n"
                                   f"include {sdk}/inmate.mk\n")
    res = subprocess.run(["make", "-C", str(proj), "ARCH=x86", "CROSS_COMPILE=",
                          f"INMATE_BASE={BAREMETAL_BASE:#x}", "COMM_REGION=0"],
                         capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert res.returncode == 0, res.stdout + res.stderr
    run = boot(tmp_path, proj / "sdk-x86.elf", "n=0x10", smp=4, until=r"sdk-x86: \d+ cpus",
               timeout=30)
    out = run.com1
    assert "sdk-x86: n=16 on cpu 0\n" in out, out
    assert "sdk-x86: apic timer calibrated\n" in out
    assert "sdk-x86: 1 timer interrupt(s)\n" in out, out
    assert sorted(line for line in out.splitlines() if "started" in line) == [
        f"sdk-x86: cpu {n} started" for n in (1, 2, 3)]
    assert "sdk-x86: 4 cpus, 3 ipis, pm timer advanced\n" in out, out
