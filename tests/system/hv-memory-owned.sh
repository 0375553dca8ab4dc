# Booted without the root DTB, Linux owns the RAM the configuration gives the hypervisor:
# enable must refuse with words a user can act on, touching nothing.
# dtb: qemu

check "module loads" insmod /lib/modules/jailhouse.ko
check_fails_with "enable refused: memory used by Linux, reserve it in the device tree" \
	"used by Linux: reserve it in the device tree" jailhouse enable /etc/jailhouse/system.cell
check_dmesg "kernel log names the range" "hypervisor memory 0x7f800000-0x7fffffff is used by Linux"
check_output "not enabled" "^0$" cat /sys/devices/jailhouse/enabled
check "Linux unharmed: module unloads" rmmod jailhouse
