# jh-compat-demo, an inmate written against the Jailhouse inmate API (the compat <inmate.h>),
# in the smp-demo cell (may veto its shutdown): its command line parsed with Jailhouse's rules,
# the comm region as Jailhouse's struct, the timer and its interrupt, and the comm region
# protocol with Jailhouse's names: the cell locks itself, denies the root's first shutdown
# (EPERM), takes the second by setting its state SHUT_DOWN, and the hypervisor never waits
# for a reply in vain.
# timeout: 120

INM=/usr/share/jailhouse/inmates/jh-compat-demo.bin
CELL=/sys/devices/jailhouse/cells/1

check "module loads" insmod /lib/modules/jailhouse.ko
check "enable" jailhouse enable /etc/jailhouse/system.cell
check "create smp-demo" jailhouse cell create /etc/jailhouse/smp-demo.cell
mark_console
check "load jh-compat-demo" jailhouse cell load smp-demo $INM \
	-s "con=hvc number=-42 hex=0x2a flag noflag=0 name=sdk-user beats=5 deny-first" -a 0x1000
check "start" jailhouse cell start smp-demo
check "the demo serves messages, locked" wait_console "jh-compat-demo: serving messages \(locked\)"
check_output "cmdline_parse_int/bool/str" \
	"jh-compat-demo: number=-42 hex=0x2a flag=1 noflag=0 name=sdk-user$" new_console
check_output "the defaults of absent parameters" "jh-compat-demo: defaults: -7 1 dflt$" new_console
check_output "comm_region: signature, revision, state, GIC version" \
	"jh-compat-demo: comm region JHCOMM revision 2, state 0, gic v3," new_console
check_output "timer_get_ticks/timer_ticks_to_ns agree with delay_us" \
	"jh-compat-demo: timer [0-9]+ Hz, delay_us\(100000\) took [0-9]+ us: ok$" new_console
check_output "five timer interrupts through irq_init/irq_enable/timer_start" \
	"jh-compat-demo: 5 timer interrupts$" new_console
check_output "beat 5 reported" "jh-compat-demo: beat 5, [0-9]+ ns late$" new_console
check_output "state running/locked (set by the inmate)" "^running/locked$" cat $CELL/state
check_fails_with "first shutdown denied by the inmate (EPERM)" "Operation not permitted" \
	jailhouse cell shutdown smp-demo
check_output "the inmate said so" "jh-compat-demo: denying shutdown request 1$" new_console
check_output "still running/locked" "^running/locked$" cat $CELL/state
check "second shutdown succeeds" jailhouse cell shutdown smp-demo
check_output "the inmate took it" "jh-compat-demo: shutdown request 2: shutting down$" new_console
check_output "shut down" "^shut down$" cat $CELL/state
check "the hypervisor never timed out on a reply" sh -c "! jailhouse console | grep -q 'no reply'"
check "destroy" jailhouse cell destroy smp-demo
check_output "all CPUs back" "^0-3$" cat /sys/devices/system/cpu/online
check "disable" jailhouse disable
