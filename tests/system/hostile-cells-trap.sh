# Hostile cells with the attacker in trap mode: the whole of hostile-cells.sh (which runs it in
# direct mode, the default of arm64 cells) with gic-demo-trap.cell, the same cell with
# interrupt-delivery = "trap": every attack must have the same outcome in both modes.
# uses: hostile-cells.sh
# timeout: 600
ATTACKER=/etc/jailhouse/gic-demo-trap.cell
MODE=trap
. /tests/hostile-cells.sh
