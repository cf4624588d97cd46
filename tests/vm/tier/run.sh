#!/bin/bash
# tests/vm/tier: the disk tier on a real kernel -- idle marking, writeback
# to a backing device, reads back from it, its faults and its refusals.
#
#   tests/vm/tier/run.sh [--kver K | --kernel DIR] [--ko PATH] [--only REGEX]
#                        [--mem MiB] [--timeout S] [--append ARGS]
#
# --kernel and --append go to tests/vm/run-shared.sh (a kernel of the
# project's own, e.g. tests/debug's, and more kernel command line).
#
# Boots ONE guest (tests/vm/run-shared.sh) with two scratch disks of 128
# MiB: /dev/vda, the backing device, and /dev/vdb, under device-mapper
# stacks (linear, error, flakey) over its first 64 MiB.  cases.py talks to the module through
# tests/vm/netlink/nlraw.py and checks every page it wrote by checksum.
# Prints "PASS name" / "FAIL name: reason" per case and, last, exactly one
# "N passed, N failed" line.
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
only=
mem=512
timeout=1500
kver=
ko=$top/src/ramzswap.ko
kernel=
append=

while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

. "$top/tests/vm/lib/results.sh"
start=$(date +%s)
mkdir -p "$cache/logs"

if [ ! -f "$ko" ]; then
	result FAIL module "no $ko: build it first with make KVER=<release>"
	finish
fi

out=$(mktemp -d "$cache/logs/tier.XXXXXX")
# swaptest, static, where the guest finds it (the share is read-only)
gcc -static -O2 -Wall -o "$out/swaptest" "$top/tests/vm/progs/swaptest.c" \
	>"$out/swaptest.log" 2>&1 ||
	{ result FAIL swaptest "cannot build tests/vm/progs/swaptest.c (see $out/swaptest.log)"; finish; }
# Two scratch disks of 128 MiB: /dev/vda and /dev/vdb in the guest.
args=(--mem "$mem" --timeout "$timeout" --out "$out" --ko "$ko"
	--scratch 2 --scratch-size 128)
[ -n "$kver" ] && args+=(--kver "$kver")
[ -n "$kernel" ] && args+=(--kernel "$kernel")
[ -n "$append" ] && args+=(--append "$append")
(cd "$top" && "$top/tests/vm/run-shared.sh" "${args[@]}" -- \
	env RZS_ONLY="$only" RZS_SWAPTEST=/tmp/out/swaptest \
	python3 tests/vm/tier/cases.py) >"$out/console.log" 2>&1
qrc=$?

read_guest_results "$out" "$qrc"
echo "console log: $out/console.log ($(( $(date +%s) - start )) s)"
{ ls -dt "$cache/logs"/tier.* 2>/dev/null || true; } | tail -n +21 | xargs -r rm -rf
finish
