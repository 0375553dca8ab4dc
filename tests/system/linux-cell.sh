# Linux in a cell: Debian's stock arm64 kernel (the root's own) boots in linux-demo (cpu1 +
# cpu2) with `jailhouse cell linux`, prints on its own console (the board's pci-serial, checked
# by the runner in NAME.cell.log; its INTx counted by the cell), runs a CPU and memory load
# while the root runs one too and gic-demo (cpu3) keeps reporting beside it, and powers off
# through PSCI SYSTEM_OFF: the cell ends shut down, the root unaffected. Then it is booted
# again and destroyed while it runs.
# linux: yes
# cell-clean: yes
# timeout: 400
# cell-console: Booting Linux on physical CPU 0x0*1
# cell-console: Kernel command line: .*cell\.mode=normal
# cell-console: LINUX-CELL-INIT mode=normal cpus=2
# cell-console: LINUX-CELL-RESULT load rounds=[1-9][0-9]* cpus=2 errors=0
# cell-console: LINUX-CELL-IRQ [0-9]+: ([1-9][0-9]* [0-9]+|[0-9]+ [1-9][0-9]*) .*ttyS0
# cell-console: LINUX-CELL-POWEROFF
# cell-console: reboot: Power down
# cell-console: Booting Linux on physical CPU 0x0*1
# cell-console: Kernel command line: .*cell\.mode=busy
# cell-console: Booting Linux on physical CPU 0x0*3
# cell-console: LINUX-CELL-INIT mode=normal cpus=1
# cell-console: LINUX-CELL-RESULT load rounds=[1-9][0-9]* cpus=1 errors=0
# cell-console: LINUX-CELL-POWEROFF

GIC_DEMO=/usr/share/jailhouse/inmates/gic-demo.bin

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
root_canary_write
used0=$(cat /sys/devices/jailhouse/mem_pool_used)

# gic-demo beside it, on cpu3, for the whole test
check "gic-demo: create" jailhouse cell create /etc/jailhouse/gic-demo.cell
check "gic-demo: load and start" sh -c "jailhouse cell load gic-demo $GIC_DEMO \
	-s 'con=hvc samples=100' -a 0x1000 && jailhouse cell start gic-demo"

t0=$(cut -d' ' -f1 /proc/uptime)
check_output "linux: boots in linux-demo (cell linux: create, load, start)" \
	'Cell "linux-demo" created' linux_cell_boot normal "cell.seconds=8 panic=-1"
t1=$(cut -d' ' -f1 /proc/uptime)
info "jailhouse cell linux (33 MB Image + initramfs) took $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
check_output "linux: cpu1 and cpu2 left the root (cpu3: gic-demo)" "^0$" cat /sys/devices/system/cpu/online
check_output "linux: running" "^running$" cell_state_of linux-demo
r=$(root_load 20)
info "root load beside the Linux cell: $r (rounds errors)"
check "root: its own load's results right ($r)" test "${r#* }" = 0 -a "${r% *}" -gt 0
check "linux: powers itself off (PSCI SYSTEM_OFF): shut down" \
	wait_cell_state linux-demo "shut down" 150
t2=$(cut -d' ' -f1 /proc/uptime)
info "Linux cell from cell linux to shut down (20 s root load in between): $(echo "$t0 $t2" | awk '{ printf "%.1f", $2 - $1 }') s"
check_output "linux: the hypervisor console says so" \
	'Cell "linux-demo" shut itself down \(PSCI SYSTEM_OFF on CPU 1\)' jailhouse console
check_output "linux: no failed CPUs" "linux-demo +shut down +1-2 +- " jailhouse cell list
# Linux's GIC set-up touches every interrupt, the hypervisor's and the root's too: ignored,
# quietly (a warning each would use up the cell's warnings before anything worth reporting)
check_fails "linux: its boot left no warning on the hypervisor console" \
	sh -c "jailhouse console | grep 'Cell \"linux-demo\": '"
check_output "gic-demo: still running" "^running$" cell_state_of gic-demo
root_canary_intact "root: canary intact"

# again, then destroyed while it runs its endless load
check "linux: boots again in the same cell" linux_cell_boot busy
sleep 30
check_output "linux: running again" "^running$" cell_state_of linux-demo
jailhouse cell stats linux-demo | grep -E "vmexits_(total|mmio|virt_irq|virt_sgi|psci|wfi)" |
	while read -r name total rate; do info "busy Linux cell, direct mode: $name $total, $rate/s"; done
check "linux: destroy while it runs" jailhouse cell destroy linux-demo
check_output "linux: cpu1 and cpu2 back with the root" "^0-2$|^0,1,2$|^0-3$" \
	cat /sys/devices/system/cpu/online
check "linux: cpu1 runs Linux again" taskset -c 1 true
check "linux: cpu2 runs Linux again" taskset -c 2 true

r0=$(gic_demo_reports)
sleep 5
check "gic-demo: kept reporting beside Linux ($(gic_demo_reports) lines)" test "$(gic_demo_reports)" -gt "$r0"
check "gic-demo: shutdown" jailhouse cell shutdown gic-demo
check "gic-demo: destroy" jailhouse cell destroy gic-demo

# smp-demo beside a Linux cell: a one-CPU Linux on cpu3 (the rig's four CPUs: the root's,
# smp-demo's two and Linux's)
ticks() { jailhouse console | grep 'smp-demo: cpu1 (mpidr 0x2) count=' | tail -1; }
check "smp-demo: create" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "smp-demo: load and start" sh -c "jailhouse cell load smp-demo \
	/usr/share/jailhouse/inmates/smp-demo.bin -s 'con=hvc print-every=5' -a 0x1000 &&
	jailhouse cell start smp-demo"
LINUX_CELL=/etc/jailhouse/linux-demo-1cpu.cell
check_output "linux-1cpu: boots on cpu3 beside smp-demo" 'Cell "linux-1cpu" created' \
	linux_cell_boot normal "cell.seconds=5 panic=-1"
check_output "root: CPU 0 alone" "^0$" cat /sys/devices/system/cpu/online
check "linux-1cpu: powers itself off: shut down" wait_cell_state linux-1cpu "shut down" 150
check_output "linux-1cpu: by PSCI SYSTEM_OFF on CPU 3" \
	'Cell "linux-1cpu" shut itself down \(PSCI SYSTEM_OFF on CPU 3\)' jailhouse console
t0=$(ticks)
sleep 3
check "smp-demo: its second CPU kept counting beside it ($(ticks))" test -n "$t0" -a "$(ticks)" != "$t0"
check_output "smp-demo: still running" "^running$" cell_state_of smp-demo
check "linux-1cpu: destroy" jailhouse cell destroy linux-1cpu
check "smp-demo: destroy" jailhouse cell destroy smp-demo
check_output "all CPUs back with the root" "^0-3$" cat /sys/devices/system/cpu/online
check_output "cell list empty" "^ID" sh -c 'jailhouse cell list | tail -1'
check_output "hypervisor memory use back where it began" "^$used0\$" \
	cat /sys/devices/jailhouse/mem_pool_used
root_canary_intact "root: canary intact at the end"
check "disable" jailhouse disable
