# `make demo ARCH=x86` runs this script with the guest console shown live; `make check` runs it
# as a test. Linux boots on a q35 PC, loads the hypervisor under itself (AMD SVM + nested
# paging) and becomes the root cell; two bare-metal cells get a CPU and 1 MiB of RAM each:
# uart-demo prints on its own serial port COM2, apic-demo measures its local APIC timer's
# interrupt latency and prints through the hypervisor console. Both are shut down and
# destroyed; the hypervisor is disabled and Linux has the whole machine back.
# arch: x86
# append: quiet
# timeout: 200

INM=/usr/share/jailhouse/inmates
echo "== Linux $(uname -r) is running on CPUs $(cat /sys/devices/system/cpu/online)"
echo "== insmod jailhouse.ko"
check "insmod jailhouse.ko" insmod /lib/modules/jailhouse.ko
echo "== jailhouse enable /etc/jailhouse/system.cell"
check "jailhouse enable" jailhouse enable /etc/jailhouse/system.cell
echo "== jailhouse cell create uart-demo.cell apic-demo.cell"
check "cell create uart-demo" jailhouse cell create /etc/jailhouse/uart-demo.cell
check "cell create apic-demo" jailhouse cell create /etc/jailhouse/apic-demo.cell
echo "   Linux CPUs now: $(cat /sys/devices/system/cpu/online)"
echo "== jailhouse cell load/start uart-demo (COM2) and apic-demo (hypervisor console)"
check "cell load uart-demo" jailhouse cell load uart-demo $INM/uart-demo.bin \
	-s "period-ms=500" -a 0x1000
check "cell load apic-demo" jailhouse cell load apic-demo $INM/apic-demo.bin \
	-s "samples=100" -a 0x1000
check "cell start uart-demo" jailhouse cell start uart-demo
check "cell start apic-demo" jailhouse cell start apic-demo
jailhouse cell list
echo "== the cells run for 5 seconds: uart-demo's lines on COM2, apic-demo's latency below"
sleep 5
check_output "uart-demo running" "^running$" cat /sys/devices/jailhouse/cells/1/state
check_output "apic-demo running" "^running$" cat /sys/devices/jailhouse/cells/2/state
jailhouse console | grep "^\[apic-demo\]"
check_output "apic-demo measured its latency" "^\[apic-demo\] latency ns: min=" jailhouse console
echo "== jailhouse cell stats apic-demo"
jailhouse cell stats apic-demo | grep -E "Statistics|exit reason|total|xapic|hypercall|mmio"
echo "== jailhouse cell shutdown, destroy (both)"
check "cell shutdown uart-demo" jailhouse cell shutdown uart-demo
check "cell shutdown apic-demo" jailhouse cell shutdown apic-demo
check "cell destroy uart-demo" jailhouse cell destroy uart-demo
check "cell destroy apic-demo" jailhouse cell destroy apic-demo
echo "   Linux CPUs now: $(cat /sys/devices/system/cpu/online)"
echo "== jailhouse disable"
check "jailhouse disable" jailhouse disable
check_output "Linux has all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
echo "== done, powering off"
