# x86 memory hand-over: the root sees a cell's loadable RAM only between load and start, never
# the running cell's RAM (its access faults in the hypervisor and Linux gets a #GP); a shut down,
# destroyed or freshly created cell's RAM reads back as zero (scrubbed); the hypervisor's pool
# use (HYPERVISOR_GET_INFO, in sysfs) grows with a cell and comes back to where it began, also
# after 20 create/destroy cycles and 5 with a run of smp-demo.
# arch: x86
# timeout: 400

INM=/usr/share/jailhouse/inmates
RAM=0x3b100000	# apic-demo's 1 MiB
POOL=/sys/devices/jailhouse/mem_pool_used
# all_zero: 17 words spread over the cell's 1 MiB (image, command line page, stacks, the end)
all_zero() {
	for off in 0x0 0x1000 0x2000 0x10000 0x20000 0x30000 0x38000 0x40000 0x50000 0x60000 \
		   0x70000 0x80000 0x90000 0xa0000 0xc0000 0xe0000 0xff000; do
		v=$(devmem $((RAM + off)) 32) || return 1
		[ $((v)) -eq 0 ] || { echo "word at +$off is $v"; return 1; }
	done
}
# the root's user-space #GP on a refused access is expected here: no "traps:" lines for it
echo 0 > /proc/sys/debug/exception-trace

check "module loads" insmod /lib/modules/jailhouse.ko
check "before enable the pool is the root's RAM: devmem reads it" devmem $RAM 32
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat $POOL)
info "hypervisor pool pages used before any cell: $used0 of $(cat /sys/devices/jailhouse/mem_pool_size)"
check "create apic-demo" jailhouse cell create /etc/jailhouse/apic-demo.cell
used1=$(cat $POOL)
check "the cell's page tables and bitmaps come from the pool ($used0 -> $used1)" \
	test "$used1" -gt "$used0"
check_fails "the created (not loadable) cell's RAM is out of the root's reach" devmem $RAM 32
check_output "the hypervisor reports the root's attempt" \
	'FATAL: nested page fault on CPU [0-3] \(cell "root-linux"\): .*FAR 0x3b100000' jailhouse console
check "load apic-demo" jailhouse cell load apic-demo $INM/apic-demo.bin -s "samples=20" -a 0x1000
check_output "between load and start the root sees the image (cli; ljmp)" "^0x[0-9A-F]{4}EAFA$" \
	devmem $RAM 32
check_output "... and the command line (\"samp\")" "^0x706D6173$" devmem $((RAM + 0x1000)) 32
check "start" jailhouse cell start apic-demo
sleep 2
check_fails "the running cell's RAM: the root's access faults" devmem $((RAM + 0x2000)) 32
check_output "the hypervisor reports it" \
	'FATAL: nested page fault on CPU [0-3] \(cell "root-linux"\): .*FAR 0x3b102000' jailhouse console
check_output "the cell still runs" "^running$" cat /sys/devices/jailhouse/cells/1/state
check "shut down: loadable again" jailhouse cell shutdown apic-demo
check "the cell's RAM was scrubbed before the root got it back (reload)" all_zero
check "run again" sh -c "jailhouse cell load apic-demo $INM/apic-demo.bin -a 0x1000 && \
	jailhouse cell start apic-demo"
sleep 1
check "destroy" jailhouse cell destroy apic-demo
check "RAM of the destroyed cell reads back as zero" all_zero
check "the next cell gets the same RAM" jailhouse cell create /etc/jailhouse/apic-demo.cell
check "make its loadable RAM visible to the root (no image)" jailhouse cell shutdown apic-demo
check "the new cell's RAM is all zero" all_zero
check "destroy it" jailhouse cell destroy apic-demo
check_output "pool use back where it began" "^$used0\$" cat $POOL

ok=0
i=0
while [ $i -lt 20 ]; do
	jailhouse cell create /etc/jailhouse/apic-demo.cell >/dev/null && \
		jailhouse cell destroy apic-demo && ok=$((ok + 1))
	i=$((i + 1))
done
check_output "20 create/destroy cycles" "^20$" echo $ok
check_output "pool use unchanged after 20 cycles" "^$used0\$" cat $POOL
ok=0
i=0
while [ $i -lt 5 ]; do
	jailhouse cell create /etc/jailhouse/smp-demo.cell >/dev/null && \
		jailhouse cell load smp-demo $INM/smp-demo.bin -s "print-every=100" -a 0x1000 && \
		jailhouse cell start smp-demo && sleep 0.3 && \
		jailhouse cell destroy smp-demo && ok=$((ok + 1))
	i=$((i + 1))
done
check_output "5 create/load/start/destroy cycles of smp-demo (two CPUs)" "^5$" echo $ok
check_output "... each started its second CPU" "^5$" \
	sh -c 'jailhouse console | grep -c "smp-demo: 2 CPUs online"'
check_output "pool use unchanged after them" "^$used0\$" cat $POOL
check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
check "after disable the pool is the root's again: devmem reads it" devmem $RAM 32
