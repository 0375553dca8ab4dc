# Hostile cells on ARMv7: inmates/tests/arm/attack.c in the gic-demo cell (CPU 3) tries one
# attack per start while inmates/tests/arm/bystander.c runs in smp-demo (CPUs 1-2) and the root
# keeps a canary file: hostile-cells.sh's rules on GICv2 and HYP mode, with its helpers. For
# every attack: the outcome (FAILED, an error code, or ignored), the hypervisor console line
# naming the reason, then the root's and the bystander's canaries intact, the bystander's view
# of its own interrupt unchanged, no interrupt it did not ask for, and both still making
# progress. The cp15, banked-register and Thumb attacks (inmates/tests/arm/attack-cp15.c) are
# hostile-cp15-arm.sh's.
# arch: arm
# uses: hostile-cells.sh
# timeout: 600

HOSTILE_HELPERS_ONLY=yes
. /tests/hostile-cells.sh	# INM ATTACKER BOUND ROOT_IRQ CELL_IRQ KDATA, mark, attack, fatal...

bystander_start() {
	check "start the bystander" sh -c "jailhouse cell load smp-demo $INM/bystander.bin \
		-s 'con=hvc canary=0x100000 irq=$CELL_IRQ period-ms=1000' -a 0x1000 && \
		jailhouse cell start smp-demo"
	mark
	check "bystander ticks" wait_console "bystander: tick=2 canary=ok"
	B0=$(last_bystander)
	GIC0=$(echo "$B0" | sed -n 's/.* gic=//p')
	TICK=$(echo "$B0" | sed -n 's/.*tick=\([0-9]*\).*/\1/p')
	UP=$(cut -d' ' -f1 /proc/uptime)
	info "bystander: $B0; root kernel data at 0x$KDATA"
	check "the bystander enabled its interrupt" test "${GIC0#en1,}" != "$GIC0"
}

# the canary first: under TCG, freeing the module's init section (a broadcast TLB flush per page)
# while the dd runs has stalled RCU before the hypervisor was even enabled
root_canary_write
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
console_follow
check "create smp-demo (bystander)" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "create gic-demo (attacker)" jailhouse cell create $ATTACKER
bystander_start

# --- memory and devices outside the cell: stopped as FAILED -------------------------------------
fatal read-root "addr=0x$KDATA" "Unhandled data read at 0x$KDATA"
fatal write-root "addr=0x40000000" "Unhandled data write at 0x40000000"
fatal read-cell "addr=0x78100000" "Unhandled data read at 0x78100000"
fatal write-cell "addr=0x78100000" "Unhandled data write at 0x78100000"
fatal read-hv "addr=0x7f800000" "Unhandled data read at 0x7f800000"
fatal write-hv "addr=0x7f801000" "Unhandled data write at 0x7f801000"
fatal write-gich "addr=0x08030000" "Unhandled data write at 0x8030000"
fatal read-gicv "addr=0x08040000" "Unhandled data read at 0x8040000"
fatal write-rtc "addr=0x09010000" "Unhandled data write at 0x9010000"	# smp-demo's PL031
fatal ldrd-gicd "" "MMIO at 0x8000000 without syndrome"

# --- the interrupt controller: ignored ----------------------------------------------------------
survives gicd "irqs=$ROOT_IRQ,$CELL_IRQ"
check_output "gicd: the attacker sees nothing of them" \
	"irq $CELL_IRQ: enabled=0 pending=0 priority=0x0 targets=0x0 as we see it" new_console
console_has "gicd: console: enable/pend/priority/group/config refused" \
	"touches interrupts 32-63 it does not own"
canaries gicd
check "gicd: shut down" jailhouse cell shutdown gic-demo

survives sgi "targets=0x7"
console_has "sgi: console: SGIs outside the cell dropped" "SGI 9 to .*outside the cell dropped"
canaries sgi
check "sgi: shut down" jailhouse cell shutdown gic-demo

# --- PSCI, SMC, hypercalls: error codes --------------------------------------------------------
survives psci "mpidrs=0x0,0x1"
for m in 0x0 0x1; do
	check_output "psci: CPU_ON($m) refused" "CPU_ON\($m\)=-(2|3)[[:space:]]*$" new_console
	check_output "psci: CPU_ON64($m) refused" "CPU_ON64\($m\)=-[123][[:space:]]*$" new_console
	check_output "psci: AFFINITY_INFO($m) refused" "AFFINITY_INFO\($m\)=-2[[:space:]]*$" \
		new_console
done
check_output "psci: AFFINITY_INFO(self) ON" "AFFINITY_INFO\(self\)=0[[:space:]]*$" new_console
check_output "psci: CPU_ON(self) ALREADY_ON" "CPU_ON\(self\)=-4[[:space:]]*$" new_console
for f in 0x8400001f 0x80008000 0xc2000001 0x83000000 0xbf000000; do
	check_output "psci: SMC $f NOT_SUPPORTED" "SMC $f=-1[[:space:]]*$" new_console
done
console_has "psci: console: foreign CPU_ON" "PSCI CPU_ON of MPIDR 0x0, not a CPU of"
canaries psci
check_output "psci: CPUs 1 and 2 (the bystander's) not taken by Linux" "^0$" \
	cat /sys/devices/system/cpu/online
check "psci: shut down" jailhouse cell shutdown gic-demo

survives hypercall
for c in 0 1 2 3 4 6; do
	check_output "hypercall: management $c from a cell EPERM" "hypercall $c\(1\)=-1[[:space:]]*$" new_console
	console_has "hypercall: console: management $c refused" "management hypercall $c from CPU 3"
done
for c in 9 1000 -1; do
	check_output "hypercall: unknown code $c ENOSYS" "hypercall $c\(1\)=-38[[:space:]]*$" new_console
done
check_output "hypercall: CPU_GET_INFO of a foreign CPU EPERM" "CPU_GET_INFO\(cpu 0\)=-1[[:space:]]*$" \
	new_console
for i in 1 2 0xffff; do
	check_output "hypercall: hvc #$i from a cell NOT_SUPPORTED" "hvc #$i=-1[[:space:]]*$" new_console
done
# hvc #0 is the Linux hyp stub's ABI, the root's alone: unknown code (HVC_STUB_ERR 0xbadca11) for
# a cell
check_output "hypercall: hvc #0 from a cell: no hypercall" "hvc #0=(-1|195938833)[[:space:]]*$" \
	new_console
check_output "hypercall: the stub's HVC_SOFT_RESTART refused (no HYP mode for a cell)" \
	"stub HVC_SOFT_RESTART=0xbadca11[[:space:]]*$" new_console
console_has "hypercall: console: HVC_SOFT_RESTART refused" "CPU 3: HVC_SOFT_RESTART refused"
check_output "hypercall: the stub's HVC_RESET_VECTORS harmless" \
	"stub HVC_RESET_VECTORS=0x(0|badca11)[[:space:]]*$" new_console
check_output "hypercall: the cell still works" "GET_INFO\(cells\)=3[[:space:]]*$" new_console
canaries hypercall
check "hypercall: shut down" jailhouse cell shutdown gic-demo

survives forge
check_output "forge: the lines are there, behind the cell's name" \
	'^\[gic-demo\] Cell "smp-demo" FAILED: CPU 1 stopped; forged$' new_console
check_fails "forge: no line starts like the hypervisor's" \
	sh -c "tail -c +$((MARK + 1)) /tmp/hvcon | grep -Eq '^(Cell \"smp-demo\" FAILED|Hypervisor: disabled)'"
canaries forge
check "forge: shut down" jailhouse cell shutdown gic-demo

attack cpu-off
check "cpu-off: console says the CPU is off" wait_console 'Cell "gic-demo": CPU 3 off'
check "cpu-off: CPU_OFF did not return" sh -c \
	"sleep 0.5; ! tail -c +$((MARK + 1)) /tmp/hvcon | grep 'CPU_OFF returned'"
canaries cpu-off
check "cpu-off: shut down" jailhouse cell shutdown gic-demo

for a in system-off system-reset; do
	f=$(echo ${a#system-} | tr a-z A-Z)
	attack $a
	check "$a: the cell is shut down" wait_state "shut down"
	check "$a: SYSTEM_$f did not return" sh -c \
		"sleep 0.5; ! tail -c +$((MARK + 1)) /tmp/hvcon | grep 'SYSTEM_$f returned'"
	canaries $a
done

base=$(root_work)
attack flood "seconds=3"
sleep 1
during=$(root_work)
info "flood: 100 root commands in $base s before, $during s during the flood"
check "flood: root responsive during the flood (within 4x before + 5 s)" \
	awk "BEGIN { exit !($during < 4 * $base + 5) }"
check "flood: the attacker finished" wait_console "attack: flood: done"
info "$(new_console | grep -E 'attack: flood: [0-9]+')"
check "flood: console capped at GUEST_WARN_LIMIT lines" \
	test "$(new_console | grep -c '^Cell "gic-demo": ')" -le 70
canaries flood
check "flood: shut down" jailhouse cell shutdown gic-demo

# (the cp15, banked-register, Thumb and debug-register attacks of attack-cp15.c run in
# hostile-cp15-arm.sh, next to the same bystander)

survives lock
console_has "lock: console: lock ignored" "RUNNING_LOCKED without may-lock in its configuration"
canaries lock
check "lock: the bystander can still be destroyed" jailhouse cell destroy smp-demo

check "destroy the attacker" jailhouse cell destroy gic-demo
check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
root_canary_intact "root canary intact at the end"
kill $CONSOLE_PID
check "disable" jailhouse disable
