#!/bin/bash
# The debug tier: the module on a kernel with KASAN, lockdep, kmemleak and
# fault injection (tests/debug/build-kernel.sh, cached), in one boot of
# tests/vm/run.sh:
#   debug:build-w1   the module built with W=1 against that kernel's tree;
#   debug:<case>     a chosen set of tests/vm/guest/cases with their sizes
#                    scaled down (RZS_SCALE), and the tier's own cases
#                    (tests/debug/cases: fault injection, kmemleak, CPU
#                    hotplug), each failing on any KASAN, lockdep, kmemleak,
#                    BUG, WARNING or UBSAN report in its part of the log;
#   debug:netlink:<case>, debug:tier:<case>
#                    the control-plane suite (tests/vm/netlink: every
#                    command, its refusals, eight control processes at
#                    once) and the disk-tier suite (tests/vm/tier: idle
#                    marking, writeback, device-mapper faults, swap under
#                    pressure) whole, one boot each of tests/vm/run-shared.sh
#                    on the same kernel (9p is built in for it), each case
#                    failing on any such report, then a kmemleak scan.
# Prints "PASS debug:x" / "FAIL debug:x: why" and "N passed, N failed".
#
#   tests/debug/run.sh [--only REGEX] [--suites "core netlink tier"] [--keep]
#
# --only picks cases in every suite (the default picks the module suite's
# cases that fit this kernel, and every case of the others).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
LOGDIR=$CACHE/logs/debug
mkdir -p "$LOGDIR"

# The normal cases that walk the module's paths, at sizes a KASAN +
# lockdep guest under TCG gets through: swap pressure with checksummed
# pages, concurrent I/O, the memory limit, load and unload, partial and
# unaligned I/O, ext4, then the tier's own cases.  Not memlimit_swap: on
# this guest its swapoff OOMs, and each refused swap write is a line on
# the emulated serial console (7 minutes); memlimit_dd takes the limit's
# path.
CASES='^(fio_lz4|concurrent_rmw|same_huge_pages|swap_pressure|ext4|memlimit_dd|load_cycles|unload_busy|debug_.*)$'
ONLY=$CASES
KEEP=()
PYONLY=()
SUITES="core netlink tier"
while [ $# -gt 0 ]; do
	case "$1" in
	--only) ONLY=$2; PYONLY=(--only "$2"); shift 2 ;;
	--suites) SUITES=$2; shift 2 ;;
	--keep) KEEP=(--keep); shift ;;
	*) echo "usage: $0 [--only REGEX] [--suites \"core netlink tier\"] [--keep]" >&2; exit 2 ;;
	esac
done

passed=0
failed=0
pass() { echo "PASS debug:$1"; passed=$((passed + 1)); }
fail() { echo "FAIL debug:$1: $2"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

# relay LOG PREFIX NAME WHY: counts a suite's "PASS x" / "FAIL x: why" /
# "SKIP x" lines as debug:PREFIXx, shows its INJECTED and console-log
# lines, and fails NAME with WHY if the log has no summary line.
relay() {
	local log=$1 pre=$2 line r
	while IFS= read -r line; do
		case "$line" in
		"PASS "*) pass "$pre${line#PASS }" ;;
		"FAIL "*) r=${line#FAIL }; fail "$pre${r%%: *}" "${r#*: }" ;;
		"SKIP "*) echo "SKIP debug:$pre${line#SKIP }" ;;
		"INJECTED "*) echo "$line" ;;
		"console log"*) echo "debug:${pre%:}: $line" ;;
		esac
	done <"$log"
	grep -q '^[0-9]* passed, [0-9]* failed$' "$log" || fail "$3" "$4"
}

t0=$(date +%s)
if ! kdir=$("$HERE/build-kernel.sh" 2>"$LOGDIR/build-kernel.log"); then
	tail -n 20 "$LOGDIR/build-kernel.log"
	fail kernel "tests/debug/build-kernel.sh failed (see $LOGDIR/build-kernel.log)"
	finish
fi
t1=$(date +%s)
echo "debug kernel $(cat "$kdir/kernelrelease"): $kdir ($((t1 - t0))s here, built in $(cat "$kdir/build-seconds")s)"

# The module is built in a copy of the tree: the other tiers use src/'s
# build for Debian's kernel at the same time (make check runs this tier in
# the background).
work=$CACHE/debug-module
rm -rf "$work"
mkdir -p "$work"
cp -r "$REPO/src" "$REPO/include" "$REPO/VERSION" "$work/"
(cd "$work/src" && rm -f ./*.o ./*.ko ./*.mod ./*.mod.c ./.*.cmd modules.order Module.symvers)
if ! make -C "$kdir/build" M="$work/src" W=1 modules >"$LOGDIR/build-w1.log" 2>&1; then
	tail -n 20 "$LOGDIR/build-w1.log"
	fail build-w1 "the module does not build against the debug kernel (see $LOGDIR/build-w1.log)"
	finish
elif grep -E 'warning:|error:' "$LOGDIR/build-w1.log"; then
	fail build-w1 "warnings with W=1 against the debug kernel (see $LOGDIR/build-w1.log)"
else
	pass build-w1
fi

APPEND="rcupdate.rcu_cpu_stall_timeout=300 log_buf_len=16M"

# More RAM than the Debian guest's 384 MiB: KASAN's shadow takes an eighth,
# kmemleak and lockdep their own, and the memory-limit case's swapoff needs
# headroom.  RZS_SCALE (percent) shrinks the cases' working sets.
case " $SUITES " in *" core "*)
"$REPO/tests/vm/run.sh" --kernel-image "$kdir/bzImage" --kdir "$kdir/build" --modules-none \
	--ko "$work/src/ramzswap.ko" --mem "${RZS_DEBUG_MEM:-512}" --timeout "${RZS_DEBUG_TIMEOUT:-2400}" \
	--cases "$HERE/cases" --prog "$HERE/progs/rzsfault.c" \
	--guest-env RZS_SCALE="${RZS_SCALE:-30}" --guest-env CASE_TIMEOUT=400 \
	--append "$APPEND" \
	--only "$ONLY" ${KEEP[@]+"${KEEP[@]}"} >"$LOGDIR/vm.log" 2>"$LOGDIR/vm.err"
relay "$LOGDIR/vm.log" "" vm "tests/vm/run.sh ended without a summary (see $LOGDIR/vm.err)"
grep -E 'console log' "$LOGDIR/vm.err" | sed 's/^run.sh: /debug: /'
;; esac

# The Python suites, whole, on the same kernel and module: KASAN's shadow
# and lockdep need more than their usual 512 MiB.
for s in netlink tier; do
	case " $SUITES " in *" $s "*) ;; *) continue ;; esac
	"$REPO/tests/vm/$s/run.sh" --kernel "$kdir" --ko "$work/src/ramzswap.ko" \
		--mem "${RZS_DEBUG_MEM_SHARED:-1024}" --timeout "${RZS_DEBUG_TIMEOUT:-2400}" \
		--append "$APPEND" ${PYONLY[@]+"${PYONLY[@]}"} >"$LOGDIR/$s.log" 2>&1
	relay "$LOGDIR/$s.log" "$s:" "$s" "tests/vm/$s/run.sh ended without a summary (see $LOGDIR/$s.log)"
done
echo "debug tier: $(( $(date +%s) - t1 ))s after the kernel"
finish
