# ARMv7: hv-bad-config.sh's corrupt system blobs (the driver's checks and the hypervisor's own,
# one validator with ARMv7's limits: 32-bit HYP address space, 40-bit IPA, 2 MiB aligned
# hypervisor memory; a blob of another architecture refused), the root faulting on the
# hypervisor memory, enable twice, then hostile-ioctl.sh's malformed ioctls and wrong-state
# operations, disabled and enabled, in the same boot: one body each, shared with arm64.
# arch: arm
# uses: hv-bad-config.sh hostile-ioctl.sh
# timeout: 300

LAST_REGION=0x68000000	# the root's highest region, which the ipa case grows beyond 1 TiB
. /tests/hv-bad-config.sh
cp /etc/jailhouse/system.cell /tmp/arm64.cell
blob_poke32 /tmp/arm64.cell 4 $(( $(blob_peek32 /tmp/arm64.cell 4) & 0xffff | 1 << 16 ))
blob_reseal /tmp/arm64.cell
check_fails_with "an arm64 blob (arch 1) is refused: another architecture" "another architecture" \
	jailhouse enable /tmp/arm64.cell
. /tests/hostile-ioctl.sh
