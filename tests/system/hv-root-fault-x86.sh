# x86: a root cell whose regions leave the top of the RAM Linux uses unmapped (its region
# 0x3f000000+0xfe0000 cut to 1 MiB; configgen refuses that layout, this blob is patched).
# Linux's early allocations (memblock works top-down: per-CPU areas, page tables) live there, so
# once enabled every root CPU faults again and again. Each fault is reflected into Linux (#GP),
# but a root that keeps faulting is not recovering: the hypervisor stops once, saying why,
# instead of an endless stream of FATAL traps. The runner checks the stop and that the console
# stays quiet after it.
# arch: x86
# stops: Hint: the last was at guest-physical 0x3f[1-9a-f][0-9a-f]{5}, outside the root cell.s memory regions: if that is RAM Linux uses
# timeout: 180

SYS=/etc/jailhouse/system.cell
OUT=/tmp/uncovered.cell

check "module loads" insmod /lib/modules/jailhouse.ko
cp $SYS $OUT
n=$(blob_peek32 $OUT 392)		# root_cell.num_mem_regions
regions=$(blob_peek32 $OUT 412)	# root_cell.mem_regions_offset
ram=
for i in $(seq 0 $((n - 1))); do
	[ "$(blob_peek32 $OUT $((regions + 32 * i)))" = $((0x3f000000)) ] && ram=$i
done
check_output "the root's region 0x3f000000+0xfe0000 found" "^$((0xfe0000))\$" \
	blob_peek32 $OUT $((regions + 32 * ram + 16))
blob_poke32 $OUT $((regions + 32 * ram + 16)) $((0x100000))
blob_reseal $OUT
check_output "patched: it ends at 0x3f100000 now" "^$((0x100000))\$" \
	blob_peek32 $OUT $((regions + 32 * ram + 16))
check "Linux has RAM 0x3f100000-0x3ffdffff" iomem_covers 3f100000 3ffdffff "System RAM"

echo "enabling; the machine is expected to stop"
jailhouse enable $OUT
# still here: Linux may need a push onto its top RAM
mkdir -p /mnt/fill && mount -t tmpfs -o size=700M fill /mnt/fill
dd if=/dev/zero of=/mnt/fill/zeros bs=1M count=600 2>/dev/null
sleep 60
echo "CHECK-FAIL: the machine stopped while Linux ran on RAM it cannot reach"
