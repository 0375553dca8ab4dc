# Two cells at once: smp-demo (CPUs 1+2, its second CPU started with PSCI CPU_ON) and gic-demo
# (CPU 3); root Linux keeps CPU 0. Then stop, reload with another command line and restart
# smp-demo while gic-demo keeps running; destroy both.
# timeout: 240

INM=/usr/share/jailhouse/inmates
# count_console REGEX: how many console lines match
count_console() {
	jailhouse console | grep -cE "$1"
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
check "create smp-demo" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "create gic-demo" jailhouse cell create /etc/jailhouse/gic-demo.cell
check_output "Linux keeps CPU 0 only" "^0$" cat /sys/devices/system/cpu/online
check "load smp-demo" jailhouse cell load smp-demo $INM/smp-demo.bin -s "con=hvc print-every=5" \
	-a 0x1000
check "load gic-demo" jailhouse cell load gic-demo $INM/gic-demo.bin -s "con=hvc samples=50" \
	-a 0x1000
check "start smp-demo" jailhouse cell start smp-demo
check "start gic-demo" jailhouse cell start gic-demo
sleep 4
check_output "both running" "smp-demo +running +1-2 .*gic-demo +running +3 " \
	sh -c 'jailhouse cell list | tr "\n" " "'
check_output "smp-demo started its second CPU with CPU_ON, context id ok" \
	"smp-demo: cpu1 up, mpidr 0x2, context id in x0 = .* ok" jailhouse console
check_output "smp-demo: both CPUs count timer ticks" "smp-demo: cpu1 \(mpidr 0x2\) count=" \
	jailhouse console
check_output "gic-demo reports latency at the same time" "latency ns: min=" jailhouse console
check "root Linux still works (checksum of 8 MiB twice)" sh -c \
	'a=$(dd if=/dev/zero bs=1M count=8 2>/dev/null | md5sum); b=$(dd if=/dev/zero bs=1M count=8 2>/dev/null | md5sum); [ "$a" = "$b" ]'
check_output "smp-demo took the RTC's interrupt from the root (no SGI leak: root alive)" \
	"^running$" cat /sys/devices/jailhouse/cells/1/state

# stop, reload, restart smp-demo; gic-demo must not notice
lat_before=$(count_console "latency ns")
check "shutdown smp-demo (asks it: not passive)" jailhouse cell shutdown smp-demo
check_output "smp-demo approved the shutdown request" "inmate: shutdown request approved" \
	jailhouse console
check_output "smp-demo shut down" "^shut down$" cat /sys/devices/jailhouse/cells/1/state
check "reload smp-demo with another command line" jailhouse cell load smp-demo \
	$INM/smp-demo.bin -s "con=hvc print-every=2 quiet" -a 0x1000
check "restart smp-demo" jailhouse cell start smp-demo
sleep 3
check_output "smp-demo runs again" "^running$" cat /sys/devices/jailhouse/cells/1/state
check_output "second run started CPU 1 again" "^2$" count_console "smp-demo: CPU_ON\(0x2\) succeeded"
lat_after=$(count_console "latency ns")
check "gic-demo kept reporting meanwhile" test "$lat_after" -gt "$lat_before"
check_output "gic-demo still running" "^running$" cat /sys/devices/jailhouse/cells/2/state

check "destroy gic-demo" jailhouse cell destroy gic-demo
check "destroy smp-demo" jailhouse cell destroy smp-demo
check_output "all CPUs back with Linux" "^0-3$" cat /sys/devices/system/cpu/online
check "CPUs 1-3 schedule Linux tasks" sh -c 'taskset -c 1 true && taskset -c 2 true && taskset -c 3 true'
check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
check "disable" jailhouse disable
