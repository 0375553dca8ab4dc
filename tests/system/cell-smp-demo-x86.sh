# smp-demo in its cell (CPUs 2+3): the first CPU starts in real mode at the reset address, the
# second only on the cell's own INIT/SIPI (emulated by the hypervisor), first with the
# all-excluding-self shorthand, then by APIC id (apic=3); both count their own local APIC timer.
# With ticks=N the demo ends by itself; a second start on the same CPUs works the same.
# arch: x86
# timeout: 180

INM=/usr/share/jailhouse/inmates
STATE=/sys/devices/jailhouse/cells/1/state
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "create smp-demo" jailhouse cell create /etc/jailhouse/smp-demo.cell
check_output "CPUs 2 and 3 left Linux" "^0-1$" cat /sys/devices/system/cpu/online
check "load (all other CPUs, 10 ticks)" jailhouse cell load smp-demo $INM/smp-demo.bin \
	-s "print-every=5 ticks=10" -a 0x1000
check "start" jailhouse cell start smp-demo
sleep 4
check_output "first CPU: APIC id 2, starts all others" \
	"^\[smp-demo\] smp-demo: cpu0 \(apic id 2\) starting all other CPUs$" jailhouse console
check_output "the comm region says 2 CPUs, both came" "^\[smp-demo\] smp-demo: 2 CPUs online$" \
	jailhouse console
check_output "second CPU is APIC id 3" "^\[smp-demo\] smp-demo: cpu1 up, apic id 3$" \
	jailhouse console
check_output "IPI from CPU 0 reached CPU 1" "^\[smp-demo\] smp-demo: cpu1 got IPI 1$" \
	jailhouse console
check_output "CPU 1's own timer ticks" "^\[smp-demo\] smp-demo: cpu1 \(apic id 3\) count=(5|10)$" \
	jailhouse console
check_output "CPU 0 ended the demo after its 10 ticks" "^\[smp-demo\] smp-demo: done after 1[0-9] ticks on cpu0$" \
	jailhouse console
check_output "the cell shut itself down" "^shut down$" cat $STATE
check_output "INIT/SIPI counted on CPU 3" "^[1-9][0-9]*$" \
	cat /sys/devices/jailhouse/statistics/cpu3/vmexits_init_sipi
check "load again (APIC id 3 only)" jailhouse cell load smp-demo $INM/smp-demo.bin \
	-s "apic=3 print-every=5" -a 0x1000
check "start again" jailhouse cell start smp-demo
sleep 3
check_output "starts one CPU" "^\[smp-demo\] smp-demo: cpu0 \(apic id 2\) starting one CPU$" \
	jailhouse console
check_output "both CPUs online in the second run too" "^2$" \
	sh -c 'jailhouse console | grep -c "smp-demo: 2 CPUs online"'
check_output "running" "^running$" cat $STATE
check_output "Linux works on CPUs 0 and 1 meanwhile" "^ok ok$" \
	sh -c 'echo $(taskset -c 0 echo ok) $(taskset -c 1 echo ok)'
check "shutdown (asks the cell)" jailhouse cell shutdown smp-demo
check_output "the cell approved" "^\[smp-demo\] inmate: shutdown request approved" jailhouse console
check "destroy" jailhouse cell destroy smp-demo
check_output "CPUs back with Linux" "^0-3$" cat /sys/devices/system/cpu/online
check "CPUs 2 and 3 run Linux work" sh -c 'taskset -c 2 true && taskset -c 3 true'
check "disable" jailhouse disable
