#!/bin/bash
# Guest side of tests/vm/rzsd, run as root by run-shared.sh:
#   guest.sh BUILD_DIR
# The module is not loaded yet: rzsd's first start loads it.  Results go
# to /tmp/out/results (cases.py), the kernel log to /tmp/out/dmesg.txt.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=/tmp/out
: >"$out/results"
echo "guest: $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ {print $2}' /proc/meminfo) kB"
export RZS_BUILD=$1 RZS_RESULTS=$out/results
export RZS_ONLY=${RZS_ONLY:-} RZS_BREAK=${RZS_BREAK:-}
timeout -s KILL "${RZS_GUEST_TIMEOUT:-1200}" /usr/bin/python3 -u "$here/cases.py"
rc=$?
grep -q '^DONE$' "$out/results" || echo "FAIL guest: cases.py ended without DONE (exit $rc)" >>"$out/results"
cp /tmp/rzsd.log "$out/rzsd.log" 2>/dev/null
dmesg >"$out/dmesg.txt" 2>/dev/null
exit 0
