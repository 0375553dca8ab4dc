# Memory hand-over: the root sees a cell's loadable RAM only between load and start, never the
# running cell's RAM; a destroyed (or reloaded) cell's RAM reads back as zero; 50 create/destroy
# cycles (and 10 with a run) leave the hypervisor's memory use where it began.
# timeout: 400

INM=/usr/share/jailhouse/inmates
RAM=0x7f000000
# all_zero: 17 words spread over the cell's 1 MiB (image, command line page, stacks, the end)
all_zero() {
	for off in 0x0 0x1000 0x2000 0x10000 0x20000 0x30000 0x38000 0x40000 0x50000 0x60000 \
		   0x70000 0x80000 0x90000 0xa0000 0xc0000 0xe0000 0xff000; do
		v=$(devmem $((RAM + off)) 32) || return 1
		[ $((v)) -eq 0 ] || { echo "word at +$off is $v"; return 1; }
	done
}

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
info "hypervisor pool pages used before any cell: $used0"
check "create gic-demo" jailhouse cell create /etc/jailhouse/gic-demo.cell
check_fails "the created (not loadable) cell's RAM is out of the root's reach" devmem $RAM 32
check "load gic-demo" jailhouse cell load gic-demo $INM/gic-demo.bin -s "con=hvc samples=20" \
	-a 0x1000
check_output "between load and start the root sees the image" "^0x[0-9A-F]*[1-9A-F][0-9A-F]*$" \
	devmem $RAM 32
check_output "... and the command line (\"con=\")" "^0x3D6E6F63$" devmem $((RAM + 0x1000)) 32
check "start" jailhouse cell start gic-demo
sleep 2
check_fails "the running cell's RAM: the root gets a bus error" devmem $RAM 32
check_output "the hypervisor reports the root's attempt" "Unhandled data read at 0x7f000000" \
	jailhouse console
check "shut down: loadable again" jailhouse cell shutdown gic-demo
check "the cell's RAM was scrubbed before the root got it back (reload)" all_zero
check "run again" sh -c "jailhouse cell load gic-demo $INM/gic-demo.bin -s con=hvc -a 0x1000 && \
	jailhouse cell start gic-demo"
sleep 1
check "destroy" jailhouse cell destroy gic-demo
check "RAM of the destroyed cell reads back as zero" all_zero
check "the next cell gets the same RAM" jailhouse cell create /etc/jailhouse/gic-demo.cell
check "make its loadable RAM visible to the root (no image)" jailhouse cell shutdown gic-demo
check "the new cell's RAM is all zero" all_zero
check "destroy it" jailhouse cell destroy gic-demo
check_output "pool use back where it began" "^$used0\$" cat /sys/devices/jailhouse/mem_pool_used

ok=0
i=0
while [ $i -lt 50 ]; do
	jailhouse cell create /etc/jailhouse/gic-demo.cell >/dev/null && \
		jailhouse cell destroy gic-demo && ok=$((ok + 1))
	i=$((i + 1))
done
check_output "50 create/destroy cycles" "^50$" echo $ok
check_output "pool use unchanged after 50 cycles" "^$used0\$" cat /sys/devices/jailhouse/mem_pool_used
ok=0
i=0
while [ $i -lt 10 ]; do
	jailhouse cell create /etc/jailhouse/smp-demo.cell >/dev/null && \
		jailhouse cell load smp-demo $INM/smp-demo.bin -s "con=hvc quiet" -a 0x1000 && \
		jailhouse cell start smp-demo && sleep 0.2 && \
		jailhouse cell destroy smp-demo && ok=$((ok + 1))
	i=$((i + 1))
done
check_output "10 create/load/start/destroy cycles of smp-demo" "^10$" echo $ok
check_output "pool use unchanged after them" "^$used0\$" cat /sys/devices/jailhouse/mem_pool_used
check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
