#!/bin/bash
# Runs every case in /tests/cases/*.sh (filtered by $ONLY), one after the
# other in this boot.  Each case runs in its own shell with a timeout; its
# output goes to the console, and the kernel log it produced is scanned for
# splats.  Results go to $RES as "PASS name" / "FAIL name: reason" /
# "SKIP name: reason".
. /tests/lib.sh

CASE_TIMEOUT=${CASE_TIMEOUT:-600}
pass=0
fail=0

for name in $(list_cases); do
	if [ -n "$ONLY" ] && ! echo "$name" | grep -qE -- "$ONLY"; then
		continue
	fi
	echo "START $name" >"$RES"
	echo
	echo "===================== case $name ====================="
	echo "rztest: >>> begin $name" >/dev/kmsg
	t0=$(date +%s)
	set -o pipefail
	timeout -s KILL "$CASE_TIMEOUT" bash -c ". /tests/lib.sh; load_cases; set -u; case_$name" 2>&1 |
		tee /tmp/case.log
	rc=$?
	set +o pipefail
	t1=$(date +%s)
	echo "rztest: <<< end $name" >/dev/kmsg
	# splats from the case itself and from the cleanup after it
	cleanup_all >/tmp/cleanup.log 2>&1
	echo "rztest: <<< cleaned $name" >/dev/kmsg
	dmesg | awk -v b="rztest: >>> begin $name" -v e="rztest: <<< cleaned $name" \
		'index($0, b) { on = 1; next } index($0, e) { on = 0 } on' >/tmp/case.dmesg
	# the report's first lines
	splat=$(drop_known_reports </tmp/case.dmesg | grep -vE "$SPLAT_OK_RE" |
		grep -m 1 -B 1 -A 2 -E "$SPLAT_RE" | sed 's/^\[[ 0-9.]*\] //' | tr '\n' '|' | sed 's/|$//; s/|/ | /g')

	reason=
	if [ -n "$splat" ]; then
		reason="kernel log: $splat"
	elif [ "$rc" -eq 137 ]; then
		reason="timed out after ${CASE_TIMEOUT}s"
	elif grep -q '^SKIPREASON: ' /tmp/case.log && [ "$rc" -eq 77 ]; then
		r=$(grep '^SKIPREASON: ' /tmp/case.log | tail -n 1 | sed 's/^SKIPREASON: //')
		echo "SKIP $name: $r" >"$RES"
		echo "----- SKIP $name: $r"
		continue
	elif [ "$rc" -ne 0 ]; then
		reason=$(grep '^FAILREASON: ' /tmp/case.log | tail -n 1 | sed 's/^FAILREASON: //')
		[ -n "$reason" ] || reason="exit status $rc: $(tail -n 1 /tmp/case.log)"
	elif [ -s /tmp/cleanup.log ] && grep -q '^CLEANUP-FAIL' /tmp/cleanup.log; then
		reason="cleanup: $(grep '^CLEANUP-FAIL' /tmp/cleanup.log | head -n 1)"
	fi
	if [ -n "$splat" ]; then
		echo "----- kernel log of $name:"
		cat /tmp/case.dmesg
	fi
	if [ -z "$reason" ]; then
		echo "PASS $name" >"$RES"
		echo "----- PASS $name ($((t1 - t0))s)"
		pass=$((pass + 1))
	else
		echo "FAIL $name: $reason" | tr -d '\r' | cut -c 1-400 >"$RES"
		echo "----- FAIL $name ($((t1 - t0))s): $reason"
		fail=$((fail + 1))
	fi
done
echo "SUMMARY $pass passed, $fail failed" >"$RES"
echo "guest: $pass passed, $fail failed"
