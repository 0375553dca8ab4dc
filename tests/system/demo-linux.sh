# `make demo-linux` runs this script with the guest console and the cell's console shown live;
# `make check` runs it as a test. Linux boots, loads the hypervisor under itself and becomes the
# root cell; `jailhouse cell linux` boots a second Linux, Debian's stock arm64 kernel, in the
# cell linux-demo (CPUs 1-2, 128 MiB, the PCI serial 00:02.0 as its console, lines shown as
# "cell | ...", booted with quiet: the cell's init and the kernel's last words); it runs a load
# for 5 seconds and powers itself off (PSCI SYSTEM_OFF), the root destroys the cell and disables
# the hypervisor.
# append: quiet
# linux: yes
# cell-clean: yes
# timeout: 200
# cell-console: LINUX-CELL-INIT mode=normal cpus=2
# cell-console: LINUX-CELL-RESULT .* errors=0
# cell-console: reboot: Power down

echo "== Linux $(uname -r) is running on CPUs $(cat /sys/devices/system/cpu/online)"
echo "== insmod jailhouse.ko; jailhouse enable /etc/jailhouse/system.cell"
check "insmod jailhouse.ko" insmod /lib/modules/jailhouse.ko
check "jailhouse enable" jailhouse enable /etc/jailhouse/system.cell
echo "== jailhouse cell linux linux-demo.cell Image -i initramfs.cpio -c '$LINUX_CMDLINE quiet ...'"
check "cell linux" linux_cell_boot normal "cell.seconds=5 quiet"
jailhouse cell list
echo "   root Linux CPUs now: $(cat /sys/devices/system/cpu/online)"
echo "== the second Linux boots, loads its two CPUs and powers off (PSCI SYSTEM_OFF)"
check "the cell powered itself off" wait_cell_state linux-demo "shut down" 150
jailhouse cell list
echo "== jailhouse cell destroy linux-demo; jailhouse disable"
check "cell destroy" jailhouse cell destroy linux-demo
check "jailhouse disable" jailhouse disable
check_output "Linux has all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
echo "== done, powering off"
