#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# rzsctl's command line as a user meets it: exit codes (0 ok, 1 failure,
# 2 usage), messages on stderr, the rzscontrol name.  No kernel needed:
# everything here fails or succeeds before any netlink traffic.
rzsctl=$1
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect CODE PATTERN -- COMMAND...: exit code, and PATTERN in its output
expect() {
	code=$1 pat=$2
	shift 3
	"$@" >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		echo "FAIL: $*: exit $rc, expected $code"; cat "$tmp/out"
		fails=$((fails + 1))
	elif ! grep -q -- "$pat" "$tmp/out"; then
		echo "FAIL: $*: no '$pat' in:"; cat "$tmp/out"
		fails=$((fails + 1))
	fi
}

expect 0 'Usage:'			-- "$rzsctl" --help
expect 0 'MEM-LIMIT'			-- "$rzsctl" -h
expect 0 '^rzsctl [0-9]'		-- "$rzsctl" --version
expect 2 "unknown option '--bogus'"	-- "$rzsctl" --bogus
expect 2 "Try 'rzsctl --help'"		-- "$rzsctl" --bogus
expect 2 'needs a device'		-- "$rzsctl" reset
expect 2 '--disksize is required'	-- "$rzsctl" init ramzswap0
expect 2 "bad size '1X'"		-- "$rzsctl" init 0 --disksize 1X
expect 2 "bad size '-5M'"		-- "$rzsctl" set 0 --memlimit -5M
expect 2 'size out of range'		-- "$rzsctl" set 0 --memlimit 99999999999T
expect 2 "not a ramzswap device: 'sda'"	-- "$rzsctl" remove sda
expect 2 "unknown column 'FOO'"		-- "$rzsctl" -o NAME,FOO
expect 2 'nothing to do'		-- "$rzsctl" --compat /dev/ramzswap0
expect 0 'WB-LIMIT'			-- "$rzsctl" --help
expect 0 'rzsctl writeback DEVICE'	-- "$rzsctl" --help
expect 2 'give --idle, --huge or --incompressible' -- "$rzsctl" writeback 0
expect 2 "--min-age: an idle age from 0 to 3, not '7'" -- "$rzsctl" idle 0 --min-age 7
expect 2 '--min-age: applies to --idle pages only' -- "$rzsctl" writeback 0 --huge --min-age 1
expect 2 '--max: less than a page'	-- "$rzsctl" writeback 0 --idle --max 1
expect 2 "bad limit 'some'"		-- "$rzsctl" set 0 --writeback-limit some
expect 2 'give --memlimit or --writeback-limit' -- "$rzsctl" set 0
expect 2 '--writeback-limit: needs --backing-dev' -- "$rzsctl" init 0 -s 1G --writeback-limit 1G
expect 2 'option --backing-dev only applies to: init' -- "$rzsctl" set 0 --backing-dev /dev/vdb

# Invoked as rzscontrol: the seed's command line.
ln -s "$rzsctl" "$tmp/rzscontrol"
expect 0 'Usage: rzscontrol'		-- "$tmp/rzscontrol" --help
expect 2 '^rzscontrol: nothing to do'	-- "$tmp/rzscontrol" /dev/ramzswap0
expect 2 'needs --init'			-- "$tmp/rzscontrol" /dev/ramzswap0 --disksize_kb=1024
expect 2 'not supported'		-- "$tmp/rzscontrol" /dev/ramzswap0 --backing_swap=/dev/sda2

# Output that cannot be written is a failure, not a silent success.
if [ -w /dev/full ]; then
	expect 1 'write error'		-- sh -c '"$0" --help >/dev/full' "$rzsctl"
fi

# Without the module there is nothing to talk to: say so, exit 1.
if [ ! -d /sys/module/ramzswap ]; then
	expect 1 'module is not loaded'	-- "$rzsctl"
	expect 1 'module is not loaded'	-- "$rzsctl" info
fi

[ "$fails" -eq 0 ] && echo "cli: all passed"
[ "$fails" -eq 0 ]
