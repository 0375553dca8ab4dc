# x86 cells through the driver: creating a cell takes its CPUs from Linux (offlined), loading
# copies the image into the cell's RAM, the cell runs (uart-demo on COM2, smp-demo on two CPUs,
# apic-demo through the console hypercall) while Linux keeps working, destroying gives the CPUs
# back to Linux (INIT/SIPI), and the hypervisor disables cleanly afterwards.
# arch: x86
# timeout: 240

ONLINE=/sys/devices/system/cpu/online
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell

check "create uart-demo" jailhouse cell create /etc/jailhouse/uart-demo.cell
check_output "... CPU 1 left Linux" "^0,2-3$" cat $ONLINE
check_output "... listed" "uart-demo" jailhouse cell list
check "load uart-demo" jailhouse cell load uart-demo /usr/share/jailhouse/inmates/uart-demo.bin
check "start uart-demo" jailhouse cell start uart-demo
check "create smp-demo beside it" jailhouse cell create /etc/jailhouse/smp-demo.cell
check_output "... CPUs 2 and 3 left Linux" "^0$" cat $ONLINE
check "load smp-demo" jailhouse cell load smp-demo /usr/share/jailhouse/inmates/smp-demo.bin
check "start smp-demo" jailhouse cell start smp-demo
sleep 3
check_output "uart-demo runs" "running" jailhouse cell list
check_output "Linux works on CPU 0 meanwhile" "^ok$" taskset -c 0 echo ok
check_output "smp-demo prints through the console hypercall" "\[smp-demo\] inmate: cell image" \
	jailhouse console
check "destroy smp-demo" jailhouse cell destroy smp-demo
check_output "... CPUs 2 and 3 back with Linux" "^0,2-3$" cat $ONLINE
check "destroy uart-demo" jailhouse cell destroy uart-demo
check_output "... all CPUs back with Linux" "^0-3$" cat $ONLINE
for cpu in 1 2 3; do
	check_output "CPU $cpu runs Linux work again" "^ok$" taskset -c $cpu echo ok
done

check "create apic-demo on a CPU another cell had" jailhouse cell create /etc/jailhouse/apic-demo.cell
check "load apic-demo" jailhouse cell load apic-demo /usr/share/jailhouse/inmates/apic-demo.bin
check "start apic-demo" jailhouse cell start apic-demo
sleep 3
check_output "apic-demo reports latencies" "\[apic-demo\] latency ns: min=" jailhouse console
check "destroy apic-demo" jailhouse cell destroy apic-demo
check_output "all CPUs back with Linux" "^0-3$" cat $ONLINE
check "disable" jailhouse disable
check "module unloads" rmmod jailhouse
