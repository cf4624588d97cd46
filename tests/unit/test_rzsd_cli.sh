#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# rzsd --check: exit 0 and the resolved devices for a valid file, exit 1
# and "file:line: message" on stderr for an invalid one; usage errors 2.
rzsd=$1
corpus=$2
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

check() {	# check NAME WANT_RC CMD...
	name=$1 want=$2
	shift 2
	"$@" >"$t/out" 2>"$t/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $name: exit $rc, expected $want"
		cat "$t/out" "$t/err"
		fails=$((fails + 1))
	fi
}

check valid 0 "$rzsd" --check "$corpus/conf-good/dropins.conf"
grep -q '^ramzswap0: disksize 4.0G .*algorithm lzo ' "$t/out" ||
	{ echo "FAIL: valid: drop-ins not applied"; cat "$t/out"; fails=$((fails + 1)); }
grep -q 'valid, 3 files, 3 devices' "$t/out" ||
	{ echo "FAIL: valid: summary"; cat "$t/out"; fails=$((fails + 1)); }

(cd "$corpus/conf-bad" && check invalid 1 "$rzsd" --check bare-number.conf)
cmp -s "$t/err" "$corpus/conf-bad/bare-number.expected" ||
	{ echo "FAIL: invalid: stderr is not the expected message"; cat "$t/err"; fails=$((fails + 1)); }
[ -s "$t/out" ] && { echo "FAIL: invalid: something on stdout"; fails=$((fails + 1)); }

# The tier keys, valid and not, through --check.
check tier-valid 0 "$rzsd" --check "$corpus/conf-good/tier.conf"
grep -q '^ramzswap1: .* backing-device /dev/disk/by-id/nvme-example-part3 writeback idle,huge writeback-after 1h30min writeback-limit 2.0G/1d$' "$t/out" ||
	{ echo "FAIL: tier-valid: the tier keys"; cat "$t/out"; fails=$((fails + 1)); }
(cd "$corpus/conf-bad" && check tier-invalid 1 "$rzsd" --check tier-values.conf)
cmp -s "$t/err" "$corpus/conf-bad/tier-values.expected" ||
	{ echo "FAIL: tier-invalid: stderr is not the expected messages"; cat "$t/err"; fails=$((fails + 1)); }

check missing-is-empty 0 "$rzsd" --check "$t/none.conf"
grep -q '0 devices' "$t/out" || { echo "FAIL: missing file"; fails=$((fails + 1)); }
check usage 2 "$rzsd" --bogus
check extra-arg 2 "$rzsd" extra
check help 0 "$rzsd" --help
check version 0 "$rzsd" --version

[ "$fails" -eq 0 ] && echo "rzsd cli: all passed"
[ "$fails" -eq 0 ]
