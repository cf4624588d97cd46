#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Host unit tests of the userspace code, in a fresh build with
# AddressSanitizer and UndefinedBehaviorSanitizer (any finding fails the
# test that hit it) and warnings as errors.  Prints "PASS name" or
# "FAIL name" per test, "SKIP name" for tests this host cannot run, and
# "N passed, N failed" last; exits 1 if anything failed.
#
#   tests/unit/run.sh              build in a temporary directory
#   RZS_UNIT_BUILD=dir tests/unit/run.sh   ... in dir (kept)
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ -n "${RZS_UNIT_BUILD:-}" ]; then
	build=$RZS_UNIT_BUILD
	rm -rf "$build"
else
	build=$(mktemp -d /tmp/ramzswap-unit.XXXXXX)
	trap 'rm -rf "$build"' EXIT
fi

summary() { echo "$1 passed, $2 failed"; }

if ! meson setup "$build" -Dbuildtype=debug -Dwerror=true \
	-Db_sanitize=address,undefined -Db_lundef=false \
	-Dc_args=-fno-sanitize-recover=all >"$build.setup.log" 2>&1; then
	cat "$build.setup.log"; rm -f "$build.setup.log"
	echo "FAIL build (meson setup)"
	summary 0 1
	exit 1
fi
rm -f "$build.setup.log"
if ! ninja -C "$build" >"$build/ninja.log" 2>&1; then
	cat "$build/ninja.log"
	echo "FAIL build (warnings are errors here)"
	summary 0 1
	exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
meson test -C "$build" --suite unit --print-errorlogs >"$build/test.log" 2>&1

# One JSON object per test in meson's log.
results=$(python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    print(t["result"], t["name"])
PY
)
passed=0
failed=0
while read -r result name; do
	[ -n "$name" ] || continue
	case $result in
	OK)	echo "PASS $name"; passed=$((passed + 1)) ;;
	SKIP)	echo "SKIP $name" ;;
	*)	echo "FAIL $name ($result)"; failed=$((failed + 1)) ;;
	esac
done <<<"$results"
if [ "$failed" -ne 0 ]; then
	echo "--- failure logs ---"
	sed -n '/^===* [0-9]*\/[0-9]* =*$/,$p' "$build/test.log" | head -200
fi
if [ $((passed + failed)) -eq 0 ]; then
	echo "FAIL tests (none ran)"
	failed=1
fi
summary "$passed" "$failed"
[ "$failed" -eq 0 ]
