#!/bin/bash
# Guest side of tests/vm/netlink, run as root by run-shared.sh:
#   guest.sh BUILD_DIR YNL_DIR
# Copies rzsctl, librzs, the example, the spec and YNL to world-readable
# /tmp (the unprivileged cases run them as nobody), then runs every case in
# one python process (cases.py), which writes /tmp/out/results.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=$1
ynl=$2
out=/tmp/out
: >"$out/results"

mkdir -p /tmp/rzs
cp "$build/rzsctl" /tmp/rzs/
cp -a "$build"/librzs.so* /tmp/rzs/ 2>/dev/null
[ -x "$build/rzs-example" ] && cp "$build/rzs-example" /tmp/rzs/
if [ -e "$build/rzscontrol" ]; then
	cp -a "$build/rzscontrol" /tmp/rzs/
else
	ln -s rzsctl /tmp/rzs/rzscontrol
fi
cp "$top/Documentation/netlink/ramzswap.yaml" "$top/include/uapi/linux/ramzswap.h" /tmp/rzs/
cp -a "$ynl" /tmp/ynl
chmod -R a+rX /tmp/rzs /tmp/ynl
chmod a+rx /tmp

# TCG is 10-100x slower than the hardware these detectors are tuned for,
# and on a shared host its vCPU threads get descheduled for minutes: under
# memory pressure the soft-lockup detector then reports 23 s to 133 s
# "lockups" with the vCPU caught in clear_page_rep (page zeroing in
# get_page_from_freelist), on both CPUs at once.  That is the emulator, not
# the kernel: the soft-lockup detector is off, the RCU-stall and hung-task
# ones get their largest thresholds.  A real lockup or deadlock still hangs
# its case, which then fails on its timeout.
sysctl -qw kernel.soft_watchdog=0 2>/dev/null
sysctl -qw kernel.watchdog_thresh=60 2>/dev/null
echo 300 >/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout 2>/dev/null
sysctl -qw kernel.hung_task_timeout_secs=240 2>/dev/null

echo "guest: $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ {print $2}' /proc/meminfo) kB"
export RZS_BIN=/tmp/rzs RZS_YNL=/tmp/ynl RZS_RESULTS=$out/results
export RZS_ONLY=${RZS_ONLY:-} RZS_BREAK=${RZS_BREAK:-}
timeout -s KILL "${RZS_GUEST_TIMEOUT:-1500}" /usr/bin/python3 -u "$here/cases.py"
rc=$?
grep -q '^DONE$' "$out/results" || echo "FAIL guest: cases.py ended without DONE (exit $rc)" >>"$out/results"
dmesg >"$out/dmesg.txt" 2>/dev/null
exit 0
