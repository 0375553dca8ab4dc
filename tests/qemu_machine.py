"""The project's one QEMU command line: the system tests, the bare-metal inmate tests, the demo and
the benches all boot through command().

`-nodefaults`: QEMU adds no device of its own (no virtio NIC, whose option ROM a fresh Debian
root lacks; no default serial, monitor, display or drives), so a boot needs nothing beyond what
`make deps` installs. Every device is named here or by the caller's `devices`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

QEMU = "qemu-system-aarch64"
VIRT_EL2 = "virt,virtualization=on,gic-version=3"
VIRT_EL1 = "virt,gic-version=3"
CPU = "cortex-a57"
# ARMv7 (armhf): HYP mode and GICv2 with its virtualization interfaces (GICH/GICV); highmem=off
# keeps every device below 4 GiB, where 32-bit Linux without LPAE highmem reaches it.
QEMU_ARM = "qemu-system-arm"
VIRT_ARM = "virt,virtualization=on,highmem=off,gic-version=2"
VIRT_ARM_SVC = "virt,highmem=off,gic-version=2"
CPU_ARM = "cortex-a15"
# x86: AMD SVM with nested paging under TCG (no KVM here); 4-level paging (no la57).
QEMU_X86 = "qemu-system-x86_64"
Q35 = "q35"
CPU_X86 = "qemu64,+svm,+npt"
ACCEL_X86 = "tcg,thread=multi"
# Bare-metal inmate builds: linked at BAREMETAL_BASE (inmates/Makefile), command line read from
# BAREMETAL_BASE + CMDLINE_OFFSET.
BAREMETAL_BASE = 0x40200000
CMDLINE_OFFSET = 0x1000


@dataclass
class Boot:
    """One QEMU run: what to load, where the console goes, which sockets to open."""
    kernel: Path
    serial: Path                       # the console UART(s), written straight into this file
    machine: str = VIRT_EL2
    cpu: str = CPU
    smp: int = 4
    memory: str = "1G"
    initrd: Path | None = None
    append: str | None = None
    dtb: Path | None = None            # None: QEMU's own device tree
    monitor: Path | None = None        # unix socket for the human monitor (HMP)
    gdb: Path | None = None            # unix socket for the gdbstub
    blobs: list[tuple[int, Path]] = field(default_factory=list)   # raw files at guest addresses
    devices: list[str] = field(default_factory=list)             # -device arguments, explicit
    extra: list[str] = field(default_factory=list)               # e.g. -icount shift=0,sleep=off
    qemu: str = QEMU
    accel: str | None = None
    serials: int = 1                   # >1: that many UARTs (COM1, COM2...) into serial, muxed
    cell_console: Path | None = None   # arm64 virt: a pci-serial at 00:02.0 writing this file


def serial_args(boot: Boot) -> list[str]:
    """One UART straight into the file; several through one mux chardev, so they share it."""
    if boot.serials <= 1:
        return ["-serial", f"file:{boot.serial}"]
    return ["-chardev", f"file,id=serial,path={boot.serial},mux=on"] + \
        ["-serial", "chardev:serial"] * boot.serials


# The board's second UART (dts/boards/qemu-arm64-virt.dts, node pci_serial): a 16550 behind the
# PCI host at 00:02.0, I/O BAR0, for a non-root cell's console (docs/linux-cell.md).
CELL_CONSOLE_BDF = "02.0"


def cell_console_args(boot: Boot) -> list[str]:
    if boot.cell_console is None:
        return []
    return ["-chardev", f"file,id=cellcon,path={boot.cell_console}",
            "-device", f"pci-serial,chardev=cellcon,addr={CELL_CONSOLE_BDF}"]


def command(boot: Boot) -> list[str]:
    cmd = [boot.qemu, "-nodefaults"] + (["-accel", boot.accel] if boot.accel else []) + \
        ["-M", boot.machine, "-cpu", boot.cpu,
         "-smp", str(boot.smp), "-m", boot.memory, "-display", "none", "-no-reboot"] + \
        serial_args(boot) + ["-kernel", str(boot.kernel)]
    if boot.initrd:
        cmd += ["-initrd", str(boot.initrd)]
    if boot.append is not None:
        cmd += ["-append", boot.append]
    if boot.dtb:
        cmd += ["-dtb", str(boot.dtb)]
    if boot.monitor:
        cmd += ["-monitor", f"unix:{boot.monitor},server=on,wait=off"]
    if boot.gdb:
        cmd += ["-chardev", f"socket,id=gdb,path={boot.gdb},server=on,wait=off",
                "-gdb", "chardev:gdb"]
    for addr, path in boot.blobs:
        cmd += ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]
    cmd += cell_console_args(boot)
    for device in boot.devices:
        cmd += ["-device", device]
    return cmd + boot.extra
