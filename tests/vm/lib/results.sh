# SPDX-License-Identifier: GPL-2.0-or-later
# Counting and reporting for the runners of guest suites that run through
# tests/vm/run-shared.sh (netlink, rzsd): the guest writes "PASS name",
# "FAIL name: reason" and finally "DONE" into $out/results.  Sourced.

passed=0
failed=0

result() {	# result PASS|FAIL name [reason]
	if [ "$1" = PASS ]; then
		passed=$((passed + 1)); echo "PASS $2"
	else
		failed=$((failed + 1)); echo "FAIL $2: $3"
	fi
}

# Reads $1/results; a guest that did not write DONE is a failure, with the
# last console lines and run-shared.sh's exit status ($2) as the reason.
read_guest_results() {
	local out=$1 qrc=$2 line rest done_seen=0

	if [ -f "$out/results" ]; then
		while IFS= read -r line; do
			case $line in
			"PASS "*) result PASS "${line#PASS }" ;;
			"FAIL "*) rest=${line#FAIL }; result FAIL "${rest%%: *}" "${rest#*: }" ;;
			DONE) done_seen=1 ;;
			esac
		done <"$out/results"
	fi
	if [ "$done_seen" != 1 ]; then
		result FAIL guest "the guest did not finish (run-shared.sh exit $qrc; last console lines: $(tail -n 5 "$out/console.log" | tr '\n' ' '))"
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit $?
}
