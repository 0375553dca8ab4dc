"""The ARMv7 inmate SDK (make -C inmates install-sdk ARCH=arm) and the ARMv7 part of the
Jailhouse compat API: a program in the style of upstream Jailhouse's ARMv7 gic-demo, written here
from the API's description (<inmate.h> and <gic.h>, irq_init/irq_enable(TIMER_IRQ),
timer_get_*/timer_start, map_range(MAP_UNCACHED), cmdline_parse_int, halt), built out of tree
with inmate.mk against an SDK in a temporary DESTDIR, then booted bare-metal; a native program
built for the ARMv7 gic-demo cell from its blob; and the pkg-config file."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from inmate_qemu import ARM, BAREMETAL_BASE, TOP, boot, inmates_built_arm

pytestmark = pytest.mark.usefixtures("inmates_built_arm")
__all__ = ["inmates_built_arm"]  # the fixture, imported for pytest to find

CELLS = ARM.build.parent / "configs" / "qemu-arm"

JH_PROGRAM = r"""#include <inmate.h>
#include <gic.h>

static volatile unsigned int beats;
static u64 ticks_per_beat, expected;

static void on_irq(unsigned int irqn)
{
	u64 late;

	if (irqn != TIMER_IRQ)
		return;
	late = timer_get_ticks() - expected;
	printk("sdk-arm: beat %u, late %6ld ns\n", ++beats, (long)timer_ticks_to_ns(late));
	expected = timer_get_ticks() + ticks_per_beat;
	timer_start(ticks_per_beat);
}

void inmate_main(void)
{
	void *reg = (void *)(unsigned long)cmdline_parse_int("reg", 0);

	if (reg)
		map_range(reg, 4, MAP_UNCACHED);
	printk("sdk-arm: reg=%p hz=%lu\n", reg, timer_get_frequency());
	irq_init(on_irq);
	irq_enable(TIMER_IRQ);
	gic_setup_irq_stack();
	ticks_per_beat = timer_get_frequency() / 100;
	expected = timer_get_ticks() + ticks_per_beat;
	timer_start(ticks_per_beat);
	halt();
}
"""

NATIVE = r"""#include <inmate.h>

void inmate_main(void)
{
	printk("native-arm: %llu\n", cmdline_get_u64("n", 1));
}
"""


@pytest.fixture(scope="module")
def sdk(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("destdir")
    res = subprocess.run(["make", "-s", "-C", str(TOP / "inmates"), "install-sdk", "ARCH=arm",
                          "CROSS_COMPILE=arm-linux-gnueabihf-", f"DESTDIR={dest}", "PREFIX=/usr",
                          f"O={ARM.build}", f"CONFIG_INCLUDE={ARM.build.parent / 'include'}"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    return dest / "usr" / "lib" / "jailhouse" / "inmate"


def project(tmp_path: Path, sdk: Path, name: str, source: str, api: str) -> Path:
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / f"{name}.c").write_text(source)
    (proj / "Makefile").write_text(f"INMATE := {name}\nSOURCES := {name}.c\nAPI := {api}\n"
                                   f"include {sdk}/inmate.mk\n")
    return proj


def make(proj: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(TOP))
    return subprocess.run(["make", "-C", str(proj), *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_installed_files_and_pkg_config(sdk):
    for rel in ["arm/libinmate.a", "arm/inmate.lds", "arm/flags.mk", "arm/defaults.c",
                "arm/include/inmate.h", "arm/include/arm.h", "arm/include/inmate-arch.h",
                "arm/compat/inmate.h", "arm/compat/gic.h", "arm/compat/jh-arch.h"]:
        assert (sdk / rel).is_file(), rel
    pc = (sdk.parents[2] / "share" / "pkgconfig" / "jailhouse-inmate-arm.pc").read_text()
    assert "archdir=${sdkdir}/arm" in pc
    assert "-march=armv7ve+fp" in pc and "-mgeneral-regs-only" in pc, pc


def test_jailhouse_api_gic_demo_style_program_runs(tmp_path, sdk):
    proj = project(tmp_path, sdk, "sdk-arm", JH_PROGRAM, "jailhouse")
    res = make(proj, "ARCH=arm", f"INMATE_BASE={BAREMETAL_BASE:#x}", "COMM_REGION=0")
    assert res.returncode == 0, res.stdout + res.stderr
    # the cell build's PSCI conduit is smc; bare-metal QEMU wants hvc
    run = boot(tmp_path, proj / "sdk-arm.elf", "psci=hvc reg=0x09000018", target=ARM,
               until=r"sdk-arm: beat 3,", timeout=20)
    assert "sdk-arm: reg=0x9000018 hz=62500000\n" in run.log, run.log
    assert [f"sdk-arm: beat {n}," in run.log for n in (1, 2, 3)] == [True] * 3, run.log


def test_native_program_links_at_the_arm_cells_address(tmp_path, sdk):
    cell = CELLS / "gic-demo.cell"
    proj = project(tmp_path, sdk, "native-arm", NATIVE, "native")
    res = make(proj, f"CELL={cell}")
    assert res.returncode == 0, res.stdout + res.stderr
    with open(proj / "native-arm.elf", "rb") as f:
        elf = ELFFile(f)
        assert elf["e_machine"] == "EM_ARM" and elf.header["e_entry"] == 0
    assert "comm region 0x80000000" in res.stdout, res.stdout
    # an ARMv7 SDK cannot build for another architecture: one line, no compiler run
    res = make(proj, f"CELL={cell}", "ARCH=arm64")
    assert res.returncode != 0 and "no arm64 inmate library" in res.stderr, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_jailhouse_api_demo_builds_like_the_tree(tmp_path, sdk):
    """jh-compat-demo built out of tree with the ARMv7 SDK for its cell is the very image the
    tree builds (and `make ARCH=arm sdk-inmates` stages for cells-arm.sh)."""
    src = (TOP / "inmates" / "demos" / "arm-common" / "jh-compat-demo.c").read_text()
    proj = project(tmp_path, sdk, "jh-compat-demo", src, "jailhouse")
    res = make(proj, f"CELL={CELLS / 'smp-demo.cell'}")
    assert res.returncode == 0, res.stdout + res.stderr
    assert (proj / "jh-compat-demo.bin").read_bytes() == \
        (ARM.build / "jh-compat-demo.bin").read_bytes()
