# `make demo` runs this script with the guest console shown live; `make check` runs it as a test.
# Until cells exist: load the module into the running Linux and show what it found at EL2.
# dtb: qemu
# append: quiet

echo "== Linux $(uname -r) is running on CPUs $(cat /sys/devices/system/cpu/online)"
dmesg | grep -E "CPU: All CPU\(s\) started at EL2|kvm \[1\]"
echo "== loading the hypervisor module"
check "insmod jailhouse.ko" insmod /lib/modules/jailhouse.ko
dmesg | grep "jailhouse:"
echo "== jailhouse status"
jailhouse status
check "the module found the hyp stub at EL2" grep -q "Linux hyp stub installed" /sys/devices/jailhouse/el2
check "rmmod jailhouse" rmmod jailhouse
echo "== done, powering off"
