# Requests refused for what they are, with a message naming the real reason, and with nothing
# changed: a cell whose RAM Linux uses (this root DTB leaves gic-demo's RAM unreserved) is
# refused before the hypervisor writes it; an image too large for any loadable region, or at an
# address outside them, leaves the running cell running; start before any load says so.
# dtb: configs/qemu-arm64/root-unreserved.dtb
# timeout: 240

INM=/usr/share/jailhouse/inmates

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "Linux has gic-demo's RAM (0x7f000000) as System RAM" \
	iomem_covers 7f000000 7f0fffff "System RAM"
used0=$(cat /sys/devices/jailhouse/mem_pool_used)
mark_console
check_fails_with "gic-demo's RAM is Linux's: refused, the range and the fix named" \
	"RAM Linux uses: reserve it in the root DTB.*Cannot assign requested address" \
	jailhouse cell create /etc/jailhouse/gic-demo.cell
check_dmesg "... dmesg names the range" \
	"gic-demo\": memory 0x7f000000-0x7f0fffff is System RAM of Linux: reserve it"
check_output "... CPU 3 back online" "^0-3$" cat /sys/devices/system/cpu/online
check_output "... no cell" "^$" ls /sys/devices/jailhouse/cells
check_output "... pool use unchanged" "^$used0\$" cat /sys/devices/jailhouse/mem_pool_used
console_names_gic_demo() { new_console | grep -q gic-demo; }
check_fails "... before the hypervisor saw it (it would scrub that RAM)" console_names_gic_demo

check_fails_with "start before the cell exists: no such cell" "no such cell" \
	jailhouse cell start smp-demo
check "smp-demo (reserved RAM) created" jailhouse cell create /etc/jailhouse/smp-demo.cell
check_fails_with "start before any load: says no image is loaded" \
	"no image loaded since the cell was created or shut down" jailhouse cell start smp-demo
check "load smp-demo" jailhouse cell load smp-demo $INM/smp-demo.bin -s "con=hvc" -a 0x1000
check "start" jailhouse cell start smp-demo
sleep 1
check_output "running" "^running$" cat /sys/devices/jailhouse/cells/1/state

# 65 MiB of zeros: larger than smp-demo's 64 MiB loadable RAM
dd if=/dev/zero of=/tmp/big.bin bs=1M count=65 2>/dev/null
check_fails_with "image larger than every loadable region: says so" \
	"larger than every loadable region.*File too large" \
	jailhouse cell load smp-demo /tmp/big.bin
check_dmesg "... dmesg gives both sizes" \
	"image 0 of 68157440 bytes is larger than the largest loadable region of cell \"smp-demo\" \(67108864 bytes\)"
check_output "... the cell still runs" "^running$" cat /sys/devices/jailhouse/cells/1/state
rm -f /tmp/big.bin
check_fails_with "image at an address outside the loadable RAM: says so" \
	"outside the cell's loadable memory.*out of range" \
	jailhouse cell load smp-demo $INM/smp-demo.bin -a 0x10000000
check_dmesg "... dmesg names the address" "at 0x10000000 is not inside a loadable region"
check_output "... the cell still runs" "^running$" cat /sys/devices/jailhouse/cells/1/state
check_fails_with "a good image after a bad one: the whole request is refused" \
	"outside the cell's loadable memory" \
	jailhouse cell load smp-demo $INM/smp-demo.bin -a 0x1000 $INM/smp-demo.bin -a 0x8000000
check_output "... the cell still runs" "^running$" cat /sys/devices/jailhouse/cells/1/state
check_fails_with "the root cell is not loaded this way: says so" "root cell \(id 0\)" \
	jailhouse cell load 0 $INM/smp-demo.bin
check "shutdown" jailhouse cell shutdown smp-demo
check_fails_with "start after shutdown: no image loaded" "no image loaded" \
	jailhouse cell start smp-demo
check "destroy" jailhouse cell destroy smp-demo
check "disable" jailhouse disable
check_fails_with "create while disabled: says the hypervisor is not enabled" \
	"hypervisor is not enabled" jailhouse cell create /etc/jailhouse/smp-demo.cell

# A hypervisor built without CONFIG_EXIT_STATS: statistics say they are not there, not zeros
cp /usr/share/jailhouse/variants/no-exit-stats/jailhouse.bin /lib/firmware/jailhouse.bin
check "enable the build without exit statistics" jailhouse enable /etc/jailhouse/system.cell
check "smp-demo created" jailhouse cell create /etc/jailhouse/smp-demo.cell
check_fails_with "cell stats: not compiled in, not zeros" \
	"exit statistics are not compiled into the hypervisor \(CONFIG_EXIT_STATS\)" \
	jailhouse cell stats smp-demo
check_fails_with "... the sysfs file fails to read (EOPNOTSUPP)" "not supported" \
	cat /sys/devices/jailhouse/cells/1/statistics/vmexits_total
check_fails_with "... and the per-CPU one too" "not supported" \
	cat /sys/devices/jailhouse/statistics/cpu0/vmexits_total
check "destroy" jailhouse cell destroy smp-demo
check "disable" jailhouse disable
