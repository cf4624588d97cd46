#!/bin/bash
# The kernel matrix: builds ramzswap.ko with each suite's own compiler
# against that suite's kernel headers (inside a cached mmdebstrap root of
# the suite, tests/lib/suite-root.sh), clean under W=1, then boots that
# kernel and runs the module suite (tests/vm/run.sh), the netlink suite
# (tests/vm/netlink/run.sh) and the disk-tier suite (tests/vm/tier/run.sh)
# on it.
#
#   tests/matrix/run.sh [--suites "bullseye trixie sid"] [--build-only]
#                       [--only-core | --only-netlink | --only-tier]
#
# Debian 12's own 6.1 is tested by make check directly on the host's
# headers, so it is not in the default list (bookworm works here too).
# Prints "PASS <line>:<case>" / "FAIL <line>:<case>: why" and, last,
# exactly one "N passed, N failed" line.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
roots=$top/tests/lib/suite-root.sh
suites="bullseye trixie sid"
build_only=0
vm_suites="core netlink tier"

while [ $# -gt 0 ]; do
	case $1 in
	--suites) suites=$2; shift 2 ;;
	--build-only) build_only=1; shift ;;
	--only-core) vm_suites=core; shift ;;
	--only-netlink) vm_suites=netlink; shift ;;
	--only-tier) vm_suites=tier; shift ;;
	-h|--help) sed -n '2,14p' "$0"; exit 0 ;;
	*) echo "matrix: unknown option $1" >&2; exit 2 ;;
	esac
done

logs=$cache/logs/matrix
mkdir -p "$logs"
passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# The kernel line a release belongs to: 6.12.107+deb13-amd64 -> 6.12.
line_of() { echo "$1" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/'; }

# Builds the module from the working tree's tracked sources inside ROOT
# with its compiler and headers; prints the .ko's path in the cache.
build_module() {
	local root=$1 kver=$2 log=$3 out=$cache/matrix/$2
	"$top/tests/lib/suite-ramzswap.sh" "$root" "$log" "$out" W=1 || return 1
	echo "$out/ramzswap.ko"
}

# Runs one VM suite, re-labels its cases with the kernel line and adds
# its counts to ours.
vm_suite() {
	local label=$1 name=$2 log=$3 line n seen=0
	shift 3
	"$@" >"$log" 2>&1
	n=$(sed -nE 's/^[0-9]+ passed, ([0-9]+) failed$/\1/p' "$log" | tail -n 1)
	while IFS= read -r line; do
		case $line in
		"PASS "*) pass "$label:${line#PASS }" ;;
		"FAIL "*)
			line=${line#FAIL }
			seen=$((seen + 1))
			fail "$label:${line%%: *}" "${line#*: }" ;;
		esac
	done < <(grep -E '^(PASS|FAIL) ' "$log")
	# A runner that gave up before its cases says why in an error line.
	if [ -z "$n" ] || [ "$n" -gt "$seen" ]; then
		fail "$label:$name" "$(grep -iE 'error' "$log" | tail -n 1) (see $log)"
	fi
}

for suite in $suites; do
	start=$(date +%s)
	if ! root=$("$roots" path "$suite" build); then
		fail "$suite:root" "could not make the $suite build root"
		continue
	fi
	kver=$("$roots" kver "$root")
	line=$(line_of "$kver")
	label="$line"
	blog=$logs/build-$kver.log
	if ! ko=$(build_module "$root" "$kver" "$blog"); then
		fail "$label:build-w1" "build for $kver failed (see $blog)"
		tail -n 20 "$blog"
		continue
	fi
	if grep -E 'warning:|error:' "$blog"; then
		fail "$label:build-w1" "warnings with W=1 for $kver (see $blog)"
	else
		pass "$label:build-w1"
	fi
	[ "$build_only" = 1 ] && continue

	"$roots" export-kernel "$root" >/dev/null ||
		{ fail "$label:kernel" "could not export $kver"; continue; }
	for s in $vm_suites; do
		case $s in
		core) RZS_SYMVERS=$root/usr/src/linux-headers-$kver/Module.symvers \
			vm_suite "$label" core "$logs/core-$kver.log" \
			"$top/tests/vm/run.sh" --kver "$kver" --ko "$ko" ;;
		netlink) vm_suite "$label" netlink "$logs/netlink-$kver.log" \
			"$top/tests/vm/netlink/run.sh" --kver "$kver" --ko "$ko" ;;
		tier) vm_suite "$label" tier "$logs/tier-$kver.log" \
			"$top/tests/vm/tier/run.sh" --kver "$kver" --ko "$ko" ;;
		esac
	done
	echo "matrix: $suite ($kver) took $(($(date +%s) - start)) s"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
