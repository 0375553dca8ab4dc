#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copy what `configgen create --root DIR` reads from a running machine into DIR, as root, with
# nothing but a POSIX shell and cat/mkdir (busybox is enough):
#   x86:   the ACPI tables APIC, MCFG, DMAR, IVRS; /proc/iomem, /proc/ioports, /proc/cpuinfo;
#          sys/bus/pci/devices/*/{class,vendor,device,resource,irq}
#   arm64: /sys/firmware/fdt (device tree), /proc/iomem
#   both:  /sys/devices/system/cpu/{online,possible,present}
#   for `jailhouse hardware check --root DIR` also: /proc/cmdline, the firmware memory map
#          (sys/firmware/memmap/*/{start,end,type}) and the kernel log (dmesg)
# `jailhouse config collect` (tools/collect.c) copies the same files (tests/tools/test_cli_hw.py).
# Files the machine does not have are skipped. COLLECT_ROOT=DIR reads another tree instead of /
# (tests). Then: tar -C DIR -czf snapshot.tgz .   or run `configgen create --root DIR` there.
#
# usage: collect.sh DIR
set -eu

dest=${1:-}
if [ -z "$dest" ]; then
	echo "usage: collect.sh DIR" >&2
	exit 2
fi
src=${COLLECT_ROOT:-}

# copy FILE: $src/FILE -> $dest/FILE (a regular copy, whatever the source is: proc, sysfs, link)
copy() {
	[ -r "$src$1" ] || return 0
	mkdir -p "$dest$(dirname "$1")"
	cat "$src$1" > "$dest$1"
}

for f in /proc/iomem /proc/ioports /proc/cpuinfo /proc/cmdline /sys/devices/system/cpu/online \
	/sys/devices/system/cpu/possible /sys/devices/system/cpu/present /sys/firmware/fdt; do
	copy "$f"
done
for t in APIC MCFG DMAR IVRS; do
	copy "/sys/firmware/acpi/tables/$t"
done
for d in "$src"/sys/bus/pci/devices/*; do
	[ -e "$d" ] || continue
	name=${d##*/}
	for f in class vendor device resource irq; do
		copy "/sys/bus/pci/devices/$name/$f"
	done
done
for d in "$src"/sys/firmware/memmap/*; do
	[ -e "$d" ] || continue
	for f in start end type; do
		copy "/sys/firmware/memmap/${d##*/}/$f"
	done
done
if [ -n "$src" ]; then
	copy /dmesg
else
	dmesg > "$dest/dmesg" 2>/dev/null || rm -f "$dest/dmesg"
fi
if [ "$(id -u 2>/dev/null || echo 0)" != 0 ] && [ -z "$src" ]; then
	echo "collect.sh: not root: /proc/iomem and /proc/ioports hold zeros, the ACPI tables are unreadable" >&2
fi
