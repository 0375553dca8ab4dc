# The CLI's Jailhouse-parity commands on one boot: `jailhouse hardware check` without and with
# the module (its verdict agrees with what enable then does: a good configuration enables, a
# configuration the validator refuses and a second enable fail as it said), `jailhouse config
# collect` (the files configgen create reads, byte for byte what this guest has; the archive is
# ustar), `jailhouse config check` on the installed blobs, `jailhouse cell stats` one-shot,
# -n COUNT and live on the console terminal, and hostile arguments. tests/tools/test_cli_hw.py runs the same code on snapshots on the host
# (unreserved memory, other machines).
# timeout: 120

SYS=/etc/jailhouse/system.cell
HW="jailhouse hardware check"

# --- hardware check before the module is loaded ------------------------------------------------
check_output "hardware check without the module: nothing makes enable fail" \
	"nothing found that makes jailhouse enable fail" $HW $SYS
check_output "... GICv3 with its distributor and redistributors from the device tree" \
	"OK +interrupt controller: GICv3 .*distributor 0x8000000, redistributors 0x80a0000" $HW $SYS
check_output "... EL2: started at EL2, nVHE, KVM off (kvm-arm.mode=none)" \
	"OK +EL2: .*started at EL2.*kvm-arm.mode=none" $HW $SYS
check_output "... the configuration's CPUs are the online ones" \
	"OK +CPUs of the configuration: all 4 CPUs" $HW $SYS
check_output "... hypervisor memory reserved, not System RAM" \
	"OK +hypervisor memory: 0x7f800000-0x7fffffff \(8 MiB\): RAM, not used by Linux" $HW $SYS
check_output "... the cell pool reserved, not System RAM" "OK +cell pool: .*not used by Linux" $HW $SYS
check_output "... all System RAM is root cell memory" "OK +root cell memory: covers all" $HW $SYS
check_output "... the module is not loaded (said, not failed)" "INFO +module: .*not loaded" $HW $SYS
check_output "... the default configuration is /etc/jailhouse/system.cell" \
	"OK +system configuration: \"root-linux\"" $HW

# --- with the module: its own probe ------------------------------------------------------------
check "module loads" insmod /lib/modules/jailhouse.ko
check_output "hardware check with the module: its EL2 probe passes" \
	"OK +module EL2 probe: EL2 available" $HW $SYS

# a root region moved over the hypervisor memory: the validator refuses it, so does enable
cp $SYS /tmp/bad.cell
blob_poke32 /tmp/bad.cell 40 $((0x40000000))
blob_reseal /tmp/bad.cell
check_fails_with "hardware check: a configuration the validator refuses fails, exit 1" \
	"FAIL +system configuration: refused by the validator: .*overlaps the hypervisor memory" \
	$HW /tmp/bad.cell
check_fails "... and enable refuses it too" jailhouse enable /tmp/bad.cell
head -c 600 /dev/urandom > /tmp/garbage.cell
check_fails_with "garbage configuration: one FAIL line" "FAIL +system configuration: not a system" \
	$HW /tmp/garbage.cell
check_fails_with "missing configuration: one line, exit 2" \
	"^jailhouse: cannot read /tmp/none.cell: No such file" $HW /tmp/none.cell
check_fails_with "unknown hardware subcommand: usage" "Usage: jailhouse hardware check" \
	jailhouse hardware probe

check "enable" jailhouse enable $SYS
check_fails_with "hardware check while enabled: enable would fail (already enabled)" \
	"FAIL +hypervisor: already enabled" $HW $SYS

# --- config collect: the files configgen create reads, as this guest has them ------------------
check "config collect into a directory" jailhouse config collect /tmp/snap
for f in proc/iomem proc/cpuinfo proc/cmdline sys/firmware/fdt sys/devices/system/cpu/online; do
	check "... $f as the guest's" diff /$f /tmp/snap/$f
done
check "... the kernel log" grep -q "started at EL2" /tmp/snap/dmesg
check "hardware check on the snapshot agrees (GICv3, EL2 from its kernel log)" \
	sh -c "$HW --root /tmp/snap $SYS | grep -q 'OK    EL2: .*started at EL2'"
check "config collect into a tar archive" jailhouse config collect /tmp/snap.tar
check_output "... a ustar archive" "ustar" sh -c "dd if=/tmp/snap.tar bs=1 skip=257 count=5 2>/dev/null"
check "... holding the device tree" grep -q "sys/firmware/fdt" /tmp/snap.tar
check_fails_with "config collect into an impossible place: one line" \
	"^jailhouse: config collect: cannot create /proc/x.tar" jailhouse config collect /proc/x.tar
check_fails_with "config without collect: one line" "unknown command 'bogus'" jailhouse config bogus

# --- config check: compiled blobs on the target, no configgen ----------------------------------
check_output "config check: the system and its cells as enable and create check them" \
	'smp-demo.cell: ok: cell "smp-demo" fits the system' \
	jailhouse config check $SYS /etc/jailhouse/gic-demo.cell /etc/jailhouse/smp-demo.cell
check_fails_with "config check: a configuration the validator refuses" \
	"bad.cell: error: .*overlaps the hypervisor memory" jailhouse config check /tmp/bad.cell

# --- cell stats --------------------------------------------------------------------------------
check "create smp-demo" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "load smp-demo" jailhouse cell load smp-demo /usr/share/jailhouse/inmates/smp-demo.bin
check "start smp-demo" jailhouse cell start smp-demo
check_output "cell stats (no terminal): printed once" "^1$" \
	sh -c "jailhouse cell stats smp-demo | grep -c '^Statistics of cell \"smp-demo\"'"
check_output "cell stats -n 2: printed twice" "^2$" \
	sh -c "jailhouse cell stats smp-demo -n 2 | grep -c '^vmexits_total '"
check_output "cell stats --once" "vmexits_total +[0-9]+ +[0-9]+" jailhouse cell stats smp-demo --once
check_fails_with "cell stats -n 0: usage" "Usage: jailhouse cell stats" jailhouse cell stats smp-demo -n 0
check_fails_with "cell stats of no cell" "no such cell" jailhouse cell stats nosuch
# on the console (a terminal): redrawn until Ctrl-C, then exit 0 with the terminal restored
t0=$(cut -d. -f1 /proc/uptime)
timeout -s INT 3 jailhouse cell stats smp-demo < /dev/console > /dev/console 2>&1
rc=$?
t1=$(cut -d. -f1 /proc/uptime)
echo
check "cell stats on a terminal: refreshed until Ctrl-C, exit 0 (rc $rc after $((t1 - t0)) s)" \
	sh -c "[ $rc -eq 0 ] && [ $((t1 - t0)) -ge 2 ]"
check_fails "... echo and line editing restored on the terminal" \
	sh -c "stty -F /dev/console | grep -E -- '-echo( |\$)|-icanon'"

check "destroy smp-demo" jailhouse cell destroy smp-demo
check "disable" jailhouse disable
