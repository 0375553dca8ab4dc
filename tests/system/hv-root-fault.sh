# A root cell whose regions leave the top 8 MiB of the RAM Linux uses unmapped (the root DTB
# reserves the cell pool above 0x68000000 whole, so Linux's RAM ends there) (configgen
# refuses that layout, mem-root-uncovered; this blob is patched). Linux's early allocations
# (per-CPU areas, page tables, the memory map) live there, so once enabled every root CPU
# faults again and again. Each fault is reflected into Linux, but a root that keeps faulting is
# not recovering: the hypervisor stops once, saying why, instead of an endless stream of FATAL
# traps. The runner checks the stop and that the console stays quiet after it.
# stops: Hint: the last was at guest-physical 0x67[89a-f][0-9a-f]{5}, outside the root cell.s memory regions: if that is RAM Linux uses
# timeout: 180

SYS=/etc/jailhouse/system.cell
OUT=/tmp/uncovered.cell

check "module loads" insmod /lib/modules/jailhouse.ko
cp $SYS $OUT
n=$(blob_peek32 $OUT 392)		# root_cell.num_mem_regions
regions=$(blob_peek32 $OUT 412)	# root_cell.mem_regions_offset
ram=
for i in $(seq 0 $((n - 1))); do
	[ "$(blob_peek32 $OUT $((regions + 32 * i)))" = $((0x40000000)) ] && ram=$i
done
check_output "the root's region 0x40000000+0x28000000 found" "^$((0x28000000))\$" \
	blob_peek32 $OUT $((regions + 32 * ram + 16))
blob_poke32 $OUT $((regions + 32 * ram + 16)) $((0x27800000))
blob_reseal $OUT
check_output "patched: it ends at 0x67800000 now" "^$((0x27800000))\$" \
	blob_peek32 $OUT $((regions + 32 * ram + 16))
check "Linux has RAM 0x67800000-0x67ffffff" iomem_covers 67800000 67ffffff "System RAM"
check_fails "Linux has no RAM at 0x68000000 (the pool is reserved)" iomem_covers 68000000 68000fff "System RAM"

echo "enabling; the machine is expected to stop"
jailhouse enable $OUT
# still here: Linux may need a push onto its top RAM
mkdir -p /mnt/fill && mount -t tmpfs -o size=600M fill /mnt/fill
dd if=/dev/zero of=/mnt/fill/zeros bs=1M count=560 2>/dev/null
sleep 60
echo "CHECK-FAIL: the machine stopped while Linux ran on RAM it cannot reach"
