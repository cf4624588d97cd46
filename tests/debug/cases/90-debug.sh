# The debug kernel's own cases (tests/debug): fault injection into the
# module's allocations, kmemleak, CPU hotplug under I/O.  On a kernel
# without the detectors (Debian's) each skips itself.
# CASE: debug_fault_load
# CASE: debug_fault_add
# CASE: debug_fault_init
# CASE: debug_fault_write
# CASE: debug_churn8
# CASE: debug_hotplug
# CASE: debug_kmemleak

DBGFS=/sys/kernel/debug

debugfs_up() {
	[ -d $DBGFS/failslab ] || mount -t debugfs debugfs $DBGFS 2>/dev/null
}

need_fault_injection() {
	need_ramzswap
	debugfs_up
	[ -d $DBGFS/failslab ] && [ -d $DBGFS/fail_page_alloc ] && [ -e /proc/self/fail-nth ] ||
		skip "no fault injection in $(uname -r) (the debug kernel of tests/debug has it)"
}

need_kmemleak() {
	need_ramzswap
	debugfs_up
	[ -e $DBGFS/kmemleak ] || skip "no kmemleak in $(uname -r) (the debug kernel of tests/debug has it)"
}

# fi_arm: failslab and fail_page_alloc fail only what rzsfault asks for
# through /proc/thread-self/fail-nth (probability 0: nothing at random),
# sleeping allocations and order-0 pages included, each failure reported
# with its stack (verbose=2) in the kernel log.
fi_arm() {
	local d
	for d in failslab fail_page_alloc; do
		echo 0 >$DBGFS/$d/probability
		echo 1 >$DBGFS/$d/interval
		echo -1 >$DBGFS/$d/times
		echo 0 >$DBGFS/$d/space
		echo 2 >$DBGFS/$d/verbose
		echo 0 >$DBGFS/$d/verbose_ratelimit_interval_ms 2>/dev/null
		echo N >$DBGFS/$d/task-filter
		echo N >$DBGFS/$d/ignore-gfp-wait
	done
	echo N >$DBGFS/fail_page_alloc/ignore-gfp-highmem
	echo 0 >$DBGFS/fail_page_alloc/min-order
}

# fi_begin NAME / fi_end NAME [nostack]: markers in the kernel log around
# the injection; fi_end prints how many failures rzsfault injected, how many
# the kernel log reports between the markers and how many of those have
# ramzswap's code in their stack, and fails the case if rzsfault injected
# none, or (unless nostack) none was in ramzswap's code.  Allocations with
# __GFP_NOWARN (the write path's zsmalloc objects) fail without a report.
fi_begin() {
	FI_INJ=0
	echo "rztest: fault begin $1" >/dev/kmsg
}

fi_end() {
	echo "rztest: fault end $1" >/dev/kmsg
	dmesg | awk -v b="rztest: fault begin $1" -v e="rztest: fault end $1" \
		'index($0, b) { on = 1; next } index($0, e) { on = 0 } on' >/tmp/c.fi.dmesg
	FI_N=$(grep -c 'FAULT_INJECTION: forcing a failure' /tmp/c.fi.dmesg)
	FI_MOD=$(awk '/FAULT_INJECTION: forcing a failure/ { if (m) n++; m = 0; on = 1; next }
		      on && /\[ramzswap\]/ { m = 1 } /<\/TASK>/ { if (m) n++; m = 0; on = 0 }
		      END { if (m) n++; print n + 0 }' /tmp/c.fi.dmesg)
	local msg="$1: $FI_INJ failures injected; $FI_N reported in the kernel log, $FI_MOD of them with ramzswap's code in the stack"
	echo "INJECTED $msg"
	echo "OUT INJECTED $msg" >"$RES"
	[ "$FI_INJ" -gt 0 ] || fail "$1: no failure was injected"
	[ "${2:-}" = nostack ] || [ "$FI_MOD" -gt 0 ] ||
		fail "$1: no failure was injected in ramzswap's code"
}

# rzsfault_run LOG ARGS...: run the walker; its summary must say no BAD step
rzsfault_run() {
	local log=$1
	shift
	echo "+ rzsfault $*"
	rzsfault "$@" >"$log" 2>&1
	local rc=$?
	grep -E '^(step|rzsfault)' "$log" | tail -n 40
	grep -q 'BAD' "$log" && fail "$(grep -m 1 BAD "$log")"
	[ $rc -eq 0 ] || fail "rzsfault $1 exited with $rc"
	FI_INJ=$((FI_INJ + $(sed -n 's/^rzsfault: .* injected=\([0-9]*\).*/\1/p' "$log" | tail -n 1)))
}

# usable_after: the device works once the faults stop: a checksummed write
# and read of 4 MiB of random data on ramzswap0
usable_after() {
	run dd if=/dev/urandom of=/tmp/c.rnd bs=1M count=4 status=none
	run dd if=/tmp/c.rnd of="$DEV" bs=1M oflag=direct status=none
	run dd if="$DEV" of=/tmp/c.back bs=1M count=4 iflag=direct status=none
	[ "$(sha256sum </tmp/c.rnd)" = "$(sha256sum </tmp/c.back)" ] ||
		fail "data written after the faults reads back wrong"
	note "4 MiB written and read back intact after the faults"
}

KO=/lib/modules/$(uname -r)/extra/ramzswap.ko

case_debug_fault_load() {
	need_fault_injection
	fi_arm
	fi_begin load
	# the module's load, device creation and device 0's init at load
	# (more devices: DEV_ADD's walk, below)
	rzsfault_run /tmp/c.rzsf load "$KO" "num_devices=1 disksize_kb=8192 algorithm=zstd" 3000
	fi_end load
	grep -q '^ramzswap ' /proc/modules && fail "module left loaded by the walk"
	dut_load disksize_kb=8192
	usable_after
	run dut_unload
}

case_debug_fault_add() {
	need_fault_injection
	fi_arm
	dut_load
	fi_begin add
	rzsfault_run /tmp/c.rzsf add 5 2000
	fi_end add
	[ -e /sys/block/ramzswap5 ] && fail "ramzswap5 left behind by the walk"
	run rmmod ramzswap
	dut_load disksize_kb=8192
	usable_after
	run dut_unload
}

case_debug_fault_init() {
	need_fault_injection
	fi_arm
	dut_load num_devices=1
	fi_begin init
	rzsfault_run /tmp/c.rzsf1 init 0 $((8 << 20)) zstd 2000
	rzsfault_run /tmp/c.rzsf2 init 0 $((8 << 20)) lz4hc 2000
	fi_end init
	expect initstate -eq 0
	run rmmod ramzswap
	dut_load disksize_kb=8192
	usable_after
	run dut_unload
}

case_debug_fault_write() {
	local fw0 fw1 eio
	need_fault_injection
	fi_arm
	dut_load disksize_kb=8192 algorithm=lzo-rle
	fw0=$(st failed_writes)
	fi_begin write
	# whole pages, then 2 KiB in the middle of a page (read-modify-write)
	rzsfault_run /tmp/c.rzsf1 write "$DEV" 24 1500
	rzsfault_run /tmp/c.rzsf2 write "$DEV" 8 600 2048
	fi_end write nostack
	fw1=$(st failed_writes)
	eio=$(cat /tmp/c.rzsf1 /tmp/c.rzsf2 | sed -n 's/^rzsfault: .* eio=\([0-9]*\).*/\1/p' | awk '{ n += $1 } END { print n + 0 }')
	show_stats
	checkval "writes failed with EIO by the injection" "$eio" -gt 0
	# every write the injection failed with EIO is one failed write
	checkval "failed_writes during the walk" $((fw1 - fw0)) -eq "$eio"
	expect failed_reads -eq 0
	usable_after
	run dut_unload
}

# Eight processes at once over the control plane, each cycling its own
# device through add, init, write and read, reset, remove, and looking at
# its neighbour's; then the module unloads.
case_debug_churn8() {
	local i pids= rc=0 n=${RZS_CHURN:-25}
	need_ramzswap
	dut_load
	for i in 1 2 3 4 5 6 7 8; do
		rzsfault churn $i $((i % 8 + 1)) "$n" >/tmp/c.churn$i 2>&1 &
		pids="$pids $!"
	done
	for i in $pids; do wait "$i" || rc=1; done
	cat /tmp/c.churn*
	grep -h BAD /tmp/c.churn* && fail "$(grep -h -m 1 BAD /tmp/c.churn*)"
	[ $rc -eq 0 ] || fail "a churn process failed"
	checkval "devices left" "$(ls -d /sys/block/ramzswap* | wc -l)" -eq 1
	run dut_unload
}

# vCPU 1 offline and online again, ten times, under a verified fio job
# (the module's per-CPU compression streams follow CPU hotplug).
case_debug_hotplug() {
	local i fpid rc
	need_ramzswap
	[ -e /sys/devices/system/cpu/cpu1/online ] || skip "no hot-pluggable CPU 1"
	dut_load disksize_kb=32768 algorithm=zstd
	cd /tmp || fail "no /tmp"
	fio --name=hp --filename="$DEV" --ioengine=psync --direct=1 --rw=randwrite --bs=4k \
		--size=16m --numjobs=2 --offset_increment=16m --loops=3 --verify=crc32c \
		--do_verify=1 --verify_fatal=1 --verify_state_save=0 --minimal >/tmp/c.fio.out 2>&1 &
	fpid=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do
		echo 0 >/sys/devices/system/cpu/cpu1/online || { kill $fpid; fail "cpu1 offline failed"; }
		sleep 1
		echo 1 >/sys/devices/system/cpu/cpu1/online || { kill $fpid; fail "cpu1 online failed"; }
		sleep 1
		kill -0 $fpid 2>/dev/null || break
	done
	note "cpu1 offline and online $i times during the fio job"
	wait $fpid
	rc=$?
	[ $rc -eq 0 ] || { cat /tmp/c.fio.out; fail "fio under CPU hotplug: status $rc"; }
	grep -qiE 'verify|bad magic|crc32c: ' /tmp/c.fio.out && { cat /tmp/c.fio.out; fail "fio verify errors"; }
	no_io_errors
	run dut_unload
}

# 200 cycles of add/init/write/reset/remove and 20 module loads and
# unloads, then kmemleak's scan (twice: an object is reported once it has
# been unreferenced over two scans) must find nothing of ramzswap's.  It
# runs last: its scans also cover everything the cases before it did,
# the fault walks' error paths included.
case_debug_kmemleak() {
	local i n=${RZS_KMEMLEAK_CYCLES:-200}
	need_kmemleak
	dut_load
	run rzsfault churn 1 2 "$n"
	run dut_unload
	for i in $(seq 1 20); do
		dut_load num_devices=2 disksize_kb=4096 algorithm=lz4 >/dev/null
		echo x | dd of="$DEV" bs=4096 conv=sync oflag=direct status=none || fail "write $i"
		rmmod ramzswap || fail "rmmod $i"
	done
	note "$n control cycles, 20 load/unload cycles"
	# an object is reported once it is 5 s old (kmemleak's minimum age)
	sleep 6
	echo scan >$DBGFS/kmemleak
	sleep 1
	echo scan >$DBGFS/kmemleak
	cat $DBGFS/kmemleak >/tmp/c.leaks
	# the reports whose backtrace has one of ramzswap's functions, or an
	# address that no longer resolves: the code of a module since unloaded
	# (ramzswap is the only module this kernel ever loads)
	awk 'function flush() { if (rec ~ /\[ramzswap\]|\] 0xffffffff[0-9a-f]+\n/) printf "%s", rec; rec = "" }
	     /^unreferenced object/ { flush() } { rec = rec $0 "\n" } END { flush() }' \
		/tmp/c.leaks >/tmp/c.rzleaks
	note "kmemleak: $(grep -c '^unreferenced object' /tmp/c.leaks) unreferenced objects in all, $(grep -c '^unreferenced object' /tmp/c.rzleaks) with ramzswap in the backtrace"
	if [ -s /tmp/c.rzleaks ]; then
		head -n 40 /tmp/c.rzleaks
		fail "kmemleak: $(grep -c '^unreferenced object' /tmp/c.rzleaks) leaks from ramzswap: $(head -n 1 /tmp/c.rzleaks) $(grep -m 1 -E '\[ramzswap\]|\] 0xffffffff[0-9a-f]+$' /tmp/c.rzleaks | tr -s ' ')"
	fi
}
