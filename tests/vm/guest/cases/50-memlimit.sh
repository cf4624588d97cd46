# Memory limit: writes beyond memlimit fail cleanly.
# CASE: memlimit_swap
# CASE: memlimit_dd

case_memlimit_swap() {
	local mib vdb_used
	[ -b /dev/vdb ] || fail "no scratch disk /dev/vdb"
	dut_load disksize_kb=65536 memlimit_kb=8192 algorithm=lzo-rle
	expect memlimit -eq $((8192 * 1024))
	run mkswap /dev/vdb
	run swapon -p 10 /dev/vdb
	run mkswap "$DEV"
	run swapon -p 100 "$DEV"
	mib=$(swap_size_mb 140)
	swaptest_hold "$mib" -s 3 -m 10,10,0,80
	cat /proc/swaps
	show_stats
	vdb_used=$(swap_used_kb /dev/vdb)
	checkval "second swap device used (KiB)" "$vdb_used" -gt 65536
	release_swaptest
	expect memlimit_hits -gt 0
	expect failed_writes -gt 0
	# a refused write counts once, though 6.1 retries rw_page as a bio
	expect memlimit_hits -eq "$(st failed_writes)"
	expect mem_used_max -le $(((8192 + 1024) * 1024))
	expect failed_reads -eq 0
	run swapoff "$DEV"
	run swapoff /dev/vdb
	run dut_unload
}

case_memlimit_dd() {
	dut_load disksize_kb=65536 memlimit_kb=8192
	run dd if=/dev/urandom of=/tmp/c.rnd bs=1M count=24 status=none
	echo "+ (must fail with EIO) dd if=/tmp/c.rnd of=$DEV bs=1M oflag=direct"
	if dd if=/tmp/c.rnd of="$DEV" bs=1M oflag=direct 2>/tmp/c.dd; then
		fail "24 MiB of random data written into a device limited to 8 MiB"
	fi
	cat /tmp/c.dd
	grep -q 'Input/output error' /tmp/c.dd || fail "dd failed, but not with EIO: $(head -n 1 /tmp/c.dd)"
	show_stats
	expect memlimit_hits -gt 0
	expect failed_writes -gt 0
	expect mem_used_max -le $(((8192 + 1024) * 1024))
	# what was written before the limit was hit reads back intact
	local ok=$(($(st pages_stored) / 256))
	if [ "$ok" -gt 0 ]; then
		dd if="$DEV" of=/tmp/c.back bs=1M count="$ok" iflag=direct status=none || fail "read back failed"
		cmp -n $((ok << 20)) /tmp/c.back /tmp/c.rnd || fail "data before the limit is corrupt"
		note "first $ok MiB read back intact"
	fi
	run dut_unload
}
