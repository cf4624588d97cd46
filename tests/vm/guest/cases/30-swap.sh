# Swap under real memory pressure, and release of stale data.
# CASE: swap_pressure
# CASE: swap_discard

# swaptest_hold MIB [swaptest options]: run swaptest in the background; when
# it has verified everything it blocks on a fifo so the caller can look at the
# counters while the memory is still swapped out.  release_swaptest lets it
# exit and returns its status.
swaptest_hold() {
	local mib=$1
	shift
	rm -f /tmp/c.hold /tmp/c.swaptest
	mkfifo /tmp/c.hold
	echo "+ swaptest $* -w /tmp/c.hold $mib  (MemAvailable $(mem_avail_mb) MiB)"
	swaptest "$@" -e /usr/bin/fio -w /tmp/c.hold "$mib" >/tmp/c.swaptest 2>&1 &
	ST_PID=$!
	while kill -0 $ST_PID 2>/dev/null && ! grep -q 'holding memory' /tmp/c.swaptest; do
		sleep 1
	done
	cat /tmp/c.swaptest
	grep -q 'holding memory' /tmp/c.swaptest || { wait $ST_PID; fail "swaptest died (status $?), OOM?"; }
	grep -q 'swaptest: OK' /tmp/c.swaptest || fail "swaptest found corrupted pages"
}

release_swaptest() {
	echo x >/tmp/c.hold
	wait $ST_PID
	local rc=$?
	ballast_drop
	[ $rc -eq 0 ] || fail "swaptest exited with $rc"
}

# stale_check BASE PEAK: after the swapping process exited, the device may
# only hold what is still in use as swap (pages of other processes: shell,
# init), never the freed slots: pages_stored <= base + used slots.
stale_check() {
	local used stored
	used=$(($(swap_used_kb "$DEV") / 4))
	stored=$(st pages_stored)
	cat /proc/swaps
	checkval "pages_stored after exit ($used slots still in use)" "$stored" -le $((used + $1 + 16))
	checkval "pages_stored after exit vs peak $2" "$stored" -le $(($2 / 50))
}

# swap_size_mb: how much swaptest should allocate: well beyond free RAM
swap_size_mb() {
	ballast
	echo $(( $(mem_avail_mb) * ${1:-150} / 100 ))
}

case_swap_pressure() {
	local ds=$((MEM_MB * 2 * 1024)) base mib used peak zero
	dut_load disksize_kb=$ds
	run mkswap "$DEV"
	base=$(st pages_stored)
	note "after mkswap: pages_stored=$base (swap header)"
	run swapon -p 100 "$DEV"
	mib=$(swap_size_mb 150)
	swaptest_hold "$mib"
	used=$(swap_used_kb "$DEV")
	show_stats
	cat /proc/swaps
	grep -E '^(MemTotal|MemFree|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo
	checkval "swap used (KiB, /proc/swaps)" "$used" -gt $((mib * 1024 / 4))
	zero=$(swapped_zero_pages)
	expect pages_stored -gt $(((used / 4 - zero) * 9 / 10))
	expect num_writes -ge $((used / 4 - zero))
	expect num_reads -gt 1000
	if swap_skips_zero_pages; then
		note "$(uname -r): zero pages stay in the swap zeromap"
	else
		expect same_pages -gt 100
	fi
	expect huge_pages -gt 100
	expect good_compress -gt 1000
	expect mem_used_total -gt 0
	checkval "orig_data_size > compr_data_size" "$(st orig_data_size)" -gt "$(st compr_data_size)"
	no_io_errors
	peak=$(st pages_stored)
	release_swaptest
	io_accounted
	sleep 2
	show_stats
	stale_check "$base" "$peak"
	expect notify_free -gt $((used / 4 / 2))
	run swapoff "$DEV"
	show_stats
	expect pages_stored -eq "$base"
	expect same_pages -le 1
	expect huge_pages -eq 0
	no_io_errors
	run dut_unload
}

case_swap_discard() {
	local ds=$((MEM_MB * 2 * 1024)) base d0 mib used peak zero
	dut_load disksize_kb=$ds algorithm=lz4
	# stale data from an earlier user of the device: 16 MiB after the header
	run dd if=/dev/urandom of=/tmp/c.rnd bs=1M count=16 status=none
	run dd if=/tmp/c.rnd of="$DEV" bs=1M seek=1 oflag=direct status=none
	rm -f /tmp/c.rnd
	run mkswap "$DEV"
	base=$(st pages_stored)
	checkval "pages_stored with stale data" "$base" -ge 4096
	d0=$(st discarded)
	# swapon --discard discards the whole area (all but the header)
	run swapon --discard -p 100 "$DEV"
	show_stats
	[ "$d0" = NA ] || expect discarded -ge $((d0 + 4096))
	base=$(st pages_stored)
	checkval "pages_stored after swapon --discard" "$base" -le 1
	mib=$(swap_size_mb 130)
	swaptest_hold "$mib" -s 7
	used=$(swap_used_kb "$DEV")
	show_stats
	checkval "swap used (KiB)" "$used" -gt $((mib * 1024 / 5))
	zero=$(swapped_zero_pages)
	expect pages_stored -gt $(((used / 4 - zero) * 9 / 10))
	no_io_errors
	peak=$(st pages_stored)
	release_swaptest
	sleep 2
	show_stats
	stale_check "$base" "$peak"
	run swapoff "$DEV"
	show_stats
	expect pages_stored -eq "$base"
	no_io_errors
	run dut_unload
}
