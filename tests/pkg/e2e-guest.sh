#!/bin/bash
# The checks of tests/pkg/e2e.sh inside the booted package-installed system.
# Run once per boot by rzs-e2e.service (after rzsd.service); the unit powers
# the machine off when this ends.  Expectations come from /etc/rzs-e2e.conf
# (written by e2e.sh); results go to /var/lib/rzs-e2e/results as
# "PASS name" / "FAIL name: why" lines, then "DONE", and to the console.
set -u
. /etc/rzs-e2e.conf	# DISKSIZE PRIO ALG TEST_USER PRESSURE_MIB PRESSURE_MAX

state=/var/lib/rzs-e2e
res=$state/results
mkdir -p "$state"
: >"$res"
dev=/dev/ramzswap0
sys=/sys/block/ramzswap0/ramzswap
SPLAT_RE='WARNING:|(^|[^A-Za-z_])BUG([^A-Za-z_]|$)|Oops|general protection|sleeping function called from invalid context|lockdep|possible circular locking|hung_task|blocked for more than|Call Trace|kernel BUG|UBSAN|KASAN'

say() {
	echo "$*" >>"$res"
	echo "rzs-e2e: $*" >/dev/console
}
pass() { say "PASS $1"; }
fail() { say "FAIL $1: $2"; }
one_line() { tr '\n' ' ' | cut -c1-300; }

uptime() { cut -d' ' -f1 /proc/uptime; }
say "KERNEL $(uname -r)"
say "INFO checks start at uptime $(uptime) s"

# The module loaded is the one DKMS installed for this kernel.
path=$(modinfo -n ramzswap 2>&1)
if [ ! -d /sys/module/ramzswap ]; then
	fail module "ramzswap is not loaded (modinfo -n: $path)"
elif [[ $path != /lib/modules/$(uname -r)/updates/* && $path != /usr/lib/modules/$(uname -r)/updates/* ]]; then
	fail module "modinfo -n ramzswap is $path, not under /lib/modules/$(uname -r)/updates"
elif [ "$(cat /sys/module/ramzswap/srcversion 2>/dev/null)" != "$(modinfo -F srcversion ramzswap)" ]; then
	fail module "the loaded module's srcversion differs from $path's"
else
	pass module
fi

# rzsd brought swap up (Type=notify: active only after READY=1).
st=$(systemctl is-active rzsd.service)
if [ "$st" = active ]; then
	pass rzsd-active
else
	fail rzsd-active "systemctl is-active rzsd: $st; $(journalctl -b -u rzsd.service --no-pager -o cat | tail -n 5 | one_line)"
fi

# Swap on /dev/ramzswap0 with the configured size and priority.
# swapon's size excludes the swap header's page.
line=$(swapon --show=NAME,TYPE,SIZE,PRIO --bytes --noheadings | awk -v d="$dev" '$1 == d')
if [ -z "$line" ]; then
	fail swap-on "$dev is not in swapon --show: $(swapon --show --noheadings | one_line)"
else
	pass swap-on
	set -- $line
	if [ "$3" = $((DISKSIZE - 4096)) ] && [ "$(cat $sys/disksize)" = "$DISKSIZE" ]; then
		pass swap-size
	else
		fail swap-size "swap size $3 bytes, disksize $(cat $sys/disksize); configured $DISKSIZE"
	fi
	if [ "$4" = "$PRIO" ]; then
		pass swap-priority
	else
		fail swap-priority "priority $4, configured $PRIO"
	fi
fi

# The configured algorithm, seen through sysfs and rzsctl.
alg=$(cat $sys/algorithm 2>&1)
json=$(rzsctl stats ramzswap0 --json 2>&1)
if [ "$alg" != "$ALG" ]; then
	fail algorithm "$sys/algorithm is '$alg', configured $ALG"
elif ! grep -Eq "\"algorithm\": *\"$ALG\"" <<<"$json"; then
	fail algorithm "rzsctl stats --json does not say $ALG: $(one_line <<<"$json")"
else
	pass algorithm
fi

# udev's rule gave the node to group disk, mode 0660.
perm=$(stat -c '%G %a' $dev 2>&1)
if [ "$perm" = "disk 660" ]; then
	pass udev-node
else
	fail udev-node "$dev is '$perm', want 'disk 660'"
fi

# rzsctl as root, then read-only as a normal user; a change as that
# user is refused with a permission error and changes nothing.
rzsctl_ok() {	# rzsctl_ok NAME [runuser -u USER --]
	local name=$1 out rc
	shift
	out=$("$@" rzsctl 2>&1) && rc=0 || rc=$?
	if [ $rc -ne 0 ] || ! grep -q ramzswap0 <<<"$out"; then
		fail "$name" "rzsctl (the device table): exit $rc: $(one_line <<<"$out")"
		return
	fi
	out=$("$@" rzsctl stats --json 2>&1) && rc=0 || rc=$?
	if [ $rc -ne 0 ] || ! grep -q '"num_writes"' <<<"$out" || ! grep -q ramzswap0 <<<"$out"; then
		fail "$name" "rzsctl stats --json: exit $rc: $(one_line <<<"$out")"
		return
	fi
	pass "$name"
}
rzsctl_ok rzsctl-root
rzsctl_ok rzsctl-user-read runuser -u "$TEST_USER" --

denied() {	# denied CMD...: fails with EPERM as the user
	local out rc
	out=$(runuser -u "$TEST_USER" -- rzsctl "$@" 2>&1) && rc=0 || rc=$?
	if [ $rc -eq 0 ] || ! grep -qi 'not permitted\|permission' <<<"$out"; then
		echo "rzsctl $*: exit $rc: $(one_line <<<"$out")"
		return 1
	fi
}
why=$(denied add && denied reset ramzswap0 && denied set ramzswap0 --memlimit 64M)
if [ -n "$why" ]; then
	fail rzsctl-user-denied "$why"
elif [ -e /sys/block/ramzswap1 ] || [ "$(cat $sys/initstate)" != 1 ] || [ "$(cat $sys/memlimit)" != 0 ]; then
	fail rzsctl-user-denied "a refused command changed the devices: $(ls -d /sys/block/ramzswap* | one_line) memlimit $(cat $sys/memlimit)"
else
	pass rzsctl-user-denied
fi

# Memory pressure: a checksummed working set twice the size of a memory
# cgroup's limit must go through swap into the device and come back
# intact.
w0=$(cat $sys/num_writes)
t0=$(uptime)
out=$(systemd-run --scope --quiet -p MemoryMax="$PRESSURE_MAX" \
	/usr/local/bin/swaptest "$PRESSURE_MIB" 2>&1) && rc=0 || rc=$?
w1=$(cat $sys/num_writes)
want=$((PRESSURE_MIB * 256 / 4))
if [ $rc -ne 0 ] || ! grep -q 'swaptest: OK' <<<"$out"; then
	fail swap-pressure "swaptest $PRESSURE_MIB MiB under MemoryMax=$PRESSURE_MAX: exit $rc: $(tail -n 3 <<<"$out" | one_line)"
elif [ $((w1 - w0)) -lt $want ]; then
	fail swap-pressure "only $((w1 - w0)) pages written to $dev (want >= $want)"
else
	pass swap-pressure
	say "INFO swap-pressure: $((w1 - w0)) pages written, $(cat $sys/num_reads) read, mem_used_max $(cat $sys/mem_used_max), from uptime $t0 s to $(uptime) s"
fi

# systemd found no ordering cycle: it breaks one by dropping a start job
# (rzsd's, tmp.mount's, ...), so that a boot works or not by chance.
cycle=$(journalctl -b -o cat --no-pager | grep -i 'ordering cycle' | head -n 3)
if [ -z "$cycle" ]; then
	pass ordering-cycle
else
	fail ordering-cycle "$(one_line <<<"$cycle")"
fi
# No unit failed, and rzsd logged no warning or error.
failed_units=$(systemctl list-units --failed --plain --no-legend | awk '{print $1}' | one_line)
if [ -z "$failed_units" ]; then
	pass failed-units
else
	fail failed-units "$failed_units"
fi
warn=$(journalctl -b -u rzsd.service -p warning -o cat --no-pager | head -n 3)
if [ -z "$warn" ]; then
	pass rzsd-log
else
	fail rzsd-log "$(one_line <<<"$warn")"
fi

# No kernel warning, BUG or oops during boot and the tests.
splat=$(dmesg | grep -E "$SPLAT_RE" | head -n 3)
if [ -z "$splat" ]; then
	pass dmesg
else
	fail dmesg "$(one_line <<<"$splat")"
fi

journalctl -b -u rzsd.service --no-pager >"$state/rzsd.log" 2>&1
dmesg >"$state/dmesg.log"
say "INFO checks end at uptime $(uptime) s"
say DONE
sync
exit 0
