# ARMv7: the root reboots while the hypervisor is enabled, after a cell came and went and with a
# cell running. Linux's restart (reboot -f: machine_restart, PSCI SYSTEM_RESET by SMC) reaches
# the hypervisor, which passes the root's wish to the firmware: the machine resets (QEMU runs
# with -no-reboot, so it stops) with no FATAL line and no hypervisor panic after it.
# arch: arm
# stops: Hypervisor: root requested system reset
# timeout: 120

INM=/usr/share/jailhouse/inmates
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "a cell comes and goes" sh -c "jailhouse cell create /etc/jailhouse/gic-demo.cell && \
	jailhouse cell destroy gic-demo"
check "a cell runs" sh -c "jailhouse cell create /etc/jailhouse/smp-demo.cell && \
	jailhouse cell load smp-demo $INM/smp-demo.bin -s con=hvc -a 0x1000 && \
	jailhouse cell start smp-demo"
check_output "still enabled" "^1$" cat /sys/devices/jailhouse/enabled
echo "rebooting; the machine is expected to stop"
reboot -f
sleep 30
echo "CHECK-FAIL: reboot -f returned to the shell"
