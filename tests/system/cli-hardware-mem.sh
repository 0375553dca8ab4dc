# jailhouse hardware check under the upstream Jailhouse recipe: QEMU's own DTB (no reserved-memory)
# and mem=640M keeping Linux off the cell pool and the hypervisor memory (H2's driver accepts
# that). The check reads the same facts the driver does (DT /memory, System RAM in /proc/iomem):
# it passes, and enable then works; the second half of the check, that every System RAM range
# is root cell memory, passes too (the root's RAM ends where mem= does), and fails for a root
# cell that lacks some of it.
# dtb: qemu
# append: mem=640M
# timeout: 90

SYS=/etc/jailhouse/system.cell
HW="jailhouse hardware check"

check_fails "no reserved-memory in the device tree" ls /proc/device-tree/reserved-memory
check_output "hardware check: hypervisor memory is RAM Linux does not use (mem=)" \
	"OK +hypervisor memory: 0x7f800000-0x7fffffff \(8 MiB\): RAM, not used by Linux" $HW $SYS
check_output "... the cell pool too" "OK +cell pool: .*not used by Linux" $HW $SYS
check_output "... Linux's System RAM is all root cell memory" "OK +root cell memory: covers all" \
	$HW $SYS
check_output "... nothing makes enable fail" "nothing found that makes jailhouse enable fail" \
	$HW $SYS
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable, as the check said" jailhouse enable $SYS
check "disable" jailhouse disable

# a root cell that lacks Linux's RAM above 0x60000000 (its RAM region at 0x40000000 cut to
# 512 MiB): the check names the range Linux would fault on after enable (not tried here)
cp $SYS /tmp/short.cell
off=$(blob_peek32 /tmp/short.cell 412)	# the root cell's mem_regions_offset
n=$(blob_peek32 /tmp/short.cell 392)	# ... num_mem_regions
i=0
while [ $i -lt $n ]; do
	r=$((off + 32 * i))
	if [ "$(blob_peek32 /tmp/short.cell $r)" = $((0x40000000)) ] &&
	   [ "$(blob_peek32 /tmp/short.cell $((r + 4)))" = 0 ]; then
		blob_poke32 /tmp/short.cell $((r + 16)) $((0x20000000))
	fi
	i=$((i + 1))
done
blob_reseal /tmp/short.cell
check_fails_with "a root cell without all of Linux's RAM: the range named, exit 1" \
	"FAIL +root cell memory: 0x60000000-0x67ffffff is System RAM but not root cell memory" \
	$HW /tmp/short.cell
