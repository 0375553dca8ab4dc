# Hostile cell on ARMv7 against the trap decoding (hv/arch/arm/decode.c, regs.c, cp15.c):
# inmates/tests/arm/attack-cp15.c in the gic-demo cell (CPU 3), one attack per start, next to
# the bystander in smp-demo (CPUs 1-2), the root keeping a canary file and CPU 0 (helpers and
# checks of hostile-cells.sh): Hyp registers from PL1, ACTLR, set/way, SP/LR of every
# mode and FIQ mode's r8-r12 as MMIO transfer registers, 16-bit Thumb MMIO in IT blocks,
# condition-failed accesses, a load into the PC, and a breakpoint left armed for the CPU's next
# owner (the root). For every attack: its outcome, the console line naming the reason, then
# the root's and the bystander's canaries intact, the bystander's interrupt unchanged, no stray
# interrupt, and both making progress.
# arch: arm
# uses: hostile-cells.sh
# timeout: 240

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

# the canary first (as hostile-cells-arm.sh: the module's init-section free under TCG)
root_canary_write
check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
console_follow
check "create smp-demo (bystander)" jailhouse cell create /etc/jailhouse/smp-demo.cell
check "create gic-demo (attacker)" jailhouse cell create $ATTACKER
bystander_start

# --- cp15, banked registers, Thumb (attack-cp15.c): hv/arch/arm's trap decoding -------------
# Hyp-mode registers are UNDEFINED at PL1: the cell's own exception, the hypervisor never sees them
survives cp15-hyp
check_output "cp15-hyp: HVBAR HSCTLR HCR HDCR VTCR HTTBR VTTBR CNTVOFF ELR_hyp SPSR_hyp undefined" \
	"attack: cp15-hyp: 11 checks ok" new_console
canaries cp15-hyp
check "cp15-hyp: shut down" jailhouse cell shutdown gic-demo

# ACTLR (HCR.TAC): the SMP bit is nobody's to clear, writes are ignored and reported
survives actlr
check_output "actlr: ACTLR unchanged" "attack: actlr: 1 checks ok" new_console
console_has "actlr: console: write ignored" \
	'Cell "gic-demo": CPU 3: ACTLR write 0x[0-9a-f]+ ignored'
canaries actlr
check "actlr: shut down" jailhouse cell shutdown gic-demo

# set/way (HCR.TSW): DCISW done as DCCISW, so nobody's dirty lines are lost; malformed operands
survives setway
check_output "setway: every set and way of every data cache level" \
	"attack: setway: CLIDR 0x[0-9a-f]+: [1-9][0-9]* DCISW, 32 DCCSW, 32 DCCISW done" new_console
check_output "setway: done" "attack: setway: 1 checks ok" new_console
# QEMU's Cortex-A15 does not trap set/way (HCR.TSW is modelled for its ARMv8 CPUs only): the
# operations are no-ops there; hv/tests/test_arm_decode.c covers the hypervisor's side
info "setway: $(cat $(attacker_dir)/statistics/vmexits_cp15) cp15 exits"
canaries setway
check "setway: shut down" jailhouse cell shutdown gic-demo

# SP, LR of every mode, FIQ mode's r8-r12 and the PC as MMIO transfer registers (banked MRS/MSR)
survives banked
check_output "banked: SP/LR of svc, sys, irq, abt, und, fiq, r8-r12_fiq" \
	"attack: banked: 41 checks ok" new_console
canaries banked
check "banked: shut down" jailhouse cell shutdown gic-demo

# Thumb: 16-bit MMIO in IT blocks (IL=0, ITSTATE advanced on the skip), condition-failed ones
survives thumb
check_output "thumb: IT blocks, 16-bit and 32-bit, sign extension" "attack: thumb: 4 checks ok" \
	new_console
canaries thumb
check "thumb: shut down" jailhouse cell shutdown gic-demo

survives cond
check_output "cond: condition-failed MMIO and cp15 have no effect" "attack: cond: 1 checks ok" \
	new_console
canaries cond
check "cond: shut down" jailhouse cell shutdown gic-demo

fatal ldr-pc "" "MMIO load into the PC|without syndrome"

# debug registers (cp14): a breakpoint the cell arms on a root kernel address must not follow
# the CPU back to Linux (trapped for cells, or cleared when the CPU leaves the cell)
SSK=$(sed -n 's/^\([0-9a-f]*\) T secondary_start_kernel$/\1/p' /proc/kallsyms | head -1)
attack debug "addr=0x$SSK"
sleep 2
info "debug: $(new_console | grep -E 'attack: debug: DBGDIDR|Cell "gic-demo" FAILED' | head -2)"
check "debug: destroy the attacker" timeout 30 jailhouse cell destroy gic-demo
check_output "debug: CPU 3 back with Linux" "^0,3$|^0-3$" cat /sys/devices/system/cpu/online
CPU3=/sys/devices/system/cpu/cpu3/online
check "debug: CPU 3 offline and online again" sh -c "echo 0 > $CPU3 && echo 1 > $CPU3"
root_canary_intact "debug: root canary intact"
check "debug: gic-demo created again" jailhouse cell create $ATTACKER

check "destroy the attacker" jailhouse cell destroy gic-demo
check "destroy the bystander" jailhouse cell destroy smp-demo
root_canary_intact "root canary intact at the end"
kill $CONSOLE_PID
check "disable" jailhouse disable
